/**
 * The `imt` package ("Informations sur le marché du travail"): labour-market figures by job —
 * tension indicators, offers and job seekers by ROME code and bassin d'emploi (2021), median
 * salaries by job family (DARES), and hirings by ROME code and NAF activity (La Bonne Boîte).
 * The original's weekly IMT resources were never published as files; these are the public
 * figures closest to them, under the original's column names where the meaning is the same.
 * Rows come from `data/marche-travail/` and, for bassin names, `data/geo/` (see their SOURCE.md).
 */
import type { PackageDefinition } from '../definition.js'
import { csvRecords } from '../csv-rows.js'
import { CHOSEN_NAME_NOTE, decimalComma, fileResource, integer, rawCell, text, type CellOptions, type Column } from '../columns.js'
import { MOBIVILLE_ORIGIN } from './sources.js'

const OBSERVED_IMT = "Nom de colonne de l'API d'origine (ressources IMT)."

/** `nd` ("non disponible") is how DARES marks a value it does not publish. */
const NOT_AVAILABLE: CellOptions = { nullMarkers: ['nd'] }

// ---------------------------------------------------------------------------------------------
// Tensions, offres et demandeurs d'emploi par métier et bassin (2021)

const TENSION_FILE = 'marche-travail/cities-tension-utf8.csv'
const BASSINS_FILE = 'geo/communes_bassins_bmo.csv'

/** Bassin names by 4-character code, from the 2024 BMO zoning. */
interface TensionContext {
  readonly bassinNames: ReadonlyMap<string, string>
}

/**
 * The name of each bassin of the 2024 zoning, keyed as the tension file writes codes (4 characters:
 * the zoning file drops leading zeros, `101` for `0101`). A code carrying two names there is left
 * out, so that it gets no name rather than a wrong one.
 */
async function loadBassinNames(dataDir: URL): Promise<ReadonlyMap<string, string>> {
  const names = new Map<string, Set<string>>()
  for await (const record of csvRecords(new URL(BASSINS_FILE, dataDir))) {
    const code = rawCell(record, 'code_bassin_BMO').padStart(4, '0')
    const set = names.get(code) ?? new Set<string>()
    set.add(rawCell(record, 'lib_bassin_BMO'))
    names.set(code, set)
  }
  const unique = new Map<string, string>()
  for (const [code, set] of names) {
    const [name] = set
    if (set.size === 1 && name !== undefined) unique.set(code, name)
  }
  return unique
}

function tensionClass(id: string, header: string, label: string, meaning: string): Column<TensionContext> {
  return {
    id,
    type: 'int',
    label,
    notes:
      `Colonne « ${header} » : ${meaning} Classe de 1 (très faible) à 5 (très forte) telle que publiée, pour ce ` +
      `métier et ce bassin en 2021 ; plus la classe est élevée, plus le facteur pousse à la tension. ${CHOSEN_NAME_NOTE}`,
    cell: integer(header),
  }
}

const TENSION_COLUMNS: readonly Column<TensionContext>[] = [
  {
    id: 'ROME_PROFESSION_CARD_CODE',
    type: 'text',
    label: 'Code ROME de la fiche métier',
    notes: `Colonne « ROME » : code de fiche du ROME v3 (397 codes présents). ${OBSERVED_IMT}`,
    cell: text('ROME'),
  },
  {
    id: 'AREA_TYPE_CODE',
    type: 'text',
    label: 'Type de territoire',
    notes:
      "Toujours B (bassin d'emploi) : toutes les lignes du fichier sont des bassins. Valeur de la nomenclature de " +
      `l'API d'origine (F France entière, R région, D département, B bassin). ${OBSERVED_IMT}`,
    cell: () => 'B',
  },
  {
    id: 'AREA_CODE',
    type: 'text',
    label: "Code du bassin d'emploi",
    notes: `Colonne « cbassin » : code du bassin d'emploi en quatre caractères (ex. 0203, 1107), 403 bassins. ${OBSERVED_IMT}`,
    cell: text('cbassin'),
  },
  {
    id: 'AREA_NAME',
    type: 'text',
    label: "Nom du bassin d'emploi",
    notes:
      "Absent du fichier des tensions ; nom du bassin portant ce code dans le zonage BMO 2024 (data/geo/" +
      'communes_bassins_bmo.csv), rattaché par le code. Le zonage a pu évoluer entre 2021 et 2024. Null pour les ' +
      `codes absents de ce zonage (7549) ou qui y portent deux noms (0102). ${OBSERVED_IMT}`,
    cell: (record, context) => context.bassinNames.get(rawCell(record, 'cbassin')) ?? null,
  },
  {
    id: 'NB_OFFER_AVERAGE',
    type: 'numeric',
    label: "Offres d'emploi enregistrées (moyenne 2021)",
    notes:
      "Colonne « oee » (offres d'emploi enregistrées à Pôle emploi) pour ce métier et ce bassin en 2021 : une " +
      'moyenne sur l’année, publiée avec ses décimales (ex. 16,61538462), unité : offres. Ce n’est ni un stock de ' +
      "fin de mois ni un total hebdomadaire comme NB_OFFER_END_MONTH / NB_OFFER_LAST_WEEK de l'API d'origine. " +
      CHOSEN_NAME_NOTE,
    cell: decimalComma('oee'),
  },
  {
    id: 'NB_APPLICATION_AVERAGE',
    type: 'numeric',
    label: "Demandeurs d'emploi inscrits en catégories A, B, C (moyenne 2021)",
    notes:
      "Colonne « defm_abc » : demandeurs d'emploi en fin de mois inscrits à Pôle emploi en catégories A, B et C " +
      'sur ce métier recherché et ce bassin, moyenne 2021 (les valeurs sont des multiples de 0,25, ce qui ' +
      'correspond à une moyenne de quatre valeurs trimestrielles), unité : personnes. ' +
      CHOSEN_NAME_NOTE,
    cell: decimalComma('defm_abc'),
  },
  tensionClass('TENSION_CLASS', 'ind_tension_d', 'Indicateur de tension', 'indicateur synthétique de tension.'),
  tensionClass('HIRING_INTENSITY_CLASS', 'ind_int_emb_d', "Intensité d'embauche", "intensité des embauches."),
  tensionClass(
    'LABOUR_SHORTAGE_CLASS',
    'ind_main_oeuvre_d',
    "Manque de main-d'œuvre disponible",
    "manque de main-d'œuvre disponible.",
  ),
  tensionClass('JOB_INSTABILITY_CLASS', 'ind_dur_empl_d', "Non-durabilité de l'emploi", "non-durabilité de l'emploi."),
  tensionClass(
    'WORKING_CONDITIONS_CLASS',
    'ind_cond_travail_d',
    'Conditions de travail contraignantes',
    'conditions de travail contraignantes.',
  ),
  tensionClass(
    'GEOGRAPHIC_MISMATCH_CLASS',
    'ind_mismatch_geo_d',
    'Inadéquation géographique',
    "inadéquation géographique entre offres et demandeurs d'emploi.",
  ),
  tensionClass(
    'TRAINING_LINK_CLASS',
    'ind_specif_form_empl_d',
    'Lien entre formation et emploi',
    'spécificité du lien entre formation et emploi (vide sur 10 lignes → null).',
  ),
]

const tensions = fileResource(
  {
    id: '6061ddce-9bb8-43f0-841f-09ae23fcda60',
    name: "Tensions, offres et demandeurs d'emploi par métier et bassin (2021)",
    description:
      "Pour chaque code ROME et chaque bassin d'emploi, en 2021 : offres d'emploi enregistrées et demandeurs " +
      "d'emploi inscrits en catégories A, B, C (moyennes annuelles), indicateur de tension et ses six facteurs " +
      '(classes de 1 à 5) — indicateurs DARES / Pôle emploi « Les tensions sur le marché du travail ». ' +
      "Ce n'est pas la ressource « Statistiques offres et demandes » de l'original (266f691f-…) : ses colonnes " +
      'NB_OFFER_END_MONTH, NB_OFFER_LAST_WEEK, NB_APPLICATION_END_MONTH, NB_APPLICATION_LAST_WEEK, SEASONAL_* et ' +
      'TENSION_RATIO sont des comptes hebdomadaires et de fin de mois par territoire (France, région, département, ' +
      'bassin) qui ne sont publiés nulle part ; les moyennes annuelles par bassin ci-dessous ne permettent pas de les ' +
      'reconstituer, et ne sont donc pas servies sous ce format.',
    peSource: 'IMT_TENSIONS_BASSIN',
    peVersion: '2021',
    peType: 'data',
    file: TENSION_FILE,
    csv: { delimiter: ';' },
    columns: TENSION_COLUMNS,
    lookupFiles: [BASSINS_FILE],
    attribution:
      'DARES / Pôle emploi, indicateurs « Les tensions sur le marché du travail » par bassin (statistique ' +
      `publique, Licence Ouverte). ${MOBIVILLE_ORIGIN}, fichier api/src/assets/datas/cities-tension-utf8.csv ` +
      '(commit 6b1569631206e04fa53cf9f14c148f94ef2c2350). Noms des bassins : zonage BMO 2024, dépôt ' +
      'dataforgoodfr/13_odis (MIT), dbt_odis/seeds/bassin_emploi.csv, commit d593d58abb28d8ce4a55d7859246bbbb695a77b7.',
    date: '2021',
    expectedRows: 27_135,
  },
  async (dataDir): Promise<TensionContext> => ({ bassinNames: await loadBassinNames(dataDir) }),
)

// ---------------------------------------------------------------------------------------------
// Salaires médians par famille professionnelle (FAP 2009)

const SALARY_FILE = 'marche-travail/dares_salaire_median_fap2009.csv'

const SALARY_COLUMNS: readonly Column[] = [
  {
    id: 'FAP_CODE',
    type: 'text',
    label: 'Code de la famille professionnelle (FAP 2009)',
    notes:
      'Colonne « Code Fap » : FAP 2009 à 1 caractère (domaine, ex. A), 3 (ex. A0Z) ou 5 (ex. A0Z40) ; « Ensemble » ' +
      "pour l'ensemble des salariés. Nom de colonne de l'API d'origine (ressource IMT « Canaux de reprise »).",
    cell: text('Code Fap'),
  },
  {
    id: 'FAP_NAME',
    type: 'text',
    label: 'Libellé de la famille professionnelle',
    notes:
      "Colonne « Libellé de la famille professionnelle » (« nd » → null, ligne « Ensemble »). Nom de colonne de " +
      "l'API d'origine (ressource IMT « Canaux de reprise »).",
    cell: text('Libellé de la famille professionnelle', NOT_AVAILABLE),
  },
  {
    id: 'PERIOD',
    type: 'text',
    label: 'Période',
    notes: `Colonne « Année » : période de trois ans sur laquelle la médiane est calculée, 2003-2005 ou 2017-2019. ${CHOSEN_NAME_NOTE}`,
    cell: text('Année'),
  },
  {
    id: 'MEDIAN_SALARY',
    type: 'int',
    label: 'Salaire médian mensuel net (en euros)',
    notes:
      'Colonne « Salaire médian (en €) » : salaire mensuel net médian des salariés de la famille professionnelle ' +
      `sur la période, en euros (DARES, « Portraits statistiques des métiers »). « nd » (non disponible) → null. ${CHOSEN_NAME_NOTE}`,
    cell: integer('Salaire médian (en €)', NOT_AVAILABLE),
  },
]

const salaries = fileResource({
  id: '0e58166e-fe9c-4dff-8584-3a2e041d60b1',
  name: 'Salaires médians par famille professionnelle (FAP 2009)',
  description:
    'Salaire mensuel net médian par famille professionnelle (nomenclature FAP 2009, trois niveaux) sur les ' +
    "périodes 2003-2005 et 2017-2019, d'après les « Portraits statistiques des métiers » de la DARES. " +
    "Ce n'est pas la ressource « Salaires » de l'original (d9090eaf-…) : ses salaires minimum et maximum par " +
    'profession PCS, tranche d’âge et territoire ne sont publiés nulle part, et un salaire médian par famille FAP ' +
    'ne permet pas de les calculer ; ils ne sont donc pas servis sous ce format.',
  peSource: 'DARES_SALAIRE_MEDIAN_FAP2009',
  peVersion: '2019',
  peType: 'data',
  file: SALARY_FILE,
  csv: { delimiter: ';' },
  columns: SALARY_COLUMNS,
  attribution:
    'DARES, « Portraits statistiques des métiers » (statistique publique, Licence Ouverte). Copie : dépôt GitHub ' +
    'gtm-innovation/emploi-ia (sans fichier de licence), fichier dares_salaire_median.csv, commit ' +
    'bde74977b53e01cc4375a0cf002e7fbf1d550c74, ré-encodé de CP1252 en UTF-8 (fins de ligne LF).',
  date: '2003/2019',
  expectedRows: 616,
})

// ---------------------------------------------------------------------------------------------
// Embauches par métier et secteur d'activité (ROME × NAF)

const HIRINGS_FILE = 'marche-travail/rome_naf_mapping.csv'

const HIRINGS_COLUMNS: readonly Column[] = [
  {
    id: 'ROME_PROFESSION_CARD_CODE',
    type: 'text',
    label: 'Code ROME de la fiche métier',
    notes: `Colonne « rome_id » : code de fiche du ROME v3. ${OBSERVED_IMT}`,
    cell: text('rome_id'),
  },
  {
    id: 'ROME_PROFESSION_CARD_NAME',
    type: 'text',
    label: 'Intitulé de la fiche métier ROME',
    notes: `Colonne « rome_label ». ${OBSERVED_IMT}`,
    cell: text('rome_label'),
  },
  {
    id: 'ACTIVITY_CODE',
    type: 'text',
    label: "Code d'activité (NAF rév. 2)",
    notes:
      "Colonne « naf_id » : sous-classe NAF rév. 2 sans point (ex. 0111Z). Nom de colonne de l'API d'origine " +
      "(ressource « Offres d'emploi », même format).",
    cell: text('naf_id'),
  },
  {
    id: 'ACTIVITY_NAME',
    type: 'text',
    label: "Libellé de l'activité (NAF rév. 2)",
    notes: `Colonne « naf_label ». Nom de colonne de l'API d'origine (ressource « Offres d'emploi »).`,
    cell: text('naf_label'),
  },
  {
    id: 'NB_HIRINGS',
    type: 'int',
    label: "Nombre d'embauches",
    notes:
      "Colonne « hirings » : embauches de plus de 30 jours sur ce métier dans les établissements de ce code NAF, " +
      "d'après les déclarations préalables à l'embauche (DPAE, hors intérim et intérim) croisées avec les données " +
      'de Pôle emploi (méthode de La Bonne Boîte, dossier ROME_NAF de son dépôt), unité : embauches. Seuls les ' +
      `couples ROME × NAF jugés pertinents par La Bonne Boîte sont présents. ${CHOSEN_NAME_NOTE}`,
    cell: integer('hirings'),
  },
]

const hirings = fileResource({
  id: '5ff14a10-e829-442e-a0f4-e9a339be6e0c',
  name: "Embauches par métier et secteur d'activité (ROME × NAF)",
  description:
    "Nombre d'embauches par code ROME et code d'activité NAF de l'employeur, calculé par Pôle emploi (service La " +
    "Bonne Boîte) à partir des déclarations préalables à l'embauche : la dimension « secteur » du marché du " +
    'travail. La documentation de la méthode décrit des DPAE de mars 2016 à avril 2017 (intérim : avril 2016 à ' +
    'mai 2017) ; la version du fichier (juillet 2021) ne précise pas si la période a changé.',
  peSource: 'ROME_NAF_EMBAUCHES',
  peVersion: '2021',
  peType: 'data',
  file: HIRINGS_FILE,
  columns: HIRINGS_COLUMNS,
  attribution:
    "Pôle emploi (La Bonne Boîte), correspondance ROME × NAF pondérée par les embauches ; publié en données " +
    "ouvertes (data.gouv.fr « Nombre d'embauches par code APE et code ROME »). Copie : dépôt GitHub " +
    'StartupsPoleEmploi/labonneboite (code AGPL-3.0), fichier labonneboite/common/data/rome_naf_mapping.csv, ' +
    'instantané 7f4c797dfea847a2e931bdb51f2a6a4601a1fb96 (commit du fichier db37474df191be49a4f001f44322cc820b3b2339, ' +
    '2021-07-05).',
  // The period documented by the method (ROME_NAF/README.md of that repository).
  date: '2016-03-07/2017-05-30',
  expectedRows: 5_071,
})

/** The `imt` package: tension, offers and job seekers by ROME × bassin (2021), salaries by FAP, hirings by ROME × NAF. */
export const imtPackage: PackageDefinition = {
  id: '3a0329ca-36e8-4a19-a520-7d5df83c26be',
  name: 'imt',
  title: 'Informations sur le marché du travail',
  notes:
    'Informations sur le marché du travail **par métier** :\n\n' +
    "- tensions, offres d'emploi enregistrées et demandeurs d'emploi (catégories A, B, C) par code ROME et bassin " +
    "d'emploi, moyennes de l'année **2021** (indicateurs DARES / Pôle emploi) ;\n" +
    '- salaires mensuels nets médians par famille professionnelle FAP 2009 (DARES, 2003-2005 et 2017-2019) ;\n' +
    "- embauches par code ROME et code d'activité NAF (Pôle emploi, La Bonne Boîte).\n\n" +
    "Les ressources hebdomadaires de l'API d'origine « Statistiques offres et demandes », « Salaires » et « Canaux " +
    "de reprise d'emploi » n'ont jamais été publiées sous forme de fichiers, et les chiffres publiés ne permettent " +
    'pas de les calculer : elles ne sont pas reproduites, et aucun chiffre n’est reconstitué. « Types de contrats » ' +
    'est calculée à chaque lecture sur les offres actives du service, au format de l’original, dans le paquet ' +
    '`offres`. Les noms de colonnes de l’original sont repris quand le sens est le même.',
  frequency: 'hebdomadaire',
  tags: ['IMT', 'marché du travail', 'tension', 'salaires', 'embauches', 'ROME'],
  resources: [tensions, salaries, hirings],
}
