/**
 * The types a `datastore_search_sql` query may name (casts, typed literals, column definition
 * lists of `json_to_record`, `JSON_TABLE`, `XMLTABLE`…).
 *
 * CKAN has no such list: its EXPLAIN check never saw types. But a type is a way in, as a function
 * is: every table has a row type, and `NULL::pg_authid` or `json_populate_record(null::pg_authid,
 * '{}')` read a catalogue table's shape (and on a server whose role may read it, its columns)
 * without naming a table. So types are allow-listed the same way: PostgreSQL's built-in scalar
 * types (and their arrays), plus the row types of the resources the caller may read, which CKAN
 * clients use with `json_populate_record(null::"<resource id>", …)` (CKAN runs that statement:
 * the resource is a table there too).
 *
 * Names are those the parser gives: `integer`, `int`, `double precision`, `character varying`,
 * `timestamp with time zone`… arrive as `pg_catalog.int4`, `pg_catalog.float8`,
 * `pg_catalog.varchar`, `pg_catalog.timestamptz`. Types whose input reads the catalogue (`reg*`,
 * `aclitem`), `oid` and the pseudo-types (`record`, `any*`, `internal`…) are not listed.
 */
export const ALLOWED_TYPES: ReadonlySet<string> = new Set([
  // booleans and numbers
  'bool', 'int2', 'int4', 'int8', 'float4', 'float8', 'numeric', 'money',
  // text and bytes
  'text', 'varchar', 'bpchar', 'char', 'name', 'bytea', 'bit', 'varbit', 'uuid',
  // dates and times
  'date', 'time', 'timetz', 'timestamp', 'timestamptz', 'interval',
  // documents and full text
  'json', 'jsonb', 'jsonpath', 'xml', 'tsvector', 'tsquery',
  // network addresses and geometry
  'inet', 'cidr', 'macaddr', 'macaddr8', 'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle',
  // ranges and multiranges of the above
  'int4range', 'int8range', 'numrange', 'daterange', 'tsrange', 'tstzrange',
  'int4multirange', 'int8multirange', 'nummultirange', 'datemultirange', 'tsmultirange', 'tstzmultirange',
])
