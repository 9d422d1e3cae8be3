import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { Type } from 'typebox'
import { DepositError, type BulkLine, type DepositService, type Depositor } from '../../domain/deposit/deposit.service.js'
import { jsonText, type CloseReason, type OfferState } from '../../domain/offers/offers.repository.js'
import { readNdjson } from '../../ingest/offer-file.js'
import { AppError, UnavailableError } from '../../shared/errors.js'
import { RETRY_AFTER_SECONDS, STATUS_BY_CODE, sendErreur, sendJson } from '../offres/offres-errors.js'
import { clientJsonParser } from '../client-json.js'
import { frenchMessage } from '../framework-errors.js'

/** Path prefix of the deposit API. */
export const DEPOT_PREFIX = '/partenaire/depotoffres/v1'
export const DEPOT_SCOPES = ['api_depotoffresv1'] as const

/** Lines one bulk deposit may hold. */
export const MAX_BULK_LINES = 100_000
/** Bytes of one line of a bulk deposit: the body limit of a single deposit. */
const MAX_BULK_LINE_BYTES = 1024 * 1024

const access = { config: { api: 'depotoffresv1', scopes: DEPOT_SCOPES } }
const security = [{ oauth2: [...DEPOT_SCOPES] }]
const REASONS: Record<string, CloseReason> = { pourvue: 'pourvue', annulee: 'annulee', annulée: 'annulee' }
const IdParams = Type.Object({ id: Type.String({ pattern: '^[0-9A-Z]{7}$' }) })
const DepositRefusal = Type.Object({
  message: Type.String(),
  codeHttp: Type.Integer(),
  codeErreur: Type.String(),
  erreurs: Type.Array(Type.Object({ champ: Type.String({ description: 'Pointeur JSON du champ.' }), message: Type.String() })),
})

/** The original's error body, with every field error of a refused deposit. */
function sendDepositError(reply: FastifyReply, error: DepositError): FastifyReply {
  return sendJson(
    reply.code(400),
    JSON.stringify({
      message: 'Offre refusée : corriger les champs signalés.',
      codeHttp: 400,
      codeErreur: String(Date.now()),
      erreurs: error.errors.map((item) => ({ champ: item.path, message: item.message })),
    }),
  )
}

function etatOf(state: OfferState): 'active' | 'fermee' {
  return state.status === 'active' ? 'active' : 'fermee'
}

function summary(state: OfferState) {
  return {
    id: state.id,
    etat: etatOf(state),
    ...(state.closedReason ? { raisonFermeture: state.closedReason } : {}),
    ...(state.closedAt ? { dateFermeture: state.closedAt.toISOString() } : {}),
    offre: JSON.parse(jsonText(state)) as unknown,
  }
}

/**
 * The deposit API for recruiters and partners, under `/partenaire/depotoffres/v1`: create,
 * replace, patch, close, bulk NDJSON and the list of the caller's own offers. Each write is
 * answered after its commit and after the local index has applied it.
 */
export function depotRoutes(deps: { deposits: DepositService }) {
  const { deposits } = deps

  /** The client calling, from its verified token (the route's scope check has set it). */
  function depositor(request: FastifyRequest): Depositor {
    return { clientId: request.grant?.clientId ?? '', name: request.grant?.applicationName ?? '' }
  }

  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async functions
  return async (app: FastifyInstance) => {
    // The bulk body is read as a stream, line by line, never whole.
    app.addContentTypeParser(['application/x-ndjson', 'application/ndjson'], (_request, payload, done) => done(null, payload))
    app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, clientJsonParser(app))
    app.setErrorHandler((error: FastifyError | AppError | DepositError, request, reply) => {
      if (error instanceof DepositError) return sendDepositError(reply, error)
      if (error instanceof AppError) {
        // The store unreachable: the client sends the deposit again after Retry-After (harmless if it was committed).
        if (error instanceof UnavailableError) reply.header('Retry-After', RETRY_AFTER_SECONDS)
        return sendErreur(reply, STATUS_BY_CODE[error.code], error.message)
      }
      if (error.statusCode !== undefined && error.statusCode < 500) {
        return sendErreur(reply, error.statusCode, frenchMessage(error.statusCode, error))
      }
      request.log.error({ err: error }, 'unexpected error')
      return sendErreur(reply, 500, 'Erreur technique. Veuillez contacter le support.')
    })
    const tags = ['Dépôt d’offres']

    app.post(
      '/offres',
      {
        ...access,
        bodyLimit: 1024 * 1024,
        schema: {
          security,
          tags,
          operationId: 'deposerOffre',
          summary: 'Déposer une offre',
          description:
            'Le corps est une offre au format Offre, sans id (attribué par le service) ; une offre partenaire (origineOffre.origine "2") porte sa référence à 7 chiffres dans id. Les libellés sont déduits des codes. Renvoyer la même offre ne crée rien de plus.',
          body: Type.Unknown(),
          response: {
            201: { description: 'Offre créée ; Location donne son adresse.', ...Type.Ref('Offre') },
            200: { description: 'La même offre était déjà déposée : rien n’a changé.', ...Type.Ref('Offre') },
            400: { description: 'Offre refusée : chaque champ en erreur est listé.', ...DepositRefusal },
          },
        },
        validatorCompiler: () => () => true,
      },
      async (request, reply) => {
        const { id, outcome, json } = await deposits.create(depositor(request), request.body)
        return sendJson(reply.code(outcome === 'created' ? 201 : 200), json, { Location: `${DEPOT_PREFIX}/offres/${id}` })
      },
    )

    app.put(
      '/offres/:id',
      {
        ...access,
        bodyLimit: 1024 * 1024,
        schema: { security, tags, operationId: 'remplacerOffre', summary: 'Remplacer une de ses offres (idempotent)', params: IdParams, body: Type.Unknown() },
        validatorCompiler: () => () => true,
      },
      async (request, reply) => {
        const { id } = request.params as { id: string }
        const { json } = await deposits.replace(depositor(request), id, request.body)
        return sendJson(reply, json)
      },
    )

    app.patch(
      '/offres/:id',
      {
        ...access,
        bodyLimit: 1024 * 1024,
        schema: {
          security,
          tags,
          operationId: 'modifierOffre',
          summary: 'Modifier des champs d’une de ses offres (JSON merge patch)',
          params: IdParams,
          body: Type.Unknown(),
        },
        validatorCompiler: () => () => true,
      },
      async (request, reply) => {
        const { id } = request.params as { id: string }
        const { json } = await deposits.patch(depositor(request), id, request.body)
        return sendJson(reply, json)
      },
    )

    app.delete(
      '/offres/:id',
      {
        ...access,
        schema: {
          security,
          tags,
          operationId: 'cloturerOffre',
          summary: 'Clôturer une de ses offres',
          description: 'raison : pourvue ou annulee (paramètre ou corps JSON). L’offre quitte aussitôt la recherche et le détail.',
          params: IdParams,
          querystring: Type.Object({ raison: Type.Optional(Type.String()) }),
          response: { 204: { type: 'null', description: 'Offre clôturée.' } },
        },
        validatorCompiler: () => () => true,
      },
      async (request, reply) => {
        const { id } = request.params as { id: string }
        const fromBody = typeof request.body === 'object' && request.body !== null ? (request.body as { raison?: unknown }).raison : undefined
        const given = (request.query as { raison?: string }).raison ?? fromBody
        // Own keys only: `constructor` or `__proto__` must not find Object's.
        const reason = typeof given === 'string' && Object.hasOwn(REASONS, given.toLowerCase()) ? REASONS[given.toLowerCase()] : undefined
        if (!reason) return sendErreur(reply, 400, 'Valeur du paramètre « raison » incorrecte : pourvue ou annulee attendu.')
        await deposits.close(depositor(request), id, reason)
        return reply.code(204).send()
      },
    )

    app.post(
      '/offres/_bulk',
      {
        ...access,
        schema: {
          security,
          tags,
          operationId: 'deposerOffresEnMasse',
          summary: 'Déposer des offres en masse (NDJSON)',
          description: `Une offre par ligne (application/x-ndjson), ${MAX_BULK_LINES} lignes au plus, lu en flux. Une ligne avec id remplace l’offre (ou crée l’offre partenaire) ; sans id, elle est créée. Rapport par ligne : created, updated, unchanged ou rejected avec ses erreurs. Renvoyer le même fichier ne change rien.`,
          consumes: ['application/x-ndjson'],
        },
        validatorCompiler: () => () => true,
      },
      async (request, reply) => {
        const body = request.body as Readable | undefined
        if (!body || typeof (body as { pipe?: unknown }).pipe !== 'function') {
          return sendErreur(reply, 415, 'Type de contenu incorrect : application/x-ndjson attendu.')
        }
        let report: BulkLine[]
        try {
          report = await deposits.bulk(depositor(request), readNdjson(body.iterator({ destroyOnReturn: false }), { maxLines: MAX_BULK_LINES, maxLineBytes: MAX_BULK_LINE_BYTES }))
        } catch (error) {
          // A failure met mid-body (the store unreachable): the rest of the body is read and
          // dropped before the error is answered. Destroying the request instead would cut the
          // connection under the client, which never gets the answer.
          body.resume()
          await finished(body).catch(() => undefined)
          throw error
        }
        const count = (kind: BulkLine['resultat']) => report.filter((line) => line.resultat === kind).length
        return sendJson(
          reply,
          JSON.stringify({
            lignes: report.length,
            created: count('created'),
            updated: count('updated'),
            unchanged: count('unchanged'),
            rejected: count('rejected'),
            rapport: report.map((line) =>
              line.resultat === 'rejected'
                ? { ...line, erreurs: line.erreurs.map((item) => ({ champ: item.path, message: item.message })) }
                : line,
            ),
          }),
        )
      },
    )

    app.get(
      '/offres',
      {
        ...access,
        schema: {
          security,
          tags,
          operationId: 'listerSesOffres',
          summary: 'Lister ses propres offres',
          querystring: Type.Object({
            etat: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('fermee')])),
            limite: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
            avant: Type.Optional(Type.Integer({ minimum: 1, description: 'Curseur de page : offres modifiées avant ce numéro de changement.' })),
          }),
        },
      },
      async (request, reply) => {
        const { etat = 'active', limite = 100, avant } = request.query as { etat?: 'active' | 'fermee'; limite?: number; avant?: number }
        const offers = await deposits.list(depositor(request), etat, limite, avant)
        const next = offers.length === limite ? offers.at(-1)?.seq : undefined
        return sendJson(reply, JSON.stringify({ offres: offers.map(summary), ...(next === undefined ? {} : { suivant: next }) }))
      },
    )

    app.get(
      '/offres/:id',
      {
        ...access,
        schema: { security, tags, operationId: 'lireSonOffre', summary: 'Lire une de ses offres, active ou fermée', params: IdParams },
      },
      async (request, reply) => {
        const { id } = request.params as { id: string }
        return sendJson(reply, JSON.stringify(summary(await deposits.own(depositor(request), id))))
      },
    )
  }
}
