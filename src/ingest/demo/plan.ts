/**
 * The corpus plan: weighted tables, the share of each ROME domain and the base mix of contract types.
 * Labels elsewhere are copied from real offers where they exist; the rest is plain French.
 */
import type { Random } from './random.js'

export interface Choice<T> {
  readonly items: readonly T[]
  readonly weights: readonly number[]
}

export function choice<T>(pairs: readonly (readonly [T, number])[]): Choice<T> {
  return { items: pairs.map((pair) => pair[0]), weights: pairs.map((pair) => pair[1]) }
}

export function draw<T>(random: Random, table: Choice<T>): T {
  return random.weighted(table.items, table.weights)
}

export type Tier = 0 | 1 | 2 | 3

/** What the corpus needs per ROME letter (the grand domaine, promoted domains folded in). */
export interface Domain {
  /** Share of the offers, in %: the usual order of magnitude of France Travail's offers by domain. */
  readonly share: number
  /** Formacode labels, as `formations[].domaineLibelle` writes them. */
  readonly formationDomains: readonly string[]
  /** Probability that an offer of the domain is part-time. */
  readonly partTime: number
  /** Manual jobs use the ouvrier qualification scale (1–4) instead of the employé one (5–6). */
  readonly manual: boolean
  /** Multipliers of the base contract weights (seasonal work in tourism, temping in industry). */
  readonly contracts?: Readonly<Partial<Record<ContractCode, number>>>
}

/** Support functions (M): also the domain of any letter the table would miss. */
export const SUPPORT_DOMAIN: Domain = {
  share: 10,
  formationDomains: ['comptabilité gestion', 'informatique', 'statistique', 'ressources humaines', 'secrétariat', 'marketing'],
  partTime: 0.08,
  manual: false,
}

// Shares: vente, transport-logistique, services à la personne, hôtellerie-restauration, BTP, industrie,
// support and santé make up most offers; arts, spectacle and communication are marginal.
export const DOMAINS: Readonly<Record<string, Domain>> = {
  A: {
    share: 3,
    formationDomains: ['agriculture', 'horticulture', 'aménagement paysager', 'viticulture', 'élevage', 'agronomie'],
    partTime: 0.1,
    manual: true,
    contracts: { SAI: 4, CDI: 0.8 },
  },
  B: {
    share: 0.4,
    formationDomains: ['arts appliqués', 'ébénisterie', 'métiers d’art'],
    partTime: 0.15,
    manual: true,
  },
  C: {
    share: 3,
    formationDomains: ['banque', 'assurance', 'immobilier', 'gestion de patrimoine'],
    partTime: 0.06,
    manual: false,
    contracts: { LIB: 3 },
  },
  D: {
    share: 14,
    formationDomains: ['commerce', 'vente', 'boulangerie', 'boucherie', 'relation client'],
    partTime: 0.22,
    manual: false,
  },
  E: {
    share: 1.2,
    formationDomains: ['communication', 'journalisme', 'design graphique', 'multimédia'],
    partTime: 0.08,
    manual: false,
  },
  F: {
    share: 9,
    formationDomains: ['maçonnerie', 'génie civil', 'électricité du bâtiment', 'plomberie', 'menuiserie'],
    partTime: 0.04,
    manual: true,
    contracts: { MIS: 1.6 },
  },
  G: {
    share: 11,
    formationDomains: ['cuisine', 'hôtellerie restauration', 'service en salle', 'tourisme'],
    partTime: 0.22,
    manual: false,
    contracts: { SAI: 4, CDD: 1.2 },
  },
  H: {
    share: 9,
    formationDomains: ['productique', 'mécanique', 'chaudronnerie', 'maintenance industrielle', 'agroalimentaire'],
    partTime: 0.04,
    manual: true,
    contracts: { MIS: 1.8, CDI: 0.85 },
  },
  I: {
    share: 6,
    formationDomains: ['électrotechnique', 'entretien mécanique', 'mécanique automobile', 'génie climatique'],
    partTime: 0.04,
    manual: true,
    contracts: { MIS: 1.4 },
  },
  J: {
    share: 7,
    formationDomains: ['soins infirmiers', 'santé', 'pharmacie', 'aide-soignant', 'rééducation'],
    partTime: 0.15,
    manual: false,
    contracts: { LIB: 4 },
  },
  K: {
    share: 13,
    formationDomains: ['sanitaire et social', 'petite enfance', 'propreté', 'animation', 'aide à la personne'],
    partTime: 0.35,
    manual: false,
  },
  L: {
    share: 1.2,
    formationDomains: ['spectacle vivant', 'audiovisuel', 'sport', 'animation sportive'],
    partTime: 0.25,
    manual: false,
    contracts: { CDD: 1.6 },
  },
  M: SUPPORT_DOMAIN,
  N: {
    share: 12,
    formationDomains: ['transport', 'logistique', 'magasinage', 'conduite routière'],
    partTime: 0.08,
    manual: true,
    contracts: { MIS: 2, CDI: 0.85 },
  },
}

/** Contract types and their base shares in % (the brief's proportions; DDT is never used). */
export type ContractCode = 'CDI' | 'CDD' | 'MIS' | 'SAI' | 'LIB' | 'DIN' | 'CCE' | 'FRA' | 'TTI' | 'DDI' | 'REP'
export const CONTRACT_SHARES: readonly (readonly [ContractCode, number])[] = [
  ['CDI', 50], ['CDD', 25], ['MIS', 15], ['SAI', 4], ['LIB', 2], ['DIN', 1.5], ['CCE', 0.8], ['FRA', 0.5],
  ['TTI', 0.5], ['DDI', 0.5], ['REP', 0.2],
]
