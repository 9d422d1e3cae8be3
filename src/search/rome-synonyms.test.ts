import { beforeAll, describe, expect, it } from 'vitest'
import type { Referentials } from '../domain/referentials/referentials.js'
import { loadReferentials } from '../storage/reference-data.js'
import { loadRomeVocabulary } from '../storage/rome-vocabulary.js'
import { analyze } from './analyzer.js'
import { genderForms, namesOfLabel, RomeSynonyms, termSetKey } from './rome-synonyms.js'

describe('genderForms', () => {
  it('gives the masculine the rest of the feminine part', () => {
    expect(genderForms('Agent / Agente de service hospitalier')).toEqual(['Agent de service hospitalier', 'Agente de service hospitalier'])
    expect(genderForms('Technicien électricien / Technicienne électricienne SAV')).toEqual([
      'Technicien électricien SAV',
      'Technicienne électricienne SAV',
    ])
  })

  it('lets a shorter feminine part replace the last masculine words', () => {
    expect(genderForms('Photographe créateur / créatrice')).toEqual(['Photographe créateur', 'Photographe créatrice'])
  })

  it('keeps other labels whole', () => {
    expect(genderForms('Comptable')).toEqual(['Comptable'])
    expect(genderForms('Agent / Agente de maintenance automaticien / automaticienne')).toEqual([
      'Agent Agente de maintenance automaticien automaticienne',
    ])
  })
})

describe('namesOfLabel', () => {
  it('takes abbreviations out of parentheses and dashes, and inline endings out of words', () => {
    expect(namesOfLabel('Agent / Agente de service hospitalier (ASH)')).toEqual({
      forms: ['Agent de service hospitalier', 'Agente de service hospitalier'],
      abbreviations: ['ASH'],
    })
    expect(namesOfLabel('Agent(e) maintenance SAV de distributeurs automatiques')).toEqual({
      forms: ['Agent maintenance SAV de distributeurs automatiques'],
      abbreviations: [],
    })
    expect(namesOfLabel('Opérateur / Opératrice sur machine de découpage à Commande Numérique -CN-').abbreviations).toEqual(['CN'])
    expect(namesOfLabel('Directeur / Directrice des systèmes d’information (DSI, 50 salariés ou plus)').abbreviations).toEqual(['DSI'])
  })

  it('does not take a phrase between parentheses for an abbreviation', () => {
    expect(namesOfLabel('Analyste SOC (Security Operations Center)').abbreviations).toEqual([])
  })
})

describe('RomeSynonyms over the shipped ROME', () => {
  let referentials: Referentials
  let synonyms: RomeSynonyms
  beforeAll(() => {
    referentials = loadReferentials()
    const current = [...referentials.appellations.values()].map((item) => ({
      code: item.code,
      labels: [item.libelle, item.libelleCourt],
      source: 'label' as const,
    }))
    synonyms = new RomeSynonyms([...current, ...loadRomeVocabulary().formerAppellations])
  })
  const named = (keyword: string) => synonyms.appellationsOf(analyze(keyword))

  it('names an appellation by an abbreviation of its label', () => {
    expect(named('ASH')).toEqual(['10698'])
    expect(named('ibode')).toContain('404265')
    expect(named('SAV').length).toBeGreaterThan(5)
  })

  it('names an appellation by either gender of its label, accents and case aside', () => {
    expect(named('agente de service hospitalier')).toEqual(['10698'])
    expect(named('Agent de Service Hospitalier')).toEqual(['10698'])
    expect(named('cheffe de service achats')).toEqual(named('chef de service achats'))
    expect(named('chef de service achats')).toContain('12340')
  })

  it('names an appellation by its ROME v3 label', () => {
    expect(referentials.appellations.get('10260')?.libelle).toBe('Acousticien / Acousticienne du bâtiment')
    expect(named('acousticien BTP')).toEqual(['10260'])
  })

  it('names nothing for a keyword that is no name', () => {
    expect(named('informatique')).toEqual([])
    expect(termSetKey(analyze('service agent'))).toBe(termSetKey(analyze('agent de service')))
  })
})
