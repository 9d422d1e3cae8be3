/**
 * `openemploi datasets prebuild`: writes the prebuilt rows of the shipped datasets (see
 * prebuilt.ts) from `data/`, in an embedded store of its own in memory: each file resource's
 * rows checked and copied in as a load does, counted, its full text computed by the engine, then
 * copied out in binary pieces; views over them computed the same way. Resources whose key did
 * not change are kept as they are.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import type { PackageDefinition, ResourceDefinition } from '../../datasets/definition.js'
import { DATA_DIR } from '../../shared/data-dir.js'
import { PGliteClient } from '../pglite-client.js'
import { copyTextPieces } from './copy-text.js'
import { codeHash, framePiece, PIECE_ROWS, PREBUILT_DIR, PREBUILT_FORMAT, prebuiltKey, readManifest, viewSources, type PrebuiltManifest } from './prebuilt.js'
import { resolveSelect } from './resource-loader.js'
import { createTableSql, DatasetLoadError, quoteIdent, rowColumns } from './resource-table.js'

/** What a prebuild did. */
export interface PrebuildReport {
  readonly built: readonly string[]
  readonly kept: readonly string[]
  readonly rows: number
  readonly bytes: number
}

/** Fills a table in the builder's store; @returns its rows. */
async function fill(pglite: PGliteClient, resource: ResourceDefinition, dataDir: URL): Promise<number> {
  await pglite.exec(createTableSql(resource.id, resource.fields, 'computed'))
  const table = quoteIdent(resource.id)
  if (resource.kind === 'view') {
    const columns = resource.fields.map((field) => quoteIdent(field.id)).join(', ')
    const result = await pglite.query(`insert into ${table} ("_id", ${columns}) select row_number() over (), ${columns} from (${resolveSelect(resource.select)}) s`)
    return result.affectedRows ?? 0
  }
  let rows = 0
  for await (const piece of copyTextPieces(resource.fields, resource.rows(dataDir))) {
    await pglite.query(`copy ${table} (${rowColumns(resource.fields)}) from '/dev/blob'`, [], { blob: new Uint8Array(piece.bytes).buffer })
    rows += piece.rows
  }
  if (rows !== resource.expectedRows) throw new DatasetLoadError(`${resource.name} (${resource.id}): ${rows} rows read, ${resource.expectedRows} expected.`)
  return rows
}

/** Copies a table out in pieces of PIECE_ROWS rows into `<id>.copy` (written aside, then renamed). */
async function write(pglite: PGliteClient, id: string, rows: number, folder: URL): Promise<number> {
  const file = new URL(`${id}.copy`, folder)
  const partial = new URL(`${id}.copy.partial`, folder)
  const handle = await open(partial, 'w')
  let bytes = 0
  try {
    for (let from = 0; from < rows; from += PIECE_ROWS) {
      const result = await pglite.query(`copy (select * from ${quoteIdent(id)} where "_id" > ${from} and "_id" <= ${from + PIECE_ROWS} order by "_id") to '/dev/blob' with (format binary)`)
      if (!result.blob) throw new Error(`COPY of ${id} wrote nothing`)
      const piece = framePiece(Math.min(PIECE_ROWS, rows - from), new Uint8Array(result.blob))
      await handle.write(piece)
      bytes += piece.byteLength
    }
  } finally {
    await handle.close()
  }
  renameSync(partial, file)
  return bytes
}

/**
 * Writes what is missing or stale in the folder of prebuilt rows for these packages.
 * @param log told of each resource built
 */
export async function prebuildDatasets(
  packages: readonly PackageDefinition[],
  options: { dataDir?: URL; folder?: URL; log?: (message: string) => void } = {},
): Promise<PrebuildReport> {
  const dataDir = options.dataDir ?? DATA_DIR
  const folder = options.folder ?? PREBUILT_DIR
  const all = new Map(packages.flatMap((pkg) => pkg.resources.map((resource) => [resource.id, resource] as const)))
  const keys = new Map([...all.values()].flatMap((resource) => {
    const key = prebuiltKey(resource, all, dataDir)
    return key === undefined ? [] : [[resource.id, key] as const]
  }))
  const code = codeHash()
  const previous = readManifest(folder)
  mkdirSync(folder, { recursive: true })
  const pglite = await PGliteClient.openInMemory()
  try {
    const engine = String((await pglite.query<{ version: string }>('select version() as version')).rows[0]?.version)
    const reusable = previous?.engine === engine && previous.code === code ? previous.resources : {}
    const present = new Set(readdirSync(folder))
    const stale = new Set([...keys.keys()].filter((id) => reusable[id]?.key !== keys.get(id) || !present.has(`${id}.copy`)))
    // A view is computed from its sources: they are filled in the builder's store even when kept.
    const needed = new Set([...stale].flatMap((id) => {
      const resource = all.get(id)
      return resource?.kind === 'view' ? [...viewSources(resource.select), id] : [id]
    }))
    const resources: Record<string, PrebuiltManifest['resources'][string]> = {}
    for (const [id, entry] of Object.entries(reusable)) if (keys.get(id) === entry.key && !stale.has(id)) resources[id] = entry
    const ordered = [...all.values()].filter((resource) => needed.has(resource.id)).sort((a, b) => Number(a.kind === 'view') - Number(b.kind === 'view'))
    let rowsTotal = 0
    let bytesTotal = 0
    for (const resource of ordered) {
      const started = Date.now()
      const rows = await fill(pglite, resource, dataDir)
      if (!stale.has(resource.id)) continue
      const bytes = await write(pglite, resource.id, rows, folder)
      resources[resource.id] = { key: keys.get(resource.id) ?? '', rows, bytes }
      rowsTotal += rows
      bytesTotal += bytes
      options.log?.(`${resource.id}\t${rows} rows\t${Math.round(bytes / 1024)} KiB\t${Date.now() - started} ms\t${resource.name}`)
    }
    const manifest: PrebuiltManifest = { format: PREBUILT_FORMAT, engine, code, resources }
    writeFileSync(new URL('manifest.json.partial', folder), `${JSON.stringify(manifest, null, 2)}\n`)
    renameSync(new URL('manifest.json.partial', folder), new URL('manifest.json', folder))
    for (const name of readdirSync(folder)) {
      if (name !== 'manifest.json' && !(name.endsWith('.copy') && name.slice(0, -'.copy'.length) in resources)) rmSync(new URL(name, folder), { force: true })
    }
    return { built: [...stale], kept: Object.keys(resources).filter((id) => !stale.has(id)), rows: rowsTotal, bytes: bytesTotal }
  } finally {
    await pglite.terminate()
  }
}
