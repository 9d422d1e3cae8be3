import type { Referentials } from '../../domain/referentials/referentials.js'
import { decodeCursor, queryFingerprint, type SearchCursor } from '../../domain/offers/search-cursor.js'
import { GRANDS_DOMAINES } from '../../domain/referentials/static-lists.js'
import { typedWords, type TypedWord } from '../../search/analyzer.js'
import type { KeywordMode } from '../../search/keyword-refiner.js'
import { distanceKm } from '../../search/geo.js'
import type { GeoCentre, ResultWindow, SearchQuery, SortOrder } from '../../search/search-query.js'
import type { SalaryPeriod } from '../../search/offer-features.js'
import { InvalidArgumentError } from '../../shared/errors.js'

/**
 * Limits of the original (contract §4): pages of at most 150 and a first index ≤ 3000, so the
 * last reachable index is 3149.
 */
export const MAX_WINDOW = 150
export const MAX_START = 3000
const DEFAULT_WINDOW: ResultWindow = { start: 0, end: MAX_WINDOW - 1 }

/** Offers up to 30 % beyond the asked radius are included, as the original documents. */
const RADIUS_TOLERANCE = 1.3
const DEFAULT_DISTANCE_KM = 10
const PUBLIEE_DEPUIS = new Set([1, 3, 7, 14, 31])
const DAY_MS = 86_400_000

const PARIS = '75056'
const LYON = '69123'

/** The exact French messages of the original: clients compare them literally (contract §7). */
export const MESSAGES = {
  motsCles:
    'Format du paramètre « motsCles » incorrect. 7 mots-clé au maximum séparés par des virgules et d\'au moins 2 caractères.',
  rangeTooLarge: 'La plage de résultats demandée est trop importante.',
  rangeFormat: 'Format du paramètre « range » incorrect. <entier>-<entier> attendu.',
  rangeStart: `La position de début doit être inférieure ou égale à ${MAX_START}.`,
  grandDomaine: `Format du paramètre « grandDomaine » incorrect. ${GRANDS_DOMAINES.slice(0, -1)
    .map((item) => item.code)
    .join(', ')} ou ${GRANDS_DOMAINES.at(-1)?.code ?? 'N'} attendu.`,
  experienceExigence: 'Format du paramètre « experienceExigence » incorrect. D, E ou S attendu.',
  offerId: "Le format de l'id de l'offre recherchée est incorrect.",
  value: (name: string) => `Valeur du paramètre « ${name} » incorrecte.`,
  boolean: (name: string) => `Format du paramètre « ${name} » incorrect. Booléen attendu.`,
  integer: (name: string) => `Format du paramètre « ${name} » incorrect. Entier attendu.`,
  number: (name: string) => `Format du paramètre « ${name} » incorrect. Nombre attendu.`,
  date: (name: string) => `Format du paramètre « ${name} » incorrect. yyyy-MM-dd'T'hh:mm:ss'Z' attendu.`,
  hhmm: (name: string) => `Format du paramètre « ${name} » incorrect. HHMM attendu.`,
  salaryPair: 'Les paramètres « salaireMin » et « periodeSalaire » doivent être renseignés ensemble.',
  pointPair: 'Les paramètres « latitude » et « longitude » doivent être renseignés ensemble.',
  communeOrPoint: 'Le paramètre « commune » ne peut pas être renseigné avec « latitude » et « longitude ».',
  cursorFormat: "Format du paramètre « curseur » incorrect. Valeur de l'en-tête X-Curseur-Suivant attendue.",
  cursorQuery: 'Valeur du paramètre « curseur » incorrecte. Ce curseur appartient à une autre recherche.',
} as const

/** A 400 of the Offres surface; the message is the wire message. */
export class InvalidParameterError extends InvalidArgumentError {}

const fail = (message: string): never => {
  throw new InvalidParameterError(message)
}

/**
 * The query string as clients send it: names are case-sensitive, empty values count as absent,
 * repeated keys and comma lists are the same list, `+` and `%20` are spaces (`URLSearchParams`).
 */
class Params {
  private readonly values = new Map<string, string[]>()

  constructor(rawQuery: string) {
    for (const [name, value] of new URLSearchParams(rawQuery)) {
      if (value.trim() === '') continue
      const list = this.values.get(name) ?? []
      list.push(value)
      this.values.set(name, list)
    }
  }

  /** The raw value; repeated keys are joined with commas. */
  raw(name: string): string | undefined {
    return this.values.get(name)?.join(',')
  }

  /** Comma-separated values, trimmed, empty ones dropped. */
  list(name: string): string[] | undefined {
    const raw = this.raw(name)
    if (raw === undefined) return undefined
    const items = raw
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
    return items.length > 0 ? items : undefined
  }

  single(name: string): string | undefined {
    return this.list(name)?.[0]
  }
}

function codes(params: Params, name: string, known: (code: string) => boolean, max = Infinity, message = MESSAGES.value(name)) {
  const items = params.list(name)
  if (items === undefined) return undefined
  if (items.length > max || !items.every(known)) fail(message)
  return [...new Set(items)]
}

function booleanParam(params: Params, name: string): boolean | undefined {
  const value = params.single(name)
  if (value === undefined) return undefined
  const lower = value.toLowerCase()
  if (lower === 'true') return true
  if (lower === 'false') return false
  return fail(MESSAGES.boolean(name))
}

function integerParam(params: Params, name: string): number | undefined {
  const value = params.single(name)
  if (value === undefined) return undefined
  if (!/^\d{1,9}$/.test(value)) fail(MESSAGES.integer(name))
  return Number(value)
}

function dateParam(params: Params, name: string): number | undefined {
  const value = params.single(name)
  if (value === undefined) return undefined
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/.test(value)) fail(MESSAGES.date(name))
  const time = Date.parse(value)
  if (Number.isNaN(time)) fail(MESSAGES.date(name))
  return time
}

function hhmmParam(params: Params, name: string): number | undefined {
  const value = params.single(name)
  if (value === undefined) return undefined
  const match = /^(\d{1,2}?)(\d{2})$/.exec(value)
  if (!match || Number(match[2]) >= 60) return fail(MESSAGES.hhmm(name))
  return Number(match[1] || 0) * 60 + Number(match[2])
}

function monthsParam(params: Params, name: string): number | undefined {
  const value = params.single(name)
  if (value === undefined) return undefined
  const months = Number(value.replace(',', '.'))
  if (!/^\d+([.,]\d+)?$/.test(value) || months < 0 || months > 99) fail(MESSAGES.value(name))
  return months
}

/**
 * Parses the `range` window (0-based, inclusive); absent means the first 150. With a cursor only
 * its width counts (the page size), so its start is not bounded.
 */
export function parseRange(raw: string | undefined, options: { withCursor?: boolean } = {}): ResultWindow {
  if (raw === undefined) return DEFAULT_WINDOW
  const match = /^(\d{1,9})-(\d{1,9})$/.exec(raw.trim())
  if (!match) return fail(MESSAGES.rangeFormat)
  const start = Number(match[1])
  const end = Number(match[2])
  if (end < start) fail(MESSAGES.rangeFormat)
  if (start > MAX_START && options.withCursor !== true) fail(MESSAGES.rangeStart)
  if (end - start + 1 > MAX_WINDOW) fail(MESSAGES.rangeTooLarge)
  return { start, end }
}

const KEYWORD = /^[\p{L}\p{N} @#$%^&+./"'’-]+$/u

function keywords(params: Params): TypedWord[][] | undefined {
  const raw = params.raw('motsCles')
  if (raw === undefined) return undefined
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
  if (items.length > 7 || items.some((item) => item.length < 2 || !KEYWORD.test(item))) fail(MESSAGES.motsCles)
  // A keyword made only of stop words ("de", "les") constrains nothing and is dropped.
  const analysed = items.map((item) => typedWords(item)).filter((words) => words.length > 0)
  return analysed.length > 0 ? analysed : undefined
}

/** A WGS 84 coordinate in decimal degrees (a dot as decimal separator) within ±`limit`. */
function coordinateParam(params: Params, name: string, limit: number): number | undefined {
  const value = params.raw(name)?.trim()
  if (value === undefined) return undefined
  if (!/^[-+]?\d{1,3}(\.\d{1,15})?$/.test(value)) fail(MESSAGES.number(name))
  const degrees = Number(value)
  if (Math.abs(degrees) > limit) fail(MESSAGES.value(name))
  return degrees
}

/** The centres searched around: the communes asked, or the point of `latitude` and `longitude`. */
function centresOf(params: Params, referentials: Referentials): GeoCentre[] | undefined {
  const communes = codes(params, 'commune', (code) => referentials.communes.has(code), 5)
  const latitude = coordinateParam(params, 'latitude', 90)
  const longitude = coordinateParam(params, 'longitude', 180)
  if ((latitude === undefined) !== (longitude === undefined)) fail(MESSAGES.pointPair)
  if (latitude !== undefined && longitude !== undefined) {
    if (communes !== undefined) fail(MESSAGES.communeOrPoint)
    return [{ latitude, longitude }]
  }
  return communes?.flatMap((code) => {
    const commune = referentials.communes.get(code)
    return commune ? [{ commune: code, latitude: commune.latitude, longitude: commune.longitude }] : []
  })
}

function geo(params: Params, referentials: Referentials): SearchQuery['geo'] {
  const centres = centresOf(params, referentials)
  const distance = integerParam(params, 'distance')
  if (centres === undefined) return undefined
  const point = centres.some((centre) => centre.commune === undefined)
  // `distance=0` means "the commune itself", which a point is not.
  if (point && distance === 0) fail(MESSAGES.value('distance'))
  const radiusKm = (distance ?? DEFAULT_DISTANCE_KM) * RADIUS_TOLERANCE
  const reaches = (city: string) => {
    const centre = referentials.communes.get(city)
    return (
      centre !== undefined &&
      radiusKm > 0 &&
      centres.some((item) => distanceKm(item.latitude, item.longitude, centre.latitude, centre.longitude) <= radiusKm)
    )
  }
  const wholeCities: string[] = []
  // Contract §4: a search on any Paris arrondissement, or whose radius reaches the centre of Paris,
  // returns all Paris offers; Lyon's offers all come once its centre is reached. A point follows
  // the same rules as a commune.
  const isParis = (code: string | undefined) =>
    code !== undefined && (code === PARIS || referentials.communes.get(code)?.parent === PARIS)
  if (centres.some((centre) => isParis(centre.commune)) || reaches(PARIS)) wholeCities.push(PARIS)
  if (reaches(LYON)) wholeCities.push(LYON)
  return { centres, radiusKm, wholeCities }
}

/** A search query string, parsed: the query, its window, how its keywords are to be read, and the cursor. */
export interface ParsedSearch {
  readonly query: SearchQuery
  /** The `range` window; with a cursor, only its width (the page size) counts. */
  readonly window: ResultWindow
  /** The minute relative criteria (`publieeDepuis`) were resolved at: the cursor's, else the current one. */
  readonly minute: number
  /** The `curseur` given, checked against the query. */
  readonly cursor?: SearchCursor
  /** The words of each keyword with their terms, in the order of `query.keywords` (empty without keywords). */
  readonly typedKeywords: readonly (readonly TypedWord[])[]
  /** `rechercheExacte` and `rechercheEtendue` (both false when absent). */
  readonly keywordMode: KeywordMode
}

/**
 * Turns the original's search query string into a validated `SearchQuery` and window, with the
 * original's leniency (unknown parameters ignored, empty values absent, case-insensitive booleans).
 * A `curseur` must come from a page of the same search.
 *
 * @throws InvalidParameterError with the original's message for the first invalid parameter.
 */
export function parseSearchParams(rawQuery: string, referentials: Referentials, now: number): ParsedSearch {
  const params = new Params(rawQuery)
  const cursorText = params.raw('curseur')?.trim()
  const cursor = cursorText === undefined ? undefined : (decodeCursor(cursorText) ?? fail(MESSAGES.cursorFormat))
  const window = parseRange(params.raw('range'), { withCursor: cursor !== undefined })

  const sortValue = params.single('sort')
  if (sortValue !== undefined && !['0', '1', '2'].includes(sortValue)) fail(MESSAGES.value('sort'))
  const sort = Number(sortValue ?? 0) as SortOrder

  const domaines = codes(params, 'domaine', (code) => referentials.domaines.has(code))
  const romeCodes = codes(params, 'codeROME', (code) => referentials.metiers.has(code), 200)
  const appellations = codes(params, 'appellation', (code) => referentials.appellations.has(code))
  const themes = codes(params, 'theme', (code) => referentials.themes.has(code))
  const secteursActivite = codes(params, 'secteurActivite', (code) => referentials.secteursActivites.has(code), 2)
  const codesNaf = codes(params, 'codeNAF', (code) => referentials.nafs.has(code), 2)
  const experiences = codes(params, 'experience', (code) => /^[0-3]$/.test(code))
  const typesContrat = codes(params, 'typeContrat', (code) => referentials.typesContrats.has(code))
  const naturesContrat = codes(params, 'natureContrat', (code) => referentials.naturesContrats.has(code))
  const origine = codes(params, 'origineOffre', (code) => code === '1' || code === '2', 1)?.[0] as '1' | '2' | undefined
  const qualifications = codes(params, 'qualification', (code) => code === '0' || code === '9') as ('0' | '9')[] | undefined
  const tempsPlein = booleanParam(params, 'tempsPlein')
  const geoFilter = geo(params, referentials)
  let departements = codes(params, 'departement', (code) => referentials.departements.has(code), 5)
  if (departements && booleanParam(params, 'inclureLimitrophes') === true) {
    departements = [...new Set(departements.flatMap((code) => [code, ...(referentials.neighbours.get(code) ?? [])]))]
  }
  const regions = codes(params, 'region', (code) => referentials.regions.has(code))
  const paysContinents = codes(
    params,
    'paysContinent',
    (code) => referentials.pays.has(code) || referentials.continents.has(code),
  )
  const niveauxFormation = codes(params, 'niveauFormation', (code) => referentials.niveauxFormations.has(code))
  const permis = codes(params, 'permis', (code) => referentials.permis.has(code))
  const typedKeywords = keywords(params)
  const keywordTerms = typedKeywords?.map((words) => words.map((word) => word.term))
  const exact = booleanParam(params, 'rechercheExacte') === true
  const extended = booleanParam(params, 'rechercheEtendue') === true

  // Read whole: a French decimal comma ("1800,50") is not a list separator here.
  const salaireMinRaw = params.raw('salaireMin')?.trim()
  const periode = params.single('periodeSalaire')
  if ((salaireMinRaw === undefined) !== (periode === undefined)) fail(MESSAGES.salaryPair)
  let salary: SearchQuery['salary']
  if (salaireMinRaw !== undefined && periode !== undefined) {
    const min = Number(salaireMinRaw.replace(',', '.'))
    if (!/^\d+([.,]\d+)?$/.test(salaireMinRaw) || !Number.isFinite(min)) fail(MESSAGES.number('salaireMin'))
    if (!['M', 'A', 'H', 'C'].includes(periode)) fail(MESSAGES.value('periodeSalaire'))
    salary = { min, period: periode as SalaryPeriod }
  }

  const accessibleTH = booleanParam(params, 'accesTravailleurHandicape')
  const publieeDepuis = integerParam(params, 'publieeDepuis')
  if (publieeDepuis !== undefined && !PUBLIEE_DEPUIS.has(publieeDepuis)) fail(MESSAGES.value('publieeDepuis'))
  const minCreation = dateParam(params, 'minCreationDate')
  const maxCreation = dateParam(params, 'maxCreationDate')
  const mrs = booleanParam(params, 'offresMRS')
  const experienceExigences = codes(params, 'experienceExigence', (code) => ['D', 'E', 'S'].includes(code), 3, MESSAGES.experienceExigence)
  const grandsDomaines = codes(params, 'grandDomaine', (code) => referentials.grandsDomaines.has(code), Infinity, MESSAGES.grandDomaine)
  const partenaires = params.list('partenaires')
  const modeRaw = params.single('modeSelectionPartenaires')
  const mode = modeRaw?.toUpperCase()
  if (mode !== undefined && mode !== 'INCLUS' && mode !== 'EXCLU') fail(MESSAGES.value('modeSelectionPartenaires'))
  const weeklyMinutesMin = hhmmParam(params, 'dureeHebdoMin')
  const weeklyMinutesMax = hhmmParam(params, 'dureeHebdoMax')
  const contractMonthsMin = monthsParam(params, 'dureeContratMin')
  const contractMonthsMax = monthsParam(params, 'dureeContratMax')
  // The published OpenAPI names this parameter with a stray trailing space; clients send both.
  const dureeHebdoName = params.raw('dureeHebdo') === undefined && params.raw('dureeHebdo ') !== undefined ? 'dureeHebdo ' : 'dureeHebdo'
  let dureesHebdo = codes(params, dureeHebdoName, (code) => /^[0-2]$/.test(code), Infinity, MESSAGES.value('dureeHebdo')) as
    | ('0' | '1' | '2')[]
    | undefined
  if (tempsPlein !== undefined) {
    const wanted = tempsPlein ? '1' : '2'
    dureesHebdo = dureesHebdo ? dureesHebdo.filter((value) => value === wanted) : [wanted]
  }
  const offresManqueCandidats = booleanParam(params, 'offresManqueCandidats')
  const entreprisesAdaptees = booleanParam(params, 'entreprisesAdaptees')
  const employeursHandiEngages = booleanParam(params, 'employeursHandiEngages')

  // "Published within X days" counts from the current minute: the same search asked twice within a
  // minute is the same search, and can be served from the cache. A cursor keeps its first page's.
  const minute = cursor?.minute ?? Math.floor(now / 60_000) * 60_000
  const lowerBounds = [minCreation, publieeDepuis === undefined ? undefined : minute - publieeDepuis * DAY_MS].filter(
    (value): value is number => value !== undefined,
  )
  const query: SearchQuery = {
    sort,
    ...(keywordTerms && { keywords: keywordTerms }),
    ...(romeCodes && { romeCodes }),
    ...(appellations && { appellations }),
    ...(domaines && { domaines }),
    ...(grandsDomaines && { grandsDomaines }),
    ...(themes && { themes }),
    ...(secteursActivite && { secteursActivite }),
    ...(codesNaf && { codesNaf }),
    ...(experiences && { experiences }),
    ...(experienceExigences && { experienceExigences }),
    ...(typesContrat && { typesContrat }),
    ...(naturesContrat && { naturesContrat }),
    ...(origine && { origine }),
    ...(qualifications && { qualifications }),
    ...(dureesHebdo && { dureesHebdo }),
    ...(weeklyMinutesMin !== undefined && { weeklyMinutesMin }),
    ...(weeklyMinutesMax !== undefined && { weeklyMinutesMax }),
    ...(contractMonthsMin !== undefined && { contractMonthsMin }),
    ...(contractMonthsMax !== undefined && { contractMonthsMax }),
    ...(geoFilter && { geo: geoFilter }),
    ...(departements && { departements }),
    ...(regions && { regions }),
    ...(paysContinents && { paysContinents }),
    ...(niveauxFormation && { niveauxFormation }),
    ...(permis && { permis }),
    ...(salary && { salary }),
    // Flags filter when true; false asks for nothing in particular (clients send every flag).
    ...(accessibleTH === true && { accessibleTH }),
    ...(entreprisesAdaptees === true && { entrepriseAdaptee: true }),
    ...(employeursHandiEngages === true && { employeurHandiEngage: true }),
    ...(offresManqueCandidats === true && { offresManqueCandidats }),
    ...(mrs === true && { mrs }),
    ...(lowerBounds.length > 0 && { createdFrom: Math.max(...lowerBounds) }),
    ...(maxCreation !== undefined && { createdTo: maxCreation }),
    ...(partenaires && { partners: { names: partenaires.map((name) => name.toUpperCase()), mode: mode === 'EXCLU' ? 'EXCLU' : 'INCLUS' } }),
  }
  if (cursor && cursor.fingerprint !== queryFingerprint(query, { exact, extended })) fail(MESSAGES.cursorQuery)
  return { query, window, minute, ...(cursor && { cursor }), typedKeywords: typedKeywords ?? [], keywordMode: { exact, extended } }
}
