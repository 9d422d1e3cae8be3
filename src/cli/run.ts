// Runs the CLI from the TypeScript sources (`npm run cli -- <command>`), without a build.
import { main } from './main.js'

process.exitCode = await main(process.argv.slice(2))
