import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app.js'

/** The feed as Server-Sent Events, on a listening server: live, and resumable with Last-Event-ID. */

let t: TestApp
let origin: string

beforeAll(async () => {
  t = await createTestApp()
  await t.reload()
  origin = await t.app.listen({ host: '127.0.0.1', port: 0 })
})
afterAll(() => t.close())

interface Event {
  id: string
  event: string
  data: { seq: number; type: string; id: string }
}

/** Reads events from an SSE response until `count` have arrived (30 s at most: a bound on a hang, not on speed). */
async function events(response: Response, count: number): Promise<Event[]> {
  const reader = response.body?.getReader()
  if (!reader) throw new Error('no body')
  const decoder = new TextDecoder()
  let buffer = ''
  const found: Event[] = []
  const deadline = Date.now() + 30_000
  while (found.length < count && Date.now() < deadline) {
    const { value, done } = (await reader.read()) as { value?: Uint8Array; done: boolean }
    if (done) break
    buffer += decoder.decode(value, { stream: true })
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const fields = Object.fromEntries(
        block
          .split('\n')
          .filter((line) => !line.startsWith(':'))
          .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      ) as Record<string, string>
      if (fields.data) found.push({ id: fields.id ?? '', event: fields.event ?? '', data: JSON.parse(fields.data) as Event['data'] })
    }
  }
  await reader.cancel()
  return found
}

const deposit = (intitule: string) =>
  t.deposits.create(
    { clientId: t.client.client_id, name: 'Tests' },
    {
      intitule,
      description: 'Offre déposée pour le test du flux en Server-Sent Events.',
      romeCode: 'G1602',
      typeContrat: 'CDD',
      experienceExige: 'D',
      lieuTravail: { commune: '13055' },
    },
  )

describe('feed as Server-Sent Events', () => {
  it('sends the changes after the cursor, then new ones as they happen, and resumes from Last-Event-ID', async () => {
    const cursor = '0'
    const first = await deposit('Cuisinier (H/F)')
    const headers = { authorization: `Bearer ${t.client.token}`, accept: 'text/event-stream' }
    const response = await fetch(`${origin}/partenaire/offresdemploi/v2/offres/flux?curseur=${cursor}`, { headers })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const reading = events(response, 2)
    await new Promise((resolve) => setTimeout(resolve, 100))
    const second = await deposit('Commis de cuisine (H/F)')
    const received = await reading
    expect(received.map((event) => [event.event, event.data.id])).toEqual([
      ['offre', first.id],
      ['offre', second.id],
    ])
    expect(Number(received[1]?.id)).toBeGreaterThan(Number(received[0]?.id))

    const resumed = await fetch(`${origin}/partenaire/offresdemploi/v2/offres/flux`, {
      headers: { ...headers, 'last-event-id': received[0]?.id ?? '' },
    })
    const again = await events(resumed, 1)
    expect(again.map((event) => event.data.id)).toEqual([second.id])
  })
})
