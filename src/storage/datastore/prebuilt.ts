/**
 * The shipped datasets prebuilt for the embedded store: each resource's rows in PostgreSQL's
 * binary COPY format, `_full_text` included (computed by the same engine), in pieces of
 * PIECE_ROWS rows. Built from `data/` by `openemploi datasets prebuild` (run by `npm run build`,
 * hence by `npm install` and `npm start`), never downloaded; a first start copies them in instead
 * of parsing the CSV files and stemming every text. A resource is read from them only when its
 * key matches: the same files (contents), definition, loader code and engine; otherwise it is
 * loaded from `data/` as always.
 *
 * A file `<id>.copy` is a sequence of pieces: rows (uint32 BE), length (uint32 BE), then that many
 * bytes of binary COPY input (header and trailer included).
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { ResourceDefinition } from '../../datasets/definition.js'
import type { CopyPiece } from '../load-session.js'
import { DATA_DIR } from '../../shared/data-dir.js'
import { TEXT_SEARCH_CONFIGS } from './resource-table.js'

/** Changes when the files' layout or what they hold changes. */
export const PREBUILT_FORMAT = 1
/** Rows of a piece: one COPY statement on the embedded store (a few hundred milliseconds at most). */
export const PIECE_ROWS = 25_000

/** Where `npm run build` writes them: beside the compiled code, never in the npm package. */
export const PREBUILT_DIR = new URL('../dist/prebuilt-datasets/', DATA_DIR)

/** What the folder holds. */
export interface PrebuiltManifest {
  readonly format: number
  /** `select version()` of the engine that built them: the full text is that engine's. */
  readonly engine: string
  /** Hash of the code that reads the files and builds the rows (definitions, cell checks, full text). */
  readonly code: string
  readonly resources: Readonly<Record<string, { readonly key: string; readonly rows: number; readonly bytes: number }>>
}

const codeFiles = [new URL('../../datasets/', import.meta.url), new URL('./resource-table.', import.meta.url), new URL('./copy-text.', import.meta.url)]

/** Hash of the code the rows depend on, as it runs (the compiled files, or the sources under tsx). */
export function codeHash(): string {
  const hash = createHash('sha256')
  const add = (path: string) => hash.update(path.slice(path.lastIndexOf('/'))).update(readFileSync(path))
  for (const url of codeFiles) {
    const path = fileURLToPath(url)
    if (path.endsWith('/')) {
      const walk = (folder: string) => {
        for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
          const child = `${folder}${entry.name}`
          if (entry.isDirectory()) walk(`${child}/`)
          else if (/\.(js|ts)$/.test(entry.name) && !/\.test\.(js|ts)$/.test(entry.name)) add(child)
        }
      }
      walk(path)
    } else {
      for (const extension of ['js', 'ts']) if (existsSync(`${path}${extension}`)) add(`${path}${extension}`)
    }
  }
  return hash.digest('hex')
}

const fileHashes = new Map<string, string>()

function fileHash(file: URL): string {
  let hash = fileHashes.get(file.href)
  if (hash === undefined) {
    hash = existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'missing'
    fileHashes.set(file.href, hash)
  }
  return hash
}

/** The resources a view's SELECT reads (`{{id}}`), the offers excepted. */
export function viewSources(select: string): string[] {
  return [...select.matchAll(/\{\{([^}]+)\}\}/g)].map((match) => (match[1] ?? '').trim()).filter((name) => name !== 'offers')
}

/**
 * The key of a resource's prebuilt rows: its definition and files' contents; for a view, its
 * SELECT and the keys of the resources it reads. Undefined for live resources (never prebuilt).
 */
export function prebuiltKey(resource: ResourceDefinition, all: ReadonlyMap<string, ResourceDefinition>, dataDir: URL = DATA_DIR): string | undefined {
  // The text search configurations are values from outside the hashed code (the languages of `q`).
  const hash = createHash('sha256').update(JSON.stringify({ format: PREBUILT_FORMAT, textSearch: TEXT_SEARCH_CONFIGS, id: resource.id, version: resource.peVersion, fields: resource.fields }))
  if (resource.kind === 'file') {
    hash.update(JSON.stringify({ rows: resource.expectedRows, files: resource.provenance.files.map((file) => [file, fileHash(new URL(file, dataDir))]) }))
    return hash.digest('hex')
  }
  if (resource.live) return undefined
  const sources = viewSources(resource.select).map((id) => {
    const source = all.get(id)
    return source ? prebuiltKey(source, all, dataDir) : undefined
  })
  if (sources.some((key) => key === undefined)) return undefined
  return hash.update(JSON.stringify({ select: resource.select, sources })).digest('hex')
}

/** The manifest of a folder of prebuilt rows, or undefined. */
export function readManifest(folder: URL = PREBUILT_DIR): PrebuiltManifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(new URL('manifest.json', folder), 'utf8')) as PrebuiltManifest
    return manifest.format === PREBUILT_FORMAT ? manifest : undefined
  } catch {
    return undefined
  }
}

/** The pieces of a prebuilt file, read one at a time (each into a buffer of its own). */
export async function* readPieces(file: URL): AsyncGenerator<CopyPiece> {
  const handle = await open(file, 'r')
  try {
    const head = Buffer.alloc(8)
    let position = 0
    for (;;) {
      const { bytesRead } = await handle.read(head, 0, 8, position)
      if (bytesRead === 0) return
      if (bytesRead < 8) throw new Error(`${fileURLToPath(file)}: truncated`)
      const rows = head.readUInt32BE(0)
      const length = head.readUInt32BE(4)
      const bytes = new Uint8Array(length)
      const read = await handle.read(bytes, 0, length, position + 8)
      if (read.bytesRead < length) throw new Error(`${fileURLToPath(file)}: truncated`)
      position += 8 + length
      yield { bytes, rows }
    }
  } finally {
    await handle.close()
  }
}

/** One piece as stored in a prebuilt file. */
export function framePiece(rows: number, bytes: Uint8Array): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(rows, 0)
  head.writeUInt32BE(bytes.byteLength, 4)
  return Buffer.concat([head, bytes])
}

/**
 * Prebuilt rows of the embedded store, found once per process: a resource is served from them
 * when the folder was built by this engine and this code, and the resource's key matches.
 */
export class PrebuiltRows {
  private manifest: PrebuiltManifest | undefined | null = null

  constructor(
    private readonly engine: () => Promise<string>,
    private readonly folder: URL = PREBUILT_DIR,
  ) {}

  private async usable(): Promise<PrebuiltManifest | undefined> {
    if (this.manifest === null) {
      const manifest = readManifest(this.folder)
      this.manifest = manifest && manifest.code === codeHash() && manifest.engine === (await this.engine()) ? manifest : undefined
    }
    return this.manifest
  }

  /** The pieces and row count of a resource, when its prebuilt rows are current. */
  async find(resource: ResourceDefinition, all: ReadonlyMap<string, ResourceDefinition>, dataDir: URL): Promise<{ pieces: () => AsyncIterable<CopyPiece>; rows: number } | undefined> {
    const manifest = await this.usable()
    const entry = manifest?.resources[resource.id]
    if (!entry || entry.key !== prebuiltKey(resource, all, dataDir)) return undefined
    const file = new URL(`${resource.id}.copy`, this.folder)
    if (!existsSync(file)) return undefined
    return { pieces: () => readPieces(file), rows: entry.rows }
  }
}
