/**
 * Nesting depth allowed in any JSON a client sends. The deepest legitimate bodies are an Offre
 * (about 5 levels) and CKAN filters (3); JSON nested thousands of levels deep would overflow the
 * stack of every recursive reader after the parse (validation, merge, serialisation).
 */
export const MAX_JSON_DEPTH = 64

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACE = 0x7b
const OPEN_BRACKET = 0x5b
const CLOSE_BRACE = 0x7d
const CLOSE_BRACKET = 0x5d

/** JSON refused because it is nested deeper than {@link MAX_JSON_DEPTH}: a syntax error of the request (400). */
export class JsonTooDeepError extends SyntaxError {
  /** Read by Fastify and the error renderers: the client's fault. */
  readonly statusCode = 400

  constructor(readonly maxDepth: number) {
    super(`JSON nested deeper than ${maxDepth} levels`)
    this.name = 'JsonTooDeepError'
  }
}

/** Whether the quote at `at` is escaped: preceded by an odd number of backslashes. */
function escaped(text: string, at: number): boolean {
  let count = 0
  while (at - count - 1 >= 0 && text.charCodeAt(at - count - 1) === BACKSLASH) count++
  return count % 2 === 1
}

/**
 * Whether JSON text opens more than `maxDepth` nested objects or arrays, in one linear pass over
 * the brackets outside strings, without recursion and without parsing (strings are skipped with
 * `indexOf`: most of a body's bytes are in them). Malformed text is left to the parser: this
 * only counts.
 */
export function jsonDepthExceeds(text: string, maxDepth: number = MAX_JSON_DEPTH): boolean {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === QUOTE) {
      let end = text.indexOf('"', i + 1)
      while (end >= 0 && escaped(text, end)) end = text.indexOf('"', end + 1)
      if (end < 0) return false
      i = end
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (++depth > maxDepth) return true
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth--
    }
  }
  return false
}

/**
 * `JSON.parse` for text from a client: refuses nesting deeper than `maxDepth` before parsing.
 * @throws JsonTooDeepError, or the SyntaxError of malformed JSON.
 */
export function parseClientJson(text: string, maxDepth: number = MAX_JSON_DEPTH): unknown {
  if (jsonDepthExceeds(text, maxDepth)) throw new JsonTooDeepError(maxDepth)
  return JSON.parse(text) as unknown
}
