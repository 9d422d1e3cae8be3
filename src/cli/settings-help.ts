import { ConfigSchema } from '../config/config.schema.js'

const WIDTH = 96
const INDENT = '      '

/** Folds a text into lines of at most WIDTH characters, each starting with `indent`. */
function fold(text: string, indent: string): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line)
      line = word
    } else {
      line = line === '' ? word : `${line} ${word}`
    }
  }
  if (line !== '') lines.push(indent + line)
  return lines
}

/**
 * The settings part of `serve --help`, written from the configuration schema's descriptions and
 * defaults, so that a setting added to the schema is listed without anyone editing the help.
 */
export function settingsHelp(): string[] {
  const lines = ['Settings (environment variables; empty counts as unset):']
  for (const [name, schema] of Object.entries(ConfigSchema.properties)) {
    const { default: fallback, description } = schema as { default?: string | number | boolean; description?: string }
    lines.push(`  ${name}${fallback === undefined ? '' : ` (default ${String(fallback)})`}`, ...fold(description ?? '', INDENT))
  }
  return lines
}
