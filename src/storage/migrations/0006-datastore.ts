import { sql, type Kysely, type Migration } from 'kysely'

/** The role datastore_search_sql runs as: it may only read the datastore's resource tables. */
export const DATASTORE_READER_ROLE = 'openemploi_datastore_reader'

/**
 * The Infotravail datastore: the catalogue of packages and resources. Each resource's rows live
 * in a table of their own named by the resource id (a UUID, always double-quoted).
 */
export const datastore: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('datastore_packages')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('name', 'text', (column) => column.notNull().unique())
      .addColumn('title', 'text', (column) => column.notNull())
      .addColumn('notes', 'text', (column) => column.notNull())
      .addColumn('frequency', 'text', (column) => column.notNull())
      .addColumn('tags', 'jsonb', (column) => column.notNull())
      .addColumn('position', 'integer', (column) => column.notNull())
      .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
      .execute()
    await db.schema
      .createTable('datastore_resources')
      .addColumn('id', 'text', (column) => column.primaryKey())
      .addColumn('package_id', 'text', (column) => column.notNull().references('datastore_packages.id'))
      .addColumn('name', 'text', (column) => column.notNull())
      .addColumn('description', 'text', (column) => column.notNull())
      .addColumn('pe_source', 'text', (column) => column.notNull())
      .addColumn('pe_version', 'text', (column) => column.notNull())
      .addColumn('pe_type', 'text', (column) => column.notNull())
      // file: rows loaded into a table; view: computed by the database whenever read.
      .addColumn('kind', 'text', (column) => column.notNull())
      .addColumn('fields', 'jsonb', (column) => column.notNull())
      .addColumn('provenance', 'jsonb', (column) => column.notNull())
      // Rows of a loaded table; null for a view (counted when asked).
      .addColumn('size', 'bigint')
      // What was loaded (definition and files): another fingerprint means the shipped data changed.
      .addColumn('fingerprint', 'text', (column) => column.notNull())
      // shipped: from the definitions in the program; import: replaced by an operator.
      .addColumn('origin', 'text', (column) => column.notNull())
      .addColumn('position', 'integer', (column) => column.notNull())
      .addColumn('created_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
      .addColumn('updated_at', 'timestamptz', (column) => column.notNull().defaultTo(sql`now()`))
      .execute()
    await db.schema.createIndex('datastore_resources_package').on('datastore_resources').column('package_id').execute()
    // A role that can read nothing but what it is granted; where the database user may not create
    // roles, datastore_search_sql still runs in a read-only transaction behind the SQL guard.
    await sql
      .raw(
        `do $$ begin
          if not exists (select from pg_roles where rolname = '${DATASTORE_READER_ROLE}') then
            create role ${DATASTORE_READER_ROLE} nologin;
          end if;
          execute format('grant usage on schema %I to ${DATASTORE_READER_ROLE}', current_schema());
        exception when insufficient_privilege or duplicate_object or unique_violation then null;
        end $$`,
      )
      .execute(db)
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('datastore_resources').execute()
    await db.schema.dropTable('datastore_packages').execute()
  },
}
