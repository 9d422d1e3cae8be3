import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { parseClientJson } from '../shared/json-depth.js'

/** One record of an input file: its 1-based position (line, or item of the array) and its value. */
export type RawRecord =
  | { readonly position: number; readonly value: unknown }
  | { readonly position: number; readonly error: string }

/** Above this size a JSON array is refused: it would have to be held whole in memory. */
const MAX_ARRAY_BYTES = 256 * 1024 * 1024

async function firstCharacter(path: string): Promise<string> {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(4096)
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
    return /\S/.exec(buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, ''))?.[0] ?? ''
  } finally {
    await handle.close()
  }
}

/**
 * Reads offers from a file holding either one JSON array (what the original API returns, pages
 * concatenated) or NDJSON (one offer per line, streamed, any size). A line or item that is not
 * valid JSON is reported, not fatal.
 */
export async function* readOfferFile(path: string): AsyncGenerator<RawRecord> {
  if ((await firstCharacter(path)) === '[') {
    const handle = await open(path, 'r')
    let text: string
    try {
      const { size } = await handle.stat()
      if (size > MAX_ARRAY_BYTES) {
        throw new Error(`${path} holds a JSON array of ${size} bytes; above 256 MiB, convert it to NDJSON (one offer per line)`)
      }
      text = (await handle.readFile('utf8')).replace(/^\uFEFF/, '')
    } finally {
      await handle.close()
    }
    const items: unknown = JSON.parse(text)
    if (!Array.isArray(items)) throw new Error(`${path} is not a JSON array`)
    for (const [index, value] of items.entries()) yield { position: index + 1, value }
    return
  }
  yield* readNdjson(createReadStream(path))
}

const NEWLINE = 0x0a
const CARRIAGE_RETURN = 0x0d

/**
 * Reads NDJSON from a stream, one record per non-blank line (`\n` or `\r\n`), without holding
 * more than a line and a chunk in memory. Lines are cut on the newline byte, which never occurs
 * inside a UTF-8 sequence, then decoded: a character split across chunks is decoded whole. Lines
 * past `maxLines` are reported, not parsed (the caller can still answer about them); so are lines
 * longer than `maxLineBytes`, whose bytes are dropped as they come, never held.
 */
export async function* readNdjson(
  input: AsyncIterable<Buffer | string>,
  options: { maxLines?: number; maxLineBytes?: number } = {},
): AsyncGenerator<RawRecord> {
  const maxLines = options.maxLines ?? Number.POSITIVE_INFINITY
  const maxLineBytes = options.maxLineBytes ?? Number.POSITIVE_INFINITY
  let position = 0
  /** The start of a line that a previous chunk began. */
  let carried: Buffer[] = []
  let carriedBytes = 0
  /** Whether the line being read is already longer than `maxLineBytes` (its bytes are dropped). */
  let oversized = false
  const beyondLines = (): RawRecord => ({ position, error: `beyond the ${maxLines} lines one deposit may hold` })
  const tooLong = (): RawRecord => {
    position++
    return position > maxLines ? beyondLines() : { position, error: `longer than ${maxLineBytes} bytes, the limit of one record` }
  }
  const record = (bytes: Buffer, start: number, end: number): RawRecord | undefined => {
    if (end - start > maxLineBytes) return tooLong()
    position++
    if (end > start && bytes[end - 1] === CARRIAGE_RETURN) end--
    let text = bytes.toString('utf8', start, end)
    if (position === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    if (text.trim() === '') return undefined
    if (position > maxLines) return beyondLines()
    try {
      return { position, value: parseClientJson(text) }
    } catch (error) {
      return { position, error: `not valid JSON (${(error as Error).message})` }
    }
  }
  /** The line that ends at `end` of `chunk`, with what previous chunks carried of it. */
  const lineEnding = (chunk: Buffer, start: number, end: number): RawRecord | undefined => {
    if (oversized) return tooLong()
    if (carried.length === 0) return record(chunk, start, end)
    carried.push(chunk.subarray(start, end))
    const line = Buffer.concat(carried)
    return record(line, 0, line.length)
  }
  for await (const piece of input) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece
    let start = 0
    for (let end = chunk.indexOf(NEWLINE); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
      const result = lineEnding(chunk, start, end)
      carried = []
      carriedBytes = 0
      oversized = false
      if (result) yield result
      start = end + 1
    }
    if (start < chunk.length && !oversized) {
      carried.push(chunk.subarray(start))
      carriedBytes += chunk.length - start
      if (carriedBytes > maxLineBytes) {
        oversized = true
        carried = []
        carriedBytes = 0
      }
    }
  }
  if (oversized) {
    yield tooLong()
  } else if (carried.length > 0) {
    const line = Buffer.concat(carried)
    const result = record(line, 0, line.length)
    if (result) yield result
  }
}
