import { closeSync, mkdirSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Where the serialised JSON of every indexed offer lives, so that a page of results is copied
 * straight into the response. Positions are byte offsets returned by `append`.
 */
export interface BodyStore {
  /** Stores a body and returns its position. */
  append(body: Buffer): number
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

  append(body: Buffer): number {
    if (this.used + body.length > this.current.length) {
      this.chunks.push(this.current.subarray(0, this.used))
      this.flushed += this.used
      this.current = Buffer.allocUnsafe(Math.max(1 << 20, body.length))
      this.used = 0
    }
    const position = this.flushed + this.used
    body.copy(this.current, this.used)
    this.used += body.length
    return position
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

  append(body: Buffer): number {
    const position = this.written + this.staged
    if (this.staged + body.length > STAGING_BYTES) this.flush()
    if (body.length > STAGING_BYTES) {
      writeSync(this.fd, body, 0, body.length, this.written)
      this.written += body.length
      return position
    }
    body.copy(this.staging, this.staged)
    this.staged += body.length
    return position
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
