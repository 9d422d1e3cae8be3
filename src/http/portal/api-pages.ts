import type { ApiCatalogue, CatalogueApi } from '../../domain/access/catalogue.schema.js'
import { ROWS_MAX } from '../../domain/datastore/search-request.js'
import { SQL_TIMEOUT_MS } from '../../domain/datastore/infotravail.service.js'
import { apiCallsPerDay, type DailyCalls, type UsageRepository } from '../../domain/usage/usage.js'
import { MAX_BULK_LINES } from '../depot/depot.routes.js'
import { docsLinks } from '../docs/links.js'
import { MAX_START, MAX_WINDOW } from '../offres/search-params.js'
import { apiFacts, apiTitle, scopesList, termsHref } from './api-summary.js'
import { dailyCallsChart, longDay } from './chart.js'
import { html, type SafeHtml } from './html.js'
import { layout, type Viewer } from './layout.js'
import { renderMarkdown } from './markdown.js'

const USAGE_DAYS = 30
const NUMBER = new Intl.NumberFormat('fr-FR')

/** What an API's own limits are, besides the calls per second, and what a first call looks like. */
interface ApiSpecifics {
  readonly limits: SafeHtml
  readonly example: string
}

const SPECIFICS: Readonly<Record<string, ApiSpecifics>> = {
  offresdemploiv2: {
    limits: html`${MAX_WINDOW} offres au plus par page (paramètre <code>range</code>), et les ${NUMBER.format(MAX_START + MAX_WINDOW)} premières offres d’une recherche. Pour tenir une copie à jour, le flux des changements et l’instantané remplacent la collecte par la recherche.`,
    example: 'GET /partenaire/offresdemploi/v2/offres/search?motsCles=boulanger&range=0-14',
  },
  depotoffresv1: {
    limits: html`${NUMBER.format(MAX_BULK_LINES)} lignes au plus par dépôt en masse (NDJSON), 1 Mio par offre. Une application ne modifie que ses propres offres.`,
    example: 'POST /partenaire/depotoffres/v1/offres\nContent-Type: application/json',
  },
  infotravailv1: {
    limits: html`${NUMBER.format(ROWS_MAX)} lignes au plus par appel de <code>datastore_search</code> et de <code>datastore_search_sql</code> ; une requête SQL dure ${SQL_TIMEOUT_MS / 1000} s au plus, une seule à la fois par application. Les exports complets d’une ressource se font par <code>datastore/dump</code>.`,
    example: 'GET /partenaire/infotravail/v1/package_list',
  },
}

/** A block of code, named for assistive technologies; its long lines wrap (the portal's stylesheet). */
function codeBlock(label: string, code: string): SafeHtml {
  return html`<pre class="fr-mb-3w" aria-label="${label}"><code>${code}</code></pre>`
}

function accessSteps(viewer: Viewer, api: CatalogueApi): SafeHtml {
  const { base, account } = viewer
  const scope = api.scopes.map((item) => encodeURIComponent(item)).join('%20')
  const example = SPECIFICS[api.id]?.example ?? `GET ${api.cheminBase}/…`
  // In a block of its own: the DSFR numbers lists with a counter whose scope would reach the terms' list below.
  return html`<div><ol>
<li>${account ? html`Vous êtes connecté en tant que ${account.name}.` : html`<a href="${base}/inscription">Créez un compte</a> (ou <a href="${base}/connexion">connectez-vous</a>).`}</li>
<li>Créez une application dans <a href="${base}/applications">Mes applications</a> : son identifiant (<code>client_id</code>) et son secret (<code>client_secret</code>) s’affichent une seule fois.</li>
<li>Depuis la page de l’application, lisez et acceptez les <a href="${termsHref(api, base)}">conditions générales d’utilisation</a> de l’API ${apiTitle(api)}. ${
    api.ouverture === 'automatique'
      ? 'L’accès est accordé dès l’acceptation des conditions.'
      : 'L’accès est ouvert après validation par un administrateur ; la page de l’application indique où en est la demande.'
  }</li>
<li>Demandez un jeton d’accès (OAuth2, <i lang="en">client credentials</i>) avec ${api.scopes.length > 1 ? 'les portées' : 'la portée'} de l’API :</li>
</ol>
${codeBlock(
  'Demande de jeton',
  `POST /connexion/oauth2/access_token?realm=%2Fpartenaire\nContent-Type: application/x-www-form-urlencoded\n\ngrant_type=client_credentials&client_id=…&client_secret=…&scope=${scope}`,
)}
<p>Le jeton vaut pour toutes les API de l’application ; il s’envoie dans l’en-tête <code>Authorization</code> de chaque appel :</p>
${codeBlock('Premier appel', `${example}\nAuthorization: Bearer …`)}
${
  account
    ? html`<ul class="fr-btns-group fr-btns-group--inline-md"><li><a class="fr-btn" href="${base}/applications">Mes applications</a></li></ul>`
    : html`<ul class="fr-btns-group fr-btns-group--inline-md">
<li><a class="fr-btn" href="${base}/inscription">Créer un compte</a></li>
<li><a class="fr-btn fr-btn--secondary" href="${base}/connexion">Se connecter</a></li>
</ul>`
}</div>`
}

/** The page of one API: what it does, scopes, base path, limits, access, documentation, calls, terms. */
export function apiPage(
  viewer: Viewer,
  state: { api: CatalogueApi; terms: SafeHtml; ratePerSecond: number; usage: readonly DailyCalls[] },
): string {
  const { api } = state
  const docs = docsLinks(api)
  const main = html`<p><a class="fr-link fr-icon-arrow-left-line fr-link--icon-left" href="${viewer.base}/apis">Retour aux API</a></p>
<h1>API ${apiTitle(api)}</h1>
<p class="fr-text--lead">${api.accroche}</p>
<p>${api.description}</p>
${apiFacts(api, docs, { base: viewer.base, detailed: true })}
<h2 class="fr-mt-6w">Documentation</h2>
<p>La référence interactive décrit chaque opération, ses paramètres, ses réponses et ses erreurs ; le bouton « Authorize » y obtient un jeton pour essayer les appels. Le document OpenAPI s’importe dans un client HTTP ou un générateur de code.</p>
<ul class="fr-btns-group fr-btns-group--inline-md">
<li><a class="fr-btn" href="${docs.reference}">Ouvrir la référence de l’API</a></li>
${docs.openapi ? html`<li><a class="fr-btn fr-btn--secondary" href="${docs.openapi}" type="application/json">Télécharger le document OpenAPI</a></li>` : null}
</ul>
<h2 class="fr-mt-6w">Obtenir l’accès</h2>
${accessSteps(viewer, api)}
<h2 class="fr-mt-6w">Portées OAuth2</h2>
<p>${api.scopes.length > 1 ? 'Un jeton doit porter toutes ces portées pour appeler l’API.' : 'Un jeton doit porter cette portée pour appeler l’API.'}</p>
${scopesList(api)}
<h2 class="fr-mt-6w">Limites</h2>
<ul>
<li>${state.ratePerSecond} ${state.ratePerSecond >= 2 ? 'appels' : 'appel'} par seconde et par application sur cette API, au-delà : réponse 429 avec <code>Retry-After</code>. Un administrateur peut fixer une autre limite à une application.</li>
${SPECIFICS[api.id] ? html`<li>${SPECIFICS[api.id]?.limits}</li>` : null}
</ul>
<h2 class="fr-mt-6w">Appels des ${USAGE_DAYS} derniers jours</h2>
${dailyCallsChart(state.usage, { id: 'appels', title: `Appels par jour de l’API ${apiTitle(api)}, sur les ${USAGE_DAYS} derniers jours` })}
<p class="fr-mt-2w">Toutes applications confondues, jours UTC. <a href="/stats">Les statistiques de toutes les API</a></p>
<h2 class="fr-mt-6w">Conditions générales d’utilisation</h2>
<p class="fr-text--sm">Version ${api.cgu.version} du ${longDay(api.cgu.date)}. Elles s’acceptent pour une application, depuis sa page ou <a href="${termsHref(api, viewer.base)}">la page des conditions</a>.</p>
<div class="fr-mb-4w fr-p-3w fr-card fr-card--no-border">
${state.terms}
</div>`
  return layout(viewer, { title: `API ${apiTitle(api)}`, main })
}

/** Reads what the page of an API shows: its terms and its calls per day (the table /stats reads). */
export async function renderApiPage(
  viewer: Viewer,
  api: CatalogueApi,
  deps: { catalogue: ApiCatalogue; usage: UsageRepository; now: () => number; defaultRatePerSecond: number },
): Promise<string> {
  return apiPage(viewer, {
    api,
    terms: renderMarkdown(deps.catalogue.terms(api.id), { headingOffset: 2 }),
    ratePerSecond: deps.defaultRatePerSecond,
    usage: await apiCallsPerDay(deps.usage, api.id, deps.now(), USAGE_DAYS),
  })
}
