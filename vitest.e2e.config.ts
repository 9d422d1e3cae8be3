import { defineConfig } from 'vitest/config'

/** `npm run test:e2e`: the `openemploi` command run as users run it, in child processes. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    // A child process that starts on a loaded two-core machine takes seconds to minutes: one
    // generous bound for every test, no per-test figure. A hang still fails, and the file's
    // cleanup kills and waits for every child it started (test/support/cli.ts).
    testTimeout: 600_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
  },
})
