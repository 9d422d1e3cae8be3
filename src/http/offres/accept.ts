/** The media type of a schema.org JobPosting in JSON-LD. */
export const JSON_LD = 'application/ld+json'

interface Preference {
  /** The q-value of the most specific range matching the type (0: not acceptable). */
  readonly q: number
  /** Whether a range names the type itself (not `application/*` or `*\/*`). */
  readonly named: boolean
}

/** The q-value of a range's parameters ("q=0.5"); 1 when absent or unreadable. */
function qValue(parameters: readonly string[]): number {
  for (const parameter of parameters) {
    const [name, value] = parameter.split('=').map((part) => part.trim())
    if (name?.toLowerCase() !== 'q' || value === undefined) continue
    const q = Number(value)
    return Number.isFinite(q) && q >= 0 && q <= 1 ? q : 1
  }
  return 1
}

/** How much an Accept header wants a media type (RFC 9110 §12.5.1: the most specific range decides). */
function preference(ranges: readonly { type: string; q: number }[], mediaType: string): Preference {
  const [family] = mediaType.split('/')
  let best: { specificity: number; q: number } | undefined
  for (const range of ranges) {
    const specificity = range.type === mediaType ? 2 : range.type === `${family}/*` ? 1 : range.type === '*/*' ? 0 : -1
    if (specificity < 0 || (best && best.specificity > specificity)) continue
    best = best && best.specificity === specificity ? { specificity, q: Math.max(best.q, range.q) } : { specificity, q: range.q }
  }
  return { q: best?.q ?? 0, named: best?.specificity === 2 }
}

/**
 * Whether a client asks for JSON-LD rather than the original's JSON. JSON wins unless JSON-LD is
 * preferred by its q-value, or equally wanted and named while JSON only comes through a wildcard
 * (`application/ld+json, *\/*`). No header, `*\/*`, `application/json` or a header naming neither
 * give JSON, as they always did.
 */
export function prefersJsonLd(accept: string | undefined): boolean {
  if (accept === undefined || !accept.toLowerCase().includes(JSON_LD)) return false
  const ranges = accept.split(',').map((item) => {
    const [type = '', ...parameters] = item.split(';')
    return { type: type.trim().toLowerCase(), q: qValue(parameters) }
  })
  const ld = preference(ranges, JSON_LD)
  const json = preference(ranges, 'application/json')
  if (ld.q === 0) return false
  return ld.q > json.q || (ld.q === json.q && ld.named && !json.named)
}
