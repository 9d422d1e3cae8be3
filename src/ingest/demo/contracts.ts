/** Contract types and natures, experience, working hours and qualification of an offer. */
import type { Offre } from '../../domain/offers/offer.schema.js'
import { hoursLabel, type Mutable } from './format.js'
import { type Fiche } from './model.js'
import { choice, type Choice, type ContractCode, draw, type Tier } from './plan.js'
import type { Random } from './random.js'

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
/** Contrat unique d'insertion (parcours emploi compétences), posted by France Travail's advisers only. */
const NATURE_CUI_CAE = 'CUI - CAE'
export const NATURE_INSERTION = "Insertion par l'activ.éco."

const EXPERIENCE_DURATIONS = choice<string>([['6 Mois', 10], ['12 Mois', 7], ['1 An(s)', 25], ['2 An(s)', 25],
  ['3 An(s)', 15], ['4 An(s)', 4], ['5 An(s)', 8], ['24 Mois', 2], ['10 An(s)', 2], ['7 An(s)', 1]])
const EXPERIENCE_COMMENTS = ['sur un poste similaire', 'même poste', 'dans le domaine', 'en entreprise',
  'sur poste équivalent']

const FULL_HOURS = choice<number>([[35, 60], [39, 14], [37.5, 8], [36, 3], [37, 3], [38, 2], [38.5, 2], [40, 4],
  [42, 2], [43, 1], [45, 1]])
const PART_HOURS = choice<number>([[24, 16], [20, 12], [28, 10], [30, 12], [25, 8], [32, 6], [17.5, 5], [10, 4],
  [15, 6], [21, 4], [26, 4], [34, 5], [12, 4], [18, 4]])
const HOURS_SUFFIXES = choice<string>([['Travail en journée', 60], ['Horaires normaux', 8], ['Travail en équipe', 6],
  ['Travail en horaires décalés', 6], ['Travail samedi et dimanche', 3], ['Travail de nuit', 2],
  ['Possibilité de télétravail', 3], ['Autre', 3]])

export interface Contract {
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

export function drawContract(random: Random, fiche: Fiche, isFranceTravail: boolean): Contract {
  const code = draw(random, fiche.contracts)
  // France Travail writes short labels ("CDD - 6 Mois"), partners the long ones; a few cross over.
  const longLabels = isFranceTravail ? random.chance(0.08) : !random.chance(0.08)
  let nature = NATURE_TRAVAIL
  if (code === 'CDI' || code === 'CDD') {
    // 9 % and 3.5 % of CDI/CDD, i.e. about 7 % and 2.5 % of all offers; CUI - CAE on 8 % of France
    // Travail's CDD (about 2 % of its offers), as sought by Les emplois de l'inclusion (natureContrat=FT).
    const roll = random.next()
    if (roll < 0.09) nature = NATURE_APPRENTISSAGE
    else if (roll < 0.125) nature = NATURE_PRO
    else if (code === 'CDD' && isFranceTravail && roll < 0.205) nature = NATURE_CUI_CAE
    else if (code === 'CDI' && fiche.letter === 'F' && roll < 0.162) nature = NATURE_CHANTIER
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
  } else if (nature === NATURE_CUI_CAE) {
    short = `contrat aidé (CUI - CAE) ${short.slice(4)}`
  }
  return { code, libelle, nature, alternance, short, phrase: `en ${short}` }
}

export interface Experience {
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

export function drawExperience(random: Random, tier: Tier, isFranceTravail: boolean, alternance: boolean): Experience {
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
  if (random.chance(0.27)) {
    const commentaire = random.pick(EXPERIENCE_COMMENTS)
    return { exige: 'E', libelle: `${duration} - ${commentaire}`, commentaire, sentence }
  }
  return { exige: 'E', libelle: random.chance(0.2) ? `Expérience exigée de ${duration}` : duration, sentence }
}

export interface Hours {
  readonly hours: number
  readonly partTime: boolean
  readonly suffix: string
}

export function drawHours(random: Random, fiche: Fiche, alternance: boolean): Hours {
  const partShare = fiche.tier === 3 ? 0.03 : fiche.domain.partTime
  const partTime = !alternance && random.chance(partShare)
  const hours = draw(random, partTime ? PART_HOURS : FULL_HOURS)
  return { hours, partTime, suffix: draw(random, HOURS_SUFFIXES) }
}

/** `dureeTravailLibelle` as each origin writes it, and the full/part-time label consistent with the hours. */
export function setWorkingTime(random: Random, offer: Mutable<Offre>, hours: Hours, isFranceTravail: boolean): void {
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
export function qualificationIndex(random: Random, fiche: Fiche): number {
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
