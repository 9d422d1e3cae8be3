import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app.js'

/**
 * `/stats` and `/catalogue`: the JSON of machines unchanged to the byte, an HTML page with charts
 * for browsers (issue 12, point 11). The fixtures are these routes' answers before the HTML pages
 * existed, for this clock and these counts.
 */

const NOW = Date.UTC(2026, 5, 12, 10, 30)
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8'
const fixture = (name: string) => readFileSync(new URL(`../fixtures/stats/${name}`, import.meta.url), 'utf8')

let t: TestApp
beforeAll(async () => {
  t = await createTestApp({ now: () => NOW })
  await t.usage.add([
    { day: '2026-06-12', clientId: 'a', api: 'offresdemploiv2', route: '/x', status: 200, calls: 12 },
    { day: '2026-06-10', clientId: 'a', api: 'offresdemploiv2', route: '/x', status: 200, calls: 1234 },
    { day: '2026-06-10', clientId: 'b', api: 'offresdemploiv2', route: '/y', status: 206, calls: 6 },
    { day: '2026-05-14', clientId: 'a', api: 'infotravailv1', route: '/z', status: 200, calls: 3 },
    { day: '2026-05-13', clientId: 'a', api: 'infotravailv1', route: '/z', status: 200, calls: 99 },
  ])
})
afterAll(() => t.close())

const MACHINES: readonly (string | undefined)[] = [undefined, 'application/json', '*/*', 'application/json, text/plain, */*', 'text/html;q=0.5, application/json']

describe.each([
  { url: '/stats', file: 'stats.json' },
  { url: '/stats?jours=3', file: 'stats-jours3.json' },
  { url: '/catalogue', file: 'catalogue.json' },
])('$url', ({ url, file }) => {
  it.each(MACHINES)('answers Accept: %s with the JSON of before, byte for byte', async (accept) => {
    const response = await t.app.inject({ url, headers: accept === undefined ? {} : { accept } })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(response.headers.vary).toBe('Accept')
    expect(response.body).toBe(fixture(file))
  })

  it('answers a browser with a French HTML page in the portal’s layout', async () => {
    const response = await t.app.inject({ url, headers: { accept: BROWSER } })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(response.headers.vary).toBe('Accept')
    expect(response.headers['content-security-policy']).toContain("default-src 'none'")
    expect(response.body).toContain('<html lang="fr">')
    expect(response.body).toContain('href="/portail/dsfr/dsfr.min.css"')
    for (const api of t.access.catalogue.apis) expect(response.body).toContain(`href="/portail/apis/${api.id}"`)
  })
})

describe('the HTML statistics', () => {
  // Numbers are written with the narrow no-break space of French: compared with plain spaces.
  const html = async (url: string) => (await t.app.inject({ url, headers: { accept: BROWSER } })).body.replace(/\u202f/g, ' ')

  it('charts the calls per day of each API, with the figures in a table', async () => {
    const page = await html('/stats')
    expect(page).toContain('<h1>Statistiques d’utilisation des API</h1>')
    for (const api of t.access.catalogue.apis) {
      expect(page).toMatch(new RegExp(`<svg id="appels-${api.id}" [^>]*role="img"`))
      expect(page).toContain(`<table id="appels-${api.id}-donnees">`)
    }
    expect(page).toContain('<title id="appels-offresdemploiv2-titre">Appels par jour de l’API Offres d&#39;emploi v2, sur les 30 derniers jours</title>')
    // The same figures as the JSON: 1 252 calls, 1 240 of them on 10 June; Infotravail's 3 on 14 May (13 May is out).
    expect(page).toContain('1 252 appels au total du 14 mai 2026 au 12 juin 2026 ; au plus 1 240 appels le 10 juin 2026.')
    expect(page).toContain('3 appels au total du 14 mai 2026 au 12 juin 2026 ; au plus 3 appels le 14 mai 2026.')
    expect(page).toContain('Aucun appel du 14 mai 2026 au 12 juin 2026.')
    // The totals, one row per API, in a captioned table.
    expect(page).toMatch(/<caption>Appels par API sur les 30 derniers jours<\/caption>/)
    expect(page).toMatch(/<th scope="row"><a href="\/portail\/apis\/offresdemploiv2">Offres d&#39;emploi v2<\/a><\/th><td>1 252<\/td>/)
  })

  it('follows jours, and links the JSON, which format=json gives a browser', async () => {
    const page = await html('/stats?jours=3')
    expect(page).toContain('sur les 3 derniers jours')
    expect(page).toContain('1 252 appels au total du 10 juin 2026 au 12 juin 2026')
    expect(page).toContain('href="/stats?jours=3&amp;format=json"')
    const json = await t.app.inject({ url: '/stats?jours=3&format=json', headers: { accept: BROWSER } })
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(json.body).toBe(fixture('stats-jours3.json'))
    const catalogue = await t.app.inject({ url: '/catalogue?format=json', headers: { accept: BROWSER } })
    expect(catalogue.body).toBe(fixture('catalogue.json'))
  })

  it('offers the periods of the JSON in a form that needs no script', async () => {
    const page = await html('/stats?jours=90')
    expect(page).toContain('<form method="get" action="/stats"')
    expect(page).toMatch(/<label class="fr-label" for="jours">Période<\/label>/)
    expect(page).toContain('<option value="90" selected>90 derniers jours</option>')
  })

  it('has its headings in order', async () => {
    for (const url of ['/stats', '/catalogue']) {
      const levels = [...(await html(url)).matchAll(/<h([1-6])[\s>]/g)].map((match) => Number(match[1]))
      expect(levels[0], url).toBe(1)
      levels.forEach((level, at) => expect(level - (levels[at - 1] ?? 0), `${url}: heading ${at}`).toBeLessThanOrEqual(1))
    }
  })

  it('describes each API of the catalogue, with its chart', async () => {
    const page = await html('/catalogue')
    expect(page).toContain('<h1>Catalogue des API</h1>')
    for (const api of t.access.catalogue.apis) {
      expect(page).toContain(api.cheminBase)
      for (const scope of api.scopes) expect(page).toContain(`<code>${scope}</code>`)
      expect(page).toMatch(new RegExp(`<svg id="appels-${api.id}" [^>]*role="img"`))
    }
    expect(page).toContain('href="/catalogue?format=json"')
  })
})

describe('the portal’s navigation', () => {
  it('links the statistics from every page, marked current on /stats', async () => {
    const portal = await t.app.inject('/portail/apis')
    expect(portal.body).toContain('<a class="fr-nav__link" href="/stats">Statistiques</a>')
    const stats = await t.app.inject({ url: '/stats', headers: { accept: BROWSER } })
    expect(stats.body).toContain('<a class="fr-nav__link" href="/stats" aria-current="page">Statistiques</a>')
  })
})
