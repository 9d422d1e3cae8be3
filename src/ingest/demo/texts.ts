/** The offer's texts: its title and a description assembled from the facts drawn for it. */
import { type Contract, type Experience, type Hours } from './contracts.js'
import { capitalize, hoursLabel, lowerFirst, pickDistinct } from './format.js'
import { type Job, type Place } from './model.js'
import { choice, draw } from './plan.js'
import type { Random } from './random.js'
import type { RomeFicheDetails, RomeItem, RomeQualite } from './rome-details.js'
import { type Salary } from './salaries.js'

const NIVEAU_PHRASES: Readonly<Record<string, string>> = {
  AFS: 'Aucun diplôme n’est exigé, une formation au poste est assurée.',
  C3A: 'Un premier niveau de formation (3ème achevée) est suffisant.',
  NV5: 'Vous êtes titulaire d’un CAP ou d’un BEP',
  NV4: 'Vous êtes titulaire d’un Bac ou équivalent',
  NV3: 'Vous êtes titulaire d’un Bac+2 (BTS, BUT ou équivalent)',
  NV2: 'Vous êtes titulaire d’un Bac+3/4 (licence, bachelor ou équivalent)',
  NV1: 'Vous êtes titulaire d’un Bac+5 (master, école d’ingénieur ou de commerce)',
}

// Partner titles: "<job> H/F", "<job> (H/F)", "<job> F/H", "<job> (F/H)", "<job> H/F - <city>",
// "<job> - <city> (H/F)", "<job> en CDI (H/F)", the short appellation, "<JOB> H/F".
const PARTNER_TITLES = choice<number>([[0, 20], [1, 25], [2, 8], [3, 5], [4, 12], [5, 8], [6, 7], [7, 8], [8, 7]])

// The parts of a description; each offer combines them in one of several layouts.
export interface Facts {
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

export function descriptionOf(random: Random, facts: Facts): string {
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

export function intituleOf(random: Random, job: Job, place: Place, contract: Contract, isFranceTravail: boolean): string {
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
