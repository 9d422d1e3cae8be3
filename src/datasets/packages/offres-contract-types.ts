/**
 * The IMT layout « Types de contrats » of the original (imt_types_contrats.sample.csv): the share
 * of each contract type among the offers of a ROME code in a territory, computed at every read
 * from the live offers in the original's layout. The original counted the offers registered over
 * a year; these are the offers active at the moment of the read, and say so.
 */
import type { DatasetField, FieldType, ViewResource } from '../definition.js'

const ORIGINAL = 'Colonne de l’API d’origine (ressource IMT « Types de contrats »).'

function field(id: string, type: FieldType, label: string, notes: string): DatasetField {
  return { id, type, info: { label, notes: `${notes} ${ORIGINAL}` } }
}

/** The original's four categories: CDI, CDD up to 3 months and beyond, temporary work. */
const CATEGORY = `case o."CONTRACT_TYPE_CODE"
    when 'CDI' then '01'
    when 'MIS' then '04'
    when 'CDD' then case when l.months <= 3 then '02' when l.months > 3 then '03' end
  end`

/** A contract's length in months, from the duration and unit of its type label ("CDD - 6 Mois"). */
const MONTHS = `case o."CONTRACT_DUR_UNIT_NAME"
    when 'Mois' then o."CONTRACT_DURATION"::numeric
    when 'Jour(s)' then o."CONTRACT_DURATION" / 30.0
    when 'Semaine(s)' then o."CONTRACT_DURATION" * 7 / 30.0
    when 'An(s)' then o."CONTRACT_DURATION" * 12.0
  end`

/**
 * Offers counted per ROME code, territory and category, département (D) and region (R) apart; a
 * group's `_id` is twice the smallest `_id` of its offers, plus 1 for a region: unique, as every
 * offer is in one group of each kind of territory.
 */
const select = (offers: string) => `with typed as (
  select o."_id", o."ROME_PROFESSION_CARD_CODE" as rome, o."ROME_PROFESSION_CARD_NAME" as rome_name,
    o."DEPARTEMENT_CODE" as departement, o."DEPARTEMENT_NAME" as departement_name, o."REGION_CODE" as region, o."REGION_NAME" as region_name,
    ${CATEGORY} as category
  from {{${offers}}} o cross join lateral (select ${MONTHS} as months) l
  where o."ROME_PROFESSION_CARD_CODE" is not null
), counted as (
  select min(t."_id") as first, 0 as kind_rank, 'D' as area_type, t.departement as area_code, min(t.departement_name) as area_name,
    t.rome, min(t.rome_name) as rome_name, t.category, count(*)::integer as offers
  from typed t where t.departement is not null and t.category is not null group by t.departement, t.rome, t.category
  union all
  select min(t."_id"), 1, 'R', t.region, upper(min(t.region_name)), t.rome, min(t.rome_name), t.category, count(*)::integer
  from typed t where t.region is not null and t.category is not null group by t.region, t.rome, t.category
)
select c.first * 2 + c.kind_rank as "_id",
  c.area_code as "AREA_CODE", c.area_name as "AREA_NAME", c.area_type as "AREA_TYPE_CODE",
  case c.area_type when 'D' then 'Département' else 'Région' end as "AREA_TYPE_NAME",
  c.category as "CONTRACT_TYPE_CODE",
  case c.category when '01' then 'CDI' when '02' then 'CDD <= 3 mois' when '03' then 'CDD > 3 mois' else 'Intérim' end as "CONTRACT_TYPE_NAME",
  c.offers as "NB_OFFERS",
  round(100.0 * c.offers / sum(c.offers) over (partition by c.area_type, c.area_code, c.rome), 2) as "OFFERS_PERCENT",
  c.rome as "ROME_PROFESSION_CARD_CODE", c.rome_name as "ROME_PROFESSION_CARD_NAME"
from counted c`

/** The resource, over the live offers in the original's layout (`offers`, a resource id). */
export function contractTypesResource(offers: string, provenance: ViewResource['provenance']): ViewResource {
  return {
    kind: 'view',
    id: '7c1f5e2a-3b4d-4e6f-8a9b-0c1d2e3f4a51',
    name: 'Types de contrats',
    description:
      'Répartition des offres par type de contrat (01 CDI, 02 CDD de 3 mois au plus, 03 CDD de plus de 3 mois, 04 intérim) pour chaque code ROME, par département (D) et par région (R), au format de la ressource IMT « Types de contrats » de l’API d’origine. ' +
      'Calculée à chaque lecture sur les offres actives du service (l’original comptait les offres enregistrées sur un an) ; les autres types de contrat et les CDD sans durée ne sont pas comptés. Pas de ligne France entière (F) ni par bassin (B) : le code de territoire de l’original pour la France n’est pas connu, et les offres ne portent pas leur bassin.',
    peSource: 'IMT_TYPES_CONTRATS',
    peVersion: 'temps-reel',
    peType: 'data',
    fields: [
      field('AREA_CODE', 'text', 'Code du territoire', 'Code du département (09, 2A, 974) ou de la région (84).'),
      field('AREA_NAME', 'text', 'Nom du territoire', 'En majuscules sans accents (ARIEGE).'),
      field('AREA_TYPE_CODE', 'text', 'Type de territoire', 'D département, R région.'),
      field('AREA_TYPE_NAME', 'text', 'Libellé du type de territoire', 'Département, Région.'),
      field('CONTRACT_TYPE_CODE', 'text', 'Type de contrat', '01 CDI, 02 CDD de 3 mois au plus, 03 CDD de plus de 3 mois, 04 intérim (mission intérimaire).'),
      field('CONTRACT_TYPE_NAME', 'text', 'Libellé du type de contrat', 'CDI, CDD <= 3 mois, CDD > 3 mois, Intérim.'),
      field('NB_OFFERS', 'int', 'Offres', 'Offres actives de ce métier, ce territoire et ce type de contrat, à l’instant de la lecture.'),
      field('OFFERS_PERCENT', 'numeric', 'Part des offres (%)', 'Part de ce type parmi les offres des quatre types de ce métier et de ce territoire, arrondie à 0,01.'),
      field('ROME_PROFESSION_CARD_CODE', 'text', 'Code ROME', 'Fiche métier des offres.'),
      field('ROME_PROFESSION_CARD_NAME', 'text', 'Libellé ROME', 'Libellé de la fiche métier.'),
    ],
    provenance,
    select: select(offers),
    live: { kind: 'view' },
  }
}
