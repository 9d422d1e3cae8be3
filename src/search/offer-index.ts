import type { Referentials } from '../domain/referentials/referentials.js'
import { Bitset } from './bitset.js'
import type { BodyStore } from './body-store.js'
import { Column, Dictionary, Postings } from './columns.js'
import { distanceKm } from './geo.js'
import { salaryInParts, type OfferFeatures, type SalaryPeriod } from './offer-features.js'
import { TERMS } from './terms.js'
import type { FacetCounts, GeoFilter, ResultWindow, SearchQuery } from './search-query.js'

const NONE8 = 255
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

interface Candidates {
  docs: Uint32Array
  count: number
  scores: Uint16Array | undefined
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

  /** Sorted, distinct documents holding any of the values. */
  union(values: Iterable<number>): Uint32Array {
    const parts: Postings[] = []
    let size = 0
    for (const value of values) {
      const list = this.lists[value]
      if (list && list.length > 0) {
        parts.push(list)
        size += list.length
      }
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

  renumber(rank: Uint32Array): void {
    for (const list of this.lists) list?.renumber(rank)
  }
}

function dedupeSorted(docs: Uint32Array): Uint32Array {
  let out = 0
  for (let i = 0; i < docs.length; i++) {
    if (i === 0 || docs[i] !== docs[i - 1]) docs[out++] = docs[i]!
  }
  return out === docs.length ? docs : docs.subarray(0, out)
}

/** First index of a sorted array holding a value ≥ target. */
function lowerBound(values: Float64Array, target: number): number {
  let lo = 0
  let hi = values.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (values[mid]! < target) lo = mid + 1
    else hi = mid
  }
  return lo
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
 * Offers are numbered in arrival order; when they arrive in the natural order (creation date,
 * then origin, then id, all descending) — as the loader provides them — that number is also the
 * date order and the date sort needs no sorting.
 */
export class OfferIndex {
  private ids: string[] = []
  private readonly docById = new Map<string, number>()
  /** Every per-document column, so that renumbering can reorder them all. */
  private readonly columns: Column<Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>[] = []
  private readonly alive = this.column(Uint8Array)
  private liveCount = 0
  private inNaturalOrder = true

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
  /** Offers located by coordinates only (no known commune): always examined by a radius search. */
  private readonly pointOnly = new Postings(false)

  private readonly communeLatitude: Float64Array
  private readonly communeLongitude: Float64Array
  /** Arrondissements of Paris, Lyon and Marseille by the number of their city. */
  private readonly cityMembers = new Map<number, number[]>()
  /** Commune numbers by increasing latitude, and those latitudes: radius searches scan a band. */
  private readonly communesByLatitude: Int32Array
  private readonly sortedLatitudes: Float64Array

  constructor(
    private readonly referentials: Referentials,
    private readonly bodies: BodyStore,
  ) {
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

  /** Number of offers served. */
  get size(): number {
    return this.liveCount
  }

  /** Whether an offer with this id is served. */
  has(id: string): boolean {
    return this.docById.has(id)
  }

  /**
   * Adds an offer (or replaces the one with the same id). Returns its document number.
   */
  add(features: OfferFeatures, body: string | Buffer): number {
    const previous = this.docById.get(features.id)
    if (previous !== undefined) this.removeDoc(previous)
    const doc = this.ids.length
    if (doc > 0 && this.inNaturalOrder && this.comparesBefore(features, doc - 1)) this.inNaturalOrder = false
    this.ids.push(features.id)
    this.docById.set(features.id, doc)
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

    const stored = this.bodies.append(body)
    this.bodyPosition.push(stored.position)
    this.bodyLength.push(stored.length)
    return doc
  }

  /** Stops serving an offer; returns whether it was served. */
  remove(id: string): boolean {
    const doc = this.docById.get(id)
    if (doc === undefined) return false
    this.removeDoc(doc)
    return true
  }

  private removeDoc(doc: number): void {
    if (this.alive.values[doc] === 1) {
      this.alive.values[doc] = 0
      this.liveCount--
      this.docById.delete(this.ids[doc]!)
    }
  }

  /**
   * Ends a bulk load: numbers the documents in the natural order if they did not arrive in it
   * (date, origin, id, all descending), then releases the spare capacity of the postings.
   */
  finishLoad(): void {
    if (!this.inNaturalOrder) this.renumber()
    this.compact()
  }

  /** Renumbers every document in the natural order: columns, ids, postings. */
  private renumber(): void {
    const count = this.ids.length
    if (count >= 2 ** 24) throw new RangeError('Renumbering supports up to 16,777,215 documents')
    const dates = this.date.values
    const origins = this.origine.values
    const ids = this.ids
    const order = Uint32Array.from({ length: count }, (_, doc) => doc).sort(
      (a, b) =>
        dates[b]! - dates[a]! || origins[b]! - origins[a]! || (ids[a]! > ids[b]! ? -1 : ids[a]! < ids[b]! ? 1 : 0),
    )
    const rank = new Uint32Array(count)
    for (let position = 0; position < count; position++) rank[order[position]!] = position
    for (const column of this.columns) column.permute(order)
    this.ids = Array.from(order, (doc) => ids[doc]!)
    this.docById.clear()
    const alive = this.alive.values
    for (let doc = 0; doc < count; doc++) if (alive[doc] === 1) this.docById.set(this.ids[doc]!, doc)
    const extras = [...this.extraPartners]
    this.extraPartners.clear()
    for (const [doc, partners] of extras) this.extraPartners.set(rank[doc]!, partners)
    for (const postings of this.terms) postings?.renumber(rank)
    for (const postings of [this.byRome, this.byAppellation, this.byCommune, this.byDepartement, this.byRegion, this.byNaf]) {
      postings.renumber(rank)
    }
    this.pointOnly.renumber(rank)
    this.inNaturalOrder = true
  }

  /** Releases the spare capacity of the postings once a bulk load is over. */
  private compact(): void {
    for (const postings of this.terms) postings?.trim()
    for (const postings of [this.byRome, this.byAppellation, this.byCommune, this.byDepartement, this.byRegion, this.byNaf]) {
      postings.trim()
    }
  }

  /** Whether `features` sorts strictly before document `doc`: date, then origin, then id, all descending. */
  private comparesBefore(features: OfferFeatures, doc: number): boolean {
    const date = this.date.values[doc]!
    if (features.dateCreation !== date) return features.dateCreation > date
    const origine = features.origine === '1' ? 1 : 2
    if (origine !== this.origine.values[doc]) return origine > this.origine.values[doc]!
    return features.id > this.ids[doc]!
  }

  /** The id of a document number. */
  idOf(doc: number): string {
    return this.ids[doc]!
  }

  /** The document number of a served offer. */
  docOf(id: string): number | undefined {
    return this.docById.get(id)
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
    const doc = this.docById.get(id)
    if (doc === undefined) return undefined
    const target = Buffer.allocUnsafe(this.bodyLength.values[doc]!)
    this.copyBody(doc, target, 0)
    return target
  }

  /**
   * Runs a search: the total number of matches, the facets over all of them and the documents of
   * the window in result order.
   */
  search(query: SearchQuery, window: ResultWindow): IndexSearchResult {
    const geo = query.geo ? this.resolveGeo(query.geo) : undefined
    const candidates = this.candidates(query, geo)
    if (candidates.count > 0) this.narrow(candidates, query, geo)
    const facets = this.countFacets(candidates)
    const total = candidates.count
    if (total === 0 || window.start >= total) return { total, docs: new Uint32Array(0), facets }
    const wanted = Math.min(window.end, total - 1) + 1
    const ordered = this.order(candidates, query, geo, wanted)
    return { total, docs: ordered.subarray(window.start, wanted), facets }
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
    if (query.keywords && query.keywords.length > 0) return this.keywordCandidates(query.keywords)
    const options: { size: number; docs: () => Uint32Array }[] = []
    const consider = (postings: ValuePostings, values: number[] | undefined, extra?: Postings) => {
      if (values === undefined) return
      options.push({
        size: postings.sizeOf(values) + (extra?.length ?? 0),
        docs: () => {
          const docs = postings.union(values)
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
    const best = options.sort((a, b) => a.size - b.size)[0]
    if (best && best.size < this.ids.length * SELECTIVE_SHARE) {
      const docs = best.docs()
      return { docs, count: docs.length, scores: undefined }
    }
    const docs = new Uint32Array(this.ids.length)
    for (let doc = 0; doc < docs.length; doc++) docs[doc] = doc
    return { docs, count: docs.length, scores: undefined }
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
      const number = TERMS.find(term)
      const postings = number === undefined ? undefined : this.terms[number]
      if (!postings || postings.length === 0) return { docs: new Uint32Array(0), count: 0, scores: undefined }
      lists.push({ postings, times })
    }
    lists.sort((a, b) => a.postings.length - b.postings.length)
    const first = lists[0]
    if (!first) {
      const docs = new Uint32Array(this.ids.length)
      for (let doc = 0; doc < docs.length; doc++) docs[doc] = doc
      return { docs, count: docs.length, scores: new Uint16Array(docs.length) }
    }
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
    const keep = (test: (doc: number) => boolean) => {
      const { docs, scores } = candidates
      let kept = 0
      for (let i = 0; i < candidates.count; i++) {
        const doc = docs[i]!
        if (test(doc)) {
          docs[kept] = doc
          if (scores) scores[kept] = scores[i]!
          kept++
        }
      }
      candidates.count = kept
    }
    const alive = this.alive.values
    keep((doc) => alive[doc] === 1)

    const table8 = (dictionary: Dictionary, codes: readonly string[]) => {
      const allowed = new Uint8Array(256)
      for (const code of codes) {
        const number = dictionary.get(code)
        if (number !== undefined && number < NONE8) allowed[number] = 1
      }
      return allowed
    }

    const romes = this.romeNumbers(query)
    if (romes) {
      const allowed = new Uint8Array(NONE16 + 1)
      for (const number of romes) allowed[number] = 1
      const column = this.rome.values
      keep((doc) => allowed[column[doc]!] === 1)
    }
    if (query.appellations) {
      const members = new Bitset(this.ids.length)
      members.addAll(this.byAppellation.union(query.appellations.flatMap((code) => this.known(this.appellationCodes, code))))
      keep((doc) => members.has(doc))
    }
    if (query.codesNaf) {
      const allowed = new Uint8Array(NONE16 + 1)
      for (const code of query.codesNaf) {
        const number = this.nafs.get(code)
        if (number !== undefined) allowed[number] = 1
      }
      const column = this.naf.values
      keep((doc) => allowed[column[doc]!] === 1)
    }
    if (query.secteursActivite) {
      const allowed = table8(this.secteurs, query.secteursActivite)
      const column = this.secteur.values
      keep((doc) => allowed[column[doc]!] === 1)
    }
    if (query.typesContrat || query.naturesContrat) {
      const types = table8(this.types, query.typesContrat ?? [])
      const natures = table8(this.natures, query.naturesContrat ?? [])
      const typeColumn = this.type.values
      const natureColumn = this.nature.values
      keep((doc) => types[typeColumn[doc]!] === 1 || natures[natureColumn[doc]!] === 1)
    }
    if (query.experiences) {
      const allowed = new Uint8Array(4)
      for (const value of query.experiences) allowed[Number(value)] = 1
      const column = this.experience.values
      keep((doc) => allowed[column[doc]!] === 1)
    }
    if (query.experienceExigences) {
      const allowed = new Uint8Array(4)
      for (const value of query.experienceExigences) {
        const number = EXIGENCES.indexOf(value as (typeof EXIGENCES)[number])
        if (number > 0) allowed[number] = 1
      }
      const column = this.exigence.values
      keep((doc) => allowed[column[doc]!] === 1)
    }
    if (query.origine) {
      const wanted = query.origine === '1' ? 1 : 2
      const column = this.origine.values
      keep((doc) => column[doc] === wanted)
    }
    if (query.qualifications) {
      const allowed = new Uint8Array(10)
      for (const value of query.qualifications) {
        if (value === '9') allowed[9] = 1
        else for (let code = 1; code <= 8; code++) allowed[code] = 1
      }
      const column = this.qualification.values
      keep((doc) => allowed[column[doc]!] === 1)
    }
    if (query.dureesHebdo) {
      const allowed = new Uint8Array(3)
      for (const value of query.dureesHebdo) allowed[Number(value)] = 1
      const column = this.dureeHebdo.values
      keep((doc) => allowed[column[doc]!] === 1)
    }
    if (query.weeklyMinutesMin !== undefined || query.weeklyMinutesMax !== undefined) {
      const min = query.weeklyMinutesMin ?? 0
      const max = query.weeklyMinutesMax ?? Number.POSITIVE_INFINITY
      const column = this.weekly.values
      keep((doc) => {
        const minutes = column[doc]!
        return minutes > 0 && minutes >= min && minutes <= max
      })
    }
    if (query.contractMonthsMin !== undefined || query.contractMonthsMax !== undefined) {
      const min = query.contractMonthsMin ?? 0
      const max = query.contractMonthsMax ?? Number.POSITIVE_INFINITY
      const column = this.contractMonths.values
      keep((doc) => {
        const months = column[doc]!
        return months >= min && months <= max
      })
    }
    if (geo) {
      const { allowed, filter } = geo
      const communeColumn = this.commune.values
      const latitudes = this.latitude.values
      const longitudes = this.longitude.values
      keep((doc) => {
        const commune = communeColumn[doc]!
        if (commune >= 0) return allowed[commune] === 1
        if (filter.radiusKm === 0) return false
        const latitude = latitudes[doc]!
        if (Number.isNaN(latitude)) return false
        return filter.centres.some(
          (centre) => distanceKm(centre.latitude, centre.longitude, latitude, longitudes[doc]!) <= filter.radiusKm,
        )
      })
    }
    if (query.departements) {
      const allowed = table8(this.departements, query.departements)
      const column = this.departement.values
      keep((doc) => allowed[column[doc]!] === 1)
    }
    if (query.regions) {
      const allowed = table8(this.regions, query.regions)
      const column = this.region.values
      keep((doc) => allowed[column[doc]!] === 1)
    }
    if (query.paysContinents) {
      const pays = new Uint8Array(NONE16 + 1)
      for (const code of query.paysContinents) {
        const number = this.paysCodes.get(code)
        if (number !== undefined) pays[number] = 1
      }
      const continents = table8(this.continents, query.paysContinents)
      const paysColumn = this.pays.values
      const continentColumn = this.continent.values
      keep((doc) => pays[paysColumn[doc]!] === 1 || continents[continentColumn[doc]!] === 1)
    }
    if (query.niveauxFormation) {
      let mask = 0
      for (const code of query.niveauxFormation) {
        const bit = this.niveauCodes.get(code)
        if (bit !== undefined) mask |= 1 << bit
      }
      const column = this.niveaux.values
      keep((doc) => (column[doc]! & mask) !== 0)
    }
    if (query.permis) {
      let mask = 0
      for (const code of query.permis) {
        const bit = this.permisCodes.get(code)
        if (bit !== undefined) mask |= 1 << bit
      }
      const column = this.permis.values
      keep((doc) => (column[doc]! & mask) !== 0)
    }
    if (query.salary) {
      const { min, period } = query.salary
      const periods = this.salaryPeriod.values
      const highs = this.salaryHigh.values
      const months = this.salaryMonths.values
      keep((doc) => {
        const own = periods[doc]!
        if (own === 0) return false
        const value = salaryInParts(SALARY_PERIODS[own - 1]!, highs[doc]!, months[doc]!, period)
        return value !== undefined && value >= min
      })
    }
    let required = 0
    if (query.accessibleTH) required |= FLAG_ACCESSIBLE_TH
    if (query.offresManqueCandidats) required |= FLAG_MANQUE_CANDIDATS
    if (query.mrs) required |= FLAG_MRS
    if (required !== 0) {
      const column = this.flags.values
      keep((doc) => (column[doc]! & required) === required)
    }
    const handicap =
      (query.entrepriseAdaptee ? FLAG_ENTREPRISE_ADAPTEE : 0) | (query.employeurHandiEngage ? FLAG_HANDI_ENGAGE : 0)
    if (handicap !== 0) {
      const column = this.flags.values
      keep((doc) => (column[doc]! & handicap) !== 0)
    }
    if (query.createdFrom !== undefined || query.createdTo !== undefined) {
      const from = query.createdFrom ?? Number.NEGATIVE_INFINITY
      const to = query.createdTo ?? Number.POSITIVE_INFINITY
      const column = this.date.values
      keep((doc) => column[doc]! >= from && column[doc]! <= to)
    }
    if (query.partners) {
      const listed = new Uint8Array(this.partners.size + 1)
      for (const name of query.partners.names) {
        const number = this.partners.get(name.toUpperCase())
        if (number !== undefined) listed[number] = 1
      }
      const include = query.partners.mode === 'INCLUS'
      const origins = this.origine.values
      const partnerColumn = this.partner.values
      keep((doc) => {
        if (origins[doc] === 1) return true
        let isListed = partnerColumn[doc]! >= 0 && listed[partnerColumn[doc]!] === 1
        if (!isListed) isListed = this.extraPartners.get(doc)?.some((number) => listed[number] === 1) ?? false
        return include ? isListed : !isListed
      })
    }
  }

  // ---------------------------------------------------------------------------------- facets

  private countFacets(candidates: Candidates): FacetCounts[] {
    const types = new Uint32Array(256)
    const experiences = new Uint32Array(4)
    const qualifications = new Uint32Array(10)
    const natures = new Uint32Array(256)
    const typeColumn = this.type.values
    const experienceColumn = this.experience.values
    const qualificationColumn = this.qualification.values
    const natureColumn = this.nature.values
    const { docs, count } = candidates
    for (let i = 0; i < count; i++) {
      const doc = docs[i]!
      types[typeColumn[doc]!]!++
      experiences[experienceColumn[doc]!]!++
      qualifications[qualificationColumn[doc]!]!++
      natures[natureColumn[doc]!]!++
    }
    const byCode = (dictionary: Dictionary, counts: Uint32Array) =>
      dictionary.codes
        .map((code, number) => ({ valeurPossible: code, nbResultats: number < NONE8 ? counts[number]! : 0 }))
        .filter((item) => item.nbResultats > 0)
        .sort((a, b) => (a.valeurPossible < b.valeurPossible ? -1 : a.valeurPossible > b.valeurPossible ? 1 : 0))
    let nonCadre = 0
    for (let code = 1; code <= 8; code++) nonCadre += qualifications[code]!
    const qualification = [
      { valeurPossible: '0', nbResultats: nonCadre },
      { valeurPossible: '9', nbResultats: qualifications[9]! },
      { valeurPossible: 'X', nbResultats: qualifications[0]! },
    ].filter((item) => item.nbResultats > 0)
    return [
      { filtre: 'typeContrat', agregation: byCode(this.types, types) },
      {
        filtre: 'experience',
        agregation: [...experiences]
          .map((nbResultats, value) => ({ valeurPossible: String(value), nbResultats }))
          .filter((item) => item.nbResultats > 0),
      },
      { filtre: 'qualification', agregation: qualification },
      { filtre: 'natureContrat', agregation: byCode(this.natures, natures) },
    ]
  }

  // ---------------------------------------------------------------------------------- ordering

  /** The first `wanted` matches in result order. */
  private order(candidates: Candidates, query: SearchQuery, geo: ResolvedGeo | undefined, wanted: number): Uint32Array {
    const { docs, count, scores } = candidates
    const distances = geo ? this.distances(docs, count, geo.filter) : undefined
    const hasScores = scores !== undefined && query.keywords !== undefined && query.keywords.length > 0
    const dates = this.date.values
    const ids = this.ids
    const origins = this.origine.values
    // Positions (not documents) are sorted so that scores and distances stay aligned.
    const natural = (a: number, b: number) => {
      const da = docs[a]!
      const db = docs[b]!
      if (this.inNaturalOrder) return da - db
      const dateA = dates[da]!
      const dateB = dates[db]!
      if (dateA !== dateB) return dateB - dateA
      if (origins[da] !== origins[db]) return origins[db]! - origins[da]!
      return ids[da]! > ids[db]! ? -1 : ids[da]! < ids[db]! ? 1 : 0
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
    if (!hasScores && !distances && this.inNaturalOrder) return docs.slice(0, wanted)
    if (query.sort === 1 && this.inNaturalOrder) {
      // Creation date leads and documents are numbered by date: only the ties at the edge need sorting.
      let end = Math.min(wanted, count)
      const lastDate = dates[docs[end - 1]!]!
      while (end < count && dates[docs[end]!] === lastDate) end++
      const positions = Uint32Array.from({ length: end }, (_, i) => i).sort(compare)
      return Uint32Array.from(positions.subarray(0, wanted), (position) => docs[position]!)
    }
    const positions = selectTop(count, wanted, compare)
    return Uint32Array.from(positions, (position) => docs[position]!)
  }

  private distances(docs: Uint32Array, count: number, filter: GeoFilter): Float64Array {
    const distances = new Float64Array(count)
    const latitudes = this.latitude.values
    const longitudes = this.longitude.values
    for (let i = 0; i < count; i++) {
      const doc = docs[i]!
      let best = Number.POSITIVE_INFINITY
      for (const centre of filter.centres) {
        const distance = distanceKm(centre.latitude, centre.longitude, latitudes[doc]!, longitudes[doc]!)
        if (distance < best) best = distance
      }
      distances[i] = best
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
