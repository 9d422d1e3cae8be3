import type { CatalogueApi } from './catalogue.schema.js'

/**
 * What each OAuth2 scope of the catalogue gives, for people: the portal's API pages, the HTML
 * catalogue and the OpenAPI documents' security scheme say the same thing.
 */
const SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  api_offresdemploiv2:
    'Appeler l’API Offres d’emploi v2 : recherche, détail d’une offre, référentiels, flux des changements et instantané. Demandé avec o2dsoffre, comme chez France Travail.',
  o2dsoffre: 'Lire les offres d’emploi. Exigé avec api_offresdemploiv2 sur chaque appel de l’API Offres d’emploi.',
  api_infotravailv1:
    'Appeler l’API Infotravail v1 : catalogue CKAN, recherche dans les jeux de données (DataStore), requêtes SQL en lecture et exports complets.',
  api_depotoffresv1: 'Déposer, remplacer, modifier et clôturer ses propres offres, une à une ou en masse, et les relire.',
}

/** What a scope gives; a scope an operator added to the catalogue without a text here is named by its API. */
export function scopeDescription(scope: string, api?: Pick<CatalogueApi, 'titre' | 'version'>): string {
  return SCOPE_DESCRIPTIONS[scope] ?? (api ? `Accès à l’API ${api.titre} ${api.version}.` : `Portée ${scope}.`)
}
