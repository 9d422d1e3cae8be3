import { createHash } from 'node:crypto'
import { OFFER_ID_PATTERN, type Offre } from '../offers/offer.schema.js'
import { jsonText, type CloseReason, type OfferLogRepository, type OfferRecord, type OfferState, type WrittenOffers } from '../offers/offers.repository.js'
import type { Referentials } from '../referentials/referentials.js'
import { NotFoundError } from '../../shared/errors.js'
import { prepareOffer, type DepositContext, type FieldError } from './prepare-offer.js'

/** Who deposits: the client (application) the token belongs to. */
export interface Depositor {
  readonly clientId: string
  /** The application's name: the partner's name on partner offers that do not give one. */
  readonly name: string
}

/** A deposit refused: every problem found, nothing written. */
export class DepositError extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(errors.map((error) => `${error.path}: ${error.message}`).join('; '))
    this.name = 'DepositError'
  }
}

/** What happened to one deposited offer. */
export type DepositOutcome = 'created' | 'updated' | 'unchanged'

/** One line of a bulk deposit's report. */
export type BulkLine =
  | { readonly ligne: number; readonly resultat: DepositOutcome; readonly id: string }
  | { readonly ligne: number; readonly resultat: 'rejected'; readonly id?: string; readonly erreurs: readonly FieldError[] }

/** A bulk line ready to be written. */
interface PendingLine {
  readonly line: number
  readonly id: string
  readonly record: OfferRecord
  readonly existing: OfferState | undefined
}

/** Turns an offer and its search document into what the store keeps (the import does the same). */
export type RecordOf = (offer: Offre, options: { appellations: readonly string[]; owner: string }) => OfferRecord

/** A direct deposit's id: three digits and four capital letters, like the original's (`184VWCX`). */
function directId(digest: Buffer): string {
  const digits = String(digest.readUInt32BE(0) % 1000).padStart(3, '0')
  let letters = ''
  for (let i = 4; i < 8; i++) letters += String.fromCharCode(65 + ((digest[i] ?? 0) % 26))
  return digits + letters
}

/** The digest a direct deposit's id is drawn from: the client, a salt (0 unless taken), the offer. */
function candidateDigest(depositor: Depositor, body: unknown, salt: number): Buffer {
  return createHash('sha256').update(`${depositor.clientId}\u0000${salt}\u0000${JSON.stringify(body)}`).digest()
}

const PARTNER_ID = /^\d{7}$/
const OFFER_ID = new RegExp(OFFER_ID_PATTERN)

/** Labels of an offer derived from a code: a patch of the code derives them again. */
const DERIVED_LABELS: Readonly<Record<string, readonly string[]>> = {
  romeCode: ['romeLibelle', 'appellationlibelle'],
  appellation: ['appellationlibelle'],
  typeContrat: ['typeContratLibelle', 'natureContrat', 'alternance'],
  natureContrat: ['alternance'],
  experienceExige: ['experienceLibelle'],
  qualificationCode: ['qualificationLibelle'],
  codeNAF: ['secteurActivite', 'secteurActiviteLibelle'],
  secteurActivite: ['secteurActiviteLibelle'],
}
const BULK_BATCH = 2000

function partnerOf(body: unknown): { partnerName?: string; partnerUrl?: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const origine = (body as { origineOffre?: { origine?: unknown; partenaires?: { nom?: unknown; url?: unknown }[] } }).origineOffre
  if (origine?.origine !== '2') return undefined
  const partner = Array.isArray(origine.partenaires) ? origine.partenaires[0] : undefined
  return {
    ...(typeof partner?.nom === 'string' ? { partnerName: partner.nom } : {}),
    ...(typeof partner?.url === 'string' ? { partnerUrl: partner.url } : {}),
  }
}

function idOf(body: unknown): unknown {
  return typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined
}

/**
 * Deposits of offers by recruiters and partners: validation and enrichment (prepareOffer), ids,
 * ownership (a client changes only its own offers), and writes through the change log, after
 * which `onWritten` brings the local index up to date before the call is answered.
 */
export class DepositService {
  constructor(
    private readonly deps: {
      log: OfferLogRepository
      referentials: Referentials
      recordOf: RecordOf
      /**
       * Resolves once the local index has applied every change committed so far; it may apply
       * the offers just created (`written`) from memory instead of reading them back.
       */
      onWritten: (written: WrittenOffers) => Promise<void>
      now?: () => number
    },
  ) {}

  private now(): Date {
    return new Date((this.deps.now ?? Date.now)())
  }

  /**
   * The id of a new offer that names one: a partner offer keeps the partner's own 7-digit
   * reference; a direct deposit may not choose its id (see resolveDirect).
   */
  private newId(body: unknown): { id: string } | { error: FieldError } {
    const given = idOf(body)
    if (partnerOf(body)) {
      if (typeof given === 'string' && PARTNER_ID.test(given)) return { id: given }
      return { error: { path: '/id', message: 'Une offre partenaire porte sa référence : 7 chiffres.' } }
    }
    return { error: { path: '/id', message: 'L’identifiant d’une offre déposée est attribué par le service.' } }
  }

  /**
   * The id of a direct deposit: the first candidate drawn from the client and the offer that is
   * free, or that holds this very offer already (a retry: nothing to write). A candidate held by
   * another offer — another client's, or one of this client's with other content — is a
   * collision of the digest, and the next one is drawn.
   */
  private async resolveDirect(
    depositor: Depositor,
    body: unknown,
    lookup: (id: string, salt: number) => Promise<OfferState | undefined>,
    takenInBatch: (id: string, json: string) => boolean = () => false,
    firstCandidate?: string,
  ): Promise<{ id: string; existing: OfferState | undefined; record: OfferRecord }> {
    for (let salt = 0; ; salt++) {
      const id = salt === 0 && firstCandidate !== undefined ? firstCandidate : directId(candidateDigest(depositor, body, salt))
      const existing = await lookup(id, salt)
      const record = this.prepare(depositor, body, id, existing)
      if (takenInBatch(id, record.json)) continue
      if (!existing || (existing.owner === depositor.clientId && DepositService.same(existing, record))) return { id, existing, record }
    }
  }

  private context(depositor: Depositor, body: unknown, id: string, existing: OfferState | undefined): DepositContext {
    const partner = partnerOf(body)
    return {
      id,
      now: this.now(),
      ...(existing ? { createdAt: existing.dateCreation } : {}),
      origin: partner
        ? { kind: 'partner', partnerName: partner.partnerName ?? depositor.name, ...(partner.partnerUrl ? { partnerUrl: partner.partnerUrl } : {}) }
        : { kind: 'direct' },
    }
  }

  /** The offer as it would be stored, or every problem of the deposit. */
  private prepare(depositor: Depositor, body: unknown, id: string, existing: OfferState | undefined): OfferRecord {
    const prepared = prepareOffer(body, this.deps.referentials, this.context(depositor, body, id, existing))
    if (!prepared.ok) throw new DepositError(prepared.errors)
    return this.deps.recordOf(prepared.offer, { appellations: prepared.appellations, owner: depositor.clientId })
  }

  /**
   * Whether the stored offer already says what the deposit says: the server's dates aside, a
   * deposit sent again changes nothing (not even `dateActualisation`).
   */
  private static same(existing: OfferState | undefined, record: OfferRecord): boolean {
    if (!existing || existing.status !== 'active') return false
    return DepositService.content(jsonText(existing)) === DepositService.content(record.json)
  }

  /** An offer's JSON without the date of its last write: what two deposits of the same offer share. */
  private static content(json: string): string {
    return json.replace(/"dateActualisation":"[^"]*",?/, '')
  }

  private async write(records: readonly OfferRecord[]): Promise<void> {
    if (records.length === 0) return
    const result = await this.deps.log.upsert(records)
    const byId = new Map(records.map((record) => [record.offer.id, record]))
    await this.deps.onWritten(
      result.changed.flatMap((item) => {
        const record = byId.get(item.id)
        return record ? [{ seq: item.seq, created: item.created, record }] : []
      }),
    )
  }

  /** An offer of this client, or NotFoundError (others' offers are not disclosed). */
  async own(depositor: Depositor, id: string): Promise<OfferState> {
    const existing = await this.deps.log.get(id)
    if (!existing || existing.owner !== depositor.clientId) throw new NotFoundError(`Offre inconnue : ${id}`)
    return existing
  }

  /** Creates an offer; @throws DepositError listing every problem. */
  async create(depositor: Depositor, body: unknown): Promise<{ id: string; outcome: DepositOutcome; json: string }> {
    if (idOf(body) === undefined && !partnerOf(body)) {
      const { id, existing, record } = await this.resolveDirect(depositor, body, (candidate) => this.deps.log.get(candidate))
      if (existing) return { id, outcome: 'unchanged', json: jsonText(existing) }
      await this.write([record])
      return { id, outcome: 'created', json: record.json }
    }
    const assigned = this.newId(body)
    if ('error' in assigned) throw new DepositError([assigned.error])
    const existing = await this.deps.log.get(assigned.id)
    if (existing && existing.owner !== depositor.clientId) {
      throw new DepositError([{ path: '/id', message: `L’offre ${assigned.id} existe déjà et appartient à un autre déposant.` }])
    }
    const record = this.prepare(depositor, body, assigned.id, existing)
    if (existing && DepositService.same(existing, record)) return { id: assigned.id, outcome: 'unchanged', json: jsonText(existing) }
    await this.write([record])
    return { id: assigned.id, outcome: existing ? 'updated' : 'created', json: record.json }
  }

  /** Replaces one of the client's offers (idempotent); a closed offer is reopened. */
  async replace(depositor: Depositor, id: string, body: unknown): Promise<{ outcome: DepositOutcome; json: string }> {
    return this.replaceOwn(depositor, await this.own(depositor, id), body)
  }

  private async replaceOwn(depositor: Depositor, existing: OfferState, body: unknown): Promise<{ outcome: DepositOutcome; json: string }> {
    const { id } = existing
    const given = idOf(body)
    if (given !== undefined && given !== id) {
      throw new DepositError([{ path: '/id', message: `L’identifiant du corps (${JSON.stringify(given)}) diffère de celui de l’adresse (${id}).` }])
    }
    const record = this.prepare(depositor, body, id, existing)
    if (DepositService.same(existing, record)) return { outcome: 'unchanged', json: jsonText(existing) }
    await this.write([record])
    return { outcome: 'updated', json: record.json }
  }

  /** Changes some fields of one of the client's offers (JSON merge patch, RFC 7396, on the stored offer). */
  async patch(depositor: Depositor, id: string, changes: unknown): Promise<{ outcome: DepositOutcome; json: string }> {
    const existing = await this.own(depositor, id)
    if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
      throw new DepositError([{ path: '', message: 'Un objet JSON des champs à modifier est attendu.' }])
    }
    const current = JSON.parse(jsonText(existing)) as Record<string, unknown>
    const merged = mergePatch(current, changes) as Record<string, unknown>
    // Labels derived from a changed code are derived again, unless the patch gives them too.
    const patched = changes as Record<string, unknown>
    for (const [code, labels] of Object.entries(DERIVED_LABELS)) {
      if (!(code in patched)) continue
      for (const label of labels) if (!(label in patched)) delete merged[label]
    }
    const place = patched.lieuTravail
    if (typeof place === 'object' && place !== null && 'commune' in place && typeof merged.lieuTravail === 'object' && merged.lieuTravail !== null) {
      const mergedPlace = merged.lieuTravail as Record<string, unknown>
      for (const label of ['libelle', 'latitude', 'longitude', 'codePostal']) if (!(label in place)) delete mergedPlace[label]
    }
    for (const key of ['dateCreation', 'dateActualisation', 'origineOffre']) delete merged[key]
    return this.replaceOwn(depositor, existing, partnerOf(current) ? { ...merged, origineOffre: current.origineOffre } : merged)
  }

  /** Closes one of the client's offers: it leaves search and detail at once. */
  async close(depositor: Depositor, id: string, reason: CloseReason): Promise<void> {
    const existing = await this.own(depositor, id)
    if (existing.status !== 'active') return
    await this.deps.log.close([id], reason, depositor.clientId)
    await this.deps.onWritten([])
  }

  /**
   * Deposits many offers, one per line; lines are validated one by one and written in batches, so
   * a bad line is reported and the others kept. Lines with an `id` replace that offer of the
   * client's (or create a partner's offer); lines without one are created as by `create`.
   */
  async bulk(depositor: Depositor, lines: AsyncIterable<{ position: number; value?: unknown; error?: string }>): Promise<BulkLine[]> {
    const report: BulkLine[] = []
    const seen = new Set<string>()
    /** JSON of the offers this deposit created by digest: tells a repeated line from a collision. */
    const seenJson = new Map<string, string>()
    let batch: { position: number; body: unknown }[] = []
    // A batch is prepared (validated, enriched, analysed) while the one before is being written.
    let writing: Promise<BulkLine[]> = Promise.resolve([])
    const next = async () => {
      const prepared = await this.prepareBatch(depositor, batch, seen, seenJson)
      batch = []
      report.push(...prepared.report, ...(await writing))
      writing = this.writeBatch(prepared.pending)
      // Keeps a failed write from being an unhandled rejection before it is awaited.
      writing.catch(() => undefined)
    }
    for await (const line of lines) {
      if (line.error !== undefined) {
        report.push({ ligne: line.position, resultat: 'rejected', erreurs: [{ path: '', message: line.error }] })
        continue
      }
      batch.push({ position: line.position, body: line.value })
      if (batch.length >= BULK_BATCH) await next()
    }
    await next()
    report.push(...(await writing))
    return report.sort((a, b) => a.ligne - b.ligne)
  }

  /**
   * Prepares one batch of a bulk deposit: the offers its lines name (or would create) are read in
   * one query; bad lines are reported, good ones returned ready to write.
   */
  private async prepareBatch(
    depositor: Depositor,
    items: readonly { position: number; body: unknown }[],
    seen: Set<string>,
    seenJson: Map<string, string>,
  ): Promise<{ report: BulkLine[]; pending: PendingLine[] }> {
    const report: BulkLine[] = []
    if (items.length === 0) return { report, pending: [] }
    const wanted = items.map(({ body }) => {
      const given = idOf(body)
      if (given !== undefined || partnerOf(body)) return { given }
      return { given, candidate: directId(candidateDigest(depositor, body, 0)) }
    })
    // Only what can be an offer's id is looked up: any other text names no offer (and a NUL byte
    // is no text the store can compare).
    const ids = wanted.flatMap((item) => (item.candidate ? [item.candidate] : typeof item.given === 'string' && OFFER_ID.test(item.given) ? [item.given] : []))
    const stored = await this.deps.log.getMany(ids)
    const pending: PendingLine[] = []
    for (const [at, { position, body }] of items.entries()) {
      const { given, candidate } = wanted[at] ?? {}
      try {
        let id: string
        let existing: OfferState | undefined
        if (candidate !== undefined) {
          const resolved = await this.resolveDirect(
            depositor,
            body,
            // The first candidate was read with the batch; the rare next ones one by one.
            (next, salt) => (salt === 0 ? Promise.resolve(stored.get(next)) : this.deps.log.get(next)),
            (next, json) => {
              if (!seen.has(next)) return false
              const other = seenJson.get(next)
              return other === undefined || DepositService.content(other) !== DepositService.content(json)
            },
            candidate,
          )
          ;({ id, existing } = resolved)
          if (seen.has(id)) throw new DepositError([{ path: '/id', message: `L’offre ${id} figure déjà plus haut dans ce dépôt.` }])
          seen.add(id)
          seenJson.set(id, resolved.record.json)
          pending.push({ line: position, id, record: resolved.record, existing })
          continue
        } else if (typeof given === 'string' && !partnerOf(body)) {
          existing = stored.get(given)
          if (!existing || existing.owner !== depositor.clientId) throw new NotFoundError(`Offre inconnue : ${given}`)
          id = given
        } else {
          const assigned = this.newId(body)
          if ('error' in assigned) throw new DepositError([assigned.error])
          id = assigned.id
          existing = stored.get(id)
          if (existing && existing.owner !== depositor.clientId) {
            throw new DepositError([{ path: '/id', message: `L’offre ${id} existe déjà et appartient à un autre déposant.` }])
          }
        }
        if (seen.has(id)) throw new DepositError([{ path: '/id', message: `L’offre ${id} figure déjà plus haut dans ce dépôt.` }])
        const record = this.prepare(depositor, body, id, existing)
        seen.add(id)
        pending.push({ line: position, id, record, existing })
      } catch (error) {
        const erreurs =
          error instanceof DepositError ? error.errors : error instanceof NotFoundError ? [{ path: '/id', message: error.message }] : undefined
        if (!erreurs) throw error
        report.push({ ligne: position, resultat: 'rejected', ...(typeof given === 'string' ? { id: given } : {}), erreurs })
      }
    }
    return { report, pending }
  }

  /** Writes the prepared lines of one batch in one transaction; @returns their report. */
  private async writeBatch(pending: readonly PendingLine[]): Promise<BulkLine[]> {
    const changed = new Set(pending.filter((item) => !DepositService.same(item.existing, item.record)))
    await this.write([...changed].map((item) => item.record))
    return pending.map((item) => ({
      ligne: item.line,
      resultat: !changed.has(item) ? 'unchanged' : item.existing ? 'updated' : 'created',
      id: item.id,
    }))
  }

  /** The client's offers in one state, newest change first, by pages. */
  list(depositor: Depositor, etat: 'active' | 'fermee', limit: number, before?: number): Promise<OfferState[]> {
    return this.deps.log.ownedBy(depositor.clientId, etat === 'active' ? 'active' : 'closed', limit, before)
  }

}

/** RFC 7396 JSON merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch
  const result: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key]
    else result[key] = mergePatch(result[key], value)
  }
  return result
}
