import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderInline, renderMarkdown } from './markdown.js'

describe('renderMarkdown', () => {
  it('renders headings (shifted), paragraphs and numbered lists with continuation lines', () => {
    const source = '# Titre\n\nUn paragraphe\nsur deux lignes.\n\n1. **Objet.** Premier\n   point.\n2. Second point.\n'
    expect(renderMarkdown(source, { headingOffset: 1 }).value).toBe(
      '<h2>Titre</h2>\n<p>Un paragraphe sur deux lignes.</p>\n<ol><li><strong>Objet.</strong> Premier point.</li><li>Second point.</li></ol>',
    )
  })

  it('renders bulleted lists and a numbered list starting elsewhere than 1', () => {
    expect(renderMarkdown('- a\n- b\n\n3) c').value).toBe('<ul><li>a</li><li>b</li></ul>\n<ol start="3"><li>c</li></ol>')
  })

  it('escapes any markup of the source', () => {
    const out = renderMarkdown('# <img src=x onerror=alert(1)>\n\n**<b>gras</b>** `<code>` *"q"*').value
    expect(out).toBe(
      '<h1>&lt;img src=x onerror=alert(1)&gt;</h1>\n<p><strong>&lt;b&gt;gras&lt;/b&gt;</strong> <code>&lt;code&gt;</code> <em>&quot;q&quot;</em></p>',
    )
  })

  it('caps heading levels at 6', () => {
    expect(renderMarkdown('###### Six', { headingOffset: 2 }).value).toBe('<h6>Six</h6>')
  })

  it('renders the terms of the catalogue', () => {
    const terms = readFileSync(new URL('../../../data/apis/terms/offresdemploiv2-1.0.md', import.meta.url), 'utf8')
    const out = renderMarkdown(terms, { headingOffset: 1 }).value
    expect(out).toMatch(/^<h2>Conditions générales d&#39;utilisation de l&#39;API « Offres d&#39;emploi » v2 — version 1\.0<\/h2>/)
    expect(out.match(/<li>/g)).toHaveLength(7)
    expect(out).toContain('<li><strong>Identifiants.</strong> Le client_id et le client_secret')
  })
})

describe('renderInline', () => {
  it('leaves lone asterisks and unclosed marks as text', () => {
    expect(renderInline('2 * 3 = 6, **ouvert').value).toBe('2 * 3 = 6, **ouvert')
  })
})
