import type { CatalogueApi } from '../../domain/access/catalogue.schema.js'
import type { ApiDocsLinks } from '../portal/api-summary.js'
import { apiTitle } from '../portal/api-summary.js'

/** Where the interactive reference is served. */
export const DOCS_PREFIX = '/docs'

/** The name of an API's document in the reference's top bar (its `urls.primaryName`). */
export function documentName(api: CatalogueApi): string {
  return apiTitle(api)
}

/** The path of an API's own OpenAPI document. */
export function documentPath(id: string): string {
  return `${DOCS_PREFIX}/${encodeURIComponent(id)}/json`
}

/** An API's interactive reference (its document selected in the top bar) and its OpenAPI document. */
export function docsLinks(api: CatalogueApi): ApiDocsLinks {
  return { reference: `${DOCS_PREFIX}/?urls.primaryName=${encodeURIComponent(documentName(api))}`, openapi: documentPath(api.id) }
}
