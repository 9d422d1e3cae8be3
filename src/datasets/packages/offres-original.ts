/**
 * The anonymised offers in the original Infotravail's layout: its 128 columns, in its order (that of
 * `offres_emploi.sample.csv`, shared/data/infotravail-samples), with its formats — dates `dd/mm/yy`,
 * flags `O`/`N`, codes as text — each column computed from what the live offer holds, and null where
 * the offer does not hold it (the original's agency, application counts, service type… have no
 * source in an `Offre`).
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { DatasetField, FieldType } from '../definition.js'
import { LANGUES, NATURES_CONTRATS, NIVEAUX_FORMATIONS, PERMIS, TYPES_CONTRATS, type CodeLabel } from '../../domain/referentials/static-lists.js'

const ORIGINAL = 'Colonne de l’API d’origine (format d’origine).'
const NOT_HELD = 'Toujours vide : une offre du service ne porte pas cette information.'

function field(id: string, type: FieldType, label: string, notes: string): DatasetField {
  return { id, type, info: { label, notes: `${notes} ${ORIGINAL}` } }
}

/** A SQL string literal. */
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`

/**
 * A referential's code from its label, or back: a constant JSON object read by key (parsed once
 * when the statement is planned, then a binary search per row; a CASE tests its branches one by one).
 */
function lookup(expression: string, pairs: readonly (readonly [string, string])[]): string {
  return `(${literal(JSON.stringify(Object.fromEntries(pairs)))}::jsonb ->> (${expression}))`
}

const codeOf = (items: readonly CodeLabel[]) => items.map((item) => [item.libelle, item.code] as const)
const labelOf = (items: readonly CodeLabel[]) => items.map((item) => [item.code, item.libelle] as const)

const fold = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '')

interface EtalabArea {
  readonly code: string
  readonly nom: string
  readonly region?: string
  readonly zone: string
}

/**
 * The départements of metropolitan France and the DROM, and their regions, named as the original
 * did: départements in upper case without accents (`VAL-D'OISE`), regions without accents nor
 * hyphens (`Ile de France`). SQL lookups by code (a département's name and region, a region's
 * name) and by the label of a place that is a whole region ("Nouvelle-Aquitaine").
 */
function places(): { departementName: (code: string) => string; regionOf: (code: string) => string; regionByLabel: (label: string) => string; regionName: (code: string) => string } {
  // `index.js` of the package fails outside its folder (DESIGN.md): its data files are read directly.
  const read = (file: string) => JSON.parse(readFileSync(createRequire(import.meta.url).resolve(`@etalab/decoupage-administratif/data/${file}`), 'utf8')) as EtalabArea[]
  const served = (area: EtalabArea) => area.zone === 'metro' || area.zone === 'drom'
  const regions = read('regions.json').filter(served)
  const departements = read('departements.json').filter(served)
  return {
    departementName: (code) => lookup(code, departements.map((departement) => [departement.code, fold(departement.nom).toUpperCase()] as const)),
    regionOf: (code) => lookup(code, departements.map((departement) => [departement.code, departement.region ?? ''] as const)),
    regionByLabel: (label) => lookup(label, regions.map((region) => [region.nom, region.code] as const)),
    regionName: (code) => lookup(code, regions.map((region) => [region.code, fold(region.nom).replace(/-/g, ' ')] as const)),
  }
}

const PLACES = places()

/** Requirement (`exigence`) labels, as the original wrote them (`E` exigé, seen; `S` souhaité). */
const REQUIRED = [['E', 'exigé'], ['S', 'souhaité']] as const

/** An amount in a label: digits, with a decimal point or comma. */
const AMOUNT = '^[0-9]+([.,][0-9]+)?$'
/** The duration in a contract type label ("CDD - 6 Mois", "Mission intérimaire - 15 Jour(s)"). */
const DURATION_PATTERN = ' - ([0-9]+) (Mois|Jour\\(s\\)|Semaine\\(s\\)|An\\(s\\))$'
/** The experience's duration ("Expérience exigée de 2 An(s)", "3 mois", "2 An(s) - Sur même type de poste"). */
const EXPERIENCE_PATTERN = '([0-9]+(?:[.,][0-9]+)?) (An\\(s\\)|[Mm]ois)'
/** The weekly hours and what follows them ("35H Horaires normaux", "35H30/semaine\nTravail en journée", "39 H"). */
const HOURS_PATTERN = '^([0-9]+) ?H([0-9]{1,2})?(?:/semaine)?\\s*(.*)$'

const number = (text: string) => `replace(${text}, ',', '.')::numeric`

/**
 * Each offer's JSON parsed once, and the parts of its labels that several columns read matched
 * once: each LATERAL is fenced by OFFSET 0 (else its expressions are inlined, and computed again,
 * in every column that reads them). The salary label ("Mensuel de 1923.00 Euros à 2100.00 Euros
 * sur 12 mois") is split on spaces, not matched by a regular expression (which cost several times more),
 * and its amounts checked before they are cast. The département comes from the commune, or from a
 * label that names only a département ("94"); the region from the département, or from a label
 * that names a whole region.
 */
const FROM = `{{offers}} a
  cross join lateral (select a.payload::jsonb as p offset 0) j
  cross join lateral (select
      string_to_array(j.p->'salaire'->>'libelle', ' ') as words,
      regexp_match(j.p->>'typeContratLibelle', ${literal(DURATION_PATTERN)}) as duration,
      regexp_match(j.p->>'experienceLibelle', ${literal(EXPERIENCE_PATTERN)}) as experience,
      regexp_match(j.p->>'dureeTravailLibelle', ${literal(HOURS_PATTERN)}) as hours,
      coalesce(case when j.p->'lieuTravail'->>'commune' like '97%' then left(j.p->'lieuTravail'->>'commune', 3) else left(j.p->'lieuTravail'->>'commune', 2) end,
        substring(j.p->'lieuTravail'->>'libelle' from '^(2[AB]|97[1-6]|[0-9]{2})(?: - |$)')) as departement
    offset 0) m
  cross join lateral (select
      case when m.words[1] in ('Horaire', 'Mensuel', 'Annuel') and m.words[2] = 'de' and m.words[3] ~ ${literal(AMOUNT)} and m.words[4] = 'Euros' then m.words[1] end as kind,
      m.words[3] as low,
      case when m.words[5] = 'à' and m.words[6] ~ ${literal(AMOUNT)} and m.words[7] = 'Euros' then m.words[6] end as high,
      case when m.words[5] = 'sur' and m.words[6] ~ ${literal(AMOUNT)} then m.words[6] when m.words[8] = 'sur' and m.words[9] ~ ${literal(AMOUNT)} then m.words[9] end as months,
      coalesce(${PLACES.regionOf('m.departement')}, ${PLACES.regionByLabel(`j.p->'lieuTravail'->>'libelle'`)}) as region
    offset 0) v
  where a.status = 'active'`

/** An element of an array of the offer (0-based). */
const item = (array: string, at: number, key?: string) => (key ? `j.p->'${array}'->${at}->>'${key}'` : `j.p->'${array}'->>${at}`)
/** A date of the offer as the original wrote it: `dd/mm/yy`, in France's time. */
const date = (key: string) => `to_char((j.p->>'${key}')::timestamptz at time zone 'Europe/Paris', 'DD/MM/YY')`
const flag = (expression: string) => `case (${expression})::boolean when true then 'O' when false then 'N' end`
const salaryType = 'v.kind'
/** A part of the salary label, when the label is one the columns read. */
const salary = (part: 'low' | 'high' | 'months') => `case when v.kind is not null then v.${part} end`
/** The annual salary of an amount: months paid for a monthly one, 35 h × 52 weeks for an hourly one (the original's 9.88 € → 17,981.6 €). */
const annual = (amount: string) =>
  `case ${salaryType} when 'Annuel' then ${number(amount)} when 'Mensuel' then ${number(amount)} * coalesce(${number(salary('months'))}, 12) when 'Horaire' then ${number(amount)} * 1820 end`
/** The offer's label of a travel ("Ponctuels Zone départementale"): its frequency, then its zone. */
const travel = `j.p->>'deplacementLibelle'`
const permisCode = (at: number) => lookup(item('permis', at, 'libelle'), PERMIS.map((permis) => [permis.libelle, permis.code] as const))
const complement = (at: number, key: 'code' | 'libelle') =>
  key === 'code' ? `j.p->'salaire'->'listeComplements'->${at}->>'code'` : `coalesce(j.p->'salaire'->'listeComplements'->${at}->>'libelle', j.p->'salaire'->>'complement${at + 1}')`

/** Every column: its definition and the expression that computes it. */
const UNORDERED: readonly (readonly [DatasetField, string])[] = [
  [field('ACTIVITY_CODE', 'text', 'Code NAF', 'Code NAF de l’établissement, sans point (codeNAF).'), `replace(j.p->>'codeNAF', '.', '')`],
  [field('ACTIVITY_NAME', 'text', 'Secteur d’activité', 'secteurActiviteLibelle.'), `j.p->>'secteurActiviteLibelle'`],
  [field('ANNUAL_MAXIMUM_SALARY', 'numeric', 'Salaire maximum annuel', 'Salaire maximum ramené à l’année : mensuel × nombre de mois, horaire × 1 820 h (35 h × 52).'), annual(salary('high'))],
  [field('ANNUAL_MINIMUM_SALARY', 'numeric', 'Salaire minimum annuel', 'Salaire minimum ramené à l’année, comme le maximum.'), annual(salary('low'))],
  [field('CITY_CODE', 'text', 'Commune (code INSEE)', 'lieuTravail.commune.'), `j.p->'lieuTravail'->>'commune'`],
  [field('CITY_NAME', 'text', 'Commune', 'Nom de la commune en majuscules, tiré du libellé du lieu de travail (« 94 - CRETEIL »).'), `case when j.p->'lieuTravail'->>'commune' is not null then upper(substring(j.p->'lieuTravail'->>'libelle' from '^[0-9AB]{2,3} - (.+)$')) end`],
  [field('CONTINENT_CODE', 'text', 'Continent', `Vide pour la France (comme l’original) ; ${NOT_HELD}`), 'null::text'],
  [field('CONTINENT_NAME', 'text', 'Libellé du continent', NOT_HELD), 'null::text'],
  [field('CONTRACT_DURATION', 'int', 'Durée du contrat', 'Durée lue dans typeContratLibelle (« CDD - 6 Mois »).'), `(m.duration[1])::integer`],
  [field('CONTRACT_DUR_UNIT_CODE', 'text', 'Unité de la durée', 'MO pour les mois (code de l’original) ; vide pour une autre unité, dont le code d’origine n’est pas connu.'), `case m.duration[2] when 'Mois' then 'MO' end`],
  [field('CONTRACT_DUR_UNIT_NAME', 'text', 'Libellé de l’unité de la durée', 'Unité lue dans typeContratLibelle.'), `m.duration[2]`],
  [field('CONTRACT_NATURE_CODE', 'text', 'Nature du contrat', 'Code du référentiel des natures de contrat (E1, E2, FS…) du libellé natureContrat.'), lookup(`j.p->>'natureContrat'`, codeOf(NATURES_CONTRATS))],
  [field('CONTRACT_NATURE_NAME', 'text', 'Libellé de la nature du contrat', 'natureContrat.'), `j.p->>'natureContrat'`],
  [field('CONTRACT_TYPE_CODE', 'text', 'Type de contrat', 'typeContrat (CDI, CDD, MIS…).'), `j.p->>'typeContrat'`],
  [field('CONTRACT_TYPE_NAME', 'text', 'Libellé du type de contrat', 'Libellé du référentiel des types de contrat (« Contrat à durée déterminée »).'), lookup(`j.p->>'typeContrat'`, labelOf(TYPES_CONTRATS))],
  [field('COUNTRY_CODE', 'text', 'Pays', '01 (France, code du référentiel des pays) pour une offre située en France ; vide sinon.'), `case when v.region is not null or j.p->'lieuTravail'->>'libelle' = 'France' then '01' end`],
  [field('COUNTRY_NAME', 'text', 'Libellé du pays', 'FRANCE pour une offre située en France.'), `case when v.region is not null or j.p->'lieuTravail'->>'libelle' = 'France' then 'FRANCE' end`],
  [field('CREATION_DATE', 'text', 'Date de création', 'dateCreation, jj/mm/aa (heure de Paris).'), date('dateCreation')],
  ...[0, 1].flatMap((at): (readonly [DatasetField, string])[] => {
    const n = at + 1
    const formation = (key: string) => item('formations', at, key)
    return [
      [field(`DEGREE_DIPLOMA_NAME_${n}`, 'text', `Diplôme ${n}`, `Commentaire de la formation n° ${n} (le diplôme demandé).`), formation('commentaire')],
      [field(`DEGREE_REQUIRED_CODE_${n}`, 'text', `Exigence de la formation ${n}`, 'E exigée, S souhaitée.'), formation('exigence')],
      [field(`DEGREE_REQUIRED_NAME_${n}`, 'text', `Libellé de l’exigence de la formation ${n}`, 'exigé, souhaité.'), lookup(formation('exigence'), REQUIRED)],
      [field(`DEGREE_SUBJECT_AREA_CODE_${n}`, 'text', `Domaine de la formation ${n}`, 'codeFormation (Formacode).'), formation('codeFormation')],
      [field(`DEGREE_SUBJECT_AREA_NAME_${n}`, 'text', `Libellé du domaine de la formation ${n}`, 'domaineLibelle.'), formation('domaineLibelle')],
      [field(`DEGREE_TYPE_CODE_${n}`, 'text', `Niveau de la formation ${n}`, 'Code du référentiel des niveaux de formation (NV5…) du libellé niveauLibelle.'), lookup(formation('niveauLibelle'), codeOf(NIVEAUX_FORMATIONS))],
      [field(`DEGREE_TYPE_NAME_${n}`, 'text', `Libellé du niveau de la formation ${n}`, 'niveauLibelle.'), formation('niveauLibelle')],
    ]
  }),
  [field('DEPARTEMENT_CODE', 'text', 'Département', 'Déduit de la commune du lieu de travail, ou de son libellé quand il ne nomme qu’un département.'), 'm.departement'],
  [field('DEPARTEMENT_NAME', 'text', 'Libellé du département', 'En majuscules sans accents (« VAL-D’OISE »), du découpage administratif (Etalab).'), PLACES.departementName('m.departement')],
  ...[0, 1].map((at) => [field(`DESKTOP_TOOLS_CODE_${at + 1}`, 'text', `Outil bureautique ${at + 1}`, NOT_HELD), 'null::text'] as const),
  ...[0, 1].map((at) => [field(`DESKTOP_TOOLS_LEV_CODE_${at + 1}`, 'text', `Niveau de l’outil ${at + 1}`, NOT_HELD), 'null::text'] as const),
  ...[0, 1].map((at) => [field(`DESKTOP_TOOLS_LEV_NAME_${at + 1}`, 'text', `Libellé du niveau de l’outil ${at + 1}`, NOT_HELD), 'null::text'] as const),
  ...[0, 1].map((at) => [field(`DESKTOP_TOOLS_NAME_${at + 1}`, 'text', `Libellé de l’outil bureautique ${at + 1}`, `outilsBureautiques, élément n° ${at + 1}.`), item('outilsBureautiques', at)] as const),
  [field('DISABLED_ACCESSIBILITY', 'text', 'Accessible aux travailleurs handicapés', 'accessibleTH : O ou N.'), flag(`j.p->>'accessibleTH'`)],
  ...[0, 1].map((at) => [field(`DRIVING_LIC_CODE_${at + 1}`, 'text', `Permis ${at + 1}`, 'Code du référentiel des permis (B, C, CE…) du libellé.'), permisCode(at)] as const),
  ...[0, 1].map((at) => [field(`DRIVING_LIC_NAME_${at + 1}`, 'text', `Libellé du permis ${at + 1}`, `permis, élément n° ${at + 1}.`), item('permis', at, 'libelle')] as const),
  ...[0, 1].map((at) => [field(`DRIVING_LIC_REQ_CODE_${at + 1}`, 'text', `Exigence du permis ${at + 1}`, 'E exigé, S souhaité.'), item('permis', at, 'exigence')] as const),
  ...[0, 1].map((at) => [field(`DRIVING_LIC_REQ_NAME_${at + 1}`, 'text', `Libellé de l’exigence du permis ${at + 1}`, 'exigé, souhaité.'), lookup(item('permis', at, 'exigence'), REQUIRED)] as const),
  [field('EMPLOYER_CONSENT', 'text', 'Accord de l’employeur', NOT_HELD), 'null::text'],
  [field('EM_INTERVIEW_MODALITY_CODE', 'text', 'Mode de candidature', NOT_HELD), 'null::text'],
  [field('EM_INTERVIEW_MODALITY_NAME', 'text', 'Libellé du mode de candidature', NOT_HELD), 'null::text'],
  [field('EXPERIENCE_CODE', 'text', 'Expérience', 'experienceExige : D débutant accepté, S souhaitée, E exigée.'), `j.p->>'experienceExige'`],
  [field('EXPERIENCE_MAX_DURATION', 'numeric', 'Durée maximum d’expérience', NOT_HELD), 'null::numeric'],
  [field('EXPERIENCE_MIN_DURATION', 'numeric', 'Durée minimum d’expérience', 'Durée lue dans experienceLibelle (« Expérience exigée de 2 An(s) »).'), number('m.experience[1]')],
  [field('EXPERIENCE_NAME', 'text', 'Libellé de l’expérience', 'Libellé du code experienceExige.'), lookup(`j.p->>'experienceExige'`, [['D', 'Débutant accepté'], ['S', 'Expérience souhaitée'], ['E', 'Expérience exigée']])],
  [field('EXP_DURATION_TYPE_CODE', 'text', 'Unité de la durée d’expérience', 'AN (années) ou MO (mois).'), `case when m.experience[2] = 'An(s)' then 'AN' when m.experience[2] is not null then 'MO' end`],
  [field('EXP_DURATION_TYPE_NAME', 'text', 'Libellé de l’unité de la durée d’expérience', 'An(s) ou Mois.'), `case when m.experience[2] = 'An(s)' then 'An(s)' when m.experience[2] is not null then 'Mois' end`],
  [field('FLAG_RELATION', 'text', 'Indicateur de relation', NOT_HELD), 'null::text'],
  ...[0, 1].map((at) => [field(`LANG_CODE_${at + 1}`, 'text', `Langue ${at + 1}`, 'Code du référentiel des langues du service (ISO 639-1 en majuscules : les codes de l’original ne sont pas publics).'), lookup(item('langues', at, 'libelle'), codeOf(LANGUES))] as const),
  ...[0, 1].map((at) => [field(`LANG_NAME_${at + 1}`, 'text', `Libellé de la langue ${at + 1}`, `langues, élément n° ${at + 1}.`), item('langues', at, 'libelle')] as const),
  ...[0, 1].map((at) => [field(`LANG_PROFICIENCY_CODE_${at + 1}`, 'text', `Niveau de langue ${at + 1}`, NOT_HELD), 'null::text'] as const),
  ...[0, 1].map((at) => [field(`LANG_PROFICIENCY_NAME_${at + 1}`, 'text', `Libellé du niveau de langue ${at + 1}`, NOT_HELD), 'null::text'] as const),
  ...[0, 1].map((at) => [field(`LANG_REQUIRED_CODE_${at + 1}`, 'text', `Exigence de la langue ${at + 1}`, 'E exigée, S souhaitée.'), item('langues', at, 'exigence')] as const),
  ...[0, 1].map((at) => [field(`LANG_REQUIRED_NAME_${at + 1}`, 'text', `Libellé de l’exigence de la langue ${at + 1}`, 'exigé, souhaité.'), lookup(item('langues', at, 'exigence'), REQUIRED)] as const),
  [field('LATITUDE', 'numeric', 'Latitude', 'Du lieu de travail (WGS 84).'), `(j.p->'lieuTravail'->>'latitude')::numeric`],
  [field('LONGITUDE', 'numeric', 'Longitude', 'Du lieu de travail (WGS 84).'), `(j.p->'lieuTravail'->>'longitude')::numeric`],
  [field('MAXIMUM_SALARY', 'numeric', 'Salaire maximum', 'Lu dans le libellé du salaire (« Mensuel de 1900 Euros à 2100 Euros »).'), number(salary('high'))],
  [field('MINIMUM_SALARY', 'numeric', 'Salaire minimum', 'Lu dans le libellé du salaire.'), number(salary('low'))],
  [field('MODIFICATION_DATE', 'text', 'Date de dernière actualisation', 'dateActualisation, jj/mm/aa (heure de Paris).'), date('dateActualisation')],
  [field('MONITORING_AGENCY_CODE', 'text', 'Agence de suivi', NOT_HELD), 'null::text'],
  [field('NB_MONTH_SALARY', 'numeric', 'Nombre de mois de salaire', 'Lu dans le libellé du salaire (« sur 12 mois »).'), number(salary('months'))],
  [field('NB_VACANCIES_CREATION', 'int', 'Postes à la création', 'nombrePostes.'), `(j.p->>'nombrePostes')::integer`],
  [field('NB_VACANCIES_LEFT', 'int', 'Postes restant à pourvoir', NOT_HELD), 'null::integer'],
  [field('NUMBER_OF_APPLICATION', 'int', 'Nombre de candidatures', NOT_HELD), 'null::integer'],
  [field('POSTCODE', 'text', 'Code postal', 'lieuTravail.codePostal.'), `j.p->'lieuTravail'->>'codePostal'`],
  [field('QUALIFICATION_CODE', 'text', 'Qualification', 'qualificationCode : 1 manœuvre … 9 cadre.'), `j.p->>'qualificationCode'`],
  [field('QUALIFICATION_NAME', 'text', 'Libellé de la qualification', 'qualificationLibelle.'), `j.p->>'qualificationLibelle'`],
  [field('REGION_CODE', 'text', 'Région', 'Région du département, ou région que nomme le lieu de travail (code INSEE).'), 'v.region'],
  [field('REGION_NAME', 'text', 'Libellé de la région', 'Sans accents ni traits d’union (« Ile de France »), du découpage administratif (Etalab).'), PLACES.regionName('v.region')],
  [field('ROME_LIST_ACTIVITY_CODE', 'text', 'Activités ROME (codes OGR)', 'Toujours vide : les compétences d’une offre ne disent pas lesquelles sont des activités.'), 'null::text'],
  [field('ROME_LIST_SKILL_CODE', 'text', 'Compétences ROME (codes OGR)', 'Codes des compétences de l’offre, séparés par « ; ».'), `nullif(array_to_string(array(select c->>'code' from jsonb_array_elements(case jsonb_typeof(j.p->'competences') when 'array' then j.p->'competences' else '[]'::jsonb end) c where c->>'code' is not null), ';'), '')`],
  [field('ROME_LIST_WORK_ENV_CODE', 'text', 'Environnements de travail ROME (codes OGR)', NOT_HELD), 'null::text'],
  [field('ROME_PROFESSION_CARD_CODE', 'text', 'Code ROME', 'romeCode.'), `j.p->>'romeCode'`],
  [field('ROME_PROFESSION_CARD_NAME', 'text', 'Libellé ROME', 'romeLibelle.'), `j.p->>'romeLibelle'`],
  [field('ROME_PROFESSION_CODE', 'text', 'Appellation (code OGR)', 'Code de l’appellation sous laquelle l’offre est classée (le premier quand il y en a plusieurs).'), `a.appellation_codes[1]`],
  [field('ROME_PROFESSION_NAME', 'text', 'Libellé de l’appellation', 'appellationlibelle.'), `j.p->>'appellationlibelle'`],
  [field('SALARY_COMMENT', 'text', 'Commentaire sur le salaire', 'salaire.commentaire.'), `j.p->'salaire'->>'commentaire'`],
  ...[0, 1].map((at) => [field(`SALARY_SUPPLEMENT_CODE_${at + 1}`, 'text', `Complément de salaire ${at + 1}`, 'Code du complément (salaire.listeComplements), quand l’offre le donne.'), complement(at, 'code')] as const),
  ...[0, 1].map((at) => [field(`SALARY_SUPPLEMENT_NAME_${at + 1}`, 'text', `Libellé du complément de salaire ${at + 1}`, `salaire.listeComplements ou complement${at + 1}.`), complement(at, 'libelle')] as const),
  [field('SALARY_TYPE_CODE', 'text', 'Type de salaire', 'H horaire, M mensuel, A annuel : initiale du libellé du salaire.'), `left(${salaryType}, 1)`],
  [field('SALARY_TYPE_NAME', 'text', 'Libellé du type de salaire', 'Horaire, Mensuel ou Annuel.'), salaryType],
  [field('SALARY_UNIT_CODE', 'text', 'Devise', 'EU pour les euros.'), `case when v.kind is not null then 'EU' end`],
  [field('SERVICE_TYPE_CODE', 'text', 'Type de service', NOT_HELD), 'null::text'],
  [field('SERVICE_TYPE_NAME', 'text', 'Libellé du type de service', NOT_HELD), 'null::text'],
  [field('STATUS_CODE', 'text', 'Statut', 'EC : la ressource ne tient que les offres en cours.'), `'EC'`],
  [field('STATUS_NAME', 'text', 'Libellé du statut', 'En cours.'), `'En cours'`],
  [field('SUB_CONTINENT_CODE', 'text', 'Sous-continent', NOT_HELD), 'null::text'],
  [field('SUB_CONTINENT_NAME', 'text', 'Libellé du sous-continent', NOT_HELD), 'null::text'],
  [field('TRAVEL_FREQUENCY_CODE', 'text', 'Fréquence des déplacements', 'deplacementCode (1 jamais … 4 quotidiens).'), `j.p->>'deplacementCode'`],
  [field('TRAVEL_FREQUENCY_COMMENT', 'text', 'Commentaire sur la fréquence des déplacements', NOT_HELD), 'null::text'],
  [field('TRAVEL_FREQUENCY_NAME', 'text', 'Libellé de la fréquence des déplacements', 'Premier mot de deplacementLibelle (« Quotidiens »).'), `split_part(${travel}, ' ', 1)`],
  [field('TRAVEL_TYPE_CODE', 'text', 'Zone des déplacements', NOT_HELD), 'null::text'],
  [field('TRAVEL_TYPE_COMMENT', 'text', 'Commentaire sur la zone des déplacements', NOT_HELD), 'null::text'],
  [field('TRAVEL_TYPE_NAME', 'text', 'Libellé de la zone des déplacements', 'Suite de deplacementLibelle (« Zone départementale »).'), `nullif(substring(${travel} from position(' ' in ${travel}) + 1), ${travel})`],
  [field('WAGE_UNIT_NAME', 'text', 'Libellé de la devise', 'Lu dans le libellé du salaire (Euros).'), `case when v.kind is not null then 'Euros' end`],
  [field('WEEKLY_WORKING_HOURS', 'int', 'Heures par semaine', 'Lues dans dureeTravailLibelle (« 35H Horaires normaux »).'), `(m.hours[1])::integer`],
  [field('WEEKLY_WORKING_MINUTES', 'int', 'Minutes par semaine', 'Minutes au-delà des heures (« 35H30 »).'), `(m.hours[2])::integer`],
  [field('WORKFORCE', 'text', 'Tranche d’effectif de l’établissement', 'trancheEffectifEtab.'), `j.p->>'trancheEffectifEtab'`],
  [field('WORKING_CONDITION_CODE', 'text', 'Condition d’exercice', NOT_HELD), 'null::text'],
  [field('WORKING_CONDITION_COMMENT', 'text', 'Commentaire sur la condition d’exercice', NOT_HELD), 'null::text'],
  [field('WORKING_CONDITION_NAME', 'text', 'Libellé de la condition d’exercice', 'conditionExercice.'), `j.p->>'conditionExercice'`],
  [field('WORKING_HOURS_TYPE_CODE', 'text', 'Type d’horaires', 'NOR pour « Horaires normaux » (code de l’original) ; vide pour un autre libellé, dont le code d’origine n’est pas connu.'), `case when m.hours[3] = 'Horaires normaux' then 'NOR' end`],
  [field('WORKING_HOURS_TYPE_COMMENT', 'text', 'Commentaire sur les horaires', NOT_HELD), 'null::text'],
  [field('WORKING_HOURS_TYPE_NAME', 'text', 'Libellé du type d’horaires', 'Suite de dureeTravailLibelle après la durée (« Horaires normaux »).'), `nullif(m.hours[3], '')`],
  [field('WORKING_LOCATION_NAME', 'text', 'Lieu de travail', 'Libellé du lieu de travail sans son département (« CRETEIL »).'), `coalesce(substring(j.p->'lieuTravail'->>'libelle' from '^[0-9AB]{2,3} - (.+)$'), j.p->'lieuTravail'->>'libelle')`],
  [field('WORKING_LOCATION_TYPE_CODE', 'text', 'Type de lieu de travail', 'CO une commune, DT un département.'), `case when j.p->'lieuTravail'->>'commune' is not null then 'CO' when m.departement is not null then 'DT' end`],
  [field('WORKING_LOCATION_TYPE_NAME', 'text', 'Libellé du type de lieu de travail', 'Une commune, Un département.'), `case when j.p->'lieuTravail'->>'commune' is not null then 'Une commune' when m.departement is not null then 'Un département' end`],
]

/**
 * The columns in the original's order: its dumps list them by name, in byte order (`CONTRACT_DURATION`
 * before `CONTRACT_DUR_UNIT_CODE`, `EMPLOYER_CONSENT` before `EM_INTERVIEW_MODALITY_CODE`).
 */
const COLUMNS = [...UNORDERED].sort(([a], [b]) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

/** The hidden key of the live table (see ViewResource.live): the offer's id, never served. */
export const ORIGINAL_OFFERS_KEY = '_offer_id'

/** The columns of the original's layout that get a B-tree: those clients filter on (métier, place, contract, dates). */
export const ORIGINAL_OFFERS_INDEXED: readonly string[] = [
  'ROME_PROFESSION_CARD_CODE', 'ROME_PROFESSION_CODE', 'DEPARTEMENT_CODE', 'REGION_CODE', 'CITY_CODE', 'POSTCODE', 'CONTRACT_TYPE_CODE',
  'CONTRACT_NATURE_CODE', 'EXPERIENCE_CODE', 'QUALIFICATION_CODE', 'ACTIVITY_CODE', 'CREATION_DATE', 'MODIFICATION_DATE',
]

/** The 128 fields of the original's anonymised offers, in its order. */
export const ORIGINAL_OFFER_FIELDS: readonly DatasetField[] = COLUMNS.map(([definition]) => definition)

/** The SELECT of the live table: `_id` the offer's latest change, the hidden key, then the fields. */
export const ORIGINAL_OFFERS_SELECT = `select a.seq::integer as "_id", a.id as "${ORIGINAL_OFFERS_KEY}",
  ${COLUMNS.map(([definition, expression]) => `${expression} as "${definition.id}"`).join(',\n  ')}
from ${FROM}`
