import { defineConfig } from 'vitest/config'

/** The suites that drive headless Chromium: `npm run test:browser` (vitest.browser.config.ts). */
export const BROWSER_SUITES = ['test/**/*-browser.test.ts']

/** The generated hostile requests, thousands per surface: `npm run test:fuzz` (vitest.fuzz.config.ts). */
export const FUZZ_SUITES = ['test/fuzz/**/*.test.ts']

/**
 * `npm test`: every suite but the end-to-end ones, which start the `openemploi` command as a child
 * process (minutes on a two-core machine), the browser ones and the fuzz ones (a minute of
 * processor each): those are `npm run test:e2e` (vitest.e2e.config.ts), `npm run test:browser`
 * and `npm run test:fuzz`, which `.ci/run` runs too.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', ...BROWSER_SUITES, ...FUZZ_SUITES, '**/node_modules/**'],
    // One migrated embedded store dumped for the run: each suite's stores start from it.
    globalSetup: ['test/support/global-setup.ts'],
    // Bounds on a hang, not on speed: a shared two-core machine under load runs a suite several
    // times slower than an idle one.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // A worker runs its files in one module graph: the referentials, the store's template and the
    // modules are loaded once per worker, not once per file (a quarter of the CPU). No suite mocks
    // modules or keeps state between files; each opens and closes its own stores and servers.
    isolate: false,
    // Most suites wait on a store, a socket or a worker thread as much as they compute: two at a
    // time keep both cores of a small machine busy.
    maxWorkers: 2,
  },
})
