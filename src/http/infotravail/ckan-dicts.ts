import type { PackageRecord, ResourceRecord } from '../../domain/datastore/datastore.repository.js'

/** The one organisation of the original's catalogue. */
export const ORGANIZATION = {
  id: '0b7e6f3c-5a7e-4f0c-9d1e-6a2b0f1c9d01',
  name: 'digidata',
  title: 'Digidata',
  description:
    'Données ouvertes sur l’emploi et le marché du travail : répertoire des métiers (ROME), enquête Besoins en main-d’œuvre, agences, statistiques et offres d’emploi anonymisées.',
} as const

const LICENSE = {
  license_id: 'fr-lo',
  license_title: 'Licence Ouverte / Open Licence version 2.0',
  license_url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence',
}

/** CKAN writes dates without a zone, to the microsecond. */
export function ckanDate(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000`
}

/** The organisation dict (`organization_show`, and inside every package). */
export function organizationDict(created: Date, packageCount: number) {
  return {
    id: ORGANIZATION.id,
    name: ORGANIZATION.name,
    title: ORGANIZATION.title,
    display_name: ORGANIZATION.title,
    description: ORGANIZATION.description,
    type: 'organization',
    is_organization: true,
    state: 'active',
    approval_status: 'approved',
    image_url: '',
    image_display_url: '',
    created: ckanDate(created),
    package_count: packageCount,
  }
}

/** A resource dict: CKAN's keys plus the original's `pe_*` extras; `size` is the row count, as there. */
export function resourceDict(resource: ResourceRecord, base: string, rows: number | undefined) {
  return {
    id: resource.id,
    package_id: resource.packageId,
    name: resource.name,
    description: resource.description,
    format: 'CSV',
    mimetype: 'text/csv',
    url: `${base}/partenaire/infotravail/v1/datastore/dump/${resource.id}`,
    url_type: 'datastore',
    datastore_active: true,
    size: rows ?? null,
    state: 'active',
    position: resource.position,
    created: ckanDate(resource.createdAt),
    last_modified: ckanDate(resource.updatedAt),
    metadata_modified: ckanDate(resource.updatedAt),
    hash: '',
    cache_url: null,
    resource_type: resource.kind === 'view' ? 'view' : null,
    pe_source: resource.peSource,
    pe_version: resource.peVersion,
    pe_type: resource.peType,
    pe_status: 'actif',
    provenance: resource.provenance,
  }
}

/** A package dict, with its resources (rows by resource id for `size`). */
export function packageDict(pkg: PackageRecord, base: string, rows: ReadonlyMap<string, number | undefined>) {
  const modified = [pkg.updatedAt, ...pkg.resources.map((resource) => resource.updatedAt)].reduce((a, b) => (a > b ? a : b))
  return {
    id: pkg.id,
    name: pkg.name,
    title: pkg.title,
    notes: pkg.notes,
    type: 'dataset',
    state: 'active',
    private: false,
    isopen: true,
    ...LICENSE,
    author: 'France Travail et partenaires (voir chaque ressource)',
    author_email: null,
    maintainer: 'OpenEmploi',
    maintainer_email: null,
    url: '',
    version: null,
    creator_user_id: null,
    metadata_created: ckanDate(pkg.createdAt),
    metadata_modified: ckanDate(modified),
    owner_org: ORGANIZATION.id,
    organization: organizationDict(pkg.createdAt, 0),
    num_resources: pkg.resources.length,
    num_tags: pkg.tags.length,
    tags: pkg.tags.map((tag) => ({ id: tag, name: tag, display_name: tag, state: 'active', vocabulary_id: null })),
    extras: [{ key: 'frequence', value: pkg.frequency }],
    groups: [],
    relationships_as_object: [],
    relationships_as_subject: [],
    resources: pkg.resources.map((resource) => resourceDict(resource, base, rows.get(resource.id))),
  }
}
