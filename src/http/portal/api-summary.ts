import type { CatalogueApi } from '../../domain/access/catalogue.schema.js'
import { scopeDescription } from '../../domain/access/scopes.js'
import { longDay } from './chart.js'
import { html, joinHtml, safeUrl, type SafeHtml } from './html.js'

/** Where the portal is mounted: pages outside it (/stats, /catalogue) link into it. */
export const PORTAL_BASE = '/portail'

/** « Offres d'emploi v2 ». */
export function apiTitle(api: CatalogueApi): string {
  return `${api.titre} ${api.version}`
}

/** The portal page of an API. */
export function apiHref(api: CatalogueApi, base = PORTAL_BASE): string {
  return `${base}/apis/${encodeURIComponent(api.id)}`
}

/** The page of an API's current terms of use. */
export function termsHref(api: CatalogueApi, base = PORTAL_BASE): string {
  return `${apiHref(api, base)}/cgu`
}

/** Where an API is documented: its interactive reference, and its OpenAPI document when there is one. */
export interface ApiDocsLinks {
  readonly reference: string
  readonly openapi?: string
}

/**
 * The facts of an API as a description list: base path, scopes, access, terms, documentation.
 * `detailed` adds who publishes it and for whom.
 */
export function apiFacts(api: CatalogueApi, docs: ApiDocsLinks, options: { base?: string; detailed?: boolean } = {}): SafeHtml {
  const base = options.base ?? PORTAL_BASE
  const fact = (term: string, value: SafeHtml | string) => html`<dt class="fr-text--bold">${term}</dt><dd class="fr-mb-1w">${value}</dd>`
  const codes = (values: readonly string[]) => joinHtml(values.map((value) => html`<code>${value}</code>`), ', ')
  return html`<dl class="fr-mb-3w">
${fact('Chemin de base', html`<code>${api.cheminBase}</code>`)}
${fact(api.scopes.length > 1 ? 'Portées OAuth2 (toutes exigées)' : 'Portée OAuth2', codes(api.scopes))}
${fact('Accès', `Ouvert sous contrat, ${api.acces}.`)}
${fact('Conditions d’utilisation', html`<a href="${termsHref(api, base)}">Version ${api.cgu.version} du ${longDay(api.cgu.date)}<span class="fr-sr-only"> — API ${apiTitle(api)}</span></a>`)}
${fact(
  'Documentation',
  html`<a href="${safeUrl(docs.reference)}">Référence interactive<span class="fr-sr-only"> de l’API ${apiTitle(api)}</span></a>${
    docs.openapi ? html` · <a href="${safeUrl(docs.openapi)}" type="application/json">Document OpenAPI (JSON)<span class="fr-sr-only"> de l’API ${apiTitle(api)}</span></a>` : null
  }`,
)}
${
  options.detailed
    ? [
        fact('Catégorie', api.categorie),
        fact('Publiée par', api.proprietaire),
        fact('Partenaires', api.partenaires.join(', ')),
        fact('Contact', api.contact),
      ]
    : null
}
</dl>`
}

/** The scopes of an API and what each gives (a description list: the texts are sentences). */
export function scopesList(api: CatalogueApi): SafeHtml {
  return html`<dl class="fr-mb-3w">
${api.scopes.map((scope) => html`<dt class="fr-text--bold"><code>${scope}</code></dt><dd class="fr-mb-1w">${scopeDescription(scope, api)}</dd>`)}
</dl>`
}
