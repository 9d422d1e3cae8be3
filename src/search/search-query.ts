import type { SalaryPeriod } from './offer-features.js'

/** Orders of the original: 0 relevance, 1 creation date, 2 distance (each with its tie-breakers). */
export type SortOrder = 0 | 1 | 2

/** A point searched around: the centre of a commune, or a point given by its coordinates (WGS 84). */
export interface GeoCentre {
  /** The commune's INSEE code; absent for a point given by `latitude` and `longitude`. */
  readonly commune?: string
  readonly latitude: number
  readonly longitude: number
}

/** Around which centres, how far (the radius already widened by the tolerance). */
export interface GeoFilter {
  readonly centres: readonly GeoCentre[]
  /** Radius in km; 0 means "this commune only". */
  readonly radiusKm: number
  /** Commune codes whose offers all match because of the Paris and Lyon rules (contract §4). */
  readonly wholeCities: readonly string[]
}

/** What else satisfies a keyword in an extended search. */
export interface ExtendedKeyword {
  /** For each term of the keyword (in order), other terms an offer may hold instead: near spellings. */
  readonly nearTerms: readonly (readonly string[])[]
  /** Appellations whose offers satisfy the keyword: those it names (ROME labels, former labels, abbreviations). */
  readonly appellations: readonly string[]
}

/**
 * One search, already validated and resolved against the referentials. Every present criterion
 * must hold (AND), a list inside a criterion is an OR, and `typesContrat` OR `naturesContrat`.
 */
export interface SearchQuery {
  /** Each keyword as its analysed terms; an offer must contain every term of every keyword. */
  readonly keywords?: readonly (readonly string[])[]
  /**
   * `rechercheEtendue`: for each keyword (in the order of `keywords`), what else satisfies it. An
   * offer that satisfies a keyword only this way ranks below the offers holding every keyword's
   * terms as written.
   */
  readonly extendedKeywords?: readonly ExtendedKeyword[]
  readonly romeCodes?: readonly string[]
  readonly appellations?: readonly string[]
  readonly domaines?: readonly string[]
  readonly grandsDomaines?: readonly string[]
  readonly themes?: readonly string[]
  readonly secteursActivite?: readonly string[]
  readonly codesNaf?: readonly string[]
  readonly experiences?: readonly string[]
  readonly experienceExigences?: readonly string[]
  readonly typesContrat?: readonly string[]
  readonly naturesContrat?: readonly string[]
  readonly origine?: '1' | '2'
  readonly qualifications?: readonly ('0' | '9')[]
  readonly dureesHebdo?: readonly ('0' | '1' | '2')[]
  readonly weeklyMinutesMin?: number
  readonly weeklyMinutesMax?: number
  readonly contractMonthsMin?: number
  readonly contractMonthsMax?: number
  readonly geo?: GeoFilter
  readonly departements?: readonly string[]
  readonly regions?: readonly string[]
  readonly paysContinents?: readonly string[]
  readonly niveauxFormation?: readonly string[]
  readonly permis?: readonly string[]
  readonly salary?: { readonly min: number; readonly period: SalaryPeriod }
  readonly accessibleTH?: boolean
  /** `entreprisesAdaptees` and `employeursHandiEngages`: when both are asked, either suffices. */
  readonly entrepriseAdaptee?: boolean
  readonly employeurHandiEngage?: boolean
  readonly offresManqueCandidats?: boolean
  readonly mrs?: boolean
  /** Inclusive bounds on the creation date, epoch milliseconds. */
  readonly createdFrom?: number
  readonly createdTo?: number
  readonly partners?: { readonly names: readonly string[]; readonly mode: 'INCLUS' | 'EXCLU' }
  readonly sort: SortOrder
}

/**
 * Where one offer stands in a search's order: every value the sorts compare, and the offer's id,
 * which ends every order. A page asked "after" a key continues the order from there.
 */
export interface SortKey {
  /** Relevance score (0 without keywords). */
  readonly score: number
  /** Distance in km from the nearest centre (0 without a place). */
  readonly distance: number
  /** Creation date, epoch milliseconds. */
  readonly date: number
  /** 1 France Travail, 2 partner. */
  readonly origine: number
  readonly id: string
}

/** Window of results asked for, 0-based and inclusive, already checked against the limits. */
export interface ResultWindow {
  readonly start: number
  readonly end: number
}

/** Per-value counts of one facet, in display order. */
export interface FacetCounts {
  readonly filtre: 'typeContrat' | 'experience' | 'qualification' | 'natureContrat'
  readonly agregation: readonly { readonly valeurPossible: string; readonly nbResultats: number }[]
}

/** What a search finds: the ids of the window in order, the full match count and the facets. */
export interface SearchResult {
  readonly total: number
  readonly ids: readonly string[]
  readonly facets: readonly FacetCounts[]
}

/** Salaries are compared on their upper bound in the asked period; see `salaryIn`. */
export type { SalaryPeriod }
