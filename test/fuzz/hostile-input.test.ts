import fc from 'fast-check'
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateOffers } from '../../src/ingest/demo/generate-offers.js'
import { offerDeposit } from '../support/deposits.js'
import { createTestApp, recordsOf, type TestApp } from '../support/test-app.js'
import { BASE, IDS, ROME_SMALL, loadSmallPackages } from '../infotravail/fixtures.js'
import { SEED, expectCkan, expectErreur, expectOAuth, fuzz, nastyJsonText, nastyText, urlText } from './fuzz-support.js'

/**
 * Issue 11: generated hostile requests on each surface (query strings, JSON and form bodies,
 * odd content types, deep JSON, huge numbers, unicode, repeated keys) — never a 5xx, every
 * answer in its surface's documented shape. One app, a small corpus, `inject`; the seed is
 * printed, `FUZZ_SEED=<n>` replays a run.
 */

const SEARCH = '/partenaire/offresdemploi/v2/offres/search'
const DEPOT = '/partenaire/depotoffres/v1/offres'
const TOKEN = '/connexion/oauth2/access_token'
const NOW = Date.UTC(2026, 11, 1)

let t: TestApp
let fields: string[] = []
const depositedIds: string[] = []

beforeAll(async () => {
  console.log(`fuzz seed ${SEED}: FUZZ_SEED=${SEED} replays this run`)
  t = await createTestApp({ now: () => NOW })
  await t.importAndReload(recordsOf([...generateOffers(t.referentials, { count: 100, seed: 'fuzz', now: new Date(NOW) })]))
  const resources = ROME_SMALL.resources.filter((resource) => resource.id === IDS.grandsDomaines || resource.id === IDS.domaines)
  await loadSmallPackages(t, [{ ...ROME_SMALL, resources }])
  const info = await t.get(`${BASE}/datastore_info?id=${IDS.domaines}`)
  fields = info.json<{ result: { fields: { id: string }[] } }>().result.fields.map((field) => field.id)
  for (const intitule of ['Boulanger (H/F)', 'Serveur (H/F)']) {
    const created = await t.get(DEPOT, { method: 'POST', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(offerDeposit({ intitule })) })
    depositedIds.push(created.json<{ id: string }>().id)
  }
})
afterAll(() => t.close())

/** A query string of (name, value) pairs, raw or encoded, with repeated keys, bare keys and stray separators. */
function queryArbitrary(pair: fc.Arbitrary<[string, string]>): fc.Arbitrary<string> {
  const item = fc.record({ pair, raw: fc.boolean(), bare: fc.integer({ min: 0, max: 19 }) })
  return fc.array(item, { maxLength: 8 }).map((items) =>
    items
      .map(({ pair: [name, value], raw, bare }) => (bare === 0 ? urlText(name, raw) : bare === 1 ? '' : `${urlText(name, raw)}=${urlText(value, raw)}`))
      .join('&'),
  )
}

describe('Offres search: generated query strings', () => {
  const flag = ['true', 'false']
  /** Plausible values of each parameter (valid or nearly so), so that most searches reach the index. */
  const VALID: Readonly<Record<string, readonly string[]>> = {
    motsCles: ['infirmier', 'chef de rang', "l'hôtel", 'développeur', 'de', 'boulanger,vendeur', 'infirmeir', 'ASH,devloppeur'],
    codeROME: ['J1506', 'M1805,D1102', 'A1101'],
    appellation: ['404278', '10320'],
    commune: ['33063', '75056', '69123', '75101', '13055'],
    latitude: ['44.84', '48.8566', '-91', '45,7'],
    longitude: ['-0.58', '2.3522', '181'],
    curseur: ['WzEsMCwwLDE3OTk5OTk5OTk5OTksMiwiQUJDIiwiQUFBQUFBQUFBQUFBQUFBQSIsMF0', 'abc', 'W10'],
    departement: ['33', '75', '2A', '971'],
    region: ['75', '11', '84'],
    distance: ['0', '10', '50'],
    typeContrat: ['CDI', 'CDD,MIS', 'SAI'],
    natureContrat: ['E1', 'E2'],
    experience: ['1', '2', '3'],
    experienceExigence: ['D', 'E', 'S'],
    qualification: ['0', '9', 'X'],
    niveauFormation: ['NV1', 'CFG'],
    permis: ['B', 'C'],
    secteurActivite: ['86', '56'],
    codeNAF: ['86.10Z'],
    theme: ['1', '12'],
    domaine: ['M18', 'J15'],
    grandDomaine: ['M', 'J'],
    origineOffre: ['1', '2'],
    partenaires: ['LEBONCOIN', 'INDEED'],
    modeSelectionPartenaires: ['INCLUS', 'EXCLU'],
    publieeDepuis: ['1', '3', '7', '14', '31'],
    minCreationDate: ['2026-11-01T00:00:00Z', '2026-11-30T12:00:00Z'],
    maxCreationDate: ['2026-11-01T00:00:00Z', '2026-11-30T12:00:00Z'],
    salaireMin: ['1500', '30000'],
    periodeSalaire: ['M', 'A', 'H', 'C'],
    dureeHebdo: ['1', '2'],
    dureeHebdoMin: ['0000', '3500', '35'],
    dureeHebdoMax: ['3500', '4000'],
    dureeContratMin: ['0', '6', '12.5'],
    dureeContratMax: ['6', '24'],
    tempsPlein: flag,
    accesTravailleurHandicape: flag,
    offresMRS: flag,
    offresManqueCandidats: flag,
    entreprisesAdaptees: flag,
    employeursHandiEngages: flag,
    inclureLimitrophes: flag,
    rechercheExacte: flag,
    rechercheEtendue: flag,
    paysContinent: ['01', 'EU'],
    range: ['0-9', '10-49', '0-149', '150-299', '3000-3149'],
    sort: ['0', '1', '2'],
  }
  const NAMES = [...Object.keys(VALID), 'MOTSCLES', 'range[]', '__proto__', 'constructor']
  const name = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) })
  const pair = name.chain((key) =>
    fc.tuple(fc.constant(key), fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...((Object.hasOwn(VALID, key) ? VALID[key] : undefined) ?? ['1'])) }, { weight: 1, arbitrary: nastyText })),
  )

  it('10,000 query strings: 200/206/204 with offers, or the original’s 400', async () => {
    await fuzz(
      'offres/search',
      { arbitrary: queryArbitrary(pair), runs: 10_000, seed: SEED },
      (query) => t.get(`${SEARCH}?${query}`),
      (_query, response) => {
        expect([200, 204, 206, 400]).toContain(response.statusCode)
        if (response.statusCode === 204) return expect(response.body).toBe('')
        if (response.statusCode === 400) return expectErreur(response)
        expect(Array.isArray(response.json<{ resultats?: unknown }>().resultats)).toBe(true)
      },
    )
  }, 300_000)
})

describe('Offres suggestions: generated query strings', () => {
  const VALID: Readonly<Record<string, readonly string[]>> = {
    q: ['infirm', 'lyo', 'saint e', 'ASH', 'électri', 'infrimier', 'a'],
    types: ['appellation', 'commune,motCle', 'motCle'],
    limit: ['1', '10', '50'],
  }
  const name = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('q', 'types', 'limit', 'Q', '__proto__') }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) })
  const pair = name.chain((key) =>
    fc.tuple(fc.constant(key), fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...((Object.hasOwn(VALID, key) ? VALID[key] : undefined) ?? ['1'])) }, { weight: 1, arbitrary: nastyText })),
  )

  it('1,000 query strings: a list of suggestions, or the original’s 400', async () => {
    await fuzz(
      'suggestions',
      { arbitrary: queryArbitrary(pair), runs: 1_000, seed: SEED },
      (query) => t.get(`/partenaire/offresdemploi/v2/suggestions?${query}`),
      (_query, response) => {
        expect([200, 400]).toContain(response.statusCode)
        if (response.statusCode === 400) return expectErreur(response)
        expect(Array.isArray(response.json<{ suggestions?: unknown }>().suggestions)).toBe(true)
      },
    )
  }, 120_000)
})

describe('Infotravail datastore_search: generated parameters, GET and POST', () => {
  const fieldName = () => fc.oneof(fc.constantFrom(...fields, '_id', 'rank', '"x"', ''), fc.string({ maxLength: 8 }))
  const paramValues = (): fc.Arbitrary<[string, string]> =>
    fc.oneof(
      fc.constantFrom(IDS.domaines, IDS.grandsDomaines, 'nope', '').map((id) => ['resource_id', id] as [string, string]),
      fc.tuple(fieldName(), nastyText).map(([field, value]) => ['filters', JSON.stringify({ [field]: value })] as [string, string]),
      fc.tuple(fieldName(), fc.array(nastyText, { maxLength: 3 })).map(([field, value]) => ['filters', JSON.stringify({ [field]: value })] as [string, string]),
      nastyJsonText.map((text) => ['filters', text] as [string, string]),
      fc.oneof(nastyText, nastyJsonText).map((text) => ['q', text] as [string, string]),
      fc.tuple(fieldName(), nastyText).map(([field, value]) => ['q', JSON.stringify({ [field]: value })] as [string, string]),
      fc.tuple(fieldName(), fc.constantFrom('', ' asc', ' desc', ' sideways')).map(([field, order]) => ['sort', `${field}${order}`] as [string, string]),
      fc.oneof(nastyText, nastyJsonText).map((text) => ['sort', text] as [string, string]),
      fc.array(fieldName(), { maxLength: 3 }).map((list) => ['fields', list.join(',')] as [string, string]),
      nastyJsonText.map((text) => ['fields', text] as [string, string]),
      fc.tuple(fc.constantFrom('limit', 'offset', 'plain', 'language', 'distinct', 'include_total', 'records_format', 'cursor', 'id', 'callback'), nastyText),
      fc.constantFrom<[string, string]>(['records_format', 'lists'], ['records_format', 'csv'], ['records_format', 'tsv'], ['limit', '5'], ['offset', '3'], ['include_total', 'false'], ['distinct', 'true'], ['plain', 'false'], ['language', 'english']),
      fc.string({ unit: 'binary', maxLength: 40 }).map((text) => ['cursor', Buffer.from(text).toString('base64url')] as [string, string]),
    )
  const params = () => fc.tuple(fc.constantFrom(IDS.domaines, IDS.grandsDomaines), fc.array(paramValues(), { maxLength: 6 }))

  it('1,000 GET query strings: CKAN’s envelope or its bare 400 string', async () => {
    await fuzz(
      'datastore_search GET',
      { arbitrary: fc.tuple(params(), fc.boolean()), runs: 1000, seed: SEED + 1 },
      ([[id, pairs], raw]) => t.get(`${BASE}/datastore_search?resource_id=${id}&${pairs.map(([name, value]) => `${urlText(name, raw)}=${urlText(value, raw)}`).join('&')}`),
      (_input, response) => expectCkan(response),
    )
  }, 300_000)

  const postBody = fc.oneof(
    { weight: 6, arbitrary: params().map(([id, pairs]) => JSON.stringify({ resource_id: id, ...Object.fromEntries(pairs.map(([name, value]) => [name, value])) })) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(IDS.domaines, IDS.grandsDomaines), fc.dictionary(fc.constantFrom('filters', 'q', 'sort', 'fields', 'limit', 'offset', 'distinct', 'plain', 'records_format', 'include_total', 'cursor'), nastyJsonText, { maxKeys: 4 }))
        .map(([id, entries]) => `{"resource_id":"${id}"${Object.entries(entries).map(([name, text]) => `,"${name}":${text === '' ? '""' : text}`).join('')}}`),
    },
    { weight: 1, arbitrary: nastyJsonText },
  )
  const contentTypes = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', undefined)

  it('1,000 POST bodies: CKAN’s envelope or its bare 400 string', async () => {
    await fuzz(
      'datastore_search POST',
      { arbitrary: fc.tuple(postBody, fc.oneof({ weight: 8, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: contentTypes })), runs: 1000, seed: SEED + 2 },
      ([body, type]) => t.get(`${BASE}/datastore_search`, { method: 'POST', headers: type === undefined ? {} : { 'content-type': type }, payload: body }),
      (_input, response) => expectCkan(response),
    )
  }, 300_000)
})

describe('Deposits: generated bodies', () => {
  const TOP = ['intitule', 'description', 'romeCode', 'appellationCode', 'typeContrat', 'experienceExige', 'experienceLibelle', 'lieuTravail', 'entreprise', 'salaire', 'competences', 'langues', 'permis', 'formations', 'qualitesProfessionnelles', 'dureeTravailLibelle', 'alternance', 'nombrePostes', 'qualificationCode', 'secteurActivite', 'contact', 'origineOffre', 'id', 'dateCreation', 'accessibleTH', 'natureContrat']
  const mutation = fc.tuple(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...TOP) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }), fc.oneof(nastyJsonText, fc.constant(undefined)))
  const offerText = fc.array(mutation, { maxLength: 4 }).map((mutations) => {
    const base = JSON.stringify(offerDeposit())
    // Values spliced as text: numbers and nesting no serializer would write.
    const extra = mutations.filter(([, value]) => value !== undefined && value !== '').map(([name, value]) => `${JSON.stringify(name)}:${value}`)
    const removed = new Set(mutations.filter(([, value]) => value === undefined).map(([name]) => name))
    const kept = Object.entries(JSON.parse(base) as Record<string, unknown>).filter(([name]) => !removed.has(name)).map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value)}`)
    return `{${[...kept, ...extra].join(',')}}`
  })
  const body = fc.oneof({ weight: 8, arbitrary: offerText }, { weight: 2, arbitrary: nastyJsonText })
  const id = fc.oneof(fc.constantFrom(...['0000000', 'ABC1234', '_bulk', 'a', '%E0%A4%A', '1'.repeat(600)]), fc.constant('deposited'))
  const request = fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('create' as const), body, type: fc.constantFrom('application/json', 'application/json', 'application/json;charset=utf-8', 'text/plain', 'application/x-ndjson', 'application/merge-patch+json', 'multipart/form-data; boundary=x') }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('replace' as const), body, id }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('patch' as const), body, id, type: fc.constantFrom('application/merge-patch+json', 'application/json') }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('bulk' as const), lines: fc.array(fc.oneof(offerText, nastyJsonText, nastyText), { minLength: 1, maxLength: 4 }), crlf: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const), id, reason: nastyText }) },
  )

  it('1,000 deposits: the offer, a bulk report, or the deposit API’s error body', async () => {
    await fuzz(
      'deposits',
      { arbitrary: request, runs: 1000, seed: SEED + 3 },
      (input) => {
        const target = (value: string) => (value === 'deposited' ? (depositedIds[0] ?? '') : urlText(value, false))
        const options: InjectOptions =
          input.kind === 'create'
            ? { method: 'POST', url: DEPOT, headers: { 'content-type': input.type }, payload: input.body }
            : input.kind === 'replace'
              ? { method: 'PUT', url: `${DEPOT}/${target(input.id)}`, headers: { 'content-type': 'application/json' }, payload: input.body }
              : input.kind === 'patch'
                ? { method: 'PATCH', url: `${DEPOT}/${target(input.id)}`, headers: { 'content-type': input.type }, payload: input.body }
                : input.kind === 'bulk'
                  ? { method: 'POST', url: `${DEPOT}/_bulk`, headers: { 'content-type': 'application/x-ndjson' }, payload: input.lines.join(input.crlf ? '\r\n' : '\n') }
                  : { method: 'DELETE', url: `${DEPOT}/${target(input.id)}?raison=${urlText(input.reason, false)}` }
        return t.get(options.url as string, options)
      },
      (input, response) => {
        expect([200, 201, 204, 400, 403, 404, 409, 410, 413, 414, 415]).toContain(response.statusCode)
        if (response.statusCode === 204) return
        if (response.statusCode >= 400) return expectErreur(response, { erreurs: true })
        const answer = response.json<Record<string, unknown>>()
        if (input.kind === 'bulk') expect(answer).toMatchObject({ lignes: expect.any(Number) as unknown, rapport: expect.any(Array) as unknown })
        else expect(answer.id).toMatch(/^[0-9A-Z]{7}$/)
      },
    )
  }, 300_000)
})

describe('The token endpoint: generated requests', () => {
  const FIELDS = ['grant_type', 'client_id', 'client_secret', 'scope', 'realm']
  const value = (name: string) =>
    fc.oneof(
      { weight: 2, arbitrary: nastyText },
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          ...(name === 'grant_type' ? ['client_credentials', 'password', 'authorization_code'] : []),
          ...(name === 'client_id' ? [t.client.client_id, `${t.client.client_id}x`, 'PAR_inconnu_0000'] : []),
          ...(name === 'client_secret' ? [t.client.client_secret, 'wrong'] : []),
          ...(name === 'scope' ? ['api_offresdemploiv2 o2dsoffre', 'api_infotravailv1', `application_${t.client.client_id}`, 'admin'] : []),
          ...(name === 'realm' ? ['/partenaire', 'partenaire', '/individu'] : []),
          '',
        ),
      },
    )
  const form = fc.array(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...FIELDS) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }), { maxLength: 7 }).chain((names) =>
    fc.tuple(...names.map((name) => value(name).map((text) => [name, text] as const))),
  )
  // Valid credentials with one or two fields changed, removed or repeated: what reaches authentication.
  const nearlyValid = fc
    .array(fc.tuple(fc.constantFrom(...FIELDS), fc.constantFrom('change', 'remove', 'repeat')), { minLength: 1, maxLength: 2 })
    .chain((changes) =>
      fc.tuple(...changes.map(([name]) => value(name))).map((texts) => {
        let pairs: (readonly [string, string])[] = [['grant_type', 'client_credentials'], ['client_id', t.client.client_id], ['client_secret', t.client.client_secret], ['scope', 'api_offresdemploiv2 o2dsoffre']]
        changes.forEach(([name, change], at) => {
          const text = texts[at] ?? ''
          if (change === 'remove') pairs = pairs.filter(([field]) => field !== name)
          else if (change === 'repeat') pairs = [...pairs, [name, text]]
          else pairs = pairs.map(([field, current]) => [field, field === name ? text : current] as const)
        })
        return pairs
      }),
    )
  const request = fc.record({
    pairs: fc.oneof(form, nearlyValid),
    encoding: fc.constantFrom('form', 'form', 'form', 'json', 'json-nasty', 'raw'),
    type: fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=ISO-8859-1', 'application/json', 'text/plain', 'multipart/form-data; boundary=x', undefined),
    realm: fc.constantFrom('?realm=/partenaire', '?realm=%2Fpartenaire', '', '?realm=/individu', '?realm=%', '?realm=a&realm=b'),
    basic: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.oneof(nastyText.map((text) => `Basic ${Buffer.from(text).toString('base64')}`), nastyText.map((text) => `Basic ${urlText(text, true)}`)) }),
    raw: nastyJsonText,
  })

  it('1,000 token requests: a token or an RFC 6749 error', async () => {
    await fuzz(
      'token',
      { arbitrary: request, runs: 1000, seed: SEED + 4 },
      (input) => {
        const payload =
          input.encoding === 'form'
            ? input.pairs.map(([name, text]) => `${urlText(name, false)}=${urlText(text, false)}`).join('&')
            : input.encoding === 'json'
              ? JSON.stringify(Object.fromEntries(input.pairs))
              : input.encoding === 'json-nasty'
                ? `{${input.pairs.map(([name]) => `${JSON.stringify(name)}:${input.raw === '' ? '1' : input.raw}`).join(',')}}`
                : input.raw
        return t.app.inject({
          method: 'POST',
          url: `${TOKEN}${input.realm}`,
          headers: { ...(input.type === undefined ? {} : { 'content-type': input.type }), ...(input.basic === undefined ? {} : { authorization: input.basic }) },
          payload,
        })
      },
      (_input, response) => {
        expect([200, 400, 401, 413, 415]).toContain(response.statusCode)
        expectOAuth(response)
      },
    )
  }, 300_000)
})
