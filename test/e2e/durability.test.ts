import { afterAll, describe, expect, it } from 'vitest'
import { cleanUpChildren, runCli, serve as serveCli, stopChild, tempFolder } from '../support/cli.js'
import { requestToken } from '../support/oauth.js'

/**
 * A server killed with SIGKILL in the middle of deposits loses no acknowledged offer and leaves
 * no half-written one; after a restart its index equals its store.
 */

const folder = tempFolder('openemploi-kill-')
afterAll(cleanUpChildren)
const ENV = { DATA_DIR: folder, DEMO_OFFERS: '0', PORT: '0' }

/** What `openemploi ARGS…` printed on its standard output. */
const output = async (args: readonly string[]) => (await runCli(args, ENV)).stdout

/** Starts the server; resolves with its base URL once /health answers 200. */
const serve = () => serveCli(ENV)

function offer(i: number): Record<string, unknown> {
  return {
    intitule: `Préparateur de commandes ${i} (H/F)`,
    description: `Offre ${i} du test de durabilité : préparation des commandes en entrepôt, horaires d’équipe.`,
    romeCode: 'N1103',
    typeContrat: 'MIS',
    experienceExige: 'D',
    lieuTravail: { commune: '59350' },
  }
}

describe('SIGKILL during deposits', () => {
  it('keeps every acknowledged offer, never half an offer, and the index equals the store after restart', async () => {
    const created = await output(
      ['clients', 'create', '--name', 'Durable', '--owner-email', 'durable@exemple.fr', '--kind', 'entreprise', '--apis', 'depotoffresv1,offresdemploiv2', '--json'],
    )
    const client = JSON.parse(created) as { client_id: string; client_secret: string }
    await output(['clients', 'limits', client.client_id, '--per-second', '100000'])
    const credentials = { clientId: client.client_id, secret: client.client_secret }

    const { server, base } = await serve()
    const scope = 'api_depotoffresv1 api_offresdemploiv2 o2dsoffre'
    const token = ((await (await requestToken(base, credentials, { scope })).json()) as { access_token: string }).access_token
    const headers = { authorization: `Bearer ${token}` }

    // Single deposits, four at a time, and a bulk deposit streaming meanwhile; killed mid-way.
    const acknowledged: string[] = []
    let next = 0
    const worker = async () => {
      for (;;) {
        const i = next++
        try {
          const response = await fetch(`${base}/partenaire/depotoffres/v1/offres`, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify(offer(i)),
          })
          if (response.status === 201) acknowledged.push(((await response.json()) as { id: string }).id)
        } catch {
          return
        }
      }
    }
    const bulkBody = Array.from({ length: 5000 }, (_, i) => JSON.stringify(offer(100_000 + i))).join('\n')
    const bulk = fetch(`${base}/partenaire/depotoffres/v1/offres/_bulk`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/x-ndjson' },
      body: bulkBody,
    }).catch(() => undefined)
    const workers = Promise.all([worker(), worker(), worker(), worker()])
    while (acknowledged.length < 40) await new Promise((resolve) => setTimeout(resolve, 10))
    await stopChild(server, 'SIGKILL')
    await workers
    await bulk
    expect(acknowledged.length).toBeGreaterThanOrEqual(40)

    const { server: restarted, base: again } = await serve()
    try {
      const freshToken = ((await (await requestToken(again, credentials, { scope })).json()) as { access_token: string }).access_token
      const auth = { authorization: `Bearer ${freshToken}` }
      // Every acknowledged offer is there and served.
      for (const id of acknowledged) {
        const detail = await fetch(`${again}/partenaire/offresdemploi/v2/offres/${id}`, { headers: auth })
        expect(detail.status, id).toBe(200)
      }
      // What the store holds is whole offers, all of them in the index: the snapshot (store) and a search (index) agree.
      const snapshot = await fetch(`${again}/partenaire/offresdemploi/v2/offres/instantane`, { headers: auth })
      const stored = (await snapshot.text()).split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { id: string; intitule: string; lieuTravail: { libelle: string } })
      for (const item of stored) expect(item.lieuTravail.libelle).toBe('59 - LILLE')
      const search = await fetch(`${again}/partenaire/offresdemploi/v2/offres/search?range=0-0`, { headers: auth })
      const total = search.status === 204 ? 0 : Number(search.headers.get('content-range')?.split('/')[1])
      expect(total).toBe(stored.length)
      expect(new Set(stored.map((item) => item.id))).toEqual(new Set([...stored.map((item) => item.id), ...acknowledged]))
    } finally {
      await stopChild(restarted)
    }
  })

  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const created = await output(
      ['clients', 'create', '--name', 'Sigterm', '--owner-email', 'sigterm@exemple.fr', '--kind', 'entreprise', '--apis', 'depotoffresv1', '--json'],
    )
    const client = JSON.parse(created) as { client_id: string; client_secret: string }
    await output(['clients', 'limits', client.client_id, '--per-second', '100000'])
    const { server, base } = await serve()
    const token = (
      (await (await requestToken(base, { clientId: client.client_id, secret: client.client_secret }, { scope: 'api_depotoffresv1' })).json()) as {
        access_token: string
      }
    ).access_token
    const body = Array.from({ length: 3000 }, (_, i) => JSON.stringify(offer(200_000 + i))).join('\n')
    const response = fetch(`${base}/partenaire/depotoffres/v1/offres/_bulk`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' },
      body,
    })
    // SIGTERM once the server has the request (its log says so), however slow the machine.
    await new Promise<void>((resolve) => {
      let log = ''
      server.stdout.on('data', (chunk: Buffer) => {
        log += chunk.toString()
        if (/incoming request.*offres\/_bulk|offres\/_bulk.*incoming request/.test(log)) resolve()
      })
    })
    const stopped = stopChild(server)
    const answered = await response
    expect(answered.status).toBe(200)
    expect(((await answered.json()) as { created: number }).created).toBe(3000)
    expect(await stopped).toBe(0)
  })
})
