/**
 * Just enough of PostgreSQL's wire protocol (v3, backend messages) to read the rows of a simple
 * query straight from raw bytes: the embedded store's bulk read skips building JavaScript values
 * for fields it only copies.
 */

/** A row as raw text-format fields (null for SQL NULL); slices share the message buffer. */
export type RawRow = (Buffer | null)[]

/** An ErrorResponse of the server, with its SQLSTATE. */
export class BackendError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message)
    this.name = 'BackendError'
  }
}

function errorOf(buffer: Buffer, start: number, end: number): BackendError {
  const fields = new Map<string, string>()
  let at = start
  while (at < end && buffer[at] !== 0) {
    const type = String.fromCharCode(buffer[at] ?? 0)
    const stop = buffer.indexOf(0, at + 1)
    fields.set(type, buffer.toString('utf8', at + 1, stop))
    at = stop + 1
  }
  return new BackendError(fields.get('M') ?? 'database error', fields.get('C'))
}

/**
 * Reads the backend messages of `buffer` (whole messages only) and returns the data rows.
 *
 * @throws BackendError when the server answered with an error.
 */
export function dataRows(buffer: Buffer): RawRow[] {
  const rows: RawRow[] = []
  let at = 0
  while (at + 5 <= buffer.length) {
    const type = buffer[at]
    const length = buffer.readInt32BE(at + 1)
    const body = at + 5
    const end = at + 1 + length
    if (type === 0x44) {
      const count = buffer.readInt16BE(body)
      const row: RawRow = new Array<Buffer | null>(count)
      let field = body + 2
      for (let i = 0; i < count; i++) {
        const size = buffer.readInt32BE(field)
        field += 4
        if (size < 0) {
          row[i] = null
        } else {
          row[i] = buffer.subarray(field, field + size)
          field += size
        }
      }
      rows.push(row)
    } else if (type === 0x45) {
      throw errorOf(buffer, body, end)
    }
    at = end
  }
  return rows
}

/** A simple-query ('Q') message for `sql`. */
export function simpleQuery(sql: string): Uint8Array {
  const text = Buffer.from(`${sql}\0`)
  const message = Buffer.allocUnsafe(5 + text.length)
  message[0] = 0x51
  message.writeInt32BE(4 + text.length, 1)
  text.copy(message, 5)
  return message
}

/** The first error in a buffer of backend messages, if any. */
export function firstError(buffer: Buffer): BackendError | undefined {
  let at = 0
  while (at + 5 <= buffer.length) {
    const length = buffer.readInt32BE(at + 1)
    if (buffer[at] === 0x45) return errorOf(buffer, at + 5, at + 1 + length)
    at += 1 + length
  }
  return undefined
}
