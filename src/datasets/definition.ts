/**
 * What a dataset of the Infotravail API is: packages of resources, each resource a typed table
 * whose rows come from a file shipped in `data/` (or, for live resources, from a SQL view over
 * the store). The definitions are data about data; the datastore (storage/datastore) loads them.
 */

/** A column's type, as the datastore reports it (`fields[].type`) and stores it. */
export type FieldType = 'text' | 'int' | 'numeric' | 'date' | 'timestamp' | 'bool'

/** One column of a resource: its UPPER_CASE name, its type and its data-dictionary entry. */
export interface DatasetField {
  /** The column name, UPPER_CASE as the original (`ROME_PROFESSION_CARD_CODE`). */
  readonly id: string
  readonly type: FieldType
  /** CKAN's data dictionary (`fields[].info`): a French label and a note on origin and meaning. */
  readonly info: { readonly label: string; readonly notes: string }
}

/** A value of a row, in the order of the resource's fields; null for an empty cell. */
export type CellValue = string | number | boolean | null

/** Where the figures of a resource come from: shown in the resource's metadata. */
export interface Provenance {
  /** The files in `data/` the rows are read from, relative to `data/`. */
  readonly files: readonly string[]
  /** Who published the figures, the licence, and the upstream copy (see the folder's SOURCE.md). */
  readonly attribution: string
  /** The date (or period) the figures describe, ISO 8601 (`2025`, `2021-12-21`, `2025-09`). */
  readonly date: string
}

/** What describes a resource, whatever its rows come from. */
export interface ResourceMetadata {
  /** A UUID; the original's id where it is known (infotravail-contract §1.3), else a fixed new one. */
  readonly id: string
  /** The resource's name as the original titled it where known ("Résultats enquête BMO 2025"). */
  readonly name: string
  readonly description: string
  /** The original's source table name (`pe_source`), e.g. `ROME_REFERENTIEL_METIER`. */
  readonly peSource: string
  /** The version of the data (`pe_version`): several versions of one name may coexist. */
  readonly peVersion: string
  /** `reference` for referentials (ROME, FAP, …), `data` for statistics and offers. */
  readonly peType: 'reference' | 'data'
  readonly fields: readonly DatasetField[]
  readonly provenance: Provenance
}

/** A resource loaded from files: `rows` yields every row, cells in the order of `fields`. */
export interface FileResource extends ResourceMetadata {
  readonly kind: 'file'
  /** Rows expected from the files, checked at load (the count must equal the source's). */
  readonly expectedRows: number
  rows(dataDir: URL): AsyncIterable<readonly CellValue[]> | Iterable<readonly CellValue[]>
}

/**
 * A resource computed by the database from other resources or from the offers store: `select`
 * is one SELECT whose columns are the fields, in order (other resources named by `{{resource id}}`,
 * the offers table as `{{offers}}`). It is current whenever it is read.
 */
export interface ViewResource extends ResourceMetadata {
  readonly kind: 'view'
  readonly select: string
  /**
   * How the rows stay current. Absent: computed once at load (views over shipped resources).
   * `view`: a SQL view, computed at every read (cheap ones over other resources). `offers`: a
   * table kept current from the offers' change log, one row per active offer (`select` reads
   * `{{offers}}` and yields `_id` and the `key` column, the offer's id): brought up to date before
   * every read, by the changes since its last update only. A key that is not one of the fields
   * (a layout with no offer id, as the original's) is kept in a hidden column of the table, which
   * datastore_search and dumps never serve. `indexed`: the columns that get a B-tree, when not
   * the first 32 (a wide table names those clients filter on: every refresh updates each one).
   */
  readonly live?: { readonly kind: 'view' } | { readonly kind: 'offers'; readonly key: string; readonly indexed?: readonly string[] }
}

export type ResourceDefinition = FileResource | ViewResource

/** A package (CKAN dataset) of the organisation `digidata`. */
export interface PackageDefinition {
  /** A UUID; the original's where known (`521b5b3e-…` for bmo). */
  readonly id: string
  /** The short name clients use (`rome`, `bmo`, `agences`, `imt`, `statistiques`, `offres`). */
  readonly name: string
  readonly title: string
  /** What the package holds, where its figures come from and their date (markdown). */
  readonly notes: string
  /** How often the publisher refreshes it ("trimestrielle", "annuelle", …). */
  readonly frequency: string
  readonly tags: readonly string[]
  readonly resources: readonly ResourceDefinition[]
}
