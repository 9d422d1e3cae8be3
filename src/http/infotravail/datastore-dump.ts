import { Readable } from 'node:stream'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { DUMP_PARAMS, DumpParamsError } from '../../domain/datastore/dump-request.js'
import type { DumpPlan, InfotravailService } from '../../domain/datastore/infotravail.service.js'
import { NotFoundError } from '../../shared/errors.js'
import { dumpWriter, type DumpColumn } from './dump-writers.js'
import { CKAN_TAGS } from './ckan-schemas.js'

/**
 * CKAN 2.11 sends every dump as `application/octet-stream`: its blueprint passes
 * `mimetype='application/octet-stream'` to Flask's Response, which overrides the text/csv… type
 * it also sets. The file's type is in its name (Content-Disposition).
 */
const DUMP_CONTENT_TYPE = 'application/octet-stream'

const DUMP_SCHEMA = {
  tags: [CKAN_TAGS.dump.name],
  operationId: 'datastore_dump',
  summary: 'Export d’une ressource, entière ou filtrée, en flux',
  description:
    'Les lignes de la ressource comme les exporte CKAN : toutes (dans l’ordre de `_id`), ou celles d’une recherche (`q`, `filters`, `fields`, `sort`, `offset`, `limit`, les paramètres de `datastore_search`). ' +
    'CSV ou TSV avec une ligne d’en-tête, JSON `{fields, records}` (lignes en listes), XML de CKAN (`<data>`, une `<row _id="…">` par ligne), ou NDJSON (une ligne par objet). ' +
    'L’adresse sans paramètre est l’`url` de la ressource ; un lien « télécharger les lignes filtrées » y ajoute ceux de la recherche.',
  params: Type.Object({ id: Type.String({ description: 'Identifiant de la ressource.' }) }),
  querystring: DUMP_PARAMS,
  response: {
    200: { description: 'Le fichier, en pièce jointe (`Content-Disposition`), en `application/octet-stream` comme CKAN.' },
    400: { description: 'Paramètre refusé (format inconnu, entier ou JSON invalide, champ inconnu…) : page HTML d’erreur de CKAN, une ligne `paramètre: message` par paramètre.', type: 'string' },
    401: { description: 'Jeton absent, expiré ou révoqué : corps vide.', type: 'null' },
    404: { description: 'Ressource inconnue : page HTML d’erreur de CKAN (« DataStore resource not found »).', type: 'string' },
    503: { description: 'Ressource en cours de chargement (`Retry-After`).', ...Type.Ref('CkanErreur') },
  },
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' }

/**
 * CKAN's answer to `abort(status, detail)` outside its API: its error page (error_document_template.html),
 * the status and reason as title, then the detail, escaped as Jinja escapes it.
 */
function errorPage(reply: FastifyReply, status: 400 | 404, detail: string): FastifyReply {
  const reason = status === 400 ? 'Bad Request' : 'Not Found'
  const body =
    `<!DOCTYPE html>\n<html lang="fr">\n<head>\n<meta charset="utf-8">\n<title>Error ${status} - OpenEmploi</title>\n</head>\n<body>\n` +
    `<article class="module">\n  <div class="module-content">\n    <h1>${status} ${reason}</h1>\n    ${detail.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char)}\n  </div>\n</article>\n</body>\n</html>\n`
  return reply.code(status).type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(body)
}

/** The dump's columns: those of the search, the full text's `rank` after the fields when `fields` does not choose them (CKAN 2.11). */
function dumpColumns(plan: DumpPlan): DumpColumn[] {
  const declared = new Map(plan.resource.fields.map((field) => [field.id, field]))
  return plan.request.search.fields.map((field) => ({ id: field.id, type: field.type, ...(declared.get(field.id) ? { info: declared.get(field.id)?.info } : {}) }))
}

/**
 * The text of a dump, page by page: each page is read when the consumer asks for more (Node's
 * stream backpressure), so at most a page of rows is held; a consumer gone stops the reads.
 * @param counted told the rows of each page as it is written.
 */
export async function* dumpText(plan: DumpPlan, counted: (rows: number) => void = () => undefined): AsyncGenerator<string> {
  const writer = dumpWriter(plan.request.format, dumpColumns(plan), plan.request.bom)
  yield writer.head
  for await (const page of plan.pages()) {
    counted(page.length)
    yield writer.rows(page)
  }
  yield writer.tail
}

/** The text of a dump, logging a dump its client left before its end (and how far it went). */
async function* loggedDumpText(plan: DumpPlan, request: FastifyRequest): AsyncGenerator<string> {
  let rows = 0
  let complete = false
  try {
    yield* dumpText(plan, (count) => (rows += count))
    complete = true
  } finally {
    if (!complete) request.log.info({ resource: plan.resource.id, rows }, 'datastore dump stopped before its end')
  }
}

/**
 * `GET /datastore/dump/{id}` under the Infotravail prefix and at CKAN's own path: CKAN 2.11's
 * dump (ckanext/datastore/blueprint.py `dump`, `dump_to`), errors as its HTML pages.
 */
export function dumpRoutes(
  app: FastifyInstance,
  deps: { service: InfotravailService; prefix: string; config: Record<string, unknown>; security: readonly Record<string, readonly string[]>[] },
): void {
  const dump = async (request: FastifyRequest<{ Params: { id: string }; Querystring: Record<string, unknown> }>, reply: FastifyReply) => {
    let plan: DumpPlan
    try {
      plan = await deps.service.dump(request.params.id, request.query)
    } catch (error) {
      if (error instanceof NotFoundError) return errorPage(reply, 404, 'DataStore resource not found')
      if (error instanceof DumpParamsError) return errorPage(reply, 400, error.message)
      throw error
    }
    const stream = Readable.from(loggedDumpText(plan, request), { objectMode: false })
    stream.on('error', (error) => request.log.error({ err: error }, 'datastore dump interrupted'))
    return reply
      .type(DUMP_CONTENT_TYPE)
      .header('Content-Disposition', `attachment; filename="${plan.resource.id}.${plan.request.format}"`)
      .send(stream)
  }
  // Parameters are read with CKAN's messages: the schema documents them, Fastify checks nothing.
  const unchecked = { validatorCompiler: () => () => true }
  for (const path of [`${deps.prefix}/datastore/dump/:id`, '/datastore/dump/:id']) {
    const documented = path.startsWith(deps.prefix)
    app.get(path, { config: deps.config, schema: documented ? { ...DUMP_SCHEMA, security: deps.security } : { hide: true }, ...unchecked }, dump)
  }
}
