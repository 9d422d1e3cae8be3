import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { Value } from 'typebox/value'
import { ConfigSchema, DATASET_NAMES, type Config } from './config.schema.js'
import { ConfigError } from '../shared/errors.js'

const NAMES = Object.keys(ConfigSchema.properties) as (keyof typeof ConfigSchema.properties)[]

/** What `loadConfig` checks beyond the settings' own shape. */
export interface LoadOptions {
  /** Also proves that DATA_DIR can hold a store (a command about to open one). */
  readonly checkDataDir?: boolean
}

/**
 * Reads, converts and validates the settings; the only reader of `process.env`.
 *
 * Empty variables count as unset so that `PORT= npm start` takes the default.
 *
 * @throws ConfigError listing every invalid setting at once.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): Config {
  const raw: Record<string, unknown> = {}
  for (const name of NAMES) {
    const value = env[name]
    if (value !== undefined && value !== '') raw[name] = value
  }
  const candidate = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw)) as Record<string, unknown>
  const problems: string[] = []
  // Each setting is checked on its own so that every invalid one is reported, with one clear line.
  for (const name of NAMES) {
    const schema = ConfigSchema.properties[name]
    const value = candidate[name]
    if (value === undefined) continue
    const reason = Value.Check(schema, value) ? meaningProblem(name, value, options) : shapeProblem(schema, value)
    if (reason !== undefined) problems.push(`${name}=${JSON.stringify(raw[name] ?? null)}: ${reason}`)
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze(candidate as Config)
}

/**
 * The settings of a command that opens the store: `loadConfig`, and DATA_DIR proved usable.
 * @throws ConfigError listing every invalid setting at once.
 */
export function loadStoreConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return loadConfig(env, { checkDataDir: true })
}

function shapeProblem(schema: (typeof ConfigSchema.properties)[keyof typeof ConfigSchema.properties], value: unknown): string {
  const allowed = 'anyOf' in schema ? (schema.anyOf as { const?: unknown }[]).map((item) => item.const) : undefined
  return allowed ? `must be one of ${allowed.join(', ')}` : ([...Value.Errors(schema, value)][0]?.message ?? 'is invalid')
}

/** What a well-formed value may still get wrong: names that do not exist, a folder that cannot be used. */
function meaningProblem(name: string, value: unknown, options: LoadOptions): string | undefined {
  if (name === 'DATASETS' && typeof value === 'string' && value !== 'all' && value !== 'none') {
    const unknown = value.split(',').filter((item) => !(DATASET_NAMES as readonly string[]).includes(item))
    if (unknown.length > 0) return `unknown packages ${unknown.join(', ')} (known: ${DATASET_NAMES.join(', ')})`
  }
  if (name === 'DATA_DIR' && typeof value === 'string' && options.checkDataDir) return dataDirProblem(value)
  return undefined
}

/**
 * Whether a store can live in `dir`: a scratch folder is created and removed in it, or in its
 * nearest existing parent when it does not exist yet (the store creates it), so that a path such
 * as /proc/x or a read-only mount fails here, at once, and nothing is left behind.
 */
function dataDirProblem(dir: string): string | undefined {
  let existing = resolve(dir)
  while (!exists(existing) && dirname(existing) !== existing) existing = dirname(existing)
  try {
    rmSync(mkdtempSync(join(existing, '.openemploi-probe-')), { recursive: true, force: true })
    return undefined
  } catch (error) {
    return `cannot hold a store: the folder cannot be created or written (${(error as NodeJS.ErrnoException).code ?? 'error'})`
  }
}

function exists(path: string): boolean {
  try {
    statSync(path)
    return true
  } catch {
    return false
  }
}
