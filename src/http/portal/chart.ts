import type { DailyCalls } from '../../domain/usage/usage.js'
import { html, type SafeHtml } from './html.js'

const LONG_DAY = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
const SHORT_DAY = new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', timeZone: 'UTC' })
const NUMBER = new Intl.NumberFormat('fr-FR')

/** « 12 juin 2026 » for `2026-06-12`. */
export function longDay(day: string): string {
  return LONG_DAY.format(new Date(`${day}T00:00:00Z`))
}

/** « 0 appel », « 1 appel », « 1 234 appels ». */
export function callsLabel(calls: number): string {
  return `${NUMBER.format(calls)} ${calls >= 2 ? 'appels' : 'appel'}`
}

/**
 * The calls of each of `days` (oldest first), summed over the rows of that day (one per API);
 * a day without a row counts 0.
 */
export function dailyTotals(rows: readonly DailyCalls[], days: readonly string[]): DailyCalls[] {
  const totals = new Map<string, number>()
  for (const row of rows) totals.set(row.day, (totals.get(row.day) ?? 0) + row.calls)
  return days.map((day) => ({ day, calls: totals.get(day) ?? 0 }))
}

/** The smallest 1, 2 or 5 × 10ⁿ at least `value` (at least 1): a round top for the axis. */
export function niceCeiling(value: number): number {
  if (value <= 1) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= value) return step * power
  }
  return 10 * power
}

const HEIGHT = 180
/** Width of the axis's labels, in CSS pixels. */
const AXIS = 56
const TOP = 12
const BOTTOM = 28
/** Labels are 12 CSS pixels high on every screen: the SVGs have no viewBox to scale them down. */
const FONT_SIZE = 12
const BAR_COLOUR = '#000091'
const GRID_COLOUR = '#dddddd'

/**
 * Calls per day as an inline SVG bar chart, server-rendered (no script), followed by the same
 * figures as a table. The plot is one image for assistive technologies (`role="img"`, named by
 * its `<title>` and described by its `<desc>` with the total and the busiest day; the visible
 * caption repeats the description, hidden from assistive technologies that already heard it); the
 * table, in a native disclosure that works without script, gives every figure.
 *
 * The drawing is in CSS pixels, not scaled to the screen: heights and labels are fixed, the bars'
 * abscissae are percentages of the plot's width, and the axis's labels are a second, narrow SVG
 * beside it (portail.css lays them out), so that a phone shows 12 px labels like a laptop.
 */
export function dailyCallsChart(days: readonly DailyCalls[], options: { id: string; title: string }): SafeHtml {
  const { id, title } = options
  const total = days.reduce((sum, day) => sum + day.calls, 0)
  const busiest = days.reduce<DailyCalls | undefined>((best, day) => (best && best.calls >= day.calls ? best : day), undefined)
  const first = days[0]
  const last = days[days.length - 1]
  const period = first && last ? `du ${longDay(first.day)} au ${longDay(last.day)}` : 'aucune journée'
  const description =
    total === 0 || !busiest
      ? `Aucun appel ${period}.`
      : `${callsLabel(total)} au total ${period} ; au plus ${callsLabel(busiest.calls)} le ${longDay(busiest.day)}.`

  const top = niceCeiling(busiest?.calls ?? 0)
  const plotHeight = HEIGHT - TOP - BOTTOM
  const slot = 100 / Math.max(days.length, 1)
  const barWidth = slot * 0.7
  const y = (calls: number) => TOP + plotHeight - (calls / top) * plotHeight
  // Call counts are whole: no tick at half of an odd top.
  const ticks = top % 2 === 0 ? [0, top / 2, top] : [0, top]
  const labels = ticks.map(
    (value) => html`<text x="${AXIS - 6}" y="${fixed(y(value) + 4)}" text-anchor="end" font-size="${FONT_SIZE}" fill="currentColor">${NUMBER.format(value)}</text>`,
  )
  const grid = ticks.map(
    (value) => html`<line x1="0" x2="100%" y1="${fixed(y(value))}" y2="${fixed(y(value))}" stroke="${GRID_COLOUR}" stroke-width="1"/>`,
  )
  const bars = days.map((day, index) => {
    const x = index * slot + (slot - barWidth) / 2
    const height = (day.calls / top) * plotHeight
    // One date a week, counted back from today's, so that the last bar is always dated.
    const label = (days.length - 1 - index) % 7 === 0
    return html`<g>${
      day.calls > 0
        ? html`<rect x="${percent(x)}" y="${fixed(y(day.calls))}" width="${percent(barWidth)}" height="${fixed(height)}" fill="${BAR_COLOUR}"><title>${longDay(day.day)} : ${callsLabel(day.calls)}</title></rect>`
        : null
    }${
      label
        ? html`<text x="${percent(x + barWidth / 2)}" y="${HEIGHT - 8}" text-anchor="middle" font-size="${FONT_SIZE}" fill="currentColor">${SHORT_DAY.format(new Date(`${day.day}T00:00:00Z`))}</text>`
        : null
    }</g>`
  })

  return html`<figure class="fr-m-0">
<div class="oe-chart__frame">
<svg class="oe-chart__axis" aria-hidden="true" focusable="false" width="${AXIS}" height="${HEIGHT}" xmlns="http://www.w3.org/2000/svg">
${labels}
</svg>
<svg id="${id}" class="oe-chart__plot" role="img" aria-labelledby="${id}-titre ${id}-desc" width="100%" height="${HEIGHT}" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-titre">${title}</title>
<desc id="${id}-desc">${description}</desc>
${grid}
${bars}
</svg>
</div>
<figcaption class="fr-text--sm fr-mt-1w" aria-hidden="true">${description}</figcaption>
</figure>
<details class="fr-mt-2w">
<summary>Afficher les chiffres du graphique</summary>
<div class="fr-table fr-table--sm fr-mt-2w">
<div class="fr-table__wrapper"><div class="fr-table__container"><div class="fr-table__content">
<table id="${id}-donnees">
<caption>${title}</caption>
<thead><tr><th scope="col">Jour</th><th scope="col">Appels</th></tr></thead>
<tbody>
${days.map((day) => html`<tr><th scope="row">${longDay(day.day)}</th><td>${NUMBER.format(day.calls)}</td></tr>`)}
</tbody>
</table>
</div></div></div>
</div>
</details>`
}

function fixed(value: number): string {
  return String(Math.round(value * 10) / 10)
}

function percent(value: number): string {
  return `${Math.round(value * 100) / 100}%`
}
