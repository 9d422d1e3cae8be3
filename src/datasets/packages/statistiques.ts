/**
 * The `statistiques` package ("Statistiques sur le marché du travail", original id): aggregated
 * figures on job seekers and job offers — job seekers by bassin and activity sector, the monthly
 * series of registered offers 1996–2015, and open offers by commune and ROME code on 2021-12-21.
 * The original's individual-level monthly files were never published in full; nothing here is
 * reconstructed from them. Rows come from `data/marche-travail/` (see its SOURCE.md).
 */
import type { PackageDefinition } from '../definition.js'
import type { CsvReadOptions } from '../csv-rows.js'
import { CHOSEN_NAME_NOTE, fileResource, integer, isoDate, text, type Column } from '../columns.js'
import { MOBIVILLE_ORIGIN } from './sources.js'

/** Every file of this package is a French export separated by `;`. */
const CSV: CsvReadOptions = { delimiter: ';' }

// ---------------------------------------------------------------------------------------------
// Demandeurs d'emploi par bassin et secteur d'activité

const SECTORS_FILE = 'marche-travail/secteurs_bassins.csv'

const SECTORS_COLUMNS: readonly Column[] = [
  {
    id: 'CATCHMENT_AREA_CODE',
    type: 'text',
    label: "Code du bassin d'emploi",
    notes:
      "Colonne « code_bassin » : code du bassin d'emploi BMO tel que publié (trois chiffres pour les DROM, ex. 101 ; " +
      'quatre ailleurs), 422 bassins. Vide (null) sur 21 lignes : demandeurs non rattachés à un bassin. Nom de ' +
      "colonne de l'API d'origine (ressource « Résultats enquête BMO »).",
    cell: text('code_bassin'),
  },
  {
    id: 'ACTIVITY_SECTION_NAME',
    type: 'text',
    label: "Secteur d'activité (section NAF)",
    notes:
      "Colonne « secteur_libelle » : libellé de la section de la NAF rév. 2 (21 sections) ou « Activité inconnue », " +
      `tel que publié (sans code de section). ${CHOSEN_NAME_NOTE}`,
    cell: text('secteur_libelle'),
  },
  {
    id: 'NB_JOB_SEEKERS',
    type: 'int',
    label: "Nombre de demandeurs d'emploi",
    notes:
      "Colonne « demandeurs_emploi » : demandeurs d'emploi inscrits à Pôle emploi dans ce bassin, par secteur " +
      "d'activité, unité : personnes. Total 1 886 359. La source ne précise ni les catégories d'inscription " +
      `retenues ni la date exacte (fichier versé le 2023-03-03). ${CHOSEN_NAME_NOTE}`,
    cell: integer('demandeurs_emploi'),
  },
]

const jobSeekersBySector = fileResource({
  id: 'ba33069f-09f7-427a-afbf-24fb347c294b',
  name: "Demandeurs d'emploi par bassin et secteur d'activité",
  description:
    "Nombre de demandeurs d'emploi inscrits à Pôle emploi par bassin d'emploi et secteur d'activité (section de " +
    'la NAF), extrait de Pôle emploi utilisé par le service Mobiville début 2023.',
  peSource: 'STMT_DEMANDEURS_SECTEUR_BASSIN',
  peVersion: '2023',
  peType: 'data',
  file: SECTORS_FILE,
  csv: CSV,
  columns: SECTORS_COLUMNS,
  attribution:
    'Pôle emploi / France Travail, statistiques du marché du travail (statistique publique, Licence Ouverte). ' +
    `${MOBIVILLE_ORIGIN}, fichier api/src/assets/datas/secteurs_bassins.csv (commit ` +
    'a19409f4c9367bc7ea586ddb13880717169da37c, 2023-03-03 « secteurs qui recrutent »).',
  // The source gives no reference date; the file was committed on 2023-03-03.
  date: '2023',
  expectedRows: 7_626,
})

// ---------------------------------------------------------------------------------------------
// Offres d'emploi enregistrées, séries mensuelles CVS 1996-2015

const SERIES_FILE = 'marche-travail/offres_enregistrees_cvs_france_1996_2015.csv'

const SERIES_NOTE =
  "Nombre d'offres d'emploi enregistrées à Pôle emploi dans le mois, corrigé des variations saisonnières (CVS), " +
  'arrondi à la centaine comme publié ; vide (null) pour décembre 2015, non encore disponible à la publication.'

const SERIES_COLUMNS: readonly Column[] = [
  {
    id: 'MONTH',
    type: 'date',
    label: 'Mois',
    notes: `Colonne « Periode » : premier jour du mois (ex. 1996-01-01), de janvier 1996 à décembre 2015. ${CHOSEN_NAME_NOTE}`,
    cell: isoDate('Periode'),
  },
  {
    id: 'NB_OFFER_CAT_A',
    type: 'int',
    label: "Offres d'emploi durables (catégorie A)",
    notes: `Colonne « OEE_A » : offres d'emploi durable, contrats de plus de 6 mois. ${SERIES_NOTE} ${CHOSEN_NAME_NOTE}`,
    cell: integer('OEE_A'),
  },
  {
    id: 'NB_OFFER_CAT_B',
    type: 'int',
    label: "Offres d'emploi temporaires (catégorie B)",
    notes: `Colonne « OEE_B » : offres d'emploi temporaire, contrats de 1 à 6 mois. ${SERIES_NOTE} ${CHOSEN_NAME_NOTE}`,
    cell: integer('OEE_B'),
  },
  {
    id: 'NB_OFFER_CAT_C',
    type: 'int',
    label: "Offres d'emploi occasionnelles (catégorie C)",
    notes: `Colonne « OEE_C » : offres d'emploi occasionnel, contrats de moins d'un mois. ${SERIES_NOTE} ${CHOSEN_NAME_NOTE}`,
    cell: integer('OEE_C'),
  },
  {
    id: 'NB_OFFER_FRANCE_TOTAL',
    type: 'int',
    label: "Offres d'emploi enregistrées, total A + B + C",
    notes:
      'Colonne « Total_France » : égale à A + B + C sur chaque mois publié ; le classeur source sépare la France ' +
      `métropolitaine et les DOM (colonne suivante). ${SERIES_NOTE} ${CHOSEN_NAME_NOTE}`,
    cell: integer('Total_France'),
  },
  {
    id: 'NB_OFFER_DOM_TOTAL',
    type: 'int',
    label: "Offres d'emploi enregistrées dans les DOM, total",
    notes: `Colonne « Total_DOM » : total des départements d'outre-mer, sans détail par catégorie. ${SERIES_NOTE} ${CHOSEN_NAME_NOTE}`,
    cell: integer('Total_DOM'),
  },
]

const registeredOffers = fileResource({
  id: '4299f311-4fd0-403a-8066-ab50ddfaf4a5',
  name: "Offres d'emploi enregistrées par mois (CVS), 1996-2015",
  description:
    "Séries mensuelles des offres d'emploi enregistrées à Pôle emploi, corrigées des variations saisonnières, de " +
    'janvier 1996 à novembre 2015 : catégories A (durables), B (temporaires), C (occasionnelles), total et DOM.',
  peSource: 'OFFRES_ENREGISTREES_CVS',
  peVersion: '2015',
  peType: 'data',
  file: SERIES_FILE,
  csv: CSV,
  columns: SERIES_COLUMNS,
  attribution:
    "Pôle emploi, données ouvertes « series offres_ france metro-dom_cvs-1511opendata13251.xls » (Licence " +
    'Ouverte), converti en CSV (séparateur « ; », colonnes renommées) par Florian Gaudin-Delrieu. Copie : dépôt ' +
    'GitHub FlorianGD/PoleEmploi (sans fichier de licence), fichier offres.csv, commit ' +
    '6281d2f3c90365cbfbc742e21ac11fb945a017c5.',
  date: '1996-01/2015-12',
  expectedRows: 240,
})

// ---------------------------------------------------------------------------------------------
// Offres d'emploi par commune et métier au 21 décembre 2021

const OFFERS_FILE = 'marche-travail/20211221_mv_villes_offre_full.csv'

const OFFERS_COLUMNS: readonly Column[] = [
  {
    id: 'CITY_CODE',
    type: 'text',
    label: 'Code INSEE de la commune',
    notes:
      "Colonne « commune » : code INSEE de la commune du lieu de travail (19 301 codes). Vide (500 lignes) ou « null » " +
      "(399 lignes) dans le fichier → null : offres sans commune. Nom de colonne de l'API d'origine (ressource " +
      "« Offres d'emploi »).",
    cell: text('commune', { nullMarkers: ['null'] }),
  },
  {
    id: 'ROME_PROFESSION_CARD_CODE',
    type: 'text',
    label: 'Code ROME de la fiche métier',
    notes: "Colonne « dc_rome_id » : code de fiche du ROME v3 (529 codes). Nom de colonne de l'API d'origine.",
    cell: text('dc_rome_id'),
  },
  {
    id: 'NB_OFFERS',
    type: 'int',
    label: "Nombre d'offres d'emploi",
    notes:
      "Colonne « nb_offre » : offres d'emploi en cours sur Pôle emploi pour cette commune et ce métier à la date " +
      "d'extraction, unité : offres. Total 925 168. 38 182 couples commune × ROME figurent sur deux lignes aux " +
      "valeurs différentes (l'extrait agrégeait sans doute une dimension qu'il ne publie pas) : les lignes sont " +
      "reprises telles quelles, sans fusion. Nom de colonne de l'API d'origine (ressource IMT « Types de contrats »).",
    cell: integer('nb_offre'),
  },
  {
    id: 'EXTRACTION_DATE',
    type: 'date',
    label: "Date d'extraction",
    notes: `Colonne « date_extract » : 2021-12-21 sur toutes les lignes. ${CHOSEN_NAME_NOTE}`,
    cell: isoDate('date_extract'),
  },
]

const offersByCommune = fileResource({
  id: 'd1836fe8-1a22-43a1-ab0c-fc622f00e626',
  name: "Offres d'emploi par commune et métier au 21 décembre 2021",
  description:
    "Nombre d'offres d'emploi en cours sur Pôle emploi par commune (code INSEE) et code ROME, extrait du lac de " +
    'données de Pôle emploi au 21 décembre 2021 (925 168 offres).',
  peSource: 'OFFRES_COMMUNE_ROME',
  peVersion: '2021-12-21',
  peType: 'data',
  file: OFFERS_FILE,
  csv: CSV,
  columns: OFFERS_COLUMNS,
  attribution:
    "Pôle emploi, extrait du lac de données (vue « mv_villes_offre ») utilisé pour alimenter le service Mobiville. " +
    `${MOBIVILLE_ORIGIN}, fichier api/src/assets/datas/depuis_datalake_mockdata/20211221_mv_villes_offre_full.csv.bz2 ` +
    '(décompressé ; commit 653022d31e0f481b30e2ffe3cfd8c786e34bfd5d, 2022-02-10).',
  date: '2021-12-21',
  expectedRows: 324_997,
})

/** The `statistiques` package (original id): job seekers by bassin × sector, registered offers 1996–2015, offers by commune × ROME. */
export const statistiquesPackage: PackageDefinition = {
  id: '47dbbaba-c983-47df-bd9c-eaeec14bd834',
  name: 'statistiques',
  title: 'Statistiques sur le marché du travail',
  notes:
    'Statistiques agrégées sur les **demandeurs d’emploi** et les **offres d’emploi** de Pôle emploi / France ' +
    'Travail :\n\n' +
    "- demandeurs d'emploi par bassin d'emploi et secteur d'activité (≈ 2023) ;\n" +
    "- offres d'emploi enregistrées par mois, corrigées des variations saisonnières, janvier 1996 – novembre 2015 ;\n" +
    "- offres d'emploi en cours par commune et code ROME au **21 décembre 2021**.\n\n" +
    "Les fichiers mensuels individuels (une ligne par demandeur d'emploi, ressource 141a3516-… de l'API d'origine : " +
    'IDENT, QUALIFICATION_*, REGION_*, DEPARTEMENT_*, ROME_PROFESSION_CARD_*, REGISTRATION_CATEGORY_CODE, GENDER_*, ' +
    "AGE_GROUP_*) n'ont pas été publiés en entier (seule une page de 100 lignes sur 513 892 est connue) et les " +
    'chiffres agrégés publiés ne donnent ni le sexe, ni l’âge, ni la qualification de chaque demandeur : ils ne sont ' +
    'pas reproduits et aucune ligne n’est reconstituée.',
  frequency: 'mensuelle',
  tags: ["demandeurs d'emploi", "offres d'emploi", 'statistiques', 'marché du travail'],
  resources: [jobSeekersBySector, registeredOffers, offersByCommune],
}
