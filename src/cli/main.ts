import { parseArgs, type ParseArgsConfig } from 'node:util'
import { ConfigError, InvalidArgumentError } from '../shared/errors.js'
import { clientsCommand } from './commands/clients.command.js'
import { datasetsCommand } from './commands/datasets.command.js'
import { generateCommand } from './commands/generate.command.js'
import { importCommand } from './commands/import.command.js'
import { serveCommand } from './commands/serve.command.js'

/** A subcommand of `openemploi`. */
export interface Command {
  readonly name: string
  readonly summary: string
  readonly usage: string
  readonly options: NonNullable<ParseArgsConfig['options']>
  /** Runs the command; resolves to the process exit code. */
  run(values: Record<string, unknown>, positionals: string[]): Promise<number>
}

const COMMANDS: readonly Command[] = [serveCommand, importCommand, generateCommand, clientsCommand, datasetsCommand]

/** A mistake in the command line: exit code 2 with the usage. */
export class UsageError extends Error {}

function help(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length))
  return [
    'Usage: openemploi <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run `openemploi <command> --help` for the options of a command.',
    'Settings come from the environment: `openemploi serve --help` lists them all.',
  ].join('\n')
}

/** Parses the command line and runs a command; resolves to the exit code (0 ok, 1 failure, 2 usage). */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`)
    return name === undefined ? 2 : 0
  }
  const command = COMMANDS.find((candidate) => candidate.name === name)
  if (!command) {
    process.stderr.write(`Unknown command "${name}".\n\n${help()}\n`)
    return 2
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    })
    if (values.help) {
      process.stdout.write(`${command.usage}\n`)
      return 0
    }
    return await command.run(values, positionals)
  } catch (error) {
    if (error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n\n${command.usage}\n`)
      return 2
    }
    if (error instanceof ConfigError || error instanceof InvalidArgumentError) {
      process.stderr.write(`${error.message}\n`)
      return 2
    }
    process.stderr.write(`openemploi ${name}: ${(error as Error).message}\n`)
    return 1
  }
}
