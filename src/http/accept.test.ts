import { describe, expect, it } from 'vitest'
import { prefersHtml } from './accept.js'

describe('prefersHtml', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['*/*', false],
    ['application/json', false],
    ['application/json, text/plain, */*', false],
    ['text/html, application/json', false],
    ['text/html;q=0.5, application/json', false],
    ['text/html;q=0', false],
    ['text/plain', false],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8', true],
    ['text/html', true],
    ['TEXT/HTML; charset=utf-8', true],
    ['application/xhtml+xml', true],
    ['application/json;q=0.1, text/html', true],
    ['text/*, application/json;q=0.5', true],
    ['text/html;q=0.9, application/*;q=0.5', true],
    ['text/html;q=0.4, */*;q=0.5', false],
    ['text/html;q=abc', false],
  ])('%s → %s', (accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected)
  })
})
