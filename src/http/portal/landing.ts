import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { html } from './html.js'
import { layout } from './layout.js'
import { PAGE_HEADERS } from './portal.routes.js'

const PORTAL = '/portail'
const DESCRIPTION = 'Mise en œuvre libre et auto-hébergeable des API Offres d’emploi v2 et Infotravail v1 : seule l’URL de base change.'

/** Where to go from `/`, as the JSON index gives it to machines. */
const LINKS = {
  portail: PORTAL,
  documentation: '/docs',
  openapi: '/openapi.json',
  catalogue: '/catalogue',
  statistiques: '/stats',
  sante: '/health',
  jeton: '/connexion/oauth2/access_token?realm=%2Fpartenaire',
} as const

/** Whether the client prefers JSON to HTML: it names JSON and either not HTML or HTML with a lower weight. */
function prefersJson(request: FastifyRequest): boolean {
  const weights = new Map<string, number>()
  for (const part of (request.headers.accept ?? '').split(',')) {
    const [type = '', ...parameters] = part.split(';').map((item) => item.trim().toLowerCase())
    const q = parameters.find((parameter) => parameter.startsWith('q='))
    weights.set(type, q === undefined ? 1 : Number(q.slice(2)) || 0)
  }
  const json = weights.get('application/json') ?? 0
  return json > 0 && json > (weights.get('text/html') ?? 0)
}

function page(): string {
  const item = (href: string, label: string, text: string) =>
    html`<li><a href="${href}">${label}</a> — ${text}</li>`
  const main = html`<h1>OpenEmploi</h1>
<p class="fr-text--lead">${DESCRIPTION}</p>
<p>Les applications obtiennent un jeton OAuth2 (client credentials) puis appellent l’API sous <code>/partenaire/offresdemploi/v2</code> ou <code>/partenaire/infotravail/v1</code>, comme chez France Travail.</p>
<h2>Par où commencer</h2>
<ul>
${item(PORTAL, 'Portail des développeurs', 'créer un compte et une application, accepter les conditions d’une API, obtenir ses identifiants')}
${item('/docs', 'Documentation de l’API', 'la référence interactive de chaque API (OpenAPI)')}
${item('/catalogue', 'Catalogue des API', 'les API servies, leurs scopes, leurs conditions et leurs appels (page, ou JSON pour les programmes)')}
${item('/stats', 'Statistiques', 'le nombre d’appels publié par API, en graphiques (page, ou JSON pour les programmes)')}
${item('/health', 'État du service', '200 quand le service est prêt à répondre (JSON)')}
</ul>`
  return layout({ base: PORTAL, path: '/', account: undefined, csrf: '' }, { title: 'Accueil', main })
}

/**
 * `GET /`: a landing page in French, in the portal's layout, saying what the service is and
 * linking where to go; a client that prefers JSON gets the same links as a small index.
 */
export const landingRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { schema: { hide: true } }, (request, reply) => {
    reply.header('Vary', 'Accept')
    if (prefersJson(request)) {
      return reply.type('application/json; charset=utf-8').send({ service: 'OpenEmploi', description: DESCRIPTION, liens: LINKS })
    }
    return reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(page())
  })
  return Promise.resolve()
}
