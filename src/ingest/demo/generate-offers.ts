import type { Offre } from '../../domain/offers/offer.schema.js'
import type { Referentials } from '../../domain/referentials/referentials.js'
import { DEPLACEMENTS, QUALIFICATIONS } from '../../domain/referentials/static-lists.js'
import { drawContract, drawExperience, drawHours, qualificationIndex, setWorkingTime } from './contracts.js'
import { agenceOf, companyDescription, companyName, contactOf, sectionOf } from './employers.js'
import { ALNUM, isoDate, type Mutable, pickDistinct, slugify, token } from './format.js'
import { type Model, modelOf } from './model.js'
import { partnerOf } from './partners.js'
import { drawLieuTravail } from './places.js'
import { choice, type Choice, draw } from './plan.js'
import { Permutation, Random, hashSeed } from './random.js'
import { drawSalary } from './salaries.js'
import { descriptionOf, type Facts, intituleOf } from './texts.js'

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

const LANGUES = choice<string>([['Anglais', 80], ['Espagnol', 6], ['Allemand', 5], ['Italien', 3], ['Français', 3],
  ['Néerlandais', 1], ['Portugais', 1], ['Arabe', 1]])
const OUTILS = ['Traitement de texte (Word, Writer, ...)', 'Tableur (Excel, Calc, ...)', 'Internet', 'Messagerie',
  'Logiciel de gestion comptable', 'Outils collaboratifs (Teams, Slack, ...)', 'Logiciel de paie',
  'Logiciel de gestion commerciale']

const TRANCHES = choice<string>([['1 à 5 employés', 20], ['6 à 9 salariés', 12], ['10 à 19 salariés', 16],
  ['20 à 49 salariés', 18], ['50 à 99 salariés', 10], ['100 à 199 salariés', 8], ['200 à 249 salariés', 3],
  ['250 à 499 salariés', 5], ['500 à 999 salariés', 4], ['1000 salariés et plus', 4]])

// Indexes in DEPLACEMENTS: Jamais, Ponctuels, Fréquents, Quotidiens.
const DEPLACEMENT_INDEXES = choice<number>([[0, 35], [1, 40], [2, 18], [3, 7]])
const ZONES = choice<string>([['Zone départementale', 35], ['Zone régionale', 35], ['Zone nationale', 22],
  ['Zone internationale', 8]])

// Real France Travail offers list 3 to 5 compétences most often, 3 savoir-être almost always.
const COMPETENCE_COUNTS = choice<number>([[3, 20], [4, 20], [5, 35], [6, 10], [7, 8], [8, 7]])
const QUALITE_COUNTS = choice<number>([[1, 8], [2, 12], [3, 80]])
const NOMBRE_POSTES = choice<number>([[1, 88], [2, 6], [3, 3], [4, 1], [5, 1], [8, 0.5], [10, 0.5]])

const FT_DETAIL_URL = 'https://candidat.francetravail.fr/offres/recherche/detail/'

/**
 * The README's examples find offers in any corpus: its first offers are these jobs in these
 * communes (everything else drawn as usual), and prefix stability keeps them first in every run.
 */
export const SHOWCASES: readonly { readonly appellation: string; readonly commune: string }[] = [
  // motsCles=infirmier&commune=33063&distance=20: "Infirmier / Infirmière en soins généraux" in Bordeaux.
  { appellation: '15545', commune: '33063' },
  // motsCles=boulanger&commune=33063&distance=0: "Boulanger / Boulangère" in Bordeaux.
  { appellation: '11573', commune: '33063' },
  { appellation: '15545', commune: '33063' },
]

/**
 * Formacode descriptors of the formation domains, only those attested with their code in real offers
 * (test/fixtures/offres, published France Travail offers, Centre Inffo's examples): the repository
 * ships no Formacode thesaurus, and a made-up code would mislead. Other domains go without a code.
 */
const FORMACODES: Readonly<Record<string, string>> = {
  agronomie: '21059',
  banque: '41062',
  boulangerie: '21538',
  élevage: '21056',
  'entretien mécanique': '23684',
  statistique: '11036',
}

type Entreprise = NonNullable<Offre['entreprise']>
type Formation = NonNullable<Offre['formations']>[number]
type Exigence = 'E' | 'S'

// Identifiers and dates

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

// One offer

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

  const showcase = SHOWCASES[index]
  const job = (showcase && model.jobByAppellation.get(showcase.appellation)) ?? model.jobs.pick(random)
  const { fiche, appellation } = job
  const place = (showcase && model.placeByCommune.get(showcase.commune)) ?? model.places.pick(random)
  const contract = drawContract(random, fiche, isFranceTravail)
  const experience = drawExperience(random, fiche.tier, isFranceTravail, contract.alternance)
  const hours = drawHours(random, fiche, contract.alternance)
  const salary = drawSalary(random, fiche, contract, hours, isFranceTravail)
  const tempAgency = contract.code === 'MIS' && random.chance(0.7)

  const { created, updated } = drawDates(random, run.now, isFranceTravail)
  const { lieuTravail, placePhrase, placeName } = drawLieuTravail(random, place, showcase ? 1 : isFranceTravail ? 0.96 : 0.77)

  // Employer: its sector first (a temp agency's client's sector), then its name.
  const sectorNaf = random.pick(fiche.nafs)
  const section = sectionOf(sectorNaf.code)
  const activity = random.pick(section.activities)
  const hasName = random.chance(isFranceTravail ? 0.95 : 0.26)
  const nom = hasName ? companyName(random, place, section, tempAgency) : undefined
  const adaptee = random.chance(0.015)
  const entreprise: Mutable<Entreprise> = {}
  if (nom) entreprise.nom = nom
  if (random.chance(isFranceTravail ? 0.08 : 0.76)) {
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
  if (random.chance(isFranceTravail ? 0.57 : 0.02)) {
    niveauCode = draw(random, NIVEAUX_BY_TIER[tier])
    formation = {}
    if (random.chance(0.46)) {
      const domaine = random.pick(fiche.domain.formationDomains)
      const code = FORMACODES[domaine]
      if (code) formation.codeFormation = code
      formation.domaineLibelle = domaine
    }
    formation.niveauLibelle = model.niveauLabel(niveauCode)
    if (random.chance(0.36)) formation.commentaire = random.pick(FORMATION_COMMENTS[tier])
    formation.exigence = random.chance(0.65) ? 'E' : 'S'
  }
  const langueBoost = (tier === 3 ? 2 : 1) * (fiche.letter === 'G' ? 2 : 1)
  const langues: string[] = []
  if (random.chance((isFranceTravail ? 0.18 : 0.01) * langueBoost)) {
    langues.push(draw(random, LANGUES))
    if (random.chance(0.1)) {
      const second = draw(random, LANGUES)
      if (second !== langues[0]) langues.push(second)
    }
  }
  const permisCodes: string[] = []
  if (random.chance(fiche.permis.probability * (isFranceTravail ? 0.45 : 0.1))) {
    const code = draw(random, fiche.permis.options)
    permisCodes.push(code)
    if (code === 'CE' && random.chance(0.3)) permisCodes.push(random.chance(0.5) ? 'FIMO' : 'FCO')
    if (code !== 'B' && random.chance(0.15)) permisCodes.push('B')
  }
  const outils = isFranceTravail && 'MCDE'.includes(fiche.letter) && random.chance(0.1)
    ? pickDistinct(random, OUTILS, [], random.int(1, 3), 1)
    : []

  const details = fiche.details
  const competenceCount = random.chance(isFranceTravail ? 0.74 : 0.01) ? draw(random, COMPETENCE_COUNTS) : 0
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
  if (isFranceTravail || random.chance(0.115)) setWorkingTime(random, offer, hours, isFranceTravail)
  if (isFranceTravail && details.conditions.length > 0 && random.chance(0.02)) {
    offer.conditionExercice = random.pick(details.conditions)
  }
  offer.alternance = contract.alternance

  if (isFranceTravail) {
    offer.contact = contactOf(random, nom, detailUrl, job, place)
    offer.agence = agenceOf(random, detailUrl)
  }

  offer.nombrePostes = draw(random, NOMBRE_POSTES)
  offer.accessibleTH = accessibleTH
  if (random.chance(isFranceTravail ? 0.4 : 0.01)) {
    const deplacement = DEPLACEMENTS[draw(random, DEPLACEMENT_INDEXES)] ?? { code: '1', libelle: 'Jamais' }
    offer.deplacementCode = deplacement.code
    offer.deplacementLibelle =
      deplacement.code === '1' ? deplacement.libelle : `${deplacement.libelle} ${draw(random, ZONES)}`
  }
  if (random.chance(isFranceTravail ? 0.99 : 0.12)) {
    const qualification = QUALIFICATIONS[qualificationIndex(random, fiche)]
    if (qualification) {
      offer.qualificationCode = qualification.code
      offer.qualificationLibelle = qualification.libelle
    }
  }
  if (random.chance(isFranceTravail ? 0.99 : 0.26)) {
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
