/**
 * Worker thread that owns the embedded PostgreSQL (PGlite). PGlite runs its queries
 * synchronously in WebAssembly; hosting it here keeps the server's event loop free while a query,
 * a bulk read or a slow statement runs. Queries arrive one at a time from `PGliteClient`.
 */
import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'
import { firstError, simpleQuery } from './pg-protocol.js'

export interface WorkerRequest {
  readonly id: number
  readonly kind: 'query' | 'exec' | 'close' | 'stream' | 'credit' | 'dump'
  readonly sql?: string
  /** For `query`: the bytes a `COPY … FROM '/dev/blob'` reads. */
  readonly blob?: ArrayBuffer
  /** Dates, timestamps and numerics as the server's text, not JavaScript values (the datastore's wire form). */
  readonly textTypes?: boolean
  readonly params?: readonly unknown[]
  /** For `stream`: statements run first, the statement repeated until it returns no row, and last. */
  readonly stream?: { readonly setup: readonly string[]; readonly repeat: string; readonly teardown: readonly string[] }
}

export interface WorkerReply {
  readonly id: number
  readonly rows?: unknown[]
  /** Names and type OIDs of the result's columns (queries asked with `textTypes`). */
  readonly fields?: { name: string; dataTypeID: number }[]
  readonly affectedRows?: number
  /** What a `COPY … TO '/dev/blob'` wrote, or the data folder (`dump`), as an uncompressed tarball. */
  readonly blob?: ArrayBuffer
  /** For `stream`: one batch of raw backend messages; more follow until `done`. */
  readonly chunk?: ArrayBuffer
  readonly done?: boolean
  readonly error?: { message: string; code?: string; detail?: string; constraint?: string; severity?: string }
}

const asText = (value: string) => value
/** date, timestamp, timestamptz, numeric: kept as the server writes them. */
const TEXT_PARSERS = { 1082: asText, 1114: asText, 1184: asText, 1700: asText }

/** Batches a stream may read ahead of the consumer. */
const STREAM_WINDOW = 2

const port = parentPort
if (!port) throw new Error('pglite-worker must run in a worker thread')
const { dataDir, loadDataDir, background, settings } = workerData as { dataDir: string | undefined; loadDataDir?: ArrayBuffer; background?: boolean; settings?: string }

if (background) {
  // Linux: this thread alone at the lowest priority (nice 19), so that the service's own threads
  // get the processor first whatever this store runs. Elsewhere it keeps the process's.
  try {
    setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 19)
  } catch {
    // No /proc (not Linux): nothing to lower.
  }
}

// A store started from a dumped data folder skips initdb (seconds): the users' SQL replica restarts so.
const ready =
  loadDataDir || settings
    ? PGlite.create({
        ...(dataDir ? { dataDir } : {}),
        ...(loadDataDir ? { loadDataDir: new Blob([loadDataDir]) } : {}),
        ...(settings ? { postgresqlconf: settings } : {}),
      })
    : PGlite.create(dataDir)
port.postMessage({ id: 0 } satisfies WorkerReply)

// Requests are answered strictly in order: PGlite is a single session. Credits of a running
// stream are not requests: they are taken at once.
let queue: Promise<void> = Promise.resolve()
const credits = new Map<number, () => void>()
let granted = 0
port.on('message', (request: WorkerRequest) => {
  if (request.kind === 'credit') {
    granted++
    credits.get(request.id)?.()
    return
  }
  queue = queue.then(() => handle(request))
})

/** Runs one simple query through the raw protocol, returning the backend's bytes. */
async function raw(pglite: PGlite, sql: string): Promise<Buffer> {
  const chunks: Uint8Array[] = []
  await pglite.execProtocolRawStream(simpleQuery(sql), { onRawData: (data) => void chunks.push(data.slice()) })
  const bytes = Buffer.concat(chunks)
  const error = firstError(bytes)
  if (error) throw Object.assign(new Error(error.message), { code: error.code })
  return bytes
}

function hasDataRow(bytes: Buffer): boolean {
  let at = 0
  while (at + 5 <= bytes.length) {
    if (bytes[at] === 0x44) return true
    at += 1 + bytes.readInt32BE(at + 1)
  }
  return false
}

/**
 * Streams the rows of a cursor as raw protocol bytes: no JavaScript value is built here, the
 * batches are handed over (transferred, not copied) and read ahead by at most `STREAM_WINDOW`.
 */
async function stream(pglite: PGlite, request: WorkerRequest): Promise<void> {
  const plan = request.stream
  if (!plan) throw new Error('stream request without a plan')
  granted = 0
  let sent = 0
  for (const sql of plan.setup) await raw(pglite, sql)
  try {
    for (;;) {
      const bytes = await raw(pglite, plan.repeat)
      if (!hasDataRow(bytes)) break
      const chunk = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
      port?.postMessage({ id: request.id, chunk } satisfies WorkerReply, [chunk])
      sent++
      while (sent - granted >= STREAM_WINDOW) {
        await new Promise<void>((resolve) => credits.set(request.id, resolve))
      }
    }
    for (const sql of plan.teardown) await raw(pglite, sql)
  } catch (error) {
    await raw(pglite, 'rollback').catch(() => undefined)
    throw error
  } finally {
    credits.delete(request.id)
  }
  port?.postMessage({ id: request.id, done: true } satisfies WorkerReply)
}

async function handle(request: WorkerRequest): Promise<void> {
  try {
    const pglite = await ready
    if (request.kind === 'close') {
      await pglite.close()
      port?.postMessage({ id: request.id } satisfies WorkerReply)
      port?.close()
      return
    }
    if (request.kind === 'stream') {
      await stream(pglite, request)
      return
    }
    if (request.kind === 'dump') {
      const blob = await (await pglite.dumpDataDir('none')).arrayBuffer()
      port?.postMessage({ id: request.id, blob } satisfies WorkerReply, [blob])
      return
    }
    if (request.kind === 'exec') {
      await pglite.exec(request.sql ?? '')
      port?.postMessage({ id: request.id } satisfies WorkerReply)
      return
    }
    const result = await pglite.query(request.sql ?? '', [...(request.params ?? [])], {
      ...(request.textTypes ? { parsers: TEXT_PARSERS } : {}),
      ...(request.blob ? { blob: new Blob([request.blob]) } : {}),
    })
    const blob = result.blob ? await result.blob.arrayBuffer() : undefined
    port?.postMessage({
      id: request.id,
      rows: result.rows,
      // Column types are for the datastore's reads (the text-typed lane), not every query.
      ...(request.textTypes ? { fields: result.fields.map((field) => ({ name: field.name, dataTypeID: field.dataTypeID })) } : {}),
      ...(result.affectedRows === undefined ? {} : { affectedRows: result.affectedRows }),
      ...(blob ? { blob } : {}),
    } satisfies WorkerReply, blob ? [blob] : [])
  } catch (error) {
    const failure = error as { message?: string; code?: string; detail?: string; constraint?: string; severity?: string }
    port?.postMessage({
      id: request.id,
      error: {
        message: failure.message ?? String(error),
        ...(failure.code === undefined ? {} : { code: failure.code }),
        ...(failure.detail === undefined ? {} : { detail: failure.detail }),
        ...(failure.constraint === undefined ? {} : { constraint: failure.constraint }),
        ...(failure.severity === undefined ? {} : { severity: failure.severity }),
      },
    } satisfies WorkerReply)
  }
}
