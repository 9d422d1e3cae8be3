import { defineConfig } from 'vitest/config'
import base, { FUZZ_SUITES } from './vitest.config.js'

/**
 * `npm run test:fuzz`: generated hostile requests to every surface (test/fuzz/); each run prints
 * its seed, and `FUZZ_SEED=<seed> npm run test:fuzz` replays it.
 */
export default defineConfig({
  test: { ...base.test, include: FUZZ_SUITES, exclude: ['**/node_modules/**'] },
})
