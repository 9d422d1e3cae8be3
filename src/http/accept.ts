/** The weight (`q`) of each media range of an Accept header, lower-cased; a malformed weight is 0. */
function weights(accept: string): Map<string, number> {
  const ranges = new Map<string, number>()
  for (const part of accept.split(',')) {
    const [range = '', ...parameters] = part.split(';').map((item) => item.trim().toLowerCase())
    if (range === '') continue
    const q = parameters.find((parameter) => parameter.startsWith('q='))
    const weight = q === undefined ? 1 : Number(q.slice(2))
    ranges.set(range, Number.isFinite(weight) ? weight : 0)
  }
  return ranges
}

/** The weight of a media type: that of the most specific range matching it (RFC 9110 §12.5.1). */
function weightOf(ranges: ReadonlyMap<string, number>, type: string): number {
  const [main = ''] = type.split('/')
  return ranges.get(type) ?? ranges.get(`${main}/*`) ?? ranges.get('*/*') ?? 0
}

/**
 * Whether a client prefers an HTML page to JSON, as browsers do: HTML (or XHTML) weighs more than
 * JSON. No Accept, `*\/*`, or a tie gives JSON: machines keep what they always got.
 */
export function prefersHtml(accept: string | undefined): boolean {
  const ranges = weights(accept ?? '')
  const html = Math.max(weightOf(ranges, 'text/html'), ranges.get('application/xhtml+xml') ?? 0)
  return html > 0 && html > weightOf(ranges, 'application/json')
}
