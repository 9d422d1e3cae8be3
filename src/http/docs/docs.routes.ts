import swagger, { type SwaggerOptions } from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { DOCS_CSS } from './docs-theme.js'
import type { FastifyInstance } from 'fastify'
import type { ApiCatalogue } from '../../domain/access/catalogue.schema.js'
import { scopeDescription } from '../../domain/access/scopes.js'
import { CKAN_TAGS } from '../infotravail/ckan-schemas.js'
import { documentDefinitions, documentOf, documentUrls, TOKEN_URL, withoutEmptyTags, type OpenApiDocument } from './api-documents.js'
import { DOCS_PREFIX, documentPath } from './links.js'

/** The security scheme of the administration API (ADMIN_TOKEN). */
export const ADMIN_SECURITY = [{ jetonAdministrateur: [] }]

/** The reference's sections, in its order; only those with operations are published. */
const TAGS = [
  { name: 'Offres', description: 'Recherche et détail des offres, flux des changements et instantané.' },
  { name: 'Référentiels', description: 'Les 16 référentiels des critères de recherche.' },
  { name: 'Dépôt d’offres', description: 'Dépôt, mise à jour et clôture d’offres par les recruteurs et partenaires.' },
  ...[CKAN_TAGS.catalogue, CKAN_TAGS.datastore, CKAN_TAGS.dump, CKAN_TAGS.site],
  { name: 'OAuth2', description: 'Jetons d’accès (client credentials), révocation, introspection.' },
  { name: 'Service', description: 'État du service, nombre d’appels publié, catalogue des API.' },
  { name: 'Administration', description: 'Gestion des applications (jeton ADMIN_TOKEN).' },
]

/** @fastify/swagger's options: the whole document, from the routes' schemas. */
export function openApiOptions(catalogue: ApiCatalogue): SwaggerOptions {
  const scopes = [...new Set(catalogue.apis.flatMap((api) => api.scopes))]
  return {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'OpenEmploi — toutes les API',
        version: '1',
        description: `Toutes les API du service en un document. Chaque API a aussi le sien, dans la [référence](${DOCS_PREFIX}/) : ${catalogue.apis
          .map((api) => `[${api.titre} ${api.version}](${documentPath(api.id)})`)
          .join(', ')}. [Portail des développeurs](/portail).`,
        license: { name: 'MIT' },
      },
      components: {
        securitySchemes: {
          oauth2: {
            type: 'oauth2',
            description:
              'Jeton OAuth2 du royaume /partenaire (client credentials) : identifiants d’une application du portail, dans le corps ou en HTTP Basic, portées séparées par des espaces. Le jeton s’envoie en `Authorization: Bearer …`.',
            flows: { clientCredentials: { tokenUrl: TOKEN_URL, scopes: Object.fromEntries(scopes.map((scope) => [scope, scopeDescription(scope)])) } },
          },
          jetonAdministrateur: { type: 'http', scheme: 'bearer', description: 'Le jeton `ADMIN_TOKEN` de l’opérateur.' },
        },
      },
      tags: TAGS,
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    transformObject: (document) => ('openapiObject' in document ? withoutEmptyTags(document.openapiObject as OpenApiDocument) : document.swaggerObject),
  }
}

/** Registers @fastify/swagger, and keeps the paths of the documented routes as they are added. */
export async function registerOpenApi(app: FastifyInstance, catalogue: ApiCatalogue): Promise<{ paths: () => readonly string[] }> {
  await app.register(swagger, openApiOptions(catalogue))
  const paths: string[] = []
  app.addHook('onRoute', (route) => {
    if (!(route.schema)?.hide) paths.push(route.url)
  })
  return { paths: () => paths }
}

/** A link to the portal in the reference's top bar (added once the interface has drawn it). */
const TOP_BAR_SCRIPT = `(function () {
  var tries = 0
  function add() {
    var bar = document.querySelector('#swagger-ui .topbar .topbar-wrapper')
    if (!bar) { if (tries++ < 100) setTimeout(add, 100); return }
    if (bar.querySelector('.openemploi-portail')) return
    var link = document.createElement('a')
    link.href = '/portail'
    link.className = 'openemploi-portail'
    link.textContent = 'Portail des développeurs'
    bar.insertBefore(link, bar.children[1] || null)
  }
  add()
})()
`
/** The service's name in place of the framework's logo. */
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="150" height="40" viewBox="0 0 150 40"><text x="0" y="28" font-family="Arial, sans-serif" font-size="24" font-weight="bold" fill="#ffffff">OpenEmploi</text></svg>`

/**
 * The interactive reference at /docs: one document per API of the catalogue that this node
 * serves (chosen in the top bar, `?urls.primaryName=<name>`), each also at /docs/<id>/json for
 * clients to import; the whole one stays at /openapi.json and /docs/json. Registered after every
 * route, so that it knows which APIs have operations.
 */
export async function registerDocs(app: FastifyInstance, deps: { catalogue: ApiCatalogue; paths: readonly string[] }): Promise<void> {
  const definitions = documentDefinitions(deps.catalogue)
  const urls = documentUrls(definitions, deps.paths)
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: {
      docExpansion: 'list',
      deepLinking: true,
      urls: [...urls, { name: 'Toutes les API (un document)', url: '/openapi.json' }],
    },
    logo: { type: 'image/svg+xml', content: LOGO },
    theme: {
      title: 'OpenEmploi — Documentation des API',
      js: [{ filename: 'portail.js', content: TOP_BAR_SCRIPT }],
      css: [{ filename: 'openemploi.css', content: DOCS_CSS }],
    },
  })
  const served = new Set(urls.map((url) => url.url))
  const cache = new Map<string, OpenApiDocument>()
  for (const definition of definitions) {
    const path = documentPath(definition.id)
    if (!served.has(path)) continue
    app.get(path, { schema: { hide: true } }, () => {
      let document = cache.get(definition.id)
      if (!document) {
        document = documentOf(app.swagger() as unknown as OpenApiDocument, definition)
        cache.set(definition.id, document)
      }
      return document
    })
  }
}
