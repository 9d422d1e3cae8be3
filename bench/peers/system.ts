import { setTimeout } from 'node:timers/promises'
import type { BenchQuery, Outcome } from './model.js'

/** How a system searches misspelled keywords in the typo comparison. */
export type TypoMode = 'exact' | 'tolerant'

/** A query translated for one system, ready to run (translation is not timed). */
export interface PreparedQuery {
  run(): Outcome | Promise<Outcome>
  /** What of the query the system does not do itself (done by the bench, or left out): shown in the table. */
  readonly notes: readonly string[]
}

/** What building a system cost. */
export interface BuildReport {
  readonly ms: number
  /** Memory it holds, in MB, as the system can tell it (heap and RSS growth, or table and index size). */
  readonly memory: Readonly<Record<string, number>>
}

/** One of the compared systems. */
export interface SearchSystem {
  readonly name: string
  /** How misspelled keywords are searched when `tolerant`, for the typo table. */
  readonly typoSetting: string
  /** Translates a query; a string says why the system cannot express it. */
  prepare(query: BenchQuery, typo?: TypoMode): PreparedQuery | string
  close(): Promise<void>
}

/**
 * Process memory in MB after a collection (the bench runs with --expose-gc). Freed buffers leave
 * the external count once V8's sweeper has run: a pause and a second collection let it.
 */
export async function processMemory(): Promise<{ heapMB: number; rssMB: number; externalMB: number }> {
  globalThis.gc?.()
  await setTimeout(100)
  globalThis.gc?.()
  const usage = process.memoryUsage()
  const mb = (bytes: number) => +(bytes / 2 ** 20).toFixed(1)
  return { heapMB: mb(usage.heapUsed), rssMB: mb(usage.rss), externalMB: mb(usage.external) }
}

/** Builds something in-process and reports its time and the memory it added. */
export async function measuredBuild<T>(build: () => T | Promise<T>): Promise<{ value: T; report: BuildReport }> {
  const before = await processMemory()
  const started = performance.now()
  const value = await build()
  const ms = performance.now() - started
  const after = await processMemory()
  return {
    value,
    report: {
      ms,
      memory: {
        heapMB: +(after.heapMB - before.heapMB).toFixed(1),
        externalMB: +(after.externalMB - before.externalMB).toFixed(1),
        rssMB: +(after.rssMB - before.rssMB).toFixed(1),
      },
    },
  }
}
