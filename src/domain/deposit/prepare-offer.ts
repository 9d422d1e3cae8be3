import { Type, type Static, type TProperties } from 'typebox'
import { Compile } from 'typebox/compile'
import type { TLocalizedValidationError } from 'typebox/error'
import { Settings } from 'typebox/system'
import { distanceKm } from '../../search/geo.js'
import { OffreSchema, type Offre } from '../offers/offer.schema.js'
import {
  normalizeLabel,
  toPlaceLabel,
  type AppellationRecord,
  type CommuneRecord,
  type Referentials,
} from '../referentials/referentials.js'
import { DEPLACEMENTS, QUALIFICATIONS, type CodeLabel } from '../referentials/static-lists.js'

/**
 * The deposit of an offer (`POST /partenaire/depotoffres/v1/offres`): turns the body a recruiter
 * or partner sends into the complete `Offre` the original would serve, or lists every problem.
 *
 * The deposit is the Offre itself minus what the server computes: a client can send back an offer
 * it has read. Labels derived from a code may be given but must agree with it; the referentials
 * then fill in what real offers always carry (labels, coordinates, defaults, origin, dates).
 */

/** One problem of a deposit: where (JSON pointer like "/lieuTravail/commune") and why (French, for the caller). */
export interface FieldError {
  /** RFC 6901 pointer into the body; "" is the body itself. */
  readonly path: string
  readonly message: string
}

// ---------------------------------------------------------------------------------------------
// Schema: derived from OffreSchema so that the Offre stays the one description of an offer.

/** Set by the server: accepted (a client may send back an offer it read) and then replaced. */
const SERVER_SET = ['id', 'dateCreation', 'dateActualisation', 'origineOffre'] as const
/** Optional in an Offre (old or partner offers may lack them) but required of a deposit. */
const REQUIRED = ['intitule', 'description', 'romeCode', 'experienceExige'] as const

const required = Type.Required(Type.Pick(OffreSchema, REQUIRED)).properties

const depositProperties = {
  ...Type.Omit(OffreSchema, [...SERVER_SET, ...REQUIRED]).properties,
  ...Type.Partial(Type.Pick(OffreSchema, SERVER_SET)).properties,
  ...required,
  // Tighter than an Offre: a title a search result can show, a description worth reading.
  intitule: { ...required.intitule, minLength: 3, maxLength: 200 },
  description: { ...required.description, minLength: 10 },
  appellation: Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,10}$',
      description:
        'Code de l’appellation ROME (référentiel appellations) : fixe appellationlibelle. ' +
        'Non restitué dans l’offre, conservé à part.',
      examples: ['404278'],
    }),
  ),
}

/** The deposit's properties in the Offre's order (with `appellation` beside its label), for readable docs. */
function inOffreOrder<T extends TProperties>(properties: T): T {
  const order = Object.keys(OffreSchema.properties).flatMap((key) =>
    key === 'appellationlibelle' ? [key, 'appellation'] : [key],
  )
  const entries = order.filter((key) => key in properties).map((key) => [key, properties[key]] as const)
  return Object.fromEntries(entries) as T
}

/**
 * The deposit body: an Offre without the fields the server computes. `id`, the dates,
 * `origineOffre` and every label derived from a code are optional; `appellation` (a ROME
 * appellation code) is added; unknown fields are refused, as in an Offre.
 */
export const DepositSchema = Type.Object(inOffreOrder(depositProperties), {
  additionalProperties: false,
  $id: 'DepotOffre',
  description:
    'Offre déposée : une Offre sans les champs calculés par le serveur ' +
    '(identifiant, dates, origine, libellés déduits des codes).',
})

/** A deposit body that passed the schema. */
export type Deposit = Static<typeof DepositSchema>

const checker = Compile(DepositSchema)

// ---------------------------------------------------------------------------------------------
// Context and result

/** What the caller knows about the deposit beyond its body. */
export interface DepositContext {
  /** The id the offer gets (assigned by the caller). */
  readonly id: string
  /** Now: dateCreation of a new offer, dateActualisation always. */
  readonly now: Date
  /** dateCreation of the offer being replaced, kept on updates. */
  readonly createdAt?: Date
  /** 'direct' → origineOffre.origine "1" (France Travail style); 'partner' → origine "2" with the partner's name. */
  readonly origin: { kind: 'direct' } | { kind: 'partner'; partnerName: string; partnerUrl?: string }
}

/** A complete offer and the appellation codes the store keeps beside it, or every problem of the body. */
export type PrepareResult = { ok: true; offer: Offre; appellations: string[] } | { ok: false; errors: FieldError[] }

/** The original's detail page, which is `urlOrigine` of every offer, partner offers included (contract §5.4). */
const DETAIL_URL = 'https://candidat.francetravail.fr/offres/recherche/detail/'

/** A deposited point farther than this from its commune's centre is taken for a mistake (swapped lat/lon…). */
export const MAX_DISTANCE_FROM_COMMUNE_KM = 50

/** Raw schema errors gathered for one body (a union failure costs four): bounded against huge bodies. */
const MAX_SCHEMA_ERRORS = 200

/**
 * Validates a deposit body and completes it into the offer the original would serve: labels from
 * the referentials, place details from the commune, defaults real offers always carry, origin,
 * id and dates from `context`. Bad input never throws: every problem is listed, schema problems
 * first, then referential ones.
 *
 * @throws RangeError when `context` itself is unusable (invalid date): a bug of the caller.
 */
export function prepareOffer(body: unknown, referentials: Referentials, context: DepositContext): PrepareResult {
  for (const date of [context.now, context.createdAt]) {
    if (date !== undefined && Number.isNaN(date.getTime())) throw new RangeError('Invalid date in deposit context')
  }
  const valid = checker.Check(body)
  const errors = valid ? [] : schemaErrors(body)
  const report = (path: string, message: string) => {
    errors.push({ path, message })
  }
  const found = resolve(isObject(body) ? body : {}, referentials, context, report)
  if (!valid || errors.length > 0) return { ok: false, errors: unique(errors) }
  return assemble(body, found, context)
}

// ---------------------------------------------------------------------------------------------
// Schema errors in French

function schemaErrors(body: unknown): FieldError[] {
  // TypeBox buffers 8 errors by default; a deposit must list them all (bounded), so the limit is
  // raised for this synchronous call only and put back, as TypeBox does itself for Parse.
  const previous = Settings.Get().maxErrors
  Settings.Set({ maxErrors: MAX_SCHEMA_ERRORS })
  let raw: TLocalizedValidationError[]
  try {
    raw = checker.Errors(body)
  } finally {
    Settings.Set({ maxErrors: previous })
  }
  // Unions of literals fail once per member (`type`, `const`) then as a whole (`anyOf`): one
  // message each, listing the members' values.
  const allowed = new Map<string, unknown[]>()
  const unions = new Set<string>()
  for (const error of raw) {
    if (error.keyword === 'const') {
      allowed.set(error.instancePath, [...(allowed.get(error.instancePath) ?? []), error.params.allowedValue])
    }
    if (error.keyword === 'anyOf') unions.add(`${error.instancePath}\n${error.schemaPath}/anyOf/`)
  }
  const errors: FieldError[] = []
  for (const error of raw) errors.push(...frenchErrors(error, allowed, unions))
  return errors
}

/** The French problems of one TypeBox error (a `required` or `additionalProperties` error names several fields). */
function frenchErrors(
  error: TLocalizedValidationError,
  allowed: ReadonlyMap<string, unknown[]>,
  unions: ReadonlySet<string>,
): FieldError[] {
  const path = error.instancePath
  const at = (message: string): FieldError[] => [{ path, message }]
  const member = error.schemaPath.lastIndexOf('/anyOf/')
  if (member >= 0 && unions.has(`${path}\n${error.schemaPath.slice(0, member)}/anyOf/`)) return []
  if (error.keyword === 'required') {
    return error.params.requiredProperties.map((name) => ({ path: child(path, name), message: 'Champ obligatoire.' }))
  }
  if (error.keyword === 'additionalProperties') {
    return error.params.additionalProperties.map((name) => ({ path: child(path, name), message: 'Champ inconnu.' }))
  }
  // `additionalProperties: false` also fails as a false schema on each unknown field: reported above.
  if (error.keyword === 'boolean') {
    return error.schemaPath.endsWith('/additionalProperties') ? [] : at('Valeur invalide.')
  }
  if (error.keyword === 'const') return at(expected(allowed.get(path)))
  if (error.keyword === 'anyOf') return at(expected(allowed.get(path)))
  if (error.keyword === 'type') return at(typeMessage(error.params.type))
  if (error.keyword === 'minLength') {
    return at(`Au moins ${error.params.limit} caractère${error.params.limit > 1 ? 's' : ''}.`)
  }
  if (error.keyword === 'maxLength') return at(`Au plus ${error.params.limit} caractères.`)
  if (error.keyword === 'pattern') return at(`Format invalide (motif ${error.params.pattern}).`)
  if (error.keyword === 'format') {
    return at(
      error.params.format === 'date-time'
        ? 'Date invalide : format ISO 8601 attendu (2024-11-28T14:23:11.470Z).'
        : 'Format invalide.',
    )
  }
  if (error.keyword === 'minimum') return at(`Valeur minimale : ${error.params.limit}.`)
  if (error.keyword === 'maximum') return at(`Valeur maximale : ${error.params.limit}.`)
  if (error.keyword === 'maxItems') return at(`Au plus ${error.params.limit} éléments.`)
  // Keywords the deposit schema does not use (oneOf, uniqueItems…): a generic message.
  return at('Valeur invalide.')
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'Chaîne de caractères attendue.',
  number: 'Nombre attendu.',
  integer: 'Nombre entier attendu.',
  boolean: 'Booléen attendu (true ou false).',
  object: 'Objet JSON attendu.',
  array: 'Tableau attendu.',
}

function typeMessage(type: string | string[]): string {
  const first = Array.isArray(type) ? type[0] : type
  return (first !== undefined ? TYPE_NAMES[first] : undefined) ?? 'Type invalide.'
}

function expected(values: readonly unknown[] | undefined): string {
  if (values === undefined || values.length === 0) return 'Valeur invalide.'
  const names = values.map(String)
  const last = names.pop()
  return `Valeur attendue : ${names.length > 0 ? `${names.join(', ')} ou ` : ''}${last}.`
}

/** JSON pointer of a property (RFC 6901 escaping: unknown field names can hold "/" or "~"). */
function child(path: string, name: string): string {
  return `${path}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`
}

function unique(errors: readonly FieldError[]): FieldError[] {
  const seen = new Set<string>()
  return errors.filter((error) => {
    const key = `${error.path}\n${error.message}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

// ---------------------------------------------------------------------------------------------
// Referential checks and enrichment. They run on the raw body even when the schema failed, so
// that one answer lists every problem: each check reads only values of the expected type and
// leaves wrong types to the schema errors.

type Json = Record<string, unknown>
type Report = (path: string, message: string) => void

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function stringAt(object: Json | undefined, key: string): string | undefined {
  const value = object?.[key]
  return typeof value === 'string' ? value : undefined
}

function objectAt(object: Json | undefined, key: string): Json | undefined {
  const value = object?.[key]
  return isObject(value) ? value : undefined
}

function itemsAt(object: Json, key: string): readonly unknown[] {
  const value = object[key]
  return Array.isArray(value) ? value : []
}

const has = (object: Json | undefined, key: string): boolean => object !== undefined && object[key] !== undefined

const quoted = (label: string) => `« ${label} »`

/** Labels compare without case, accents or spacing: "data ENGINEER" names "Data engineer". */
const sameLabel = (a: string, b: string) => normalizeLabel(a) === normalizeLabel(b)

const incoherent = (what: string, label: string) => `Libellé incohérent avec ${what} : ${quoted(label)} attendu.`

/** What the referentials add to a valid body. */
interface Enrichment {
  romeLibelle?: string
  appellation?: AppellationRecord
  lieuTravail?: Offre['lieuTravail']
  typeContratLibelle?: string
  natureContrat?: string
  alternance: boolean
  experienceLibelle?: string
  qualification?: CodeLabel
  secteur?: { readonly codeNAF?: string; readonly secteurActivite: string; readonly secteurActiviteLibelle: string }
  deplacement?: CodeLabel
  /** Canonical labels of `formations[i].niveauLibelle`, `permis[i].libelle`, `langues[i].libelle`. */
  niveaux: Map<number, string>
  permis: Map<number, string>
  langues: Map<number, string>
  entrepriseAdaptee: boolean
}

function resolve(body: Json, referentials: Referentials, context: DepositContext, report: Report): Enrichment {
  const found: Enrichment = {
    alternance: false,
    niveaux: new Map(),
    permis: new Map(),
    langues: new Map(),
    entrepriseAdaptee: false,
  }
  const id = stringAt(body, 'id')
  // An update may carry the id it read; any other id would silently move the offer.
  if (id !== undefined && id !== context.id) {
    report('/id', `Identifiant incohérent : l’offre a l’identifiant ${context.id}.`)
  }
  resolveMetier(body, referentials, report, found)
  found.lieuTravail = resolvePlace(body, referentials, report)
  resolveContract(body, referentials, report, found)
  found.experienceLibelle = resolveExperience(body, report)
  found.qualification = resolveCoded(body, report, {
    codeKey: 'qualificationCode',
    labelKey: 'qualificationLibelle',
    items: QUALIFICATIONS,
    unknown: 'Qualification inconnue',
    matches: (key, item) => key === normalizeLabel(item.libelle),
    keepsGivenLabel: false,
  })
  // "Ponctuels Zone régionale": the label adds the zone to the referential's frequency.
  found.deplacement = resolveCoded(body, report, {
    codeKey: 'deplacementCode',
    labelKey: 'deplacementLibelle',
    items: DEPLACEMENTS,
    unknown: 'Fréquence de déplacement inconnue',
    matches: (key, item) => startsWithWords(key, normalizeLabel(item.libelle)),
    keepsGivenLabel: true,
  })
  found.secteur = resolveSector(body, referentials, report)
  resolveLists(body, referentials, report, found)

  const converti = stringAt(body, 'dureeTravailLibelleConverti')
  if (converti !== undefined && converti !== 'Temps plein' && converti !== 'Temps partiel') {
    report('/dureeTravailLibelleConverti', 'Valeur attendue : « Temps plein » ou « Temps partiel ».')
  }
  // Real offers carry the flag twice (in `entreprise` and, since 2025, at the top): one value.
  const inner = objectAt(body, 'entreprise')?.entrepriseAdaptee
  const outer = body.entrepriseAdaptee
  if (typeof inner === 'boolean' && typeof outer === 'boolean' && inner !== outer) {
    report('/entrepriseAdaptee', 'Incohérent avec entreprise.entrepriseAdaptee.')
  }
  found.entrepriseAdaptee = typeof outer === 'boolean' ? outer : typeof inner === 'boolean' ? inner : false
  return found
}

/** `romeCode` must exist; the appellation, by code or by label, must belong to it. */
function resolveMetier(body: Json, referentials: Referentials, report: Report, found: Enrichment): void {
  const romeCode = stringAt(body, 'romeCode')
  const metier = romeCode !== undefined ? referentials.metiers.get(romeCode) : undefined
  if (romeCode !== undefined && metier === undefined) report('/romeCode', `Code ROME inconnu : ${romeCode}.`)
  if (metier !== undefined) {
    found.romeLibelle = metier.libelle
    const given = stringAt(body, 'romeLibelle')
    if (given !== undefined && !sameLabel(given, metier.libelle)) {
      report('/romeLibelle', incoherent(`le code ROME ${metier.code}`, metier.libelle))
    }
  }

  const code = stringAt(body, 'appellation')
  const label = stringAt(body, 'appellationlibelle')
  let appellation: AppellationRecord | undefined
  if (code !== undefined) {
    appellation = referentials.appellations.get(code)
    if (appellation === undefined) {
      if (/^[0-9]+$/.test(code)) report('/appellation', `Appellation inconnue : ${code}.`)
      return
    }
    if (label !== undefined && !sameLabel(label, appellation.libelle) && !sameLabel(label, appellation.libelleCourt)) {
      report('/appellationlibelle', incoherent(`l’appellation ${code}`, appellation.libelleCourt))
    }
  } else if (label !== undefined) {
    // Real offers carry only the label: it names one appellation of the fiche.
    const codes = referentials.appellationCodesOf(label)
    const own = codes.find(
      (candidate) => metier === undefined || referentials.appellations.get(candidate)?.romeCode === metier.code,
    )
    appellation = own !== undefined ? referentials.appellations.get(own) : undefined
    if (appellation === undefined) {
      const of = metier ? ` pour le code ROME ${metier.code}` : ''
      report('/appellationlibelle', `Appellation inconnue${of} : ${quoted(label)}.`)
      return
    }
  }
  if (appellation !== undefined && metier !== undefined && appellation.romeCode !== metier.code) {
    report(
      code !== undefined ? '/appellation' : '/appellationlibelle',
      `L’appellation ${appellation.code} (${appellation.libelleCourt}) ` +
        `relève du code ROME ${appellation.romeCode}, pas de ${metier.code}.`,
    )
  }
  found.appellation = appellation
}

/** Place label forms the original writes for a commune: "ST MALO", "Saint-Malo", "Marseille 8e Arrondissement". */
function placeKey(name: string): string {
  return toPlaceLabel(name)
    .split(' ')
    .map((word) => (word === 'ST' ? 'SAINT' : word === 'STE' ? 'SAINTE' : word))
    .join(' ')
}

function agreesWithCommune(label: string, commune: CommuneRecord): boolean {
  const match = /^\s*(\S+)\s+-\s+(.+)$/.exec(label)
  if (match?.[1] !== commune.codeDepartement || match[2] === undefined) return false
  const key = placeKey(match[2])
  return key === placeKey(commune.libelle) || key === placeKey(commune.nom)
}

/** A commune (with its label, postcode and centre) or, abroad or for a wide area, a label alone. */
function resolvePlace(body: Json, referentials: Referentials, report: Report): Offre['lieuTravail'] | undefined {
  const lieu = objectAt(body, 'lieuTravail')
  if (lieu === undefined) return undefined
  const code = stringAt(lieu, 'commune')
  const libelle = stringAt(lieu, 'libelle')
  const latitude = lieu.latitude
  const longitude = lieu.longitude
  // One coordinate without the other cannot place anything.
  if (has(lieu, 'latitude') !== has(lieu, 'longitude')) {
    const missing = has(lieu, 'latitude') ? '/lieuTravail/longitude' : '/lieuTravail/latitude'
    report(missing, 'Champ obligatoire avec l’autre coordonnée.')
  }
  if (!has(lieu, 'commune')) {
    if (!has(lieu, 'libelle')) {
      report('/lieuTravail/commune', 'Champ obligatoire (ou lieuTravail.libelle seul pour un lieu à l’étranger).')
    } else if (libelle !== undefined && libelle.trim() === '') {
      report('/lieuTravail/libelle', 'Champ vide.')
    }
    // Without a commune nothing says where the point or postcode would be: refused, not guessed.
    for (const key of ['latitude', 'longitude', 'codePostal']) {
      if (has(lieu, key)) report(`/lieuTravail/${key}`, 'Renseigner aussi lieuTravail.commune (code INSEE).')
    }
    return libelle !== undefined ? { libelle } : undefined
  }
  if (code === undefined) return undefined
  const commune = referentials.communes.get(code)
  if (commune === undefined) {
    report('/lieuTravail/commune', `Commune inconnue : ${code}.`)
    return undefined
  }
  const canonical = `${commune.codeDepartement} - ${commune.libelle}`
  if (libelle !== undefined && !agreesWithCommune(libelle, commune)) {
    report('/lieuTravail/libelle', incoherent(`la commune ${code}`, canonical))
  }
  const codePostal = stringAt(lieu, 'codePostal')
  // A commune may have several postcodes (the referential holds one): a given one is kept.
  if (codePostal !== undefined && !/^[0-9]{5}$/.test(codePostal)) {
    report('/lieuTravail/codePostal', 'Code postal invalide : 5 chiffres attendus.')
  }
  let point = { latitude: commune.latitude, longitude: commune.longitude }
  if (typeof latitude === 'number' && typeof longitude === 'number') {
    // The original often points at the address rather than the town hall: a near point is kept.
    const km = distanceKm(latitude, longitude, commune.latitude, commune.longitude)
    if (km > MAX_DISTANCE_FROM_COMMUNE_KM) {
      report(
        '/lieuTravail/latitude',
        `Coordonnées à ${Math.round(km)} km du centre de la commune ${code} ` +
          `(${MAX_DISTANCE_FROM_COMMUNE_KM} km au plus).`,
      )
    }
    point = { latitude, longitude }
  }
  return {
    libelle: libelle ?? canonical,
    ...point,
    codePostal: codePostal ?? commune.codePostal,
    commune: commune.code,
  }
}

/** Other spellings of a type in real labels ("Intérim - 6 Mois" for MIS). */
const TYPE_LABEL_ALIASES: Readonly<Record<string, readonly string[]>> = {
  MIS: ['Intérim'],
  DDI: ['CDD insertion'],
}

/** Nature of a contract whose body says none, from its type: as real offers pair them. */
const NATURE_OF_TYPE: Readonly<Record<string, string>> = {
  LIB: 'NS',
  FRA: 'NS',
  CCE: 'NS',
  REP: 'NS',
  TTI: 'I1',
  DDI: 'I1',
}

/** Natures that make an offer an `alternance`: apprentissage and professionnalisation. */
const ALTERNANCE_NATURES = new Set(['E2', 'FS'])

function startsWithWords(key: string, prefix: string): boolean {
  return key === prefix || key.startsWith(`${prefix} `)
}

/** Type (code of the referential) with its label, which may add a duration; nature by label or code; alternance. */
function resolveContract(body: Json, referentials: Referentials, report: Report, found: Enrichment): void {
  const typeCode = stringAt(body, 'typeContrat')
  const type = typeCode !== undefined ? referentials.typesContrats.get(typeCode) : undefined
  if (typeCode !== undefined && type === undefined) report('/typeContrat', `Type de contrat inconnu : ${typeCode}.`)
  if (type !== undefined) {
    const label = stringAt(body, 'typeContratLibelle')
    // "CDD - 6 Mois", "Contrat à durée déterminée - 6 Mois", "CDI": code or label, then a duration.
    const prefixes = [type.code, type.libelle, ...(TYPE_LABEL_ALIASES[type.code] ?? [])].map(normalizeLabel)
    const key = label !== undefined ? normalizeLabel(label) : undefined
    if (key !== undefined && !prefixes.some((prefix) => key === prefix || key.startsWith(`${prefix} - `))) {
      report('/typeContratLibelle', incoherent(`le type de contrat ${type.code}`, type.libelle))
    }
    found.typeContratLibelle = label ?? type.libelle
  }

  let natureCode: string | undefined
  const nature = stringAt(body, 'natureContrat')
  if (nature !== undefined) {
    natureCode = referentials.naturesContrats.has(nature.trim().toUpperCase())
      ? nature.trim().toUpperCase()
      : referentials.natureCodeOf(nature)
    if (natureCode === undefined) report('/natureContrat', `Nature de contrat inconnue : ${nature}.`)
  } else if (!has(body, 'natureContrat') && type !== undefined) {
    natureCode = NATURE_OF_TYPE[type.code] ?? 'E1'
  }
  const natureItem = natureCode !== undefined ? referentials.naturesContrats.get(natureCode) : undefined
  found.natureContrat = natureItem?.libelle
  found.alternance = natureCode !== undefined && ALTERNANCE_NATURES.has(natureCode)
  const alternance = body.alternance
  if (typeof alternance === 'boolean' && natureItem !== undefined && alternance !== found.alternance) {
    report(
      '/alternance',
      alternance
        ? `Incohérent avec la nature du contrat (${natureItem.libelle}) : une alternance est un contrat ` +
          'd’apprentissage (E2) ou de professionnalisation (FS).'
        : `Incohérent avec la nature du contrat (${natureItem.libelle}), qui est une alternance.`,
    )
  }
}

const EXPERIENCE_LABELS = { D: 'Débutant accepté', S: 'Expérience souhaitée', E: 'Expérience exigée' } as const

/**
 * `experienceLibelle` as real offers write it: "Débutant accepté" for D; for E and S either the
 * sentence ("Expérience exigée de 2 An(s)") or a bare duration ("4 An(s)", "12 Mois - même poste").
 */
function resolveExperience(body: Json, report: Report): string | undefined {
  const exige = stringAt(body, 'experienceExige')
  if (exige !== 'D' && exige !== 'S' && exige !== 'E') return undefined
  const label = stringAt(body, 'experienceLibelle')
  if (label === undefined) return EXPERIENCE_LABELS[exige]
  const key = normalizeLabel(label)
  const kind = key.startsWith('debutant')
    ? 'D'
    : key.startsWith('experience exigee')
      ? 'E'
      : key.startsWith('experience souhaitee')
        ? 'S'
        : /^[0-9]/.test(key)
          ? 'duration'
          : undefined
  const agrees = exige === 'D' ? kind === 'D' : kind === exige || kind === 'duration'
  if (!agrees) {
    report(
      '/experienceLibelle',
      exige === 'D'
        ? incoherent('le code d’expérience D', EXPERIENCE_LABELS.D)
        : `Libellé incohérent avec le code d’expérience ${exige} : ` +
          `${quoted(`${EXPERIENCE_LABELS[exige]}…`)} ou une durée (« 2 An(s) ») attendu.`,
    )
  }
  return label
}

interface CodedField {
  readonly codeKey: string
  readonly labelKey: string
  readonly items: readonly CodeLabel[]
  readonly unknown: string
  /** Whether a given label (normalised) agrees with an item. */
  readonly matches: (key: string, item: CodeLabel) => boolean
  /** Whether a given label says more than the list's (kept) or only the same (the list's is stored). */
  readonly keepsGivenLabel: boolean
}

/**
 * A code of a small list with its label: the code must exist and a given label agree with it; a
 * label alone gives its code.
 */
function resolveCoded(body: Json, report: Report, field: CodedField): CodeLabel | undefined {
  const code = stringAt(body, field.codeKey)
  const label = stringAt(body, field.labelKey)
  if (code !== undefined) {
    const item = field.items.find((candidate) => candidate.code === code)
    if (item === undefined) {
      report(`/${field.codeKey}`, `${field.unknown} : ${code}.`)
      return undefined
    }
    if (label !== undefined && !field.matches(normalizeLabel(label), item)) {
      report(`/${field.labelKey}`, incoherent(`le code ${code}`, item.libelle))
    }
    return { code, libelle: field.keepsGivenLabel ? (label ?? item.libelle) : item.libelle }
  }
  if (label === undefined || has(body, field.codeKey)) return undefined
  const item = field.items.find((candidate) => field.matches(normalizeLabel(label), candidate))
  if (item === undefined) {
    report(`/${field.labelKey}`, `${field.unknown} : ${quoted(label)}.`)
    return undefined
  }
  return { code: item.code, libelle: field.keepsGivenLabel ? label : item.libelle }
}

/**
 * `codeNAF` must exist and `secteurActivite` be its division. As in real offers,
 * `secteurActiviteLibelle` is the label of the NAF code ("62.02A" → "Conseil en systèmes et
 * logiciels informatiques"), or of the division when only the division is given.
 */
function resolveSector(body: Json, referentials: Referentials, report: Report): Enrichment['secteur'] {
  const codeNAF = stringAt(body, 'codeNAF')
  const division = stringAt(body, 'secteurActivite')
  const label = stringAt(body, 'secteurActiviteLibelle')
  const naf = codeNAF !== undefined ? referentials.nafs.get(codeNAF) : undefined
  if (codeNAF !== undefined && naf === undefined) report('/codeNAF', `Code NAF inconnu : ${codeNAF}.`)
  const sectorCode = naf !== undefined ? naf.code.slice(0, 2) : division
  const sector = sectorCode !== undefined ? referentials.secteursActivites.get(sectorCode) : undefined
  if (naf !== undefined && division !== undefined && division !== sectorCode) {
    report('/secteurActivite', `Secteur incohérent avec le code NAF ${naf.code} : ${sectorCode} attendu.`)
  } else if (naf === undefined && division !== undefined && sector === undefined) {
    report('/secteurActivite', `Secteur d’activité inconnu : ${division}.`)
  }
  if (label !== undefined && !has(body, 'codeNAF') && !has(body, 'secteurActivite')) {
    // NAF labels are too many and too close to find a code from: the code is asked for.
    report('/secteurActivite', 'Champ obligatoire avec secteurActiviteLibelle (ou codeNAF).')
  }
  if (sector === undefined || sectorCode === undefined) return undefined
  const canonical = naf?.libelle ?? sector.libelle
  if (label !== undefined && !sameLabel(label, canonical) && !sameLabel(label, sector.libelle)) {
    const what = naf ? `le code NAF ${naf.code}` : `le secteur ${sectorCode}`
    report('/secteurActiviteLibelle', incoherent(what, canonical))
  }
  return { ...(naf ? { codeNAF: naf.code } : {}), secteurActivite: sectorCode, secteurActiviteLibelle: canonical }
}

/**
 * Items checked against a referential, given by label or code and stored with the label:
 * `formations[].niveauLibelle`, `permis[].libelle`, `langues[].libelle`. Free text, no referential
 * here: `formations[].codeFormation` (Formacode) and `domaineLibelle`, `competences[]` (ROME
 * compétences are not shipped), `qualitesProfessionnelles[]`, `outilsBureautiques[]`, `salaire`,
 * `contact`, `agence`, `entreprise`, `dureeTravailLibelle`, `trancheEffectifEtab`, `contexteTravail`.
 */
function resolveLists(body: Json, referentials: Referentials, report: Report, found: Enrichment): void {
  const byCodeOrLabel = (
    map: ReadonlyMap<string, CodeLabel>,
    value: string,
    codeOfLabel: (label: string) => string | undefined,
  ) => {
    const code = map.has(value.trim().toUpperCase()) ? value.trim().toUpperCase() : codeOfLabel(value)
    return code !== undefined ? map.get(code)?.libelle : undefined
  }
  const permisCodeOf = (label: string) =>
    [...referentials.permis.values()].find((item) => sameLabel(item.libelle, label))?.code

  itemsAt(body, 'formations').forEach((item, index) => {
    const niveau = isObject(item) ? stringAt(item, 'niveauLibelle') : undefined
    if (niveau === undefined) return
    const libelle = byCodeOrLabel(referentials.niveauxFormations, niveau, (label) =>
      referentials.niveauFormationCodeOf(label),
    )
    if (libelle === undefined) report(`/formations/${index}/niveauLibelle`, `Niveau de formation inconnu : ${niveau}.`)
    else found.niveaux.set(index, libelle)
  })
  itemsAt(body, 'permis').forEach((item, index) => {
    const given = isObject(item) ? stringAt(item, 'libelle') : undefined
    if (given === undefined) return
    const libelle = byCodeOrLabel(referentials.permis, given, permisCodeOf)
    if (libelle === undefined) report(`/permis/${index}/libelle`, `Permis inconnu : ${given}.`)
    else found.permis.set(index, libelle)
  })
  itemsAt(body, 'langues').forEach((item, index) => {
    const given = isObject(item) ? stringAt(item, 'libelle') : undefined
    if (given === undefined) return
    const libelle = byCodeOrLabel(referentials.langues, given, (label) => referentials.langueCodeOf(label))
    if (libelle === undefined) report(`/langues/${index}/libelle`, `Langue inconnue : ${given}.`)
    else found.langues.set(index, libelle)
  })
}

// ---------------------------------------------------------------------------------------------
// Assembly of a valid deposit

/** `entreprise` with the flag, in the Entreprise order (the flag comes before `siret`). */
function withEntrepriseAdaptee(entreprise: Deposit['entreprise'], entrepriseAdaptee: boolean): NonNullable<Offre['entreprise']> {
  if (entreprise === undefined) return { entrepriseAdaptee }
  const { siret, ...rest } = entreprise
  return siret === undefined ? { ...rest, entrepriseAdaptee } : { ...rest, entrepriseAdaptee, siret }
}

/** The keys of an Offre, in the original's order: a deposit is assembled in that order, so that its JSON is written as it is. */
const OFFRE_KEYS = Object.keys(OffreSchema.properties) as (keyof Offre)[]

function assemble(deposit: Deposit, found: Enrichment, context: DepositContext): PrepareResult {
  const url = `${DETAIL_URL}${context.id}`
  const direct = context.origin.kind === 'direct'
  // What the server sets or derives; the other fields are the deposit's. Fields every real offer
  // carries get their default; the others stay absent, as in the original.
  const derived: Partial<Record<keyof Offre, unknown>> = {
    id: context.id,
    dateCreation: (context.createdAt ?? context.now).toISOString(),
    dateActualisation: context.now.toISOString(),
    lieuTravail: found.lieuTravail ?? deposit.lieuTravail,
    romeLibelle: found.romeLibelle ?? deposit.romeLibelle,
    appellationlibelle: found.appellation?.libelleCourt ?? deposit.appellationlibelle,
    entreprise: withEntrepriseAdaptee(deposit.entreprise, found.entrepriseAdaptee),
    typeContratLibelle: found.typeContratLibelle ?? deposit.typeContratLibelle,
    natureContrat: found.natureContrat ?? deposit.natureContrat,
    experienceLibelle: found.experienceLibelle ?? deposit.experienceLibelle,
    formations: deposit.formations?.map((formation, index) => {
      const niveauLibelle = found.niveaux.get(index)
      return niveauLibelle !== undefined ? { ...formation, niveauLibelle } : formation
    }),
    langues: deposit.langues?.map((langue, index) => ({ ...langue, libelle: found.langues.get(index) ?? langue.libelle })),
    permis: deposit.permis?.map((permis, index) => ({ ...permis, libelle: found.permis.get(index) ?? permis.libelle })),
    salaire: deposit.salaire ?? {},
    alternance: found.alternance,
    // Origine-1 offers always have both blocks, partner offers show them empty (contract §5.4).
    contact: deposit.contact ?? {},
    agence: deposit.agence ?? {},
    nombrePostes: deposit.nombrePostes ?? 1,
    accessibleTH: deposit.accessibleTH ?? false,
    deplacementCode: found.deplacement?.code ?? deposit.deplacementCode,
    deplacementLibelle: found.deplacement?.libelle ?? deposit.deplacementLibelle,
    qualificationCode: found.qualification?.code ?? deposit.qualificationCode,
    qualificationLibelle: found.qualification?.libelle ?? deposit.qualificationLibelle,
    codeNAF: found.secteur?.codeNAF ?? deposit.codeNAF,
    secteurActivite: found.secteur?.secteurActivite ?? deposit.secteurActivite,
    secteurActiviteLibelle: found.secteur?.secteurActiviteLibelle ?? deposit.secteurActiviteLibelle,
    origineOffre:
      context.origin.kind === 'direct'
        ? { origine: '1', urlOrigine: url }
        : {
            origine: '2',
            // Partner offers too point at the original's detail page; the partner's page is in `partenaires`.
            urlOrigine: url,
            partenaires: [
              {
                nom: context.origin.partnerName,
                ...(context.origin.partnerUrl !== undefined ? { url: context.origin.partnerUrl } : {}),
              },
            ],
          },
    // The original computes it for its own offers only; partner offers never carry it.
    offresManqueCandidats: direct ? (deposit.offresManqueCandidats ?? false) : deposit.offresManqueCandidats,
    entrepriseAdaptee: found.entrepriseAdaptee,
    employeurHandiEngage: deposit.employeurHandiEngage ?? false,
  }
  const fields: Partial<Record<keyof Offre, unknown>> = {}
  for (const key of OFFRE_KEYS) {
    const value = key in derived ? derived[key] : deposit[key]
    if (value !== undefined) fields[key] = value
  }
  const offer = fields as Offre
  return { ok: true, offer, appellations: found.appellation !== undefined ? [found.appellation.code] : [] }
}
