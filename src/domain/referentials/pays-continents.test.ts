import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

interface CodeLabel {
  code: string
  libelle: string
}

const readText = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8')

const pays = JSON.parse(readText('../../../data/offres/referentiel-pays.json')) as CodeLabel[]
const continents = JSON.parse(readText('../../../data/offres/continents.json')) as CodeLabel[]
const paysContinentsText = readText('../../../data/offres/pays-continents.json')
const paysContinents = JSON.parse(paysContinentsText) as Record<string, string>

describe('data/offres/pays-continents.json', () => {
  const paysCodes = pays.map((item) => item.code)
  const continentCodes = continents.map((item) => item.code)

  it('lists the nine continents in the agreed order', () => {
    expect(continentCodes).toEqual(['AF', 'AC', 'AN', 'AS', 'AI', 'EU', 'MO', 'OC', 'AQ'])
  })

  it('maps every pays code and nothing else', () => {
    expect(paysCodes).toHaveLength(221)
    expect(Object.keys(paysContinents).sort()).toEqual([...paysCodes].sort())
  })

  it('writes the keys sorted by code', () => {
    // Read from the text: JavaScript objects put integer-like keys such as "10" before "01".
    const keysInFile = [...paysContinentsText.matchAll(/"(\w+)":/g)].map((match) => match[1])
    expect(keysInFile).toEqual([...paysCodes].sort())
  })

  it('maps only to continent codes', () => {
    for (const [code, continent] of Object.entries(paysContinents)) {
      expect(continentCodes, code).toContain(continent)
    }
  })

  it('keeps continent codes apart from pays codes', () => {
    for (const code of continentCodes) expect(paysCodes).not.toContain(code)
  })

  it.each([
    ['01', 'EU'],
    ['02', 'EU'],
    ['03', 'EU'],
    ['61', 'AN'],
    ['64', 'AS'],
    ['81', 'AI'],
    ['70', 'MO'],
    ['42', 'AF'],
    ['90', 'OC'],
    ['3J', 'AC'],
    ['9Z', 'AQ'],
  ])('maps %s to %s', (code, continent) => {
    expect(paysContinents[code]).toBe(continent)
  })
})
