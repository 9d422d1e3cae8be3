/**
 * The `bmo` package: France Travail's "Besoins en Main-d'Œuvre" survey (employers' recruitment
 * projects per job family and bassin d'emploi), the FAP 2021 job-family nomenclature it is coded in,
 * the DARES ROME ↔ FAP crosswalk, and a view giving the survey per ROME code through that crosswalk.
 * Rows come from the files of `data/bmo/` (see its SOURCE.md).
 */
import type { CellValue, DatasetField, FileResource, PackageDefinition, ViewResource } from '../definition.js'
import { CHOSEN_NAME_NOTE, fileResource, integer, text, type CellOptions, type Column } from '../columns.js'
import type { CsvRecord } from '../csv-rows.js'

const OBSERVED_NAME = "Nom de colonne de l'API d'origine (ressource « Résultats enquête BMO »)."

// ---------------------------------------------------------------------------------------------
// Provenance

const BMO_FILE = 'bmo/bmo_2025.csv'
const FAP_FILE = 'bmo/dares_fap2021_nomenclature.csv'
const PASSAGE_FILE = 'bmo/dares_passage_rome_qualif_fap2021.csv'

const BMO_ATTRIBUTION =
  "Données © France Travail, enquête Besoins en Main-d'Œuvre 2025, Licence Ouverte / Open Licence (Etalab 2.0). " +
  'Fichier officiel Base_open_data_BMO_2025.xlsx (francetravail.org ; data.gouv.fr « Enquête Besoins en ' +
  "Main-d'Oeuvre (BMO) »), feuille BMO_2025_open_data convertie en CSV UTF-8 sans modifier les valeurs. " +
  'Copie : dépôt GitHub clementfays/niveau-d-etudes-et-metiers-verts, commit ' +
  '506d5520797554c8fde0a200dbf1028f7d07d289 (fichier introduit au commit ec83347ff9ee590a115feaae700fe09580c896cc). ' +
  'Méthode : https://statistiques.francetravail.org/bmo/static/methode_2025'

const DARES_ORIGIN =
  'Copie : dépôt GitHub gtm-innovation/emploi-ia (sans fichier de licence), commit 7c9f8a802644ea682d6cb149c7603cb84be8c86a.'

const FAP_ATTRIBUTION =
  'DARES, « La nomenclature des familles professionnelles 2021 » (statistique publique, Licence Ouverte / Open ' +
  'Licence). Fichier Dares_Arborescence_FAP2021.xlsx, feuille « niveaux_emboités » convertie en CSV. ' +
  DARES_ORIGIN

const PASSAGE_ATTRIBUTION =
  'DARES, table de passage ROME × qualification → FAP 2021 (« Dares_FAP2021_Table_passage_ROME », statistique ' +
  'publique, Licence Ouverte / Open Licence). Fichier Dares_Table_passage_ROME_Qualif_to_FAP2021_pour_programme.csv, ' +
  'ré-encodé de CP1252 en UTF-8 (fins de ligne LF), séparateur « ; ». ' +
  DARES_ORIGIN

// ---------------------------------------------------------------------------------------------
// Résultats enquête BMO 2025

const BMO_2025_ID = '58235498-bea4-4445-8195-6f066041b599'

const SECRET_NOTE =
  "Valeur « * » du fichier publié (secret statistique : trop peu de réponses) → null, jamais 0 ; la somme des " +
  'valeurs publiées exclut donc ces cellules.'

/**
 * A BMO count: `*` marks a cell withheld for statistical secrecy (too few answers). It becomes null,
 * never 0, so that sums over published cells stay what France Travail published.
 */
const SECRET: CellOptions = { nullMarkers: ['*'] }

/**
 * A text cell written as the original wrote it (`bmo_infotravail.sample.csv`): the published text
 * passed through `write`, null when empty.
 */
function asOriginal(header: string, write: (value: string) => string): (record: CsvRecord) => CellValue {
  const read = text(header)
  return (record) => {
    const value = read(record)
    return typeof value === 'string' ? write(value) : value
  }
}

/** Upper case without accents, hyphens and apostrophes kept (`AISNE`, `HAUTS-DE-FRANCE`, `ARIEGE`). */
const upperName = (value: string) => value.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase()
/** A département code without leading zeros (`2`, `2A`, `971`), as the original's. */
const unpadded = (value: string) => value.replace(/^0+(?=[0-9A-B])/, '')
/** A bassin code on four digits (`0202`, `0101`), as the original's. */
const fourDigits = (value: string) => value.padStart(4, '0')
const ORIGINAL_WRITING = 'Écrit comme sur l’API d’origine (bmo_infotravail.sample.csv)'

// The original's layout (infotravail-contract §1.4 item 6), in its order. The file's `annee`
// column (always 2025) is not repeated on every row: the year is the resource's name and version.
const BMO_COLUMNS: readonly Column[] = [
  {
    id: 'CATCHMENT_AREA_CODE',
    type: 'text',
    label: "Code du bassin d'emploi",
    notes:
      "Colonne « BE25 » : bassin d'emploi BMO, zonage 2025 (406 bassins). Le fichier publié écrit trois chiffres " +
      `pour les DROM (101) : ${ORIGINAL_WRITING}, sur quatre chiffres (0101, 1119). ` +
      OBSERVED_NAME,
    cell: asOriginal('BE25', fourDigits),
  },
  {
    id: 'CATCHMENT_AREA_NAME',
    type: 'text',
    label: "Nom du bassin d'emploi",
    notes: `Colonne « NOMBE25 », ${ORIGINAL_WRITING.toLowerCase()} : en majuscules sans accents (LAON ; le fichier publié écrit aussi « Grand Roissy - Le Bourget »). ${OBSERVED_NAME}`,
    cell: asOriginal('NOMBE25', upperName),
  },
  {
    id: 'PROFESSION_FAMILY_CODE',
    type: 'text',
    label: 'Code de la famille de métiers',
    notes:
      "Colonne « Famille_met » : lettre du regroupement de métiers de l'enquête BMO (ex. Z « Autres métiers »). " +
      OBSERVED_NAME,
    cell: text('Famille_met'),
  },
  {
    id: 'PROFESSION_FAMILY_NAME',
    type: 'text',
    label: 'Libellé de la famille de métiers',
    notes: `Colonne « Lbl_fam_met ». ${OBSERVED_NAME}`,
    cell: text('Lbl_fam_met'),
  },
  {
    id: 'FAP_CODE',
    type: 'text',
    label: 'Code métier BMO (FAP 2021)',
    notes:
      "Colonne « Code métier BMO » : famille professionnelle FAP 2021 au niveau 228 postes (cinq caractères, " +
      'ex. A0X40 ; voir la ressource « Référentiel des familles de métier », colonne FAP228_CODE). 217 codes. ' +
      OBSERVED_NAME,
    cell: text('Code métier BMO'),
  },
  {
    id: 'FAP_NAME',
    type: 'text',
    label: 'Libellé du métier BMO',
    notes: `Colonne « Nom métier BMO », tel que publié. ${OBSERVED_NAME}`,
    cell: text('Nom métier BMO'),
  },
  {
    id: 'DEPARTEMENT_CODE',
    type: 'text',
    label: 'Code du département',
    notes: `Colonne « Dept » : code INSEE du département, ${ORIGINAL_WRITING.toLowerCase()} : sans zéro initial (2, 2A, 971 ; le fichier publié écrit 02). ${OBSERVED_NAME}`,
    cell: asOriginal('Dept', unpadded),
  },
  {
    id: 'DEPARTEMENT_NAME',
    type: 'text',
    label: 'Nom du département',
    notes: `Colonne « NomDept », ${ORIGINAL_WRITING.toLowerCase()} : en majuscules sans accents (AISNE, ARIEGE). ${OBSERVED_NAME}`,
    cell: asOriginal('NomDept', upperName),
  },
  {
    id: 'NB_RECRUT_PROJECTS',
    type: 'int',
    label: 'Nombre de projets de recrutement',
    notes:
      'Colonne « met » : nombre de projets de recrutement déclarés par les employeurs pour 2025 dans ce bassin et ' +
      `ce métier (unité : projets). Somme des valeurs publiées : 2 401 105. ${SECRET_NOTE} ${OBSERVED_NAME}`,
    cell: integer('met', SECRET),
  },
  {
    id: 'NB_DIFF_RECRUT_PROJECTS',
    type: 'int',
    label: 'Nombre de projets de recrutement jugés difficiles',
    notes:
      'Colonne « xmet » : projets de recrutement que les employeurs jugent difficiles (unité : projets). Somme des ' +
      `valeurs publiées : 1 191 811. ${SECRET_NOTE} ${OBSERVED_NAME}`,
    cell: integer('xmet', SECRET),
  },
  {
    id: 'NB_SEASON_RECRUT_PROJECTS',
    type: 'int',
    label: 'Nombre de projets de recrutement saisonniers',
    notes:
      'Colonne « smet » : projets de recrutement saisonniers (unité : projets). Somme des valeurs publiées : ' +
      `745 082. ${SECRET_NOTE} ${OBSERVED_NAME}`,
    cell: integer('smet', SECRET),
  },
  {
    id: 'REGION_CODE',
    type: 'text',
    label: 'Code de la région',
    notes: `Colonne « REG » : code INSEE de la région (ex. 01 Guadeloupe, 84 Auvergne-Rhône-Alpes). ${OBSERVED_NAME}`,
    cell: text('REG'),
  },
  {
    id: 'REGION_LIB',
    type: 'text',
    label: 'Nom de la région',
    notes: `Colonne « NOM_REG », ${ORIGINAL_WRITING.toLowerCase()} : en majuscules sans accents (HAUTS-DE-FRANCE, ILE-DE-FRANCE). ${OBSERVED_NAME}`,
    cell: asOriginal('NOM_REG', upperName),
  },
]

const bmo2025 = fileResource({
  id: BMO_2025_ID,
  name: 'Résultats enquête BMO 2025',
  description:
    "Enquête Besoins en Main-d'Œuvre 2025 de France Travail : pour chaque métier BMO (famille professionnelle " +
    "FAP 2021) et chaque bassin d'emploi, le nombre de projets de recrutement des employeurs, dont ceux jugés " +
    'difficiles et les saisonniers. Les cellules couvertes par le secret statistique (« * ») sont vides (null).',
  peSource: 'BMO_2025',
  peVersion: '2025',
  peType: 'data',
  file: BMO_FILE,
  columns: BMO_COLUMNS,
  attribution: BMO_ATTRIBUTION,
  date: '2025',
  expectedRows: 50_076,
})

// ---------------------------------------------------------------------------------------------
// Référentiel des familles de métier (FAP 2021)

const FAP_REFERENTIAL_ID = '9fda18e8-39bf-4504-be80-a9379e11b797'

function fapLevel(level: '341' | '228' | '86' | '22', description: string): readonly Column[] {
  return [
    {
      id: `FAP${level}_CODE`,
      type: 'text',
      label: `Code FAP 2021 — niveau ${level} postes`,
      notes: `Colonne « Code_FAP${level} » : ${description} ${CHOSEN_NAME_NOTE}`,
      cell: text(`Code_FAP${level}`),
    },
    {
      id: `FAP${level}_NAME`,
      type: 'text',
      label: `Intitulé FAP 2021 — niveau ${level} postes`,
      notes: `Colonne « Intitulé_FAP${level} », tel que publié. ${CHOSEN_NAME_NOTE}`,
      cell: text(`Intitulé_FAP${level}`),
    },
  ]
}

const FAP_COLUMNS: readonly Column[] = [
  ...fapLevel('341', 'niveau le plus fin (ex. A0X41a), une ligne par code ; code de la table de passage ROME → FAP.'),
  ...fapLevel('228', "cinq caractères (ex. A0X41) ; c'est le « Code métier BMO » (FAP_CODE de l'enquête BMO)."),
  ...fapLevel('86', 'trois caractères (ex. A0X).'),
  ...fapLevel('22', 'domaine professionnel, une lettre (ex. A).'),
]

const fapReferential = fileResource({
  id: FAP_REFERENTIAL_ID,
  name: 'Référentiel des familles de métier',
  description:
    'Nomenclature des familles professionnelles (FAP) 2021 de la DARES : une ligne par famille au niveau le ' +
    'plus fin (341 postes) avec ses niveaux emboîtés 228, 86 et 22. Le niveau 228 est le code métier de ' +
    "l'enquête BMO.",
  peSource: 'REFERENTIEL_FAP_2021',
  peVersion: '2021',
  peType: 'reference',
  file: FAP_FILE,
  columns: FAP_COLUMNS,
  attribution: FAP_ATTRIBUTION,
  date: '2021',
  expectedRows: 341,
})

// ---------------------------------------------------------------------------------------------
// Table de passage ROME × qualification → FAP 2021

const PASSAGE_ID = '8e8c0690-fa9a-4f43-8a8e-a1d6d55480ee'

const PASSAGE_COLUMNS: readonly Column[] = [
  {
    id: 'ROME_PROFESSION_CARD_CODE',
    type: 'text',
    label: 'Code ROME de la fiche métier',
    notes:
      "Colonne « ROME » : code de fiche du ROME v3 (532 codes). Les codes ROME 4.0 s'y rattachent par leur fiche " +
      "parente. Nom de colonne de l'API d'origine (ressources ROME et IMT).",
    cell: text('ROME'),
  },
  {
    id: 'ROME_PROFESSION_CARD_NAME',
    type: 'text',
    label: 'Intitulé de la fiche métier ROME',
    notes: "Colonne « Intitule_ROME », tel que publié. Nom de colonne de l'API d'origine (ressources ROME et IMT).",
    cell: text('Intitule_ROME'),
  },
  {
    id: 'QUALIFICATION_CODE',
    type: 'text',
    label: 'Code de qualification',
    notes:
      "Colonne « Qualif » : niveau de qualification de Pôle emploi, 0 (non précisé), 1 Manoeuvre, 2 Ouvrier " +
      'spécialisé, 3 Ouvrier qualifié (P1,P2), 4 Ouvrier qualifié (P3,P4,OHQ), 5 Employé non qualifié, 6 Employé ' +
      'qualifié, 7 Technicien, 8 Agent de maîtrise, 9 Cadre. Chaque code ROME figure avec les dix niveaux. ' +
      "Nom de colonne de l'API d'origine (fichiers mensuels des demandeurs d'emploi).",
    cell: text('Qualif'),
  },
  {
    id: 'FAP341_CODE',
    type: 'text',
    label: 'Code FAP 2021 — niveau 341 postes',
    notes:
      'Colonne « FAP341 » : famille professionnelle attribuée à ce couple ROME × qualification ; son niveau 228 ' +
      `(code métier BMO) est donné par le « Référentiel des familles de métier ». ${CHOSEN_NAME_NOTE}`,
    cell: text('FAP341'),
  },
  {
    id: 'FAP341_NAME',
    type: 'text',
    label: 'Intitulé FAP 2021 — niveau 341 postes',
    notes: `Colonne « Intitule_FAP341 », tel que publié. ${CHOSEN_NAME_NOTE}`,
    cell: text('Intitule_FAP341'),
  },
]

const romeFapPassage = fileResource({
  id: PASSAGE_ID,
  name: 'Table de passage ROME – familles professionnelles (FAP 2021)',
  description:
    'Table officielle de la DARES associant chaque fiche ROME v3 et chaque niveau de qualification à une ' +
    "famille professionnelle FAP 2021 (niveau 341). C'est par elle que les résultats BMO, codés en FAP, se " +
    'lisent par métier ROME.',
  peSource: 'PASSAGE_ROME_QUALIF_FAP_2021',
  peVersion: '2021',
  peType: 'reference',
  file: PASSAGE_FILE,
  csv: { delimiter: ';' },
  columns: PASSAGE_COLUMNS,
  attribution: PASSAGE_ATTRIBUTION,
  date: '2021',
  expectedRows: 5_320,
})

// ---------------------------------------------------------------------------------------------
// Résultats enquête BMO 2025 par métier ROME (view)

const BMO_BY_ROME_ID = 'e018c984-d660-4a53-a856-690dad27a143'

/** A field of a file resource of this package, repeated by the view under the same id. */
function fieldOf(resource: FileResource, id: string): DatasetField {
  const field = resource.fields.find((candidate) => candidate.id === id)
  if (!field) throw new Error(`No field ${id} in ${resource.name}`)
  return field
}

const bmoField = (id: string): DatasetField => fieldOf(bmo2025, id)
const passageField = (id: string): DatasetField => fieldOf(romeFapPassage, id)

const PER_FAP_NOTE =
  'Une famille FAP correspond à plusieurs codes ROME (et un code ROME à plusieurs FAP selon la qualification) : ' +
  'ce chiffre est celui de la famille FAP, répété pour chacun de ses codes ROME, et non une part répartie entre ' +
  'eux. Ne pas additionner sur les codes ROME.'

function repeatedPerRome(field: DatasetField): DatasetField {
  return { ...field, info: { label: field.info.label, notes: `${field.info.notes} ${PER_FAP_NOTE}` } }
}

// ROME → FAP341 comes from the crosswalk (one row per ROME × qualification), FAP341 → FAP228 (the
// BMO code) from the nomenclature; DISTINCT keeps one row per ROME × FAP228 pair, so qualification
// levels sharing a FAP do not repeat the survey row.
const BMO_BY_ROME_SELECT = `SELECT p."ROME_PROFESSION_CARD_CODE", p."ROME_PROFESSION_CARD_NAME",
  b."CATCHMENT_AREA_CODE", b."CATCHMENT_AREA_NAME", b."PROFESSION_FAMILY_CODE", b."PROFESSION_FAMILY_NAME",
  b."FAP_CODE", b."FAP_NAME", b."DEPARTEMENT_CODE", b."DEPARTEMENT_NAME",
  b."NB_RECRUT_PROJECTS", b."NB_DIFF_RECRUT_PROJECTS", b."NB_SEASON_RECRUT_PROJECTS",
  b."REGION_CODE", b."REGION_LIB"
FROM (
  SELECT DISTINCT x."ROME_PROFESSION_CARD_CODE", x."ROME_PROFESSION_CARD_NAME", n."FAP228_CODE"
  FROM {{${PASSAGE_ID}}} AS x
  JOIN {{${FAP_REFERENTIAL_ID}}} AS n ON n."FAP341_CODE" = x."FAP341_CODE"
) AS p
JOIN {{${BMO_2025_ID}}} AS b ON b."FAP_CODE" = p."FAP228_CODE"`

const bmo2025ByRome: ViewResource = {
  kind: 'view',
  id: BMO_BY_ROME_ID,
  name: 'Résultats enquête BMO 2025 par métier ROME',
  description:
    "Les résultats de l'enquête BMO 2025 lus par code ROME v3 : chaque ligne de l'enquête (métier FAP × bassin) " +
    'est reprise pour chaque code ROME que la table de passage DARES rattache à ce métier FAP (via le niveau 341 ' +
    'de la nomenclature). ' +
    PER_FAP_NOTE,
  peSource: 'BMO_2025_ROME',
  peVersion: '2025',
  peType: 'data',
  fields: [
    passageField('ROME_PROFESSION_CARD_CODE'),
    passageField('ROME_PROFESSION_CARD_NAME'),
    ...[
      'CATCHMENT_AREA_CODE',
      'CATCHMENT_AREA_NAME',
      'PROFESSION_FAMILY_CODE',
      'PROFESSION_FAMILY_NAME',
      'FAP_CODE',
      'FAP_NAME',
      'DEPARTEMENT_CODE',
      'DEPARTEMENT_NAME',
    ].map(bmoField),
    ...['NB_RECRUT_PROJECTS', 'NB_DIFF_RECRUT_PROJECTS', 'NB_SEASON_RECRUT_PROJECTS'].map((id) =>
      repeatedPerRome(bmoField(id)),
    ),
    bmoField('REGION_CODE'),
    bmoField('REGION_LIB'),
  ],
  provenance: {
    files: [BMO_FILE, PASSAGE_FILE, FAP_FILE],
    attribution: `${BMO_ATTRIBUTION} — Table de passage : ${PASSAGE_ATTRIBUTION} — Nomenclature : ${FAP_ATTRIBUTION}`,
    date: '2025',
  },
  select: BMO_BY_ROME_SELECT,
}

/** The `bmo` package (original id): BMO 2025, the FAP 2021 nomenclature, the ROME ↔ FAP crosswalk and a ROME view. */
export const bmoPackage: PackageDefinition = {
  id: '521b5b3e-9bcc-4e8e-b6f1-2a0a0899989a',
  name: 'bmo',
  title: "Besoins en Main-d'Œuvre",
  notes:
    "Enquête **Besoins en Main-d'Œuvre (BMO)** de France Travail : chaque année, les employeurs déclarent leurs " +
    "projets de recrutement par métier. Résultats 2025 par métier BMO (famille professionnelle FAP 2021) et bassin " +
    "d'emploi : projets de recrutement, dont difficiles et saisonniers ; les cellules soumises au secret " +
    'statistique (« * » dans le fichier publié) sont vides (null), jamais 0.\n\n' +
    "L'enquête est codée en familles professionnelles, pas en codes ROME : le paquet contient la nomenclature FAP " +
    '2021 de la DARES (« Référentiel des familles de métier »), la table de passage officielle ROME × ' +
    'qualification → FAP 2021, et une vue qui donne les résultats par code ROME (chiffres de la famille FAP, ' +
    'répétés pour chacun de ses codes ROME).\n\n' +
    'Sources : France Travail (Base_open_data_BMO_2025.xlsx) et DARES, Licence Ouverte / Open Licence (Etalab 2.0).',
  frequency: 'annuelle',
  tags: ['BMO', 'recrutement', 'FAP', 'ROME', "bassin d'emploi"],
  resources: [bmo2025, fapReferential, romeFapPassage, bmo2025ByRome],
}
