import type { Offre } from '../../domain/offers/offer.schema.js'
import type {
  AppellationRecord,
  CommuneRecord,
  DepartementRecord,
  MetierRecord,
  Referentials,
} from '../../domain/referentials/referentials.js'
import { DEPLACEMENTS, QUALIFICATIONS, type CodeLabel } from '../../domain/referentials/static-lists.js'
import { Permutation, Random, WeightedTable, hashSeed, mix32 } from './random.js'
import { loadRomeDetails, type RomeFicheDetails, type RomeItem, type RomeQualite } from './rome-details.js'

/**
 * A realistic, deterministic corpus of job offers for demos and benchmarks.
 *
 * Each offer is drawn from the real French reference data (ROME 4.0 appellations, compétences and
 * texts, INSEE communes weighted by population, NAF codes) with proportions close to those of the
 * real API's offers (the fixtures under test/fixtures/offres and the public contract). Offer `i`
 * only depends on (seed, now, i) and the data: runs are reproducible and every prefix is stable.
 */

export interface GenerateOptions {
  readonly count: number
  readonly seed: string | number
  readonly now: Date
}

/** Partner identifiers are 7 digits: the corpus cannot hold more offers than that space. */
export const MAX_GENERATED_OFFERS = 10_000_000

// ---------------------------------------------------------------------------------------------
// Small weighted tables

interface Choice<T> {
  readonly items: readonly T[]
  readonly weights: readonly number[]
}

function choice<T>(pairs: readonly (readonly [T, number])[]): Choice<T> {
  return { items: pairs.map((pair) => pair[0]), weights: pairs.map((pair) => pair[1]) }
}

function draw<T>(random: Random, table: Choice<T>): T {
  return random.weighted(table.items, table.weights)
}

// ---------------------------------------------------------------------------------------------
// Vocabulary. Labels copied from real offers where they exist; the rest is plain French.

type Tier = 0 | 1 | 2 | 3

/** What the corpus needs per ROME letter (the grand domaine, promoted domains folded in). */
interface Domain {
  /** Share of the offers, in %: the usual order of magnitude of France Travail's offers by domain. */
  readonly share: number
  readonly formationDomains: readonly string[]
  /** Probability that an offer of the domain is part-time. */
  readonly partTime: number
  /** Manual jobs use the ouvrier qualification scale (1–4) instead of the employé one (5–6). */
  readonly manual: boolean
  /** Multipliers of the base contract weights (seasonal work in tourism, temping in industry). */
  readonly contracts?: Readonly<Partial<Record<ContractCode, number>>>
}

interface NameParts {
  readonly surname: string
  readonly acronym: string
  readonly city: string
  /** "DE LYON", "D'ANNECY", "DU HAVRE". */
  readonly ofCity: string
  readonly noun: string
  readonly plural: string
}

/** Support functions (M): also the domain of any letter the table would miss. */
const SUPPORT_DOMAIN: Domain = {
  share: 10,
  formationDomains: ['comptabilité gestion', 'informatique', 'ressources humaines', 'secrétariat', 'marketing'],
  partTime: 0.08,
  manual: false,
}

// Shares: vente, transport-logistique, services à la personne, hôtellerie-restauration, BTP, industrie,
// support and santé make up most offers; arts, spectacle and communication are marginal.
const DOMAINS: Readonly<Record<string, Domain>> = {
  A: {
    share: 3,
    formationDomains: ['agriculture', 'horticulture', 'aménagement paysager', 'viticulture', 'productions animales'],
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
    formationDomains: ['électrotechnique', 'maintenance', 'mécanique automobile', 'génie climatique'],
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

type Namer = (parts: NameParts) => string

/** What employers of a NAF section do and are called; `upTo` is the last division of the section. */
interface Section {
  readonly upTo: number
  /** For descriptions: "une entreprise du bâtiment". */
  readonly activities: readonly string[]
  readonly employers: readonly Namer[]
  /** Public bodies, hospitals and associations carry no legal form ("SAS") after their name. */
  readonly noLegalForm?: boolean
}

/**
 * Employers by NAF section. The offer's NAF code drives both the employer's name and the text
 * about it, so that they agree with each other and with `secteurActiviteLibelle`.
 */
const SECTIONS: readonly Section[] = [
  { upTo: 3,
    activities: ['une exploitation agricole', 'une entreprise agricole familiale', 'une exploitation forestière'],
    employers: [(p) => `EARL ${p.surname}`, (p) => `GAEC ${p.ofCity}`, (p) => `SCEA ${p.surname}`,
      (p) => `VIGNOBLES ${p.surname}`, (p) => `${p.acronym} PAYSAGE`] },
  { upTo: 9, activities: ["une entreprise d'extraction de matériaux", 'un exploitant de carrières'],
    employers: [(p) => `CARRIERES ${p.ofCity}`, (p) => `${p.acronym} GRANULATS`] },
  { upTo: 33, activities: ['une entreprise industrielle', 'un site de production', 'une PME industrielle',
    'un fabricant reconnu'],
  employers: [(p) => `${p.acronym} INDUSTRIE`, (p) => `${p.surname} MECANIQUE`, (p) => `${p.acronym} PLASTURGIE`,
    (p) => `FONDERIE ${p.ofCity}`, (p) => `${p.surname} METALLERIE`, (p) => `${p.acronym} AGROALIMENTAIRE`] },
  { upTo: 35, activities: ["un fournisseur d'énergie", 'un producteur d’électricité'],
    employers: [(p) => `${p.acronym} ENERGIES`, (p) => `REGIE ELECTRIQUE ${p.ofCity}`] },
  { upTo: 39, activities: ["une entreprise de gestion de l'eau et des déchets", 'un acteur du recyclage'],
    employers: [(p) => `${p.acronym} ENVIRONNEMENT`, (p) => `${p.acronym} RECYCLAGE`,
      (p) => `SYNDICAT DES EAUX ${p.ofCity}`] },
  { upTo: 43, activities: ['une entreprise du bâtiment', 'une entreprise de travaux publics',
    'une entreprise de rénovation'],
  employers: [(p) => `${p.surname} BATIMENT`, (p) => `ENTREPRISE ${p.surname}`, (p) => `${p.surname} ET FILS`,
    (p) => `${p.acronym} CONSTRUCTION`, (p) => `${p.surname} TRAVAUX PUBLICS`, (p) => `${p.acronym} RENOVATION`] },
  { upTo: 47, activities: ['une enseigne de distribution', 'un commerce de proximité', 'une entreprise de négoce',
    'un magasin spécialisé'],
  employers: [(p) => `${p.surname} DISTRIBUTION`, (p) => `SUPERMARCHE ${p.ofCity}`, (p) => `BOULANGERIE ${p.surname}`,
    (p) => `${p.acronym} MARKET`, (p) => `MAISON ${p.surname}`, (p) => `GARAGE ${p.surname}`] },
  { upTo: 53, activities: ['une entreprise de transport', 'un prestataire logistique', 'une société de messagerie'],
    employers: [(p) => `TRANSPORTS ${p.surname}`, (p) => `${p.acronym} LOGISTIQUE`, (p) => `${p.surname} EXPRESS`,
      (p) => `AMBULANCES ${p.surname}`] },
  { upTo: 56, activities: ['un restaurant traditionnel', 'un hôtel de caractère', 'un établissement de restauration'],
    employers: [(p) => `HOTEL DU ${p.noun}`, (p) => `RESTAURANT LE ${p.noun}`, (p) => `BRASSERIE ${p.surname}`,
      (p) => `CAMPING LES ${p.plural}`, (p) => `${p.acronym} RESTAURATION`] },
  { upTo: 63, activities: ['une entreprise de services numériques', 'un éditeur de logiciels',
    'une agence de communication'],
  employers: [(p) => `${p.acronym} DIGITAL`, (p) => `${p.acronym} TECHNOLOGIES`, (p) => `${p.acronym} SOLUTIONS`,
    (p) => `${p.acronym} MEDIA`] },
  { upTo: 66, activities: ['un établissement bancaire', "un cabinet d'assurances", 'un cabinet de courtage'],
    employers: [(p) => `CABINET ${p.surname} ASSURANCES`, (p) => `${p.acronym} COURTAGE`,
      (p) => `${p.acronym} FINANCE`] },
  { upTo: 68, activities: ['une agence immobilière', 'un administrateur de biens'],
    employers: [(p) => `AGENCE IMMOBILIERE ${p.surname}`, (p) => `${p.surname} IMMOBILIER`] },
  { upTo: 75, activities: ["un cabinet d'expertise comptable", "un bureau d'études", 'un cabinet de conseil'],
    employers: [(p) => `CABINET ${p.surname}`, (p) => `${p.surname} EXPERTISE COMPTABLE`, (p) => `${p.acronym} CONSEIL`,
      (p) => `${p.acronym} INGENIERIE`] },
  { upTo: 82, activities: ['une entreprise de services aux entreprises', 'une entreprise de propreté',
    'un prestataire de services'],
  employers: [(p) => `${p.acronym} SERVICES`, (p) => `${p.acronym} PROPRETE`, (p) => `${p.surname} NETTOYAGE`,
    (p) => `${p.acronym} SECURITE`] },
  { upTo: 84, activities: ['une collectivité territoriale', 'une administration publique'], noLegalForm: true,
    employers: [(p) => `COMMUNE ${p.ofCity}`, (p) => `MAIRIE ${p.ofCity}`] },
  { upTo: 85, activities: ["un établissement d'enseignement", 'un organisme de formation'],
    employers: [(p) => `${p.acronym} FORMATION`, (p) => `ECOLE ${p.surname}`] },
  { upTo: 86, activities: ['un établissement de santé', 'une clinique privée', 'un centre de soins'], noLegalForm: true,
    employers: [(p) => `CLINIQUE ${p.ofCity}`, (p) => `CENTRE HOSPITALIER ${p.ofCity}`,
      (p) => `CABINET MEDICAL ${p.surname}`, (p) => `LABORATOIRE ${p.acronym}`, (p) => `CENTRE DE SANTE ${p.ofCity}`] },
  { upTo: 88, activities: ['une structure médico-sociale', 'une association du secteur social',
    "un service d'aide à domicile"], noLegalForm: true,
  employers: [(p) => `EHPAD LES ${p.plural}`, (p) => `ASSOCIATION ${p.acronym}`, (p) => `AIDE A DOMICILE ${p.ofCity}`,
    (p) => `FOYER LES ${p.plural}`] },
  { upTo: 93, activities: ['une structure culturelle', 'un club sportif', 'un acteur des loisirs'],
    employers: [(p) => `${p.acronym} PRODUCTION`, (p) => `THEATRE ${p.ofCity}`, (p) => `CLUB SPORTIF ${p.ofCity}`] },
  { upTo: 96, activities: ['une entreprise de services aux particuliers', 'un salon de coiffure', 'une association'],
    employers: [(p) => `ASSOCIATION ${p.acronym}`, (p) => `SALON ${p.surname}`, (p) => `${p.acronym} SERVICES`] },
  { upTo: 98, activities: ['un particulier employeur'], employers: [(p) => `FAMILLE ${p.surname}`], noLegalForm: true },
  { upTo: 99, activities: ['une organisation internationale'], employers: [(p) => `${p.acronym} INTERNATIONAL`] },
]

const OTHER_SECTION: Section = { upTo: 99, activities: ['une entreprise'], employers: [(p) => p.acronym] }

function sectionOf(nafCode: string): Section {
  const division = Number(nafCode.slice(0, 2))
  return SECTIONS.find((section) => division <= section.upTo) ?? OTHER_SECTION
}

const TEMP_AGENCIES: readonly Namer[] = [
  (p) => `${p.acronym} INTERIM`,
  (p) => `${p.surname} EMPLOI`,
  (p) => `${p.acronym} TRAVAIL TEMPORAIRE`,
  (p) => `INTERIM ${p.ofCity}`,
]

const SURNAMES = ['MARTIN', 'BERNARD', 'DUBOIS', 'THOMAS', 'ROBERT', 'RICHARD', 'PETIT', 'DURAND', 'LEROY', 'MOREAU',
  'SIMON', 'LAURENT', 'LEFEBVRE', 'MICHEL', 'GARCIA', 'DAVID', 'BERTRAND', 'ROUX', 'VINCENT', 'FOURNIER', 'MOREL',
  'GIRARD', 'ANDRE', 'MERCIER', 'DUPONT', 'LAMBERT', 'BONNET', 'FRANCOIS', 'MARTINEZ', 'LEGRAND', 'GARNIER', 'FAURE',
  'ROUSSEAU', 'BLANC', 'GUERIN', 'MULLER', 'HENRY', 'ROUSSEL', 'NICOLAS', 'PERRIN', 'MORIN', 'MATHIEU', 'CLEMENT',
  'GAUTHIER', 'DUMONT', 'LOPEZ', 'FONTAINE', 'CHEVALIER', 'ROBIN', 'MASSON', 'SANCHEZ', 'GERARD', 'NGUYEN', 'BOYER',
  'DENIS', 'LEMAIRE', 'DUVAL', 'JOLY', 'GAILLARD', 'BRUN', 'ROCHE', 'COLIN', 'RENARD', 'PICARD', 'AUBERT', 'LUCAS']

const FIRST_NAMES_M = ['Jean', 'Pierre', 'Nicolas', 'Thomas', 'Julien', 'Sébastien', 'Laurent', 'Olivier', 'Mathieu',
  'Christophe', 'David', 'Stéphane', 'Antoine', 'Romain', 'Kevin', 'Maxime', 'Hugo', 'Karim', 'Yannick', 'Frédéric']
const FIRST_NAMES_F = ['Marie', 'Nathalie', 'Isabelle', 'Sophie', 'Céline', 'Julie', 'Aurélie', 'Camille', 'Sandrine',
  'Émilie', 'Laura', 'Claire', 'Sarah', 'Caroline', 'Audrey', 'Karine', 'Noémie', 'Laetitia', 'Manon', 'Fatima']

const SYLLABLES = ['SO', 'GE', 'TRA', 'BA', 'ME', 'CA', 'LO', 'VI', 'NO', 'PRO', 'TE', 'RA', 'DI', 'MA', 'BE', 'CO',
  'TER', 'VAL', 'NOR', 'AL', 'AR', 'TI', 'DE', 'LI', 'SA', 'MO', 'RI', 'XA']
const ENDINGS = ['', 'IS', 'EX', 'IA', 'ON', 'YS', 'EO', 'AL', 'IM', 'EA', 'LYS', 'TEC']
const NOUNS = ['LAC', 'PORT', 'MOULIN', 'CHATEAU', 'PARC', 'MARCHE', 'CENTRE', 'GOLF', 'VIEUX PONT', 'COMMERCE',
  'MIDI']
const PLURALS = ['TILLEULS', 'GLYCINES', 'PINS', 'CHENES', 'COQUELICOTS', 'LILAS', 'MIMOSAS', 'PLATANES', 'CEDRES',
  'ORMEAUX', 'SAULES', 'VIGNES']
/** Legal forms appended to a name, one slot per percent: most names go without. */
const LEGAL_FORMS: readonly string[] = [...Array<string>(62).fill(''), ...Array<string>(13).fill(' SAS'),
  ...Array<string>(13).fill(' SARL'), ...Array<string>(4).fill(' SA'), ...Array<string>(3).fill(' EURL'),
  ...Array<string>(4).fill(' SASU'), ' SCOP']

/** Partners of origin "2" offers; eligibility narrows some to the offers they really carry. */
interface Partner {
  readonly nom: string
  readonly weight: number
  readonly logo: string
  readonly eligible: (offer: PartnerContext) => boolean
  readonly url: (random: Random, job: Job) => string
}

interface PartnerContext {
  readonly alternance: boolean
  readonly tier: Tier
  readonly letter: string
  readonly junior: boolean
}

const digits = (random: Random, count: number): string => {
  let text = String(random.int(1, 9))
  for (let i = 1; i < count; i++) text += String(random.int(0, 9))
  return text
}
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'
const HEX = '0123456789abcdef'
const LOWER = 'abcdefghijklmnopqrstuvwxyz'
const token = (random: Random, count: number, alphabet: string): string => {
  let text = ''
  for (let i = 0; i < count; i++) text += alphabet.charAt(Math.floor(random.next() * alphabet.length))
  return text
}

const partner = (
  nom: string,
  weight: number,
  url: Partner['url'],
  eligible: Partner['eligible'] = () => true,
): Partner => ({
  nom,
  weight,
  url,
  eligible,
  logo: `https://www.francetravail.fr/logos/img/partenaires/${nom.toLowerCase()}80.png`,
})

const PARTNERS: readonly Partner[] = [
  partner('METEOJOB', 20, (r) =>
    `https://www.meteojob.com/jobads/${digits(r, 8)}?utm_source=pole-emploi&utm_medium=aggregator-free`),
  partner('HELLOWORK', 15, (r) => `https://www.hellowork.com/fr-fr/emplois/${digits(r, 8)}.html`),
  partner('INDEED', 12, (r) => `https://fr.indeed.com/viewjob?jk=${token(r, 16, HEX)}`),
  partner('DIRECTEMPLOI', 8, (r) =>
    `https://www.directemploi.com/candidatOffre/${digits(r, 8)}` +
    '?utm_source=pole-emploi&utm_medium=referral&utm_campaign=Pôle-Emploi'),
  partner('TALENTPLUG', 9, (r) => `https://candidat.talentplug.com/offre/${digits(r, 7)}?source=francetravail`),
  partner('BEETWEEN', 8, (r, job) => `https://emploi.beetween.com/apply/job/${token(r, 11, ALNUM)}/${job.slug}-h-f`),
  partner('HANDICAP_JOB', 3, (r, job) =>
    `https://www.handicap-job.com/recherche/detail/oid/${digits(r, 7)}/${job.slug}.html`),
  partner('SOFTY', 6, (r) => {
    const id = digits(r, 6)
    const host = `${r.pick(['chu', 'ch', 'ghu', 'hopital'])}-${token(r, 6, LOWER)}`
    return `https://${host}.softy.pro/offre/${id}?idt=5&h=${id}0`
  }, (offer) => offer.letter === 'J' || offer.letter === 'K'),
  partner('APECITA', 10, (r) => `https://emploi.apecita.com/front-apply.html?id_job=${digits(r, 6)}&id_origin=22`,
    (offer) => offer.letter === 'A'),
  partner('CADREMPLOI', 10, (r) => `https://www.cadremploi.fr/emploi/detail_offre?offreId=${digits(r, 12)}`,
    (offer) => offer.tier === 3),
  partner('APEC', 14, (r) => `https://www.apec.fr/candidat/recherche-emploi.html/emploi/detail-offre/${digits(r, 9)}W`,
    (offer) => offer.tier === 3),
  partner('JOBTEASER', 6, (r, job) => `https://www.jobteaser.com/fr/job-offers/${token(r, 8, HEX)}-${job.slug}`,
    (offer) => offer.junior && offer.tier >= 2),
  partner('LABONNEALTERNANCE', 150, (r) =>
    `https://labonnealternance.apprentissage.beta.gouv.fr/recherche?type=matcha&itemId=${token(r, 24, HEX)}`,
  (offer) => offer.alternance),
]

/** Contract types and their base shares in % (the brief's proportions; DDT is never used). */
type ContractCode = 'CDI' | 'CDD' | 'MIS' | 'SAI' | 'LIB' | 'DIN' | 'CCE' | 'FRA' | 'TTI' | 'DDI' | 'REP'
const CONTRACT_SHARES: readonly (readonly [ContractCode, number])[] = [
  ['CDI', 50], ['CDD', 25], ['MIS', 15], ['SAI', 4], ['LIB', 2], ['DIN', 1.5], ['CCE', 0.8], ['FRA', 0.5],
  ['TTI', 0.5], ['DDI', 0.5], ['REP', 0.2],
]

// Durations in months, then the share of contracts counted in days ("CDD - 15 Jour(s)").
const CDD_MONTHS = choice([[1, 6], [2, 6], [3, 14], [4, 5], [5, 3], [6, 18], [7, 2], [8, 3], [9, 4], [10, 2],
  [12, 16], [18, 4], [24, 4], [36, 3]])
const MIS_MONTHS = choice([[1, 20], [2, 12], [3, 18], [4, 5], [6, 18], [9, 3], [12, 8], [18, 3]])
const SAI_MONTHS = choice([[1, 15], [2, 30], [3, 25], [4, 15], [5, 8], [6, 7]])
const APPRENTISSAGE_MONTHS = choice([[12, 35], [24, 45], [36, 20]])
const PRO_MONTHS = choice([[6, 15], [12, 45], [18, 15], [24, 25]])
const DAYS = [1, 2, 3, 5, 7, 10, 14, 15, 20, 21, 30]

const NATURE_TRAVAIL = 'Contrat travail'
const NATURE_APPRENTISSAGE = 'Contrat apprentissage'
const NATURE_PRO = 'Cont. professionnalisation'
const NATURE_NON_SALARIE = 'Emploi non salarié'
const NATURE_CHANTIER = "CDI de chantier ou d'opération"
const NATURE_INSERTION = "Insertion par l'activ.éco."

const EXPERIENCE_DURATIONS = choice<string>([['6 Mois', 10], ['12 Mois', 7], ['1 An(s)', 25], ['2 An(s)', 25],
  ['3 An(s)', 15], ['4 An(s)', 4], ['5 An(s)', 8], ['24 Mois', 2], ['10 An(s)', 2], ['7 An(s)', 1]])
const EXPERIENCE_COMMENTS = ['sur un poste similaire', 'même poste', 'dans le domaine', 'en entreprise',
  'sur poste équivalent']

const NIVEAUX_BY_TIER: readonly [Choice<string>, Choice<string>, Choice<string>, Choice<string>] = [
  choice([['AFS', 20], ['C3A', 10], ['NV5', 60], ['NV4', 10]]),
  choice([['NV5', 50], ['NV4', 40], ['NV3', 10]]),
  choice([['NV4', 30], ['NV3', 50], ['NV2', 20]]),
  choice([['NV3', 10], ['NV2', 35], ['NV1', 55]]),
]
const FORMATION_COMMENTS: readonly [readonly string[], readonly string[], readonly string[], readonly string[]] = [
  ['CAP/BEP', 'Formation interne assurée', 'Aucun diplôme exigé'],
  ['CAP/BEP ou Bac pro', 'Bac professionnel', 'CAP exigé'],
  ['BTS/DUT', 'BTS ou équivalent', 'Diplôme d’État exigé', 'Licence professionnelle'],
  ['Master', 'École d’ingénieur', 'Bac+5 ou équivalent', 'Diplôme d’école de commerce'],
]
const NIVEAU_PHRASES: Readonly<Record<string, string>> = {
  AFS: 'Aucun diplôme n’est exigé, une formation au poste est assurée.',
  C3A: 'Un premier niveau de formation (3ème achevée) est suffisant.',
  NV5: 'Vous êtes titulaire d’un CAP ou d’un BEP',
  NV4: 'Vous êtes titulaire d’un Bac ou équivalent',
  NV3: 'Vous êtes titulaire d’un Bac+2 (BTS, BUT ou équivalent)',
  NV2: 'Vous êtes titulaire d’un Bac+3/4 (licence, bachelor ou équivalent)',
  NV1: 'Vous êtes titulaire d’un Bac+5 (master, école d’ingénieur ou de commerce)',
}

const LANGUES = choice<string>([['Anglais', 80], ['Espagnol', 6], ['Allemand', 5], ['Italien', 3], ['Français', 3],
  ['Néerlandais', 1], ['Portugais', 1], ['Arabe', 1]])
const OUTILS = ['Traitement de texte (Word, Writer, ...)', 'Tableur (Excel, Calc, ...)', 'Internet', 'Messagerie',
  'Logiciel de gestion comptable', 'Outils collaboratifs (Teams, Slack, ...)', 'Logiciel de paie',
  'Logiciel de gestion commerciale']

const FULL_HOURS = choice<number>([[35, 60], [39, 14], [37.5, 8], [36, 3], [37, 3], [38, 2], [38.5, 2], [40, 4],
  [42, 2], [43, 1], [45, 1]])
const PART_HOURS = choice<number>([[24, 16], [20, 12], [28, 10], [30, 12], [25, 8], [32, 6], [17.5, 5], [10, 4],
  [15, 6], [21, 4], [26, 4], [34, 5], [12, 4], [18, 4]])
const HOURS_SUFFIXES = choice<string>([['Travail en journée', 60], ['Horaires normaux', 8], ['Travail en équipe', 6],
  ['Travail en horaires décalés', 6], ['Travail samedi et dimanche', 3], ['Travail de nuit', 2],
  ['Possibilité de télétravail', 3], ['Autre', 3]])

const SALARY_COMPLEMENTS = choice<string>([['Restauration', 14], ['CE', 12], ['Chèque repas', 14], ['Primes', 14],
  ['Mutuelle', 16], ['Participation/action', 5], ['Pc portable', 3], ['Véhicule', 4], ['Treizième mois', 6],
  ['Logement', 2], ['Autre', 10]])
const FT_SALARY_COMMENTS = ['A négocier selon profil.', 'Selon profil', 'Selon expérience',
  'Selon convention collective', 'Selon grille de la fonction publique', 'Salaire de base + primes',
  'Rémunération attractive selon profil']
const PARTNER_SALARY_COMMENTS = ['selon profil', 'Salaire selon expérience', 'A négocier', 'Primes', 'À définir',
  'Mutuelle - prime annuelle', 'selon convention collective']

const TRANCHES = choice<string>([['1 à 5 employés', 20], ['6 à 9 salariés', 12], ['10 à 19 salariés', 16],
  ['20 à 49 salariés', 18], ['50 à 99 salariés', 10], ['100 à 199 salariés', 8], ['200 à 249 salariés', 3],
  ['250 à 499 salariés', 5], ['500 à 999 salariés', 4], ['1000 salariés et plus', 4]])

// Indexes in DEPLACEMENTS: Jamais, Ponctuels, Fréquents, Quotidiens.
const DEPLACEMENT_INDEXES = choice<number>([[0, 35], [1, 40], [2, 18], [3, 7]])
const ZONES = choice<string>([['Zone départementale', 35], ['Zone régionale', 35], ['Zone nationale', 22],
  ['Zone internationale', 8]])

const APPLY_HOSTS = ['taleez.com/apply', 'jobs.smartrecruiters.com', 'careers.werecruit.io/fr', 'apply.workable.com']
const STREETS = ['RUE DE LA REPUBLIQUE', 'AVENUE JEAN JAURES', 'RUE VICTOR HUGO', 'ZA DES PORTES',
  'RUE DU GENERAL DE GAULLE', 'BOULEVARD PASTEUR', 'ZI DU MOULIN', 'RUE DES ECOLES', 'ROUTE DE PARIS',
  'PLACE DE LA MAIRIE']

// Real France Travail offers list 3 to 5 compétences most often, 3 savoir-être almost always.
const COMPETENCE_COUNTS = choice<number>([[3, 20], [4, 20], [5, 35], [6, 10], [7, 8], [8, 7]])
const QUALITE_COUNTS = choice<number>([[1, 8], [2, 12], [3, 80]])
const NOMBRE_POSTES = choice<number>([[1, 88], [2, 6], [3, 3], [4, 1], [5, 1], [8, 0.5], [10, 0.5]])

// Partner titles: "<job> H/F", "<job> (H/F)", "<job> F/H", "<job> (F/H)", "<job> H/F - <city>",
// "<job> - <city> (H/F)", "<job> en CDI (H/F)", the short appellation, "<JOB> H/F".
const PARTNER_TITLES = choice<number>([[0, 20], [1, 25], [2, 8], [3, 5], [4, 12], [5, 8], [6, 7], [7, 8], [8, 7]])

const FT_DETAIL_URL = 'https://candidat.francetravail.fr/offres/recherche/detail/'
const APPLY_SENTENCE = 'Pour postuler, utiliser le lien suivant : '

/**
 * Partner offers carry `contact: {}` and `agence: {}`, as the contract (§5.4) states. The 130
 * partner offers of test/fixtures/offres omit both keys instead; flip this to follow them.
 */
const PARTNER_EMPTY_CONTACT = true

// ---------------------------------------------------------------------------------------------
// The model: everything precomputed once per referentials

interface Fiche {
  readonly metier: MetierRecord
  readonly details: RomeFicheDetails
  readonly letter: string
  readonly domain: Domain
  readonly tier: Tier
  readonly supervisor: boolean
  readonly nafs: readonly CodeLabel[]
  readonly permis: PermisProfile
  readonly contracts: Choice<ContractCode>
  /** Definition sentences as bullet lines ("- Réalise …"). */
  readonly missionLines: readonly string[]
  /** The first definition sentence as prose, with a subject ("Le ou la titulaire du poste réalise …"). */
  readonly missionProse: string
  readonly qualites: readonly RomeQualite[]
}

interface Job {
  readonly appellation: AppellationRecord
  readonly fiche: Fiche
  /** Masculine form for free-form titles ("Chargé / Chargée de recherche" → "Chargé de recherche"). */
  readonly title: string
  readonly slug: string
}

interface Place {
  readonly commune: CommuneRecord
  /** City name for texts: the commune, or the city of an arrondissement ("Lyon"). */
  readonly city: string
  readonly departement: DepartementRecord
  /** Hash of the commune code: the seed of the names of the employers of the place. */
  readonly key: number
}

interface PermisProfile {
  readonly probability: number
  readonly options: Choice<string>
}

interface Model {
  readonly jobs: WeightedTable<Job>
  readonly places: WeightedTable<Place>
  readonly tempAgencyNaf: CodeLabel | undefined
  readonly permisLabel: (code: string) => string
  readonly niveauLabel: (code: string) => string
  readonly allQualites: readonly RomeQualite[]
}

const models = new WeakMap<Referentials, Model>()

function modelOf(referentials: Referentials): Model {
  let model = models.get(referentials)
  if (!model) {
    model = buildModel(referentials)
    models.set(referentials, model)
  }
  return model
}

const NON_VERBAL_STARTS = new Set(['Le', 'La', 'Les', "L'", 'Il', 'Elle', 'Ils', 'Elles', 'Ce', 'Cet', 'Cette', 'Ces',
  'Un', 'Une', 'Des', 'En', 'Dans', 'Au', 'Aux', 'Selon', 'Sous', 'Pour', 'Lors', 'À', 'A', 'Sur', 'Par', 'Son', 'Sa',
  'Ses', 'Leur', 'Leurs', 'Cela', 'Avec', 'Après', 'Chaque', 'Toute', 'Tout'])

function withFinalStop(sentence: string): string {
  const last = sentence.charAt(sentence.length - 1)
  return last === '.' || last === '!' || last === '?' ? sentence : `${sentence}.`
}

/** "Réalise des travaux." → "Le ou la titulaire du poste réalise des travaux."; other sentences unchanged. */
function asProse(sentence: string): string {
  const firstWord = /^[^\s,']+'?/.exec(sentence)?.[0] ?? ''
  const acronym = firstWord.length > 1 && firstWord === firstWord.toUpperCase()
  if (NON_VERBAL_STARTS.has(firstWord) || acronym || firstWord.startsWith("L'") || firstWord.startsWith("D'")) {
    return withFinalStop(sentence)
  }
  return withFinalStop(`Le ou la titulaire du poste ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}`)
}

function masculineTitle(label: string): string {
  const parts = label.split(' / ')
  if (parts.length !== 2) return label
  const [masculine = label, feminine = ''] = parts
  const masculineWords = masculine.split(' ').length
  const rest = feminine.split(' ').slice(masculineWords).join(' ')
  return rest === '' ? masculine : `${masculine} ${rest}`
}

function stringHash(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193)
  return mix32(hash)
}

function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

/** A case-insensitive test for any of these label fragments (precomputation only, never per offer). */
function anyOf(fragments: readonly string[]): RegExp {
  return new RegExp(fragments.join('|'), 'i')
}

const HEAVY_VEHICLES = anyOf(['poids lourd', 'super lourd', 'routier', 'marchandises', 'béton', 'déchets', 'convoi',
  'animaux vivants', 'carburant', 'convoyeur', 'citerne', 'benne'])
const PASSENGER_VEHICLES = anyOf(['bus', 'autocar', 'car tourisme', 'tramway'])
const LIGHT_VEHICLES = anyOf(['livr', 'coursier', 'taxi', 'vtc', 'chauffeur', 'navette', 'corbillard', 'accompagnat',
  'voiture'])
const ITINERANT = anyOf(['commercial', 'représentant', 'technico', 'visiteur', 'dépann', 'itinérant', 'domicile',
  'auxiliaire de vie', 'assistant de vie', 'immobilier', 'négociat', 'releveu', 'installat'])
const SUPERVISOR = anyOf(['chef', 'responsable', 'superviseur', 'encadr', 'manager', 'directeur', 'directrice',
  'gérant', 'coordinat'])
const INTERMEDIATE = anyOf(['technicien', 'chargé', 'conseiller', 'infirmier', 'comptable', 'développeur',
  'assistant', 'gestionnaire', 'animateur', 'formateur', 'commercial', 'professeur', 'éducateur', 'kinésithérapeute',
  'designer', 'dessinateur', 'contrôleur', 'acheteur', 'analyste', 'secrétaire'])
const ELEMENTARY = anyOf(["agent d'entretien", "agente d'entretien", 'nettoyage', 'propreté', 'plongeu',
  'manutention', 'préparateur de commandes', 'préparatrice de commandes', 'équipier', 'employé polyvalent', 'caissier',
  'aide-', 'aide ', 'employé de libre', 'agent de service', 'manœuvre', 'ouvrier non qualifié', 'cueilleu', 'emballeu',
  'commis'])

/** Job level: 0 unskilled, 1 skilled worker or employee, 2 technician or supervisor, 3 manager (emploi cadre). */
function tierOf(metier: MetierRecord, details: RomeFicheDetails): Tier {
  if (details.cadre) return 3
  if (ELEMENTARY.test(metier.libelle)) return 0
  if (SUPERVISOR.test(metier.libelle) || INTERMEDIATE.test(metier.libelle)) return 2
  return 1
}

function permisProfileOf(metier: MetierRecord, letter: string): PermisProfile {
  const label = metier.libelle
  if (metier.domaine === 'N41' || letter === 'N') {
    if (HEAVY_VEHICLES.test(label)) return { probability: 0.9, options: choice([['CE', 45], ['C', 45], ['C1', 10]]) }
    if (PASSENGER_VEHICLES.test(label)) return { probability: 0.9, options: choice([['D', 90], ['D1', 10]]) }
    if (LIGHT_VEHICLES.test(label)) return { probability: 0.8, options: choice([['B', 80], ['C1', 20]]) }
    if (metier.domaine === 'N41') return { probability: 0.6, options: choice([['B', 50], ['C', 50]]) }
  }
  if (ITINERANT.test(label)) return { probability: 0.45, options: choice([['B', 100]]) }
  if (letter === 'I' || letter === 'F' || letter === 'A') {
    return { probability: 0.22, options: choice([['B', 95], ['BE', 5]]) }
  }
  return { probability: 0.05, options: choice([['B', 100]]) }
}

/**
 * Contract weights per domain: the domain's multipliers (seasonal work in tourism…), then one
 * correction per contract type, fitted so that the mix over all domains keeps the base shares.
 */
function contractTables(): ReadonlyMap<Domain, Choice<ContractCode>> {
  const domains = [...new Set(Object.values(DOMAINS))]
  const totalShare = domains.reduce((sum, domain) => sum + domain.share, 0)
  const baseTotal = CONTRACT_SHARES.reduce((sum, [, share]) => sum + share, 0)
  const correction = CONTRACT_SHARES.map(() => 1)
  const weightsOf = (domain: Domain) => {
    const weights = CONTRACT_SHARES.map(
      ([code, share], i) => share * (domain.contracts?.[code] ?? 1) * (correction[i] ?? 1),
    )
    const total = weights.reduce((sum, weight) => sum + weight, 0)
    return weights.map((weight) => weight / total)
  }
  // Iterative proportional fitting: a few rounds bring the overall mix within a fraction of a percent.
  for (let round = 0; round < 8; round++) {
    const overall = CONTRACT_SHARES.map(() => 0)
    for (const domain of domains) {
      const weights = weightsOf(domain)
      for (let i = 0; i < overall.length; i++) {
        overall[i] = (overall[i] ?? 0) + ((weights[i] ?? 0) * domain.share) / totalShare
      }
    }
    for (let i = 0; i < correction.length; i++) {
      const target = (CONTRACT_SHARES[i]?.[1] ?? 0) / baseTotal
      correction[i] = (correction[i] ?? 1) * (target / (overall[i] || 1))
    }
  }
  const codes = CONTRACT_SHARES.map(([code]) => code)
  return new Map(domains.map((domain) => [domain, { items: codes, weights: weightsOf(domain) }]))
}

// Principal appellations (same label as the fiche) are what most employers write.
const PRINCIPAL_APPELLATION_WEIGHT = 3

function buildModel(referentials: Referentials): Model {
  const details = loadRomeDetails()
  const nafsByDivision = new Map<string, CodeLabel[]>()
  for (const naf of referentials.nafs.values()) {
    const division = naf.code.slice(0, 2)
    const list = nafsByDivision.get(division) ?? []
    list.push(naf)
    nafsByDivision.set(division, list)
  }
  const allNafs = [...referentials.nafs.values()]
  const allQualites = new Map<string, RomeQualite>()
  const contracts = contractTables()

  const fiches = new Map<string, Fiche>()
  for (const metier of referentials.metiers.values()) {
    const fiche = details.get(metier.code)
    if (!fiche) continue
    const letter = metier.domaine.charAt(0)
    const domain = DOMAINS[letter] ?? SUPPORT_DOMAIN
    const nafs = fiche.nafDivisions.flatMap((division) => nafsByDivision.get(division) ?? [])
    for (const qualite of fiche.qualites) allQualites.set(qualite.libelle, qualite)
    fiches.set(metier.code, {
      metier,
      details: fiche,
      letter,
      domain,
      tier: tierOf(metier, fiche),
      supervisor: SUPERVISOR.test(metier.libelle),
      nafs: nafs.length > 0 ? nafs : allNafs,
      permis: permisProfileOf(metier, letter),
      contracts: contracts.get(domain) ?? choice(CONTRACT_SHARES),
      missionLines: fiche.definition.map((sentence) => `- ${sentence}`),
      missionProse: fiche.definition[0] ? asProse(fiche.definition[0]) : '',
      qualites: fiche.qualites,
    })
  }

  // Weight = share of the domain, spread evenly over its fiches, then over each fiche's appellations.
  const fichesPerLetter = new Map<string, number>()
  for (const fiche of fiches.values()) fichesPerLetter.set(fiche.letter, (fichesPerLetter.get(fiche.letter) ?? 0) + 1)
  const appellationsByFiche = new Map<string, AppellationRecord[]>()
  for (const appellation of referentials.appellations.values()) {
    if (!fiches.has(appellation.romeCode)) continue
    const list = appellationsByFiche.get(appellation.romeCode) ?? []
    list.push(appellation)
    appellationsByFiche.set(appellation.romeCode, list)
  }
  const jobs: Job[] = []
  const jobWeights: number[] = []
  for (const [romeCode, appellations] of appellationsByFiche) {
    const fiche = fiches.get(romeCode)
    if (!fiche) continue
    const weightOf = (appellation: AppellationRecord) =>
      appellation.libelle === fiche.metier.libelle ? PRINCIPAL_APPELLATION_WEIGHT : 1
    const ficheTotal = appellations.reduce((sum, appellation) => sum + weightOf(appellation), 0)
    const ficheShare = fiche.domain.share / (fichesPerLetter.get(fiche.letter) ?? 1)
    for (const appellation of appellations) {
      const title = masculineTitle(appellation.libelleCourt)
      jobs.push({ appellation, fiche, title, slug: slugify(title) })
      jobWeights.push((ficheShare * weightOf(appellation)) / ficheTotal)
    }
  }

  // Work places: communes and arrondissements by population, never the three PLM aggregates
  // (offers point at arrondissements), never the overseas collectivities outside the referential.
  const aggregates = new Set<string>()
  for (const commune of referentials.communes.values()) if (commune.parent) aggregates.add(commune.parent)
  const places: Place[] = []
  const placeWeights: number[] = []
  for (const commune of referentials.communes.values()) {
    const departement = referentials.departements.get(commune.codeDepartement)
    if (!departement || aggregates.has(commune.code) || commune.population <= 0) continue
    const parent = commune.parent ? referentials.communes.get(commune.parent) : undefined
    places.push({ commune, city: parent?.nom ?? commune.nom, departement, key: stringHash(commune.code) })
    placeWeights.push(commune.population)
  }

  return {
    jobs: new WeightedTable(jobs, jobWeights),
    places: new WeightedTable(places, placeWeights),
    tempAgencyNaf: referentials.nafs.get('78.20Z'),
    permisLabel: (code) => referentials.permis.get(code)?.libelle ?? code,
    niveauLabel: (code) => referentials.niveauxFormations.get(code)?.libelle ?? code,
    allQualites: [...allQualites.values()],
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting helpers

/** Amounts as Java prints a double: "2000.0", "2630.38" (the original's "Mensuel de … sur 12.0 mois"). */
function javaDouble(amount: number): string {
  const cents = Math.round(amount * 100) / 100
  return Number.isInteger(cents) ? `${cents}.0` : `${cents}`
}

function twoDecimals(amount: number, separator: '.' | ','): string {
  const text = amount.toFixed(2)
  return separator === '.' ? text : text.replace('.', ',')
}

function hoursLabel(hours: number): string {
  const whole = Math.floor(hours)
  const minutes = Math.round((hours - whole) * 60)
  return minutes === 0 ? `${whole}H` : `${whole}H${minutes}`
}

/** "DE LYON", "D'ANNECY", "DU HAVRE", "DES ULIS", "DE LA ROCHELLE". */
function ofCity(city: string): string {
  if (city.startsWith('LE ')) return `DU ${city.slice(3)}`
  if (city.startsWith('LES ')) return `DES ${city.slice(4)}`
  if (city.startsWith('L ')) return `DE L'${city.slice(2)}`
  return 'AEIOUY'.includes(city.charAt(0)) ? `D'${city}` : `DE ${city}`
}

function capitalize(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`
}

/** "Assurer …" → "assurer …", but acronyms stay ("CE", "SST"). */
function lowerFirst(text: string): string {
  const second = text.charAt(1)
  if (second !== second.toLowerCase()) return text
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`
}

function isoDate(milliseconds: number): string {
  return new Date(milliseconds).toISOString()
}

/** `count` distinct items, preferring the first pool ("cœur de métier") with probability `preferFirst`. */
function pickDistinct<T>(
  random: Random,
  first: readonly T[],
  second: readonly T[],
  count: number,
  preferFirst: number,
): T[] {
  const chosen: T[] = []
  const available = first.length + second.length
  const wanted = Math.min(count, available)
  // Bounded attempts: a duplicate draw is retried a few times, then the slot is given up.
  for (let attempt = 0; chosen.length < wanted && attempt < wanted * 8; attempt++) {
    const fromFirst = second.length === 0 || (first.length > 0 && random.chance(preferFirst))
    const item = random.pick(fromFirst ? first : second)
    if (!chosen.includes(item)) chosen.push(item)
  }
  return chosen
}

// ---------------------------------------------------------------------------------------------
// One offer

type Mutable<T> = { -readonly [K in keyof T]?: T[K] }
type Salaire = NonNullable<Offre['salaire']>
type Entreprise = NonNullable<Offre['entreprise']>
type Contact = NonNullable<Offre['contact']>
type Agence = NonNullable<Offre['agence']>
type LieuTravail = Offre['lieuTravail']
type Formation = NonNullable<Offre['formations']>[number]
type Exigence = 'E' | 'S'

interface Contract {
  readonly code: ContractCode
  readonly libelle: string
  readonly nature: string
  readonly alternance: boolean
  /** For texts: "en CDI", "en CDD de 6 mois". */
  readonly phrase: string
  /** For texts: "CDI", "CDD de 6 mois". */
  readonly short: string
}

const MONTHS_WORD = (months: number) => `${months} mois`

function drawContract(random: Random, fiche: Fiche, isFranceTravail: boolean): Contract {
  const code = draw(random, fiche.contracts)
  // France Travail writes short labels ("CDD - 6 Mois"), partners the long ones; a few cross over.
  const longLabels = isFranceTravail ? random.chance(0.08) : !random.chance(0.08)
  let nature = NATURE_TRAVAIL
  if (code === 'CDI' || code === 'CDD') {
    // 6.6 % and 2.7 % of CDI/CDD, i.e. about 5 % and 2 % of all offers.
    const roll = random.next()
    if (roll < 0.066) nature = NATURE_APPRENTISSAGE
    else if (roll < 0.093) nature = NATURE_PRO
    else if (code === 'CDI' && fiche.letter === 'F' && roll < 0.13) nature = NATURE_CHANTIER
  } else if (code === 'LIB' || code === 'FRA' || code === 'CCE' || code === 'REP') {
    nature = NATURE_NON_SALARIE
  } else if (code === 'TTI' || code === 'DDI') {
    nature = NATURE_INSERTION
  }
  const alternance = nature === NATURE_APPRENTISSAGE || nature === NATURE_PRO

  const duration = (months: Choice<number>, daysShare: number): { text: string; phrase: string } => {
    if (!alternance && random.chance(daysShare)) {
      const days = random.pick(DAYS)
      return { text: `${days} Jour(s)`, phrase: `${days} jour${days > 1 ? 's' : ''}` }
    }
    const value = draw(random, months)
    return { text: `${value} Mois`, phrase: MONTHS_WORD(value) }
  }
  const alternanceMonths = nature === NATURE_APPRENTISSAGE ? APPRENTISSAGE_MONTHS : PRO_MONTHS
  let libelle: string
  let short: string
  switch (code) {
    case 'CDI':
      libelle = longLabels ? 'Contrat à durée indéterminée' : 'CDI'
      short = 'CDI'
      break
    case 'CDD': {
      const { text, phrase } = duration(alternance ? alternanceMonths : CDD_MONTHS, 0.1)
      libelle = longLabels ? `Contrat à durée déterminée - ${text}` : `CDD - ${text}`
      short = `CDD de ${phrase}`
      break
    }
    case 'MIS': {
      const { text, phrase } = duration(MIS_MONTHS, 0.2)
      libelle = longLabels ? `Mission intérimaire - ${text}` : `Intérim - ${text}`
      short = `mission d'intérim de ${phrase}`
      break
    }
    case 'SAI': {
      const { text, phrase } = duration(SAI_MONTHS, 0.08)
      libelle = `Contrat travail saisonnier - ${text}`
      short = `contrat saisonnier de ${phrase}`
      break
    }
    case 'TTI': {
      const months = random.int(1, 6)
      libelle = `Contrat travail temporaire insertion - ${months} Mois`
      short = `contrat d'insertion de ${MONTHS_WORD(months)}`
      break
    }
    case 'DDI': {
      const months = random.pick([4, 6, 12, 24])
      libelle = `CDD insertion - ${months} Mois`
      short = `CDD d'insertion de ${MONTHS_WORD(months)}`
      break
    }
    case 'DIN':
      libelle = 'CDI Intérimaire'
      short = 'CDI intérimaire'
      break
    case 'LIB':
      libelle = 'Profession libérale'
      short = 'exercice libéral'
      break
    case 'CCE':
      libelle = 'Profession commerciale'
      short = 'agent commercial indépendant'
      break
    case 'FRA':
      libelle = 'Franchise'
      short = 'franchise'
      break
    case 'REP':
      libelle = "Reprise d'entreprise"
      short = "reprise d'entreprise"
      break
  }
  if (alternance) {
    const kind = nature === NATURE_APPRENTISSAGE ? "contrat d'apprentissage" : 'contrat de professionnalisation'
    short = code === 'CDD' ? `${kind} ${short.slice(4)}` : `${kind} en ${short}`
  }
  return { code, libelle, nature, alternance, short, phrase: `en ${short}` }
}

interface Experience {
  readonly exige: 'D' | 'E' | 'S'
  readonly libelle: string
  readonly commentaire?: string
  /** For texts. */
  readonly sentence: string
}

function durationPhrase(duration: string): string {
  const [amount = '', unit = ''] = duration.split(' ')
  const number = Number(amount)
  if (unit === 'Mois' && (number < 12 || number % 12 !== 0)) return `${number} mois`
  const years = unit === 'Mois' ? number / 12 : number
  return `${years} an${years > 1 ? 's' : ''}`
}

const BEGINNER_SENTENCES = ['Débutant(e) accepté(e) : vous serez formé(e) à nos méthodes de travail.',
  'Ce poste est ouvert aux débutants motivés.', 'Aucune expérience n’est exigée, votre motivation fera la différence.']

function drawExperience(random: Random, tier: Tier, isFranceTravail: boolean, alternance: boolean): Experience {
  // D 55 %, E 35 %, S 10 % overall; beginners are rarer on managerial jobs, the rule for apprentices.
  const roll = random.next()
  const beginner = tier === 3 ? 0.4 : tier === 0 ? 0.7 : 0.55
  if (alternance || roll < beginner) {
    const sentence = random.pick(BEGINNER_SENTENCES)
    return { exige: 'D', libelle: 'Débutant accepté', sentence }
  }
  const duration = draw(random, EXPERIENCE_DURATIONS)
  const phrase = durationPhrase(duration)
  if (roll < beginner + 0.1) {
    const withDuration = random.chance(0.5)
    const libelle = isFranceTravail
      ? duration
      : withDuration
        ? `Expérience souhaitée de ${duration}`
        : 'Expérience souhaitée'
    return { exige: 'S', libelle, sentence: `Une première expérience de ${phrase} dans le domaine serait appréciée.` }
  }
  const sentence = random.pick([`Vous justifiez d'une expérience de ${phrase} minimum sur un poste similaire.`,
    `Une expérience réussie de ${phrase} sur un poste équivalent est indispensable.`,
    `Vous avez au moins ${phrase} d'expérience dans le métier.`])
  if (!isFranceTravail) {
    const libelle = random.chance(0.6) ? `Expérience exigée de ${duration}` : 'Expérience exigée'
    return { exige: 'E', libelle, sentence }
  }
  if (random.chance(0.12)) {
    const commentaire = random.pick(EXPERIENCE_COMMENTS)
    return { exige: 'E', libelle: `${duration} - ${commentaire}`, commentaire, sentence }
  }
  return { exige: 'E', libelle: random.chance(0.2) ? `Expérience exigée de ${duration}` : duration, sentence }
}

interface Hours {
  readonly hours: number
  readonly partTime: boolean
  readonly suffix: string
}

function drawHours(random: Random, fiche: Fiche, alternance: boolean): Hours {
  const partShare = fiche.tier === 3 ? 0.03 : fiche.domain.partTime
  const partTime = !alternance && random.chance(partShare)
  const hours = draw(random, partTime ? PART_HOURS : FULL_HOURS)
  return { hours, partTime, suffix: draw(random, HOURS_SUFFIXES) }
}

interface Salary {
  readonly salaire: Salaire
  /** For texts: "2 000 € à 2 400 € brut mensuel", or undefined when the offer gives no amount. */
  readonly hint?: string
  readonly complements: readonly string[]
}

// Most salaries are paid over 12 months, some with a 13th or 14th month.
const SALARY_MONTHS = choice<number>([[12, 85], [13, 12], [14, 3]])
// SMIC 2025 for 35 hours a week.
const SMIC_MONTHLY = 1801.8
const SMIC_HOURLY = 11.88

function monthlyBase(random: Random, tier: Tier): number {
  switch (tier) {
    case 0:
      return SMIC_MONTHLY + random.int(0, 15) * 10
    case 1:
      return random.float(1850, 2450)
    case 2:
      return random.float(2100, 3300)
    case 3:
      return random.float(2900, 5200)
  }
}

/** "35 000 €": French thousands separator, without the cost of Intl in the hot loop. */
function euros(amount: number): string {
  const whole = String(Math.round(amount))
  return whole.length > 3 ? `${whole.slice(0, -3)} ${whole.slice(-3)} €` : `${whole} €`
}

function drawSalary(
  random: Random,
  fiche: Fiche,
  contract: Contract,
  hours: Hours,
  isFranceTravail: boolean,
): Salary {
  // Insertion contracts are entry-level jobs, whatever the fiche.
  const insertion = contract.nature === NATURE_INSERTION
  const tier: Tier = insertion && fiche.tier > 1 ? 1 : fiche.tier
  const complements: string[] = []
  if (contract.alternance) return alternanceSalary(random, isFranceTravail)
  if (!isFranceTravail) {
    if (!random.chance(0.35)) {
      return { salaire: random.chance(0.08) ? { commentaire: 'A négocier' } : {}, complements }
    }
    const commentaire = random.chance(0.3) ? random.pick(PARTNER_SALARY_COMMENTS) : undefined
    const base = monthlyBase(random, tier) * (hours.partTime ? hours.hours / 35 : 1)
    let libelle: string
    let hint: string
    if (contract.code === 'MIS' && random.chance(0.4)) {
      const low = Math.max(SMIC_HOURLY, Math.round((base / 151.67) * 4) / 4)
      const high = low + random.int(1, 8) * 0.25
      libelle = `Horaire de ${twoDecimals(low, ',')} Euros à ${twoDecimals(high, ',')} Euros`
      hint = `${twoDecimals(low, ',')} € à ${twoDecimals(high, ',')} € brut de l'heure`
    } else if (tier === 3 || random.chance(0.3)) {
      const low = Math.round((base * 12) / 1000) * 1000
      const high = low + random.int(1, 10) * 1000
      libelle = `Annuel de ${twoDecimals(low, ',')} Euros à ${twoDecimals(high, ',')} Euros`
      hint = `${euros(low)} à ${euros(high)} brut annuel`
    } else {
      const low = Math.round(base / 10) * 10
      const high = low + random.int(1, 12) * 50
      libelle = `Mensuel de ${twoDecimals(low, ',')} Euros à ${twoDecimals(high, ',')} Euros`
      hint = `${euros(low)} à ${euros(high)} brut mensuel`
    }
    return { salaire: commentaire ? { libelle, commentaire } : { libelle }, hint, complements }
  }

  // France Travail: 60 % give an amount; most others say "to be negotiated" with a complement.
  if (random.chance(0.5)) {
    const first = draw(random, SALARY_COMPLEMENTS)
    complements.push(first)
    if (random.chance(0.6)) {
      const second = draw(random, SALARY_COMPLEMENTS)
      if (second !== first) complements.push(second)
    }
  }
  if (!random.chance(0.6)) {
    if (random.chance(0.3)) return { salaire: {}, complements: [] }
    const salaire: Mutable<Salaire> = {
      commentaire: random.pick(FT_SALARY_COMMENTS),
      complement1: complements[0] ?? 'Autre',
    }
    if (complements[1]) salaire.complement2 = complements[1]
    return { salaire, complements }
  }

  const months = draw(random, SALARY_MONTHS)
  const javaStyle = random.chance(0.7)
  const sur = javaStyle ? `sur ${months}.0 mois` : `sur ${months} mois`
  const amount = javaStyle ? javaDouble : (value: number) => twoDecimals(value, '.')
  const scale = hours.partTime ? hours.hours / 35 : 1
  let libelle: string
  let hint: string
  if (tier <= 1 && random.chance(0.35)) {
    // Minimum wage offers: the SMIC itself, monthly or hourly.
    if (random.chance(0.4)) {
      const rate = random.chance(0.6) ? SMIC_HOURLY : SMIC_HOURLY + random.int(1, 8) * 0.25
      libelle = `Horaire de ${twoDecimals(rate, '.')} Euros sur ${months} mois`
      hint = `${twoDecimals(rate, ',')} € brut de l'heure`
    } else {
      const monthly = SMIC_MONTHLY * scale
      libelle = `Mensuel de ${twoDecimals(monthly, '.')} Euros sur ${months} mois`
      hint = `${twoDecimals(monthly, ',')} € brut mensuel`
    }
  } else if (contract.code === 'MIS' && random.chance(0.3)) {
    const low = Math.max(SMIC_HOURLY, Math.round((monthlyBase(random, tier) / 151.67) * 4) / 4)
    const high = low + random.int(1, 8) * 0.25
    libelle = `Horaire de ${amount(low)} Euros à ${amount(high)} Euros ${sur}`
    hint = `${twoDecimals(low, ',')} € à ${twoDecimals(high, ',')} € brut de l'heure`
  } else if (tier === 3 && random.chance(0.6)) {
    const low = Math.round((monthlyBase(random, tier) * 12) / 1000) * 1000
    const high = low + random.int(1, 10) * 1000
    libelle = `Annuel de ${amount(low)} Euros à ${amount(high)} Euros ${sur}`
    hint = `${euros(low)} à ${euros(high)} brut annuel`
  } else {
    const base = monthlyBase(random, tier) * scale
    // A third of employers quote a collective-agreement grid, to the cent.
    const low = random.chance(0.3) ? Math.round(base * 100) / 100 : Math.round(base / 10) * 10
    if (random.chance(0.3)) {
      libelle = `Mensuel de ${amount(low)} Euros ${sur}`
      hint = `${euros(low)} brut mensuel`
    } else {
      const high = Math.round(low * random.float(1.04, 1.3))
      libelle = `Mensuel de ${amount(low)} Euros à ${amount(high)} Euros ${sur}`
      hint = `${euros(low)} à ${euros(high)} brut mensuel`
    }
  }
  const salaire: Mutable<Salaire> = { libelle }
  if (random.chance(0.08)) salaire.commentaire = random.pick(FT_SALARY_COMMENTS)
  if (complements[0]) salaire.complement1 = complements[0]
  if (complements[1]) salaire.complement2 = complements[1]
  if (complements.length > 0 && random.chance(0.1)) {
    salaire.listeComplements = complements.map((complement) => ({ libelle: complement }))
  }
  return { salaire, hint, complements }
}

/** Apprentices and trainees earn a share of the SMIC set by age and year of contract. */
const ALTERNANCE_SHARES = [0.43, 0.53, 0.61, 0.78]

function alternanceSalary(random: Random, isFranceTravail: boolean): Salary {
  const complements: string[] = []
  if (!random.chance(isFranceTravail ? 0.6 : 0.35)) {
    return { salaire: isFranceTravail ? { commentaire: 'Selon âge et réglementation en vigueur' } : {}, complements }
  }
  const share = random.pick(ALTERNANCE_SHARES)
  const low = SMIC_MONTHLY * share
  const hint = `de ${Math.round(share * 100)} % à 100 % du SMIC selon l'âge et l'année de formation`
  if (!isFranceTravail) {
    const libelle = `Mensuel de ${twoDecimals(low, ',')} Euros à ${twoDecimals(SMIC_MONTHLY, ',')} Euros`
    return { salaire: { libelle }, hint, complements }
  }
  return { salaire: { libelle: `Mensuel de ${twoDecimals(low, '.')} Euros sur 12 mois` }, hint, complements }
}

/** "ANNECY", or "LYON" for an arrondissement: the city as addresses and company names write it. */
function cityLabel(place: Place): string {
  return place.commune.parent ? place.city.toUpperCase() : place.commune.libelle
}

function namePartsOf(key: number, place: Place): NameParts {
  const h1 = mix32(key)
  const h2 = mix32(h1 ^ 0x5bd1e995)
  const syllables = 2 + (h2 % 2)
  let acronym = ''
  for (let i = 0; i < syllables; i++) acronym += SYLLABLES[mix32(h2 + i) % SYLLABLES.length] ?? ''
  acronym += ENDINGS[mix32(h2 ^ 0x27d4eb2f) % ENDINGS.length] ?? ''
  const city = cityLabel(place)
  return {
    surname: SURNAMES[h1 % SURNAMES.length] ?? 'MARTIN',
    acronym,
    city,
    ofCity: ofCity(city),
    noun: NOUNS[(h1 >>> 8) % NOUNS.length] ?? 'LAC',
    plural: PLURALS[(h1 >>> 12) % PLURALS.length] ?? 'TILLEULS',
  }
}

/**
 * A company name, derived from (place, sector, slot) rather than drawn freely: the same employers
 * come back in a town, as in real data where a company posts several offers.
 */
function companyName(random: Random, place: Place, section: Section, tempAgency: boolean): string {
  const slot = random.int(0, 5)
  const salt = Math.imul(section.upTo + 1, 0x9e3779b1) ^ Math.imul(slot + (tempAgency ? 97 : 0), 0x85ebca6b)
  const mixed = mix32(place.key ^ salt)
  const parts = namePartsOf(mixed, place)
  const forms = tempAgency ? TEMP_AGENCIES : section.employers
  const form = forms[mixed % forms.length] ?? forms[0]
  const base = form ? form(parts) : parts.acronym
  const withoutForm = section.noLegalForm === true && !tempAgency
  const legal = withoutForm ? '' : (LEGAL_FORMS[mix32(mixed ^ 0x68e31da4) % LEGAL_FORMS.length] ?? '')
  return `${base}${legal}`
}

const STAFF_SIZES = ['une dizaine de', 'une vingtaine de', 'une cinquantaine de', 'plus de 100', 'près de 300',
  'plus de 1 000']

function companyDescription(
  random: Random,
  nom: string | undefined,
  activity: string,
  place: Place,
  tempAgency: boolean,
): string {
  const year = random.int(1950, 2021)
  const staff = random.pick(STAFF_SIZES)
  const who = nom ?? random.pick(['Notre entreprise', 'Notre client', 'Notre société'])
  if (tempAgency) {
    return `${who} est une agence d'emploi implantée à ${place.city} depuis ${year}. Nous accompagnons les ` +
      'entreprises de la région dans leurs recrutements en intérim, CDD et CDI.'
  }
  switch (random.int(0, 2)) {
    case 0:
      return `${who}, ${activity} implanté(e) à ${place.city} depuis ${year}, compte aujourd'hui ${staff} ` +
        'collaborateurs.'
    case 1:
      return `Depuis ${year}, ${who} est ${activity} reconnu(e) dans son secteur. Avec ${staff} salariés, nous ` +
        "cultivons un esprit d'équipe et de proximité."
    default:
      return `${capitalize(activity)} à taille humaine : ${who} réunit ${staff} salariés autour du respect, de ` +
        'l’engagement et du travail bien fait.'
  }
}

// The parts of a description; each offer combines them in one of several layouts.
interface Facts {
  readonly job: Job
  readonly place: Place
  /** "à Lyon (69)", "en région Bretagne": where the job is, in a sentence. */
  readonly placePhrase: string
  /** "Lyon (69)", "France entière": where the job is, alone. */
  readonly placeName: string
  readonly nom: string | undefined
  /** "une entreprise du bâtiment": what the employer (or the agency's client) does. */
  readonly activity: string
  readonly contract: Contract
  readonly experience: Experience
  readonly hours: Hours
  readonly salary: Salary
  readonly competences: readonly RomeItem[]
  readonly savoirs: readonly RomeItem[]
  readonly qualites: readonly RomeQualite[]
  readonly niveauCode: string | undefined
  readonly permis: string | undefined
  readonly langue: string | undefined
  readonly accessibleTH: boolean
  readonly tempAgency: boolean
  readonly isFranceTravail: boolean
}

const MISSION_HEADERS = ['Vos missions :', 'Missions principales :', 'Description du poste :', 'Activités',
  'Le poste :', 'Au quotidien, vous serez chargé(e) de :', 'Vos responsabilités :']
const PROFILE_HEADERS = ['Profil recherché :', 'Votre profil :', 'Profil :', 'Description du profil :',
  'Qui êtes-vous ?']
const PRACTICAL_HEADERS = ['Conditions :', 'Informations complémentaires :', 'Ce que nous vous proposons :',
  'Conditions de travail :', 'Avantages et conditions :']
const REASONS = ["d'un accroissement d'activité", "d'un remplacement", 'de son développement',
  "d'une création de poste", "d'un départ en retraite", 'du renforcement de ses équipes']
const STARTS = ['Poste à pourvoir dès que possible.', 'Prise de poste rapide.', 'Démarrage : dès que possible.',
  'Poste à pourvoir immédiatement.', 'Prise de poste à convenir ensemble.']
const CLOSINGS = ["Si vous vous reconnaissez dans ce profil, n'hésitez pas à postuler !", 'Rejoignez-nous !',
  'Envoyez-nous votre candidature, nous avons hâte de vous rencontrer.',
  'Vous souhaitez donner un nouvel élan à votre carrière ? Postulez dès maintenant.',
  'Notre processus de recrutement : un premier échange téléphonique, puis un entretien sur site.']

function introOf(random: Random, facts: Facts): string {
  const { job, nom, placePhrase, contract } = facts
  const who = nom ?? 'Notre société'
  const activity = facts.activity
  if (facts.tempAgency) {
    return `${nom ? `Votre agence ${nom}` : 'Notre agence'} recrute pour l'un de ses clients, ${activity}, ` +
      `un(e) ${job.title} (H/F) ${contract.phrase} ${placePhrase}.`
  }
  if (contract.alternance) {
    return `${who}, ${activity}, recherche un(e) ${job.title} en alternance ${placePhrase}. Vous préparerez votre ` +
      'diplôme en alternance entre le centre de formation et l’entreprise, accompagné(e) par un tuteur expérimenté.'
  }
  switch (random.int(0, 4)) {
    case 0:
      return `${who}, ${activity}, recherche un(e) ${job.title} ${contract.phrase} pour renforcer son équipe ` +
        `${placePhrase}.`
    case 1:
      return `Dans le cadre ${random.pick(REASONS)}, ${who}, ${activity} ${placePhrase}, recrute un(e) ` +
        `${job.title} ${contract.phrase}.`
    case 2:
      return `Vous souhaitez rejoindre une structure dynamique ? ${who} recrute un(e) ${job.title} (H/F) ` +
        `${placePhrase}.`
    case 3:
      return `Rejoignez ${nom ?? 'notre équipe'} ! Nous sommes ${activity} et recherchons un(e) ${job.title} ` +
        `${contract.phrase}.`
    default:
      return `${capitalize(activity)} ${placePhrase} recherche son/sa futur(e) ${job.title}.`
  }
}

function missionsOf(random: Random, facts: Facts): string {
  const fiche = facts.job.fiche
  const lines = fiche.missionLines
  const header = random.pick(MISSION_HEADERS)
  const parts: string[] = []
  const layout = random.int(0, 2)
  if (layout === 0 && lines.length > 0) {
    // Definition sentences as bullets, a sample of at most 5 in their order.
    const keep = Math.min(lines.length, random.int(3, 5))
    const start = random.int(0, lines.length - keep)
    parts.push(header, ...lines.slice(start, start + keep))
  } else if (layout === 1 && facts.competences.length > 0) {
    parts.push(header)
    for (const competence of facts.competences) parts.push(`- ${competence.libelle}`)
  } else {
    parts.push(fiche.missionProse || `En tant que ${facts.job.title}, vous serez au cœur de notre activité.`)
    if (lines.length > 1) parts.push('Vos missions :', ...lines.slice(1, 1 + random.int(2, 4)))
  }
  if (layout !== 1 && facts.competences.length > 0 && random.chance(0.6)) {
    parts.push('Vous serez également amené(e) à :')
    for (const competence of facts.competences.slice(0, 3)) parts.push(`- ${lowerFirst(competence.libelle)}`)
  }
  return parts.join('\n')
}

function profileOf(random: Random, facts: Facts): string {
  const parts: string[] = [random.pick(PROFILE_HEADERS)]
  const acces = facts.job.fiche.details.acces
  const niveau = facts.niveauCode ? NIVEAU_PHRASES[facts.niveauCode] : undefined
  if (niveau) {
    const equivalent = random.chance(0.5) ? ' ou d’une formation équivalente' : ''
    parts.push(niveau.endsWith('.') ? niveau : `${niveau}${equivalent}.`)
  } else if (acces.length > 0 && random.chance(0.6)) parts.push(random.pick(acces))
  parts.push(facts.experience.sentence)
  if (facts.savoirs.length > 0) {
    parts.push(`Connaissances appréciées : ${facts.savoirs.map((savoir) => lowerFirst(savoir.libelle)).join(', ')}.`)
  }
  if (facts.permis) parts.push(`Permis ${facts.permis} ${random.pick(['indispensable.', 'exigé.', 'souhaité.'])}`)
  if (facts.langue) {
    parts.push(
      facts.langue === 'Anglais'
        ? random.pick(['Anglais courant exigé.', 'La pratique de l’anglais est un plus.'])
        : `La maîtrise de la langue suivante est demandée : ${facts.langue.toLowerCase()}.`,
    )
  }
  if (facts.qualites.length > 0) {
    parts.push(random.chance(0.5) ? 'Qualités attendues :' : 'Savoir-être professionnels :')
    for (const qualite of facts.qualites) parts.push(`- ${qualite.libelle}`)
  } else {
    parts.push(random.pick(['Vous êtes rigoureux(se), organisé(e) et avez le sens du travail en équipe.',
      'Votre sens du service et votre fiabilité seront vos meilleurs atouts.',
      'Dynamique et impliqué(e), vous aimez le travail bien fait.']))
  }
  return parts.join('\n')
}

function practicalOf(random: Random, facts: Facts): string {
  const { hours, contract, salary } = facts
  const parts: string[] = [random.pick(PRACTICAL_HEADERS)]
  parts.push(`- Contrat : ${contract.short}`)
  const week = hoursLabel(hours.hours)
  const time = hours.partTime ? `temps partiel, ${week} par semaine` : `${week} hebdomadaires`
  parts.push(`- Temps de travail : ${time} (${lowerFirst(hours.suffix)})`)
  if (salary.hint) parts.push(`- Rémunération : ${salary.hint}`)
  else parts.push(`- Rémunération : ${random.pick(['selon profil et expérience', 'selon convention collective'])}`)
  if (salary.complements.length > 0) parts.push(`- Avantages : ${salary.complements.map(lowerFirst).join(', ')}`)
  parts.push(`- Lieu de travail : ${facts.placeName}`)
  parts.push(random.pick(STARTS))
  return parts.join('\n')
}

const PERKS = ['Une équipe soudée et bienveillante', 'Un parcours d’intégration personnalisé',
  'Des formations régulières pour évoluer', 'Des perspectives d’évolution en interne', 'Un cadre de travail agréable',
  'Une entreprise stable et en croissance', 'Des outils et équipements récents', 'Un planning connu à l’avance']

/** "Environnement de travail : …", from the fiche's work contexts (hours, conditions), when it has some. */
function environmentOf(random: Random, details: RomeFicheDetails): string | undefined {
  const items = pickDistinct(random, details.conditions, details.horaires, random.int(2, 4), 0.6)
  if (items.length === 0) return undefined
  return `Environnement de travail : ${items.map(lowerFirst).join(', ')}.`
}

// Shorter texts always get the practical section: real descriptions rarely go under 600 characters.
const SHORT_DESCRIPTION = 700

function descriptionOf(random: Random, facts: Facts): string {
  const sections: string[] = []
  const intro = introOf(random, facts)
  const missions = missionsOf(random, facts)
  const layout = random.int(0, 3)
  if (layout === 0 && !facts.isFranceTravail) sections.push('Description :', intro, missions)
  else if (layout === 1) sections.push(missions, intro)
  else sections.push(intro, missions)
  sections.push(profileOf(random, facts))
  const environment = random.chance(0.4) ? environmentOf(random, facts.job.fiche.details) : undefined
  if (environment) sections.push(environment)
  let length = 0
  for (const section of sections) length += section.length
  if (random.chance(0.85) || length < SHORT_DESCRIPTION) sections.push(practicalOf(random, facts))
  if (!facts.isFranceTravail && random.chance(0.25)) {
    sections.push(`Pourquoi nous rejoindre ?\n- ${pickDistinct(random, PERKS, [], random.int(2, 4), 1).join('\n- ')}`)
  }
  if (facts.accessibleTH) sections.push('Ce poste est ouvert aux personnes en situation de handicap.')
  if (!facts.isFranceTravail || random.chance(0.3)) sections.push(random.pick(CLOSINGS))
  return sections.join(random.chance(0.6) ? '\n\n' : '\n')
}

// ---------------------------------------------------------------------------------------------

const DAY = 86_400_000
const WINDOW = 42 * DAY
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
const FT_PREFIX_FIRST = 170
const FT_PREFIXES = 30
const FT_SUFFIXES = 26 ** 4

/** "184TRJB": three digits (170–199, as recent original ids) then four capitals. */
function franceTravailId(ordinal: number): string {
  let rest = ordinal % FT_SUFFIXES
  let letters = ''
  for (let i = 0; i < 4; i++) {
    letters = LETTERS.charAt(rest % 26) + letters
    rest = Math.floor(rest / 26)
  }
  return `${FT_PREFIX_FIRST + Math.floor(ordinal / FT_SUFFIXES)}${letters}`
}

/** Creation within the 6 weeks before `now`, recent days more likely; update between creation and `now`. */
function drawDates(random: Random, now: number, isFranceTravail: boolean): { created: number; updated: number } {
  // age = W·u·(0.4 + 0.6·u): density 2.5× higher for the newest offers than for the oldest. Only + and ×,
  // which IEEE 754 defines exactly (Math.pow may differ by an ulp between engines).
  const u = random.next()
  const age = WINDOW * u * (0.4 + 0.6 * u)
  let created = now - Math.max(60_000, Math.floor(age))
  let updated: number
  if (isFranceTravail) {
    // Most France Travail offers are saved twice within a second of their creation.
    updated = random.chance(0.7)
      ? created + random.int(150, 900)
      : created + Math.floor(random.next() * (now - created))
  } else {
    // Partner feeds carry whole seconds.
    created -= created % 1000
    updated = random.chance(0.6) ? created : created + Math.floor((random.next() * (now - created)) / 1000) * 1000
  }
  return { created, updated: Math.min(updated, now) }
}

interface DrawnPlace {
  readonly lieuTravail: LieuTravail
  /** "à Lyon (69)", "en région Bretagne". */
  readonly placePhrase: string
  /** "Lyon (69)", "France entière". */
  readonly placeName: string
}

/** 80 % a commune, 12 % its département, 5 % "France", 3 % its region, as in real offers. */
function drawLieuTravail(random: Random, place: Place): DrawnPlace {
  const { commune, departement } = place
  const roll = random.next()
  if (roll < 0.8) {
    // Some offers point at an address rather than the town hall: the point moves a little.
    const jitter = random.chance(0.35) ? 0.012 : 0
    const latitude = Math.round((commune.latitude + (random.next() - 0.5) * jitter) * 1e6) / 1e6
    const longitude = Math.round((commune.longitude + (random.next() - 0.5) * jitter) * 1e6) / 1e6
    const placeName = `${place.city} (${commune.codeDepartement})`
    return {
      lieuTravail: {
        libelle: `${commune.codeDepartement} - ${commune.libelle}`,
        latitude,
        longitude,
        codePostal: commune.codePostal,
        commune: commune.code,
      },
      placeName,
      placePhrase: `à ${placeName}`,
    }
  }
  if (roll < 0.92) {
    const placeName = `${departement.libelle} (${departement.code})`
    return {
      lieuTravail: { libelle: `${departement.code} - ${departement.libelle}` },
      placeName,
      placePhrase: `dans le secteur ${placeName}`,
    }
  }
  if (roll < 0.97) {
    return { lieuTravail: { libelle: 'France' }, placeName: 'France entière', placePhrase: 'sur toute la France' }
  }
  const region = departement.region.libelle
  return { lieuTravail: { libelle: region }, placeName: region, placePhrase: `en région ${region}` }
}

interface Run {
  readonly model: Model
  readonly seedWords: readonly [number, number, number, number]
  readonly franceTravailIds: Permutation
  readonly partnerIds: Permutation
  readonly now: number
}

function generateOne(run: Run, index: number): Offre {
  const { model } = run
  const random = Random.forIndex(run.seedWords, index)

  // About 30 % of the original's offers are France Travail's own, 70 % come from partners.
  const isFranceTravail = random.chance(0.3)
  const id = isFranceTravail
    ? franceTravailId(run.franceTravailIds.apply(index))
    : String(run.partnerIds.apply(index)).padStart(7, '0')
  const detailUrl = `${FT_DETAIL_URL}${id}`

  const job = model.jobs.pick(random)
  const { fiche, appellation } = job
  const place = model.places.pick(random)
  const contract = drawContract(random, fiche, isFranceTravail)
  const experience = drawExperience(random, fiche.tier, isFranceTravail, contract.alternance)
  const hours = drawHours(random, fiche, contract.alternance)
  const salary = drawSalary(random, fiche, contract, hours, isFranceTravail)
  const tempAgency = contract.code === 'MIS' && random.chance(0.7)

  const { created, updated } = drawDates(random, run.now, isFranceTravail)
  const { lieuTravail, placePhrase, placeName } = drawLieuTravail(random, place)

  // Employer: its sector first (a temp agency's client's sector), then its name.
  const sectorNaf = random.pick(fiche.nafs)
  const section = sectionOf(sectorNaf.code)
  const activity = random.pick(section.activities)
  const hasName = random.chance(isFranceTravail ? 0.95 : 0.45)
  const nom = hasName ? companyName(random, place, section, tempAgency) : undefined
  const adaptee = random.chance(0.015)
  const entreprise: Mutable<Entreprise> = {}
  if (nom) entreprise.nom = nom
  if (random.chance(isFranceTravail ? 0.08 : 0.6)) {
    entreprise.description = companyDescription(random, nom, activity, place, tempAgency)
  }
  if (isFranceTravail && random.chance(0.04)) {
    entreprise.logo = `https://entreprise.francetravail.fr/static/img/logos/${token(random, 32, ALNUM)}.png`
  }
  if (nom && isFranceTravail && random.chance(0.05)) entreprise.url = `https://www.${slugify(nom)}.fr`
  entreprise.entrepriseAdaptee = adaptee

  // Requirements.
  const tier = fiche.tier
  let formation: Mutable<Formation> | undefined
  let niveauCode: string | undefined
  if (random.chance(isFranceTravail ? 0.45 : 0.12)) {
    niveauCode = draw(random, NIVEAUX_BY_TIER[tier])
    formation = {}
    if (random.chance(0.4)) formation.domaineLibelle = random.pick(fiche.domain.formationDomains)
    formation.niveauLibelle = model.niveauLabel(niveauCode)
    if (random.chance(0.2)) formation.commentaire = random.pick(FORMATION_COMMENTS[tier])
    formation.exigence = random.chance(0.65) ? 'E' : 'S'
  }
  const langueBoost = (tier === 3 ? 2 : 1) * (fiche.letter === 'G' ? 2 : 1)
  const langues: string[] = []
  if (random.chance((isFranceTravail ? 0.18 : 0.05) * langueBoost)) {
    langues.push(draw(random, LANGUES))
    if (random.chance(0.1)) {
      const second = draw(random, LANGUES)
      if (second !== langues[0]) langues.push(second)
    }
  }
  const permisCodes: string[] = []
  if (random.chance(fiche.permis.probability * (isFranceTravail ? 1 : 0.6))) {
    const code = draw(random, fiche.permis.options)
    permisCodes.push(code)
    if (code === 'CE' && random.chance(0.3)) permisCodes.push(random.chance(0.5) ? 'FIMO' : 'FCO')
    if (code !== 'B' && random.chance(0.15)) permisCodes.push('B')
  }
  const outils = isFranceTravail && 'MCDE'.includes(fiche.letter) && random.chance(0.1)
    ? pickDistinct(random, OUTILS, [], random.int(1, 3), 1)
    : []

  const details = fiche.details
  const competenceCount = random.chance(isFranceTravail ? 0.8 : 0.06) ? draw(random, COMPETENCE_COUNTS) : 0
  const savoirFaireCount = Math.round(competenceCount * 0.7)
  const savoirFaire = pickDistinct(random, details.coreSavoirFaire, details.otherSavoirFaire, savoirFaireCount, 0.75)
  const savoirCount = competenceCount - savoirFaire.length
  const savoirs = pickDistinct(random, details.coreSavoirs, details.otherSavoirs, savoirCount, 0.75)
  // Employers tend to set one requirement level for all compétences.
  const exigenceMode = random.next()
  const exigenceOf = (): Exigence =>
    exigenceMode < 0.6 ? 'E' : exigenceMode < 0.85 ? 'S' : random.chance(0.5) ? 'E' : 'S'
  const competences = [...savoirFaire, ...savoirs].map((item) => ({
    code: item.code,
    libelle: item.libelle,
    exigence: exigenceOf(),
  }))

  const qualitesPool = fiche.qualites.length > 0 ? fiche.qualites : model.allQualites
  const qualites = isFranceTravail && random.chance(0.65)
    ? pickDistinct(random, qualitesPool, [], draw(random, QUALITE_COUNTS), 1)
    : []

  const accessibleTH = random.chance(isFranceTravail ? 0.25 : 0.02)
  const facts: Facts = {
    job,
    place,
    placePhrase,
    placeName,
    nom,
    activity,
    contract,
    experience,
    hours,
    salary,
    competences: savoirFaire,
    savoirs: savoirs.slice(0, 3),
    qualites,
    niveauCode,
    permis: permisCodes[0],
    langue: langues[0],
    accessibleTH,
    tempAgency,
    isFranceTravail,
  }
  const description = descriptionOf(random, facts)

  // Everything below is assembled in the order of OffreSchema's properties.
  const offer: Mutable<Offre> = {
    id,
    intitule: intituleOf(random, job, place, contract, isFranceTravail),
    description,
    dateCreation: isoDate(created),
    dateActualisation: isoDate(updated),
    lieuTravail,
    romeCode: fiche.metier.code,
    romeLibelle: fiche.metier.libelle,
    appellationlibelle: appellation.libelleCourt,
    entreprise,
    typeContrat: contract.code,
    typeContratLibelle: contract.libelle,
    natureContrat: contract.nature,
    experienceExige: experience.exige,
    experienceLibelle: experience.libelle,
  }
  if (experience.commentaire) offer.experienceCommentaire = experience.commentaire
  if (formation) offer.formations = [formation]
  if (langues.length > 0) {
    offer.langues = langues.map((libelle) => ({ libelle, exigence: random.chance(0.7) ? 'E' : 'S' }))
  }
  if (permisCodes.length > 0) {
    const exigence: Exigence = random.chance(0.75) ? 'E' : 'S'
    offer.permis = permisCodes.map((code) => ({ libelle: model.permisLabel(code), exigence }))
  }
  if (outils.length > 0) offer.outilsBureautiques = outils
  if (competences.length > 0) offer.competences = competences
  offer.salaire = salary.salaire
  if (isFranceTravail || random.chance(0.3)) setWorkingTime(random, offer, hours, isFranceTravail)
  if (isFranceTravail && details.conditions.length > 0 && random.chance(0.02)) {
    offer.conditionExercice = random.pick(details.conditions)
  }
  offer.alternance = contract.alternance

  if (isFranceTravail) {
    offer.contact = contactOf(random, nom, detailUrl, job, place)
    offer.agence = agenceOf(random, detailUrl)
  } else if (PARTNER_EMPTY_CONTACT) {
    offer.contact = {}
    offer.agence = {}
  }

  offer.nombrePostes = draw(random, NOMBRE_POSTES)
  offer.accessibleTH = accessibleTH
  if (random.chance(isFranceTravail ? 0.4 : 0.06)) {
    const deplacement = DEPLACEMENTS[draw(random, DEPLACEMENT_INDEXES)] ?? { code: '1', libelle: 'Jamais' }
    offer.deplacementCode = deplacement.code
    offer.deplacementLibelle =
      deplacement.code === '1' ? deplacement.libelle : `${deplacement.libelle} ${draw(random, ZONES)}`
  }
  if (random.chance(isFranceTravail ? 0.9 : 0.15)) {
    const qualification = QUALIFICATIONS[qualificationIndex(random, fiche)]
    if (qualification) {
      offer.qualificationCode = qualification.code
      offer.qualificationLibelle = qualification.libelle
    }
  }
  if (random.chance(isFranceTravail ? 0.95 : 0.6)) {
    const naf = tempAgency && model.tempAgencyNaf && random.chance(0.7) ? model.tempAgencyNaf : sectorNaf
    offer.codeNAF = naf.code
    offer.secteurActivite = naf.code.slice(0, 2)
    offer.secteurActiviteLibelle = naf.libelle
  }
  if (qualites.length > 0) {
    offer.qualitesProfessionnelles = qualites.map(({ libelle, description }) => ({ libelle, description }))
  }
  if (random.chance(isFranceTravail ? 0.35 : 0.12)) offer.trancheEffectifEtab = draw(random, TRANCHES)

  offer.origineOffre = isFranceTravail
    ? { origine: '1', urlOrigine: detailUrl }
    : { origine: '2', urlOrigine: detailUrl, partenaires: [partnerOf(random, job, fiche, contract, experience)] }
  if (isFranceTravail) offer.offresManqueCandidats = random.chance(0.1)
  if (random.chance(0.4) && (details.horaires.length > 0 || details.conditions.length > 0)) {
    const contexte: Mutable<NonNullable<Offre['contexteTravail']>> = {}
    const { horaires, conditions } = details
    if (horaires.length > 0) contexte.horaires = pickDistinct(random, horaires, [], random.int(1, 2), 1)
    if (conditions.length > 0) contexte.conditionsExercice = pickDistinct(random, conditions, [], random.int(1, 3), 1)
    offer.contexteTravail = contexte
  }
  offer.entrepriseAdaptee = adaptee
  offer.employeurHandiEngage = random.chance(0.05)
  return offer as Offre
}

/** `dureeTravailLibelle` as each origin writes it, and the full/part-time label consistent with the hours. */
function setWorkingTime(random: Random, offer: Mutable<Offre>, hours: Hours, isFranceTravail: boolean): void {
  const converti = hours.hours < 35 ? 'Temps partiel' : 'Temps plein'
  if (isFranceTravail) {
    const h = hoursLabel(hours.hours)
    const format = random.next()
    offer.dureeTravailLibelle =
      format < 0.4
        ? `${h}\n${hours.suffix}`
        : format < 0.6
          ? `${h}/semaine\n${hours.suffix}`
          : format < 0.9
            ? `${h} ${hours.suffix}`
            : h
    offer.dureeTravailLibelleConverti = converti
  } else if (random.chance(0.7)) {
    const whole = Math.floor(hours.hours)
    offer.dureeTravailLibelle = random.chance(0.55) ? `${whole} H  ${hours.suffix}` : `${whole} H`
    offer.dureeTravailLibelleConverti = converti
  } else {
    // Some partners only say "Temps plein", repeated in complementExercice.
    offer.dureeTravailLibelle = converti
    offer.complementExercice = converti
  }
}

/** Index in QUALIFICATIONS (code − 1) for the fiche's level, with some spread around it. */
function qualificationIndex(random: Random, fiche: Fiche): number {
  const manual = fiche.domain.manual
  let code: number
  switch (fiche.tier) {
    case 0:
      code = manual ? (random.chance(0.2) ? 1 : 2) : 5
      break
    case 1:
      code = manual ? (random.chance(0.6) ? 3 : 4) : 6
      break
    case 2:
      code = fiche.supervisor ? 8 : random.chance(0.8) ? 7 : 6
      break
    case 3:
      code = random.chance(0.9) ? 9 : 8
      break
  }
  return code - 1
}

function intituleOf(random: Random, job: Job, place: Place, contract: Contract, isFranceTravail: boolean): string {
  const { appellation, title } = job
  if (isFranceTravail) {
    const roll = random.next()
    if (contract.alternance && roll < 0.3) return `${title} en alternance (H/F)`
    return roll < 0.7 ? appellation.libelle : roll < 0.8 ? appellation.libelleCourt
      : roll < 0.92 ? `${appellation.libelleCourt} (H/F)` : `${title} H/F`
  }
  if (contract.alternance) {
    return random.pick([`Alternance - ${title} (H/F)`, `Apprenti ${title} H/F`, `${title} en alternance (H/F)`])
  }
  switch (draw(random, PARTNER_TITLES)) {
    case 0:
      return `${title} H/F`
    case 1:
      return `${title} (H/F)`
    case 2:
      return `${title} F/H`
    case 3:
      return `${title} (F/H)`
    case 4:
      return `${title} H/F - ${place.city}`
    case 5:
      return `${title} - ${place.city} (H/F)`
    case 6:
      return `${title} ${contract.code === 'MIS' ? 'en intérim' : contract.phrase} (H/F)`
    case 7:
      return appellation.libelleCourt
    default:
      return `${title} H/F`.toUpperCase()
  }
}

function contactOf(
  random: Random,
  nom: string | undefined,
  detailUrl: string,
  job: Job,
  place: Place,
): Mutable<Contact> {
  const applyText = `${APPLY_SENTENCE}${detailUrl}`
  const person = () => {
    const female = random.chance(0.55)
    return `${female ? 'Mme' : 'M.'} ${random.pick(female ? FIRST_NAMES_F : FIRST_NAMES_M)} ${random.pick(SURNAMES)}`
  }
  const named = () => (nom ? `${nom} - ${person()}` : person())
  const roll = random.next()
  if (roll < 0.45) return { nom: named(), coordonnees1: applyText, courriel: applyText }
  if (roll < 0.65) return {}
  if (roll < 0.77) {
    const url = `https://${random.pick(APPLY_HOSTS)}/${job.slug}-${digits(random, 6)}`
    return { coordonnees1: url, urlPostulation: url }
  }
  if (roll < 0.9) return { nom: named(), courriel: applyText }
  return {
    nom: named(),
    coordonnees1: `${random.int(1, 120)} ${random.pick(STREETS)}`,
    coordonnees2: `${place.commune.codePostal} ${cityLabel(place)}`,
    coordonnees3: applyText,
  }
}

/** Most agencies leave their block empty; some give the application link or a phone number. */
function agenceOf(random: Random, detailUrl: string): Mutable<Agence> {
  const roll = random.next()
  if (roll < 0.12) return { courriel: `${APPLY_SENTENCE}${detailUrl}` }
  if (roll < 0.15) {
    const pairs = `${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)}`
    return { telephone: `0${random.int(1, 5)} ${pairs}` }
  }
  return {}
}

function partnerOf(random: Random, job: Job, fiche: Fiche, contract: Contract, experience: Experience) {
  const context: PartnerContext = {
    alternance: contract.alternance,
    tier: fiche.tier,
    letter: fiche.letter,
    junior: experience.exige === 'D',
  }
  let total = 0
  for (const candidate of PARTNERS) if (candidate.eligible(context)) total += candidate.weight
  let target = random.next() * total
  let chosen = PARTNERS[0] as Partner
  for (const candidate of PARTNERS) {
    if (!candidate.eligible(context)) continue
    chosen = candidate
    target -= candidate.weight
    if (target < 0) break
  }
  return { nom: chosen.nom, url: chosen.url(random, job), logo: chosen.logo }
}

/**
 * Yields `count` offers, deterministic for (seed, now, data).
 *
 * Offer `i` is computed from (seed, now, i) alone, so the first N offers of a longer run are the
 * offers of a run of N, and offers stream one at a time (nothing is accumulated).
 */
export function* generateOffers(referentials: Referentials, options: GenerateOptions): Generator<Offre> {
  const { count, seed, now } = options
  if (!Number.isInteger(count) || count < 0 || count > MAX_GENERATED_OFFERS) {
    throw new RangeError(`count must be an integer in [0, ${MAX_GENERATED_OFFERS}], got ${count}`)
  }
  const nowMs = now.getTime()
  if (Number.isNaN(nowMs)) throw new RangeError('now is not a valid date')
  const seedWords = hashSeed(seed)
  const run: Run = {
    model: modelOf(referentials),
    seedWords,
    // Identifiers are keyed permutations of the offer index: unique without any bookkeeping.
    franceTravailIds: new Permutation(FT_PREFIXES * FT_SUFFIXES, seedWords[0] ^ seedWords[2]),
    partnerIds: new Permutation(MAX_GENERATED_OFFERS, seedWords[1] ^ seedWords[3]),
    now: nowMs,
  }
  for (let index = 0; index < count; index++) yield generateOne(run, index)
}
