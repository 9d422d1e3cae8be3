import type { DatasetField, FieldType, PackageDefinition } from '../definition.js'
import { contractTypesResource } from './offres-contract-types.js'
import { ORIGINAL_OFFER_FIELDS, ORIGINAL_OFFERS_INDEXED, ORIGINAL_OFFERS_KEY, ORIGINAL_OFFERS_SELECT } from './offres-original.js'

function field(id: string, type: FieldType, label: string, notes: string): DatasetField {
  return { id, type, info: { label, notes } }
}

const CHOSEN = 'Nom de colonne choisi par OpenEmploi (non observé sur l’API d’origine).'
const SEEN = 'Nom de colonne de l’API d’origine.'
const PROVENANCE = {
  files: [],
  attribution: 'Offres actives du service (dépôts des recruteurs et partenaires, imports), calculées à chaque lecture.',
  date: 'temps réel',
}

/** The département of a commune code: three digits overseas (971…), else two (2A and 2B included). */
const DEPARTEMENT = `case when o.p->'lieuTravail'->>'commune' like '97%' then left(o.p->'lieuTravail'->>'commune', 3) else left(o.p->'lieuTravail'->>'commune', 2) end`

/**
 * The active offers with their JSON parsed once (the stored text would be parsed again by every
 * `->>` of a plain json value). The parse sits in a LATERAL subquery fenced by OFFSET 0: a plain
 * subquery is flattened into the SELECT, and its `payload::jsonb` was then computed again for
 * every column read from it (28 parses an offer); a condition on the offer's id still reaches
 * the offers' index.
 */
const ACTIVE = `(select a.seq, a.id, j.p from {{offers}} a cross join lateral (select a.payload::jsonb as p offset 0) j where a.status = 'active') o`

const OFFER_FIELDS: readonly DatasetField[] = [
  field('OFFER_ID', 'text', 'Identifiant de l’offre', `L’identifiant de l’offre sur l’API Offres d’emploi v2. ${CHOSEN}`),
  field('CREATION_DATE', 'timestamp', 'Date de création', `dateCreation de l’offre (UTC). ${SEEN}`),
  field('MODIFICATION_DATE', 'timestamp', 'Date de dernière actualisation', `dateActualisation de l’offre (UTC). ${SEEN}`),
  field('ROME_PROFESSION_CARD_CODE', 'text', 'Code ROME', `Fiche métier ROME de l’offre. ${SEEN}`),
  field('ROME_PROFESSION_CARD_NAME', 'text', 'Libellé ROME', SEEN),
  field('ROME_PROFESSION_NAME', 'text', 'Appellation', `Libellé de l’appellation métier. ${SEEN}`),
  field('CONTRACT_TYPE_CODE', 'text', 'Type de contrat', `CDI, CDD, MIS, SAI, LIB, FRA, CCE, DDI, DIN, TTI. ${SEEN}`),
  field('CONTRACT_TYPE_NAME', 'text', 'Libellé du type de contrat', SEEN),
  field('CONTRACT_NATURE_NAME', 'text', 'Nature du contrat', SEEN),
  field('EXPERIENCE_CODE', 'text', 'Expérience exigée', `D débutant accepté, S souhaitée, E exigée. ${SEEN}`),
  field('EXPERIENCE_NAME', 'text', 'Libellé de l’expérience', SEEN),
  field('QUALIFICATION_CODE', 'text', 'Qualification', `1 manœuvre … 9 cadre. ${SEEN}`),
  field('QUALIFICATION_NAME', 'text', 'Libellé de la qualification', SEEN),
  field('ACTIVITY_CODE', 'text', 'Code NAF', `Activité de l’établissement (NAF). ${SEEN}`),
  field('ACTIVITY_NAME', 'text', 'Secteur d’activité', SEEN),
  field('CITY_CODE', 'text', 'Commune (code INSEE)', SEEN),
  field('CITY_NAME', 'text', 'Lieu de travail', `Libellé du lieu de travail. ${SEEN}`),
  field('POSTCODE', 'text', 'Code postal', SEEN),
  field('DEPARTEMENT_CODE', 'text', 'Département', `Déduit du code de la commune. ${SEEN}`),
  field('LATITUDE', 'numeric', 'Latitude', `Du lieu de travail (WGS 84). ${SEEN}`),
  field('LONGITUDE', 'numeric', 'Longitude', `Du lieu de travail (WGS 84). ${SEEN}`),
  field('WORKFORCE', 'text', 'Tranche d’effectif de l’établissement', SEEN),
  field('SALARY_NAME', 'text', 'Salaire', `Libellé du salaire proposé. ${CHOSEN}`),
  field('WORKING_HOURS_NAME', 'text', 'Durée du travail', `Libellé de la durée du travail. ${CHOSEN}`),
  field('WORKING_HOURS_TYPE_NAME', 'text', 'Temps plein ou partiel', SEEN),
  field('NB_VACANCIES', 'int', 'Nombre de postes', `nombrePostes de l’offre. ${CHOSEN}`),
  field('ALTERNANCE', 'bool', 'Alternance', CHOSEN),
  field('DISABLED_ACCESSIBILITY', 'bool', 'Accessible aux travailleurs handicapés', SEEN),
]

const text = (path: string) => `o.p${path}`

/** The anonymised active offers: no company, contact, title or description (free texts may name people). */
const OFFERS_SELECT = `select o.seq::integer as "_id",
  o.id as "OFFER_ID",
  (${text("->>'dateCreation'")})::timestamptz at time zone 'UTC' as "CREATION_DATE",
  (${text("->>'dateActualisation'")})::timestamptz at time zone 'UTC' as "MODIFICATION_DATE",
  ${text("->>'romeCode'")} as "ROME_PROFESSION_CARD_CODE",
  ${text("->>'romeLibelle'")} as "ROME_PROFESSION_CARD_NAME",
  ${text("->>'appellationlibelle'")} as "ROME_PROFESSION_NAME",
  ${text("->>'typeContrat'")} as "CONTRACT_TYPE_CODE",
  ${text("->>'typeContratLibelle'")} as "CONTRACT_TYPE_NAME",
  ${text("->>'natureContrat'")} as "CONTRACT_NATURE_NAME",
  ${text("->>'experienceExige'")} as "EXPERIENCE_CODE",
  ${text("->>'experienceLibelle'")} as "EXPERIENCE_NAME",
  ${text("->>'qualificationCode'")} as "QUALIFICATION_CODE",
  ${text("->>'qualificationLibelle'")} as "QUALIFICATION_NAME",
  ${text("->>'codeNAF'")} as "ACTIVITY_CODE",
  ${text("->>'secteurActiviteLibelle'")} as "ACTIVITY_NAME",
  ${text("->'lieuTravail'->>'commune'")} as "CITY_CODE",
  ${text("->'lieuTravail'->>'libelle'")} as "CITY_NAME",
  ${text("->'lieuTravail'->>'codePostal'")} as "POSTCODE",
  ${DEPARTEMENT} as "DEPARTEMENT_CODE",
  (${text("->'lieuTravail'->>'latitude'")})::numeric as "LATITUDE",
  (${text("->'lieuTravail'->>'longitude'")})::numeric as "LONGITUDE",
  ${text("->>'trancheEffectifEtab'")} as "WORKFORCE",
  ${text("->'salaire'->>'libelle'")} as "SALARY_NAME",
  ${text("->>'dureeTravailLibelle'")} as "WORKING_HOURS_NAME",
  ${text("->>'dureeTravailLibelleConverti'")} as "WORKING_HOURS_TYPE_NAME",
  (${text("->>'nombrePostes'")})::integer as "NB_VACANCIES",
  (${text("->>'alternance'")})::boolean as "ALTERNANCE",
  (${text("->>'accessibleTH'")})::boolean as "DISABLED_ACCESSIBILITY"
from ${ACTIVE}`

const COUNT_FIELDS: readonly DatasetField[] = [
  field('ROME_PROFESSION_CARD_CODE', 'text', 'Code ROME', SEEN),
  field('DEPARTEMENT_CODE', 'text', 'Département', `Déduit du code de la commune du lieu de travail ; vide pour les offres sans commune. ${SEEN}`),
  field('CONTRACT_TYPE_CODE', 'text', 'Type de contrat', SEEN),
  field('NB_OFFERS', 'int', 'Offres actives', `Nombre d’offres actives à l’instant de la lecture. ${CHOSEN}`),
]

const ANONYMISED_ID = '4f3b8e6a-2c1d-4b7e-8f90-1a2b3c4d5e60'
/** The id of the original's anonymised offers resource (its ≈2022 version, infotravail-contract §1.3). */
const ORIGINAL_LAYOUT_ID = 'e49af0f2-8d00-4a54-9124-2f4107efa810'

/**
 * Counts over the anonymised offers (a narrow, indexed table): computed at every read. A group's
 * `_id` is the smallest `_id` of its offers — unique, as every offer is in one group — so that a
 * filter on the codes reaches the table's indexes (a window function would hide it from them).
 */
const COUNTS_SELECT = `select min("_id") as "_id", "ROME_PROFESSION_CARD_CODE", "DEPARTEMENT_CODE", "CONTRACT_TYPE_CODE", count(*)::integer as "NB_OFFERS"
  from {{${ANONYMISED_ID}}} group by 2, 3, 4`

/** The offers of the service as open data, kept current from the offers' change log. */
export const offresPackage: PackageDefinition = {
  id: 'c4a1e2f0-6b0d-4d8e-9a57-3f1e2d6b8c40',
  name: 'offres',
  title: 'Offres d’emploi',
  notes:
    'Les offres d’emploi actives du service, anonymisées (sans nom d’entreprise, contact, intitulé ni description) : au format de l’API Infotravail d’origine (ses 128 colonnes), en format compact, leur nombre par métier ROME, département et type de contrat, et la répartition de leurs types de contrat au format de la ressource IMT « Types de contrats » de l’original. Tenues à jour depuis le journal des modifications des offres : à jour à chaque lecture.',
  frequency: 'temps réel',
  tags: ['offres', 'emploi', 'temps réel'],
  resources: [
    {
      kind: 'view',
      id: ORIGINAL_LAYOUT_ID,
      name: 'Offres d’emploi',
      description:
        'Offres d’emploi actives, anonymisées, au format de l’API Infotravail d’origine : ses 128 colonnes, dans son ordre, dates au format jj/mm/aa, indicateurs O/N. Chaque colonne est tirée de l’offre ; une colonne dont l’offre ne porte pas l’information (agence de suivi, nombre de candidatures, type de service…) reste vide. `_id` est le numéro de la dernière modification de l’offre.',
      peSource: 'OFFRES_EMPLOI',
      peVersion: 'temps-reel',
      peType: 'data',
      fields: ORIGINAL_OFFER_FIELDS,
      provenance: PROVENANCE,
      select: ORIGINAL_OFFERS_SELECT,
      live: { kind: 'offers', key: ORIGINAL_OFFERS_KEY, indexed: ORIGINAL_OFFERS_INDEXED },
    },
    {
      kind: 'view',
      id: ANONYMISED_ID,
      name: 'Offres d’emploi, format compact',
      description:
        'Offres d’emploi actives, anonymisées, en format compact propre à OpenEmploi : 28 colonnes dont l’identifiant de l’offre (OFFER_ID), dates ISO 8601 (UTC) et indicateurs booléens. `_id` est le numéro de la dernière modification de l’offre.',
      peSource: 'OFFRES_EMPLOI_ANONYMISEES',
      peVersion: 'temps-reel',
      peType: 'data',
      fields: OFFER_FIELDS,
      provenance: PROVENANCE,
      select: OFFERS_SELECT,
      live: { kind: 'offers', key: 'OFFER_ID' },
    },
    {
      kind: 'view',
      id: '9d8c7b6a-5e4f-4a3b-9c2d-1e0f2a3b4c50',
      name: 'Offres d’emploi actives par métier, département et type de contrat',
      description: 'Nombre d’offres actives par code ROME, département et type de contrat, à l’instant de la lecture.',
      peSource: 'OFFRES_EMPLOI_COMPTAGES',
      peVersion: 'temps-reel',
      peType: 'data',
      fields: COUNT_FIELDS,
      provenance: PROVENANCE,
      select: COUNTS_SELECT,
      live: { kind: 'view' },
    },
    contractTypesResource(ORIGINAL_LAYOUT_ID, PROVENANCE),
  ],
}
