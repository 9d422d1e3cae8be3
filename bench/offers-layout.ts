/**
 * The cost of the live `offres` tables: their first fill (what a first start pays, each resource
 * apart) over BENCH_OFFERS generated offers (default 20,000), then a refresh after deposits and
 * after closures (what the next read pays). Embedded store, or PostgreSQL with BENCH_DATABASE_URL.
 * BENCH_BEFORE=1 leaves out the original's layout and what reads it (the package before issue 13).
 *
 *   npm run bench:offers-layout
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { offresPackage } from '../src/datasets/packages/offres.js'
import { DATA_DIR } from '../src/shared/data-dir.js'
import { openDatabase } from '../src/storage/database.js'
import { SqlDatastore } from '../src/storage/datastore/sql-datastore.js'
import { openUserSql } from '../src/storage/datastore/open-user-sql.js'
import { loadReferentials } from '../src/storage/reference-data.js'
import { SqlOffersRepository } from '../src/storage/sql-offers.repository.js'
import { importGeneratedOffers } from './demo-offers.js'
import { createBenchSchema } from './pg-schema.js'

const offerCount = Number(process.env.BENCH_OFFERS ?? 20_000)
const changed = Number(process.env.BENCH_CHANGED ?? 100)
const databaseUrl = process.env.BENCH_DATABASE_URL
const before = process.env.BENCH_BEFORE === '1'
const measured = before ? { ...offresPackage, resources: offresPackage.resources.filter((resource) => !['OFFRES_EMPLOI', 'IMT_TYPES_CONTRATS'].includes(resource.peSource)) } : offresPackage
const log = (message: string) => process.stderr.write(`[bench:offers-layout] ${message}\n`)

const folder = mkdtempSync(join(tmpdir(), 'openemploi-bench-layout-'))
const schema = databaseUrl ? await createBenchSchema(databaseUrl, `bench_layout_${process.pid}`) : undefined
const database = await openDatabase(schema ? { url: schema.url, dataDir: folder } : { dataDir: join(folder, 'store') })
try {
  const referentials = loadReferentials()
  const imported = (count: number, seed: string) => importGeneratedOffers(database, referentials, count, seed)
  const repository = new SqlOffersRepository(database.db, database.streamRows)
  log(`importing ${offerCount} generated offers`)
  await imported(offerCount, 'bench-layout')
  const store = new SqlDatastore(database, openUserSql(database, schema?.url))
  const fills: Record<string, number> = {}
  let last = performance.now()
  await store.syncShipped([measured], DATA_DIR, {
    started: () => {
      last = performance.now()
    },
    loaded: (resource) => {
      fills[`${resource.name} (${resource.fields.length} columns)`] = Math.round(performance.now() - last)
    },
  })
  const timed = async (work: () => Promise<unknown>) => {
    const started = performance.now()
    await work()
    return Math.round(performance.now() - started)
  }
  await imported(changed, 'bench-layout-deposits')
  const afterDeposits = await timed(() => store.refreshLive())
  const { rows } = await database.readQuery(`select id from offers where status = 'active' order by seq desc limit ${changed}`, [], { timeoutMs: 10_000 })
  await repository.close(rows.map((row) => String(row.id)), 'pourvue')
  const afterClosures = await timed(() => store.refreshLive())
  process.stdout.write(
    `${JSON.stringify(
      {
        machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
        store: database.kind,
        resources: measured.resources.map((resource) => resource.name),
        offers: offerCount,
        firstFillMs: fills,
        refreshMs: { [`${changed} new offers`]: afterDeposits, [`${changed} closed offers`]: afterClosures },
      },
      null,
      2,
    )}\n`,
  )
} finally {
  await database.close()
  rmSync(folder, { recursive: true, force: true })
  await schema?.drop()
}
