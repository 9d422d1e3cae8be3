import { describe, expect, it } from 'vitest'
import { analyze } from './analyzer.js'

const sameTerms = (a: string, b: string) => expect(analyze(a)).toEqual(analyze(b))

describe('analyze', () => {
  it('finds "Infirmier / Infirmière" from "infirmières"', () => {
    const title = new Set(analyze('Infirmier / Infirmière'))
    for (const term of analyze('infirmières')) expect(title).toContain(term)
  })

  it('ignores case and accents', () => {
    sameTerms('Développeur', 'developpeur')
    sameTerms('ÉLECTRICIEN', 'electricien')
    sameTerms('infirmières', 'infirmieres')
  })

  it('unifies feminine and masculine job titles', () => {
    sameTerms('vendeuse', 'vendeur')
    sameTerms('directrice', 'directeur')
    sameTerms('cuisinière', 'cuisinier')
    sameTerms('électricienne', 'électricien')
    sameTerms('boulangères', 'boulanger')
  })

  it('unifies singular and plural', () => {
    sameTerms('chauffeurs', 'chauffeur')
    sameTerms('aides-soignants', 'aide-soignant')
  })

  it('drops stop words and splits on punctuation', () => {
    expect(analyze('Chef de rang / Cheffe de rang')).toEqual(analyze('chef rang cheffe rang'))
    expect(analyze('de la des')).toEqual([])
  })

  it('keeps codes and numbers whole', () => {
    expect(analyze('D1102')).toEqual(['d1102'])
    expect(analyze('35H')).toEqual(['35h'])
  })

  it('tells different jobs apart', () => {
    expect(analyze('boulanger')).not.toEqual(analyze('boucher'))
    expect(analyze('comptable')).not.toEqual(analyze('commercial'))
  })
})
