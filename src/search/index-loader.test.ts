import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { withoutDescription } from './index-loader.js'

const strip = (value: Record<string, unknown>) => {
  const { description: _dropped, ...rest } = value
  return rest
}

describe('withoutDescription', () => {
  it('removes the top-level description, keeping every other member', () => {
    const offer = { id: '184VWCX', intitule: 'Chef', description: 'Cuisine "maison"\n\\ fin\\', entreprise: { description: 'PME' } }
    expect(JSON.parse(withoutDescription(Buffer.from(JSON.stringify(offer))))).toEqual(strip(offer))
  })

  it('handles a description in last place, in first place, or missing', () => {
    for (const offer of [{ id: 'A', description: 'x' }, { description: 'x', id: 'A' }, { id: 'A' }, { description: '' }]) {
      expect(JSON.parse(withoutDescription(Buffer.from(JSON.stringify(offer))))).toEqual(strip(offer))
    }
  })

  it('keeps any JSON object valid and equal but for its description', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), fc.string(), (intitule, description, other) => {
        const offer = { id: 'X', intitule, description, entreprise: { description: other } }
        expect(JSON.parse(withoutDescription(Buffer.from(JSON.stringify(offer))))).toEqual(strip(offer))
      }),
      { numRuns: 500, seed: 3 },
    )
  })
})
