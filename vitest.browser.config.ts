import { defineConfig } from 'vitest/config'
import base, { BROWSER_SUITES } from './vitest.config.js'

/** `npm run test:browser`: the portal, the API pages and the reference in headless Chromium. */
export default defineConfig({
  test: { ...base.test, include: BROWSER_SUITES, exclude: ['**/node_modules/**'] },
})
