import { createHash } from 'node:crypto'
import type { KeywordMode } from '../../search/keyword-refiner.js'
import type { SearchQuery, SortKey } from '../../search/search-query.js'

/**
 * A search cursor (`curseur`, from the `X-Curseur-Suivant` header): where a search's order stands
 * after the last offer of a page, for whichever query it was read with. Opaque to clients: the
 * base64url of a JSON array `[version, score, distance, date, origine, id, fingerprint, minute]`.
 */
export interface SearchCursor {
  /** The sort key of the last offer served. */
  readonly after: SortKey
  /** `queryFingerprint` of the search it belongs to. */
  readonly fingerprint: string
  /**
   * The minute the search was first resolved at: relative criteria (`publieeDepuis`) keep that
   * origin over every page, so that the pages of one traversal read one set of offers.
   */
  readonly minute: number
}

const VERSION = 1
/** Far more than a real cursor needs (about 120 characters): longer input is not even decoded. */
const MAX_LENGTH = 512
/** Offer ids are 7 characters on the wire; imported ones may differ, so any short printable id is kept. */
const ID = /^[\x21-\x7e]{1,64}$/
const FINGERPRINT = /^[A-Za-z0-9_-]{16}$/

/** A short digest of a resolved search: two different searches get different fingerprints. */
export function queryFingerprint(query: SearchQuery, mode?: KeywordMode): string {
  // How keywords are read changes the matches: a cursor of an exact or extended search is its own.
  const asked = mode && (mode.exact || mode.extended) ? [query, mode] : query
  return createHash('sha256').update(JSON.stringify(asked)).digest('base64url').slice(0, 16)
}

/** The opaque text of a cursor. */
export function encodeCursor(cursor: SearchCursor): string {
  const { after } = cursor
  const fields = [VERSION, after.score, after.distance, after.date, after.origine, after.id, cursor.fingerprint, cursor.minute]
  return Buffer.from(JSON.stringify(fields)).toString('base64url')
}

/** The cursor written by `encodeCursor`, or undefined for anything else. */
export function decodeCursor(text: string): SearchCursor | undefined {
  if (text.length > MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined
  let fields: unknown
  try {
    fields = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    return undefined
  }
  if (!Array.isArray(fields) || fields.length !== 8) return undefined
  const [version, score, distance, date, origine, id, fingerprint, minute] = fields as unknown[]
  const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)
  if (version !== VERSION || !finite(score) || !finite(distance) || !finite(date) || !finite(minute)) return undefined
  if ((origine !== 1 && origine !== 2) || typeof id !== 'string' || !ID.test(id)) return undefined
  if (typeof fingerprint !== 'string' || !FINGERPRINT.test(fingerprint) || minute % 60_000 !== 0) return undefined
  return { after: { score, distance, date, origine, id }, fingerprint, minute }
}
