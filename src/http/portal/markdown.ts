import { html, joinHtml, type SafeHtml } from './html.js'

/**
 * The small subset of Markdown the terms of use are written in: ATX headings, paragraphs,
 * numbered and bulleted lists (with indented continuation lines), `**bold**`, `*emphasis*` and
 * `` `code` ``. Everything else is text, escaped: the output never holds markup of the source's.
 */
export function renderMarkdown(source: string, options: { headingOffset?: number } = {}): SafeHtml {
  const offset = options.headingOffset ?? 0
  const blocks: SafeHtml[] = []
  let paragraph: string[] = []
  let list: { ordered: boolean; start: number; items: string[] } | undefined

  const closeParagraph = () => {
    if (paragraph.length > 0) blocks.push(html`<p>${renderInline(paragraph.join(' '))}</p>`)
    paragraph = []
  }
  const closeList = () => {
    if (!list) return
    const items = list.items.map((item) => html`<li>${renderInline(item)}</li>`)
    if (!list.ordered) blocks.push(html`<ul>${items}</ul>`)
    else if (list.start === 1) blocks.push(html`<ol>${items}</ol>`)
    else blocks.push(html`<ol start="${list.start}">${items}</ol>`)
    list = undefined
  }

  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd()
    const title = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?$/.exec(line)
    const ordered = /^ {0,3}(\d{1,9})[.)][ \t]+(.*)$/.exec(line)
    const bullet = /^ {0,3}[-*+][ \t]+(.*)$/.exec(line)
    if (line.trim() === '') {
      closeParagraph()
      closeList()
    } else if (title) {
      closeParagraph()
      closeList()
      const level = Math.min(6, (title[1] ?? '#').length + offset)
      blocks.push(heading(level, renderInline(title[2] ?? '')))
    } else if (ordered || bullet) {
      closeParagraph()
      const isOrdered = ordered !== null
      if (list && list.ordered !== isOrdered) closeList()
      list ??= { ordered: isOrdered, start: isOrdered ? Number(ordered[1]) : 1, items: [] }
      list.items.push((ordered ? ordered[2] : bullet?.[1]) ?? '')
    } else if (list && list.items.length > 0) {
      // A line that follows an item continues it (indented or not, as CommonMark's lazy lines).
      list.items[list.items.length - 1] += ` ${line.trim()}`
    } else {
      paragraph.push(line.trim())
    }
  }
  closeParagraph()
  closeList()
  return joinHtml(blocks, '\n')
}

function heading(level: number, content: SafeHtml): SafeHtml {
  switch (level) {
    case 1:
      return html`<h1>${content}</h1>`
    case 2:
      return html`<h2>${content}</h2>`
    case 3:
      return html`<h3>${content}</h3>`
    case 4:
      return html`<h4>${content}</h4>`
    case 5:
      return html`<h5>${content}</h5>`
    default:
      return html`<h6>${content}</h6>`
  }
}

const INLINE = /\*\*(?=\S)(.+?)\*\*|`([^`]+)`|\*(?=[^\s*])([^*]+?)\*/g

/** Bold, emphasis and code spans; the rest is escaped text. */
export function renderInline(text: string): SafeHtml {
  const parts: SafeHtml[] = []
  let last = 0
  for (const match of text.matchAll(INLINE)) {
    const index = match.index
    parts.push(html`${text.slice(last, index)}`)
    const [, bold, code, emphasis] = match
    if (bold !== undefined) parts.push(html`<strong>${renderInline(bold)}</strong>`)
    else if (code !== undefined) parts.push(html`<code>${code}</code>`)
    else parts.push(html`<em>${emphasis ?? ''}</em>`)
    last = index + match[0].length
  }
  parts.push(html`${text.slice(last)}`)
  return joinHtml(parts)
}
