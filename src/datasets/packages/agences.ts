/**
 * The `agences` package: Pôle emploi's sites (local agencies, territorial and regional directions),
 * laid out as the original Infotravail "Agences" resource (63 fields) plus the shipped file's own
 * columns. Rows come from `data/agences/pole_emploi_agencies.csv` (2019, see its SOURCE.md); the
 * original's fields that file does not carry are null on every row, never made up.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { CellValue, FieldType, PackageDefinition } from '../definition.js'
import { textCell, type CsvRecord } from '../csv-rows.js'
import { CHOSEN_NAME_NOTE, decimalComma, fileResource, rawCell, text, type CellOptions, type Column } from '../columns.js'
import { foldAccents } from '../../shared/text.js'

/** What a cell may need besides its record: the commune index that gives CITY_CODE. */
interface Context {
  readonly communes: CommuneIndex
}

const FILE = 'agences/pole_emploi_agencies.csv'

const OBSERVED_NAME = "Nom de colonne de l'API d'origine (ressource « Agences », 63 champs)."
const ABSENT =
  "Absent des données publiées disponibles : le fichier source (référentiel des sites Pôle emploi, 2019) ne " +
  "contient pas cette information ; la valeur est vide (null) sur toutes les lignes, jamais reconstituée. " +
  OBSERVED_NAME

/** The export writes the literal `NULL` for an empty optional value (SOURCE.md). */
const NULL_LITERAL: CellOptions = { nullMarkers: ['NULL'] }

function absent(id: string, type: FieldType, label: string): Column<Context> {
  return { id, type, label, notes: ABSENT, cell: () => null }
}

// ---------------------------------------------------------------------------------------------
// CITY_CODE: the INSEE code of the commune, only where the postcode and the name designate exactly
// one current commune of @etalab/decoupage-administratif (COG 2025).

/** Upper case, no accents, punctuation as spaces, and the export's ST/STE abbreviations spelled out. */
function normaliseName(name: string): string {
  return foldAccents(name)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((word) => (word === 'ST' ? 'SAINT' : word === 'STE' ? 'SAINTE' : word))
    .join(' ')
}

/** INSEE codes of the current communes by postcode and normalised name. */
type CommuneIndex = ReadonlyMap<string, ReadonlySet<string>>

interface EtalabCommune {
  readonly code: string
  readonly nom: string
  readonly type: string
  readonly codesPostaux?: readonly string[]
}

const require = createRequire(import.meta.url)

function loadCommuneIndex(): CommuneIndex {
  const communes = JSON.parse(
    readFileSync(require.resolve('@etalab/decoupage-administratif/data/communes.json'), 'utf8'),
  ) as EtalabCommune[]
  const index = new Map<string, Set<string>>()
  for (const commune of communes) {
    // Delegated or associated communes are not communes any more: a site in one gets no code
    // rather than a guess at its current commune.
    if (commune.type !== 'commune-actuelle') continue
    for (const postcode of commune.codesPostaux ?? []) {
      const key = `${postcode}|${normaliseName(commune.nom)}`
      const codes = index.get(key) ?? new Set<string>()
      codes.add(commune.code)
      index.set(key, codes)
    }
  }
  return index
}

function cityCode(record: CsvRecord, context: Context): CellValue {
  const codes = context.communes.get(`${rawCell(record, 'CODE_POSTAL')}|${normaliseName(rawCell(record, 'COMMUNE'))}`)
  if (!codes || codes.size !== 1) return null
  const [code] = codes
  return code ?? null
}

// ---------------------------------------------------------------------------------------------
// Columns

const DAYS = [
  ['MON', 'lundi'],
  ['TUE', 'mardi'],
  ['WED', 'mercredi'],
  ['THU', 'jeudi'],
  ['FRI', 'vendredi'],
] as const

const HOUR_KINDS = [
  ['OPENING', "Heure d'ouverture"],
  ['CLOSING', 'Heure de fermeture'],
  ['APPT_OPENING', "Heure de début de l'accueil sur rendez-vous"],
  ['APPT_CLOSING', "Heure de fin de l'accueil sur rendez-vous"],
] as const

const HOUR_COLUMNS: readonly Column<Context>[] = HOUR_KINDS.flatMap(([kind, label]) =>
  DAYS.flatMap(([day, dayLabel]) =>
    ([1, 2] as const).map((slot) =>
      absent(`${kind}_HOUR_${day}_SLOT_${slot}`, 'text', `${label} le ${dayLabel}, plage ${slot} (HH:MM)`),
    ),
  ),
)

const SITE_TYPES: Readonly<Record<string, string>> = {
  ALE: 'Agence locale pour l’emploi',
  DDA: 'Direction territoriale',
  DRA: 'Direction régionale',
}

const COLUMNS: readonly Column<Context>[] = [
  {
    id: 'ADDRESS_LINE_3',
    type: 'text',
    label: "Adresse — ligne 3 (bâtiment, résidence, zone d'activité)",
    notes:
      "Colonne « DC_COMPLEMENTADRSITEPHYSIQUE » (complément d'adresse du site physique ; « NULL » → null). " +
      "Sur l'API d'origine cette ligne portait la même information (ex. « ZI LA MARQUISIE » pour l'agence de " +
      `Brive, « ZONE INDUSTRIELLE LA MARQUISIE » ici). ${OBSERVED_NAME}`,
    cell: text('DC_COMPLEMENTADRSITEPHYSIQUE', NULL_LITERAL),
  },
  {
    id: 'ADDRESS_LINE_4',
    type: 'text',
    label: 'Adresse — ligne 4 (numéro et voie)',
    notes: `Colonne « ADRESSE », telle que publiée ; « NC » (non communiqué, une ligne) → null. ${OBSERVED_NAME}`,
    cell: text('ADRESSE', { nullMarkers: ['NC'] }),
  },
  absent('ADDRESS_LINE_5', 'text', 'Adresse — ligne 5 (boîte postale, CS)'),
  // Not composed from CODE_POSTAL and COMMUNE: the original's line 6 is the postal distribution
  // line ("19007 TULLE CEDEX"), which the file does not give for CEDEX postcodes.
  absent('ADDRESS_LINE_6', 'text', 'Adresse — ligne 6 (code postal et bureau distributeur)'),
  {
    id: 'AGENCY_NAME',
    type: 'text',
    label: 'Nom du site',
    notes: `Colonne « NOM », tel que publié. ${OBSERVED_NAME}`,
    cell: text('NOM'),
  },
  absent('AGENCY_TYPE_CODE', 'text', "Code du type d'agence (APE généraliste, APES spécialisée)"),
  absent('AGENCY_TYPE_NAME', 'text', "Libellé du type d'agence"),
  {
    id: 'AURORE_AGENCY_CODE',
    type: 'text',
    label: 'Code Aurore de l’agence',
    notes:
      'Les 7 premiers caractères de la colonne « REFERENCE_PE » (ex. NAQ0021). Vérifié sur les agences ' +
      "d'Aubusson (NAQ0021, SAFIR 23024) et de Tulle (NAQ0022, SAFIR 19013), identiques sur l'API d'origine. " +
      'Deux sites peuvent partager un code (NOR0039, REU0001). ' +
      OBSERVED_NAME,
    cell: (record) => textCell(rawCell(record, 'REFERENCE_PE').slice(0, 7)),
  },
  {
    id: 'SAFIR_AGENCY_CODE',
    type: 'text',
    label: 'Code SAFIR de l’agence',
    notes: `Colonne « CODE_SAFIR » : cinq chiffres, zéros initiaux conservés (ex. 01004). ${OBSERVED_NAME}`,
    cell: text('CODE_SAFIR'),
  },
  {
    id: 'CITY_CODE',
    type: 'text',
    label: 'Code INSEE de la commune',
    notes:
      "Absent du fichier source ; déduit par OpenEmploi uniquement quand le code postal et le nom de la commune " +
      "désignent exactement une commune actuelle du Code officiel géographique 2025 (@etalab/decoupage-" +
      "administratif 6.0.0 ; nom comparé sans accents ni ponctuation, « ST »/« STE » lus « SAINT »/« SAINTE »). " +
      'Null sinon (code postal CEDEX, commune fusionnée depuis 2019, nom abrégé) : 902 sites sur 959 ont un code. ' +
      'Pour Paris, Lyon et Marseille, le code de la commune (75056…), pas celui de l’arrondissement. ' +
      OBSERVED_NAME,
    cell: cityCode,
  },
  {
    id: 'CITY_NAME',
    type: 'text',
    label: 'Commune',
    notes: `Colonne « COMMUNE », telle que publiée (majuscules, abréviations « ST »). ${OBSERVED_NAME}`,
    cell: text('COMMUNE'),
  },
  {
    id: 'POSTCODE',
    type: 'text',
    label: 'Code postal',
    notes: `Colonne « CODE_POSTAL » : cinq chiffres, parfois un code CEDEX (ex. 19012 pour Tulle). ${OBSERVED_NAME}`,
    cell: text('CODE_POSTAL'),
  },
  absent('DISTRIBUTION_OFFICE', 'text', 'Bureau distributeur'),
  absent('DPT_DIRECTION_NAME', 'text', 'Direction territoriale de rattachement'),
  {
    id: 'REG_DIRECTION_NAME',
    type: 'text',
    label: 'Direction régionale de rattachement',
    notes:
      "Colonne « LIBELLE_REGION » : région de la direction régionale dont relève le site (le site de " +
      "Saint-Pierre-et-Miquelon relève de l'Île-de-France), en majuscules sans accents comme sur l'API d'origine " +
      `(ex. NOUVELLE-AQUITAINE). ${OBSERVED_NAME}`,
    cell: text('LIBELLE_REGION'),
  },
  absent('EMAIL', 'text', 'Adresse électronique'),
  absent('PUBLIC_PHONE_NUMBER', 'text', 'Numéro de téléphone public'),
  absent('ESTABLISHMENT_TYPE', 'text', "Code du type d'accueil (1 libre service, 3 libre service et sur rendez-vous)"),
  absent('ESTABLISHMENT_TYPE_NAME', 'text', "Libellé du type d'accueil"),
  {
    id: 'LATITUDE',
    type: 'numeric',
    label: 'Latitude (WGS 84, degrés décimaux)',
    notes:
      'Colonne « DN_LATITUDE » (virgule décimale convertie). Valeur telle que publiée, non corrigée : le site de ' +
      `Saint-Pierre-et-Miquelon porte des coordonnées situées en Martinique. ${OBSERVED_NAME}`,
    cell: decimalComma('DN_LATITUDE'),
  },
  {
    id: 'LONGITUDE',
    type: 'numeric',
    label: 'Longitude (WGS 84, degrés décimaux)',
    notes: `Colonne « DN_LONGITUDE » (virgule décimale convertie), telle que publiée. ${OBSERVED_NAME}`,
    cell: decimalComma('DN_LONGITUDE'),
  },
  absent('WEEKLY_NUMBER_HOURS', 'numeric', "Nombre d'heures d'ouverture par semaine"),
  absent('APPT_WEEKLY_NUMBER_HOURS', 'numeric', "Nombre d'heures d'accueil sur rendez-vous par semaine"),
  ...HOUR_COLUMNS,
  // The file's own columns, absent from the original layout.
  {
    id: 'SITE_REFERENCE',
    type: 'text',
    label: 'Référence du site',
    notes:
      'Colonne « REFERENCE_PE » : identifiant du site dans le référentiel de Pôle emploi (13 caractères, unique ; ' +
      `ses 7 premiers forment le code Aurore). ${CHOSEN_NAME_NOTE}`,
    cell: text('REFERENCE_PE'),
  },
  {
    id: 'SITE_TYPE_CODE',
    type: 'text',
    label: 'Type de site',
    notes:
      'Colonne « TYPE_SITE » : ALE agence locale (852 sites), DDA direction territoriale (88), DRA direction ' +
      `régionale (19). Distinct de AGENCY_TYPE_CODE (APE/APES) de l'API d'origine. ${CHOSEN_NAME_NOTE}`,
    cell: text('TYPE_SITE'),
  },
  {
    id: 'SITE_TYPE_NAME',
    type: 'text',
    label: 'Libellé du type de site',
    notes: `Libellé du code TYPE_SITE (ALE, DDA, DRA) tel que le décrit la documentation du fichier. ${CHOSEN_NAME_NOTE}`,
    cell: (record) => {
      const code = rawCell(record, 'TYPE_SITE')
      const name = SITE_TYPES[code]
      if (!name) throw new Error(`Unknown TYPE_SITE ${code}`)
      return name
    },
  },
  {
    id: 'REG_DIRECTION_CODE',
    type: 'text',
    label: 'Code de la région de la direction régionale',
    notes:
      "Colonne « REGION » : code INSEE de la région de la direction régionale de rattachement. Le fichier écrit " +
      "les régions d'outre-mer sans zéro initial (1 à 6) : il est rétabli (01 à 06). " +
      CHOSEN_NAME_NOTE,
    cell: (record) => {
      const code = rawCell(record, 'REGION')
      if (!/^\d{1,2}$/.test(code)) throw new Error(`Unexpected REGION ${code}`)
      return code.padStart(2, '0')
    },
  },
  {
    id: 'ADDRESS_COMPLEMENT',
    type: 'text',
    label: "Complément d'adresse (étage, service, lieu-dit)",
    notes:
      "Colonne « COMPLEMENT_ADRESSE » (« NULL » → null) : complément distinct de ADDRESS_LINE_3 (ex. « 2eme " +
      `Etage », « Maison de l emploi »). ${CHOSEN_NAME_NOTE}`,
    cell: text('COMPLEMENT_ADRESSE', NULL_LITERAL),
  },
]

const agencies = fileResource(
  {
    id: '6265951d-ed8a-4202-a2ac-e49edd142dff',
    name: 'Agences Pôle emploi',
    description:
      'Les 959 sites de Pôle emploi (aujourd’hui France Travail) du référentiel de 2019 : 852 agences locales, 88 ' +
      'directions territoriales et 19 directions régionales, avec nom, codes Aurore et SAFIR, adresse, commune et ' +
      "coordonnées. Mise en page de la ressource « Agences » de l'API d'origine ; les champs que le fichier ne " +
      "contient pas (téléphone, courriel, type d'agence, horaires…) sont vides.",
    peSource: 'REFERENTIEL_AGENCES',
    peVersion: '2019',
    peType: 'data',
    file: FILE,
    columns: COLUMNS,
    attribution:
      'Référentiel des sites de Pôle emploi (2019), exporté par Pôle emploi pour la plateforme « les emplois de ' +
      "l'inclusion » ; aucune licence de données explicite (dépôt sous AGPL-3.0 ; les adresses des agences sont " +
      'publiées par France Travail). Copie : dépôt GitHub gip-inclusion/les-emplois, fichier ' +
      'itou/prescribers/management/commands/data/pole_emploi_agencies.csv, commit ' +
      '89b55ad26be29daf0dc7473af98eb18dda665880 (2019-11-13). CITY_CODE : Code officiel géographique 2025 via ' +
      '@etalab/decoupage-administratif 6.0.0 (MIT).',
    date: '2019',
    expectedRows: 959,
  },
  (): Context => ({ communes: loadCommuneIndex() }),
)

/** The `agences` package: Pôle emploi's sites in the original "Agences" layout (2019 data). */
export const agencesPackage: PackageDefinition = {
  id: '70f1ec0d-9f75-40fb-93d2-2e6b23c6fec2',
  name: 'agences',
  title: 'Agences Pôle emploi',
  notes:
    'Liste des **sites de Pôle emploi** (aujourd’hui France Travail) : agences locales, directions territoriales ' +
    'et directions régionales, avec leur adresse, leur commune et leurs coordonnées géographiques.\n\n' +
    "Les champs suivent la ressource « Agences » de l'API d'origine (63 champs). Les données disponibles " +
    '(référentiel des sites de 2019, 959 sites) ne donnent ni téléphone, ni courriel, ni type d’agence (APE/APES), ' +
    'ni horaires d’ouverture : ces champs sont vides, jamais reconstitués. Le code INSEE de la commune est déduit ' +
    'du code postal et du nom quand ils désignent une seule commune actuelle.',
  frequency: 'hebdomadaire',
  tags: ['agences', 'Pôle emploi', 'France Travail', 'adresses'],
  resources: [agencies],
}
