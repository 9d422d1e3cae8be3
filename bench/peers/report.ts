import { latencySummary } from '../stats.js'
import type { BenchQuery } from './model.js'
import type { BuildReport, PreparedQuery, SearchSystem } from './system.js'

/** One system's part of a run: its build, its translated queries, its timings per query. */
export interface SystemRun {
  readonly system: SearchSystem
  readonly build: BuildReport
  /** Per query of the mix: the translation, or why the system cannot express it. */
  readonly prepared: readonly (PreparedQuery | string)[]
  /** Per query of the mix: the measured timings (ms). */
  readonly timings: number[][]
}

/** How a system's answer differed from ours on one query. */
export interface Mismatch {
  readonly system: string
  readonly query: string
  readonly ours: number
  readonly theirs: number
  readonly facetsDiffer: boolean
}

/** One system's typo recall on the misspelled queries. */
export interface TypoRecall {
  readonly system: string
  readonly setting: string
  readonly queries: number
  /** Share (%) of misspelled queries whose total equals the system's own total for the original. */
  readonly recallPercent: number | undefined
  readonly latency: ReturnType<typeof latencySummary> | undefined
  /** How many of the issue's four examples (infirmeir, devloppeur…) found the original's total. */
  readonly issueExamples: string
  readonly unavailable?: string
}

const cell = (values: readonly number[]) => {
  if (values.length === 0) return 'n/a'
  const { p50, p99 } = latencySummary(values)
  return `${p50} / ${p99}`
}

/** Markdown tables of a run: latency per kind, build and memory, differences of totals, typo recall. */
export function renderReport(options: {
  readonly offers: number
  readonly rounds: number
  readonly queries: readonly BenchQuery[]
  readonly runs: readonly SystemRun[]
  readonly mismatches: readonly Mismatch[]
  readonly typos: readonly TypoRecall[]
}): string {
  const { queries, runs } = options
  const kinds = [...new Set(queries.map((query) => query.kind))]
  const lines: string[] = []
  const legend = new Map<string, string>()
  const mark = (note: string) => {
    if (!legend.has(note)) legend.set(note, String.fromCharCode(97 + legend.size))
    return legend.get(note) ?? ''
  }
  lines.push(`| kind (queries) | ${runs.map((run) => run.system.name).join(' | ')} |`)
  lines.push(`|---|${runs.map(() => '---').join('|')}|`)
  for (const kind of [...kinds, 'all']) {
    const members = queries.flatMap((query, at) => (kind === 'all' || query.kind === kind ? [at] : []))
    const cells = runs.map((run) => {
      const timings = members.flatMap((at) => run.timings[at] ?? [])
      const notes = new Set(members.flatMap((at) => {
        const prepared = run.prepared[at]
        return typeof prepared === 'string' ? [`cannot express: ${prepared}`] : [...(prepared?.notes ?? [])]
      }))
      const marks = kind === 'all' ? '' : [...notes].map(mark).sort().join(',')
      const unsupported = members.filter((at) => typeof run.prepared[at] === 'string').length
      return `${cell(timings)}${marks ? ` (${marks})` : ''}${unsupported > 0 ? ` [${unsupported} n/a]` : ''}`
    })
    lines.push(`| ${kind} (${members.length}) | ${cells.join(' | ')} |`)
  }
  lines.push('', 'p50 / p99 in ms over the rounds. Notes: what the system does not do itself:')
  for (const [note, letter] of legend) lines.push(`- (${letter}) ${note}`)

  lines.push('', `| build (${options.offers.toLocaleString('en')} offers) | time | memory |`, '|---|---|---|')
  for (const run of runs) {
    const memory = Object.entries(run.build.memory).map(([name, value]) => `${name.replace(/MB$/, '')} ${value} MB`).join(', ')
    lines.push(`| ${run.system.name} | ${(run.build.ms / 1000).toFixed(1)} s | ${memory} |`)
  }

  lines.push('', `Totals and facets compared with ours on the ${queries.length} queries:`)
  const bySystem = new Map<string, Mismatch[]>()
  for (const mismatch of options.mismatches) bySystem.set(mismatch.system, [...(bySystem.get(mismatch.system) ?? []), mismatch])
  for (const run of runs.slice(1)) {
    const found = bySystem.get(run.system.name) ?? []
    if (found.length === 0) lines.push(`- ${run.system.name}: every total and facet equal to ours`)
    else {
      lines.push(`- ${run.system.name}: ${found.length} differ`)
      for (const item of found) {
        lines.push(`  - \`${item.query || '(none)'}\`: ours ${item.ours}, ${item.theirs}${item.facetsDiffer ? ' (facets differ)' : ''}`)
      }
    }
  }

  if (options.typos.length > 0) {
    lines.push(
      '',
      '| typo recall | setting | misspelled queries | total = its own total for the original | the issue\'s 4 examples | p50 / p99 ms |',
      '|---|---|---|---|---|---|',
    )
    for (const item of options.typos) {
      const recall = item.recallPercent === undefined ? (item.unavailable ?? 'n/a') : `${item.recallPercent} %`
      const latency = item.latency ? `${item.latency.p50} / ${item.latency.p99}` : 'n/a'
      lines.push(`| ${item.system} | ${item.setting} | ${item.queries} | ${recall} | ${item.issueExamples} | ${latency} |`)
    }
  }
  return lines.join('\n')
}
