/** The p-th percentile of sorted values (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN
}

/** p50, p99 and max of timings (ms), rounded to `digits`, with their number. */
export function latencySummary(values: readonly number[], digits = 2) {
  const sorted = [...values].sort((a, b) => a - b)
  const round = (value: number) => +value.toFixed(digits)
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? 0), samples: values.length }
}
