import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { DATA_DIR } from '../../shared/data-dir.js'

/**
 * What the demo corpus generator takes from a ROME 4.0 fiche, beyond the referentials: the texts
 * that descriptions are written from, the compétences and savoir-être that offers list, the work
 * contexts, the NAF divisions that employ the métier. Read once from the shipped CSV files.
 */

/** A compétence (savoir-faire or savoir) of the ROME: its OGR code and label. */
export interface RomeItem {
  readonly code: string
  readonly libelle: string
}

/** A savoir-être, as an offer's `qualitesProfessionnelles` lists it. */
export interface RomeQualite {
  readonly libelle: string
  readonly description: string
}

export interface RomeFicheDetails {
  readonly code: string
  /** `emploi_cadre` of the fiche: a managerial job (most offers then carry qualification 9). */
  readonly cadre: boolean
  /** Sentences of the fiche's definition, in order (third person, often without subject). */
  readonly definition: readonly string[]
  /** Sentences on how to access the job (diplomas, licences, experience). */
  readonly acces: readonly string[]
  /** Savoir-faire marked "cœur de métier" (principal or emerging) for this fiche, then the others. */
  readonly coreSavoirFaire: readonly RomeItem[]
  readonly otherSavoirFaire: readonly RomeItem[]
  /** Savoirs (knowledge) marked "cœur de métier", then the others. */
  readonly coreSavoirs: readonly RomeItem[]
  readonly otherSavoirs: readonly RomeItem[]
  readonly qualites: readonly RomeQualite[]
  /** Work contexts of type "Horaires et durée du travail". */
  readonly horaires: readonly string[]
  /** Work contexts of type "Conditions de travail et risques professionnels". */
  readonly conditions: readonly string[]
  /** NAF divisions ("01"…"99") linked to the fiche; empty when the fiche is transverse to sectors. */
  readonly nafDivisions: readonly string[]
}

type CsvRow = Record<string, string | undefined>

function readRome(file: string): CsvRow[] {
  return parse(readFileSync(new URL(`rome/${file}`, DATA_DIR)), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
  })
}

/** The texts escape apostrophes SQL-style ("l''entretien") and sometimes double their spaces. */
function cleanText(text: string): string {
  return text.replaceAll("''", "'").replace(/\s+/g, ' ').trim()
}

// Savoir-être descriptions, for the rare item the competence referential leaves without definition.
const FALLBACK_QUALITE = 'Qualité attendue sur ce poste, appréciée au quotidien dans la relation de travail.'

const HORAIRES = 'Horaires et durée du travail'
const CONDITIONS = 'Conditions de travail et risques professionnels'

const BLOC_COMPETENCES = '5'
const BLOC_CONTEXTES = '6'
const RUBRIQUE_SAVOIR_FAIRE = '1'
const RUBRIQUE_SAVOIR_ETRE = '2'
const RUBRIQUE_SAVOIRS = '3'

interface MutableFiche {
  code: string
  cadre: boolean
  definition: { position: number; text: string }[]
  acces: { position: number; text: string }[]
  coreSavoirFaire: RomeItem[]
  otherSavoirFaire: RomeItem[]
  coreSavoirs: RomeItem[]
  otherSavoirs: RomeItem[]
  qualites: RomeQualite[]
  horaires: string[]
  conditions: string[]
  nafDivisions: string[]
}

function emptyFiche(code: string, cadre: boolean): MutableFiche {
  return {
    code,
    cadre,
    definition: [],
    acces: [],
    coreSavoirFaire: [],
    otherSavoirFaire: [],
    coreSavoirs: [],
    otherSavoirs: [],
    qualites: [],
    horaires: [],
    conditions: [],
    nafDivisions: [],
  }
}

function load(): ReadonlyMap<string, RomeFicheDetails> {
  const fiches = new Map<string, MutableFiche>()
  for (const row of readRome('unix_referentiel_code_rome_v460_utf8.csv')) {
    const code = row.code_rome ?? ''
    fiches.set(code, emptyFiche(code, row.emploi_cadre === 'O'))
  }

  for (const row of readRome('unix_texte_v460_utf8.csv')) {
    const fiche = fiches.get(row.code_rome ?? '')
    const text = cleanText(row.libelle_texte ?? '')
    if (!fiche || text === '') continue
    const sentence = { position: Number(row.position_phrase), text }
    if (row.libelle_type_texte === 'definition') fiche.definition.push(sentence)
    else if (row.libelle_type_texte === 'acces_metier') fiche.acces.push(sentence)
  }

  // Items (one label per OGR code, shared by every fiche that links it: memory stays modest).
  const items = new Map<string, RomeItem & { rubrique: string }>()
  for (const row of readRome('unix_item_v460_utf8.csv')) {
    const code = row.code_ogr ?? ''
    items.set(code, { code, libelle: cleanText(row.libelle ?? ''), rubrique: row.code_rubrique ?? '' })
  }
  const savoirEtreCodes = new Set<string>()
  for (const item of items.values()) if (item.rubrique === RUBRIQUE_SAVOIR_ETRE) savoirEtreCodes.add(item.code)

  const definitions = new Map<string, string>()
  for (const row of readRome('unix_referentiel_competence_v460_utf8.csv')) {
    const code = row.code_ogr ?? ''
    if (savoirEtreCodes.has(code) && row.definition) definitions.set(code, cleanText(row.definition))
  }
  const qualites = new Map<string, RomeQualite>()
  for (const code of savoirEtreCodes) {
    const item = items.get(code)
    if (item) qualites.set(code, { libelle: item.libelle, description: definitions.get(code) ?? FALLBACK_QUALITE })
  }

  const core = new Set<string>()
  for (const row of readRome('unix_coherence_item_v460_utf8.csv')) {
    if (row.coeur_metier) core.add(`${row.code_rome ?? ''}|${row.code_ogr ?? ''}`)
  }

  const contextes = new Map<string, { libelle: string; type: string }>()
  for (const row of readRome('unix_referentiel_contexte_travail_v460_utf8.csv')) {
    contextes.set(row.code_ogr ?? '', {
      libelle: cleanText(row.libelle_cont_travail ?? ''),
      type: row.libelle_type_cont_trav ?? '',
    })
  }

  for (const row of readRome('unix_liens_rome_referentiels_v460_utf8.csv')) {
    const code = row.code_rome ?? ''
    const fiche = fiches.get(code)
    const ogr = row.code_ogr ?? ''
    if (!fiche) continue
    if (row.code_compo_bloc === BLOC_COMPETENCES) {
      if (row.code_rubrique === RUBRIQUE_SAVOIR_ETRE) {
        const qualite = qualites.get(ogr)
        if (qualite) fiche.qualites.push(qualite)
        continue
      }
      const item = items.get(ogr)
      if (!item) continue
      const plain: RomeItem = { code: item.code, libelle: item.libelle }
      const isCore = core.has(`${code}|${ogr}`)
      const savoirFaire = isCore ? fiche.coreSavoirFaire : fiche.otherSavoirFaire
      const savoirs = isCore ? fiche.coreSavoirs : fiche.otherSavoirs
      if (row.code_rubrique === RUBRIQUE_SAVOIR_FAIRE) savoirFaire.push(plain)
      else if (row.code_rubrique === RUBRIQUE_SAVOIRS) savoirs.push(plain)
    } else if (row.code_compo_bloc === BLOC_CONTEXTES) {
      const contexte = contextes.get(ogr)
      if (contexte?.type === HORAIRES) fiche.horaires.push(contexte.libelle)
      else if (contexte?.type === CONDITIONS) fiche.conditions.push(contexte.libelle)
    }
  }

  for (const row of readRome('unix_arborescence_secteur_naf_v460_utf8.csv')) {
    const fiche = fiches.get(row.code_rome ?? '')
    const division = row.code_secteur_naf ?? ''
    // Division "0" is "Transverse aux secteurs": the fiche is found in any sector.
    if (!fiche || division === '' || division === '0') continue
    const padded = division.padStart(2, '0')
    if (!fiche.nafDivisions.includes(padded)) fiche.nafDivisions.push(padded)
  }

  const byPosition = (a: { position: number }, b: { position: number }) => a.position - b.position
  const result = new Map<string, RomeFicheDetails>()
  for (const fiche of fiches.values()) {
    result.set(fiche.code, {
      ...fiche,
      definition: fiche.definition.sort(byPosition).map((sentence) => sentence.text),
      acces: fiche.acces.sort(byPosition).map((sentence) => sentence.text),
      nafDivisions: fiche.nafDivisions.sort(),
    })
  }
  return result
}

let cache: ReadonlyMap<string, RomeFicheDetails> | undefined

/**
 * The details of every ROME 4.0 fiche, by ROME code. Parsed on first call (about a second) and
 * kept for the life of the process.
 */
export function loadRomeDetails(): ReadonlyMap<string, RomeFicheDetails> {
  cache ??= load()
  return cache
}
