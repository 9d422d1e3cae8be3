import { Type, type TProperties, type TSchema } from 'typebox'
import { DEFAULT_PACKAGE_SORT, PACKAGE_ROWS, PACKAGE_ROWS_MAX } from './catalogue-search.js'
import { DEFAULT_LANGUAGE, DEFAULT_LIMIT, LANGUAGES, RECORDS_FORMATS, ROWS_MAX } from './search-request.js'

/**
 * The CKAN actions of the Infotravail API and their parameters, once: the reference (OpenAPI)
 * documents them from here, `help_show` serves their docstrings from here, and the code that reads
 * a parameter may only read those declared here (`ActionParams` has no other key).
 */
export interface CkanAction<P extends TProperties = TProperties> {
  /** One line, in French: the operation's summary in the reference. */
  readonly summary: string
  /** More, in French (Markdown), for the reference. */
  readonly description?: string
  /** The first paragraph of the action's docstring, in English as CKAN serves it (help_show). */
  readonly help: string
  /** The parameters as a JSON body gives them (a query string gives each as text, lists and objects in JSON). */
  readonly params: P
  /** Each parameter's line of the docstring (`:param name: …`). */
  readonly paramHelp: { readonly [K in keyof P]: string }
  /** Its group in the reference. */
  readonly group: CkanActionGroup
  /** Whether the action looks a dataset, resource or organisation up (a 404 when there is none). */
  readonly findsOne?: boolean
}

export type CkanActionGroup = 'catalogue' | 'datastore' | 'site'

function action<P extends TProperties>(definition: CkanAction<P>): CkanAction<P> {
  return definition
}

const natural = (description: string, options: { default?: number; maximum?: number } = {}) =>
  Type.Optional(Type.Integer({ minimum: 0, ...options, description }))
const flag = (description: string, fallback: boolean) => Type.Optional(Type.Boolean({ default: fallback, description }))
const free = (description?: string) => Type.Object({}, { additionalProperties: true, ...(description ? { description } : {}) })

export const CKAN_ACTIONS = {
  package_list: action({
    group: 'catalogue',
    summary: 'Noms des jeux de données',
    help: "Return a list of the names of the site's datasets (packages).",
    params: {
      limit: natural('Nombre de noms au plus ; tous par défaut.'),
      offset: natural('Noms à sauter, pour lire par pages avec limit.', { default: 0 }),
    },
    paramHelp: {
      limit: 'if given, the list of datasets will be broken into pages of at most ``limit`` datasets per page (optional)',
      offset: 'when ``limit`` is given, the offset to start returning packages from (optional)',
    },
  }),
  package_show: action({
    group: 'catalogue',
    summary: 'Un jeu de données et ses ressources',
    description: 'La taille (`size`) de chaque ressource est son nombre de lignes, comme chez Infotravail.',
    help: 'Return the metadata of a dataset (package) and its resources.',
    params: { id: Type.String({ description: 'Identifiant ou nom du jeu de données, par exemple `rome`.' }) },
    paramHelp: { id: 'the id or name of the dataset' },
    findsOne: true,
  }),
  package_search: action({
    group: 'catalogue',
    summary: 'Rechercher des jeux de données',
    help: 'Searches for packages satisfying a given search criteria.',
    params: {
      q: Type.Optional(Type.String({ description: 'Mots qui doivent tous apparaître (accents et casse ignorés) ; `champ:valeur` accepté.' })),
      fq: Type.Optional(Type.String({ description: 'Filtres `champ:valeur` : tags, organization, res_format, license_id, name, title, notes, id.' })),
      rows: natural(`Jeux de données par page, ${PACKAGE_ROWS_MAX} au plus.`, { default: PACKAGE_ROWS, maximum: PACKAGE_ROWS_MAX }),
      start: natural('Jeux de données à sauter.', { default: 0 }),
      sort: Type.Optional(
        Type.String({ default: DEFAULT_PACKAGE_SORT, description: 'Champ (`name`, `title_string`, `metadata_modified`, `metadata_created`) suivi de `asc` ou `desc`.' }),
      ),
      'facet.field': Type.Optional(Type.Array(Type.String(), { description: 'Champs dont compter les valeurs : tags, organization, res_format, license_id, name.' })),
    },
    paramHelp: {
      q: 'the words that must all appear (case and accents ignored); ``field:value`` accepted',
      fq: 'any filter queries to apply, ``field:value``',
      rows: `the maximum number of matching rows (datasets) to return (default ${PACKAGE_ROWS}, max ${PACKAGE_ROWS_MAX})`,
      start: 'the offset in the complete result for where the set of returned datasets should begin',
      sort: `sorting of the search results (default "${DEFAULT_PACKAGE_SORT}")`,
      'facet.field': 'the fields to facet upon, a JSON list',
    },
  }),
  organization_list: action({
    group: 'catalogue',
    summary: 'Les organisations',
    help: "Return a list of the names of the site's organizations.",
    params: { all_fields: flag('Les organisations entières au lieu de leurs noms.', false) },
    paramHelp: { all_fields: 'return group dictionaries instead of just names (optional, default: false)' },
  }),
  organization_show: action({
    group: 'catalogue',
    summary: 'Une organisation et ses jeux de données',
    help: 'Return the details of an organization.',
    params: {
      id: Type.String({ description: 'Identifiant ou nom de l’organisation : `digidata`.' }),
      include_datasets: flag('Inclure ses jeux de données (`packages`), comme Infotravail par défaut.', true),
    },
    paramHelp: {
      id: 'the id or name of the organization',
      include_datasets: 'include a list of the organization’s datasets (optional, default: true, as the original)',
    },
    findsOne: true,
  }),
  resource_show: action({
    group: 'catalogue',
    summary: 'Une ressource',
    help: 'Return the metadata of a resource.',
    params: { id: Type.String({ description: 'Identifiant de la ressource.' }) },
    paramHelp: { id: 'the id of the resource' },
    findsOne: true,
  }),
  resource_search: action({
    group: 'catalogue',
    summary: 'Rechercher des ressources',
    description: 'Chaque terme est cherché dans le champ (casse et accents ignorés) ; plusieurs critères doivent tous être vérifiés.',
    help: 'Searches for resources satisfying a given search criteria.',
    params: {
      query: Type.Optional(
        Type.Union([Type.String(), Type.Array(Type.String())], {
          description: 'Critère `champ:terme`, ou une liste de critères, sur id, package_id, name, description, format, url, pe_source, pe_version, pe_type ou pe_status ; par exemple `pe_type:reference`.',
        }),
      ),
      fields: Type.Optional(free('Les mêmes critères en objet : `{"pe_type": "reference"}`.')),
      order_by: Type.Optional(Type.String({ description: 'Champ de tri des ressources.' })),
      offset: natural('Ressources à sauter.', { default: 0 }),
      limit: natural('Ressources au plus ; toutes par défaut.'),
    },
    paramHelp: {
      query: 'the search criteria, "field:term" or a list of them',
      fields: 'the search criteria as a dictionary of field: term',
      order_by: 'a resource field to order the results by',
      offset: 'apply an offset to the query',
      limit: 'apply a limit to the query',
    },
  }),
  datastore_info: action({
    group: 'datastore',
    summary: 'Les champs et le nombre de lignes d’une ressource',
    help: 'Return the fields and the number of rows of a DataStore resource.',
    params: {
      id: Type.String({ description: 'Identifiant de la ressource.' }),
      resource_id: Type.Optional(Type.String({ description: 'Accepté à la place de `id`.' })),
      include_meta: flag('Inclure `meta` : lignes, type de table, tailles en octets (table, index, base), alias.', true),
      include_fields_schema: flag('Inclure le `schema` de chaque champ : type PostgreSQL (`native_type`), index, unicité, non-nullité.', true),
    },
    paramHelp: {
      id: 'the id of the resource',
      resource_id: 'accepted instead of id',
      include_meta: 'return table size, index size, row count and aliases (optional, default: true)',
      include_fields_schema: "return fields' native type, index, unique, notnull status (optional, default: true)",
    },
    findsOne: true,
  }),
  datastore_search: action({
    group: 'datastore',
    summary: 'Rechercher dans les lignes d’une ressource',
    description: `Filtres d’égalité, texte intégral, champs, tri, pages. Sans \`sort\` ni \`q\`, les lignes viennent dans l’ordre de \`_id\`. \`_links.next\` porte un \`cursor\` qui lit la page suivante à coût constant. Un \`limit\` au-delà de ${ROWS_MAX} y est ramené.`,
    help: 'Search a DataStore resource.',
    params: {
      resource_id: Type.String({ description: 'Identifiant de la ressource (`id` est accepté à sa place).' }),
      id: Type.Optional(Type.String({ description: 'Accepté à la place de `resource_id`, comme Infotravail.' })),
      filters: Type.Optional(
        Type.Union([free(), Type.Array(free())], {
          description:
            'Égalités `{"CHAMP": "valeur"}`, appartenances `{"CHAMP": ["a", "b"]}`, intervalles `{"CHAMP": {"gte": 1, "lt": 5}}` (`gt`, `gte`, `lt`, `lte`), listes mêlant valeurs et intervalles (l’un ou l’autre), `{"$or": [{…}, {…}]}` et `$and` ; une liste de filtres : l’un ou l’autre. Les clés d’un objet sont toutes exigées.',
        }),
      ),
      q: Type.Optional(
        Type.Union([Type.String(), free()], {
          description:
            'Texte intégral sur toute la ligne (un texte), ou par champ (un objet `{"CHAMP": "texte"}`) : chaque mot est trouvé tel qu’écrit (codes, mots courts) ou par sa racine française. Sans `sort`, les lignes viennent par pertinence (`rank`, `rank CHAMP`).',
        }),
      ),
      full_text: Type.Optional(Type.String({ description: 'Texte intégral sur toute la ligne, comme `q` en texte (qu’il remplace), avec `q` par champ possible.' })),
      plain: flag('`q` en texte simple ; `false` : la syntaxe de `to_tsquery` de PostgreSQL.', true),
      language: Type.Optional(
        Type.String({ enum: [...LANGUAGES], default: DEFAULT_LANGUAGE, description: 'Analyse du texte de `q` : `french`, les mots tels qu’écrits et leurs racines françaises ; `simple`, les mots tels qu’écrits seulement.' }),
      ),
      distinct: flag('Lignes distinctes seulement.', false),
      fields: Type.Optional(
        Type.Union([Type.Array(Type.String()), Type.String()], {
          description: 'Champs rendus, dans cet ordre : une liste, ou leurs noms séparés par des virgules ; avec `q` ou `full_text`, `rank` et `rank CHAMP` aussi.',
        }),
      ),
      sort: Type.Optional(
        Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Tri : `"CHAMP [asc|desc] [nulls first|last], …"` ou une liste de clauses.' }),
      ),
      limit: natural(`Lignes au plus, ${ROWS_MAX} au maximum.`, { default: DEFAULT_LIMIT, maximum: ROWS_MAX }),
      offset: natural('Lignes à sauter.', { default: 0 }),
      cursor: Type.Optional(Type.String({ description: 'Position de la page suivante, prise dans `_links.next` (avec le même tri).' })),
      include_total: flag('Compter les lignes trouvées (`total`), exactement.', true),
      total_estimation_threshold: Type.Optional(
        Type.Integer({ description: 'Sans filtre ni `distinct` : rendre l’estimation des statistiques de la table quand elle atteint ce nombre de lignes (`total_was_estimated`).' }),
      ),
      include_next_page: flag('Trié sur `_id` seul (l’ordre par défaut) : rendre `next_page`, le filtre à ajouter pour la page suivante.', false),
      records_format: Type.Optional(Type.String({ enum: [...RECORDS_FORMATS], default: 'objects', description: 'Forme des lignes : objets, listes, ou texte CSV ou TSV.' })),
    },
    paramHelp: {
      resource_id: 'id (or alias `id`) of the resource',
      id: 'accepted instead of resource_id',
      filters: 'JSON object, {"FIELD": value}, {"FIELD": [values]}, {"FIELD": {"gte": value, "lt": value}} (gt, gte, lt, lte), {"$or": [filters]}, {"$and": [filters]}, or a list of filters (any of them)',
      q: 'full text, a string or a JSON object by field; each word found as written or by its French stem',
      full_text: 'full text over the row, instead of a string q (may go with q as an object)',
      plain: 'plain text query (default true)',
      language: `text search configuration: ${LANGUAGES.join(' or ')} (default ${DEFAULT_LANGUAGE})`,
      distinct: 'return only distinct rows (default false)',
      fields: 'list or comma-separated string; rank and "rank FIELD" with a full-text search',
      sort: '"FIELD [asc|desc] [nulls first|last], …"',
      limit: `default ${DEFAULT_LIMIT}, max ${ROWS_MAX}`,
      offset: 'rows to skip',
      cursor: 'keyset position from _links.next (pages at constant cost)',
      include_total: 'True to return the exact total matching record count (default true)',
      total_estimation_threshold: 'with neither filters nor distinct, the total is the estimate of the table statistics when it reaches this many rows, total_was_estimated true (default: none, always exact)',
      include_next_page: 'with a sort on _id alone (the default), return next_page, the filter to add for the next page (default false)',
      records_format: RECORDS_FORMATS.join(', '),
    },
    findsOne: true,
  }),
  datastore_search_sql: action({
    group: 'datastore',
    summary: 'Une requête SQL en lecture sur les ressources',
    description: `Un seul \`SELECT\` (\`WITH … SELECT\` permis) ; les tables sont les ressources, nommées par leur identifiant entre guillemets doubles, les colonnes aussi (\`"ROME_PROFESSION_CARD_CODE"\`). Lecture seule, ${ROWS_MAX} lignes au plus (\`records_truncated\` au-delà), fonctions de la liste blanche de CKAN. Une requête à la fois par application : 429 et \`Retry-After\` sinon.`,
    help: 'Execute one SELECT on DataStore resources (tables named by their resource id, double-quoted).',
    params: {
      sql: Type.String({ description: 'La requête, par exemple `SELECT * FROM "<id de ressource>" LIMIT 5`.' }),
    },
    paramHelp: {
      sql: `a single SELECT (WITH … SELECT allowed); read only, ${ROWS_MAX} rows and 16 MiB of row text at most (records_truncated); one statement at a time per client (429 and Retry-After otherwise)`,
    },
  }),
  help_show: action({
    group: 'site',
    summary: 'La documentation d’une action',
    help: 'Return the help string for a particular API action.',
    params: { name: Type.String({ description: 'Nom de l’action, par exemple `datastore_search`.' }) },
    paramHelp: { name: 'action name' },
    findsOne: true,
  }),
  status_show: action({
    group: 'site',
    summary: 'Description du site',
    help: "Return a dictionary with information about the site's configuration.",
    params: {},
    paramHelp: {},
  }),
} as const

/** The name of a CKAN action the service implements. */
export type CkanActionName = keyof typeof CKAN_ACTIONS

/** The actions, in the order of the reference. */
export const CKAN_ACTION_NAMES = Object.keys(CKAN_ACTIONS) as CkanActionName[]

/**
 * The parameters an action may read: those its definition declares, as given (text from a query
 * string, JSON values from a body). Reading another one does not compile.
 */
export type ActionParams<N extends CkanActionName> = { readonly [K in keyof (typeof CKAN_ACTIONS)[N]['params']]?: unknown }

/** Whether a name is one of the actions (an own key: `constructor` is not an action). */
export function isCkanAction(name: string): name is CkanActionName {
  return Object.hasOwn(CKAN_ACTIONS, name)
}

/** The docstring `help_show` serves: the action's help, then one `:param name: …` line per parameter. */
export function actionHelp(name: CkanActionName): string {
  const definition: CkanAction = CKAN_ACTIONS[name]
  const params = Object.entries(definition.paramHelp).map(([param, text]) => `:param ${param}: ${text}`)
  return params.length === 0 ? definition.help : `${definition.help}\n\n${params.join('\n')}`
}

/** The parameters of an action as one object schema (what a JSON body holds), required ones marked. */
export function actionParamsSchema(name: CkanActionName): TSchema {
  return Type.Object(CKAN_ACTIONS[name].params)
}
