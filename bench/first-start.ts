/**
 * `npm run bench:first-start`: the first start of the compiled server on a fresh store, as
 * `npm start` does it (demo offers on, every dataset), timed from the outside. Each run starts
 * `node bin/openemploi.js serve` as a child on a fresh DATA_DIR (or a fresh PostgreSQL schema),
 * reads its JSON log, and polls `/health` and `/health/ready` on 127.0.0.1 every 100 ms until
 * every dataset is served (and, when the server tells it, indexed); then stops it with SIGTERM.
 *
 * Times from the spawn: the server listening, `/health` 200 (offers served), every dataset
 * served, every dataset indexed; the figure of the issue is "every dataset served" minus
 * `/health`. Rows are those the log reports loaded; peak RSS is the child's VmHWM, CPU seconds
 * its user + system time from /proc (Linux): on a machine shared with other work, the CPU time
 * from `/health` to "served" is what the load costs, whatever the wall time.
 *
 * Options (environment): BENCH_RUNS (default 3), BENCH_DATABASE_URL (PostgreSQL; a schema of its
 * own per run, dropped after), DEMO_OFFERS (default 20,000, as `npm start`), BENCH_TIMEOUT_S (per
 * run, default 900), BENCH_LOG (a file: the servers' log lines are appended to it). Every wait is
 * bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import type { DatasetProgress } from '../src/domain/datastore/load-progress.js'
import { createBenchSchema } from './pg-schema.js'

const runs = Number(process.env.BENCH_RUNS ?? 3)
const databaseUrl = process.env.BENCH_DATABASE_URL
const timeoutMs = Number(process.env.BENCH_TIMEOUT_S ?? 900) * 1000
const root = new URL('..', new URL('..', import.meta.url))
const log = (message: string) => process.stderr.write(`[bench:first-start] ${message}\n`)

interface Run {
  listenS: number
  healthS: number
  servedS: number | undefined
  indexedS: number | undefined
  servedAfterHealthS: number | undefined
  /** CPU seconds of the server (all its threads) from /health to every dataset served, and to every index built. */
  cpuServedS: number | undefined
  cpuIndexedS: number | undefined
  rows: number
  resources: number
  rowsPerSecond: number | undefined
  peakRssMB: number | undefined
  loadAverage: number
}

/** What `/health/ready` says of the datasets (absent fields while the server is still starting). */
type DatasetsState = Partial<DatasetProgress>

async function getJson(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) })
  return { status: response.status, body: await response.json().catch(() => undefined) }
}

/** CPU seconds (user + system, every thread) a process has used (Linux), or undefined. */
function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return undefined
  }
}

/** VmHWM of a process, in MB (Linux), or undefined. */
function peakRss(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Math.round(Number(match[1]) / 1024) : undefined
  } catch {
    return undefined
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  await exited
  clearTimeout(timer)
}

async function once(index: number): Promise<Run> {
  const folder = mkdtempSync(join(tmpdir(), 'openemploi-first-start-'))
  const name = `bench_first_start_${process.pid}_${index}`
  const schema = databaseUrl ? await createBenchSchema(databaseUrl, name, { applicationName: name }) : undefined
  const url = schema?.url
  const loadAverage = loadavg()[0] ?? 0
  const started = performance.now()
  const since = () => (performance.now() - started) / 1000
  const child = spawn(process.execPath, [new URL('bin/openemploi.js', root).pathname, 'serve'], {
    cwd: root.pathname,
    env: {
      ...process.env,
      DATA_DIR: folder,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DEMO_OFFERS: process.env.DEMO_OFFERS ?? '20000',
      DATASETS: 'all',
      ...(url ? { DATABASE_URL: url } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let base: string | undefined
  let listenS = 0
  let rows = 0
  let resources = 0
  let failure: string | undefined
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (process.env.BENCH_LOG) appendFileSync(process.env.BENCH_LOG, `${line}\n`)
    let entry: { msg?: string; url?: string; rows?: number; level?: number }
    try {
      entry = JSON.parse(line) as typeof entry
    } catch {
      return
    }
    if (entry.msg?.startsWith('serving') && entry.url) {
      base = entry.url
      listenS = since()
    }
    if (entry.msg === 'dataset resource loaded') {
      resources++
      rows += entry.rows ?? 0
    }
    if ((entry.level ?? 0) >= 50) failure = line
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let healthS: number | undefined
  let servedS: number | undefined
  let indexedS: number | undefined
  let peakRssMB: number | undefined
  let cpuAtHealth: number | undefined
  let cpuAtServed: number | undefined
  let cpuAtIndexed: number | undefined
  try {
    for (;;) {
      if (failure) throw new Error(`the server logged an error: ${failure}`)
      if (child.exitCode !== null) throw new Error(`the server stopped (exit code ${await exited})`)
      if (performance.now() - started > timeoutMs) throw new Error(`not done within ${timeoutMs / 1000} s`)
      if (base) {
        if (healthS === undefined && (await getJson(`${base}/health`).catch(() => ({ status: 0 }))).status === 200) {
          healthS = since()
          cpuAtHealth = cpuSeconds(child.pid)
        }
        if (healthS !== undefined) {
          const ready = await getJson(`${base}/health/ready`).catch(() => undefined)
          const datasets = (ready?.body as { datasets?: DatasetsState } | undefined)?.datasets
          const served = datasets?.state !== undefined ? datasets.state !== 'loading' : datasets?.loaded === datasets?.total && datasets?.loading === undefined
          if (servedS === undefined && datasets && served) {
            servedS = since()
            cpuAtServed = cpuSeconds(child.pid)
          }
          // Servers that do not tell when their indexes are built are done once every dataset is served.
          if (servedS !== undefined && (datasets?.indexed ?? true)) {
            indexedS = since()
            cpuAtIndexed = cpuSeconds(child.pid)
            break
          }
        }
      }
      peakRssMB = peakRss(child.pid) ?? peakRssMB
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    peakRssMB = peakRss(child.pid) ?? peakRssMB
  } finally {
    await stop(child)
    rmSync(folder, { recursive: true, force: true })
    await schema?.drop()
  }
  const servedAfterHealthS = servedS !== undefined && healthS !== undefined ? servedS - healthS : undefined
  return {
    listenS: round(listenS),
    healthS: round(healthS ?? 0),
    servedS: servedS === undefined ? undefined : round(servedS),
    indexedS: indexedS === undefined ? undefined : round(indexedS),
    servedAfterHealthS: servedAfterHealthS === undefined ? undefined : round(servedAfterHealthS),
    cpuServedS: cpuAtServed !== undefined && cpuAtHealth !== undefined ? round(cpuAtServed - cpuAtHealth) : undefined,
    cpuIndexedS: cpuAtIndexed !== undefined && cpuAtHealth !== undefined ? round(cpuAtIndexed - cpuAtHealth) : undefined,
    rows,
    resources,
    rowsPerSecond: servedAfterHealthS ? Math.round(rows / servedAfterHealthS) : undefined,
    peakRssMB,
    loadAverage: round(loadAverage),
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10
}

function median(values: readonly number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return undefined
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : round(((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2)
}

const results: Run[] = []
for (let index = 0; index < runs; index++) {
  log(`run ${index + 1} of ${runs} (load average ${loadavg()[0]?.toFixed(2)})`)
  const run = await once(index)
  log(JSON.stringify(run))
  results.push(run)
}
const p50 = (key: keyof Run) => median(results.flatMap((run) => (typeof run[key] === 'number' ? [run[key]] : [])))
process.stdout.write(
  `${JSON.stringify(
    {
      machine: { cpus: cpus().length, model: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version },
      store: databaseUrl ? 'postgres' : 'pglite',
      demoOffers: Number(process.env.DEMO_OFFERS ?? 20000),
      p50: {
        listenS: p50('listenS'),
        healthS: p50('healthS'),
        servedS: p50('servedS'),
        servedAfterHealthS: p50('servedAfterHealthS'),
        indexedS: p50('indexedS'),
        cpuServedS: p50('cpuServedS'),
        cpuIndexedS: p50('cpuIndexedS'),
        rowsPerSecond: p50('rowsPerSecond'),
        peakRssMB: p50('peakRssMB'),
      },
      runs: results,
    },
    null,
    2,
  )}\n`,
)
