import { mergeAppellations, type OfferFeatures, type OfferMetadata, type SalaryPeriod } from './offer-features.js'
import { TERMS } from './terms.js'

/**
 * Version of the stored search documents. Bump it whenever `extractFeatures`, the analyser or
 * this encoding changes: documents of another version are recomputed from the offer's JSON.
 * (The test `search-doc.test.ts` fails when the features of the fixtures change without a bump.)
 */
export const SEARCH_DOC_CODE_VERSION = 1

/**
 * The version stored with each document: the code's, and the fingerprint of the reference data
 * the features were derived with (commune centres, ROME trees…), so that a data update also
 * invalidates them.
 */
export function searchDocVersion(referentialsFingerprint: string): string {
  return `${SEARCH_DOC_CODE_VERSION}.${referentialsFingerprint}`
}

const FLAG_ACCESSIBLE_TH = 1
const FLAG_ENTREPRISE_ADAPTEE = 2
const FLAG_HANDI_ENGAGE = 4
const FLAG_MANQUE_CANDIDATS = 8

type Encoded = [
  date: number,
  origine: string,
  typeContrat: string,
  natureContrat: string | null,
  experienceExige: string | null,
  experience: string,
  qualification: string | null,
  romeCode: string | null,
  domaine: string | null,
  grandDomaine: string | null,
  themes: string[],
  appellations: string[],
  codeNaf: string | null,
  secteurActivite: string | null,
  commune: string | null,
  departement: string | null,
  region: string | null,
  pays: string | null,
  continent: string | null,
  latitude: number | null,
  longitude: number | null,
  niveaux: string[],
  permis: string[],
  salary: [string, number, number, number] | null,
  weeklyMinutes: number | null,
  contractMonths: number | null,
  dureeHebdo: string,
  flags: number,
  partners: string[],
  terms: string,
  weights: number[],
]

/**
 * A compact JSON array of an offer's search features, stored beside the offer when it is written:
 * loading the index then reads 0.5 KB per offer instead of parsing and analysing its 3 KB of JSON.
 * The store's own metadata (appellation tags, MRS) is not part of it; it is merged at load.
 */
export function encodeSearchDoc(features: OfferFeatures): string {
  const terms: string[] = []
  for (const id of features.terms.ids) terms.push(TERMS.codeOf(id))
  const encoded: Encoded = [
    features.dateCreation,
    features.origine,
    features.typeContrat,
    features.natureContrat ?? null,
    features.experienceExige ?? null,
    features.experience,
    features.qualification ?? null,
    features.romeCode ?? null,
    features.domaine ?? null,
    features.grandDomaine ?? null,
    [...features.themes],
    [...features.appellations],
    features.codeNaf ?? null,
    features.secteurActivite ?? null,
    features.commune ?? null,
    features.departement ?? null,
    features.region ?? null,
    features.pays ?? null,
    features.continent ?? null,
    features.latitude ?? null,
    features.longitude ?? null,
    [...features.niveauxFormation],
    [...features.permis],
    features.salary ? [features.salary.period, features.salary.low, features.salary.high, features.salary.months] : null,
    features.weeklyMinutes ?? null,
    features.contractMonths ?? null,
    features.dureeHebdo,
    (features.accessibleTH ? FLAG_ACCESSIBLE_TH : 0) |
      (features.entrepriseAdaptee ? FLAG_ENTREPRISE_ADAPTEE : 0) |
      (features.employeurHandiEngage ? FLAG_HANDI_ENGAGE : 0) |
      (features.offresManqueCandidats ? FLAG_MANQUE_CANDIDATS : 0),
    [...features.partners],
    terms.join(' '),
    [...features.terms.weights],
  ]
  return JSON.stringify(encoded)
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value)

/**
 * The features of a stored search document, with the store's metadata merged in.
 *
 * @throws SyntaxError when the document is not one this code wrote.
 */
export function decodeSearchDoc(id: string, document: string, metadata: OfferMetadata = {}): OfferFeatures {
  const value = JSON.parse(document) as Encoded
  if (!Array.isArray(value) || value.length !== 31) throw new SyntaxError(`Search document of ${id} is malformed`)
  const [date, origine, typeContrat, nature, exige, experience, qualification, rome, domaine, grandDomaine, themes, appellations] =
    value
  const [naf, secteur, commune, departement, region, pays, continent, latitude, longitude, niveaux, permis, salary] =
    value.slice(12, 24) as [
      Encoded[12], Encoded[13], Encoded[14], Encoded[15], Encoded[16], Encoded[17], Encoded[18], Encoded[19],
      Encoded[20], Encoded[21], Encoded[22], Encoded[23],
    ]
  const [weeklyMinutes, contractMonths, dureeHebdo, flags, partners, terms, weights] = value.slice(24) as [
    Encoded[24], Encoded[25], Encoded[26], Encoded[27], Encoded[28], Encoded[29], Encoded[30],
  ]
  const words = terms === '' ? [] : terms.split(' ')
  const ids = new Uint32Array(words.length)
  for (let i = 0; i < words.length; i++) ids[i] = TERMS.intern(words[i]!)
  const tags = metadata.appellations ?? []
  return {
    id,
    dateCreation: date,
    origine: origine as OfferFeatures['origine'],
    partners,
    typeContrat,
    natureContrat: orUndefined(nature),
    experienceExige: orUndefined(exige) as OfferFeatures['experienceExige'],
    experience: experience as OfferFeatures['experience'],
    qualification: orUndefined(qualification),
    romeCode: orUndefined(rome),
    domaine: orUndefined(domaine),
    grandDomaine: orUndefined(grandDomaine),
    themes,
    appellations: mergeAppellations(tags, appellations),
    codeNaf: orUndefined(naf),
    secteurActivite: orUndefined(secteur),
    commune: orUndefined(commune),
    departement: orUndefined(departement),
    region: orUndefined(region),
    pays: orUndefined(pays),
    continent: orUndefined(continent),
    latitude: orUndefined(latitude),
    longitude: orUndefined(longitude),
    niveauxFormation: niveaux,
    permis,
    salary: salary === null ? undefined : { period: salary[0] as SalaryPeriod, low: salary[1], high: salary[2], months: salary[3] },
    weeklyMinutes: orUndefined(weeklyMinutes),
    contractMonths: orUndefined(contractMonths),
    dureeHebdo: dureeHebdo as OfferFeatures['dureeHebdo'],
    accessibleTH: (flags & FLAG_ACCESSIBLE_TH) !== 0,
    entrepriseAdaptee: (flags & FLAG_ENTREPRISE_ADAPTEE) !== 0,
    employeurHandiEngage: (flags & FLAG_HANDI_ENGAGE) !== 0,
    offresManqueCandidats: (flags & FLAG_MANQUE_CANDIDATS) !== 0,
    mrs: metadata.mrs === true,
    terms: { ids, weights: Uint8Array.from(weights) },
  }
}
