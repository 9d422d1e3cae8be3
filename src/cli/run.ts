// Runs the CLI from the TypeScript sources (`npm run cli -- <command>`), without a build.
import { main } from './main.js'

const code = await main(process.argv.slice(2))
// A failed command ends now, even if a dependency left a handle open (a half-opened store).
if (code !== 0) process.exit(code)
