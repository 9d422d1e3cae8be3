import type { Referentials } from '../domain/referentials/referentials.js'
import { NameIndex } from './name-index.js'
import { RomeSynonyms, type AppellationLabels } from './rome-synonyms.js'
import { WordLexicon } from './word-lexicon.js'

/** Reference texts beyond the referentials (read from the shipped ROME files by the storage layer). */
export interface LexiconSources {
  /** Appellation labels of ROME v3, by OGR code. */
  readonly formerAppellations: readonly AppellationLabels[]
  /** Labels of the ROME 4.0 compétences and savoirs. */
  readonly skillLabels: readonly string[]
}

/**
 * Everything keyword correction, ROME synonyms and suggestions read that does not change with the
 * offers: the reference words, the names of the appellations and of the communes. One per
 * process (built in about a second); the counts of live offers come from each index's
 * `LiveVocabulary`.
 */
export class SearchLexicon {
  readonly words = new WordLexicon()
  readonly synonyms: RomeSynonyms
  readonly appellations = new NameIndex()
  readonly appellationCodes: readonly string[]
  readonly communes = new NameIndex()
  readonly communeCodes: readonly string[]
  /** Arrondissements of Paris, Lyon and Marseille (numbers of `communeCodes`) by their city's number. */
  readonly cityMembers: readonly (readonly number[] | undefined)[]

  constructor(
    readonly referentials: Referentials,
    sources: LexiconSources = { formerAppellations: [], skillLabels: [] },
  ) {
    const current: AppellationLabels[] = [...referentials.appellations.values()].map((appellation) => ({
      code: appellation.code,
      labels: [appellation.libelle, appellation.libelleCourt],
      source: 'label',
    }))
    const known = sources.formerAppellations.filter((item) => referentials.appellations.has(item.code))
    this.synonyms = new RomeSynonyms([...current, ...known])

    const codes = [...referentials.appellations.keys()]
    this.appellationCodes = codes
    const appellationNumber = new Map(codes.map((code, number) => [code, number]))
    for (const name of this.synonyms.allNames()) this.appellations.add(appellationNumber.get(name.code)!, name.text)
    this.appellations.compact()

    const communes = [...referentials.communes.values()]
    this.communeCodes = communes.map((commune) => commune.code)
    const communeNumber = new Map(this.communeCodes.map((code, number) => [code, number]))
    const members: (number[] | undefined)[] = []
    communes.forEach((commune, number) => {
      this.communes.add(number, commune.nom)
      this.communes.add(number, commune.codePostal)
      const city = commune.parent === undefined ? undefined : communeNumber.get(commune.parent)
      if (city !== undefined) (members[city] ??= []).push(number)
    })
    this.communes.compact()
    this.cityMembers = members

    for (const { labels } of [...current, ...known]) for (const label of labels) this.words.addText(label)
    for (const metier of referentials.metiers.values()) this.words.addText(metier.libelle)
    for (const label of sources.skillLabels) this.words.addText(label)
    for (const list of [referentials.departements, referentials.regions, referentials.domaines, referentials.langues, referentials.permis]) {
      for (const item of list.values()) this.words.addText(item.libelle)
    }
    this.words.compact()
  }
}
