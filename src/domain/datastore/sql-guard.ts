/**
 * The static safety check of `datastore_search_sql`: decides, before anything runs, whether a
 * client's SQL may be executed, and which resources it reads.
 *
 * CKAN protects this action in layers (ckan/ckan `ckanext/datastore/backend/postgres.py`
 * `search_sql`, `helpers.py`): a single-statement test with sqlparse, a read-only database role,
 * a statement timeout, and an `EXPLAIN (VERBOSE, FORMAT JSON)` of the query whose plan lists the
 * tables (any `pg_*` one is refused) and the functions (checked against an allow-list). This
 * module replaces the first and the last layer by one check on PostgreSQL's own parse tree
 * (libpg_query, the server's grammar compiled to WebAssembly), built as an allow-list: a node type,
 * a table or a function that is not known to be harmless is refused. The other layers (read-only
 * transaction and role, timeout, row cap) belong to the executor; wrapForExecution() gives it the
 * text to run.
 *
 * Verdicts follow CKAN's error shapes: a ValidationError (409, `{"query": [message]}`) for a query
 * that is not one plain SELECT, and a NotAuthorized (403, a message) for what CKAN's EXPLAIN check
 * refuses. When a query breaks several rules, the one CKAN would report first wins: syntax and
 * statement shape, then unknown relations (CKAN's EXPLAIN fails on them before any check), system
 * tables, resources the caller may not read, and last functions.
 *
 * Choices where CKAN had none to copy, because its plan-based check never saw these things:
 * - casts to the `reg*` types (regclass, regproc, regtype, regrole, regnamespace…) and `aclitem`
 *   are refused as system-table access: their input functions look names up in the catalogue;
 * - system columns (ctid, xmin, xmax, cmin, cmax, tableoid) are refused, also as `(t).xmin`: they
 *   expose storage and transaction state, not data, and differ between engines;
 * - attribute notation `t.f` / `(t).f` calls `f(t)` when `t` has no column `f`; a qualified name
 *   starting with `pg_` is refused as a function call (see Walker.attribute());
 * - `CURRENT_USER`, `SESSION_USER`, `USER`, `CURRENT_ROLE`, `CURRENT_CATALOG`, `CURRENT_SCHEMA`
 *   and `SYSTEM_USER` are refused like functions outside the allow-list: they read server state;
 * - a table qualified by a schema is allowed only in `datastore` (ours) or `public` (CKAN's
 *   resource schema: CKAN's own tests query `public."<id>"`); `pg_*` and `information_schema` are
 *   system tables; any other schema is refused as a resource the caller may not read;
 * - types are allow-listed as functions are (allowed-types.ts): built-in scalar types and their
 *   arrays, and the row types of readable resources; a `pg_*` type (a catalogue table's row
 *   type) or one of a system schema is refused as system-table access, any other as a type the
 *   caller may not use.
 */
import { Buffer } from 'node:buffer'
import { ALLOWED_FUNCTIONS } from './allowed-functions.js'
import { ALLOWED_TYPES } from './allowed-types.js'

/**
 * What the caller knows of a table name: `true` for a resource (or alias) the caller may read,
 * `'forbidden'` for one that exists but that the caller may not read (a private resource), and
 * `false` for a name that is not a resource.
 */
export type ResourceAccess = boolean | 'forbidden'

/** Answers for one table name, exactly as written (quoted identifiers keep their case). */
export type ResourceLookup = (name: string) => ResourceAccess

/** The outcome of checkSql(). */
export type SqlVerdict =
  /** Safe to execute; `resources` are the resource names it reads, deduplicated, in text order. */
  | { ok: true; resources: string[] }
  /** CKAN's ValidationError: the body part under `error` (next to `"__type": "Validation Error"`). */
  | { ok: false; status: 409; error: { query: string[] } }
  /** CKAN's NotAuthorized: the message (CKAN renders it as `"Access denied: <message>"`). */
  | { ok: false; status: 403; message: string }

/** Longer SQL is refused before parsing: no client needs it, and parsing costs time and memory. */
export const MAX_SQL_LENGTH = 100_000

/** The messages of the verdicts, for callers and tests. */
export const SQL_MESSAGES = {
  /** CKAN's own text, also used for a text containing `\'` (as CKAN does) or no statement at all. */
  notSingle: 'Query is not a single statement.',
  notSelect: 'Query is not a SELECT statement.',
  selectInto: 'SELECT INTO is not allowed.',
  locking: 'SELECT FOR UPDATE/SHARE is not allowed.',
  writeInWith: 'Data-modifying statements are not allowed in WITH.',
  tooLong: `Query is longer than ${MAX_SQL_LENGTH} characters.`,
  tooComplex: 'Query is too complex.',
  nul: 'Query contains a NUL character.',
  unsupported: (nodeType: string) => `Unsupported SQL construct: ${nodeType}.`,
  crossDatabase: (name: string) => `cross-database references are not implemented: ${name}`,
  /** PostgreSQL's message, as CKAN returns it when EXPLAIN fails on an unknown table. */
  unknownRelation: (name: string) => `relation "${name}" does not exist`,
  /** CKAN's NotAuthorized messages. */
  systemTables: 'Not authorized to access system tables',
  systemColumns: 'Not authorized to access system columns',
  readResource: 'Not authorized to read resource.',
  callFunction: (name: string) => `Not authorized to call function ${name}`,
  callOperator: (name: string) => `Not authorized to call operator ${name}`,
  useType: (name: string) => `Not authorized to use type ${name}`,
} as const

// ---------------------------------------------------------------------------------------------
// The parser: loaded lazily (the WebAssembly module is 1.1 MB and only this action needs it), once.

interface PgParser {
  parseSync(sql: string): unknown
  isSyntaxError(err: unknown): boolean
}

let loading: Promise<PgParser> | undefined
let loaded: PgParser | undefined

/**
 * Loads the PostgreSQL parser (libpg_query compiled to WebAssembly, read from the package, no
 * download). Idempotent; a failed load is retried by the next call. checkSql() calls it.
 */
export async function loadSqlParser(): Promise<void> {
  loading ??= import('libpg-query').then(async (mod) => {
    await mod.loadModule()
    loaded = {
      parseSync: (sql) => mod.parseSync(sql) as unknown,
      isSyntaxError: (err) => err instanceof mod.SqlError,
    }
    return loaded
  })
  try {
    await loading
  } catch (err) {
    loading = undefined
    throw err
  }
}

/** True once the parser is loaded, so that the synchronous functions can be used. */
export function isSqlParserLoaded(): boolean {
  return loaded !== undefined
}

function parser(): PgParser {
  if (loaded === undefined) throw new Error('The SQL parser is not loaded: await loadSqlParser() or checkSql() first.')
  return loaded
}

// ---------------------------------------------------------------------------------------------
// Entry points

/**
 * Checks the SQL of a `datastore_search_sql` call (see the module comment for the rules).
 * Does not execute anything; `isResource` is called at most once per distinct table name.
 */
export async function checkSql(sql: string, isResource: ResourceLookup): Promise<SqlVerdict> {
  await loadSqlParser()
  return checkSqlSync(sql, isResource)
}

/** checkSql() without the await, once loadSqlParser() has resolved (throws before). */
export function checkSqlSync(sql: string, isResource: ResourceLookup): SqlVerdict {
  return inspect(sql, isResource).verdict
}

/**
 * checkSql(), then, when the query is accepted, wrapForExecution() on the statement the check
 * parsed (the text is parsed once for both).
 */
export async function checkSqlForExecution(
  sql: string,
  isResource: ResourceLookup,
  limit: number,
): Promise<SqlVerdict & ({ ok: false } | { ok: true; wrapped: string })> {
  await loadSqlParser()
  const { verdict, statement } = inspect(sql, isResource)
  if (!verdict.ok) return verdict
  if (statement === undefined) throw new Error('An accepted query without its statement')
  return { ...verdict, wrapped: wrapStatement(statement, limit) }
}

/** The verdict on a query, and the text of its one statement when it parsed as one. */
function inspect(sql: string, isResource: ResourceLookup): { verdict: SqlVerdict; statement?: string } {
  const pg = parser()
  if (sql.length > MAX_SQL_LENGTH) return { verdict: invalid(SQL_MESSAGES.tooLong) }
  // libpg_query reads a C string: a NUL would hide the rest of the text from the check.
  if (sql.includes('\0')) return { verdict: invalid(SQL_MESSAGES.nul) }
  // CKAN refuses any `\'`: with standard_conforming_strings off it would end no string, so the
  // server and the checker could disagree on where strings end.
  if (sql.includes("\\'")) return { verdict: invalid(SQL_MESSAGES.notSingle) }
  if (sql.trim() === '') return { verdict: invalid(SQL_MESSAGES.notSingle) }

  const parsed = parse(pg, sql)
  if ('verdict' in parsed) return { verdict: parsed.verdict }
  if (parsed.statements.length !== 1) return { verdict: invalid(SQL_MESSAGES.notSingle) }
  const statement = parsed.statements[0] ?? {}
  const select = unwrap(statement.stmt, 'SelectStmt')
  if (select === undefined) return { verdict: invalid(SQL_MESSAGES.notSelect) }

  const walker = new Walker(isResource)
  try {
    walker.select(select, [])
  } catch (err) {
    // A tree deep enough to exhaust the stack: refuse rather than fail.
    if (err instanceof RangeError) return { verdict: invalid(SQL_MESSAGES.tooComplex) }
    throw err
  }
  return { verdict: walker.verdict(), statement: statementText(sql, statement) }
}

/**
 * Wraps an accepted query as CKAN does before running it:
 * `SELECT * FROM (<sql>) AS blah LIMIT <limit + 1>`, so that one row more than the cap tells the
 * executor to drop it and answer `records_truncated: true`. `limit` is the row cap (CKAN's
 * `ckan.datastore.search.rows_max`).
 *
 * The statement is cut out of the text with the parser's own bounds, so a trailing `;` (and any
 * comment after it) is left out, and it is put on lines of its own so that a trailing `--`
 * comment cannot swallow the closing parenthesis. Only pass SQL that checkSql() accepted; the
 * parser must be loaded. Throws if the text is not exactly one statement or the wrapped text does
 * not parse as the expected single SELECT.
 */
export function wrapForExecution(sql: string, limit: number): string {
  const pg = parser()
  // The same text-level refusals as checkSql(), in case a caller skipped it.
  if (sql.includes('\0') || sql.includes("\\'")) throw new Error('wrapForExecution() was given SQL that checkSql() refuses')
  const parsed = parse(pg, sql)
  if ('verdict' in parsed || parsed.statements.length !== 1) {
    throw new Error('wrapForExecution() needs exactly one statement that parses')
  }
  return wrapStatement(statementText(sql, parsed.statements[0] ?? {}), limit)
}

/** The wrapping of wrapForExecution() around the text of one statement. */
function wrapStatement(statement: string, limit: number): string {
  if (!Number.isSafeInteger(limit) || limit < 0 || limit + 1 > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`limit must be a non-negative safe integer, got ${limit}`)
  }
  const wrapped = `SELECT * FROM (\n${statement}\n) AS blah LIMIT ${limit + 1}`
  // Belt and braces: the result must parse as one SELECT whose only FROM item is our subquery.
  if (!isWrappedSubquery(parse(parser(), wrapped))) throw new Error('wrapForExecution() produced an unexpected statement')
  return wrapped
}

function isWrappedSubquery(parsed: ReturnType<typeof parse>): boolean {
  if ('verdict' in parsed || parsed.statements.length !== 1) return false
  const outer = unwrap(parsed.statements[0]?.stmt, 'SelectStmt')
  const from = outer?.fromClause
  if (outer === undefined || outer.withClause !== undefined || !Array.isArray(from) || from.length !== 1) return false
  const alias = unwrap(from[0], 'RangeSubselect')?.alias
  return isRecord(alias) && alias.aliasname === 'blah'
}

// ---------------------------------------------------------------------------------------------
// Parsing

type Json = Record<string, unknown>

interface RawStatement {
  stmt?: unknown
  stmt_location?: number
  stmt_len?: number
}

function parse(pg: PgParser, sql: string): { statements: RawStatement[] } | { verdict: SqlVerdict } {
  let tree: unknown
  try {
    tree = pg.parseSync(sql)
  } catch (err) {
    if (err instanceof RangeError) return { verdict: invalid(SQL_MESSAGES.tooComplex) }
    // PostgreSQL's message, e.g. `syntax error at or near "FROM"`, as CKAN returns it.
    if (pg.isSyntaxError(err) && err instanceof Error) return { verdict: invalid(err.message) }
    throw err
  }
  const stmts = isRecord(tree) ? tree.stmts : undefined
  // No `stmts` at all: a text of comments only.
  const statements = (Array.isArray(stmts) ? stmts : []).filter(isRecord).map((raw): RawStatement => ({
    stmt: raw.stmt,
    stmt_location: typeof raw.stmt_location === 'number' ? raw.stmt_location : undefined,
    stmt_len: typeof raw.stmt_len === 'number' ? raw.stmt_len : undefined,
  }))
  return { statements }
}

/** The text of one statement: libpg_query gives its bounds in UTF-8 bytes, not UTF-16 units. */
function statementText(sql: string, statement: RawStatement): string {
  const bytes = Buffer.from(sql, 'utf8')
  const start = statement.stmt_location ?? 0
  // A length of 0 (absent) means "up to the end of the text": there was no `;` after it.
  const end = statement.stmt_len === undefined || statement.stmt_len === 0 ? bytes.length : start + statement.stmt_len
  return bytes.subarray(start, end).toString('utf8')
}

// ---------------------------------------------------------------------------------------------
// The walk

/**
 * The node types a SELECT's raw parse tree may contain. Anything else (statements, locking
 * clauses, parameters, future node types) is refused. Inline structures (Alias, WithClause,
 * WindowDef, TypeName under `typeName`, JSON formats…) carry no type tag and are walked field by
 * field, with the shape checks of Walker.struct().
 */
const NODE_TYPES: ReadonlySet<string> = new Set([
  // statements and clauses
  'SelectStmt', 'ResTarget', 'SortBy', 'WindowDef', 'GroupingSet', 'CommonTableExpr', 'WithClause',
  'CTESearchClause', 'CTECycleClause', 'Alias',
  // FROM items
  'RangeVar', 'JoinExpr', 'RangeSubselect', 'RangeFunction', 'RangeTableSample', 'RangeTableFunc',
  'RangeTableFuncCol', 'ColumnDef', 'JsonTable', 'JsonTableColumn', 'JsonTablePathSpec',
  // expressions
  'ColumnRef', 'A_Star', 'A_Const', 'A_Expr', 'A_Indices', 'A_Indirection', 'A_ArrayExpr', 'TypeCast',
  'TypeName', 'CollateClause', 'FuncCall', 'NamedArgExpr', 'SubLink', 'BoolExpr', 'NullTest',
  'BooleanTest', 'CaseExpr', 'CaseWhen', 'CoalesceExpr', 'MinMaxExpr', 'RowExpr', 'GroupingFunc',
  'SQLValueFunction', 'XmlExpr', 'XmlSerialize',
  // SQL/JSON expressions (pure functions of their arguments)
  'JsonFormat', 'JsonReturning', 'JsonValueExpr', 'JsonOutput', 'JsonArgument', 'JsonBehavior',
  'JsonFuncExpr', 'JsonIsPredicate', 'JsonParseExpr', 'JsonScalarExpr', 'JsonSerializeExpr',
  'JsonKeyValue', 'JsonObjectConstructor', 'JsonArrayConstructor', 'JsonArrayQueryConstructor',
  'JsonAggConstructor', 'JsonObjectAgg', 'JsonArrayAgg',
  // values
  'List', 'String', 'Integer', 'Float', 'Boolean', 'BitString',
])

/** Statements that write, found where a CTE's query should be. */
const WRITE_STATEMENTS: ReadonlySet<string> = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt'])

/** Types whose input reads the catalogue (names of tables, functions, roles…). */
const CATALOGUE_TYPES: ReadonlySet<string> = new Set([
  'regclass', 'regcollation', 'regconfig', 'regdictionary', 'regnamespace', 'regoper', 'regoperator',
  'regproc', 'regprocedure', 'regrole', 'regtype', 'aclitem',
])

const SYSTEM_COLUMNS: ReadonlySet<string> = new Set(['ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid'])

/** Schemas a resource may be qualified with: ours, and CKAN's (`public`). */
const RESOURCE_SCHEMAS: ReadonlySet<string> = new Set(['datastore', 'public'])

/** SQLValueFunction kinds that read server state (the date/time ones are allowed). */
const SERVER_STATE_VALUES: Readonly<Record<string, string>> = {
  SVFOP_CURRENT_ROLE: 'current_role',
  SVFOP_CURRENT_USER: 'current_user',
  SVFOP_USER: 'user',
  SVFOP_SESSION_USER: 'session_user',
  SVFOP_CURRENT_CATALOG: 'current_catalog',
  SVFOP_CURRENT_SCHEMA: 'current_schema',
}

/** TABLESAMPLE methods built into PostgreSQL (a method is a handler function). */
const SAMPLE_METHODS: ReadonlySet<string> = new Set(['bernoulli', 'system'])

/** The order in which CKAN would report a problem (see the module comment). */
const Rank = { shape: 0, unknownRelation: 1, system: 2, forbidden: 3, function: 4 } as const
type Rank = (typeof Rank)[keyof typeof Rank]

/** CTE names visible at a point of the query, innermost last. */
type Scope = readonly ReadonlySet<string>[]

class Walker {
  /** The first refusal met for each rank. */
  private readonly refusals: (SqlVerdict | undefined)[] = []
  /** Resource name → position of its first mention. */
  private readonly resources = new Map<string, number>()
  private readonly lookups = new Map<string, ResourceAccess>()

  constructor(private readonly isResource: ResourceLookup) {}

  verdict(): SqlVerdict {
    for (const refusal of this.refusals) if (refusal !== undefined) return refusal
    const resources = [...this.resources].sort((a, b) => a[1] - b[1]).map(([name]) => name)
    return { ok: true, resources }
  }

  /** A SELECT (a set operation's branches included), with the CTEs visible around it. */
  select(body: Json, scope: Scope): void {
    if (body.intoClause !== undefined) this.refuse(Rank.shape, invalid(SQL_MESSAGES.selectInto))
    if (Array.isArray(body.lockingClause) && body.lockingClause.length > 0) {
      this.refuse(Rank.shape, invalid(SQL_MESSAGES.locking))
    }
    const inner = isRecord(body.withClause) ? this.with(body.withClause, scope) : scope
    // Set operations: the branches are inline SelectStmts and see the WITH of the whole.
    for (const branch of [body.larg, body.rarg]) if (isRecord(branch)) this.select(branch, inner)
    for (const [key, value] of Object.entries(body)) {
      // intoClause is not walked: it names the table to create, not one to read.
      if (key === 'withClause' || key === 'larg' || key === 'rarg' || key === 'intoClause') continue
      this.node(value, inner)
    }
  }

  /** A WITH clause; returns the scope of the statement it belongs to. */
  private with(clause: Json, scope: Scope): Scope {
    const ctes = Array.isArray(clause.ctes) ? clause.ctes : []
    const names = ctes.map((cte) => {
      const name = unwrap(cte, 'CommonTableExpr')?.ctename
      return typeof name === 'string' ? name : ''
    })
    const recursive = clause.recursive === true
    ctes.forEach((item, i) => {
      const cte = unwrap(item, 'CommonTableExpr')
      if (cte === undefined) return this.node(item, scope)
      // Without RECURSIVE a CTE sees only the ones before it; its own name, or a later one,
      // means a table of that name (PostgreSQL's rule), so it is checked as such.
      const visible: Scope = [...scope, new Set(recursive ? names : names.slice(0, i))]
      const query = typeOf(cte.ctequery)
      const select = unwrap(cte.ctequery, 'SelectStmt')
      if (select !== undefined) this.select(select, visible)
      else if (query !== undefined && WRITE_STATEMENTS.has(query)) this.refuse(Rank.shape, invalid(SQL_MESSAGES.writeInWith))
      else this.node(cte.ctequery, visible)
      for (const [key, value] of Object.entries(cte)) if (key !== 'ctequery') this.node(value, visible)
    })
    return [...scope, new Set(names)]
  }

  private node(value: unknown, scope: Scope): void {
    if (Array.isArray(value)) {
      for (const item of value) this.node(item, scope)
      return
    }
    if (!isRecord(value)) return
    const type = typeOf(value)
    if (type === undefined) return this.struct(value, scope)
    if (!NODE_TYPES.has(type)) {
      if (type === 'LockingClause') return this.refuse(Rank.shape, invalid(SQL_MESSAGES.locking))
      if (type === 'IntoClause') return this.refuse(Rank.shape, invalid(SQL_MESSAGES.selectInto))
      return this.refuse(Rank.shape, invalid(SQL_MESSAGES.unsupported(type)))
    }
    const body = value[type]
    if (!isRecord(body)) return
    switch (type) {
      case 'SelectStmt':
        return this.select(body, scope)
      case 'ColumnRef':
        this.columnRef(body)
        break
      case 'A_Indirection':
        this.indirection(body)
        break
      case 'A_Expr':
        if (Array.isArray(body.name)) this.operator(body.name)
        break
      case 'SortBy':
        // ORDER BY x USING op
        if (Array.isArray(body.useOp)) this.operator(body.useOp)
        break
      case 'SubLink':
        // x op ANY (SELECT …)
        if (Array.isArray(body.operName)) this.operator(body.operName)
        break
      case 'SQLValueFunction':
        this.valueFunction(body)
        break
      case 'RangeTableSample':
        this.sampleMethod(body)
        break
      case 'TypeName':
        this.typeName(body)
        break
      default:
        break
    }
    this.struct(body, scope)
  }

  /**
   * A node's fields (or an inline structure's). The shape checks also catch a RangeVar or a
   * FuncCall written inline, should a future grammar put one where no type tag says so.
   */
  private struct(body: Json, scope: Scope): void {
    if (typeof body.relname === 'string') this.rangeVar(body, scope)
    if (Array.isArray(body.funcname)) this.funcCall(body.funcname)
    if (isRecord(body.typeName)) this.typeName(body.typeName)
    for (const value of Object.values(body)) this.node(value, scope)
  }

  private rangeVar(body: Json, scope: Scope): void {
    const relname = String(body.relname)
    const schema = typeof body.schemaname === 'string' ? body.schemaname : undefined
    if (typeof body.catalogname === 'string') {
      const name = [body.catalogname, schema ?? '', relname].join('.')
      return this.refuse(Rank.shape, invalid(SQL_MESSAGES.crossDatabase(name)))
    }
    // CKAN refuses any relation whose name starts with pg_; a CTE of such a name too, so that
    // no scoping subtlety can let a catalogue table pass for a CTE.
    if (relname.startsWith('pg_') || (schema !== undefined && isSystemSchema(schema))) {
      return this.refuse(Rank.system, forbidden(SQL_MESSAGES.systemTables))
    }
    if (schema === undefined) {
      if (scope.some((names) => names.has(relname))) return
      return this.table(relname, relname, body.location)
    }
    if (RESOURCE_SCHEMAS.has(schema)) return this.table(relname, `${schema}.${relname}`, body.location)
    this.refuse(Rank.forbidden, forbidden(SQL_MESSAGES.readResource))
  }

  /** What the caller knows of a resource name, asked once per name. */
  private lookup(name: string): ResourceAccess {
    let access = this.lookups.get(name)
    if (access === undefined) {
      access = this.isResource(name)
      this.lookups.set(name, access)
    }
    return access
  }

  private table(name: string, written: string, location: unknown): void {
    const access = this.lookup(name)
    if (access === 'forbidden') return this.refuse(Rank.forbidden, forbidden(SQL_MESSAGES.readResource))
    if (access !== true) return this.refuse(Rank.unknownRelation, invalid(SQL_MESSAGES.unknownRelation(written)))
    this.mention(name, location)
  }

  private mention(name: string, location: unknown): void {
    const at = typeof location === 'number' ? location : Number.MAX_SAFE_INTEGER
    const seen = this.resources.get(name)
    if (seen === undefined || at < seen) this.resources.set(name, at)
  }

  private funcCall(funcname: unknown[]): void {
    const names = stringList(funcname)
    if (names === undefined) return this.refuse(Rank.shape, invalid(SQL_MESSAGES.unsupported('FuncCall')))
    const [first, second] = names
    const name = names.length === 1 ? first : names.length === 2 && first === 'pg_catalog' ? second : undefined
    if (name === undefined) return this.refuse(Rank.function, forbidden(SQL_MESSAGES.callFunction(names.join('.'))))
    if (!ALLOWED_FUNCTIONS.has(name)) this.refuse(Rank.function, forbidden(SQL_MESSAGES.callFunction(name)))
  }

  /** Operators map to functions; only PostgreSQL's own (unqualified or pg_catalog) are allowed. */
  private operator(name: unknown[]): void {
    const names = stringList(name)
    if (names === undefined) return this.refuse(Rank.shape, invalid(SQL_MESSAGES.unsupported('operator name')))
    if (names.length > 1 && (names.length > 2 || names[0] !== 'pg_catalog')) {
      this.refuse(Rank.function, forbidden(SQL_MESSAGES.callOperator(names.join('.'))))
    }
  }

  /** `col`, `t.col`, `t.*`: the last name is a column, or a function of the row (`t.f` is `f(t)`). */
  private columnRef(body: Json): void {
    const fields = Array.isArray(body.fields) ? body.fields : []
    const last = unwrap(fields[fields.length - 1], 'String')?.sval
    if (typeof last === 'string') this.attribute(last, fields.length > 1)
  }

  /** `(expr).name`: a field of a row value, a system column of a table row, or `name(expr)`. */
  private indirection(body: Json): void {
    const items = Array.isArray(body.indirection) ? body.indirection : []
    for (const item of items) {
      const name = unwrap(item, 'String')?.sval
      if (typeof name === 'string') this.attribute(name, true)
    }
  }

  /**
   * PostgreSQL reads `t.name` as `name(t)` when `t` has no such column (attribute notation), for
   * any single-argument function that accepts the row (`r.row_to_json`, `r.pg_column_size`…), and
   * `(t).xmin` reaches system columns. The allow-list cannot be applied (a column and a function
   * look the same here), so the names that matter are refused: system columns, and `pg_*` names,
   * which is where PostgreSQL keeps its functions on rows that read server or storage state.
   */
  private attribute(name: string, qualified: boolean): void {
    if (SYSTEM_COLUMNS.has(name)) return this.refuse(Rank.system, forbidden(SQL_MESSAGES.systemColumns))
    if (qualified && name.startsWith('pg_')) this.refuse(Rank.function, forbidden(SQL_MESSAGES.callFunction(name)))
  }

  private valueFunction(body: Json): void {
    const name = typeof body.op === 'string' ? SERVER_STATE_VALUES[body.op] : undefined
    if (name !== undefined) this.refuse(Rank.function, forbidden(SQL_MESSAGES.callFunction(name)))
  }

  private sampleMethod(body: Json): void {
    const names = Array.isArray(body.method) ? stringList(body.method) : undefined
    if (names === undefined) return this.refuse(Rank.shape, invalid(SQL_MESSAGES.unsupported('RangeTableSample')))
    const [first, second] = names
    const name = names.length === 1 ? first : names.length === 2 && first === 'pg_catalog' ? second : undefined
    if (name === undefined || !SAMPLE_METHODS.has(name)) {
      this.refuse(Rank.function, forbidden(SQL_MESSAGES.callFunction(names.join('.'))))
    }
  }

  /**
   * A type named anywhere (cast, typed literal, column definition): an allow-listed built-in
   * type, unqualified or in `pg_catalog`, or the row type of a resource the caller may read.
   */
  private typeName(body: Json): void {
    const names = Array.isArray(body.names) ? stringList(body.names) : undefined
    if (names === undefined) return this.refuse(Rank.shape, invalid(SQL_MESSAGES.unsupported('TypeName')))
    if (names.length === 0) return
    const last = names[names.length - 1] ?? ''
    const base = last.replace(/^_+/, '') // `_regclass` is regclass[]
    const schema = names.length > 1 ? names[names.length - 2] : undefined
    if (CATALOGUE_TYPES.has(base) || base.startsWith('pg_') || (schema !== undefined && isSystemSchema(schema) && schema !== 'pg_catalog')) {
      return this.refuse(Rank.system, forbidden(SQL_MESSAGES.systemTables))
    }
    const builtIn = names.length === 1 || (names.length === 2 && schema === 'pg_catalog')
    // `_int4` is int4[]: one underscore in front names the array type of a built-in.
    if (builtIn && ALLOWED_TYPES.has(last.startsWith('_') ? last.slice(1) : last)) return
    if (names.length === 1 || (names.length === 2 && schema !== undefined && RESOURCE_SCHEMAS.has(schema))) {
      const access = this.lookup(last)
      if (access === 'forbidden') return this.refuse(Rank.forbidden, forbidden(SQL_MESSAGES.readResource))
      // Read like a table: the executor must have it (and, for a live one, bring it up to date).
      if (access === true) return this.mention(last, body.location)
    }
    this.refuse(Rank.function, forbidden(SQL_MESSAGES.useType(names.join('.'))))
  }

  private refuse(rank: Rank, verdict: SqlVerdict): void {
    this.refusals[rank] ??= verdict
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function invalid(message: string): SqlVerdict {
  return { ok: false, status: 409, error: { query: [message] } }
}

function forbidden(message: string): SqlVerdict {
  return { ok: false, status: 403, message }
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The tag of a node (`{"SelectStmt": {…}}` → `SelectStmt`); undefined for an inline structure. */
function typeOf(value: unknown): string | undefined {
  if (!isRecord(value)) return undefined
  const keys = Object.keys(value)
  const [key] = keys
  return keys.length === 1 && key !== undefined && /^[A-Z]/.test(key) ? key : undefined
}

function unwrap(value: unknown, type: string): Json | undefined {
  if (typeOf(value) !== type || !isRecord(value)) return undefined
  const body = value[type]
  return isRecord(body) ? body : undefined
}

/** A list of String nodes as strings; undefined if any item is something else. */
function stringList(items: unknown[]): string[] | undefined {
  const names: string[] = []
  for (const item of items) {
    const sval = unwrap(item, 'String')?.sval
    if (typeof sval !== 'string') return undefined
    names.push(sval)
  }
  return names
}

function isSystemSchema(schema: string): boolean {
  return schema === 'information_schema' || schema.startsWith('pg_')
}
