/** Salaries as each origin writes them, and the hint that the description repeats. */
import type { Offre } from '../../domain/offers/offer.schema.js'
import { type Contract, type Hours, NATURE_INSERTION } from './contracts.js'
import { javaDouble, type Mutable, twoDecimals } from './format.js'
import { type Fiche } from './model.js'
import { choice, draw, type Tier } from './plan.js'
import type { Random } from './random.js'

type Salaire = NonNullable<Offre['salaire']>

const SALARY_COMPLEMENTS = choice<string>([['Restauration', 14], ['CE', 12], ['Chèque repas', 14], ['Primes', 14],
  ['Mutuelle', 16], ['Participation/action', 5], ['Pc portable', 3], ['Véhicule', 4], ['Treizième mois', 6],
  ['Logement', 2], ['Autre', 10]])
const FT_SALARY_COMMENTS = ['A négocier selon profil.', 'Selon profil', 'Selon expérience',
  'Selon convention collective', 'Selon grille de la fonction publique', 'Salaire de base + primes',
  'Rémunération attractive selon profil']
const PARTNER_SALARY_COMMENTS = ['selon profil', 'Salaire selon expérience', 'A négocier', 'Primes', 'À définir',
  'Mutuelle - prime annuelle', 'selon convention collective']

export interface Salary {
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

export function drawSalary(
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
  // Rates from the real offers of test/fixtures/offres: a fifth of partner offers give an amount,
  // three quarters of France Travail's; the others always say why (commentaire and a complement).
  if (!isFranceTravail) {
    if (!random.chance(0.2)) {
      return { salaire: random.chance(0.06) ? { commentaire: 'A négocier' } : {}, complements }
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

  if (random.chance(0.57)) {
    const first = draw(random, SALARY_COMPLEMENTS)
    complements.push(first)
    if (random.chance(0.65)) {
      const second = draw(random, SALARY_COMPLEMENTS)
      if (second !== first) complements.push(second)
    }
  }
  if (!random.chance(0.755)) {
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
  if (random.chance(0.03)) salaire.commentaire = random.pick(FT_SALARY_COMMENTS)
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
  if (!random.chance(isFranceTravail ? 0.75 : 0.2)) {
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
