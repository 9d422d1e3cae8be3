import { DatastoreValidationError, invalid } from './datastore-errors.js'

/**
 * datastore_search's `filters` as CKAN's newest DataStore reads them (ckan/ckan master, to be
 * 2.12: `ckanext/datastore/filters.py` and `_where_clauses`): `{"COL": value}` equality,
 * `{"COL": [values]}` membership, `{"COL": {"gt"|"gte"|"lt"|"lte": value}}` ranges (several keys
 * ANDed), lists mixing values and ranges (ORed), `$or` / `$and` over lists of filter dicts, and a
 * top-level list of filter dicts (ORed). CKAN 2.2's equality and membership filters are the
 * simplest case, with CKAN 2.2's messages for the errors it had.
 */

/** A comparison CKAN's filters make. */
export type FilterOperator = 'eq' | 'in' | 'gt' | 'gte' | 'lt' | 'lte'

/** A filter over the columns of type `F`: a comparison, or `and` / `or` of filters. */
export type FilterNode<F> =
  | { readonly kind: 'and' | 'or'; readonly members: readonly FilterNode<F>[] }
  | { readonly kind: 'compare'; readonly field: F; readonly op: FilterOperator; readonly values: readonly unknown[] }

const RANGES = new Set<string>(['gt', 'gte', 'lt', 'lte'])
/** CKAN's MAX_FILTER_OPS_DEPTH and MAX_FILTER_OPS_NUM. */
const MAX_DEPTH = 10
const MAX_OPERATIONS = 100

const present = <T>(item: T | undefined): T[] => (item === undefined ? [] : [item])
const isDict = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isListOfDicts = (value: unknown): value is Record<string, unknown>[] => Array.isArray(value) && value.every(isDict)

/**
 * A value as Python's repr writes it: CKAN's messages quote the client's JSON that way
 * (`{'id': 'bad'}`), and JavaScript's String() would write `[object Object]`.
 */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'"
    return `${quote}${value.replaceAll('\\', '\\\\').replaceAll(quote, `\\${quote}`).replaceAll('\n', '\\n')}${quote}`
  }
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`
  if (isDict(value)) return `{${Object.entries(value).map(([key, item]) => `${pythonRepr(key)}: ${pythonRepr(item)}`).join(', ')}}`
  // Client JSON holds nothing else.
  return typeof value === 'bigint' ? value.toString() : 'None'
}

/**
 * Reads `filters` (already parsed from JSON) against the columns `fieldOf` knows.
 * @param check turns a client's value into the column's (or throws CKAN's message for it).
 * @throws DatastoreValidationError on `filters`.
 */
export function parseFilters<F>(input: unknown, fieldOf: (name: string) => F | undefined, check: (field: F, value: unknown) => unknown): FilterNode<F> | undefined {
  if (!isDict(input) && !isListOfDicts(input)) throw invalid('filters', 'Not a json object')
  let operations = 0
  const errors: string[] = []
  const node = (made: FilterNode<F>): FilterNode<F> => {
    if (++operations > MAX_OPERATIONS) throw invalid('filters', 'Maximum number of filter operations exceeded')
    return made
  }
  const group = (kind: 'and' | 'or', members: FilterNode<F>[]): FilterNode<F> | undefined => {
    // Nested groups of the same kind merge into their parent, as CKAN combines them.
    const flat = members.flatMap((member) => (member.kind === kind ? member.members : [member]))
    if (flat.length === 0) return undefined
    return flat.length === 1 ? flat[0] : node({ kind, members: flat })
  }

  const compare = (name: string, op: string, value: unknown): FilterNode<F> | undefined => {
    const field = fieldOf(name)
    if (field === undefined) {
      errors.push(`field "${name}" not in table`)
      return undefined
    }
    if (op !== 'eq' && op !== 'in' && !RANGES.has(op)) {
      throw invalid('filters', `Unknown filter operation: FilterOp(field=${pythonRepr(name)}, op=${pythonRepr(op)}, value=${pythonRepr(value)})`)
    }
    const values = op === 'in' ? (value as unknown[]) : [value]
    return node({ kind: 'compare', field, op: op as FilterOperator, values: values.map((item) => check(field, item)) })
  }

  /** One column's filter: a value, a dict of operations (ANDed), or a list of values and dicts (ORed). */
  const column = (key: string, value: unknown): FilterNode<F> | undefined => {
    const name = key.startsWith('$$') ? key.slice(1) : key
    if (isDict(value)) {
      const entries = Object.entries(value)
      if (entries.length === 1) return compare(name, entries[0]?.[0] ?? '', entries[0]?.[1])
      return group('and', entries.flatMap(([op, item]) => compare(name, op, item) ?? []))
    }
    if (!Array.isArray(value)) return compare(name, 'eq', value)
    const operations = value.filter(isDict)
    const plain = value.filter((item) => !isDict(item))
    if (operations.length === 0) return compare(name, 'in', plain)
    const members = operations.flatMap((item) => column(key, item) ?? [])
    const values = plain.length > 0 ? compare(name, 'in', plain) : undefined
    if (values) members.push(values)
    return group('or', members)
  }

  /** A filter dict: its columns and operators, ANDed. */
  const dict = (value: Record<string, unknown>, depth: number): FilterNode<F> | undefined => {
    if (Object.keys(value).length >= MAX_OPERATIONS) throw invalid('filters', 'Maximum number of filter operations exceeded')
    const members: FilterNode<F>[] = []
    for (const [key, item] of Object.entries(value)) {
      if (!key.startsWith('$') || key.startsWith('$$')) {
        members.push(...present(column(key, item)))
        continue
      }
      if (key !== '$or' && key !== '$and') {
        errors.push(`Unknown operators (must be one of $or, $and): ${key}`)
        continue
      }
      if (!isListOfDicts(item)) {
        errors.push(`Filter operations must be defined as a list of dicts: ${pythonRepr(item)}`)
        continue
      }
      members.push(...present(list(key === '$or' ? 'or' : 'and', item, depth + 1)))
    }
    return group('and', members)
  }

  const list = (kind: 'and' | 'or', items: readonly Record<string, unknown>[], depth: number): FilterNode<F> | undefined => {
    if (depth >= MAX_DEPTH) throw invalid('filters', 'Maximum nesting depth for filter operations reached')
    if (items.length >= MAX_OPERATIONS) throw invalid('filters', 'Maximum number of filter operations exceeded')
    return group(kind, items.flatMap((item) => dict(item, depth) ?? []))
  }

  // Depth as CKAN counts it: the lists under the top level are at depth 1.
  const filters = Array.isArray(input) ? list('or', input, 1) : dict(input, 0)
  if (errors.length > 0) throw new DatastoreValidationError({ filters: errors })
  return filters
}
