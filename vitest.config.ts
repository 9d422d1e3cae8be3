import { defineConfig } from 'vitest/config'

/**
 * `npm test`: every suite but the end-to-end ones, which start the `openemploi` command as a child
 * process (minutes on a two-core machine): those are `npm run test:e2e` (vitest.e2e.config.ts),
 * which `.ci/run` runs too.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', '**/node_modules/**'],
    // One migrated embedded store dumped for the run: each suite's stores start from it.
    globalSetup: ['test/support/global-setup.ts'],
    // Bounds on a hang, not on speed: a shared two-core machine under load runs a suite several
    // times slower than an idle one.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Most suites wait on a store, a socket or a worker thread as much as they compute: two at a
    // time keep both cores of a small machine busy.
    maxWorkers: 2,
  },
})
