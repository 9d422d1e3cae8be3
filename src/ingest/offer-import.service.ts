import { validateOffer } from '../domain/offers/offer-json.js'
import type { OfferRecord, OffersRepository } from '../domain/offers/offers.repository.js'
import type { Referentials } from '../domain/referentials/referentials.js'
import { InvalidArgumentError } from '../shared/errors.js'
import type { RawRecord } from './offer-file.js'
import { offerRecord } from './offer-record.js'

/** A record that was not imported, and why. */
export interface Rejection {
  readonly position: number
  readonly id?: string
  readonly reasons: readonly string[]
}

/** Outcome of an import: every record read is counted exactly once. */
export interface ImportReport {
  read: number
  created: number
  updated: number
  unchanged: number
  rejected: number
  /** The first rejections (at most `MAX_LISTED_REJECTIONS`), with their position in the input. */
  rejections: Rejection[]
}

export interface ImportOptions {
  /** Provenance stored with each offer ("import", "demo"). */
  readonly source: string
  /**
   * Appellation codes to classify every offer under, in addition to the one its label gives:
   * for files fetched from the original API with `appellation=<code>`, which returns no codes.
   */
  readonly appellations?: readonly string[]
  /** Records per transaction. */
  readonly batchSize?: number
  /** Called after each committed batch, with the running report. */
  readonly onProgress?: (report: Readonly<ImportReport>) => void
}

const MAX_LISTED_REJECTIONS = 1000
const DEFAULT_BATCH = 1000

/**
 * Imports offers in the original's JSON into the store: each record is validated against the
 * `Offre` schema and the referentials, good ones are stored in batches (one transaction each) with
 * their search document, bad ones are reported with their position and reason and change nothing.
 */
export class OfferImportService {
  constructor(private readonly deps: { offers: OffersRepository; referentials: Referentials }) {}

  /**
   * @throws InvalidArgumentError when an appellation code of the options is unknown.
   */
  async importRecords(records: AsyncIterable<RawRecord> | Iterable<RawRecord>, options: ImportOptions): Promise<ImportReport> {
    const appellations = [...new Set(options.appellations ?? [])]
    const unknown = appellations.filter((code) => !this.deps.referentials.appellations.has(code))
    if (unknown.length > 0) throw new InvalidArgumentError(`Unknown appellation code(s): ${unknown.join(', ')}`)
    const report: ImportReport = { read: 0, created: 0, updated: 0, unchanged: 0, rejected: 0, rejections: [] }
    const reject = (rejection: Rejection) => {
      report.rejected++
      if (report.rejections.length < MAX_LISTED_REJECTIONS) report.rejections.push(rejection)
    }
    const batchSize = options.batchSize ?? DEFAULT_BATCH
    let batch: OfferRecord[] = []
    const flush = async () => {
      if (batch.length === 0) return
      const counts = await this.deps.offers.upsert(batch)
      report.created += counts.created
      report.updated += counts.updated
      report.unchanged += counts.unchanged
      batch = []
      options.onProgress?.(report)
    }
    for await (const record of records) {
      report.read++
      if ('error' in record) {
        reject({ position: record.position, reasons: [record.error] })
        continue
      }
      const validation = validateOffer(record.value, this.deps.referentials)
      if (!validation.ok) {
        const id = (record.value as { id?: unknown } | null)?.id
        reject({ position: record.position, ...(typeof id === 'string' ? { id } : {}), reasons: validation.reasons })
        continue
      }
      batch.push(offerRecord(validation.offer, this.deps.referentials, { appellations, source: options.source }))
      if (batch.length >= batchSize) await flush()
    }
    await flush()
    return report
  }
}
