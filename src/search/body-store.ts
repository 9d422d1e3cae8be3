import { closeSync, mkdirSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'

/** Where a body was stored: byte offset and byte length. */
export interface StoredBody {
  readonly position: number
  readonly length: number
}

/**
 * Where the serialised JSON of every indexed offer lives, so that a page of results is copied
 * straight into the response. Positions are byte offsets returned by `append`.
 */
export interface BodyStore {
  /** Stores a body (a string is written as UTF-8 straight into place) and returns where and how long it is. */
  append(body: string | Buffer): StoredBody
  /** Copies `length` bytes stored at `position` into `target` at `targetOffset`. */
  readInto(position: number, length: number, target: Buffer, targetOffset: number): void
  /** Bytes stored so far. */
  readonly size: number
  close(): void
}

/** Keeps bodies in memory: for tests and small corpora. */
export class MemoryBodyStore implements BodyStore {
  private chunks: Buffer[] = []
  private current = Buffer.allocUnsafe(1 << 20)
  private used = 0
  private flushed = 0

  get size(): number {
    return this.flushed + this.used
  }

  append(body: string | Buffer): StoredBody {
    const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length
    if (this.used + length > this.current.length) {
      this.chunks.push(this.current.subarray(0, this.used))
      this.flushed += this.used
      this.current = Buffer.allocUnsafe(Math.max(1 << 20, length))
      this.used = 0
    }
    const position = this.flushed + this.used
    if (typeof body === 'string') this.current.write(body, this.used)
    else this.current.set(body, this.used)
    this.used += length
    return { position, length }
  }

  readInto(position: number, length: number, target: Buffer, targetOffset: number): void {
    let base = 0
    for (const chunk of [...this.chunks, this.current.subarray(0, this.used)]) {
      if (position < base + chunk.length) {
        chunk.copy(target, targetOffset, position - base, position - base + length)
        return
      }
      base += chunk.length
    }
    throw new RangeError(`No body at ${position}`)
  }

  close(): void {
    this.chunks = []
  }
}

const STAGING_BYTES = 4 << 20

/**
 * Keeps bodies in an anonymous local file, read back with positional reads: the operating system's
 * page cache holds the hot part, so a million offers cost the process almost no memory (the way
 * search engines keep stored fields on disk). The file is unlinked as soon as it is opened, so it
 * disappears with the process however that ends. It is a cache: the index rebuilds it at start.
 */
export class FileBodyStore implements BodyStore {
  private readonly fd: number
  private readonly staging = Buffer.allocUnsafe(STAGING_BYTES)
  private staged = 0
  private written = 0

  constructor(directory: string) {
    mkdirSync(directory, { recursive: true })
    const path = join(directory, `bodies-${process.pid}-${Date.now()}.bin`)
    this.fd = openSync(path, 'w+')
    unlinkSync(path)
  }

  get size(): number {
    return this.written + this.staged
  }

  append(body: string | Buffer): StoredBody {
    // At most 3 bytes of UTF-8 per UTF-16 unit: if that fits, a string is encoded straight into place.
    const bound = typeof body === 'string' ? body.length * 3 : body.length
    if (this.staged + bound > STAGING_BYTES) this.flush()
    const position = this.written + this.staged
    if (bound > STAGING_BYTES) {
      const bytes = typeof body === 'string' ? Buffer.from(body) : body
      writeSync(this.fd, bytes, 0, bytes.length, this.written)
      this.written += bytes.length
      return { position, length: bytes.length }
    }
    let length = body.length
    if (typeof body === 'string') length = this.staging.write(body, this.staged)
    else this.staging.set(body, this.staged)
    this.staged += length
    return { position, length }
  }

  readInto(position: number, length: number, target: Buffer, targetOffset: number): void {
    if (position >= this.written) {
      const start = position - this.written
      this.staging.copy(target, targetOffset, start, start + length)
      return
    }
    let done = 0
    while (done < length) {
      const read = readSync(this.fd, target, targetOffset + done, length - done, position + done)
      if (read === 0) throw new RangeError(`Body at ${position} is truncated`)
      done += read
    }
  }

  private flush(): void {
    let done = 0
    while (done < this.staged) {
      done += writeSync(this.fd, this.staging, done, this.staged - done, this.written + done)
    }
    this.written += this.staged
    this.staged = 0
  }

  close(): void {
    closeSync(this.fd)
  }
}
