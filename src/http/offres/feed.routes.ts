import { Readable } from 'node:stream'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { FeedEntry, OfferFeed } from '../../domain/offers/offer-feed.js'
import { OFFRES_SCOPES } from './offres.routes.js'
import { sendErreur, sendJson } from './offres-errors.js'

const access = { config: { api: 'offresdemploiv2', scopes: OFFRES_SCOPES } }
const security = [{ oauth2: [...OFFRES_SCOPES] }]
const MAX_LIMIT = 1000
const DEFAULT_LIMIT = 100
const HEARTBEAT_MS = 15_000

/** Subscribes to "changes up to N are applied to this node's index". */
export type ChangeSubscription = (listener: (seq: number) => void) => () => void

function parseCursor(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return 0
  return /^\d{1,15}$/.test(value) ? Number(value) : undefined
}

function sseEvent(entry: FeedEntry): string {
  return `id: ${entry.seq}\nevent: ${entry.type}\ndata: ${JSON.stringify(entry)}\n\n`
}

/**
 * The change feed (`/offres/flux`, JSON pages or Server-Sent Events) and the snapshot of the
 * active offers (`/offres/instantane`, NDJSON), under the Offres prefix and its scopes.
 */
export function feedRoutes(deps: { feed: OfferFeed; subscribe: ChangeSubscription }) {
  const { feed } = deps
  /** Open event streams and snapshots, ended when the server stops (they would hold its closing). */
  const streams = new Set<() => void>()

  /** Streams the feed as Server-Sent Events from `cursor`, then live, until the client leaves. */
  async function stream(request: FastifyRequest, reply: FastifyReply, start: number): Promise<void> {
    reply.hijack()
    const raw = reply.raw
    raw.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    })
    let cursor = start
    let closed = false
    let pending: Promise<void> = Promise.resolve()
    const send = () => {
      pending = pending.then(async () => {
        for (;;) {
          if (closed) return
          const changes = await feed.page(cursor, MAX_LIMIT)
          for (const entry of changes.changements) raw.write(sseEvent(entry))
          const next = Number(changes.curseur)
          if (next === cursor) return
          cursor = next
        }
      }).catch((error: unknown) => {
        request.log.error({ err: error }, 'feed stream failed')
        raw.end()
      })
    }
    const unsubscribe = deps.subscribe(() => send())
    const heartbeat = setInterval(() => raw.write(': ok\n\n'), HEARTBEAT_MS)
    const end = () => {
      if (closed) return
      closed = true
      clearInterval(heartbeat)
      unsubscribe()
      streams.delete(end)
      raw.end()
    }
    streams.add(end)
    request.raw.on('close', end)
    raw.write(': flux des offres\n\n')
    send()
    await pending
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async functions
  return async (app: FastifyInstance) => {
    app.addHook('preClose', (done) => {
      for (const end of [...streams]) end()
      done()
    })
    app.get(
      '/offres/flux',
      {
        ...access,
        schema: {
          security,
          tags: ['Offres'],
          operationId: 'fluxOffres',
          summary: 'Flux des changements d’offres',
          description:
            'Les changements après `curseur` (absent : depuis le début de la rétention ; 410 si le curseur est plus ancien que ce qui est conservé), dans l’ordre : les offres créées ou modifiées en entier, les offres fermées comme pierres tombales (id, date, raison, codes filtrables), et le curseur suivant. Avec `Accept: text/event-stream`, le même flux en Server-Sent Events, en direct, reprenable par `Last-Event-ID`.',
          querystring: Type.Object({
            curseur: Type.Optional(Type.String({ description: 'Curseur rendu par la page précédente ou par l’instantané.' })),
            limite: Type.Optional(Type.String({ description: `Changements lus par page, ${MAX_LIMIT} au plus (défaut ${DEFAULT_LIMIT}).` })),
          }),
        },
        validatorCompiler: () => () => true,
      },
      async (request, reply) => {
        const query = request.query as { curseur?: string; limite?: string }
        const lastEventId = request.headers['last-event-id']
        const cursor = parseCursor(typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : query.curseur)
        if (cursor === undefined) return sendErreur(reply, 400, 'Format du paramètre « curseur » incorrect.')
        const limit = query.limite === undefined || query.limite === '' ? DEFAULT_LIMIT : Number(query.limite)
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
          return sendErreur(reply, 400, `Valeur du paramètre « limite » incorrecte : entier de 1 à ${MAX_LIMIT} attendu.`)
        }
        if ((request.headers.accept ?? '').includes('text/event-stream')) {
          await feed.checkCursor(cursor)
          return stream(request, reply, cursor)
        }
        return sendJson(reply, JSON.stringify(await feed.page(cursor, limit)))
      },
    )

    app.get(
      '/offres/instantane',
      {
        ...access,
        schema: {
          security,
          tags: ['Offres'],
          operationId: 'instantaneOffres',
          summary: 'Instantané des offres actives (NDJSON)',
          description:
            'Toutes les offres actives, une par ligne. L’en-tête `X-Curseur` donne le curseur du flux à partir duquel appliquer les changements : instantané + flux = copie exacte.',
        },
      },
      async (_request, reply) => {
        const cursor = await feed.cursor()
        async function* lines() {
          for await (const offer of feed.activeOffers()) {
            yield typeof offer.json === 'string' ? `${offer.json}\n` : Buffer.concat([offer.json, Buffer.from('\n')])
          }
        }
        const body = Readable.from(lines())
        const end = () => body.destroy()
        streams.add(end)
        body.once('close', () => streams.delete(end))
        return reply
          .headers({ 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store', 'X-Curseur': String(cursor) })
          .send(body)
      },
    )
  }
}
