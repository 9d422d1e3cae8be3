import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app.js'

/** `/portail/apis/<id>`: one page per API of the catalogue (issue 12, point 11). */

const NOW = Date.UTC(2026, 5, 12, 10, 30)

let t: TestApp
beforeAll(async () => {
  t = await createTestApp({ now: () => NOW })
  await t.usage.add([
    { day: '2026-06-12', clientId: 'a', api: 'infotravailv1', route: '/x', status: 200, calls: 7 },
    { day: '2026-06-01', clientId: 'b', api: 'infotravailv1', route: '/y', status: 409, calls: 5 },
    { day: '2026-05-13', clientId: 'a', api: 'infotravailv1', route: '/x', status: 200, calls: 1000 },
    { day: '2026-06-12', clientId: 'a', api: 'offresdemploiv2', route: '/x', status: 200, calls: 99 },
  ])
})
afterAll(() => t.close())

// French numbers and dates carry no-break spaces: compared with plain ones.
const page = async (url: string) => {
  const response = await t.app.inject(url)
  return { status: response.statusCode, headers: response.headers, body: response.body.replace(/[\u202f\u00a0]/g, ' ') }
}

describe('the page of an API', () => {
  it('exists for every API of the catalogue, in the portal’s layout, headings in order', async () => {
    for (const api of t.access.catalogue.apis) {
      const { status, headers, body } = await page(`/portail/apis/${api.id}`)
      expect(status, api.id).toBe(200)
      expect(headers['content-type']).toBe('text/html; charset=utf-8')
      expect(headers['content-security-policy']).toContain("default-src 'none'")
      expect(body).toContain('<html lang="fr">')
      expect(body).toContain(`<title>API ${api.titre.replace("'", '&#39;')} ${api.version} — Portail des développeurs OpenEmploi</title>`)
      expect(body).toContain(`<code>${api.cheminBase}</code>`)
      const levels = [...body.matchAll(/<h([1-6])[\s>]/g)].map((match) => Number(match[1]))
      expect(levels[0]).toBe(1)
      levels.forEach((level, at) => expect(level - (levels[at - 1] ?? 0), `${api.id}: heading ${at}`).toBeLessThanOrEqual(1))
      expect(body.match(/<h1[\s>]/g)).toHaveLength(1)
    }
  })

  it('says what the API does, its scopes and what each gives, its limits and how to get access', async () => {
    const { body } = await page('/portail/apis/offresdemploiv2')
    expect(body).toContain('<h1>API Offres d&#39;emploi v2</h1>')
    expect(body).toContain('Restitue en temps réel les offres d&#39;emploi actives')
    expect(body).toMatch(/<h2[^>]*>Portées OAuth2<\/h2>/)
    expect(body).toMatch(/<dt class="fr-text--bold"><code>o2dsoffre<\/code><\/dt><dd class="fr-mb-1w">Lire les offres d’emploi\./)
    expect(body).toContain('10 appels par seconde')
    expect(body).toContain('150 offres au plus par page')
    // Access: account, application, terms (granted at once for this API), token with its scopes.
    expect(body).toContain('href="/portail/inscription"')
    expect(body).toContain('accordé dès l’acceptation des conditions')
    expect(body).toContain('scope=api_offresdemploiv2%20o2dsoffre')
    const deposit = (await page('/portail/apis/depotoffresv1')).body
    expect(deposit).toContain('après validation par un administrateur')
    expect(deposit).toContain('100 000 lignes')
    expect((await page('/portail/apis/infotravailv1')).body).toContain('32 000 lignes')
  })

  it('links its own documentation and its OpenAPI document', async () => {
    const { body } = await page('/portail/apis/infotravailv1')
    expect(body).toContain('href="/docs/?urls.primaryName=Infotravail%20v1"')
    expect(body).toContain('href="/docs/infotravailv1/json"')
  })

  it('renders its current terms under their own heading, and links the page where they are accepted', async () => {
    const { body } = await page('/portail/apis/infotravailv1')
    expect(body).toMatch(/<h2[^>]*>Conditions générales d’utilisation<\/h2>/)
    expect(body).toContain('<h3>Conditions générales d&#39;utilisation de l&#39;API « Infotravail » v1 — version 1.0</h3>')
    expect(body).toContain('href="/portail/apis/infotravailv1/cgu"')
  })

  it('charts its calls of the last 30 days, the same figures as /stats', async () => {
    const { body } = await page('/portail/apis/infotravailv1')
    expect(body).toMatch(/<svg id="appels" [^>]*role="img"/)
    expect(body).toContain('<title id="appels-titre">Appels par jour de l’API Infotravail v1, sur les 30 derniers jours</title>')
    expect(body).toContain('12 appels au total du 14 mai 2026 au 12 juin 2026 ; au plus 7 appels le 12 juin 2026.')
    expect(body).toContain('<table id="appels-donnees">')
    expect(body).toContain('href="/stats"')
    const stats = (await t.app.inject('/stats')).json<{ apis: { id: string; stat: { value: number } }[] }>()
    expect(stats.apis.find((api) => api.id === 'infotravailv1')?.stat.value).toBe(12)
  })

  it('answers the portal’s 404 page for an unknown API', async () => {
    for (const id of ['inconnue', 'offresdemploiv1', 'OFFRESDEMPLOIV2', '%3Cscript%3E']) {
      const { status, body } = await page(`/portail/apis/${id}`)
      expect(status, id).toBe(404)
      expect(body).toContain('<h1>Page introuvable</h1>')
    }
  })

  it('is linked from the catalogue of the portal', async () => {
    const { body } = await page('/portail/apis')
    for (const api of t.access.catalogue.apis) expect(body).toContain(`href="/portail/apis/${api.id}"`)
  })
})
