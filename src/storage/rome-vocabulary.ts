import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import type { AppellationLabels } from '../search/rome-synonyms.js'
import { DATA_DIR } from '../shared/data-dir.js'

/** What search reads from the shipped ROME files beyond the referentials. */
export interface RomeVocabulary {
  /**
   * Labels of the appellations in ROME v3 (`data/rome-v3/unix_referentiel_appellation_v347_utf8.csv`,
   * columns `libelle_appellation_long` and `libelle_appellation_court`, by `code_ogr`).
   */
  readonly formerAppellations: readonly AppellationLabels[]
  /**
   * Labels of the ROME 4.0 compétences (`data/rome/unix_referentiel_competence_v460_utf8.csv`,
   * column `libelle_competence`) and savoirs (`unix_referentiel_savoir_v460_utf8.csv`, column
   * `libelle_savoir`): the words of the skills offers list, which keywords are written with.
   */
  readonly skillLabels: readonly string[]
}

type CsvRow = Record<string, string | undefined>

function readCsv(relativePath: string): CsvRow[] {
  return parse(readFileSync(new URL(relativePath, DATA_DIR)), { columns: true, skip_empty_lines: true, bom: true })
}

/** Reads the ROME v3 appellation labels and the ROME 4.0 skill labels (a few hundred milliseconds). */
export function loadRomeVocabulary(): RomeVocabulary {
  const formerAppellations = readCsv('rome-v3/unix_referentiel_appellation_v347_utf8.csv').flatMap((row): AppellationLabels[] => {
    const code = row.code_ogr
    const labels = [row.libelle_appellation_long, row.libelle_appellation_court].filter(
      (label): label is string => label !== undefined && label !== '',
    )
    return code === undefined || labels.length === 0 ? [] : [{ code, labels, source: 'former' }]
  })
  const skillLabels = [
    ...readCsv('rome/unix_referentiel_competence_v460_utf8.csv').map((row) => row.libelle_competence),
    ...readCsv('rome/unix_referentiel_savoir_v460_utf8.csv').map((row) => row.libelle_savoir),
  ].filter((label): label is string => label !== undefined && label !== '')
  return { formerAppellations, skillLabels }
}
