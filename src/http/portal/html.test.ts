import { describe, expect, it } from 'vitest'
import { escapeHtml, html, joinHtml, safeUrl } from './html.js'

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
  })

  it('leaves other text alone', () => {
    expect(escapeHtml('Offres d’emploi — « v2 »')).toBe('Offres d’emploi — « v2 »')
  })
})

describe('html', () => {
  it('escapes interpolated text but not nested templates', () => {
    const name = '<script>alert(1)</script>'
    expect(html`<p title="${name}">${html`<b>${name}</b>`}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;"><b>&lt;script&gt;alert(1)&lt;/script&gt;</b></p>',
    )
  })

  it('renders lists, numbers, and nothing for null, undefined and booleans', () => {
    expect(html`${['a', html`<i>b</i>`, 3]}|${null}|${undefined}|${false}|${true}`.value).toBe('a<i>b</i>3||||')
  })

  it('joins with an escaped separator', () => {
    expect(joinHtml(['<', html`<br>`], '&').value).toBe('&lt;&amp;<br>')
  })
})

describe('safeUrl', () => {
  it('keeps same-site paths and http(s) URLs', () => {
    expect(safeUrl('/docs')).toBe('/docs')
    expect(safeUrl('https://example.org/a?b=1')).toBe('https://example.org/a?b=1')
  })

  it('refuses script URLs, protocol-relative URLs and garbage', () => {
    expect(safeUrl('javascript:alert(1)')).toBe('#')
    expect(safeUrl('//evil.example/')).toBe('#')
    expect(safeUrl('/\\evil.example/')).toBe('#')
    expect(safeUrl('not a url')).toBe('#')
  })
})
