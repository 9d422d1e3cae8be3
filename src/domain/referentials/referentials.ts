import {
  GRANDS_DOMAINES,
  LANGUES,
  NATURES_CONTRATS,
  NIVEAUX_FORMATIONS,
  PERMIS,
  TYPES_CONTRATS,
  type CodeLabel,
} from './static-lists.js'
import { createHash } from 'node:crypto'
import { foldAccents } from '../../shared/text.js'

/** The 16 referentials of the Offres d'emploi v2 API, named as their path segment. */
export const REFERENTIAL_NAMES = [
  'appellations',
  'communes',
  'continents',
  'departements',
  'domaines',
  'langues',
  'metiers',
  'nafs',
  'naturesContrats',
  'niveauxFormations',
  'pays',
  'permis',
  'regions',
  'secteursActivites',
  'themes',
  'typesContrats',
] as const

export type ReferentialName = (typeof REFERENTIAL_NAMES)[number]

/** A commune or a municipal arrondissement, with what search and enrichment need. */
export interface CommuneRecord {
  readonly code: string
  /** The original's label: upper case, no accents, no hyphens ("VILLIERS LE DUC", "PARIS 08"). */
  readonly libelle: string
  /** The official name with accents ("Villiers-le-Duc"). */
  readonly nom: string
  readonly codePostal: string
  readonly codeDepartement: string
  readonly codeRegion: string
  readonly latitude: number
  readonly longitude: number
  readonly population: number
  /** For an arrondissement municipal, the code of its commune (75056, 69123, 13055). */
  readonly parent?: string
}

export interface RegionRecord {
  readonly code: string
  readonly libelle: string
}

export interface DepartementRecord {
  readonly code: string
  readonly libelle: string
  readonly region: RegionRecord
}

/** A ROME 4.0 fiche (métier) with its place in the trees that search filters on. */
export interface MetierRecord {
  readonly code: string
  readonly libelle: string
  /** Professional domain, e.g. `K24`. */
  readonly domaine: string
  /** Value of the `grandDomaine` search parameter this fiche belongs to (`K`, or `M18` for M18xx). */
  readonly grandDomaine: string
  /** Codes of the ROME themes (`1`…`17`) the fiche belongs to. */
  readonly themes: readonly string[]
}

export interface AppellationRecord {
  readonly code: string
  /** Full label, as in the appellations referential. */
  readonly libelle: string
  /** Short label (≤ 60 characters), as in an offer's `appellationlibelle`. */
  readonly libelleCourt: string
  readonly romeCode: string
}

/** Everything the referentials are built from; produced by the loader from the shipped data files. */
export interface ReferentialSources {
  readonly communes: readonly CommuneRecord[]
  readonly departements: readonly DepartementRecord[]
  readonly regions: readonly RegionRecord[]
  readonly metiers: readonly MetierRecord[]
  readonly appellations: readonly AppellationRecord[]
  readonly domaines: readonly CodeLabel[]
  readonly themes: readonly CodeLabel[]
  readonly nafs: readonly CodeLabel[]
  readonly secteursActivites: readonly CodeLabel[]
  readonly pays: readonly CodeLabel[]
  readonly continents: readonly CodeLabel[]
  /** Continent code of each pays code. */
  readonly paysContinents: ReadonlyMap<string, string>
  /** Neighbouring départements of each département. */
  readonly neighbours: ReadonlyMap<string, readonly string[]>
}

/** Upper case, accents removed, hyphens and apostrophes as spaces: the original's place labels. */
export function toPlaceLabel(name: string): string {
  return foldAccents(name)
    .toUpperCase()
    .replace(/[-'’]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

function byCode<T extends { readonly code: string }>(items: readonly T[]): ReadonlyMap<string, T> {
  return new Map(items.map((item) => [item.code, item]))
}

function byLabel(items: readonly CodeLabel[]): ReadonlyMap<string, string> {
  return new Map(items.map((item) => [normalizeLabel(item.libelle), item.code]))
}

const normalized = new Map<string, string>()

/** Key for label lookups: accents, case and spacing do not matter. Labels recur: memoised. */
export function normalizeLabel(label: string): string {
  let key = normalized.get(label)
  if (key === undefined) {
    key = foldAccents(label).toLowerCase().replace(/\s+/g, ' ').trim()
    if (normalized.size >= 50_000) normalized.clear()
    normalized.set(label, key)
  }
  return key
}

/**
 * The reference data of the Offres API: the 16 wire lists and the lookups that enrichment,
 * validation and search need. Immutable once built.
 */
export class Referentials {
  readonly communes: ReadonlyMap<string, CommuneRecord>
  readonly departements: ReadonlyMap<string, DepartementRecord>
  readonly regions: ReadonlyMap<string, RegionRecord>
  readonly metiers: ReadonlyMap<string, MetierRecord>
  readonly appellations: ReadonlyMap<string, AppellationRecord>
  readonly domaines: ReadonlyMap<string, CodeLabel>
  readonly themes: ReadonlyMap<string, CodeLabel>
  readonly nafs: ReadonlyMap<string, CodeLabel>
  readonly secteursActivites: ReadonlyMap<string, CodeLabel>
  readonly pays: ReadonlyMap<string, CodeLabel>
  readonly continents: ReadonlyMap<string, CodeLabel>
  readonly typesContrats: ReadonlyMap<string, CodeLabel> = byCode(TYPES_CONTRATS)
  readonly naturesContrats: ReadonlyMap<string, CodeLabel> = byCode(NATURES_CONTRATS)
  readonly niveauxFormations: ReadonlyMap<string, CodeLabel> = byCode(NIVEAUX_FORMATIONS)
  readonly permis: ReadonlyMap<string, CodeLabel> = byCode(PERMIS)
  readonly langues: ReadonlyMap<string, CodeLabel> = byCode(LANGUES)
  readonly grandsDomaines: ReadonlyMap<string, CodeLabel> = byCode(GRANDS_DOMAINES)
  readonly paysContinents: ReadonlyMap<string, string>
  readonly neighbours: ReadonlyMap<string, readonly string[]>
  /**
   * A short digest of the data offers' search features are derived from: features computed with
   * other data (another ROME release, moved commune centres) are recognised as stale.
   */
  readonly fingerprint: string

  private readonly lists: Readonly<Record<ReferentialName, readonly object[]>>
  private readonly natureByLabel = byLabel(NATURES_CONTRATS)
  private readonly niveauByLabel = byLabel(NIVEAUX_FORMATIONS)
  private readonly langueByLabel = byLabel(LANGUES)
  private readonly paysByLabel: ReadonlyMap<string, string>
  private readonly regionByLabel: ReadonlyMap<string, string>
  private readonly departementByLabel: ReadonlyMap<string, string>
  private readonly appellationsByLabel: ReadonlyMap<string, readonly string[]>

  constructor(sources: ReferentialSources) {
    this.communes = byCode(sources.communes)
    this.departements = byCode(sources.departements)
    this.regions = byCode(sources.regions)
    this.metiers = byCode(sources.metiers)
    this.appellations = byCode(sources.appellations)
    this.domaines = byCode(sources.domaines)
    this.themes = byCode(sources.themes)
    this.nafs = byCode(sources.nafs)
    this.secteursActivites = byCode(sources.secteursActivites)
    this.pays = byCode(sources.pays)
    this.continents = byCode(sources.continents)
    this.paysContinents = sources.paysContinents
    this.neighbours = sources.neighbours
    const digest = createHash('sha256')
    for (const part of [
      sources.communes,
      sources.departements,
      sources.metiers,
      sources.appellations,
      sources.pays,
      [...sources.paysContinents],
      NATURES_CONTRATS,
      NIVEAUX_FORMATIONS,
      PERMIS,
    ]) {
      digest.update(JSON.stringify(part))
    }
    this.fingerprint = digest.digest('hex').slice(0, 12)
    this.paysByLabel = byLabel(sources.pays)
    this.regionByLabel = byLabel(sources.regions)
    this.departementByLabel = byLabel(sources.departements)

    const appellationsByLabel = new Map<string, string[]>()
    for (const appellation of sources.appellations) {
      for (const label of new Set([appellation.libelle, appellation.libelleCourt])) {
        const key = normalizeLabel(label)
        const codes = appellationsByLabel.get(key) ?? []
        codes.push(appellation.code)
        appellationsByLabel.set(key, codes)
      }
    }
    this.appellationsByLabel = appellationsByLabel

    const plain = (items: readonly CodeLabel[]) => items.map(({ code, libelle }) => ({ code, libelle }))
    this.lists = {
      appellations: plain(sources.appellations),
      communes: sources.communes.map(({ code, libelle, codePostal, codeDepartement }) => ({
        code,
        libelle,
        codePostal,
        codeDepartement,
      })),
      continents: plain(sources.continents),
      departements: sources.departements.map(({ code, libelle, region }) => ({
        code,
        libelle,
        region: { code: region.code, libelle: region.libelle },
      })),
      domaines: plain(sources.domaines),
      langues: plain(LANGUES),
      metiers: plain(sources.metiers),
      nafs: plain(sources.nafs),
      naturesContrats: plain(NATURES_CONTRATS),
      niveauxFormations: plain(NIVEAUX_FORMATIONS),
      pays: plain(sources.pays),
      permis: plain(PERMIS),
      regions: plain(sources.regions),
      secteursActivites: plain(sources.secteursActivites),
      themes: plain(sources.themes),
      typesContrats: plain(TYPES_CONTRATS),
    }
  }

  /** The items of one referential, in the shape the API serves. */
  list(name: ReferentialName): readonly object[] {
    return this.lists[name]
  }

  /** Code of a contract nature from the label an offer carries ("Contrat travail" → E1). */
  natureCodeOf(label: string): string | undefined {
    return this.natureByLabel.get(normalizeLabel(label))
  }

  /** Code of an education level from an offer's `niveauLibelle`. */
  niveauFormationCodeOf(label: string): string | undefined {
    return this.niveauByLabel.get(normalizeLabel(label))
  }

  /** Code of a driving licence from an offer's label: the part before " - " ("B - Véhicule léger" → B). */
  permisCodeOf(label: string): string | undefined {
    const code = label.split(' - ')[0]?.trim().toUpperCase()
    return code !== undefined && this.permis.has(code) ? code : undefined
  }

  /** Code of a language from its label ("Anglais" → EN). */
  langueCodeOf(label: string): string | undefined {
    return this.langueByLabel.get(normalizeLabel(label))
  }

  /** Code of a country from its label ("Allemagne" → 02). */
  paysCodeOf(label: string): string | undefined {
    return this.paysByLabel.get(normalizeLabel(label))
  }

  /** Code of a region from its name ("Nouvelle-Aquitaine" → 75). */
  regionCodeOf(label: string): string | undefined {
    return this.regionByLabel.get(normalizeLabel(label))
  }

  /** Code of a département from its name ("Nord" → 59). */
  departementCodeOf(label: string): string | undefined {
    return this.departementByLabel.get(normalizeLabel(label))
  }

  /** Appellation codes whose full or short label is exactly this one (case and accents aside). */
  appellationCodesOf(label: string): readonly string[] {
    return this.appellationsByLabel.get(normalizeLabel(label)) ?? []
  }
}
