import { describe, expect, it } from 'vitest'
import { CsrfTokens } from './csrf.js'

describe('CsrfTokens', () => {
  const tokens = new CsrfTokens()

  it('accepts the token of the binding only', () => {
    const token = tokens.token('session:abc')
    expect(tokens.verify('session:abc', token)).toBe(true)
    expect(tokens.verify('session:abd', token)).toBe(false)
    expect(tokens.verify(undefined, token)).toBe(false)
    expect(tokens.verify('session:abc', `${token}x`)).toBe(false)
    expect(tokens.verify('session:abc', '')).toBe(false)
    expect(tokens.verify('session:abc', ['x'])).toBe(false)
  })

  it('gives the same token on every node, so any node accepts the forms of another', () => {
    expect(new CsrfTokens().token('session:abc')).toBe(tokens.token('session:abc'))
  })
})
