/**
 * Markup that is safe to insert as is. Only {@link html} templates (and the renderers built on
 * them) make it, so that every interpolated value is escaped unless it is itself markup.
 */
export class SafeHtml {
  /** @internal Use {@link html}: wrapping a string by hand would bypass the escaping. */
  constructor(readonly value: string) {}

  toString(): string {
    return this.value
  }
}

/** What a template accepts: text (escaped), markup, numbers, lists of those; nothing for null, undefined and booleans. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[]

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for an element's content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char)
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value
  if (value === null || value === undefined || typeof value === 'boolean') return ''
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return escapeHtml(value)
  return value.map(render).join('')
}

/**
 * Tagged template of markup: interpolated values are escaped, except markup made by other
 * templates; `false`, `null` and `undefined` render nothing, so that `cond && html\`…\`` works.
 * Attribute values must be written between double quotes.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? ''
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '')
  })
  return new SafeHtml(out)
}

/** Joins pieces of markup. */
export function joinHtml(items: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  const sep = render(separator)
  return new SafeHtml(items.map(render).join(sep))
}

/**
 * A link target from configuration or data: same-site paths and http(s) URLs only, so that a
 * `javascript:` URL can never reach an `href`.
 */
export function safeUrl(url: string): string {
  if (/^\/(?![/\\])/.test(url)) return url
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : '#'
  } catch {
    return '#'
  }
}
