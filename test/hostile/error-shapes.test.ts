import { connect, type AddressInfo } from 'node:net'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
const MAX_DRAINED_BODY_BYTES = 8 * 1024 * 1024
import { offerDeposit } from '../support/deposits.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

/**
 * Issue 11, point 5: every status of every API in that API's documented shape, chosen by the
 * path prefix — unknown routes, bodies over the limit (read before the answer), URLs over the
 * HTTP parser's limit, and the framework's other refusals.
 */

const ADMIN_TOKEN = 'admin-secret-error-shapes'
const SECRET = 'S3CRET-never-echoed'

let t: TestApp
let port: number
beforeAll(async () => {
  t = await createTestApp({ adminToken: ADMIN_TOKEN })
  await t.reload()
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  port = (t.app.server.address() as AddressInfo).port
})
afterAll(() => t.close())

type Shape = 'offres' | 'ckan' | 'oauth' | 'problem' | 'portal'

interface Answer {
  status: number
  type: string
  body: string
}

/** Asserts the documented error shape of a surface. */
function expectShape(shape: Shape, answer: Answer, status: number): void {
  expect(answer.status).toBe(status)
  expect(answer.body).not.toContain(SECRET)
  switch (shape) {
    case 'offres': {
      expect(answer.type).toMatch(/^application\/json/)
      const body = JSON.parse(answer.body) as Record<string, unknown>
      expect(Object.keys(body)).toEqual(['message', 'codeHttp', 'codeErreur'])
      expect(body.codeHttp).toBe(status)
      expect(body.message).toBeTypeOf('string')
      expect(body.codeErreur).toMatch(/^\d+$/)
      return
    }
    case 'ckan': {
      expect(answer.type).toMatch(/^application\/json/)
      const body = JSON.parse(answer.body) as unknown
      if (status === 400) {
        expect(body).toMatch(/^Bad request: /)
        return
      }
      expect(body).toMatchObject({ success: false, help: expect.stringContaining('/api/3/action/help_show?name=') as unknown })
      expect((body as { error: { __type: unknown } }).error.__type).toBeTypeOf('string')
      return
    }
    case 'oauth': {
      expect(answer.type).toMatch(/^application\/json/)
      const body = JSON.parse(answer.body) as Record<string, unknown>
      expect(Object.keys(body)).toEqual(['error', 'error_description'])
      expect(body.error).toMatch(/^(invalid_request|invalid_client|unsupported_grant_type|server_error|temporarily_unavailable)$/)
      return
    }
    case 'problem': {
      expect(answer.type).toMatch(/^application\/problem\+json/)
      expect(JSON.parse(answer.body)).toMatchObject({ type: 'about:blank', status, title: expect.any(String) as unknown })
      return
    }
    case 'portal':
      expect(answer.type).toMatch(/^text\/html/)
      expect(answer.body).toMatch(/^<!doctype html>/i)
  }
}

const of = (response: LightMyRequestResponse): Answer => ({
  status: response.statusCode,
  type: String(response.headers['content-type'] ?? ''),
  body: response.body,
})

/** One path per surface, with the shape it answers in. */
const SURFACES: readonly (readonly [Shape, string])[] = [
  ['offres', '/partenaire/offresdemploi/v2'],
  ['offres', '/partenaire/depotoffres/v1'],
  ['ckan', '/partenaire/infotravail/v1/x'],
  ['ckan', '/api/3/action/x'],
  ['ckan', '/api/action/x'],
  ['oauth', '/connexion/oauth2'],
  ['problem', '/admin'],
  ['portal', '/portail'],
  ['problem', ''],
]

describe('unknown routes (404)', () => {
  it.each(SURFACES)('%s under "%s", the query string never echoed', async (shape, prefix) => {
    const response = await t.app.inject({ url: `${prefix}/nulle/part?client_secret=${SECRET}&access_token=${SECRET}`, headers: { authorization: `Bearer ${prefix === '/admin' ? ADMIN_TOKEN : t.client.token}` } })
    expectShape(shape, of(response), 404)
  })

  it('a wrong method on a known path is a 404 of that API', async () => {
    expectShape('oauth', of(await t.app.inject({ method: 'GET', url: '/connexion/oauth2/access_token' })), 404)
    expectShape('offres', of(await t.get('/partenaire/depotoffres/v1/offres', { method: 'DELETE' })), 404)
    expectShape('problem', of(await t.app.inject({ method: 'DELETE', url: '/health' })), 404)
  })
})

describe('bad URL encoding (400)', () => {
  it.each(SURFACES)('%s under "%s"', async (shape, prefix) => {
    const response = await t.app.inject({
      url: `${prefix}/%E0%A4%A?token=${SECRET}`,
      headers: { authorization: `Bearer ${prefix === '/admin' ? ADMIN_TOKEN : t.client.token}`, 'x-request-id': 'bad-url-1' },
    })
    expectShape(shape, of(response), 400)
    // Answered before any hook runs, it still carries the request's id.
    expect(response.headers['x-request-id']).toBe('bad-url-1')
  })
})

describe('path parameters over the router’s limit (414)', () => {
  it.each([
    ['offres', '/partenaire/depotoffres/v1/offres/'],
    ['offres', '/partenaire/offresdemploi/v2/offres/'],
    ['ckan', '/partenaire/infotravail/v1/'],
    ['problem', '/admin/applications/'],
  ] as const)('%s at %s…', async (shape, prefix) => {
    const response = await t.app.inject({ url: `${prefix}${'1'.repeat(600)}?token=${SECRET}`, headers: { authorization: `Bearer ${prefix.startsWith('/admin') ? ADMIN_TOKEN : t.client.token}` } })
    expectShape(shape, of(response), 414)
  })
})

describe('unsupported media types (415)', () => {
  it.each([
    ['offres', '/partenaire/depotoffres/v1/offres'],
    ['ckan', '/partenaire/infotravail/v1/datastore_search'],
    ['oauth', '/connexion/oauth2/access_token'],
    ['oauth', '/connexion/oauth2/introspect'],
    ['portal', '/portail/connexion'],
  ] as const)('%s at %s', async (shape, url) => {
    const response = await t.get(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, payload: `<secret>${SECRET}</secret>` })
    expectShape(shape, of(response), 415)
  })

  it('problem+json on /admin, with the status’s own title', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/admin/applications', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/xml' }, payload: '<a/>' })
    expectShape('problem', of(response), 415)
    expect(response.json()).toMatchObject({ title: 'Unsupported Media Type' })
  })
})

describe('bodies over the limit (413)', () => {
  const big = 'x'.repeat(1024 * 1024 + 1)
  it.each([
    ['offres', '/partenaire/depotoffres/v1/offres', 'application/json'],
    ['ckan', '/partenaire/infotravail/v1/datastore_search', 'application/json'],
    ['oauth', '/connexion/oauth2/access_token', 'application/x-www-form-urlencoded'],
    ['portal', '/portail/connexion', 'application/x-www-form-urlencoded'],
  ] as const)('%s at %s', async (shape, url, type) => {
    expectShape(shape, of(await t.get(url, { method: 'POST', headers: { 'content-type': type }, payload: big })), 413)
  })

  it('a bulk line over the limit of one offer is rejected alone, never held whole', async () => {
    const payload = ['{}', `{"intitule":"${'x'.repeat(2 * 1024 * 1024)}"}`, '{}'].join('\n')
    const response = await t.get('/partenaire/depotoffres/v1/offres/_bulk', { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, payload })
    expect(response.statusCode).toBe(200)
    const report = response.json<{ lignes: number; rapport: { ligne: number; resultat: string; erreurs?: { message: string }[] }[] }>()
    expect(report.lignes).toBe(3)
    expect(report.rapport[1]).toEqual({ ligne: 2, resultat: 'rejected', erreurs: [{ champ: '', message: 'longer than 1048576 bytes, the limit of one record' }] })
  })

  it('problem+json on /admin', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/admin/applications', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, payload: big })
    expectShape('problem', of(response), 413)
    expect(response.json()).toMatchObject({ title: 'Payload Too Large' })
  })
})

/** Sends raw bytes on a new connection; resolves with all it reads until the server closes, and whether it saw a reset. */
function exchange(head: string, bodyBytes = 0): Promise<{ text: string; reset: boolean }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let reset = false
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', () => {
      reset = true
    })
    socket.on('close', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), reset }))
    socket.on('connect', () => {
      socket.write(head)
      const piece = Buffer.alloc(256 * 1024, 0x78)
      let sent = 0
      const pump = () => {
        while (sent < bodyBytes && !socket.destroyed) {
          const size = Math.min(piece.length, bodyBytes - sent)
          sent += size
          if (!socket.write(piece.subarray(0, size))) {
            socket.once('drain', pump)
            return
          }
        }
      }
      pump()
    })
  })
}

function parseResponse(text: string): Answer & { headers: string } {
  const end = text.indexOf('\r\n\r\n')
  const headers = text.slice(0, end)
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1])
  const type = /\r\ncontent-type: *([^\r\n]*)/i.exec(headers)?.[1] ?? ''
  return { status, type, headers, body: text.slice(end + 4) }
}

describe('on real sockets', () => {
  it.each(SURFACES)('a URL over 16 KB: 431 %s under "%s", written by the server before any route', async (shape, prefix) => {
    const url = `${prefix}/offres/search?motsCles=${'a'.repeat(20_000)}&client_secret=${SECRET}`
    const { text } = await exchange(`GET ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`)
    const answer = parseResponse(text)
    expectShape(shape, answer, 431)
    expect(answer.headers).toMatch(/\r\nContent-Length: \d+/)
    expect(Buffer.byteLength(answer.body)).toBe(Number(/\r\nContent-Length: (\d+)/.exec(answer.headers)?.[1]))
  })

  it('a request the parser cannot read: 400 in the service’s shape, and the server still serves', async () => {
    const { text } = await exchange('BLAH\r\n\r\n')
    expectShape('problem', parseResponse(text), 400)
    const health = await exchange('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    expect(parseResponse(health.text).status).toBe(200)
  })

  it('an oversized body is read before the 413, so the client gets the answer, not a reset', async () => {
    const size = 6 * 1024 * 1024
    const head = `POST /partenaire/depotoffres/v1/offres HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.client.token}\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`
    const { text, reset } = await exchange(head, size)
    expect(reset).toBe(false)
    expectShape('offres', parseResponse(text), 413)
  })

  it('the token endpoint too (no token needed to send a body)', async () => {
    const size = 3 * 1024 * 1024
    const head = `POST /connexion/oauth2/access_token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${size}\r\n\r\n`
    const { text, reset } = await exchange(head, size)
    expect(reset).toBe(false)
    expectShape('oauth', parseResponse(text), 413)
  })

  it('a chunked body over the limit is drained too', async () => {
    const chunk = `${(64 * 1024).toString(16)}\r\n${'x'.repeat(64 * 1024)}\r\n`
    const body = `${chunk.repeat(48)}0\r\n\r\n`
    const head = `POST /partenaire/infotravail/v1/datastore_search HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.client.token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`
    const { text, reset } = await exchange(head + body)
    expect(reset).toBe(false)
    expectShape('ckan', parseResponse(text), 413)
  })

  it(`beyond ${MAX_DRAINED_BODY_BYTES} bytes the answer closes the connection, and the server lives on`, async () => {
    const size = MAX_DRAINED_BODY_BYTES + 4 * 1024 * 1024
    const head = `POST /connexion/oauth2/access_token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${size}\r\n\r\n`
    const { text } = await exchange(head, size)
    if (text !== '') expect(parseResponse(text).status).toBe(413)
    const health = await exchange('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    expect(parseResponse(health.text).status).toBe(200)
  })
})

describe('names of Object’s prototype given as values (found by the fuzz suite)', () => {
  it('closing an offer with raison=constructor is the 400 of a wrong reason, not a 500', async () => {
    const created = await t.get('/partenaire/depotoffres/v1/offres', { method: 'POST', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(offerDeposit()) })
    const { id } = created.json<{ id: string }>()
    for (const raison of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const response = await t.get(`/partenaire/depotoffres/v1/offres/${id}?raison=${raison}`, { method: 'DELETE' })
      expect(response.statusCode, raison).toBe(400)
      expectShape('offres', of(response), 400)
    }
  })

  it('help_show of constructor is CKAN’s not found, not an empty success', async () => {
    for (const name of ['constructor', '__proto__', 'toString']) {
      const response = await t.get(`/partenaire/infotravail/v1/help_show?name=${name}`)
      expect(response.statusCode, name).toBe(404)
      expectShape('ckan', of(response), 404)
    }
  })
})
