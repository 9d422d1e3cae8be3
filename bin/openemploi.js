#!/usr/bin/env node
// Entry point of the `openemploi` command: runs the compiled CLI (built by `npm install`).
import { main } from '../dist/cli/main.js'

const code = await main(process.argv.slice(2))
// A failed command ends now, even if a dependency left a handle open (a half-opened store).
if (code !== 0) process.exit(code)
