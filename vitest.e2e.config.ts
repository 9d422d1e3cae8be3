import { defineConfig } from 'vitest/config'

/** `npm run test:e2e`: the `openemploi` command run as users run it, in child processes. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 1,
  },
})
