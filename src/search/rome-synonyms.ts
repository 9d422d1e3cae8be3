import { analyze } from './analyzer.js'

/**
 * Where the names of an appellation come from. Every name is found in the ROME data the project
 * ships; the file and column of each kind:
 *
 * - `label`: `data/rome/unix_referentiel_appellation_v460_utf8.csv`, columns
 *   `libelle_appellation_long` and `libelle_appellation_court` (the referentials' `libelle` and
 *   `libelleCourt`), each split into its masculine and feminine forms ("Agent / Agente de
 *   service hospitalier" → "Agent de service hospitalier", "Agente de service hospitalier"),
 *   without inline endings ("Agent(e)") or what is between parentheses.
 * - `former`: `data/rome-v3/unix_referentiel_appellation_v347_utf8.csv`, the same two columns,
 *   by `code_ogr` (ROME v3 and 4.0 share the OGR codes of appellations): the labels the
 *   appellation had before ROME 4.0 ("Chef de service achats", now "Chef / Cheffe de service
 *   achats").
 * - `abbreviation`: a word in capitals between parentheses in those columns ("Agent / Agente de
 *   service hospitalier (ASH)", "(DSI, 50 salariés ou plus)"), or between dashes in the v3 ones
 *   ("-CN-"): it names every appellation whose label carries it.
 */
export type NameSource = 'label' | 'former' | 'abbreviation'

/** The labels of one appellation in one release of the ROME. */
export interface AppellationLabels {
  /** OGR code of the appellation. */
  readonly code: string
  readonly labels: readonly string[]
  /** `label` for the current release (ROME 4.0), `former` for ROME v3. */
  readonly source: 'label' | 'former'
}

/** One name of an appellation, as written. */
export interface AppellationName {
  readonly code: string
  readonly text: string
  readonly source: NameSource
}

/** Endings written inside a word for the feminine ("Agent(e)", "Accompagnateur(trice)"). */
const INLINE_ENDING = /\((?:e|s|se|ne|le|te|ère|euse|rice|trice|ive)\)/giu
const PARENTHESES = /\(([^()]*)\)/gu
/** "-CN-", "-IGEN-": the v3 way of writing an abbreviation after a label. */
const DASHED = /\s-([\p{Lu}][\p{L}\d]*)-/gu
/** A word with at least two capitals, no spaces: "ASH", "SAV", "PhISP", "RMR-MSL". */
const ABBREVIATION = /^(?=(?:[^\p{Lu}]*\p{Lu}){2})[\p{L}\d-]{2,12}$/u

/**
 * The masculine and feminine forms of a label written "Masculin / Féminin suite": the masculine
 * words take the rest of the feminine part ("Agent / Agente de service" → "Agent de service");
 * a feminine part shorter than the masculine one replaces its last words ("Photographe créateur /
 * créatrice" → "Photographe créatrice"). Other labels are their own only form.
 */
export function genderForms(label: string): string[] {
  const parts = label.split(' / ')
  if (parts.length !== 2) return [label.replaceAll(' / ', ' ')]
  const masculine = parts[0]!.trim().split(/\s+/)
  const feminine = parts[1]!.trim().split(/\s+/)
  if (feminine.length >= masculine.length) {
    return [[...masculine, ...feminine.slice(masculine.length)].join(' '), feminine.join(' ')]
  }
  return [masculine.join(' '), [...masculine.slice(0, masculine.length - feminine.length), ...feminine].join(' ')]
}

/** The names of an appellation in one label: its forms without parentheses, and its abbreviations. */
export function namesOfLabel(label: string): { forms: string[]; abbreviations: string[] } {
  const abbreviations: string[] = []
  const withoutEndings = label.replace(INLINE_ENDING, '')
  for (const match of withoutEndings.matchAll(PARENTHESES)) {
    const first = match[1]!.split(',')[0]!.trim()
    if (ABBREVIATION.test(first)) abbreviations.push(first)
  }
  for (const match of withoutEndings.matchAll(DASHED)) {
    if (ABBREVIATION.test(match[1]!)) abbreviations.push(match[1]!)
  }
  const plain = withoutEndings.replace(PARENTHESES, ' ').replace(DASHED, ' ').replace(/\s+/g, ' ').trim()
  return { forms: plain === '' ? [] : genderForms(plain), abbreviations }
}

/** The key of a text's analysed terms, order and repeats aside: "Agent de service" and "service agent" meet. */
export function termSetKey(terms: readonly string[]): string {
  return [...new Set(terms)].sort().join(' ')
}

/**
 * Appellations named by a keyword: a keyword whose analysed terms are exactly those of one of the
 * names of an appellation (its labels' forms, a former label, an abbreviation) names it. Terms
 * are compared after analysis, so case, accents, plurals and most feminine endings do not matter.
 */
export class RomeSynonyms {
  private readonly byKey = new Map<string, string[]>()
  private readonly names: AppellationName[] = []

  constructor(appellations: Iterable<AppellationLabels>) {
    const seen = new Set<string>()
    const add = (code: string, text: string, source: NameSource) => {
      const key = termSetKey(analyze(text))
      if (key === '') return
      const codes = this.byKey.get(key) ?? []
      if (!codes.includes(code)) codes.push(code)
      this.byKey.set(key, codes)
      const id = `${code}\u0000${text.toLowerCase()}`
      if (!seen.has(id)) {
        seen.add(id)
        this.names.push({ code, text, source })
      }
    }
    for (const { code, labels, source } of appellations) {
      for (const label of labels) {
        const { forms, abbreviations } = namesOfLabel(label)
        for (const form of forms) add(code, form, source)
        for (const abbreviation of abbreviations) add(code, abbreviation, 'abbreviation')
      }
    }
    for (const codes of this.byKey.values()) codes.sort()
  }

  /** Appellation codes a keyword names (its analysed terms), sorted; none for most keywords. */
  appellationsOf(terms: readonly string[]): readonly string[] {
    return this.byKey.get(termSetKey(terms)) ?? []
  }

  /** Every name of every appellation, once each. */
  allNames(): readonly AppellationName[] {
    return this.names
  }
}
