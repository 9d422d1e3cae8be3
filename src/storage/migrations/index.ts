import type { Migration, MigrationProvider } from 'kysely'
import { offers } from './0001-offers.js'

/** Every migration, in order; names are never changed once released. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-offers': offers,
}

/** Serves the migrations compiled into the program (no file-system lookup). */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
}
