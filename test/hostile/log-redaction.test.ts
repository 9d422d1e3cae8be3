import { Writable } from 'node:stream'
import { connect, type AddressInfo } from 'node:net'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOG_REDACTION, REDACTED, redactUrl } from '../../src/http/log-redaction.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

/** Issue 11, point 6: secrets sent in URLs, headers or bodies never reach a log line nor an error body. */

const ADMIN_TOKEN = 'ADMIN-TOKEN-a8f3c2d1e5'
const SECRET = 'S3CRET-b71e90f4'

/** A logger at trace level whose lines are kept in memory. */
function capturingLogger() {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''))
      callback()
    },
  })
  return { logger: pino({ level: 'trace' }, destination), lines }
}

describe('redactUrl', () => {
  it('redacts the values of secret parameters, by their decoded names, and keeps the rest as sent', () => {
    expect(redactUrl('/connexion/oauth2/access_token?realm=%2Fpartenaire&client_secret=abc&client_id=x')).toBe(
      `/connexion/oauth2/access_token?realm=%2Fpartenaire&client_secret=${REDACTED}&client_id=x`,
    )
    expect(redactUrl('/a?access_token=1&token=2&refresh_token=3&password=4&admin_token=5&adminToken=6&client%5Fsecret=7&api_key=8&x=9')).toBe(
      `/a?access_token=${REDACTED}&token=${REDACTED}&refresh_token=${REDACTED}&password=${REDACTED}&admin_token=${REDACTED}&adminToken=${REDACTED}&client%5Fsecret=${REDACTED}&api_key=${REDACTED}&x=9`,
    )
    expect(redactUrl('/a?CLIENT_SECRET&b=%E0%A4%A')).toBe(`/a?CLIENT_SECRET=${REDACTED}&b=%E0%A4%A`)
    expect(redactUrl('/a/b')).toBe('/a/b')
  })

  it('pino censors authenticating headers and secret fields, and the request serializer never throws', () => {
    const lines: string[] = []
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString('utf8'))
        callback()
      },
    })
    const logger = pino({ level: 'info', ...LOG_REDACTION }, destination)
    logger.info({ req: { headers: { authorization: `Bearer ${SECRET}`, cookie: `oe_session=${SECRET}` } } }, 'headers')
    logger.info({ request: { headers: { authorization: `Bearer ${SECRET}`, cookie: `oe_session=${SECRET}` } } }, 'other headers')
    logger.info({ body: { client_secret: SECRET, password: SECRET, access_token: SECRET } }, 'fields')
    logger.info({ client_secret: SECRET, headers: { authorization: `Basic ${SECRET}` } }, 'top level')
    expect(lines.join('\n')).not.toContain(SECRET)
    expect(lines).toHaveLength(4)
  })
})

describe('the HTTP server’s log lines', () => {
  let t: TestApp
  let lines: string[]
  beforeAll(async () => {
    const captured = capturingLogger()
    lines = captured.lines
    t = await createTestApp({ adminToken: ADMIN_TOKEN, logger: captured.logger })
    await t.reload()
    await t.app.listen({ host: '127.0.0.1', port: 0 })
  })
  afterAll(() => t.close())

  it('hold no secret sent in a query string, a header or a body, and no error body echoes one', async () => {
    const { client_id: clientId, client_secret: clientSecret, token } = t.client
    const secrets = [SECRET, ADMIN_TOKEN, clientSecret, token]
    const answers = await Promise.all([
      t.app.inject({ method: 'POST', url: `/connexion/oauth2/access_token?realm=/partenaire&client_secret=${clientSecret}&client_id=${clientId}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `grant_type=client_credentials&client_id=${clientId}&client_secret=${clientSecret}` }),
      t.app.inject({ method: 'POST', url: '/connexion/oauth2/access_token', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` }, payload: 'grant_type=client_credentials' }),
      t.app.inject({ method: 'POST', url: `/connexion/oauth2/access_token?client_secret=${SECRET}`, headers: { 'content-type': 'application/json' }, payload: `{"client_secret":"${SECRET}"` }),
      t.app.inject({ url: `/partenaire/offresdemploi/v2/offres/search?access_token=${token}`, headers: { authorization: `Bearer ${token}` } }),
      t.app.inject({ url: `/partenaire/offresdemploi/v2/nulle/part?access_token=${token}` }),
      t.app.inject({ url: `/nulle/part?client_secret=${SECRET}&token=${ADMIN_TOKEN}` }),
      t.app.inject({ url: `/admin/applications?token=${ADMIN_TOKEN}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
      t.app.inject({ url: `/admin/nulle/part?token=${ADMIN_TOKEN}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }),
      t.app.inject({ url: `/partenaire/infotravail/v1/%E0%A4%A?access_token=${token}`, headers: { authorization: `Bearer ${token}` } }),
      t.app.inject({ url: `/partenaire/infotravail/v1/package_list?access_token=${token}`, headers: { authorization: `Bearer ${token}` } }),
      t.app.inject({ method: 'POST', url: `/portail/connexion?password=${SECRET}`, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `oe_session=${SECRET}` }, payload: `email=a%40b.fr&password=${SECRET}` }),
    ])
    for (const answer of answers) {
      expect(answer.statusCode).toBeLessThan(500)
      for (const secret of [SECRET, ADMIN_TOKEN, clientSecret]) expect(answer.body).not.toContain(secret)
    }
    // A URL over the HTTP parser's limit, logged by the client error handler.
    const port = (t.app.server.address() as AddressInfo).port
    await new Promise<void>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(`GET /a?client_secret=${SECRET}&x=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`))
      socket.on('data', () => undefined)
      socket.on('error', () => undefined)
      socket.on('close', () => resolve())
    })
    const text = lines.join('\n')
    expect(text).toContain('incoming request')
    expect(text).toContain(`client_secret=${REDACTED}`)
    for (const secret of secrets) expect(text).not.toContain(secret)
  })
})
