import type { Referentials } from '../domain/referentials/referentials.js'
import { Bitset } from './bitset.js'
import type { BodyStore } from './body-store.js'
import { Column, Dictionary, lowerBound, Postings } from './columns.js'
import { extendedKeywordCandidates } from './keyword-match.js'
import { LiveVocabulary } from './live-vocabulary.js'
import { distanceKm } from './geo.js'
import { salaryInParts, type OfferFeatures, type SalaryPeriod } from './offer-features.js'
import { TERMS } from './terms.js'
import type { FacetCounts, GeoFilter, ResultWindow, SearchQuery } from './search-query.js'

const NONE8 = 255
/** Contract types and natures fit the packed facet key (5 and 6 bits); the last slot means "none". */
const TYPE_SLOTS = 32
const NATURE_SLOTS = 64

/**
 * The facet values of a document in 15 bits: contract type (5), experience (2), qualification
 * group (2: none, non-cadre, cadre), nature (6).
 */
function facetKey(type: number, experience: number, qualification: number, nature: number): number {
  const typeSlot = type === NONE8 ? TYPE_SLOTS - 1 : Math.min(type, TYPE_SLOTS - 1)
  const natureSlot = nature === NONE8 ? NATURE_SLOTS - 1 : Math.min(nature, NATURE_SLOTS - 1)
  const group = qualification === 0 ? 0 : qualification === 9 ? 2 : 1
  return (typeSlot << 10) | (experience << 8) | (group << 6) | natureSlot
}

/** Length of one degree of latitude on the sphere `distanceKm` uses (π × 6371.0088 / 180). */
const KM_PER_DEGREE_OF_LATITUDE = 111.19508
const NONE16 = 0xffff

const FLAG_ACCESSIBLE_TH = 1
const FLAG_ENTREPRISE_ADAPTEE = 2
const FLAG_HANDI_ENGAGE = 4
const FLAG_MANQUE_CANDIDATS = 8
const FLAG_MRS = 16

const EXIGENCES = ['', 'D', 'S', 'E'] as const
const SALARY_PERIODS: readonly SalaryPeriod[] = ['M', 'A', 'H', 'C']

/** Below this share of the corpus, a criterion's postings are a cheaper start than a full scan. */
const SELECTIVE_SHARE = 0.25

/** The documents found by a search, in result order for the asked window. */
export interface IndexSearchResult {
  readonly total: number
  readonly docs: Uint32Array
  readonly facets: readonly FacetCounts[]
}

/** A computed search: everything but the window, valid while the index version is unchanged. */
interface CachedResult {
  readonly version: number
  readonly total: number
  readonly facets: readonly FacetCounts[]
  /** The first matches in result order (at least up to the window asked for). */
  readonly ordered: Uint32Array
}

/** The original's page size. */
const MAX_PAGE = 150

/** The table that accepts live documents in `keepWhere` on the alive column. */
const ALIVE = Uint8Array.of(0, 1)

/*
 * The passes below are plain loops over typed arrays, one function per kind of test: a generic
 * pass taking a test function would call it indirectly for each of up to a million documents.
 */

/** Keeps the candidates whose value in `column` is accepted by `allowed` (a table indexed by value). */
function keepWhere(candidates: Candidates, column: Uint8Array | Uint16Array, allowed: Uint8Array): void {
  const { docs, scores } = candidates
  let kept = 0
  if (scores) {
    for (let i = 0; i < candidates.count; i++) {
      const doc = docs[i]!
      docs[kept] = doc
      scores[kept] = scores[i]!
      kept += allowed[column[doc]!]!
    }
  } else {
    // Branch-free, as in `everything`.
    for (let i = 0; i < candidates.count; i++) {
      const doc = docs[i]!
      docs[kept] = doc
      kept += allowed[column[doc]!]!
    }
  }
  candidates.count = kept
}

/** Keeps the candidates whose value lies in [min, max]. */
function keepBetween(candidates: Candidates, column: Uint16Array | Float64Array, min: number, max: number): void {
  const { docs, scores } = candidates
  let kept = 0
  for (let i = 0; i < candidates.count; i++) {
    const doc = docs[i]!
    const value = column[doc]!
    if (value >= min && value <= max) {
      docs[kept] = doc
      if (scores) scores[kept] = scores[i]!
      kept++
    }
  }
  candidates.count = kept
}

/** Keeps the candidates having at least one of the bits of `mask`. */
function keepAnyBit(candidates: Candidates, column: Uint8Array | Uint16Array | Uint32Array, mask: number): void {
  const { docs, scores } = candidates
  let kept = 0
  for (let i = 0; i < candidates.count; i++) {
    const doc = docs[i]!
    if ((column[doc]! & mask) !== 0) {
      docs[kept] = doc
      if (scores) scores[kept] = scores[i]!
      kept++
    }
  }
  candidates.count = kept
}

/** Keeps the candidates having all the bits of `mask`. */
function keepAllBits(candidates: Candidates, column: Uint8Array, mask: number): void {
  const { docs, scores } = candidates
  let kept = 0
  for (let i = 0; i < candidates.count; i++) {
    const doc = docs[i]!
    if ((column[doc]! & mask) === mask) {
      docs[kept] = doc
      if (scores) scores[kept] = scores[i]!
      kept++
    }
  }
  candidates.count = kept
}

/** Keeps the candidates in a set. */
function keepMembers(candidates: Candidates, members: Bitset): void {
  const { docs, scores } = candidates
  let kept = 0
  for (let i = 0; i < candidates.count; i++) {
    const doc = docs[i]!
    if (members.has(doc)) {
      docs[kept] = doc
      if (scores) scores[kept] = scores[i]!
      kept++
    }
  }
  candidates.count = kept
}

/** A small least-recently-used map. */
class LruCache<V> {
  private readonly entries = new Map<string, V>()

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key)
    if (value !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, value)
    }
    return value
  }

  set(key: string, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
  }
}

interface Candidates {
  docs: Uint32Array
  count: number
  scores: Uint16Array | undefined
  /** Dead documents and the facet criteria were already filtered out while listing. */
  prefiltered?: boolean
  /** The list covers exactly the creation date bounds. */
  dateExact?: boolean
}

/** Postings of a single-valued column, kept per value so that a filter can start from them. */
class ValuePostings {
  private readonly lists: Postings[] = []

  add(value: number, doc: number): void {
    let list = this.lists[value]
    if (!list) {
      list = new Postings(false)
      this.lists[value] = list
    }
    list.push(doc)
  }

  sizeOf(values: Iterable<number>): number {
    let size = 0
    for (const value of values) size += this.lists[value]?.length ?? 0
    return size
  }

  /**
   * Sorted, distinct documents holding any of the values. Large unions of many lists (a radius
   * around Paris: hundreds of communes) go through a bitset instead of a sort.
   */
  union(values: Iterable<number>, universe = 0): Uint32Array {
    const parts: Postings[] = []
    let size = 0
    for (const value of values) {
      const list = this.lists[value]
      if (list && list.length > 0) {
        parts.push(list)
        size += list.length
      }
    }
    if (parts.length <= 4) {
      // A few sorted lists: merged, no sort.
      let merged: Uint32Array = new Uint32Array(0)
      for (const part of parts) merged = mergeUnion(merged, part.docs.subarray(0, part.length))
      return merged
    }
    if (universe > 0 && size > universe / 64) {
      const members = new Bitset(universe)
      for (const part of parts) members.addAll(part.docs.subarray(0, part.length))
      return members.toArray()
    }
    const docs = new Uint32Array(size)
    let at = 0
    for (const part of parts) {
      docs.set(part.docs.subarray(0, part.length), at)
      at += part.length
    }
    if (parts.length > 1) {
      docs.sort()
      return dedupeSorted(docs)
    }
    return docs
  }

  trim(): void {
    for (const list of this.lists) list?.trim()
  }

  /** Renames every document (see `Postings.renumber`). */
  renumber(rank: Uint32Array, naturalEnd: number): void {
    for (const list of this.lists) list?.renumber(rank, naturalEnd)
  }
}

/** The sorted union of two sorted lists of distinct values, always a new array (callers narrow it in place). */
function mergeUnion(a: Uint32Array, b: Uint32Array): Uint32Array {
  if (b.length === 0) return a.slice()
  if (a.length === 0) return b.slice()
  const merged = new Uint32Array(a.length + b.length)
  let i = 0
  let j = 0
  let at = 0
  while (i < a.length && j < b.length) {
    const x = a[i]!
    const y = b[j]!
    if (x < y) {
      merged[at++] = x
      i++
    } else if (y < x) {
      merged[at++] = y
      j++
    } else {
      merged[at++] = x
      i++
      j++
    }
  }
  while (i < a.length) merged[at++] = a[i++]!
  while (j < b.length) merged[at++] = b[j++]!
  return merged.subarray(0, at)
}

function dedupeSorted(docs: Uint32Array): Uint32Array {
  let out = 0
  for (let i = 0; i < docs.length; i++) {
    if (i === 0 || docs[i] !== docs[i - 1]) docs[out++] = docs[i]!
  }
  return out === docs.length ? docs : docs.subarray(0, out)
}

/** First index in `docs[from..]` holding a value ≥ target (galloping then binary search). */
function gallop(docs: Uint32Array, length: number, from: number, target: number): number {
  let step = 1
  let hi = from
  while (hi < length && docs[hi]! < target) {
    from = hi + 1
    hi += step
    step *= 2
  }
  if (hi > length) hi = length
  let lo = from
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (docs[mid]! < target) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * The in-memory search index over the active offers: one row of typed-array columns per offer,
 * postings for the words of the searchable fields and for the selective codes, and the offer
 * bodies in a `BodyStore`. A search starts from the most selective postings, narrows the
 * candidates with one tight pass per criterion, counts the facets and orders the window.
 *
 * Offers are numbered in arrival order. The documents `0 … naturalEnd - 1` (the prefix) are
 * numbered in the natural order (creation date, then origin, then id, all descending): there the
 * number is also the date order, so a date range is a range of numbers and the date sort needs no
 * sorting. The documents after it (the tail: offers deposited or updated since the last
 * renumbering, normally few) are in any order; each fast path orders the tail's matches on its own
 * and merges them with the prefix's, which are already in order. When the tail grows past
 * `maxTail()`, the next addition renumbers every document in the natural order.
 */
export class OfferIndex {
  /**
   * Offer ids by slot. A document's slot is the number it got when added and never changes, so
   * that renumbering leaves the ids and the map from id to slot alone: with a million offers,
   * rewriting them took most of a renumbering. There is one slot per document: `ids.length` is
   * the number of documents.
   */
  private readonly ids: string[] = []
  /** The slot of each served offer, by id. */
  private readonly slotById = new Map<string, number>()
  /** The current number of the document of each slot (not a per-document column: never permuted). */
  private readonly docOfSlot = new Column(Uint32Array)
  /** Every per-document column, so that renumbering can reorder them all. */
  private readonly columns: Column<Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>[] = []
  private readonly alive = this.column(Uint8Array)
  private readonly slot = this.column(Uint32Array)
  private liveCount = 0
  /** Documents below this number are numbered in the natural order; the others form the tail. */
  private naturalEnd = 0
  /** Set by `finishLoad`: from then on the tail is kept in order and renumbered when long (see `add`). */
  private loadFinished = false
  /**
   * The tail's documents in the natural order: searches pick the tail's matches from it in order
   * instead of sorting them. Kept as documents are added once the load is over; before, the tail
   * may be the whole corpus, so it is only sorted when a search needs it (see `sortedTail`).
   */
  private readonly tailOrder = new Column(Uint32Array)
  /** Marks on the tail's documents (by `doc - naturalEnd`) while a search picks its matches; cleared after. */
  private tailMarks = new Uint8Array(0)

  private readonly date = this.column(Float64Array)
  private readonly origine = this.column(Uint8Array)
  private readonly type = this.column(Uint8Array)
  private readonly nature = this.column(Uint8Array)
  private readonly exigence = this.column(Uint8Array)
  private readonly experience = this.column(Uint8Array)
  private readonly qualification = this.column(Uint8Array)
  private readonly rome = this.column(Uint16Array)
  private readonly naf = this.column(Uint16Array)
  private readonly secteur = this.column(Uint8Array)
  private readonly commune = this.column(Int32Array)
  private readonly departement = this.column(Uint8Array)
  private readonly region = this.column(Uint8Array)
  private readonly pays = this.column(Uint16Array)
  private readonly continent = this.column(Uint8Array)
  private readonly latitude = this.column(Float64Array)
  private readonly longitude = this.column(Float64Array)
  private readonly niveaux = this.column(Uint16Array)
  private readonly permis = this.column(Uint32Array)
  private readonly salaryPeriod = this.column(Uint8Array)
  private readonly salaryHigh = this.column(Float64Array)
  private readonly salaryMonths = this.column(Float64Array)
  private readonly weekly = this.column(Uint16Array)
  private readonly contractMonths = this.column(Float64Array)
  private readonly dureeHebdo = this.column(Uint8Array)
  private readonly flags = this.column(Uint8Array)
  private readonly partner = this.column(Int32Array)
  private readonly extraPartners = new Map<number, number[]>()
  /** The four facet values of each document packed in one number (see `facetKey`). */
  private readonly facetKey = this.column(Uint16Array)
  private readonly bodyPosition = this.column(Float64Array)
  private readonly bodyLength = this.column(Uint32Array)

  private readonly types: Dictionary
  private readonly natures: Dictionary
  private readonly romes: Dictionary
  private readonly nafs: Dictionary
  private readonly secteurs: Dictionary
  private readonly communes: Dictionary
  private readonly departements: Dictionary
  private readonly regions: Dictionary
  private readonly paysCodes: Dictionary
  private readonly continents: Dictionary
  private readonly niveauCodes: Dictionary
  private readonly permisCodes: Dictionary
  private readonly partners = new Dictionary()
  private readonly appellationCodes = new Dictionary()

  /** Postings of each term, by term number (`TERMS`). */
  private readonly terms: (Postings | undefined)[] = []
  private readonly byRome = new ValuePostings()
  private readonly byAppellation = new ValuePostings()
  private readonly byCommune = new ValuePostings()
  private readonly byDepartement = new ValuePostings()
  private readonly byRegion = new ValuePostings()
  private readonly byNaf = new ValuePostings()
  private readonly byType = new ValuePostings()
  private readonly byNature = new ValuePostings()
  /** Offers located by coordinates only (no known commune): always examined by a radius search. */
  private readonly pointOnly = new Postings(false)

  private readonly facetCombinations = new Uint32Array(1 << 15)
  /** Served documents per combination of facet values, kept as documents come and go. */
  private readonly liveCombinations = new Uint32Array(1 << 15)
  /** Reused by searches that start from every document. */
  private scratch = new Uint32Array(0)
  private readonly communeLatitude: Float64Array
  private readonly communeLongitude: Float64Array
  /** Arrondissements of Paris, Lyon and Marseille by the number of their city. */
  private readonly cityMembers = new Map<number, number[]>()
  /** Commune numbers by increasing latitude, and those latitudes: radius searches scan a band. */
  private readonly communesByLatitude: Int32Array
  private readonly sortedLatitudes: Float64Array

  /** Served offers per term, appellation and commune, for spelling correction and suggestions. */
  readonly vocabulary = new LiveVocabulary()

  /** Recent searches; any change to the index makes them stale (see `version`). */
  private readonly results: LruCache<CachedResult> | undefined
  /** Incremented by every change, so that cached results of an older state are not served. */
  private version = 0

  /**
   * @param options.cachedSearches how many recent searches to keep (0: none), default 1000 (at most
   *   about 13 MB: the ordered matches of a search are capped by the window limits).
   */
  constructor(
    private readonly referentials: Referentials,
    private readonly bodies: BodyStore,
    options: { cachedSearches?: number } = {},
  ) {
    const cachedSearches = options.cachedSearches ?? 1000
    this.results = cachedSearches > 0 ? new LruCache(cachedSearches) : undefined
    this.types = new Dictionary(referentials.typesContrats.keys())
    this.natures = new Dictionary(referentials.naturesContrats.keys())
    this.romes = new Dictionary(referentials.metiers.keys())
    this.nafs = new Dictionary(referentials.nafs.keys())
    this.secteurs = new Dictionary(referentials.secteursActivites.keys())
    this.communes = new Dictionary(referentials.communes.keys())
    this.departements = new Dictionary(referentials.departements.keys())
    this.regions = new Dictionary(referentials.regions.keys())
    this.paysCodes = new Dictionary(referentials.pays.keys())
    this.continents = new Dictionary(referentials.continents.keys())
    this.niveauCodes = new Dictionary(referentials.niveauxFormations.keys())
    this.permisCodes = new Dictionary(referentials.permis.keys())
    const communes = [...referentials.communes.values()]
    this.communeLatitude = Float64Array.from(communes, (commune) => commune.latitude)
    this.communeLongitude = Float64Array.from(communes, (commune) => commune.longitude)
    communes.forEach((commune, number) => {
      const city = commune.parent === undefined ? undefined : this.communes.get(commune.parent)
      if (city !== undefined) this.cityMembers.set(city, [...(this.cityMembers.get(city) ?? []), number])
    })
    this.communesByLatitude = Int32Array.from(communes.keys()).sort(
      (a, b) => this.communeLatitude[a]! - this.communeLatitude[b]!,
    )
    this.sortedLatitudes = Float64Array.from(this.communesByLatitude, (number) => this.communeLatitude[number]!)
    if (this.niveauCodes.size > 16 || this.permisCodes.size > 32) {
      throw new Error('Too many education levels or licences for the bitmask columns')
    }
  }

  private column<T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(
    Kind: new (length: number) => T,
  ): Column<T> {
    const column = new Column(Kind)
    this.columns.push(column)
    return column
  }

  /** Changes with every addition or removal: results computed at another version are stale. */
  get stateVersion(): number {
    return this.version
  }

  /** Number of offers served. */
  get size(): number {
    return this.liveCount
  }

  /** Whether an offer with this id is served. */
  has(id: string): boolean {
    return this.slotById.has(id)
  }

  /**
   * Adds an offer (or replaces the one with the same id). Returns its document number.
   */
  add(features: OfferFeatures, body: string | Buffer): number {
    const previous = this.docOf(features.id)
    if (previous !== undefined) this.removeDoc(previous)
    this.version++
    const doc = this.ids.length
    this.ids.push(features.id)
    this.slotById.set(features.id, doc)
    this.docOfSlot.push(doc)
    this.slot.push(doc)
    this.alive.push(1)
    this.liveCount++

    const code8 = (dictionary: Dictionary, code: string | undefined) =>
      code === undefined ? NONE8 : Math.min(dictionary.intern(code), NONE8 - 1)
    const code16 = (dictionary: Dictionary, code: string | undefined) =>
      code === undefined ? NONE16 : Math.min(dictionary.intern(code), NONE16 - 1)

    this.date.push(features.dateCreation)
    this.origine.push(features.origine === '1' ? 1 : 2)
    this.type.push(code8(this.types, features.typeContrat))
    this.nature.push(code8(this.natures, features.natureContrat))
    this.exigence.push(features.experienceExige === undefined ? 0 : EXIGENCES.indexOf(features.experienceExige))
    this.experience.push(Number(features.experience))
    this.qualification.push(/^[1-9]$/.test(features.qualification ?? '') ? Number(features.qualification) : 0)
    const rome = code16(this.romes, features.romeCode)
    this.rome.push(rome)
    if (rome !== NONE16) this.byRome.add(rome, doc)
    const naf = code16(this.nafs, features.codeNaf)
    this.naf.push(naf)
    if (naf !== NONE16) this.byNaf.add(naf, doc)
    this.byType.add(this.type.values[doc]!, doc)
    if (this.nature.values[doc] !== NONE8) this.byNature.add(this.nature.values[doc]!, doc)
    this.secteur.push(code8(this.secteurs, features.secteurActivite))
    const commune = features.commune === undefined ? -1 : this.communes.intern(features.commune)
    this.commune.push(commune)
    if (commune >= 0) this.byCommune.add(commune, doc)
    const departement = code8(this.departements, features.departement)
    this.departement.push(departement)
    if (departement !== NONE8) this.byDepartement.add(departement, doc)
    const region = code8(this.regions, features.region)
    this.region.push(region)
    if (region !== NONE8) this.byRegion.add(region, doc)
    this.pays.push(code16(this.paysCodes, features.pays))
    this.continent.push(code8(this.continents, features.continent))
    this.latitude.push(features.latitude ?? Number.NaN)
    this.longitude.push(features.longitude ?? Number.NaN)
    if (commune < 0 && features.latitude !== undefined && features.longitude !== undefined) this.pointOnly.push(doc)

    let niveaux = 0
    for (const code of features.niveauxFormation) {
      const bit = this.niveauCodes.get(code)
      if (bit !== undefined) niveaux |= 1 << bit
    }
    this.niveaux.push(niveaux)
    let permis = 0
    for (const code of features.permis) {
      const bit = this.permisCodes.get(code)
      if (bit !== undefined) permis |= 1 << bit
    }
    this.permis.push(permis >>> 0)

    const salary = features.salary
    this.salaryPeriod.push(salary ? SALARY_PERIODS.indexOf(salary.period) + 1 : 0)
    this.salaryHigh.push(salary?.high ?? 0)
    this.salaryMonths.push(salary?.months ?? 0)
    this.weekly.push(features.weeklyMinutes ?? 0)
    this.contractMonths.push(features.contractMonths ?? Number.NaN)
    this.dureeHebdo.push(Number(features.dureeHebdo))
    this.flags.push(
      (features.accessibleTH ? FLAG_ACCESSIBLE_TH : 0) |
        (features.entrepriseAdaptee ? FLAG_ENTREPRISE_ADAPTEE : 0) |
        (features.employeurHandiEngage ? FLAG_HANDI_ENGAGE : 0) |
        (features.offresManqueCandidats ? FLAG_MANQUE_CANDIDATS : 0) |
        (features.mrs ? FLAG_MRS : 0),
    )
    const partners = features.partners.map((name) => this.partners.intern(name))
    this.partner.push(partners[0] ?? -1)
    if (partners.length > 1) this.extraPartners.set(doc, partners.slice(1))
    for (const code of features.appellations) this.byAppellation.add(this.appellationCodes.intern(code), doc)

    const { ids: termIds, weights } = features.terms
    for (let i = 0; i < termIds.length; i++) {
      const term = termIds[i]!
      let postings = this.terms[term]
      if (!postings) {
        postings = new Postings(true)
        this.terms[term] = postings
      }
      postings.push(doc, weights[i])
    }

    this.vocabulary.added(doc, features, body)
    const stored = this.bodies.append(body)
    const key = facetKey(
      this.type.values[doc]!,
      this.experience.values[doc]!,
      this.qualification.values[doc]!,
      this.nature.values[doc]!,
    )
    this.facetKey.push(key)
    this.liveCombinations[key]!++
    this.bodyPosition.push(stored.position)
    this.bodyLength.push(stored.length)
    // The prefix grows while documents keep arriving in the natural order (a load in that order,
    // or a deposit older than everything); the first one out of order starts the tail.
    if (this.naturalEnd === doc && (doc === 0 || this.compareDocs(doc - 1, doc) <= 0)) this.naturalEnd = doc + 1
    if (doc >= this.naturalEnd) this.orderInTail(doc)
    if (this.loadFinished && this.ids.length - this.naturalEnd > this.maxTail()) {
      this.renumber()
      return this.docOf(features.id)!
    }
    return doc
  }

  /** Inserts a document just added to the tail in `tailOrder`, if that is kept (binary search, one shift). */
  private orderInTail(doc: number): void {
    const order = this.tailOrder
    if (!this.loadFinished || order.length !== doc - this.naturalEnd) return
    let lo = 0
    let hi = order.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (this.compareDocs(order.values[mid]!, doc) < 0) lo = mid + 1
      else hi = mid
    }
    order.push(doc)
    order.values.copyWithin(lo + 1, lo, order.length - 1)
    order.values[lo] = doc
  }

  /** The tail's documents in the natural order (sorted now if they were not kept in order). */
  private sortedTail(): Uint32Array {
    const size = this.ids.length - this.naturalEnd
    if (this.tailOrder.length !== size) {
      this.tailOrder.length = 0
      this.tailOrder.ensure(size)
      this.tailOrder.values.set(this.sortTail())
      this.tailOrder.length = size
    }
    return this.tailOrder.values.subarray(0, size)
  }

  /** The tail's documents sorted in the natural order, in a new array. */
  private sortTail(): Uint32Array {
    const end = this.naturalEnd
    return Uint32Array.from({ length: this.ids.length - end }, (_, i) => end + i).sort((a, b) => this.compareDocs(a, b))
  }

  /** The first `wanted` of some tail documents (`candidates`, any order) in the natural order. */
  private tailInOrder(candidates: Uint32Array, wanted: number): Uint32Array {
    const end = this.naturalEnd
    const order = this.sortedTail()
    if (this.tailMarks.length < order.length) this.tailMarks = new Uint8Array(Math.max(order.length, this.tailMarks.length * 2))
    const marks = this.tailMarks
    for (const doc of candidates) marks[doc - end] = 1
    const picked = new Uint32Array(Math.min(wanted, candidates.length))
    for (let i = 0, found = 0; found < picked.length; i++) {
      const doc = order[i]!
      if (marks[doc - end] === 1) picked[found++] = doc
    }
    for (const doc of candidates) marks[doc - end] = 0
    return picked
  }

  /**
   * How long the tail may grow before `add` renumbers: 1 % of the documents, at least 1,000 and at
   * most 50,000. A search walks the tail in `tailOrder` or compares its matching documents (scored
   * and distance sorts), which a tail of 10,000 among a million offers leaves unnoticeable; a
   * renumbering is a pass over every column and postings list, measured at 0.27 to 0.4 s for a
   * million offers and a tail of 10,000 (about 30 µs per deposit). It runs synchronously, in the
   * `add` that crosses the limit: deferring it to an idle moment would not make it shorter (it
   * blocks the event loop either way, and cutting it in slices would need a second copy of the
   * index), and would make the numbering depend on timing.
   */
  private maxTail(): number {
    return Math.min(50_000, Math.max(1000, Math.floor(this.ids.length / 100)))
  }

  /**
   * Documents numbered in the natural order (the prefix) and documents appended after them out of
   * that order since the last renumbering (the tail). For diagnostics and tests.
   */
  get numbering(): { readonly prefix: number; readonly tail: number } {
    return { prefix: this.naturalEnd, tail: this.ids.length - this.naturalEnd }
  }

  /** Stops serving an offer; returns whether it was served. */
  remove(id: string): boolean {
    const doc = this.docOf(id)
    if (doc === undefined) return false
    this.removeDoc(doc)
    return true
  }

  private removeDoc(doc: number): void {
    if (this.alive.values[doc] === 1) {
      this.version++
      this.alive.values[doc] = 0
      this.liveCombinations[this.facetKey.values[doc]!]!--
      this.liveCount--
      this.slotById.delete(this.ids[this.slot.values[doc]!]!)
      const body = Buffer.allocUnsafe(this.bodyLength.values[doc]!)
      this.copyBody(doc, body, 0)
      this.vocabulary.removed(this.slot.values[doc]!, body)
    }
  }

  /**
   * Ends a bulk load: numbers the documents in the natural order if they did not arrive in it
   * (date, origin, id, all descending), then releases the spare capacity of the postings.
   */
  finishLoad(): void {
    this.version++
    if (this.naturalEnd < this.ids.length) this.renumber()
    this.compact()
    this.loadFinished = true
  }

  /**
   * Renumbers every document in the natural order: columns, slots, postings. The prefix is
   * already in that order, so only the tail is sorted; its documents are then merged into the
   * prefix, and each postings list is renamed and merged the same way (its prefix part stays
   * sorted under the renaming). The cost is linear in the documents and postings, plus the sort
   * of the tail.
   */
  private renumber(): void {
    const count = this.ids.length
    if (count >= 2 ** 24) throw new RangeError('Renumbering supports up to 16,777,215 documents')
    this.version++
    const end = this.naturalEnd
    // Kept in order after the load; sorted here (not kept) at the end of a load out of order.
    const tail = this.tailOrder.length === count - end ? this.tailOrder.values.slice(0, count - end) : this.sortTail()
    this.tailOrder.length = 0
    // Each tail document goes before the prefix document `before[k]` (binary search from the last one).
    const before = new Uint32Array(tail.length)
    let lo = 0
    for (let k = 0; k < tail.length; k++) {
      let hi = end
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (this.compareDocs(mid, tail[k]!) < 0) lo = mid + 1
        else hi = mid
      }
      before[k] = lo
    }
    const order = new Uint32Array(count)
    let at = 0
    for (let k = 0, doc = 0; k <= tail.length; k++) {
      const to = k < tail.length ? before[k]! : end
      while (doc < to) order[at++] = doc++
      if (k < tail.length) order[at++] = tail[k]!
    }
    const rank = new Uint32Array(count)
    for (let position = 0; position < count; position++) rank[order[position]!] = position
    // A short tail leaves long runs of the prefix, moved whole; a long one (a load out of order)
    // leaves hardly any, hence a copy value by value.
    if (tail.length * 4 <= count) {
      for (const column of this.columns) column.insertTail(end, tail, before)
    } else {
      for (const column of this.columns) column.permute(order)
    }
    const docOfSlot = this.docOfSlot.values
    for (let slot = 0; slot < count; slot++) docOfSlot[slot] = rank[docOfSlot[slot]!]!
    const extras = [...this.extraPartners]
    this.extraPartners.clear()
    for (const [doc, partners] of extras) this.extraPartners.set(rank[doc]!, partners)
    for (const postings of this.terms) postings?.renumber(rank, end)
    for (const postings of [this.byRome, this.byAppellation, this.byCommune, this.byDepartement, this.byRegion, this.byNaf, this.byType, this.byNature]) {
      postings.renumber(rank, end)
    }
    this.pointOnly.renumber(rank, end)
    this.naturalEnd = count
  }

  /** Releases the spare capacity of the postings once a bulk load is over. */
  private compact(): void {
    for (const postings of this.terms) postings?.trim()
    for (const postings of [this.byRome, this.byAppellation, this.byCommune, this.byDepartement, this.byRegion, this.byNaf, this.byType, this.byNature]) {
      postings.trim()
    }
  }

  /** The natural order of two documents: negative when `a` comes first (date, origin, id, all descending). */
  private compareDocs(a: number, b: number): number {
    const dates = this.date.values
    if (dates[a] !== dates[b]) return dates[b]! - dates[a]!
    const origins = this.origine.values
    if (origins[a] !== origins[b]) return origins[b]! - origins[a]!
    const idA = this.ids[this.slot.values[a]!]!
    const idB = this.ids[this.slot.values[b]!]!
    return idA > idB ? -1 : idA < idB ? 1 : 0
  }

  /** The id of a document number. */
  idOf(doc: number): string {
    return this.ids[this.slot.values[doc]!]!
  }

  /** The document number of a served offer. */
  docOf(id: string): number | undefined {
    const slot = this.slotById.get(id)
    return slot === undefined ? undefined : this.docOfSlot.values[slot]
  }

  /** Byte length of a document's body. */
  bodyLengthOf(doc: number): number {
    return this.bodyLength.values[doc]!
  }

  /** Copies a document's JSON body into `target` at `offset`; returns the offset after it. */
  copyBody(doc: number, target: Buffer, offset: number): number {
    const length = this.bodyLength.values[doc]!
    this.bodies.readInto(this.bodyPosition.values[doc]!, length, target, offset)
    return offset + length
  }

  /** The JSON body of a served offer, or undefined. */
  body(id: string): Buffer | undefined {
    const doc = this.docOf(id)
    if (doc === undefined) return undefined
    const target = Buffer.allocUnsafe(this.bodyLength.values[doc]!)
    this.copyBody(doc, target, 0)
    return target
  }

  /**
   * Runs a search: the total number of matches, the facets over all of them and the documents of
   * the window in result order. Recent searches are answered from a cache unless `cache: false`.
   */
  search(query: SearchQuery, window: ResultWindow, options: { cache?: boolean } = {}): IndexSearchResult {
    const results = options.cache === false ? undefined : this.results
    const key = results ? JSON.stringify(query) : ''
    let result = results?.get(key)
    if (!result || result.version !== this.version || (result.ordered.length <= window.end && result.ordered.length < result.total)) {
      result = this.run(query, window)
      results?.set(key, result)
    }
    const end = Math.min(window.end + 1, result.total)
    return {
      total: result.total,
      docs: window.start >= end ? new Uint32Array(0) : result.ordered.subarray(window.start, end),
      facets: result.facets,
    }
  }

  private run(query: SearchQuery, window: ResultWindow): CachedResult {
    const onFacets = this.facetOnly(query)
    if (onFacets) return this.runOnFacets(onFacets, window)
    const geo = query.geo ? this.resolveGeo(query.geo) : undefined
    const candidates = this.candidates(query, geo)
    if (candidates.count > 0) this.narrow(candidates, query, geo)
    const facets = this.countFacets(candidates)
    const total = candidates.count
    // A first page is ordered a little deeper so that the next page usually comes from the cache.
    const wanted = Math.min(total, Math.max(window.end + 1, window.start === 0 ? 2 * MAX_PAGE : 0))
    const ordered = total === 0 || window.start >= total ? new Uint32Array(0) : this.order(candidates, query, geo, wanted)
    return { version: this.version, total, facets, ordered }
  }

  /**
   * For a search on contract type, nature, experience and qualification only (and the default
   * search, on nothing), the table of facet combinations that match; undefined otherwise. Such
   * searches — the broadest, so the costliest to scan — are answered from the live counts of
   * facet combinations, and their window from the first matching documents in date order.
   */
  private facetOnly(query: SearchQuery): Uint8Array | undefined {
    for (const key of Object.keys(query) as (keyof SearchQuery)[]) {
      if (key !== 'sort' && key !== 'typesContrat' && key !== 'naturesContrat' && key !== 'experiences' && key !== 'qualifications') {
        return undefined
      }
    }
    return this.facetKeysAllowed(query)
  }

  /** Which packed facet keys satisfy the contract, experience and qualification criteria. */
  private facetKeysAllowed(query: SearchQuery): Uint8Array {
    const types = new Uint8Array(TYPE_SLOTS)
    for (const code of query.typesContrat ?? []) {
      const number = this.types.get(code)
      if (number !== undefined && number < TYPE_SLOTS - 1) types[number] = 1
    }
    const natures = new Uint8Array(NATURE_SLOTS)
    for (const code of query.naturesContrat ?? []) {
      const number = this.natures.get(code)
      if (number !== undefined && number < NATURE_SLOTS - 1) natures[number] = 1
    }
    const contract = query.typesContrat !== undefined || query.naturesContrat !== undefined
    const experiences = query.experiences?.map(Number)
    const groups: number[] | undefined = query.qualifications?.map((value) => (value === '9' ? 2 : 1))
    const allowed = new Uint8Array(1 << 15)
    for (let key = 0; key < allowed.length; key++) {
      if (contract && types[key >>> 10] !== 1 && natures[key & 63] !== 1) continue
      if (experiences && !experiences.includes((key >>> 8) & 3)) continue
      if (groups && !groups.includes((key >>> 6) & 3)) continue
      allowed[key] = 1
    }
    return allowed
  }

  private runOnFacets(allowed: Uint8Array, window: ResultWindow): CachedResult {
    const combinations = this.facetCombinations
    let total = 0
    for (let key = 0; key < combinations.length; key++) {
      if (allowed[key] === 1) {
        combinations[key] = this.liveCombinations[key]!
        total += combinations[key]!
      } else {
        combinations[key] = 0
      }
    }
    const facets = this.foldFacets(combinations)
    const wanted = Math.min(total, Math.max(window.end + 1, window.start === 0 ? 2 * MAX_PAGE : 0))
    const size = window.start >= total ? 0 : wanted
    const alive = this.alive.values
    const keys = this.facetKey.values
    // The first matches of the prefix are its first matching documents, those of the tail its
    // first ones in `tailOrder`; the two are merged.
    const first = new Uint32Array(size)
    let found = 0
    for (let doc = 0; found < size && doc < this.naturalEnd; doc++) {
      if (alive[doc] === 1 && allowed[keys[doc]!] === 1) first[found++] = doc
    }
    if (size === 0 || this.naturalEnd === this.ids.length) return { version: this.version, total, facets, ordered: first }
    const tail = new Uint32Array(size)
    let inTail = 0
    for (const doc of this.sortedTail()) {
      if (inTail === size) break
      if (alive[doc] === 1 && allowed[keys[doc]!] === 1) tail[inTail++] = doc
    }
    const ordered = mergeOrdered(first.subarray(0, found), tail.subarray(0, inTail), size, (a, b) => this.compareDocs(a, b))
    return { version: this.version, total, facets, ordered }
  }

  // ---------------------------------------------------------------------------------- candidates

  private resolveGeo(filter: GeoFilter): ResolvedGeo {
    const allowed = new Uint8Array(this.communes.size)
    const communes: number[] = []
    const allow = (commune: number) => {
      if (allowed[commune] === 0) {
        allowed[commune] = 1
        communes.push(commune)
      }
    }
    const withMembers = (commune: number) => {
      allow(commune)
      for (const member of this.cityMembers.get(commune) ?? []) allow(member)
    }
    for (const code of filter.wholeCities) {
      const city = this.communes.get(code)
      if (city !== undefined) withMembers(city)
    }
    for (const centre of filter.centres) {
      if (filter.radiusKm === 0) {
        const commune = this.communes.get(centre.commune)
        if (commune !== undefined) withMembers(commune)
        continue
      }
      // A point farther in latitude than the radius is farther in distance: only the band is measured.
      const band = filter.radiusKm / KM_PER_DEGREE_OF_LATITUDE + 1e-6
      const latitudes = this.sortedLatitudes
      let at = lowerBound(latitudes, centre.latitude - band)
      for (; at < latitudes.length && latitudes[at]! <= centre.latitude + band; at++) {
        const commune = this.communesByLatitude[at]!
        const distance = distanceKm(centre.latitude, centre.longitude, latitudes[at]!, this.communeLongitude[commune]!)
        if (distance <= filter.radiusKm) allow(commune)
      }
    }
    communes.sort((a, b) => a - b)
    return { filter, allowed, communes }
  }

  /** The starting set: keyword postings, else the most selective code postings, else everything. */
  private candidates(query: SearchQuery, geo: ResolvedGeo | undefined): Candidates {
    if (query.keywords && query.keywords.length > 0) {
      if (!query.extendedKeywords) return this.keywordCandidates(query.keywords)
      const postingsOf = (term: string) => {
        const number = TERMS.get(term)
        return number === undefined ? undefined : this.terms[number]
      }
      const appellationDocs = (codes: readonly string[]) =>
        this.byAppellation.union(codes.flatMap((code) => this.known(this.appellationCodes, code)), this.ids.length)
      return extendedKeywordCandidates(query.keywords, query.extendedKeywords, postingsOf, appellationDocs)
    }
    const options: { size: number; docs: () => Uint32Array }[] = []
    const consider = (postings: ValuePostings, values: number[] | undefined, extra?: Postings) => {
      if (values === undefined) return
      options.push({
        size: postings.sizeOf(values) + (extra?.length ?? 0),
        docs: () => {
          const docs = postings.union(values, this.ids.length)
          if (!extra || extra.length === 0) return docs
          const merged = new Uint32Array(docs.length + extra.length)
          merged.set(docs)
          merged.set(extra.docs.subarray(0, extra.length), docs.length)
          return dedupeSorted(merged.sort())
        },
      })
    }
    consider(this.byRome, this.romeNumbers(query))
    consider(this.byAppellation, query.appellations?.flatMap((code) => this.known(this.appellationCodes, code)))
    if (geo) consider(this.byCommune, geo.communes, geo.filter.radiusKm > 0 ? this.pointOnly : undefined)
    consider(this.byDepartement, query.departements?.flatMap((code) => this.known(this.departements, code)))
    consider(this.byRegion, query.regions?.flatMap((code) => this.known(this.regions, code)))
    consider(this.byNaf, query.codesNaf?.flatMap((code) => this.known(this.nafs, code)))
    if (query.typesContrat || query.naturesContrat) {
      // typeContrat OR natureContrat: the union of both lists.
      const types = (query.typesContrat ?? []).flatMap((code) => this.known(this.types, code))
      const natures = (query.naturesContrat ?? []).flatMap((code) => this.known(this.natures, code))
      options.push({
        size: this.byType.sizeOf(types) + this.byNature.sizeOf(natures),
        docs: () => mergeUnion(this.byType.union(types, this.ids.length), this.byNature.union(natures, this.ids.length)),
      })
    }
    // The prefix is numbered by creation date: there a date range is a range of numbers.
    const range = this.dateRange(query)
    const tail = range.exact ? this.ids.length - this.naturalEnd : 0
    const best = options.sort((a, b) => a.size - b.size)[0]
    if (best && best.size < Math.min(this.ids.length * SELECTIVE_SHARE, range.to - range.from + tail)) {
      const docs = best.docs()
      return { docs, count: docs.length, scores: undefined }
    }
    const facets = this.facetTable(query)
    if (!range.exact) return this.everything(range.from, range.to, facets)
    const all = this.everything(range.from, range.to, facets, {
      from: query.createdFrom ?? -Infinity,
      to: query.createdTo ?? Infinity,
    })
    all.dateExact = true
    return all
  }

  /**
   * The live documents `from`…`to - 1` passing the facet table if given, in a reused buffer (the
   * caller narrows it in place and copies out). With `tailDates`, `from`…`to - 1` lie in the
   * prefix, and the tail's documents created within those bounds follow them.
   */
  private everything(from: number, to: number, facets?: Uint8Array, tailDates?: { from: number; to: number }): Candidates {
    if (this.scratch.length < this.ids.length) this.scratch = new Uint32Array(Math.ceil(this.ids.length * 1.25))
    const docs = this.scratch
    const alive = this.alive.values
    let count = 0
    // Branch-free: every document is written, the count only moves past the kept ones (a test
    // passing about half the time would otherwise mispredict every other document).
    if (facets) {
      const keys = this.facetKey.values
      for (let doc = from; doc < to; doc++) {
        docs[count] = doc
        count += alive[doc]! & facets[keys[doc]!]!
      }
    } else {
      for (let doc = from; doc < to; doc++) {
        docs[count] = doc
        count += alive[doc]!
      }
    }
    if (tailDates) {
      const dates = this.date.values
      const keys = this.facetKey.values
      for (let doc = this.naturalEnd; doc < this.ids.length; doc++) {
        const date = dates[doc]!
        if (alive[doc] === 1 && date >= tailDates.from && date <= tailDates.to && (!facets || facets[keys[doc]!] === 1)) {
          docs[count++] = doc
        }
      }
    }
    return { docs, count, scores: undefined, prefiltered: true }
  }

  /**
   * The documents that can match the creation date bounds: all of them when there are none (not
   * exact); otherwise the numbers of the prefix's documents within the bounds (exact), to which
   * the tail's own matches are added.
   */
  private dateRange(query: SearchQuery): { from: number; to: number; exact: boolean } {
    if (query.createdFrom === undefined && query.createdTo === undefined) return { from: 0, to: this.ids.length, exact: false }
    const count = this.naturalEnd
    const dates = this.date.values
    // In the prefix, dates decrease with the number: find the first document not newer than
    // createdTo, and the first one older than createdFrom.
    const firstAtOrBefore = (limit: number, strict: boolean) => {
      let lo = 0
      let hi = count
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (strict ? dates[mid]! >= limit : dates[mid]! > limit) lo = mid + 1
        else hi = mid
      }
      return lo
    }
    const from = query.createdTo === undefined ? 0 : firstAtOrBefore(query.createdTo, false)
    const to = query.createdFrom === undefined ? count : firstAtOrBefore(query.createdFrom, true)
    return { from, to: Math.max(from, to), exact: true }
  }

  private known(dictionary: Dictionary, code: string): number[] {
    const number = dictionary.get(code)
    return number === undefined ? [] : [number]
  }

  /** Intersection of the postings of every keyword term, with the summed weights as scores. */
  private keywordCandidates(keywords: SearchQuery['keywords'] & object): Candidates {
    const multiplicity = new Map<string, number>()
    for (const keyword of keywords) {
      for (const term of new Set(keyword)) multiplicity.set(term, (multiplicity.get(term) ?? 0) + 1)
    }
    const lists: { postings: Postings; times: number }[] = []
    for (const [term, times] of multiplicity) {
      const number = TERMS.get(term)
      const postings = number === undefined ? undefined : this.terms[number]
      if (!postings || postings.length === 0) return { docs: new Uint32Array(0), count: 0, scores: undefined }
      lists.push({ postings, times })
    }
    lists.sort((a, b) => a.postings.length - b.postings.length)
    const first = lists[0]
    if (!first) return { ...this.everything(0, this.ids.length), prefiltered: false, scores: new Uint16Array(this.ids.length) }
    const docs = first.postings.docs.slice(0, first.postings.length)
    const scores = new Uint16Array(docs.length)
    const firstWeights = first.postings.weights!
    for (let i = 0; i < docs.length; i++) scores[i] = firstWeights[i]! * first.times
    let count = docs.length
    for (let l = 1; l < lists.length && count > 0; l++) {
      const { postings, times } = lists[l]!
      const weights = postings.weights!
      let at = 0
      let kept = 0
      for (let i = 0; i < count; i++) {
        const doc = docs[i]!
        at = gallop(postings.docs, postings.length, at, doc)
        if (at === postings.length) break
        if (postings.docs[at] === doc) {
          docs[kept] = doc
          scores[kept] = scores[i]! + weights[at]! * times
          kept++
        }
      }
      count = kept
    }
    return { docs, count, scores }
  }

  /** ROME numbers allowed by codeROME, domaine, grandDomaine and theme together, or undefined if unconstrained. */
  private romeNumbers(query: SearchQuery): number[] | undefined {
    if (!query.romeCodes && !query.domaines && !query.grandsDomaines && !query.themes) return undefined
    const numbers: number[] = []
    for (const [code, metier] of this.referentials.metiers) {
      if (query.romeCodes && !query.romeCodes.includes(code)) continue
      if (query.domaines && !query.domaines.includes(metier.domaine)) continue
      if (query.grandsDomaines && !query.grandsDomaines.includes(metier.grandDomaine)) continue
      if (query.themes && !metier.themes.some((theme) => query.themes?.includes(theme))) continue
      const number = this.romes.get(code)
      if (number !== undefined) numbers.push(number)
    }
    return numbers
  }

  // ---------------------------------------------------------------------------------- narrowing

  /** Keeps the candidates that satisfy every criterion, one pass per criterion. */
  private narrow(candidates: Candidates, query: SearchQuery, geo: ResolvedGeo | undefined): void {
    if (!candidates.prefiltered) {
      keepWhere(candidates, this.alive.values, ALIVE)
      const facets = this.facetTable(query)
      if (facets) keepWhere(candidates, this.facetKey.values, facets)
    }
    const table = (dictionary: Dictionary, codes: readonly string[], size = 256) => {
      const allowed = new Uint8Array(size)
      for (const code of codes) {
        const number = dictionary.get(code)
        if (number !== undefined && number < size - 1) allowed[number] = 1
      }
      return allowed
    }
    const romes = this.romeNumbers(query)
    if (romes) {
      const allowed = new Uint8Array(NONE16 + 1)
      for (const number of romes) allowed[number] = 1
      keepWhere(candidates, this.rome.values, allowed)
    }
    if (query.appellations) {
      const members = new Bitset(this.ids.length)
      members.addAll(this.byAppellation.union(query.appellations.flatMap((code) => this.known(this.appellationCodes, code))))
      keepMembers(candidates, members)
    }
    if (query.codesNaf) keepWhere(candidates, this.naf.values, table(this.nafs, query.codesNaf, NONE16 + 1))
    if (query.secteursActivite) keepWhere(candidates, this.secteur.values, table(this.secteurs, query.secteursActivite))
    if (query.experienceExigences) {
      const allowed = new Uint8Array(4)
      for (const value of query.experienceExigences) {
        const number = EXIGENCES.indexOf(value as (typeof EXIGENCES)[number])
        if (number > 0) allowed[number] = 1
      }
      keepWhere(candidates, this.exigence.values, allowed)
    }
    if (query.origine) {
      const allowed = new Uint8Array(3)
      allowed[query.origine === '1' ? 1 : 2] = 1
      keepWhere(candidates, this.origine.values, allowed)
    }
    if (query.dureesHebdo) {
      const allowed = new Uint8Array(3)
      for (const value of query.dureesHebdo) allowed[Number(value)] = 1
      keepWhere(candidates, this.dureeHebdo.values, allowed)
    }
    if (query.weeklyMinutesMin !== undefined || query.weeklyMinutesMax !== undefined) {
      // 0 means "not stated": the lower bound is at least 1 minute.
      keepBetween(candidates, this.weekly.values, Math.max(1, query.weeklyMinutesMin ?? 0), query.weeklyMinutesMax ?? Infinity)
    }
    if (query.contractMonthsMin !== undefined || query.contractMonthsMax !== undefined) {
      // Not stated is NaN, which no bound accepts.
      keepBetween(candidates, this.contractMonths.values, query.contractMonthsMin ?? 0, query.contractMonthsMax ?? Infinity)
    }
    if (geo) this.keepNear(candidates, geo)
    if (query.departements) keepWhere(candidates, this.departement.values, table(this.departements, query.departements))
    if (query.regions) keepWhere(candidates, this.region.values, table(this.regions, query.regions))
    if (query.paysContinents) this.keepPaysContinents(candidates, query.paysContinents, table(this.continents, query.paysContinents))
    if (query.niveauxFormation) keepAnyBit(candidates, this.niveaux.values, this.mask(this.niveauCodes, query.niveauxFormation))
    if (query.permis) keepAnyBit(candidates, this.permis.values, this.mask(this.permisCodes, query.permis))
    if (query.salary) this.keepSalary(candidates, query.salary.min, query.salary.period)
    let required = 0
    if (query.accessibleTH) required |= FLAG_ACCESSIBLE_TH
    if (query.offresManqueCandidats) required |= FLAG_MANQUE_CANDIDATS
    if (query.mrs) required |= FLAG_MRS
    if (required !== 0) keepAllBits(candidates, this.flags.values, required)
    const handicap =
      (query.entrepriseAdaptee ? FLAG_ENTREPRISE_ADAPTEE : 0) | (query.employeurHandiEngage ? FLAG_HANDI_ENGAGE : 0)
    if (handicap !== 0) keepAnyBit(candidates, this.flags.values, handicap)
    if ((query.createdFrom !== undefined || query.createdTo !== undefined) && !candidates.dateExact) {
      keepBetween(candidates, this.date.values, query.createdFrom ?? -Infinity, query.createdTo ?? Infinity)
    }
    if (query.partners) this.keepPartners(candidates, query.partners)
  }

  /** The facet-key table of the contract, experience and qualification criteria, if any. */
  private facetTable(query: SearchQuery): Uint8Array | undefined {
    if (!query.typesContrat && !query.naturesContrat && !query.experiences && !query.qualifications) return undefined
    return this.facetKeysAllowed(query)
  }

  private mask(dictionary: Dictionary, codes: readonly string[]): number {
    let mask = 0
    for (const code of codes) {
      const bit = dictionary.get(code)
      if (bit !== undefined) mask |= 1 << bit
    }
    return mask >>> 0
  }

  private keepNear(candidates: Candidates, geo: ResolvedGeo): void {
    const { allowed, filter } = geo
    const communes = this.commune.values
    const latitudes = this.latitude.values
    const longitudes = this.longitude.values
    const { docs, scores } = candidates
    let kept = 0
    for (let i = 0; i < candidates.count; i++) {
      const doc = docs[i]!
      const commune = communes[doc]!
      let inside: boolean
      if (commune >= 0) {
        inside = allowed[commune] === 1
      } else if (filter.radiusKm === 0 || Number.isNaN(latitudes[doc]!)) {
        inside = false
      } else {
        inside = false
        for (const centre of filter.centres) {
          if (distanceKm(centre.latitude, centre.longitude, latitudes[doc]!, longitudes[doc]!) <= filter.radiusKm) {
            inside = true
            break
          }
        }
      }
      if (inside) {
        docs[kept] = doc
        if (scores) scores[kept] = scores[i]!
        kept++
      }
    }
    candidates.count = kept
  }

  private keepPaysContinents(candidates: Candidates, codes: readonly string[], continents: Uint8Array): void {
    const pays = new Uint8Array(NONE16 + 1)
    for (const code of codes) {
      const number = this.paysCodes.get(code)
      if (number !== undefined) pays[number] = 1
    }
    const paysColumn = this.pays.values
    const continentColumn = this.continent.values
    const { docs, scores } = candidates
    let kept = 0
    for (let i = 0; i < candidates.count; i++) {
      const doc = docs[i]!
      if (pays[paysColumn[doc]!] === 1 || continents[continentColumn[doc]!] === 1) {
        docs[kept] = doc
        if (scores) scores[kept] = scores[i]!
        kept++
      }
    }
    candidates.count = kept
  }

  private keepSalary(candidates: Candidates, min: number, period: SalaryPeriod): void {
    const periods = this.salaryPeriod.values
    const highs = this.salaryHigh.values
    const months = this.salaryMonths.values
    const { docs, scores } = candidates
    let kept = 0
    for (let i = 0; i < candidates.count; i++) {
      const doc = docs[i]!
      const own = periods[doc]!
      if (own === 0) continue
      const value = salaryInParts(SALARY_PERIODS[own - 1]!, highs[doc]!, months[doc]!, period)
      if (value !== undefined && value >= min) {
        docs[kept] = doc
        if (scores) scores[kept] = scores[i]!
        kept++
      }
    }
    candidates.count = kept
  }

  private keepPartners(candidates: Candidates, partners: NonNullable<SearchQuery['partners']>): void {
    const listed = new Uint8Array(this.partners.size + 1)
    for (const name of partners.names) {
      const number = this.partners.get(name.toUpperCase())
      if (number !== undefined) listed[number] = 1
    }
    const include = partners.mode === 'INCLUS'
    const origins = this.origine.values
    const partnerColumn = this.partner.values
    const { docs, scores } = candidates
    let kept = 0
    for (let i = 0; i < candidates.count; i++) {
      const doc = docs[i]!
      let pass = true
      if (origins[doc] !== 1) {
        const partner = partnerColumn[doc]!
        let isListed = partner >= 0 && listed[partner] === 1
        if (!isListed) isListed = this.extraPartners.get(doc)?.some((number) => listed[number] === 1) ?? false
        pass = include ? isListed : !isListed
      }
      if (pass) {
        docs[kept] = doc
        if (scores) scores[kept] = scores[i]!
        kept++
      }
    }
    candidates.count = kept
  }

  // ---------------------------------------------------------------------------------- facets

  private countFacets(candidates: Candidates): FacetCounts[] {
    // One counter per combination of the four facet values, then folded per facet: one read and
    // one increment per matching document.
    const combinations = this.facetCombinations
    combinations.fill(0)
    const keys = this.facetKey.values
    const { docs, count } = candidates
    for (let i = 0; i < count; i++) combinations[keys[docs[i]!]!]!++
    return this.foldFacets(combinations)
  }

  /** The four facets of `filtresPossibles` from counts per combination of facet values. */
  private foldFacets(combinations: Uint32Array): FacetCounts[] {
    const types = new Uint32Array(TYPE_SLOTS)
    const experiences = new Uint32Array(4)
    const qualifications = new Uint32Array(3)
    const natures = new Uint32Array(NATURE_SLOTS)
    for (let key = 0; key < combinations.length; key++) {
      const hits = combinations[key]!
      if (hits === 0) continue
      types[key >>> 10]! += hits
      experiences[(key >>> 8) & 3]! += hits
      qualifications[(key >>> 6) & 3]! += hits
      natures[key & 63]! += hits
    }
    const byCode = (dictionary: Dictionary, counts: Uint32Array, slots: number) =>
      dictionary.codes
        .map((code, number) => ({ valeurPossible: code, nbResultats: number < slots - 1 ? counts[number]! : 0 }))
        .filter((item) => item.nbResultats > 0)
        .sort((a, b) => (a.valeurPossible < b.valeurPossible ? -1 : a.valeurPossible > b.valeurPossible ? 1 : 0))
    const qualification = [
      { valeurPossible: '0', nbResultats: qualifications[1]! },
      { valeurPossible: '9', nbResultats: qualifications[2]! },
      { valeurPossible: 'X', nbResultats: qualifications[0]! },
    ].filter((item) => item.nbResultats > 0)
    return [
      { filtre: 'typeContrat', agregation: byCode(this.types, types, TYPE_SLOTS) },
      {
        filtre: 'experience',
        agregation: [...experiences]
          .map((nbResultats, value) => ({ valeurPossible: String(value), nbResultats }))
          .filter((item) => item.nbResultats > 0),
      },
      { filtre: 'qualification', agregation: qualification },
      { filtre: 'natureContrat', agregation: byCode(this.natures, natures, NATURE_SLOTS) },
    ]
  }

  // ---------------------------------------------------------------------------------- ordering

  /** The first `wanted` matches in result order. */
  private order(candidates: Candidates, query: SearchQuery, geo: ResolvedGeo | undefined, wanted: number): Uint32Array {
    const { docs, count, scores } = candidates
    const distances = geo ? this.distances(docs, count, geo) : undefined
    const hasScores = scores !== undefined && query.keywords !== undefined && query.keywords.length > 0
    const dates = this.date.values
    const naturalEnd = this.naturalEnd
    // Positions (not documents) are sorted so that scores and distances stay aligned.
    const natural = (a: number, b: number) => {
      const da = docs[a]!
      const db = docs[b]!
      return da < naturalEnd && db < naturalEnd ? da - db : this.compareDocs(da, db)
    }
    const byScore = (a: number, b: number) => (hasScores ? scores[b]! - scores[a]! : 0)
    const byDistance = (a: number, b: number) => (distances ? distances[a]! - distances[b]! : 0)
    const byDate = (a: number, b: number) => dates[docs[b]!]! - dates[docs[a]!]!
    let compare: (a: number, b: number) => number
    switch (query.sort) {
      case 0:
        compare = (a, b) => byScore(a, b) || byDistance(a, b) || natural(a, b)
        break
      case 1:
        compare = (a, b) => byDate(a, b) || byScore(a, b) || byDistance(a, b) || natural(a, b)
        break
      case 2:
        compare = (a, b) => byDistance(a, b) || byScore(a, b) || natural(a, b)
        break
    }
    const toDocs = (positions: Uint32Array) => Uint32Array.from(positions, (position) => docs[position]!)
    if (hasScores && query.sort !== 1) return toDocs(selectTop(count, wanted, compare))
    // The fast paths below rely on the prefix's numbering: they order the prefix's candidates
    // (which come first, candidates being in document order), then the tail's are ordered on
    // their own and the two merged.
    const prefix = lowerBound(docs, naturalEnd, count)
    if (!hasScores && !distances) {
      // The natural order: the prefix's candidates come in it, the tail's are picked from `tailOrder`.
      if (prefix === count) return docs.slice(0, wanted)
      const tail = this.tailInOrder(docs.subarray(prefix, count), wanted)
      return mergeOrdered(docs.subarray(0, Math.min(wanted, prefix)), tail, wanted, (a, b) => this.compareDocs(a, b))
    }
    const head = this.orderPrefix(prefix, wanted, compare, docs, distances, query.sort === 1)
    if (prefix === count) return toDocs(head)
    const tail = selectTop(count - prefix, wanted, (a, b) => compare(a + prefix, b + prefix)).map((position) => position + prefix)
    return toDocs(mergeOrdered(head, tail, wanted, compare))
  }

  /**
   * The first `wanted` of the positions `0 … prefix - 1` under `compare`, in order, where the
   * documents at those positions are in the prefix and increasing: there the natural order is the
   * order of the positions. For the date sort, and for the others with distances but no scores.
   */
  private orderPrefix(
    prefix: number,
    wanted: number,
    compare: (a: number, b: number) => number,
    docs: Uint32Array,
    distances: Float64Array | undefined,
    byDateFirst: boolean,
  ): Uint32Array {
    const first = Math.min(wanted, prefix)
    if (first === 0) return new Uint32Array(0)
    if (byDateFirst) {
      // Creation date leads and documents are numbered by date: only the ties at the edge need sorting.
      const dates = this.date.values
      let end = first
      const lastDate = dates[docs[end - 1]!]!
      while (end < prefix && dates[docs[end]!] === lastDate) end++
      return Uint32Array.from({ length: end }, (_, i) => i)
        .sort(compare)
        .subarray(0, first)
    }
    // (Only reached with distances; without, the general way would still hold.)
    if (!distances) return selectTop(prefix, first, compare)
    // Distance, then document number: keep what is nearer than the wanted-th distance, and of the
    // documents at exactly that distance the first ones (they come in document order).
    const limit = kthSmallest(distances.slice(0, prefix), first - 1)
    const kept: number[] = []
    for (let i = 0; i < prefix; i++) if (distances[i]! < limit) kept.push(i)
    for (let i = 0; i < prefix && kept.length < first; i++) if (distances[i] === limit) kept.push(i)
    kept.sort((a, b) => distances[a]! - distances[b]! || docs[a]! - docs[b]!)
    return Uint32Array.from(kept.slice(0, first))
  }

  private distances(docs: Uint32Array, count: number, geo: ResolvedGeo): Float64Array {
    const { filter } = geo
    const nearest = (latitude: number, longitude: number) => {
      let best = Number.POSITIVE_INFINITY
      for (const centre of filter.centres) {
        const distance = distanceKm(centre.latitude, centre.longitude, latitude, longitude)
        if (distance < best) best = distance
      }
      return best
    }
    // Offers of one commune share its centre: one distance per commune, not per offer.
    const byCommune = new Float64Array(this.communes.size).fill(Number.NaN)
    for (const commune of geo.communes) byCommune[commune] = nearest(this.communeLatitude[commune]!, this.communeLongitude[commune]!)
    const distances = new Float64Array(count)
    const communes = this.commune.values
    const latitudes = this.latitude.values
    const longitudes = this.longitude.values
    for (let i = 0; i < count; i++) {
      const doc = docs[i]!
      const commune = communes[doc]!
      const known = commune >= 0 ? byCommune[commune]! : Number.NaN
      distances[i] = Number.isNaN(known) ? nearest(latitudes[doc]!, longitudes[doc]!) : known
    }
    return distances
  }

}

interface ResolvedGeo {
  readonly filter: GeoFilter
  /** Per commune number: 1 when its offers match. */
  readonly allowed: Uint8Array
  readonly communes: number[]
}

/** The k-th smallest value (0-based) of `values`, which it reorders (quickselect). */
function kthSmallest(values: Float64Array, k: number): number {
  let lo = 0
  let hi = values.length - 1
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!
    let i = lo
    let j = hi
    while (i <= j) {
      while (values[i]! < pivot) i++
      while (values[j]! > pivot) j--
      if (i <= j) {
        const swap = values[i]!
        values[i] = values[j]!
        values[j] = swap
        i++
        j--
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return values[k]!
  }
  return values[k]!
}

/** The `wanted` smallest positions of 0..count-1 under `compare`, in order (a bounded max-heap). */
function selectTop(count: number, wanted: number, compare: (a: number, b: number) => number): Uint32Array {
  if (count <= wanted * 4) {
    return Uint32Array.from({ length: count }, (_, i) => i)
      .sort(compare)
      .subarray(0, wanted)
  }
  const heap = new Uint32Array(wanted)
  let size = 0
  const siftUp = (index: number) => {
    while (index > 0) {
      const parent = (index - 1) >>> 1
      if (compare(heap[parent]!, heap[index]!) >= 0) return
      ;[heap[parent], heap[index]] = [heap[index]!, heap[parent]!]
      index = parent
    }
  }
  const siftDown = (index: number) => {
    for (;;) {
      const left = index * 2 + 1
      const right = left + 1
      let largest = index
      if (left < size && compare(heap[left]!, heap[largest]!) > 0) largest = left
      if (right < size && compare(heap[right]!, heap[largest]!) > 0) largest = right
      if (largest === index) return
      ;[heap[largest], heap[index]] = [heap[index]!, heap[largest]!]
      index = largest
    }
  }
  for (let position = 0; position < count; position++) {
    if (size < wanted) {
      heap[size++] = position
      siftUp(size - 1)
    } else if (compare(position, heap[0]!) < 0) {
      heap[0] = position
      siftDown(0)
    }
  }
  return heap.sort(compare)
}

/** The first `wanted` items of two lists each ordered by `compare`, in that order. */
function mergeOrdered(a: Uint32Array, b: Uint32Array, wanted: number, compare: (x: number, y: number) => number): Uint32Array {
  const merged = new Uint32Array(Math.min(wanted, a.length + b.length))
  let i = 0
  let j = 0
  for (let at = 0; at < merged.length; at++) {
    if (j >= b.length || (i < a.length && compare(a[i]!, b[j]!) <= 0)) merged[at] = a[i++]!
    else merged[at] = b[j++]!
  }
  return merged
}
