import type {
  EducationalOccupationalCredential,
  JobPosting,
  MonetaryAmount,
  OccupationalExperienceRequirements,
  Organization,
  Place,
  PostalAddress,
  WithContext,
} from 'schema-dts'
import type { Offre } from './offer.schema.js'
import type { Referentials } from '../referentials/referentials.js'
import { parseSalary, parseWeeklyMinutes, placeOf, type SalaryPeriod } from '../../search/offer-features.js'

/**
 * An offer as a schema.org JobPosting (JSON-LD), with the properties Google for Jobs requires and
 * those it recommends wherever the offer holds the data. Nothing is invented: a property whose
 * source field is absent or unreadable is left out (docs/compatibility.md lists every choice).
 */

/** A JobPosting with its context, as served. */
export type JobPostingDocument = WithContext<JobPosting>

/** What the mapping needs besides the offer. */
export interface JobPostingContext {
  readonly referentials: Referentials
  /** When the offer leaves search unless its source sends it again (OFFER_TTL_DAYS); none: no validThrough. */
  readonly validThrough?: Date | undefined
}

/**
 * Google's value for an employer who hires anonymously: the offer names no company (most partner
 * offers, recruitment agencies' offers).
 */
export const CONFIDENTIAL = 'confidential'

/** Google's employmentType values that the offers' contracts can mean. */
export type EmploymentType = 'FULL_TIME' | 'PART_TIME' | 'CONTRACTOR' | 'TEMPORARY' | 'INTERN' | 'OTHER'

/**
 * The kind of contract each `typeContrat` (referential typesContrats) is, in Google's terms; a
 * permanent contract (CDI, CDI intérimaire) has none of its own: its hours say the rest.
 */
export const EMPLOYMENT_TYPE_BY_CONTRACT: Readonly<Record<string, EmploymentType | undefined>> = {
  CDI: undefined,
  DIN: undefined,
  CDD: 'TEMPORARY',
  DDI: 'TEMPORARY',
  DDT: 'TEMPORARY',
  MIS: 'TEMPORARY',
  TTI: 'TEMPORARY',
  SAI: 'TEMPORARY',
  LIB: 'CONTRACTOR',
  CCE: 'CONTRACTOR',
  FRA: 'CONTRACTOR',
  REP: 'CONTRACTOR',
}

/** Contract natures that are on-the-job training for students (alternance). */
const TRAINING_NATURES = new Set(['contrat apprentissage', 'cont. professionnalisation'])

/** Legal full-time week in France (Code du travail L3121-27), in minutes. */
const FULL_TIME_MINUTES = 35 * 60

/**
 * Google's employmentType of an offer: its hours (temps plein or partiel, else the weekly hours
 * of `dureeTravailLibelle` against the legal 35 hours), the kind of its contract, and INTERN for
 * apprenticeships. Empty when none of these is known.
 */
export function employmentTypes(offer: Offre): EmploymentType[] {
  const types: EmploymentType[] = []
  const converti = offer.dureeTravailLibelleConverti?.trim().toLowerCase()
  const minutes = parseWeeklyMinutes(offer.dureeTravailLibelle)
  if (converti === 'temps plein') types.push('FULL_TIME')
  else if (converti === 'temps partiel') types.push('PART_TIME')
  else if (minutes !== undefined) types.push(minutes >= FULL_TIME_MINUTES ? 'FULL_TIME' : 'PART_TIME')
  const kind = offer.typeContrat in EMPLOYMENT_TYPE_BY_CONTRACT ? EMPLOYMENT_TYPE_BY_CONTRACT[offer.typeContrat] : 'OTHER'
  if (kind !== undefined) types.push(kind)
  const nature = offer.natureContrat?.trim().toLowerCase()
  if (offer.alternance === true || (nature !== undefined && TRAINING_NATURES.has(nature))) types.push('INTERN')
  return types
}

const UNIT_BY_PERIOD: Readonly<Record<SalaryPeriod, 'HOUR' | 'MONTH' | 'YEAR' | undefined>> = {
  H: 'HOUR',
  M: 'MONTH',
  A: 'YEAR',
  // A fee per performance (cachet) has no unit of time.
  C: undefined,
}

/**
 * The salary of the original's label ("Mensuel de 1800.00 Euros à 2000.00 Euros sur 12 mois",
 * "Horaire de 11.65 Euros") as a MonetaryAmount in euros; undefined when the label is absent,
 * unreadable or per performance.
 */
export function baseSalary(offer: Offre): MonetaryAmount | undefined {
  const salary = parseSalary(offer.salaire?.libelle)
  const unitText = salary === undefined ? undefined : UNIT_BY_PERIOD[salary.period]
  if (salary === undefined || unitText === undefined) return undefined
  return {
    '@type': 'MonetaryAmount',
    currency: 'EUR',
    value:
      salary.low === salary.high
        ? { '@type': 'QuantitativeValue', value: salary.low, unitText }
        : { '@type': 'QuantitativeValue', minValue: salary.low, maxValue: salary.high, unitText },
  }
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char)
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

/**
 * Character references read back into characters: partners' descriptions arrive with some
 * ("qu&#039;organisateur"), which escaping again would show as written.
 */
function decodeEntities(text: string): string {
  return text.replace(/&(#\d{1,7}|#x[\da-f]{1,6}|[a-z]+);/gi, (reference, name: string) => {
    if (!name.startsWith('#')) return NAMED_ENTITIES[name.toLowerCase()] ?? reference
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10)
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : reference
  })
}

/**
 * Plain text as HTML that shows it as written: character references the text already holds read
 * back, markup characters escaped, paragraphs (blank lines) in `<p>`, other line breaks as `<br>`.
 * Google reads the description as HTML.
 */
export function textToHtml(text: string): string {
  return decodeEntities(text)
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n\s*/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/[ \t]*\n[ \t]*/g, '<br>')}</p>`)
    .join('')
}

/** The description, or, when the offer has none, what it says of the job in a sentence. */
function description(offer: Offre): string {
  if (offer.description !== undefined && offer.description.trim() !== '') return textToHtml(offer.description)
  const facts = [offer.intitule, offer.appellationlibelle, offer.typeContratLibelle, offer.dureeTravailLibelle, offer.lieuTravail.libelle]
  const unique = [...new Set(facts.filter((fact): fact is string => fact !== undefined && fact.trim() !== '').map((fact) => fact.trim()))]
  return textToHtml(unique.join('\n'))
}

/** An absolute http(s) URL as given, or undefined (a bare "www.…" is not guessed into one). */
function httpUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  try {
    const url = new URL(value.trim())
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined
  } catch {
    return undefined
  }
}

function hiringOrganization(offer: Offre): Organization {
  const entreprise = offer.entreprise
  const name = entreprise?.nom?.trim()
  if (entreprise === undefined || name === undefined || name === '') return CONFIDENTIAL
  const sameAs = httpUrl(entreprise.url)
  const logo = httpUrl(entreprise.logo)
  const about = entreprise.description?.trim()
  return {
    '@type': 'Organization',
    name,
    ...(sameAs ? { sameAs } : {}),
    ...(logo ? { logo } : {}),
    ...(about ? { description: about } : {}),
  }
}

/** "Belgique (Frontalier)" → "Belgique"; the original's labels end with stray spaces at times. */
function countryName(label: string): string {
  return label.replace(/\s*\(.*\)\s*$/, '').trim()
}

/**
 * Where the job is: the address the referentials give for the offer's commune, département,
 * region or country, and its coordinates when the offer has its own (commune centres are not
 * passed off as the place of work). An offer placed nowhere the referentials know is in France.
 */
function jobLocation(offer: Offre, referentials: Referentials): Place {
  const lieu = offer.lieuTravail
  const place = placeOf(offer, referentials)
  const commune = place.commune === undefined ? undefined : referentials.communes.get(place.commune)
  const region = place.region === undefined ? undefined : referentials.regions.get(place.region)
  const pays = place.pays === undefined ? undefined : referentials.pays.get(place.pays)
  const abroad = place.pays !== undefined && place.pays !== '01' && pays !== undefined
  const postalCode = lieu.codePostal?.trim()
  const address: PostalAddress = {
    '@type': 'PostalAddress',
    ...(commune ? { addressLocality: commune.nom } : {}),
    ...(postalCode ? { postalCode } : {}),
    ...(region ? { addressRegion: region.libelle } : {}),
    addressCountry: abroad ? countryName(pays.libelle) : 'FR',
  }
  const hasPoint = lieu.latitude !== undefined && lieu.longitude !== undefined
  return {
    '@type': 'Place',
    address,
    ...(hasPoint ? { geo: { '@type': 'GeoCoordinates', latitude: lieu.latitude, longitude: lieu.longitude } } : {}),
  }
}

/** Google's credentialCategory for each education level of the referential niveauxFormations. */
const CREDENTIAL_BY_NIVEAU: Readonly<Record<string, string>> = {
  NV5: 'professional certificate',
  NV4: 'high school',
  NV3: 'associate degree',
  NV2: 'bachelor degree',
  NV1: 'postgraduate degree',
}

/** Google's value for "no requirement" of education or experience. */
const NO_REQUIREMENTS = 'no requirements'

/**
 * The education the offer requires (exigence E; a wished one is not a requirement): one credential
 * per formation, with Google's category when the level has one; "no requirements" when the only
 * one required is "Aucune formation scolaire".
 */
function educationRequirements(offer: Offre, referentials: Referentials): (EducationalOccupationalCredential | string)[] {
  const credentials: EducationalOccupationalCredential[] = []
  let noneRequired = false
  for (const formation of offer.formations ?? []) {
    if (formation.exigence !== 'E') continue
    const level = formation.niveauLibelle?.trim() || undefined
    const code = level === undefined ? undefined : referentials.niveauFormationCodeOf(level)
    if (code === 'AFS') {
      noneRequired = true
      continue
    }
    const category = code === undefined ? undefined : CREDENTIAL_BY_NIVEAU[code]
    const name = [level, formation.domaineLibelle?.trim()].filter((part) => part !== undefined && part !== '').join(' — ')
    if (name === '') continue
    credentials.push({
      '@type': 'EducationalOccupationalCredential',
      ...(category ? { credentialCategory: category } : {}),
      ...(level ? { educationalLevel: level } : {}),
      name,
    })
  }
  return credentials.length > 0 ? credentials : noneRequired ? [NO_REQUIREMENTS] : []
}

/** Months of the experience label: "Expérience exigée de 3 An(s)", "6 Mois", "2 An(s) - sur même poste". */
export function experienceMonths(label: string | undefined): number | undefined {
  const match = label === undefined ? null : /(\d+)\s*(An|Mois)/i.exec(label)
  if (!match?.[1] || !match[2]) return undefined
  const months = match[2].toLowerCase() === 'an' ? Number(match[1]) * 12 : Number(match[1])
  return months > 0 ? months : undefined
}

/**
 * The experience required: "no requirements" for a beginner, the months of a required experience
 * (exigence E) when its label gives them; a wished experience (S) is not a requirement.
 */
function experienceRequirements(offer: Offre): OccupationalExperienceRequirements | string | undefined {
  if (offer.experienceExige === 'D') return NO_REQUIREMENTS
  if (offer.experienceExige !== 'E') return undefined
  const months = experienceMonths(offer.experienceLibelle)
  return months === undefined ? undefined : { '@type': 'OccupationalExperienceRequirements', monthsOfExperience: months }
}

/** Benefits named by the salary's complements ("Chèque repas", "Mutuelle"), once each. */
function jobBenefits(offer: Offre): string | undefined {
  const salaire = offer.salaire
  const named = [salaire?.complement1, salaire?.complement2, ...(salaire?.listeComplements ?? []).map((item) => item.libelle)]
  const benefits = [...new Set(named.filter((item): item is string => item !== undefined && item.trim() !== '').map((item) => item.trim()))]
  return benefits.length > 0 ? benefits.join(', ') : undefined
}

/**
 * Whether the posting's page is where one applies: the offer says so when its contact sends the
 * candidate to `urlOrigine` ("Pour postuler, utiliser le lien suivant : <urlOrigine>"). Otherwise
 * the way to apply is elsewhere (a partner's site, an e-mail, a form or a phone number), false.
 */
function directApply(offer: Offre): boolean {
  const page = offer.origineOffre.urlOrigine?.trim()
  if (page === undefined || page === '') return false
  const contact = offer.contact
  const ways = [contact?.courriel, contact?.coordonnees1, contact?.urlPostulation]
  return ways.some((way) => way !== undefined && way.includes(page))
}

/** The offer as a schema.org JobPosting with its JSON-LD context. */
export function toJobPosting(offer: Offre, context: JobPostingContext): JobPostingDocument {
  const { referentials, validThrough } = context
  const types = employmentTypes(offer)
  const salary = baseSalary(offer)
  const education = educationRequirements(offer, referentials)
  const experience = experienceRequirements(offer)
  const benefits = jobBenefits(offer)
  const url = httpUrl(offer.origineOffre.urlOrigine)
  const skills = [...new Set((offer.competences ?? []).map((item) => item.libelle.trim()).filter((label) => label !== ''))]
  const workHours = offer.dureeTravailLibelle?.trim().replace(/\s*\n\s*/g, ', ')
  return {
    '@context': 'https://schema.org',
    '@type': 'JobPosting',
    title: offer.intitule,
    description: description(offer),
    identifier: { '@type': 'PropertyValue', name: 'Offres d’emploi v2', value: offer.id },
    ...(url ? { url } : {}),
    datePosted: offer.dateCreation,
    ...(validThrough ? { validThrough: validThrough.toISOString() } : {}),
    hiringOrganization: hiringOrganization(offer),
    jobLocation: jobLocation(offer, referentials),
    ...(types.length > 0 ? { employmentType: types.length === 1 ? types[0] : types } : {}),
    ...(salary ? { baseSalary: salary } : {}),
    directApply: directApply(offer),
    ...(education.length > 0 ? { educationRequirements: education.length === 1 ? education[0] : education } : {}),
    ...(experience ? { experienceRequirements: experience } : {}),
    ...(offer.romeCode
      ? {
          occupationalCategory: {
            '@type': 'CategoryCode',
            codeValue: offer.romeCode,
            ...(offer.romeLibelle ? { name: offer.romeLibelle } : {}),
            inCodeSet: { '@type': 'CategoryCodeSet', name: 'ROME 4.0' },
          },
        }
      : {}),
    ...(offer.secteurActiviteLibelle ? { industry: offer.secteurActiviteLibelle } : {}),
    ...(skills.length > 0 ? { skills } : {}),
    ...(workHours ? { workHours } : {}),
    ...(benefits ? { jobBenefits: benefits } : {}),
    ...(offer.nombrePostes !== undefined && offer.nombrePostes > 0 ? { totalJobOpenings: offer.nombrePostes } : {}),
  }
}

/**
 * The JSON-LD text of a JobPosting, safe to put as it is in an HTML `<script>` element (`<` is
 * written `\u003c`, which JSON reads back as the same character).
 */
export function jobPostingJson(document: JobPostingDocument): string {
  return JSON.stringify(document).replace(/</g, '\\u003c')
}
