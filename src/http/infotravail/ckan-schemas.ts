import { Type, type TSchema } from 'typebox'
import { actionParamsSchema, CKAN_ACTIONS, type CkanAction, type CkanActionGroup, type CkanActionName } from '../../domain/datastore/ckan-actions.js'

/**
 * The wire shapes of the Infotravail API for its reference (OpenAPI): CKAN's envelope, its
 * errors, the dicts of ckan-dicts.ts and each action's result; and each action's route schema,
 * its parameters taken from the actions' definitions. Answers are written as text by the routes:
 * these schemas document them, they never filter them.
 */

/** The reference's tag of each group of actions. */
export const CKAN_TAGS: Readonly<Record<CkanActionGroup | 'dump', { name: string; description: string }>> = {
  catalogue: { name: 'Catalogue des données', description: 'Jeux de données (packages), ressources et organisation, comme l’Action API de CKAN.' },
  datastore: { name: 'DataStore', description: 'Les lignes des ressources : recherche, SQL en lecture, description des champs.' },
  dump: { name: 'Exports', description: 'Une ressource, entière ou filtrée, en flux.' },
  site: { name: 'Aide et état du site', description: 'La documentation des actions et la description du site, comme CKAN.' },
}

const date = (description: string) => Type.String({ description: `${description} (ISO 8601 sans fuseau, à la microseconde, comme CKAN).` })
const nullable = (schema: TSchema) => Type.Union([schema, Type.Null()])

const Organization = Type.Object(
  {
    id: Type.String(),
    name: Type.String({ description: '`digidata`' }),
    title: Type.String(),
    display_name: Type.String(),
    description: Type.String(),
    type: Type.Literal('organization'),
    is_organization: Type.Boolean(),
    state: Type.String(),
    approval_status: Type.String(),
    image_url: Type.String(),
    image_display_url: Type.String(),
    created: date('Création'),
    package_count: Type.Integer(),
  },
  { $id: 'CkanOrganisation', description: 'L’organisation qui publie les jeux de données.' },
)

const Resource = Type.Object(
  {
    id: Type.String(),
    package_id: Type.String(),
    name: Type.String(),
    description: Type.String(),
    format: Type.String(),
    mimetype: Type.String(),
    url: Type.String({ description: 'L’export complet de la ressource (datastore/dump).' }),
    url_type: Type.String(),
    datastore_active: Type.Boolean(),
    size: nullable(Type.Integer({ description: 'Nombre de lignes, comme chez Infotravail.' })),
    state: Type.String(),
    position: Type.Integer(),
    created: date('Création'),
    last_modified: date('Dernière modification'),
    metadata_modified: date('Dernière modification des métadonnées'),
    hash: Type.String(),
    cache_url: Type.Null(),
    resource_type: nullable(Type.String()),
    pe_source: Type.String({ description: 'Extra d’Infotravail : la source (ex. `STMT_DEMANDE_201703`).' }),
    pe_version: Type.String({ description: 'Extra d’Infotravail : la version.' }),
    pe_type: Type.String({ description: 'Extra d’Infotravail : `reference` pour les référentiels.' }),
    pe_status: Type.String(),
    provenance: Type.String({ description: 'D’où viennent les données et sous quelle licence.' }),
  },
  { $id: 'CkanRessource', description: 'Une ressource : une table du DataStore.' },
)

const Package = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    title: Type.String(),
    notes: Type.String(),
    type: Type.Literal('dataset'),
    state: Type.String(),
    private: Type.Boolean(),
    isopen: Type.Boolean(),
    license_id: Type.String(),
    license_title: Type.String(),
    license_url: Type.String(),
    author: Type.String(),
    author_email: Type.Null(),
    maintainer: Type.String(),
    maintainer_email: Type.Null(),
    url: Type.String(),
    version: Type.Null(),
    creator_user_id: Type.Null(),
    metadata_created: date('Création'),
    metadata_modified: date('Dernière modification'),
    owner_org: Type.String(),
    organization: Type.Ref('CkanOrganisation'),
    num_resources: Type.Integer(),
    num_tags: Type.Integer(),
    tags: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), display_name: Type.String(), state: Type.String(), vocabulary_id: Type.Null() })),
    extras: Type.Array(Type.Object({ key: Type.String(), value: Type.String() })),
    groups: Type.Array(Type.Unknown()),
    relationships_as_object: Type.Array(Type.Unknown()),
    relationships_as_subject: Type.Array(Type.Unknown()),
    resources: Type.Array(Type.Ref('CkanRessource')),
  },
  { $id: 'CkanJeuDeDonnees', description: 'Un jeu de données (package) et ses ressources.' },
)

const Field = Type.Object(
  {
    id: Type.String(),
    type: Type.String({ description: '`int`, `text`, `numeric`, `date`, `timestamp`, `timestamptz`, `bool`…' }),
    info: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'Le dictionnaire de données du champ : libellé, description.' })),
  },
  { $id: 'CkanChamp' },
)

const CkanError = Type.Object(
  {
    help: Type.String({ description: 'L’adresse de help_show pour l’action.' }),
    success: Type.Literal(false),
    error: Type.Object(
      {
        __type: Type.String({ description: '`Validation Error` (409), `Not Found Error` (404), `Authorization Error` (403), `Too Many Requests` (429), `Service Unavailable` (503)…' }),
        message: Type.Optional(Type.String()),
      },
      { additionalProperties: Type.Array(Type.String()), description: 'Une erreur de validation liste les messages de chaque paramètre fautif : `{"resource_id": ["Missing value"]}`.' },
    ),
  },
  { $id: 'CkanErreur', description: 'L’enveloppe d’erreur de CKAN.' },
)

/** The shared schemas, added to the application once so that the routes' `$ref`s resolve. */
export const CKAN_SCHEMAS: readonly TSchema[] = [Organization, Resource, Package, Field, CkanError]

const records = Type.Union([Type.Array(Type.Object({}, { additionalProperties: true })), Type.Array(Type.Array(Type.Unknown())), Type.String()], {
  description: 'Les lignes : des objets, des listes (`records_format=lists`), ou un texte CSV ou TSV sans en-tête.',
})

/** What each action returns in `result`. */
const RESULTS: Readonly<Record<CkanActionName, TSchema>> = {
  package_list: Type.Array(Type.String(), { description: 'Les noms, triés.' }),
  package_show: Type.Ref('CkanJeuDeDonnees'),
  package_search: Type.Object({
    count: Type.Integer(),
    sort: Type.String(),
    results: Type.Array(Type.Ref('CkanJeuDeDonnees')),
    facets: Type.Object({}, { additionalProperties: Type.Object({}, { additionalProperties: Type.Integer() }) }),
    search_facets: Type.Object({}, { additionalProperties: true }),
  }),
  organization_list: Type.Union([Type.Array(Type.String()), Type.Array(Type.Ref('CkanOrganisation'))], { description: 'Les noms, ou les organisations avec `all_fields`.' }),
  organization_show: Type.Ref('CkanOrganisation'),
  resource_show: Type.Ref('CkanRessource'),
  resource_search: Type.Object({ count: Type.Integer(), results: Type.Array(Type.Ref('CkanRessource')) }),
  datastore_info: Type.Object({
    meta: Type.Optional(
      Type.Object(
        {
          id: Type.String(),
          count: Type.Integer(),
          table_type: Type.String({ description: '`BASE TABLE` ou `VIEW`.' }),
          size: Type.Integer({ description: 'Taille de la table, en octets.' }),
          db_size: Type.Integer({ description: 'Taille de la base, en octets.' }),
          idx_size: Type.Integer({ description: 'Taille des index de la table, en octets.' }),
          aliases: Type.Array(Type.String()),
        },
        { description: 'Absent avec `include_meta=false`.' },
      ),
    ),
    fields: Type.Array(
      Type.Intersect([
        Type.Ref('CkanChamp'),
        Type.Object({
          schema: Type.Optional(
            Type.Object(
              {
                native_type: Type.String({ description: 'Le type PostgreSQL (`integer`, `text`, `numeric`, `date`…).' }),
                notnull: Type.Boolean(),
                index_name: nullable(Type.String()),
                is_index: Type.Boolean(),
                uniquekey: Type.Boolean(),
              },
              { description: 'Absent avec `include_fields_schema=false`.' },
            ),
          ),
        }),
      ]),
    ),
  }),
  datastore_search: Type.Object(
    {
      resource_id: Type.String(),
      fields: Type.Array(Type.Ref('CkanChamp'), { description: 'Les champs rendus ; `rank` s’ajoute avec `q`.' }),
      records,
      total: Type.Optional(Type.Integer()),
      total_was_estimated: Type.Optional(Type.Boolean()),
      limit: Type.Integer(),
      offset: Type.Integer(),
      include_total: Type.Boolean(),
      records_format: Type.String(),
      _links: Type.Object({ start: Type.String(), next: Type.String(), prev: Type.Optional(Type.String()) }),
    },
    { additionalProperties: true, description: 'Les paramètres donnés sont repris (`filters`, `q`, `sort`, `fields`…), comme CKAN.' },
  ),
  datastore_search_sql: Type.Object({
    sql: Type.String(),
    fields: Type.Array(Type.Object({ id: Type.String(), type: Type.String() })),
    records: Type.Array(Type.Object({}, { additionalProperties: true })),
    records_truncated: Type.Optional(Type.Literal(true)),
  }),
  help_show: Type.String({ description: 'La documentation de l’action (en anglais, comme CKAN).' }),
  status_show: Type.Object({
    site_title: Type.String(),
    site_description: Type.String(),
    site_url: Type.String(),
    ckan_version: Type.String(),
    error_emails_to: Type.Null(),
    locale_default: Type.String(),
    extensions: Type.Array(Type.String()),
  }),
}

const error = (description: string) => ({ description, ...Type.Ref('CkanErreur') })

/** The answers every action may give besides its result. */
function responses(name: CkanActionName, definition: CkanAction): Record<number, unknown> {
  return {
    200: Type.Object(
      { help: Type.String({ description: 'L’adresse de help_show pour l’action.' }), success: Type.Literal(true), result: RESULTS[name] },
      { description: 'L’enveloppe de CKAN, le résultat dans `result`.' },
    ),
    400: Type.String({ description: 'Requête illisible (JSON invalide, corps qui n’est pas un objet) : une chaîne JSON, comme CKAN (`"Bad request: JSON Error: …"`).' }),
    401: { description: 'Jeton absent, expiré ou révoqué : corps vide, la raison dans `WWW-Authenticate`.', type: 'null' },
    403: error('Le jeton n’a pas la portée api_infotravailv1, ou la requête lit ce qu’elle ne peut pas lire.'),
    ...(definition.findsOne ? { 404: error('Rien de tel.') } : {}),
    409: error('Paramètre manquant ou invalide : chaque paramètre fautif et ses messages.'),
    429: error('Trop d’appels : une requête SQL de l’application déjà en cours (cette enveloppe), ou la limite d’appels de l’application (une phrase en text/plain) ; attendre `Retry-After`.'),
  }
}

/** An action's parameters as a query string carries them: lists and objects as JSON text. */
function queryForm(name: CkanActionName): TSchema {
  const schema = actionParamsSchema(name) as unknown as { properties: Record<string, Record<string, unknown>>; required?: string[] }
  const properties = Object.fromEntries(
    Object.entries(schema.properties).map(([param, property]) => {
      if (['string', 'integer', 'boolean'].includes(String(property.type))) return [param, property]
      const texts = Array.isArray(property.anyOf) && property.anyOf.some((item: { type?: string }) => item.type === 'string')
      return [param, { type: 'string', description: `${String(property.description)} Dans l’URL : ${texts ? 'le texte, ou ' : ''}le JSON de la valeur.` }]
    }),
  )
  return { type: 'object', properties, ...(schema.required ? { required: schema.required } : {}) }
}

/** The route schema of an action, read by GET (query string) or by POST (JSON body). */
export function actionRouteSchema(name: CkanActionName, method: 'GET' | 'POST', security: readonly Record<string, readonly string[]>[]) {
  const definition: CkanAction = CKAN_ACTIONS[name]
  const description = [
    definition.description,
    method === 'GET'
      ? 'Les mêmes paramètres s’envoient aussi en POST, dans un corps JSON.'
      : 'Le corps est un objet JSON des paramètres ; les listes et objets y sont des valeurs JSON. Les mêmes paramètres s’envoient aussi en GET.',
  ]
    .filter(Boolean)
    .join('\n\n')
  return {
    tags: [CKAN_TAGS[definition.group].name],
    operationId: method === 'GET' ? name : `${name}_post`,
    summary: `${name} — ${definition.summary}`,
    description,
    security,
    ...(method === 'GET' ? { querystring: queryForm(name) } : { body: actionParamsSchema(name) }),
    response: responses(name, definition),
  }
}
