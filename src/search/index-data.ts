import type { Referentials } from '../domain/referentials/referentials.js'
import type { BodyStore } from './body-store.js'
import { Column, Dictionary, Postings } from './columns.js'
import { facetKey } from './index-facets.js'
import { ValuePostings } from './index-structures.js'
import { LiveVocabulary } from './live-vocabulary.js'
import type { OfferFeatures, SalaryPeriod } from './offer-features.js'
import type { GeoFilter } from './search-query.js'

/** "No value" in a column of 8-bit codes. */
export const NONE8 = 255
/** "No value" in a column of 16-bit codes. */
export const NONE16 = 0xffff

export const FLAG_ACCESSIBLE_TH = 1
export const FLAG_ENTREPRISE_ADAPTEE = 2
export const FLAG_HANDI_ENGAGE = 4
export const FLAG_MANQUE_CANDIDATS = 8
export const FLAG_MRS = 16

export const EXIGENCES = ['', 'D', 'S', 'E'] as const
export const SALARY_PERIODS: readonly SalaryPeriod[] = ['M', 'A', 'H', 'C']

/** The documents a search is narrowing, in document order, in place. */
export interface Candidates {
  docs: Uint32Array
  count: number
  scores: Uint16Array | undefined
  /** Dead documents and the facet criteria were already filtered out while listing. */
  prefiltered?: boolean
  /** The list covers exactly the creation date bounds. */
  dateExact?: boolean
  /** Distances to the nearest centre, by position, when already measured (see `keepAfter`). */
  distances?: Float64Array
}

/** A geographic filter resolved against the communes of the referential. */
export interface ResolvedGeo {
  readonly filter: GeoFilter
  /** Per commune number: 1 when its offers match. */
  readonly allowed: Uint8Array
  readonly communes: number[]
}

/**
 * The data of the search index (see `OfferIndex`): one row of typed-array columns per offer, the
 * dictionaries of their codes, postings for the words of the searchable fields and for the
 * selective codes, and the offer bodies in a `BodyStore`; kept as offers are added and removed.
 * The search steps (`index-planning`, `index-filters`, `index-facets`, `index-ordering`) read it.
 *
 * Offers are numbered in arrival order. The documents `0 … naturalEnd - 1` (the prefix) are
 * numbered in the natural order (creation date, then origin, then id, all descending): there the
 * number is also the date order, so a date range is a range of numbers and the date sort needs no
 * sorting. The documents after it (the tail: offers deposited or updated since the last
 * renumbering, normally few) are in any order; each fast path orders the tail's matches on its own
 * and merges them with the prefix's, which are already in order. When the tail grows past
 * `maxTail()`, the next addition renumbers every document in the natural order.
 */
export class IndexData {
  /**
   * Offer ids by slot. A document's slot is the number it got when added and never changes, so
   * that renumbering leaves the ids and the map from id to slot alone: with a million offers,
   * rewriting them took most of a renumbering. There is one slot per document: `ids.length` is
   * the number of documents.
   */
  readonly ids: string[] = []
  /** The slot of each served offer, by id. */
  private readonly slotById = new Map<string, number>()
  /** The current number of the document of each slot (not a per-document column: never permuted). */
  private readonly docOfSlot = new Column(Uint32Array)
  /** Every per-document column, so that renumbering can reorder them all. */
  private readonly columns: Column<Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>[] = []
  readonly alive = this.column(Uint8Array)
  private readonly slot = this.column(Uint32Array)
  private liveCount = 0
  /** Documents below this number are numbered in the natural order; the others form the tail. */
  naturalEnd = 0
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

  readonly date = this.column(Float64Array)
  readonly origine = this.column(Uint8Array)
  readonly type = this.column(Uint8Array)
  readonly nature = this.column(Uint8Array)
  readonly exigence = this.column(Uint8Array)
  readonly experience = this.column(Uint8Array)
  readonly qualification = this.column(Uint8Array)
  readonly rome = this.column(Uint16Array)
  readonly naf = this.column(Uint16Array)
  readonly secteur = this.column(Uint8Array)
  readonly commune = this.column(Int32Array)
  readonly departement = this.column(Uint8Array)
  readonly region = this.column(Uint8Array)
  readonly pays = this.column(Uint16Array)
  readonly continent = this.column(Uint8Array)
  readonly latitude = this.column(Float64Array)
  readonly longitude = this.column(Float64Array)
  readonly niveaux = this.column(Uint16Array)
  readonly permis = this.column(Uint32Array)
  readonly salaryPeriod = this.column(Uint8Array)
  readonly salaryHigh = this.column(Float64Array)
  readonly salaryMonths = this.column(Float64Array)
  readonly weekly = this.column(Uint16Array)
  readonly contractMonths = this.column(Float64Array)
  readonly dureeHebdo = this.column(Uint8Array)
  readonly flags = this.column(Uint8Array)
  readonly partner = this.column(Int32Array)
  readonly extraPartners = new Map<number, number[]>()
  /** The four facet values of each document packed in one number (see `facetKey`). */
  readonly facetKey = this.column(Uint16Array)
  private readonly bodyPosition = this.column(Float64Array)
  private readonly bodyLength = this.column(Uint32Array)

  readonly types: Dictionary
  readonly natures: Dictionary
  readonly romes: Dictionary
  readonly nafs: Dictionary
  readonly secteurs: Dictionary
  readonly communes: Dictionary
  readonly departements: Dictionary
  readonly regions: Dictionary
  readonly paysCodes: Dictionary
  readonly continents: Dictionary
  readonly niveauCodes: Dictionary
  readonly permisCodes: Dictionary
  readonly partners = new Dictionary()
  readonly appellationCodes = new Dictionary()

  /** Served offers per term, appellation and commune, for spelling correction and suggestions. */
  readonly vocabulary = new LiveVocabulary()

  /** Postings of each term, by term number (`TERMS`). */
  readonly terms: (Postings | undefined)[] = []
  readonly byRome = new ValuePostings()
  readonly byAppellation = new ValuePostings()
  readonly byCommune = new ValuePostings()
  readonly byDepartement = new ValuePostings()
  readonly byRegion = new ValuePostings()
  readonly byNaf = new ValuePostings()
  readonly byType = new ValuePostings()
  readonly byNature = new ValuePostings()
  /** Offers located by coordinates only (no known commune): always examined by a radius search. */
  readonly pointOnly = new Postings(false)

  readonly facetCombinations = new Uint32Array(1 << 15)
  /** Served documents per combination of facet values, kept as documents come and go. */
  readonly liveCombinations = new Uint32Array(1 << 15)
  /** Reused by searches that start from every document. */
  scratch = new Uint32Array(0)
  readonly communeLatitude: Float64Array
  readonly communeLongitude: Float64Array
  /** Arrondissements of Paris, Lyon and Marseille by the number of their city. */
  readonly cityMembers = new Map<number, number[]>()
  /** Commune numbers by increasing latitude, and those latitudes: radius searches scan a band. */
  readonly communesByLatitude: Int32Array
  readonly sortedLatitudes: Float64Array

  /** Incremented by every change, so that cached results of an older state are not served. */
  version = 0

  constructor(
    readonly referentials: Referentials,
    readonly bodies: BodyStore,
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
  sortedTail(): Uint32Array {
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
  tailInOrder(candidates: Uint32Array, wanted: number): Uint32Array {
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
  compareDocs(a: number, b: number): number {
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

}
