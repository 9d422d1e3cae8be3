import { readFileSync } from 'node:fs'
import { Value } from 'typebox/value'
import { CatalogueFileSchema, type ApiCatalogue, type CatalogueApi } from '../domain/access/catalogue.schema.js'
import { DATA_DIR } from '../shared/data-dir.js'

/**
 * Loads the API catalogue (`data/apis/catalogue.json`) and the terms it names; a malformed file
 * or a missing terms text stops the start with the reason.
 */
export function loadApiCatalogue(file = new URL('apis/catalogue.json', DATA_DIR)): ApiCatalogue {
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'))
  if (!Value.Check(CatalogueFileSchema, raw)) {
    const first = [...Value.Errors(CatalogueFileSchema, raw)][0]
    throw new Error(`Invalid API catalogue ${file.pathname}: ${first?.instancePath ?? ''} ${first?.message ?? ''}`)
  }
  const terms = new Map(raw.apis.map((api) => [api.id, readFileSync(new URL(api.cgu.fichier, file), 'utf8')]))
  const byId = new Map<string, CatalogueApi>(raw.apis.map((api) => [api.id, api]))
  return {
    apis: raw.apis,
    get: (id) => byId.get(id),
    terms: (id) => terms.get(id) ?? '',
  }
}
