import { connect, type AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app.js'

/**
 * Issue 11, point 5: a request reaching a stopping server (pipelined on a busy keep-alive
 * connection) is refused with 503 in its API's format, not Fastify's own body.
 */

let t: TestApp
let port: number
beforeAll(async () => {
  t = await createTestApp()
  await t.reload()
  await t.app.listen({ host: '127.0.0.1', port: 0 })
  port = (t.app.server.address() as AddressInfo).port
})
afterAll(() => t.close())

it('answers 503 with Retry-After in the Offres format to a request arriving while the server stops', async () => {
  const socket = connect(port, '127.0.0.1')
  const chunks: Buffer[] = []
  socket.on('data', (chunk) => chunks.push(chunk))
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()))
  await new Promise<void>((resolve) => socket.on('connect', () => resolve()))
  // Headers begun: the connection is not idle, so stopping the server does not close it.
  socket.write('GET /partenaire/offresdemploi/v2/offres/search HTTP/1.1\r\nHost: x\r\n')
  await new Promise((resolve) => setTimeout(resolve, 200))
  const closed = t.app.close()
  await new Promise((resolve) => setTimeout(resolve, 100))
  socket.write(`Authorization: Bearer ${t.client.token}\r\n\r\n`)
  await ended
  await closed
  const text = Buffer.concat(chunks).toString('utf8')
  expect(text).toMatch(/^HTTP\/1\.1 503 /)
  expect(text).toMatch(/\r\nretry-after: 5\r\n/i)
  expect(text).toMatch(/\r\nconnection: close\r\n/i)
  const payload = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>
  expect(payload).toMatchObject({ message: 'Service indisponible', codeHttp: 503 })
})
