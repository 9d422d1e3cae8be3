import { Value } from 'typebox/value'
import { ConfigSchema, type Config } from './config.schema.js'
import { ConfigError } from '../shared/errors.js'

const NAMES = Object.keys(ConfigSchema.properties) as (keyof typeof ConfigSchema.properties)[]

/**
 * Reads, converts and validates the settings; the only reader of `process.env`.
 *
 * Empty variables count as unset so that `PORT= npm start` takes the default.
 *
 * @throws ConfigError listing every invalid setting at once.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
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
    if (value === undefined || Value.Check(schema, value)) continue
    const allowed = 'anyOf' in schema ? (schema.anyOf as { const?: unknown }[]).map((item) => item.const) : undefined
    const reason = allowed
      ? `must be one of ${allowed.join(', ')}`
      : ([...Value.Errors(schema, value)][0]?.message ?? 'is invalid')
    problems.push(`${name}=${JSON.stringify(raw[name] ?? null)}: ${reason}`)
  }
  if (problems.length > 0) throw new ConfigError(problems)
  return Object.freeze(candidate as Config)
}
