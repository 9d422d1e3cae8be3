#!/usr/bin/env node
// Entry point of the `openemploi` command: runs the compiled CLI (built by `npm install`).
import { main } from '../dist/cli/main.js'

process.exitCode = await main(process.argv.slice(2))
