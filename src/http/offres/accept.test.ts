import { describe, expect, it } from 'vitest'
import { prefersJsonLd } from './accept.js'

describe('prefersJsonLd', () => {
  it.each([
    'application/ld+json',
    'application/LD+JSON',
    'application/ld+json; profile="https://schema.org"',
    'application/ld+json, */*',
    'application/ld+json, application/*;q=0.9',
    'application/json;q=0.5, application/ld+json',
    'application/ld+json;q=0.9, application/json;q=0.8',
    'text/html, application/ld+json;q=0.1',
  ])('gives JSON-LD for %s', (accept) => {
    expect(prefersJsonLd(accept)).toBe(true)
  })

  it.each([
    [undefined],
    [''],
    ['*/*'],
    ['application/json'],
    ['application/json, application/ld+json'],
    ['application/ld+json, application/json'],
    ['application/ld+json;q=0.5, application/json'],
    ['application/ld+json;q=0'],
    ['application/ld+json;q=0, */*'],
    ['application/ld+json;q=0.5, */*'],
    ['text/html'],
    ['application/*'],
  ])('keeps the original JSON for %s', (accept) => {
    expect(prefersJsonLd(accept)).toBe(false)
  })

  it('reads an unreadable q-value as 1', () => {
    expect(prefersJsonLd('application/ld+json;q=abc, application/json;q=0.9')).toBe(true)
  })
})
