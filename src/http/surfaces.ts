/**
 * The API surfaces of the service by path prefix: the format of errors no route answers
 * (framework-errors.ts) and the `api` label of the request metrics (observability.ts).
 */

/** The API surfaces, each with its own documented error format. */
export type Surface = 'offres' | 'depot' | 'infotravail' | 'oauth' | 'admin' | 'portal' | 'service'

const SURFACES: readonly (readonly [string, Surface])[] = [
  ['/partenaire/offresdemploi', 'offres'],
  ['/partenaire/depotoffres', 'depot'],
  ['/partenaire/infotravail', 'infotravail'],
  ['/api/3/action', 'infotravail'],
  ['/api/action', 'infotravail'],
  ['/datastore', 'infotravail'],
  ['/connexion/oauth2', 'oauth'],
  ['/admin', 'admin'],
  ['/portail', 'portal'],
]

/** The surface a request path belongs to, by its prefix; the service's own routes and unknown paths are `service`. */
export function surfaceOf(url: string): Surface {
  const path = pathOf(url)
  for (const [prefix, surface] of SURFACES) {
    if (path === prefix || path.startsWith(`${prefix}/`)) return surface
  }
  return 'service'
}

/** A request URL without its query string. */
export function pathOf(url: string): string {
  const query = url.indexOf('?')
  return query < 0 ? url : url.slice(0, query)
}

