import type { CatalogueApi } from '../../domain/access/catalogue.schema.js'
import type { DailyCalls } from '../../domain/usage/usage.js'
import { apiFacts, apiHref, apiTitle, PORTAL_BASE, type ApiDocsLinks } from '../portal/api-summary.js'
import { dailyCallsChart } from '../portal/chart.js'
import { html, type SafeHtml } from '../portal/html.js'
import { layout, table, type Viewer } from '../portal/layout.js'

const NUMBER = new Intl.NumberFormat('fr-FR')
/** The periods the form offers (any other `jours` the JSON accepts is added to them). */
const PERIODS = [7, 30, 90, 365] as const

/** One API and its calls per day over the period, oldest first. */
export interface ApiCalls {
  readonly api: CatalogueApi
  readonly days: readonly DailyCalls[]
}

/** « sur les 30 derniers jours », « sur le dernier jour ». */
export function periodLabel(days: number): string {
  return days === 1 ? 'sur le dernier jour' : `sur les ${NUMBER.format(days)} derniers jours`
}

/** Pages outside the portal's prefix, in its layout, for a visitor it does not know. */
function viewerOf(path: string): Viewer {
  return { base: PORTAL_BASE, path, account: undefined, csrf: '' }
}

function apiChart(entry: ApiCalls, period: number): SafeHtml {
  return dailyCallsChart(entry.days, { id: `appels-${entry.api.id}`, title: `Appels par jour de l’API ${apiTitle(entry.api)}, ${periodLabel(period)}` })
}

function periodForm(days: number): SafeHtml {
  const periods = [...new Set<number>([...PERIODS, days])].sort((a, b) => a - b)
  return html`<form method="get" action="/stats" class="fr-mb-4w">
<div class="fr-grid-row fr-grid-row--bottom fr-grid-row--gutters">
<div class="fr-col-12 fr-col-sm-8 fr-col-md-4">
<div class="fr-select-group fr-mb-0">
<label class="fr-label" for="jours">Période</label>
<select class="fr-select" id="jours" name="jours">
${periods.map((period) => html`<option value="${period}"${period === days ? html` selected` : null}>${period === 1 ? 'Dernier jour' : `${NUMBER.format(period)} derniers jours`}</option>`)}
</select>
</div>
</div>
<div class="fr-col-12 fr-col-sm-4 fr-col-md-2"><button type="submit" class="fr-btn">Afficher</button></div>
</div>
</form>`
}

/** `GET /stats` for people: the calls per day of each API as charts, the totals in a table. */
export function statsPage(entries: readonly ApiCalls[], days: number): string {
  const total = (entry: ApiCalls) => entry.days.reduce((sum, day) => sum + day.calls, 0)
  const main = html`<h1>Statistiques d’utilisation des API</h1>
<p class="fr-text--lead">Le nombre d’appels reçus par chaque API, toutes applications confondues, jour par jour (jours UTC).</p>
<p>Les mêmes chiffres pour les programmes : <a href="/stats?jours=${days}&amp;format=json" type="application/json">/stats en JSON</a> (un client qui n’envoie pas <code>Accept: text/html</code> reçoit toujours le JSON).</p>
${periodForm(days)}
${table({
  caption: `Appels par API ${periodLabel(days)}`,
  head: ['API', 'Appels'],
  rows: entries.map((entry) => html`<tr><th scope="row"><a href="${apiHref(entry.api)}">${apiTitle(entry.api)}</a></th><td>${NUMBER.format(total(entry))}</td></tr>`),
})}
${entries.map(
  (entry) => html`<h2 class="fr-mt-6w"><a href="${apiHref(entry.api)}">${apiTitle(entry.api)}</a></h2>
${apiChart(entry, days)}`,
)}`
  return layout(viewerOf('/stats'), { title: 'Statistiques d’utilisation', main })
}

/** `GET /catalogue` for people: each API described, with its calls of the last days. */
export function cataloguePage(entries: readonly ApiCalls[], days: number, docsOf: (api: CatalogueApi) => ApiDocsLinks): string {
  const main = html`<h1>Catalogue des API</h1>
<p class="fr-text--lead">Les API publiées par ce service, leurs portées OAuth2, leurs conditions d’utilisation et leur nombre d’appels ${periodLabel(days)}.</p>
<p>Le même catalogue pour les programmes : <a href="/catalogue?format=json" type="application/json">/catalogue en JSON</a>. Pour obtenir l’accès à une API, passez par le <a href="${PORTAL_BASE}">portail des développeurs</a>.</p>
${entries.map(
  (entry) => html`<h2 class="fr-mt-6w"><a href="${apiHref(entry.api)}">${apiTitle(entry.api)}</a></h2>
<p>${entry.api.accroche}</p>
<div class="fr-grid-row fr-grid-row--gutters">
<div class="fr-col-12 fr-col-lg-5">${apiFacts(entry.api, docsOf(entry.api))}</div>
<div class="fr-col-12 fr-col-lg-7">
<h3 class="fr-h6">Appels ${periodLabel(days)}</h3>
${apiChart(entry, days)}
</div>
</div>`,
)}`
  return layout(viewerOf('/catalogue'), { title: 'Catalogue des API', main })
}
