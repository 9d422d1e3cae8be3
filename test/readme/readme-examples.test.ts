import { readFileSync } from 'node:fs'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CellValue, FileResource, PackageDefinition } from '../../src/datasets/definition.js'
import { agencesPackage } from '../../src/datasets/packages/agences.js'
import { bmoPackage } from '../../src/datasets/packages/bmo.js'
import { generateOffers, SHOWCASES } from '../../src/ingest/demo/generate-offers.js'
import { DATA_DIR } from '../../src/shared/data-dir.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

/**
 * Every example of the README, run as written against the demo corpus: each answers 2xx with
 * content (not 204, not an empty list).
 *
 * The corpus is the first 500 offers of the demo run (`openemploi serve`: seed "openemploi-demo",
 * DEMO_OFFERS 20,000). Offer i depends only on (seed, now, i), so these are the first 500 offers of
 * the default corpus too, and the README's searches are answered by the showcase offers the
 * generator places first (SHOWCASES), whatever the corpus size: the answer on 500 offers is also
 * there on 20,000. Loading 20,000 offers would cost about 12 s more on a loaded machine.
 *
 * Infotravail: the BMO 2025 survey (50,076 rows, about 13 s to load) is loaded with its rows of
 * département 44 only, the rows the README's queries read; the other resources used (agences,
 * and the small resources of the bmo package) are loaded whole.
 */

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
const DEMO_SEED = 'openemploi-demo'
const CORPUS = 500
const BMO_2025 = '58235498-bea4-4445-8195-6f066041b599'

// ---------------------------------------------------------------------------------------------
// The README's shell, as far as its examples use it

type Env = Record<string, string>

/** Shell words of a command line: quotes, `$VAR` and `${VAR}` expansion, adjacent parts joined. */
function shellWords(line: string, env: Env): string[] {
  const words: string[] = []
  let word: string | undefined
  const expand = (text: string) =>
    text.replace(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g, (_, name: string) => {
      const value = env[name]
      if (value === undefined) throw new Error(`README uses $${name} before setting it`)
      return value
    })
  let i = 0
  while (i < line.length) {
    const char = line.charAt(i)
    if (char === ' ' || char === '\t') {
      if (word !== undefined) words.push(word)
      word = undefined
      i++
    } else if (char === "'") {
      const end = line.indexOf("'", i + 1)
      word = (word ?? '') + line.slice(i + 1, end)
      i = end + 1
    } else if (char === '"') {
      const end = line.indexOf('"', i + 1)
      word = (word ?? '') + expand(line.slice(i + 1, end))
      i = end + 1
    } else {
      let end = i
      while (end < line.length && !' \t\'"'.includes(line.charAt(end))) end++
      word = (word ?? '') + expand(line.slice(i, end))
      i = end
    }
  }
  if (word !== undefined) words.push(word)
  return words
}

/** Splits on `|` outside quotes. */
function pipeline(line: string): string[] {
  const parts: string[] = []
  let quote: string | undefined
  let start = 0
  for (let i = 0; i < line.length; i++) {
    const char = line.charAt(i)
    if (quote) {
      if (char === quote) quote = undefined
    } else if (char === "'" || char === '"') quote = char
    else if (char === '|') {
      parts.push(line.slice(start, i).trim())
      start = i + 1
    }
  }
  parts.push(line.slice(start).trim())
  return parts
}

interface CurlRequest {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly payload?: string
}

/** The request a `curl` command line sends (the options the README uses). */
function curlRequest(words: readonly string[]): CurlRequest {
  const headers: Record<string, string> = {}
  const data: string[] = []
  let method: string | undefined
  let url: string | undefined
  let get = false
  for (let i = 1; i < words.length; i++) {
    const word = words[i] ?? ''
    // -f: a failed request writes nothing (curl exits non-zero instead); each example must succeed anyway.
    if (['-s', '-f', '-sf', '-fs', '--fail'].includes(word)) continue
    if (word === '--get') get = true
    else if (word === '-H') {
      const [name = '', ...value] = (words[++i] ?? '').split(':')
      headers[name.trim().toLowerCase()] = value.join(':').trim()
    } else if (word === '-d') data.push(words[++i] ?? '')
    else if (word === '--data-urlencode') {
      const [name = '', ...value] = (words[++i] ?? '').split('=')
      data.push(`${name}=${encodeURIComponent(value.join('='))}`)
    } else if (word === '-X') method = words[++i]
    else if (word.startsWith('-')) throw new Error(`curl option ${word} not understood by this test`)
    else url = word
  }
  if (!url) throw new Error(`no URL in ${words.join(' ')}`)
  const path = url.replace(/^https?:\/\/[^/]+/, '')
  if (get || data.length === 0) {
    const query = data.join('&')
    return { method: method ?? 'GET', url: query ? `${path}${path.includes('?') ? '&' : '?'}${query}` : path, headers }
  }
  headers['content-type'] ??= 'application/x-www-form-urlencoded'
  return { method: method ?? 'POST', url: path, headers, payload: data.join('&') }
}

/** Command lines of the README's `sh` blocks, continuation lines joined. */
function shellLines(): string[] {
  const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? '')
  return blocks.flatMap((block) => block.replace(/\\\n\s*/g, '').split('\n').filter((line) => line.trim() !== ''))
}

// ---------------------------------------------------------------------------------------------

let t: TestApp

/** The BMO package with the 2025 survey cut to the rows of département 44 (what the README reads). */
async function bmoForTests(): Promise<PackageDefinition> {
  const resources = await Promise.all(bmoPackage.resources.map(async (resource) => {
    if (resource.kind !== 'file' || resource.id !== BMO_2025) return resource
    const column = resource.fields.findIndex((field) => field.id === 'DEPARTEMENT_CODE')
    const rows: (readonly CellValue[])[] = []
    for await (const row of resource.rows(DATA_DIR)) if (row[column] === '44') rows.push(row)
    const cut: FileResource = { ...resource, expectedRows: rows.length, rows: () => rows }
    return cut
  }))
  return { ...bmoPackage, resources }
}

beforeAll(async () => {
  t = await createTestApp()
  let position = 0
  const records = (function* () {
    for (const value of generateOffers(t.referentials, { count: CORPUS, seed: DEMO_SEED, now: new Date() })) {
      yield { position: ++position, value }
    }
  })()
  await t.importAndReload(records)
  await t.datastore.syncShipped([agencesPackage, await bmoForTests()], DATA_DIR)
  t.infotravail.invalidate()
})

afterAll(async () => {
  await t.close()
})

/** What every example must give: a 2xx with content, and no empty list where a list is the answer. */
function expectContent(response: LightMyRequestResponse, what: string): void {
  expect(response.statusCode, `${what}: ${response.body.slice(0, 300)}`).toBeGreaterThanOrEqual(200)
  expect(response.statusCode, what).toBeLessThan(300)
  expect(response.statusCode, `${what} answers 204`).not.toBe(204)
  expect(response.body.length, `${what} has a body`).toBeGreaterThan(0)
  const type = String(response.headers['content-type'])
  if (type.includes('ndjson')) {
    JSON.parse(response.body.split('\n')[0] ?? '')
    return
  }
  if (!type.includes('json')) return
  const body: unknown = response.json()
  expect(Array.isArray(body) ? body.length : 1, `${what} is an empty list`).toBeGreaterThan(0)
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const { resultats, result, success } = body as { resultats?: unknown[]; result?: unknown; success?: boolean }
    if (resultats) expect(resultats.length, `${what}: resultats`).toBeGreaterThan(0)
    if (success !== undefined) expect(success, what).toBe(true)
    if (Array.isArray(result)) expect(result.length, `${what}: result`).toBeGreaterThan(0)
    const records = (result as { records?: unknown[] } | undefined)?.records
    if (records) expect(records.length, `${what}: records`).toBeGreaterThan(0)
  }
}

/** The value a `jq -r .a.b` filter reads. */
function jqField(body: unknown, filter: string): string {
  let value: unknown = body
  for (const key of filter.replace(/^\./, '').split('.')) value = (value as Record<string, unknown>)[key]
  expect(typeof value, `jq ${filter}`).toBe('string')
  return value as string
}

describe('README', () => {
  it('has its examples where this test reads them', () => {
    expect(shellLines().filter((line) => line.includes('curl')).length).toBeGreaterThanOrEqual(12)
    expect(README).toContain('motsCles=infirmier&commune=33063&distance=20')
  })

  it('runs every curl example of its sh blocks on the demo corpus, with content', async () => {
    const env: Env = { CLIENT_ID: t.client.client_id, CLIENT_SECRET: t.client.client_secret }
    const ran: string[] = []
    for (const line of shellLines()) {
      const assignment = /^([A-Z_]+)=\$\((.*)\)$/.exec(line) ?? /^([A-Z_]+)=(.*)$/.exec(line)
      const command = assignment ? (assignment[2] ?? '') : line
      if (!command.startsWith('curl ')) {
        if (assignment?.[1]) env[assignment[1]] = shellWords(command, env).join(' ')
        continue
      }
      const [curl = '', ...filters] = pipeline(command.replace(/\s+>\s*\S+$/, ''))
      const request = curlRequest(shellWords(curl, env))
      const response = await t.app.inject({
        method: request.method as 'GET',
        url: request.url,
        headers: request.headers,
        ...(request.payload !== undefined ? { payload: request.payload } : {}),
      })
      const what = `${request.method} ${request.url}`
      ran.push(what)
      if (request.method === 'DELETE') {
        // Closing an offer answers 204 (no content is the answer); the offer is gone afterwards.
        expect(response.statusCode, `${what}: ${response.body}`).toBe(204)
        const id = request.url.replace(/^.*\/offres\/([^/?]+).*$/, '$1')
        expect((await t.get(`/partenaire/offresdemploi/v2/offres/${id}`)).statusCode).toBe(204)
        continue
      }
      expectContent(response, what)
      const jq = filters.find((filter) => filter.startsWith('jq -r '))
      if (assignment?.[1] && jq) env[assignment[1]] = jqField(response.json(), jq.slice('jq -r '.length).trim())
    }
    // Token ×3, search, deposit, search, close, and the five Infotravail actions.
    expect(ran.length).toBeGreaterThanOrEqual(12)
    expect(ran.some((what) => what.includes('/datastore_search_sql?sql=SELECT'))).toBe(true)
  })

  it('never writes an error answer into a file: an example that saves a body uses curl -f', () => {
    const saving = shellLines().filter((line) => line.startsWith('curl ') && /\s>\s*\S+$/.test(line))
    expect(saving.length).toBeGreaterThan(0)
    for (const line of saving) expect(shellWords(line.replace(/\s>\s*\S+$/, ''), { TOKEN: 't', IT: 'http://x' }).some((word) => ['-f', '-sf', '-fs', '--fail'].includes(word)), line).toBe(true)
  })

  it('answers every GET of its list and its prose on the demo corpus, with content', async () => {
    const search = await t.get('/partenaire/offresdemploi/v2/offres/search?motsCles=infirmier')
    const anId = search.json<{ resultats: { id: string }[] }>().resultats[0]?.id ?? ''
    const paths = [...README.matchAll(/`GET (\/[^`\s]+)`/g)].flatMap((match) => {
      const path = (match[1] ?? '').replace('{id}', anId).replace('curseur=N', 'curseur=0')
      const alternatives = /\{([^}]+)\}/.exec(path)
      if (!alternatives) return [path]
      return (alternatives[1] ?? '').split('|').filter((name) => name !== '…').map((name) => path.replace(alternatives[0], name))
    })
    expect(paths).toEqual(expect.arrayContaining([
      '/partenaire/offresdemploi/v2/offres/search?motsCles=infirmier&commune=33063&distance=20',
      '/partenaire/offresdemploi/v2/referentiel/communes',
      '/health',
    ]))
    // Named in the prose without a method: the feed's snapshot, the portal, the server metadata.
    expect(README).toContain('`…/offres/instantane`')
    paths.push('/partenaire/offresdemploi/v2/offres/instantane', '/portail', '/.well-known/oauth-authorization-server')
    for (const path of paths) expectContent(await t.get(path), `GET ${path}`)
  })

  it('takes a deposit in NDJSON at `POST …/offres/_bulk`, and introspects a token', async () => {
    expect(README).toContain('`POST …/offres/_bulk` takes NDJSON')
    const bulk = await t.get('/partenaire/depotoffres/v1/offres/_bulk', {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: `${JSON.stringify({
        intitule: 'Boulanger (H/F)',
        description: 'Fabrication du pain et des viennoiseries, du mardi au samedi.',
        romeCode: 'D1102',
        typeContrat: 'CDI',
        experienceExige: 'D',
        lieuTravail: { commune: '33063' },
      })}\n`,
    })
    expectContent(bulk, 'POST _bulk')
    expect(README).toContain('`/connexion/oauth2/introspect` (RFC 7662)')
    const introspection = await t.app.inject({
      method: 'POST',
      url: '/connexion/oauth2/introspect',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${t.client.token}&client_id=${t.client.client_id}&client_secret=${t.client.client_secret}`,
    })
    expectContent(introspection, 'POST introspect')
  })

  it('finds the README searches in any demo corpus: the showcase offers come first', () => {
    const offers = [...generateOffers(t.referentials, { count: SHOWCASES.length, seed: 'any other seed', now: new Date() })]
    expect(offers.map((offer) => [offer.lieuTravail.commune, offer.romeCode])).toEqual([
      ['33063', 'J1506'],
      ['33063', 'D1102'],
      ['33063', 'J1506'],
    ])
  })
})
