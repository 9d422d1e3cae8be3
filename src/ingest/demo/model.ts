/** The model of the corpus: jobs, places and per-fiche tables, precomputed once per referentials. */
import type {
  AppellationRecord,
  CommuneRecord,
  DepartementRecord,
  MetierRecord,
  Referentials,
} from '../../domain/referentials/referentials.js'
import type { CodeLabel } from '../../domain/referentials/static-lists.js'
import { slugify, stringHash } from './format.js'
import {
  type Choice,
  choice,
  CONTRACT_SHARES,
  type ContractCode,
  type Domain,
  DOMAINS,
  SUPPORT_DOMAIN,
  type Tier,
} from './plan.js'
import { WeightedTable } from './random.js'
import { loadRomeDetails, type RomeFicheDetails, type RomeQualite } from './rome-details.js'

export interface Fiche {
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

export interface Job {
  readonly appellation: AppellationRecord
  readonly fiche: Fiche
  /** Masculine form for free-form titles ("Chargé / Chargée de recherche" → "Chargé de recherche"). */
  readonly title: string
  readonly slug: string
}

export interface Place {
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

export interface Model {
  readonly jobs: WeightedTable<Job>
  readonly places: WeightedTable<Place>
  /** Jobs by appellation code and places by commune code, for the offers placed on purpose. */
  readonly jobByAppellation: ReadonlyMap<string, Job>
  readonly placeByCommune: ReadonlyMap<string, Place>
  readonly tempAgencyNaf: CodeLabel | undefined
  readonly permisLabel: (code: string) => string
  readonly niveauLabel: (code: string) => string
  readonly allQualites: readonly RomeQualite[]
}

const models = new WeakMap<Referentials, Model>()

export function modelOf(referentials: Referentials): Model {
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
    jobByAppellation: new Map(jobs.map((job) => [job.appellation.code, job])),
    placeByCommune: new Map(places.map((place) => [place.commune.code, place])),
    tempAgencyNaf: referentials.nafs.get('78.20Z'),
    permisLabel: (code) => referentials.permis.get(code)?.libelle ?? code,
    niveauLabel: (code) => referentials.niveauxFormations.get(code)?.libelle ?? code,
    allQualites: [...allQualites.values()],
  }
}
