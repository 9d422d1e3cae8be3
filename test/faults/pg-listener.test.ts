import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { PgAccessEvents } from '../../src/storage/access-events.js'

/**
 * The access invalidation channel (LISTEN/NOTIFY) when PostgreSQL ends its connection: it says it
 * is down (callers stop caching), comes back by itself, and what it publishes meanwhile reaches
 * the other nodes once the store answers (the change it tells of is committed), never ending the
 * process.
 */

const url = process.env.TEST_DATABASE_URL

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function until(check: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    if (check()) return
    await sleep(20)
  }
  throw new Error(`never ${what}`)
}

describe.skipIf(!url)('the LISTEN connection on PostgreSQL', () => {
  it('is lost, comes back by itself, and receives what is published afterwards', async () => {
    if (!url) return
    const name = `oe_listen_${randomBytes(5).toString('hex')}`
    const named = new URL(url)
    named.searchParams.set('application_name', name)
    const killer = new pg.Client({ connectionString: url, application_name: `${name}_killer` })
    await killer.connect()
    const terminate = async () =>
      (await killer.query<{ done: boolean }>('select pg_terminate_backend(pid) as done from pg_stat_activity where application_name = $1', [name])).rows.filter((row) => row.done).length
    const listening = await PgAccessEvents.open(named.toString(), () => undefined)
    const publisher = await PgAccessEvents.open(url, () => undefined)
    const heard: (string | null)[] = []
    listening.subscribe((clientId) => heard.push(clientId))
    const heardElsewhere = new Set<string | null>()
    publisher.subscribe((clientId) => heardElsewhere.add(clientId))
    try {
      expect(listening.live).toBe(true)
      expect(await terminate()).toBe(1)
      await until(() => heard.includes(null), 'told that the channel was lost')
      await until(() => listening.live, 'back')
      await publisher.publish('PAR_apres_la_coupure')
      await until(() => heard.includes('PAR_apres_la_coupure'), 'received the notification sent after it came back')

      // Publishing while its connections are being ended: never refused, and every notification
      // reaches the other node, at once or once the store answers again.
      const failures: unknown[] = []
      for (let round = 0; round < 20; round++) {
        const published = listening.publish(`PAR_${round}`).catch((error: unknown) => failures.push(error))
        await terminate()
        await published
      }
      expect(failures).toEqual([])
      await until(() => listening.live, 'back after the faults')
      await until(() => Array.from({ length: 20 }, (_, round) => `PAR_${round}`).every((id) => heardElsewhere.has(id)), 'told the other node of every change')
    } finally {
      await listening.close()
      await publisher.close()
      await killer.end()
    }
  })
})
