import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'

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
  yield* readNdjson(createReadStream(path, 'utf8'))
}

/**
 * Reads NDJSON from a stream, one record per non-blank line, without holding more than a line in
 * memory. Lines past `maxLines` are reported, not parsed (the caller can still answer about them).
 */
export async function* readNdjson(input: Readable, options: { maxLines?: number } = {}): AsyncGenerator<RawRecord> {
  input.setEncoding('utf8')
  const lines = createInterface({ input, crlfDelay: Infinity })
  const maxLines = options.maxLines ?? Number.POSITIVE_INFINITY
  let position = 0
  for await (const line of lines) {
    position++
    const text = position === 1 ? line.replace(/^\uFEFF/, '') : line
    if (text.trim() === '') continue
    if (position > maxLines) {
      yield { position, error: `beyond the ${maxLines} lines one deposit may hold` }
      continue
    }
    try {
      yield { position, value: JSON.parse(text) as unknown }
    } catch (error) {
      yield { position, error: `not valid JSON (${(error as Error).message})` }
    }
  }
}
