import type { Migration, MigrationProvider } from 'kysely'
import { offers } from './0001-offers.js'
import { searchDocs } from './0002-search-docs.js'
import { access } from './0003-access.js'
import { offerChanges } from './0004-offer-changes.js'
import { feedRetention } from './0005-feed-retention.js'
import { datastore } from './0006-datastore.js'
import { liveResources } from './0007-live-resources.js'
import { offerCompression } from './0008-offer-compression.js'
import { signInAttempts } from './0009-sign-in-attempts.js'
import { portalFlashes } from './0010-portal-flashes.js'

/** Every migration, in order; names are never changed once released. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-offers': offers,
  '0002-search-docs': searchDocs,
  '0003-access': access,
  '0004-offer-changes': offerChanges,
  '0005-feed-retention': feedRetention,
  '0006-datastore': datastore,
  '0007-live-resources': liveResources,
  '0008-offer-compression': offerCompression,
  '0009-sign-in-attempts': signInAttempts,
  '0010-portal-flashes': portalFlashes,
}

/** Serves the migrations compiled into the program (no file-system lookup). */
export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
}
