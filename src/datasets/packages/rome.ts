/**
 * The `rome` package: the ROME referential (Répertoire Opérationnel des Métiers et des Emplois) of
 * France Travail, as tables read from the official CSV export shipped in `data/`. Each table exists
 * in up to two versions of the same resource name: `pe_version` "460" (ROME 4.0, September 2025,
 * `data/rome/`) and "347" (ROME v3, the generation the original Infotravail API served,
 * `data/rome-v3/`, under the original resource ids where they are known).
 */
import type { CellValue, FileResource, PackageDefinition } from '../definition.js'
import { csvRecords, type CsvRecord } from '../csv-rows.js'
import { CHOSEN_NAME_NOTE, fileResource, integer, rawCell, text, type Column } from '../columns.js'

/** The two ROME releases shipped: ROME 4.0 v460 and ROME v3 v347. */
type Release = '460' | '347'

/** Column names observed on the original API (infotravail-contract §1.3 and §1.4 item 9). */
const OBSERVED_NAMES: ReadonlySet<string> = new Set([
  'OGR_CODE',
  'ROME_PROFESSION_CARD_CODE',
  'ROME_PROFESSION_CARD_NAME',
  'MAIN_PROF_AREA_NAME',
  'PROFESSIONAL_AREA_NAME',
  'SKILL_NAME',
  'REF_TYPE_CODE',
])

/** Names seen on the original's offers resource (appellation code and label, §1.4 item 7). */
const OBSERVED_ON_OFFERS: ReadonlySet<string> = new Set(['ROME_PROFESSION_CODE', 'ROME_PROFESSION_NAME'])

const OFFERS_NAME_NOTE =
  "Nom de colonne repris de la ressource « Offres d'emploi » de l'API d'origine, où il désigne l'appellation " +
  '(non observé sur les ressources ROME).'
const OBSERVED_NAME_NOTE = "Nom de colonne observé sur l'API d'origine."
const O_N_NOTE = 'O = oui, N = non, vide = non renseigné (valeurs du fichier source).'

const V460_ATTRIBUTION =
  'Données © France Travail, Licence Ouverte / Open Licence (Etalab 2.0) — ROME 4.0 version 60 (25M09, ' +
  'validée le 27/08/2025, publiée le 18/09/2025), export « Toutes les données du ROME » (CSV UTF-8). ' +
  'Copie : dépôt GitHub PSID-miage/guide-carriere, dossier data/, commit 44601dc41ffe217ffb668e5bc552975b83ec722e.'

// The v347 files come from two public copies taken at different times (data/rome-v3/SOURCE.md).
const V347_LICENCE =
  'Données © Pôle emploi / France Travail, Licence Ouverte / Open Licence (Etalab) — ROME v3 version 347.'
const V347_ORIGIN_RECHERCHE_METIER =
  'Copie : dépôt GitHub emmabcdefu/RechercheMetier, dossier input/ (fichiers renommés, noms officiels rétablis), ' +
  'commit 150e367b978286d5c616102a76fd2231ed19d82c.'
const V347_ORIGIN_BOB_EMPLOI =
  'Copie : dépôt GitHub bayesimpact/bob-emploi, dossier data_analysis/lib/test/testdata/rome/csv/, ' +
  'commit 6bdbeec316c75ee7a2a01421555ccea820c6727c.'
/** The v347 tables (see `Table.file`) taken from the RechercheMetier copy; the others come from bob-emploi. */
const V347_FROM_RECHERCHE_METIER: ReadonlySet<string> = new Set([
  'cr_gd_dp',
  'grand_domaine',
  'domaine_professionnel',
  'referentiel_appellation',
  'texte',
  'item',
  'coherence_item',
])

const RELEASES = {
  '460': { folder: 'rome', label: 'ROME 4.0 v460 (septembre 2025)', date: '2025-09' },
  // The v347 release date is not in the sources; both copies were taken in 2022 (SOURCE.md).
  '347': { folder: 'rome-v3', label: 'ROME v3 v347', date: '2022' },
} as const

/** One column of a table: where its cells come from and how the data dictionary describes it. */
interface TableColumn {
  readonly id: string
  /** The header of the column in the source CSV (in the joined file when `joined`). */
  readonly source: string
  readonly type?: 'text' | 'int'
  readonly label: string
  readonly notes?: string
  /** Taken from the joined file (see `Layout.join`) rather than from the main file. */
  readonly joined?: boolean
}

/** A second file whose record with the same key completes each record of the main file. */
interface Join {
  /** The file's name in the export, as `Table.file`. */
  readonly file: string
  /** The key column, with the same header in both files. */
  readonly key: string
  /** Main records without a partner get nulls instead of failing the load (a known gap upstream). */
  readonly optional?: boolean
}

/** What a resource's fields and rows are made of. */
interface Layout {
  readonly description: string
  readonly columns: readonly TableColumn[]
  readonly join?: Join
  /**
   * The export writes apostrophes SQL-escaped (`d''engins`) in some files; they are restored
   * (`d'engins`) so that labels match those of the other files. Files that do this have no single
   * apostrophe at all, so the replacement cannot alter a legitimate value.
   */
  readonly unescapeApostrophes?: boolean
}

/** A release's resource of a table: its id, its row count and the parts of the layout it does not share. */
interface Edition extends Partial<Layout> {
  readonly id: string
  /** Records of the main file (counted with csv-parse; some quoted values span lines). */
  readonly expectedRows: number
}

/**
 * A table of the export, published as one resource per release that has it, under the same name.
 * The layout is given once when the releases share it (or only one has the table), else per release.
 */
interface Table extends Partial<Layout> {
  readonly name: string
  readonly peSource: string
  /**
   * The main file's name in the export, between `unix_` and `_v<release>_utf8.csv` (the same in
   * both releases): the resource has one row per record of it.
   */
  readonly file: string
  readonly releases: Partial<Readonly<Record<Release, Edition>>>
}

/** The joined file's records by join key, where the joined columns of a main record look up their cells. */
type Partners = ReadonlyMap<string, CsvRecord>

const NO_PARTNERS: Partners = new Map()

function exportFile(table: string, release: Release): string {
  return `unix_${table}_v${release}_utf8.csv`
}

function attribution(release: Release, tables: readonly string[]): string {
  if (release === '460') return V460_ATTRIBUTION
  const origins = new Set(
    tables.map((table) => (V347_FROM_RECHERCHE_METIER.has(table) ? V347_ORIGIN_RECHERCHE_METIER : V347_ORIGIN_BOB_EMPLOI)),
  )
  return [V347_LICENCE, ...origins].join(' ')
}

function notesOf(column: TableColumn, file: string): string {
  const parts = [`Colonne « ${column.source} » de ${file}.`]
  if (column.notes) parts.push(column.notes)
  if (OBSERVED_NAMES.has(column.id)) parts.push(OBSERVED_NAME_NOTE)
  else if (OBSERVED_ON_OFFERS.has(column.id)) parts.push(OFFERS_NAME_NOTE)
  else parts.push(CHOSEN_NAME_NOTE)
  return parts.join(' ')
}

/** How a cell is read from the record that holds its column (main or joined). */
function readerOf(column: TableColumn, unescape: boolean): (record: CsvRecord) => CellValue {
  if (column.type === 'int') return integer(column.source)
  const read = text(column.source)
  if (!unescape) return read
  return (record) => {
    const value = read(record)
    return typeof value === 'string' ? value.replaceAll("''", "'") : value
  }
}

function resourceOf(table: Table, release: Release, edition: Edition): FileResource {
  const description = edition.description ?? table.description
  const columns = edition.columns ?? table.columns
  if (description === undefined || columns === undefined) throw new Error(`${table.name} v${release}: no layout`)
  const join = edition.join ?? table.join
  const unescape = edition.unescapeApostrophes ?? table.unescapeApostrophes ?? false
  const { folder, label, date } = RELEASES[release]
  const file = exportFile(table.file, release)
  const joinFile = join ? exportFile(join.file, release) : undefined

  function partnerOf(record: CsvRecord, partners: Partners): CsvRecord | undefined {
    if (!join) return undefined
    const key = rawCell(record, join.key)
    const partner = partners.get(key)
    if (!partner && !join.optional) throw new Error(`${file}: no record ${key} in ${joinFile}`)
    return partner
  }

  async function loadPartners(dataDir: URL): Promise<Partners> {
    if (!join || !joinFile) return NO_PARTNERS
    const partners = new Map<string, CsvRecord>()
    for await (const record of csvRecords(new URL(`${folder}/${joinFile}`, dataDir))) {
      partners.set(rawCell(record, join.key), record)
    }
    return partners
  }

  const tableColumns = columns.map((column): Column<Partners> => {
    const read = readerOf(column, unescape)
    const joined = column.joined === true && joinFile !== undefined
    return {
      id: column.id,
      type: column.type ?? 'text',
      label: column.label,
      notes: notesOf(column, joined ? joinFile : file),
      cell: joined
        ? (record, partners) => {
            const partner = partnerOf(record, partners)
            return partner ? read(partner) : null
          }
        : read,
    }
  })

  return fileResource(
    {
      id: edition.id,
      name: table.name,
      description: `${description} Version : ${label}.`,
      peSource: table.peSource,
      peVersion: release,
      peType: 'reference',
      file: `${folder}/${file}`,
      columns: tableColumns,
      lookupFiles: joinFile ? [`${folder}/${joinFile}`] : [],
      attribution: attribution(release, join ? [table.file, join.file] : [table.file]),
      date,
      expectedRows: edition.expectedRows,
    },
    loadPartners,
  )
}

// ---------------------------------------------------------------------------------------------
// Columns shared by several tables (same meaning, same name in both releases).

const FICHE_CODE: TableColumn = {
  id: 'ROME_PROFESSION_CARD_CODE',
  source: 'code_rome',
  label: 'Code ROME de la fiche métier',
  notes: 'Une lettre et quatre chiffres (ex. A1101).',
}
const FICHE_NAME: TableColumn = { id: 'ROME_PROFESSION_CARD_NAME', source: 'libelle_rome', label: 'Intitulé de la fiche métier' }
const TARGET_FICHE_CODE: TableColumn = {
  id: 'TARGET_ROME_PROFESSION_CARD_CODE',
  source: 'code_rome_cible',
  label: 'Code ROME de la fiche métier cible',
}

/** The OGR code of what a row describes (`label` says what), under the export's usual header unless given. */
function ogr(label: string, source = 'code_ogr'): TableColumn {
  return { id: 'OGR_CODE', source, label }
}

const GRAND_DOMAINE_CODE: TableColumn = {
  id: 'MAIN_PROF_AREA_CODE',
  source: 'code_grand_domaine',
  label: 'Code du grand domaine professionnel',
  notes: 'Une lettre (A à N).',
}
const GRAND_DOMAINE_NAME: TableColumn = {
  id: 'MAIN_PROF_AREA_NAME',
  source: 'libelle_grand_domaine',
  label: 'Libellé du grand domaine professionnel',
}
const DOMAINE_CODE_CR: TableColumn = {
  id: 'PROFESSIONAL_AREA_CODE',
  // Spelled with one "n" in the cr_gd_dp files.
  source: 'code_domaine_professionel',
  label: 'Code du domaine professionnel',
  notes: 'Lettre du grand domaine et deux chiffres (ex. A11).',
}
const DOMAINE_NAME_CR: TableColumn = {
  id: 'PROFESSIONAL_AREA_NAME',
  source: 'libelle_domaine_professionel',
  label: 'Libellé du domaine professionnel',
}
/** A fiche with its place in the tree: the first columns of the fiche referential in both releases. */
const FICHE_IN_TREE: readonly TableColumn[] = [
  FICHE_CODE,
  FICHE_NAME,
  GRAND_DOMAINE_CODE,
  GRAND_DOMAINE_NAME,
  DOMAINE_CODE_CR,
  DOMAINE_NAME_CR,
]
const ECO_FLAG: TableColumn = {
  id: 'ECOLOGICAL_TRANSITION',
  source: 'transition_eco',
  label: 'Lié à la transition écologique',
  notes: O_N_NOTE,
}
const DIGITAL_FLAG: TableColumn = {
  id: 'DIGITAL_TRANSITION',
  source: 'transition_num',
  label: 'Lié à la transition numérique',
  notes: O_N_NOTE,
}
const ECO_CATEGORY: TableColumn = {
  id: 'ECOLOGICAL_TRANSITION_NAME',
  source: 'transition_eco',
  label: 'Catégorie de transition écologique',
  notes: '« Emploi Vert », « Emploi Brun », « Emploi stratégique pour la Transition écologique » ou « Emploi Blanc ».',
}
const DEMOGRAPHIC_FLAG: TableColumn = {
  id: 'DEMOGRAPHIC_TRANSITION',
  source: 'transition_demo',
  label: 'Lié à la transition démographique',
  notes: O_N_NOTE,
}
const REGULATED_FLAG: TableColumn = { id: 'REGULATED_JOB', source: 'emploi_reglemente', label: 'Emploi réglementé', notes: O_N_NOTE }
const EXECUTIVE_FLAG: TableColumn = { id: 'EXECUTIVE_JOB', source: 'emploi_cadre', label: 'Emploi cadre', notes: O_N_NOTE }
const PARENT_FICHE_CODE: TableColumn = {
  id: 'PARENT_ROME_PROFESSION_CARD_CODE',
  source: 'code_rome_parent',
  label: 'Code ROME de la fiche parente',
  notes: 'Fiche « historique » (code ROME v3) dont la fiche ROME 4.0 est issue ; égal au code pour les 532 fiches parentes.',
}
/** The ROME 4.0 indicators an appellation and (from the joined code file) a fiche carry. */
const V460_INDICATORS: readonly TableColumn[] = [
  ECO_CATEGORY,
  DIGITAL_FLAG,
  DEMOGRAPHIC_FLAG,
  REGULATED_FLAG,
  EXECUTIVE_FLAG,
]
/** An appellation and its fiche: the first columns of the appellation referential in both releases. */
const APPELLATION: readonly TableColumn[] = [
  ogr("Code OGR de l'appellation"),
  { id: 'ROME_PROFESSION_NAME', source: 'libelle_appellation_long', label: "Libellé de l'appellation" },
  { id: 'ROME_PROFESSION_SHORT_NAME', source: 'libelle_appellation_court', label: "Libellé court de l'appellation" },
  FICHE_CODE,
]
const SKILL_OGR = ogr('Code OGR de la compétence')
const SKILL_NAME: TableColumn = { id: 'SKILL_NAME', source: 'libelle_competence', label: 'Libellé de la compétence' }
const ITEM_OGR = ogr("Code OGR de l'item")
const ITEM_NAME: TableColumn = { id: 'ITEM_NAME', source: 'libelle', label: "Libellé de l'item" }
const LINKED_OGR = ogr("Code OGR de l'élément lié")
const TEXT_CONTENT: TableColumn = { id: 'TEXT_CONTENT', source: 'libelle_texte', label: 'Texte' }
const RIASEC_MAJOR: TableColumn = {
  id: 'RIASEC_MAJOR_CODE',
  source: 'riasec_majeur',
  label: 'Type RIASEC majeur',
  notes: 'R réaliste, I investigateur, A artistique, S social, E entreprenant, C conventionnel.',
}
const RIASEC_MINOR: TableColumn = { id: 'RIASEC_MINOR_CODE', source: 'riasec_mineur', label: 'Type RIASEC mineur' }
const BLOCK_CODE: TableColumn = { id: 'BLOCK_CODE', source: 'code_compo_bloc', label: 'Code du bloc' }

/** The block of a fiche a row belongs to; `notes` lists the block codes the file uses. */
function ficheBlock(notes: string): TableColumn {
  return { id: 'BLOCK_CODE', source: 'code_compo_bloc', label: 'Code du bloc de la fiche', notes }
}

const ACTIVITY_SECTOR_CODE: TableColumn = {
  id: 'ACTIVITY_SECTOR_CODE',
  source: 'code_sect_activite',
  label: "Code du secteur d'activité",
}
const ACTIVITY_SECTOR_NAME: TableColumn = {
  id: 'ACTIVITY_SECTOR_NAME',
  source: 'libelle_sect_activite',
  label: "Libellé du secteur d'activité",
}
const ACTIVITY_SUBSECTOR_CODE: TableColumn = {
  id: 'ACTIVITY_SUBSECTOR_CODE',
  source: 'code_ss_sect_activite',
  label: "Code du sous-secteur d'activité",
}
const ACTIVITY_SUBSECTOR_NAME: TableColumn = {
  id: 'ACTIVITY_SUBSECTOR_NAME',
  source: 'libelle_ss_sect_activite',
  label: "Libellé du sous-secteur d'activité",
}
const NAF_SECTOR_CODE: TableColumn = { id: 'NAF_SECTOR_CODE', source: 'code_secteur_naf', label: 'Code du secteur NAF' }
const NAF_SECTOR_NAME: TableColumn = { id: 'NAF_SECTOR_NAME', source: 'libelle_secteur_naf', label: 'Libellé du secteur NAF' }
/** The fiche a row of a sector tree lists. */
const SECTOR_FICHE: readonly TableColumn[] = [ogr('Code OGR de la fiche métier', 'code_ogr_rome'), FICHE_CODE, FICHE_NAME]

// ROME v3 only.
const V347_STATUS: TableColumn = { id: 'STATUS_CODE', source: 'statut', label: 'Statut', notes: '1 = actif (seule valeur du fichier).' }
const V347_REF_TYPE: TableColumn = {
  id: 'REF_TYPE_CODE',
  source: 'code_type_referentiel',
  label: 'Code du type de référentiel',
  notes: '1 savoirs (compétences), 2 savoir-faire (activités), 3 fiche, 4 appellation, 5 environnement de travail.',
}
const V347_REF_SECTION: TableColumn = {
  id: 'REF_SECTION_CODE',
  source: 'code_ref_rubrique',
  label: 'Code de la rubrique',
  notes:
    '2 fiche, 4 appellations, 5 environnements de travail, 6 activités de base, 7 compétences de base, ' +
    '9 activités spécifiques, 10 compétences spécifiques.',
}

// ---------------------------------------------------------------------------------------------
// The tables, in the order of the resources of each release: ROME 4.0 v460 (data/rome/,
// September 2025) and ROME v3 v347 (data/rome-v3/, the generation the original API served).

const TABLES: readonly Table[] = [
  {
    name: 'Référentiel des fiches métiers ROME',
    peSource: 'ROME_REFERENTIEL_METIER',
    file: 'cr_gd_dp',
    releases: {
      '460': {
        id: '8960801b-b539-49e0-b934-8a2ff4865fbb',
        expectedRows: 1584,
        description:
          'Une ligne par fiche emploi-métier (code ROME) avec son intitulé, son grand domaine, son domaine ' +
          'professionnel, son code OGR, sa fiche parente et ses indicateurs de transition.',
        join: { file: 'referentiel_code_rome', key: 'code_rome' },
        columns: [
          ...FICHE_IN_TREE,
          { ...ogr('Code OGR de la fiche métier'), joined: true },
          { id: 'ROME_PROFESSION_CARD_ID', source: 'code_fiche_metier', joined: true, label: 'Numéro interne de la fiche métier' },
          ...[...V460_INDICATORS, PARENT_FICHE_CODE].map((column) => ({ ...column, joined: true })),
        ],
      },
      '347': {
        id: 'aff724e0-cb7f-4ee0-a559-740d51331736',
        expectedRows: 532,
        description:
          'Une ligne par fiche métier (code ROME) avec son intitulé, son grand domaine, son domaine professionnel ' +
          'et son code OGR. Le code OGR manque pour L1510, absente du fichier unix_referentiel_code_rome de la copie utilisée.',
        join: { file: 'referentiel_code_rome', key: 'code_rome', optional: true },
        columns: [
          ...FICHE_IN_TREE,
          { ...ogr('Code OGR de la fiche métier'), joined: true, notes: 'Vide pour L1510.' },
          {
            id: 'ROME_PROFESSION_CARD_ID',
            source: 'code_fiche_em',
            joined: true,
            label: 'Numéro interne de la fiche métier',
            notes: 'Vide pour L1510.',
          },
        ],
      },
    },
  },
  {
    name: 'Appellations métiers',
    peSource: 'ROME_REFERENTIEL_APPELLATION',
    file: 'referentiel_appellation',
    releases: {
      '460': {
        id: 'd4c1adb0-6459-4ba5-bef3-585551cb6f19',
        expectedRows: 13120,
        description:
          'Les appellations (intitulés d’emploi) de chaque fiche métier, avec leur code OGR : une appellation ' +
          'principale par fiche et ses synonymes.',
        columns: [
          ...APPELLATION,
          ...V460_INDICATORS,
          { id: 'APPELLATION_TYPE_NAME', source: 'classification', label: "Type d'appellation", notes: 'PRINCIPALE ou SYNONYME.' },
          { id: 'ORIGIN_NAME', source: 'origine', label: "Origine de l'appellation" },
          PARENT_FICHE_CODE,
          { id: 'RARELY_USED', source: 'peu_usite', label: 'Appellation peu usitée', notes: O_N_NOTE },
        ],
      },
      '347': {
        id: 'bfb08268-f5d9-4456-b3e9-2f00422a69b0',
        expectedRows: 11118,
        description:
          'Les appellations (intitulés d’emploi) de chaque fiche métier avec leur code OGR. La copie conservée ne ' +
          'distingue pas les synonymes : toutes les lignes y sont de type PRINCIPALE.',
        columns: [
          ...APPELLATION,
          { id: 'APPELLATION_TYPE_CODE', source: 'code_type_section_appellation', label: "Code du type d'appellation" },
          { id: 'APPELLATION_TYPE_NAME', source: 'libelle_type_section_appellation', label: "Type d'appellation" },
          V347_STATUS,
        ],
      },
    },
  },
  {
    name: 'Grands domaines professionnels',
    peSource: 'ROME_GRAND_DOMAINE',
    file: 'grand_domaine',
    description: 'Les 14 grands domaines professionnels du ROME (premier niveau de l’arborescence).',
    columns: [GRAND_DOMAINE_CODE, GRAND_DOMAINE_NAME],
    releases: {
      '460': { id: 'db958592-d7bb-4188-8f62-8920e9bd794d', expectedRows: 14 },
      '347': { id: 'e5eba2a1-d8f4-4762-abc2-cb8bb00686d4', expectedRows: 14 },
    },
  },
  {
    name: 'Domaines professionnels',
    peSource: 'ROME_DOMAINE_PROFESSIONNEL',
    file: 'domaine_professionnel',
    description: 'Les 110 domaines professionnels du ROME (second niveau de l’arborescence).',
    columns: [
      { ...DOMAINE_CODE_CR, source: 'code_domaine_professionnel' },
      { ...DOMAINE_NAME_CR, source: 'libelle_domaine_professionnel' },
    ],
    releases: {
      '460': { id: '26571bd5-5ca2-45c8-aab2-2099a15a872f', expectedRows: 110 },
      '347': { id: 'ad3b6d19-4aab-45c6-b9ea-c0a5b49b3e6e', expectedRows: 110 },
    },
  },
  {
    name: 'Compétences',
    peSource: 'ROME_REFERENTIEL_COMPETENCE',
    file: 'referentiel_competence',
    releases: {
      '460': {
        id: '1b6a1bf2-5ae4-47c7-8a48-10ae02b260e7',
        expectedRows: 18317,
        description:
          'Le référentiel des compétences du ROME 4.0 (savoir-faire et savoir-être professionnels, compétences ' +
          'et macro-compétences) avec leur code OGR.',
        columns: [
          SKILL_OGR,
          { id: 'SKILL_NATURE_NAME', source: 'nature', label: 'Nature', notes: '« Compétence » ou « Macro-compétence ».' },
          SKILL_NAME,
          { id: 'SKILL_DEFINITION', source: 'definition', label: 'Définition de la compétence' },
          { id: 'MACRO_SKILL_OGR_CODE', source: 'code_ogr_macro_comp', label: 'Code OGR de la macro-compétence' },
          { id: 'MACRO_SKILL_CODE', source: 'code_macro_comp', label: 'Code de la macro-compétence' },
          {
            id: 'SKILL_CATEGORY_NAME',
            source: 'cat_comp',
            label: 'Catégorie',
            notes: '« Savoir-faire » ou « Savoir-être professionnel ».',
          },
          { id: 'SKILL_SUBCATEGORY_NAME', source: 'sous_cat_comp', label: 'Sous-catégorie' },
          ECO_FLAG,
          DIGITAL_FLAG,
          { id: 'HOMOGENEITY_NAME', source: 'libelle_heterogeneite', label: 'Homogénéité de la macro-compétence' },
          { id: 'ORIGIN_NAME', source: 'libelle_origine', label: 'Origine de la compétence', notes: 'Ex. PIX.' },
        ],
      },
      '347': {
        id: 'bb7c0638-2bc3-41d9-93aa-75205c288509',
        expectedRows: 4947,
        description:
          'Le référentiel des compétences (savoirs théoriques et procéduraux) du ROME v3 avec leur code OGR. ' +
          'Les apostrophes doublées de l’export (« d’’ ») sont rétablies.',
        unescapeApostrophes: true,
        columns: [
          SKILL_OGR,
          SKILL_NAME,
          { id: 'SKILL_TYPE_CODE', source: 'code_type_competence', label: 'Code du type de compétence' },
          { id: 'SKILL_TYPE_NAME', source: 'libelle_type_competence', label: 'Type de compétence' },
          V347_STATUS,
        ],
      },
    },
  },
  {
    name: 'Savoirs',
    peSource: 'ROME_REFERENTIEL_SAVOIR',
    file: 'referentiel_savoir',
    description: 'Le référentiel des savoirs (connaissances) du ROME 4.0 avec leur code OGR et leur catégorie.',
    columns: [
      ogr('Code OGR du savoir', 'code_ogr_savoir'),
      { id: 'KNOWLEDGE_NAME', source: 'libelle_savoir', label: 'Libellé du savoir' },
      { id: 'KNOWLEDGE_CATEGORY_NAME', source: 'categorie_savoir', label: 'Catégorie du savoir' },
      { id: 'KNOWLEDGE_SUBCATEGORY_NAME', source: 'sous_categorie_savoir', label: 'Sous-catégorie du savoir' },
      ECO_FLAG,
      DIGITAL_FLAG,
    ],
    releases: { '460': { id: 'd78b280b-3230-4796-97c7-b92ed18d0a11', expectedRows: 15354 } },
  },
  {
    name: 'Contextes de travail',
    peSource: 'ROME_REFERENTIEL_CONTEXTE_TRAVAIL',
    file: 'referentiel_contexte_travail',
    description:
      'Le référentiel des contextes de travail du ROME 4.0 (conditions de travail et risques, horaires, lieux, ' +
      'publics, statut, types de structures).',
    columns: [
      ogr('Code OGR du contexte de travail'),
      { id: 'WORK_CONTEXT_NAME', source: 'libelle_cont_travail', label: 'Libellé du contexte de travail' },
      { id: 'WORK_CONTEXT_TYPE_CODE', source: 'code_type_cont_trav', label: 'Code du type de contexte' },
      { id: 'WORK_CONTEXT_TYPE_NAME', source: 'libelle_type_cont_trav', label: 'Type de contexte' },
    ],
    releases: { '460': { id: '5d4f36f5-f3c9-4753-97c2-ef810f8c26cf', expectedRows: 179 } },
  },
  {
    name: 'Environnements de travail',
    peSource: 'ROME_REFERENTIEL_ENV_TRAVAIL',
    file: 'referentiel_env_travail',
    description:
      'Le référentiel des environnements de travail du ROME v3 (structures, secteurs, conditions) avec leur ' +
      'code OGR. Les apostrophes doublées de l’export (« d’’ ») sont rétablies.',
    unescapeApostrophes: true,
    columns: [
      ogr("Code OGR de l'environnement de travail"),
      {
        id: 'WORK_ENV_NAME',
        source: 'libelle_env_travail',
        label: "Libellé de l'environnement de travail",
        notes: "Préfixe WORK_ENV repris de la colonne ROME_LIST_WORK_ENV_CODE des offres de l'API d'origine.",
      },
      { id: 'WORK_ENV_TYPE_CODE', source: 'code_type_section_env_trav', label: "Code du type d'environnement" },
      {
        id: 'WORK_ENV_TYPE_NAME',
        source: 'libelle_type_section_env_trav',
        label: "Type d'environnement",
        notes: 'STRUCTURES, SECTEURS ou CONDITIONS.',
      },
      V347_STATUS,
    ],
    releases: { '347': { id: 'd6c8f906-51dd-4bce-8967-bffa85593eaa', expectedRows: 763 } },
  },
  {
    name: 'Items du ROME',
    peSource: 'ROME_ITEM',
    file: 'item',
    releases: {
      '460': {
        id: '404b0000-7422-4e1f-beff-5897151eb7e5',
        expectedRows: 33850,
        description:
          'Tous les items rattachables à une fiche (savoir-faire, savoir-être, savoirs, contextes de travail) ' +
          'avec leur libellé et leur rubrique.',
        columns: [
          ITEM_OGR,
          ITEM_NAME,
          {
            id: 'REF_SECTION_CODE',
            source: 'code_rubrique',
            label: 'Code de la rubrique',
            notes: '1 savoir-faire, 2 savoir-être professionnels, 3 savoirs ; vide pour les contextes de travail.',
          },
        ],
      },
      '347': {
        id: '9862fc24-f8ba-4cd4-a0a1-7b978f821f20',
        expectedRows: 13670,
        description:
          'Tous les items rattachables à une fiche (activités, compétences, environnements de travail) avec leur ' +
          'libellé, leur type de référentiel et leur rubrique.',
        columns: [
          ITEM_OGR,
          ITEM_NAME,
          V347_REF_TYPE,
          V347_REF_SECTION,
          { id: 'GROUP_HEADER_CODE', source: 'code_tete_rgpmt', label: "Code de l'en-tête de regroupement" },
          { id: 'ACTIVITY_PRINT_NAME', source: 'libelle_activite_impression', label: "Libellé d'impression de l'activité" },
          { id: 'GROUP_HEADER_NAME', source: 'libelle_en_tete_regroupement', label: "Libellé de l'en-tête de regroupement" },
        ],
      },
    },
  },
  {
    name: 'Liens fiches métiers ↔ référentiels',
    peSource: 'ROME_LIENS_ROME_REFERENTIELS',
    file: 'liens_rome_referentiels',
    releases: {
      '460': {
        id: 'ee63f8af-e6ac-4fc8-9bc7-a74c26715dbf',
        expectedRows: 118923,
        description:
          'Le contenu de chaque fiche métier : les codes OGR de la fiche, de ses appellations, de ses compétences, ' +
          'savoirs et contextes de travail, par bloc et rubrique de la fiche.',
        columns: [
          FICHE_CODE,
          ficheBlock(
            '1 code et intitulé, 2 appellations, 5 compétences, 6 contextes de travail (ressource « Blocs des fiches métiers »).',
          ),
          {
            id: 'REF_SECTION_CODE',
            source: 'code_rubrique',
            label: 'Code de la rubrique',
            notes: '1 savoir-faire, 2 savoir-être professionnels, 3 savoirs (bloc 5 seulement).',
          },
          LINKED_OGR,
        ],
      },
      '347': {
        id: '794e460b-6679-4d0b-bfea-8cf4071b4687',
        expectedRows: 42228,
        description:
          'Le contenu de chaque fiche métier : les codes OGR de la fiche, de ses appellations, activités, ' +
          'compétences et environnements de travail, par bloc et rubrique de la fiche, avec leur ordre.',
        columns: [
          FICHE_CODE,
          LINKED_OGR,
          V347_REF_SECTION,
          { id: 'BLOCK_POSITION', source: 'position_bloc', type: 'int', label: 'Position dans le bloc' },
          V347_REF_TYPE,
          ficheBlock('2 fiche, 3 appellations, 7 environnements de travail, 8 activités et compétences de base, 9 spécifiques.'),
          { id: 'ITEM_POSITION', source: 'position_item', type: 'int', label: "Position de l'item" },
          { id: 'PRIORITY_ID', source: 'id_priorisation', label: 'Identifiant de priorisation' },
        ],
      },
    },
  },
  {
    name: 'Cohérence fiches métiers ↔ items',
    peSource: 'ROME_COHERENCE_ITEM',
    file: 'coherence_item',
    releases: {
      '460': {
        id: '4482261a-ebca-4371-b27a-4275571eef65',
        expectedRows: 104219,
        description:
          'Les items (compétences, savoirs, contextes) cohérents avec chaque fiche métier, et leur place au cœur du métier.',
        columns: [
          FICHE_CODE,
          ITEM_OGR,
          {
            id: 'CORE_JOB_TYPE_NAME',
            source: 'coeur_metier',
            label: 'Cœur de métier',
            notes: '« Principale » ou « Émergente » ; vide sinon.',
          },
        ],
      },
      '347': {
        id: '167a07d8-618f-425b-88d1-93022b5a647b',
        expectedRows: 32321,
        description: 'Les items (activités, compétences, environnements) cohérents avec chaque fiche métier.',
        columns: [FICHE_CODE, ITEM_OGR],
      },
    },
  },
  {
    name: 'Textes des fiches métiers',
    peSource: 'ROME_TEXTE',
    file: 'texte',
    unescapeApostrophes: true,
    releases: {
      '460': {
        id: '64bb2689-0476-4aaf-aa6a-77642f8501eb',
        expectedRows: 11980,
        description:
          'Les textes des fiches métiers (définition et accès à l’emploi), une ligne par phrase. Les apostrophes ' +
          'doublées de l’export (« d’’ ») sont rétablies.',
        columns: [
          FICHE_CODE,
          ficheBlock('3 définition, 4 accès à l’emploi.'),
          { id: 'TEXT_TYPE_NAME', source: 'libelle_type_texte', label: 'Type de texte', notes: 'definition ou acces_metier.' },
          {
            id: 'TEXT_POSITION',
            source: 'position_phrase',
            type: 'int',
            label: 'Position de la phrase',
            notes: 'Ordre des phrases dans le texte, à partir de 1.',
          },
          TEXT_CONTENT,
        ],
      },
      '347': {
        id: '84269bef-1a74-4f28-ad08-99df28528016',
        expectedRows: 5054,
        description:
          'Les textes des fiches métiers (définition, accès à l’emploi, conditions d’exercice de l’activité), une ' +
          'ligne par paragraphe. Les apostrophes doublées de l’export (« d’’ ») sont rétablies.',
        columns: [
          FICHE_CODE,
          {
            id: 'TEXT_POSITION',
            source: 'position_libelle_txt',
            type: 'int',
            label: 'Position du paragraphe',
            notes: 'Ordre des paragraphes dans le texte, à partir de 0.',
          },
          {
            id: 'TEXT_TYPE_CODE',
            source: 'code_type_texte',
            label: 'Code du type de texte',
            notes: '1 définition, 2 accès à l’emploi, 3 conditions d’exercice de l’activité.',
          },
          TEXT_CONTENT,
          {
            id: 'TEXT_TYPE_NAME',
            source: 'libelle_type_texte',
            label: 'Type de texte',
            notes: 'definition, acces_a_em ou cond_exercice_activite.',
          },
        ],
      },
    },
  },
  {
    name: 'Mobilités professionnelles',
    peSource: 'ROME_RUBRIQUE_MOBILITE',
    file: 'rubrique_mobilite',
    releases: {
      '460': {
        id: '3a506014-84f4-4812-bf5d-d254e8382ec8',
        expectedRows: 14912,
        description: 'Les fiches métiers vers lesquelles une mobilité est proposée depuis chaque fiche, par ordre de proximité.',
        columns: [
          FICHE_CODE,
          TARGET_FICHE_CODE,
          { id: 'MOBILITY_ORDER', source: 'numero_ordre', type: 'int', label: 'Rang de la mobilité' },
        ],
      },
      '347': {
        id: '01edaf15-784b-40be-9584-0977d7770bba',
        expectedRows: 4218,
        description:
          'Les mobilités proposées depuis chaque fiche métier (ou l’une de ses appellations) vers une autre : ' +
          'mobilité proche ou évolution.',
        columns: [
          FICHE_CODE,
          TARGET_FICHE_CODE,
          {
            id: 'ROME_PROFESSION_CODE',
            source: 'code_appellation_source',
            label: "Code OGR de l'appellation d'origine",
            notes: 'Vide quand la mobilité vaut pour toute la fiche.',
          },
          {
            id: 'TARGET_ROME_PROFESSION_CODE',
            source: 'code_appellation_cible',
            label: "Code OGR de l'appellation cible",
            notes: 'Vide quand la mobilité vise toute la fiche cible.',
          },
          { id: 'MOBILITY_TYPE_CODE', source: 'code_type_mobilite', label: 'Code du type de mobilité', notes: '1 proche, 2 évolution.' },
          { id: 'MOBILITY_TYPE_NAME', source: 'libelle_type_mobilite', label: 'Type de mobilité', notes: 'Proche ou Evolution.' },
        ],
      },
    },
  },
  {
    name: 'Profils RIASEC des fiches métiers',
    peSource: 'ROME_REFERENTIEL_CODE_ROME_RIASEC',
    file: 'referentiel_code_rome_riasec',
    description: 'Le type RIASEC (Holland) majeur et mineur de chaque fiche métier.',
    columns: [FICHE_CODE, RIASEC_MAJOR, RIASEC_MINOR],
    releases: {
      '460': { id: '4bd9b1f3-7a17-4958-b659-1762048bbed7', expectedRows: 1584 },
      '347': { id: '7893c4b2-3871-4d0a-8ccc-caaeba2ee916', expectedRows: 532 },
    },
  },
  {
    name: "Secteurs d'activité",
    peSource: 'ROME_SECTEUR_ACTIVITE',
    file: 'secteur_activite',
    description: 'Les secteurs d’activité du ROME 4.0 et leur présentation.',
    columns: [
      ACTIVITY_SECTOR_CODE,
      ACTIVITY_SECTOR_NAME,
      { id: 'ACTIVITY_SECTOR_DEFINITION', source: 'definition_sect_activite', label: "Présentation du secteur d'activité" },
    ],
    releases: { '460': { id: '129a6c7b-6589-44f6-b371-52a36727e7c6', expectedRows: 35 } },
  },
  {
    name: "Sous-secteurs d'activité",
    peSource: 'ROME_SOUS_SECTEUR_ACTIVITE',
    file: 'sous_secteur_activite',
    description: 'Les sous-secteurs d’activité du ROME 4.0 et leur secteur.',
    columns: [
      ACTIVITY_SUBSECTOR_CODE,
      ACTIVITY_SUBSECTOR_NAME,
      {
        id: 'ACTIVITY_SUBSECTOR_DEFINITION',
        source: 'definition_ss_sect_activite',
        label: "Présentation du sous-secteur d'activité",
      },
      ACTIVITY_SECTOR_CODE,
    ],
    releases: { '460': { id: '757dfe56-e5e4-4c3e-95c6-84bb109167ae', expectedRows: 40 } },
  },
  {
    name: "Fiches métiers par secteur d'activité",
    peSource: 'ROME_ARBORESCENCE_SECTEUR_ACTIVITE',
    file: 'arborescence_secteur_activite',
    description: 'Les fiches métiers de chaque secteur et sous-secteur d’activité, avec le secteur principal de chaque fiche.',
    columns: [
      ACTIVITY_SECTOR_CODE,
      ACTIVITY_SECTOR_NAME,
      ACTIVITY_SUBSECTOR_CODE,
      ACTIVITY_SUBSECTOR_NAME,
      ...SECTOR_FICHE,
      {
        id: 'MAIN_SECTOR',
        source: 'principal',
        label: 'Secteur principal de la fiche',
        notes: 'oui ou non (valeurs du fichier source).',
      },
    ],
    releases: { '460': { id: '9161888b-5e51-4f1b-916f-4041ae91eac9', expectedRows: 3303 } },
  },
  {
    name: 'Secteurs NAF',
    peSource: 'ROME_SECTEUR_NAF',
    file: 'secteur_naf',
    description: 'Les regroupements de secteurs NAF (divisions) utilisés par le ROME 4.0.',
    columns: [
      { id: 'NAF_SECTOR_TECH_CODE', source: 'code_tech_secteur_naf', label: 'Code technique du secteur NAF' },
      { ...NAF_SECTOR_CODE, notes: '0 : transverse aux secteurs.' },
      NAF_SECTOR_NAME,
    ],
    releases: { '460': { id: '1cacf240-76d9-45b6-998a-db9cdc6e9d26', expectedRows: 89 } },
  },
  {
    name: 'Fiches métiers par secteur NAF',
    peSource: 'ROME_ARBORESCENCE_SECTEUR_NAF',
    file: 'arborescence_secteur_naf',
    description: 'Les fiches métiers rattachées à chaque secteur NAF.',
    columns: [NAF_SECTOR_CODE, NAF_SECTOR_NAME, ...SECTOR_FICHE],
    releases: { '460': { id: '16f29539-ca53-4f8d-bb02-80682aa2e06a', expectedRows: 2920 } },
  },
  {
    name: 'Blocs des fiches métiers',
    peSource: 'ROME_COMPOSITION_BLOC',
    file: 'composition_bloc',
    description: 'Les blocs qui composent une fiche métier (codes BLOCK_CODE des autres ressources).',
    columns: [BLOCK_CODE, { id: 'BLOCK_NAME', source: 'libelle_bloc', label: 'Libellé du bloc' }],
    releases: { '460': { id: '58dca82a-ae76-4c75-a30e-fca8ea7c32bd', expectedRows: 8 } },
  },
  {
    name: 'Rubriques des fiches métiers',
    peSource: 'ROME_DESCRIPTIF_RUBRIQUE',
    file: 'descriptif_rubrique',
    description: 'Les rubriques du bloc compétences d’une fiche métier (codes REF_SECTION_CODE des autres ressources).',
    columns: [
      { id: 'REF_SECTION_CODE', source: 'code_rubrique', label: 'Code de la rubrique' },
      BLOCK_CODE,
      { id: 'SECTION_POSITION', source: 'position_rubrique', type: 'int', label: 'Position de la rubrique dans le bloc' },
      { id: 'REF_SECTION_NAME', source: 'libelle_rubrique', label: 'Libellé de la rubrique' },
    ],
    releases: { '460': { id: '63d39634-a423-43a9-8c36-dcaea84f9f08', expectedRows: 3 } },
  },
]

/**
 * The `rome` package: the ROME referential in two versions per resource name, `pe_version` "460"
 * (ROME 4.0, September 2025) and "347" (ROME v3, under the original resource ids where known).
 */
export const romePackage: PackageDefinition = {
  id: 'b64f5aba-e722-43b9-8720-4a480fe8dbb6',
  name: 'rome',
  title: 'Répertoire Opérationnel des Métiers et des Emplois (ROME)',
  notes: [
    'Le **Répertoire Opérationnel des Métiers et des Emplois (ROME)** de France Travail : fiches métiers, ' +
      'appellations, grands domaines et domaines professionnels, compétences, savoirs, contextes de travail, ' +
      'textes des fiches, mobilités et secteurs.',
    '',
    'Chaque ressource existe en une ou deux versions (`pe_version`) :',
    '',
    '- **460** : ROME 4.0 version 60 (25M09), validée le 27/08/2025 et publiée le 18/09/2025 — 1 584 fiches ' +
      'emploi-métier (dont 532 fiches parentes, les codes ROME v3), 13 120 appellations ;',
    '- **347** : ROME v3 version 347, la génération servie par l’API Infotravail d’origine (532 fiches, 14 grands ' +
      'domaines, 110 domaines professionnels, 4 947 compétences), sous les identifiants de ressource d’origine quand ils sont connus.',
    '',
    'Source : export « Toutes les données du ROME » (CSV UTF-8) de France Travail, via des copies publiques ' +
      '(voir la provenance de chaque ressource). Licence : Licence Ouverte / Open Licence (Etalab 2.0), ' +
      '© France Travail (anciennement Pôle emploi). Date des données : septembre 2025 (v460), 2022 (v347).',
  ].join('\n'),
  frequency: 'trimestrielle',
  tags: ['ROME', 'métiers', 'appellations', 'compétences', 'référentiel', 'France Travail'],
  // All ROME 4.0 resources first, then ROME v3's, each in the order of TABLES.
  resources: (['460', '347'] as const).flatMap((release) =>
    TABLES.flatMap((table) => {
      const edition = table.releases[release]
      return edition ? [resourceOf(table, release, edition)] : []
    }),
  ),
}
