import { Type, type Static } from 'typebox'

/** Kinds of organisation that own applications (the catalogue's « types de clients »). */
export const ORGANISATION_KINDS = ['particulier', 'entreprise', 'collectivite', 'ministere'] as const
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number]
export const OrganisationKindSchema = Type.Union(ORGANISATION_KINDS.map((kind) => Type.Literal(kind)))

/** The kind a user wrote, in any case and with or without accents (« collectivité », « Ministère »). */
export function organisationKindOf(value: string): OrganisationKind | undefined {
  const plain = value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase()
  return ORGANISATION_KINDS.find((kind) => kind === plain)
}

/** One API of the catalogue, as `data/apis/catalogue.json` describes it and `GET /catalogue` serves it. */
export const CatalogueApiSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9]+$', description: 'Identifiant, ex. offresdemploiv2.' }),
    titre: Type.String(),
    version: Type.String(),
    accroche: Type.String(),
    description: Type.String(),
    proprietaire: Type.String(),
    categorie: Type.String(),
    contrat: Type.String(),
    acces: Type.String(),
    contact: Type.String(),
    lienDocumentation: Type.String(),
    lienAcces: Type.String(),
    lienStat: Type.String(),
    royaume: Type.String(),
    scopes: Type.Array(Type.String({ pattern: '^[A-Za-z0-9_.-]+$' }), { minItems: 1 }),
    cheminBase: Type.String(),
    typesClients: Type.Array(OrganisationKindSchema),
    partenaires: Type.Array(Type.String()),
    motsCles: Type.Array(Type.String()),
    cgu: Type.Object({ version: Type.String(), date: Type.String(), fichier: Type.String() }),
    /** `automatique`: granted on acceptance of the terms; `validation`: pending until an administrator approves. */
    ouverture: Type.Union([Type.Literal('automatique'), Type.Literal('validation')]),
  },
  { $id: 'ApiCatalogue', additionalProperties: false },
)
export type CatalogueApi = Static<typeof CatalogueApiSchema>

export const CatalogueFileSchema = Type.Object({ apis: Type.Array(CatalogueApiSchema, { minItems: 1 }) })

/** The APIs the service publishes, with the text of each one's current terms. */
export interface ApiCatalogue {
  readonly apis: readonly CatalogueApi[]
  get(id: string): CatalogueApi | undefined
  /** The text (Markdown) of an API's current terms of use. */
  terms(id: string): string
}
