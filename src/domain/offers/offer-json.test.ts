import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadReferentials } from '../../storage/reference-data.js'
import type { Referentials } from '../referentials/referentials.js'
import type { Offre } from './offer.schema.js'
import { serializeOffer, validateOffer } from './offer-json.js'

const REAL = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/offres/offres-exemple-data-engineer-2.json', import.meta.url), 'utf8'),
) as Offre[]
const first = REAL[0] as Offre

let referentials: Referentials
beforeAll(() => {
  referentials = loadReferentials()
})

const reasonsOf = (value: unknown) => {
  const result = validateOffer(value, referentials)
  return result.ok ? [] : result.reasons
}

describe('validateOffer', () => {
  it('accepts the real offers unchanged', () => {
    for (const offer of REAL) expect(validateOffer(offer, referentials)).toEqual({ ok: true, offer })
  })

  it('lists every problem with its JSON pointer', () => {
    const reasons = reasonsOf({ ...first, intitule: '', lieuTravail: { latitude: 'nord' }, nombrePostes: -1 })
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/intitule: /),
        expect.stringMatching(/^\/lieuTravail\/latitude: /),
        expect.stringMatching(/^\/nombrePostes: /),
      ]),
    )
  })

  it('names an unknown field', () => {
    expect(reasonsOf({ ...first, salaireMensuel: 2000 }).join()).toContain('salaireMensuel')
  })

  it('requires the fields every offer has', () => {
    const { id: _id, origineOffre: _origine, ...rest } = first
    const reasons = reasonsOf(rest).join('\n')
    expect(reasons).toContain('id')
    expect(reasons).toContain('origineOffre')
  })

  it('refuses a contract type outside the referential', () => {
    expect(reasonsOf({ ...first, typeContrat: 'STAGE' })).toEqual(['/typeContrat: unknown code "STAGE"'])
  })

  it('refuses ids that are not seven capitals or digits', () => {
    expect(reasonsOf({ ...first, id: 'abc' }).join()).toMatch(/^\/id: /)
  })
})

describe('serializeOffer', () => {
  it('writes the keys in the original order, whatever order they came in', () => {
    const shuffled = Object.fromEntries(Object.entries(first).reverse()) as Offre
    expect(serializeOffer(shuffled)).toBe(JSON.stringify(first))
  })

  it('orders nested objects too', () => {
    const lieu = first.lieuTravail
    const reversed = { ...first, lieuTravail: Object.fromEntries(Object.entries(lieu).reverse()) }
    expect(Object.keys((JSON.parse(serializeOffer(reversed)) as Offre).lieuTravail)).toEqual(Object.keys(lieu))
  })

  it('orders an item of a list that is out of order, the others being in order', () => {
    const offer = REAL.find((candidate) => (candidate.competences?.length ?? 0) >= 2)
    if (!offer?.competences) throw new Error('fixture without two compétences')
    const [head, ...rest] = offer.competences
    const swapped = { ...offer, competences: [Object.fromEntries(Object.entries(head ?? {}).reverse()), ...rest] } as Offre
    expect(serializeOffer(swapped)).toBe(JSON.stringify(offer))
  })

  it('leaves out fields the schema does not know, at any depth, and absent values', () => {
    const extra = { ...first, inconnu: 1, lieuTravail: { ...first.lieuTravail, autre: 'x' }, salaire: { ...first.salaire, vide: undefined } }
    expect(serializeOffer(extra as unknown as Offre)).toBe(JSON.stringify(first))
  })

  it('writes an offer already in order as it is', () => {
    for (const offer of REAL) expect(serializeOffer(offer)).toBe(JSON.stringify(offer))
  })
})
