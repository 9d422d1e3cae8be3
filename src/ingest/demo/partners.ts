/** The partner sites that publish origin "2" offers, and which one carries an offer. */
import { type Contract, type Experience } from './contracts.js'
import { ALNUM, digits, HEX, LOWER, token } from './format.js'
import { type Fiche, type Job } from './model.js'
import { type Tier } from './plan.js'
import type { Random } from './random.js'

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

export function partnerOf(random: Random, job: Job, fiche: Fiche, contract: Contract, experience: Experience) {
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
