import { create, insertMultiple, search, type Orama, type SearchParams, type Tokenizer } from '@orama/orama'
import { analyze } from '../../src/search/analyzer.js'
import { allText, SALARY_FIELD, type BenchQuery, type FacetMap, type Outcome, type PeerDoc } from './model.js'
import type { PreparedQuery, SearchSystem, TypoMode } from './system.js'

/**
 * One searchable property holding every searched field: Orama's AND (`threshold: 0`) wants all
 * the query's terms in one property, where our search (and the original) finds them across fields.
 */
const SCHEMA = {
  text: 'string',
  date: 'number',
  origine: 'enum',
  typeContrat: 'enum',
  natureContrat: 'enum',
  experience: 'enum',
  qualification: 'enum',
  dureeHebdo: 'enum',
  romeCode: 'enum',
  grandDomaine: 'enum',
  commune: 'enum',
  city: 'enum',
  departement: 'enum',
  region: 'enum',
  location: 'geopoint',
  salaryM: 'number',
  salaryA: 'number',
  salaryH: 'number',
  salaryC: 'number',
  weeklyMinutes: 'number',
  contractMonths: 'number',
  partners: 'enum[]',
} as const

type OramaDb = Orama<typeof SCHEMA>
type Where = Record<string, unknown>

/** Orama's edit distance for misspelled keywords (its `tolerance`, one value for every term). */
const TOLERANCE = 1

/** Our analyser as Orama's tokenizer: the same terms as our index (deduplicated, as Orama's own does). */
const tokenizer: Tokenizer = {
  language: 'french',
  normalizationCache: new Map(),
  tokenize: (raw: string) => [...new Set(analyze(raw))],
}

function oramaDoc(doc: PeerDoc): Record<string, unknown> {
  const entries: [string, unknown][] = [
    ['id', doc.id],
    ['text', allText(doc)],
    ['date', doc.date],
    ['origine', doc.origine],
    ['typeContrat', doc.typeContrat],
    ['natureContrat', doc.natureContrat],
    ['experience', doc.experience],
    ['qualification', doc.qualification],
    ['dureeHebdo', doc.dureeHebdo],
    ['romeCode', doc.romeCode],
    ['grandDomaine', doc.grandDomaine],
    ['commune', doc.commune],
    ['city', doc.city],
    ['departement', doc.departement],
    ['region', doc.region],
    ['location', doc.latitude === undefined || doc.longitude === undefined ? undefined : { lat: doc.latitude, lon: doc.longitude }],
    ['salaryM', doc.salaryM],
    ['salaryA', doc.salaryA],
    ['salaryH', doc.salaryH],
    ['salaryC', doc.salaryC],
    ['weeklyMinutes', doc.weeklyMinutes],
    ['contractMonths', doc.contractMonths],
    ['partners', doc.partners],
  ]
  return Object.fromEntries(entries.filter(([, value]) => value !== undefined))
}

/** Builds an Orama 3 database of the documents: our analyser, sorting on the creation date only. */
export async function buildOrama(docs: readonly PeerDoc[]): Promise<OramaDb> {
  const db = create({
    schema: SCHEMA,
    components: { tokenizer },
    sort: { unsortableProperties: Object.keys(SCHEMA).filter((name) => name !== 'date') },
  })
  await insertMultiple(db, docs.map(oramaDoc) as Parameters<typeof insertMultiple<OramaDb>>[1], 1000)
  return db
}

/** The query's criteria as an Orama `where` (its `and`, `or` and `not` combine clauses). */
function whereOf(query: BenchQuery): Where | undefined {
  const { parsed } = query
  const plain: Where = {}
  const groups: Where[] = []
  const within = (name: string, values: readonly string[] | undefined) => {
    if (values !== undefined) plain[name] = { in: [...values] }
  }
  if (parsed.typesContrat || parsed.naturesContrat) {
    groups.push({
      or: [
        ...(parsed.typesContrat ? [{ typeContrat: { in: [...parsed.typesContrat] } }] : []),
        ...(parsed.naturesContrat ? [{ natureContrat: { in: [...parsed.naturesContrat] } }] : []),
      ],
    })
  }
  within('experience', parsed.experiences)
  within('qualification', parsed.qualifications)
  within('dureeHebdo', parsed.dureesHebdo)
  if (parsed.weeklyMinutesMin !== undefined || parsed.weeklyMinutesMax !== undefined) {
    plain.weeklyMinutes = { between: [parsed.weeklyMinutesMin ?? 0, parsed.weeklyMinutesMax ?? Number.MAX_SAFE_INTEGER] }
  }
  if (parsed.contractMonthsMin !== undefined || parsed.contractMonthsMax !== undefined) {
    plain.contractMonths = { between: [parsed.contractMonthsMin ?? 0, parsed.contractMonthsMax ?? Number.MAX_SAFE_INTEGER] }
  }
  if (parsed.geo) {
    const { centres, radiusKm, wholeCities } = parsed.geo
    const near: Where[] =
      radiusKm === 0
        ? [{ commune: { in: centres.map((centre) => centre.commune) } }, { city: { in: centres.map((centre) => centre.commune) } }]
        : centres.map((centre) => ({
            location: { radius: { coordinates: { lat: centre.latitude, lon: centre.longitude }, unit: 'km', value: radiusKm, inside: true } },
          }))
    groups.push({ or: [...near, ...(wholeCities.length > 0 ? [{ city: { in: [...wholeCities] } }] : [])] })
  }
  within('departement', parsed.departements)
  within('region', parsed.regions)
  within('romeCode', parsed.romeCodes)
  within('grandDomaine', parsed.grandsDomaines)
  if (parsed.salary) plain[SALARY_FIELD[parsed.salary.period]] = { gte: parsed.salary.min }
  if (parsed.createdFrom !== undefined || parsed.createdTo !== undefined) {
    plain.date = { between: [parsed.createdFrom ?? 0, parsed.createdTo ?? Number.MAX_SAFE_INTEGER] }
  }
  if (parsed.partners) {
    const listed = { partners: { containsAny: [...parsed.partners.names] } }
    groups.push({ or: [{ origine: { eq: '1' } }, parsed.partners.mode === 'INCLUS' ? listed : { not: listed }] })
  }
  // A `where` with `and`, `or` or `not` is only that operator: plain clauses go in an `and` beside the groups.
  const clauses = [...(Object.keys(plain).length > 0 ? [plain] : []), ...groups]
  if (clauses.length === 0) return undefined
  return clauses.length === 1 ? clauses[0] : { and: clauses }
}

type OramaFacets = Record<string, { values: Record<string, number> }>

function facetMap(facets: OramaFacets | undefined): FacetMap | undefined {
  if (!facets) return undefined
  const values = (name: string) => Object.fromEntries(Object.entries(facets[name]?.values ?? {}).filter(([value]) => value !== ''))
  return {
    typeContrat: values('typeContrat'),
    experience: values('experience'),
    qualification: values('qualification'),
    natureContrat: values('natureContrat'),
  }
}

/**
 * Orama as a compared system: keywords with AND (`threshold: 0`), every filter in `where`
 * (enums, number ranges, geopoint radius), sort by creation date, facets on the four enums. It
 * cannot order by distance together with other filters: those queries keep its relevance order.
 */
export function oramaSystem(db: OramaDb): SearchSystem {
  return {
    name: 'Orama 3',
    typoSetting: `\`tolerance: ${TOLERANCE}\` on every term, AND (\`threshold: 0\`)`,
    prepare(query: BenchQuery, typo?: TypoMode): PreparedQuery {
      const { parsed, window } = query
      const notes: string[] = []
      const where = whereOf(query)
      const byDate = parsed.sort === 1 || (parsed.sort === 0 && !query.keywordText)
      if (parsed.sort === 2 && parsed.geo) notes.push('no distance order: relevance order')
      const params = {
        ...(query.keywordText !== undefined && { term: query.keywordText, threshold: 0 }),
        ...(typo === 'tolerant' && { tolerance: TOLERANCE }),
        ...(where && { where }),
        ...(byDate && { sortBy: { property: 'date', order: 'DESC' } }),
        ...(typo === undefined && {
          facets: { typeContrat: { limit: 100 }, experience: { limit: 100 }, qualification: { limit: 100 }, natureContrat: { limit: 100 } },
        }),
        offset: typo === undefined ? window.start : 0,
        limit: typo === undefined ? window.end - window.start + 1 : 1,
      } as SearchParams<OramaDb>
      return {
        notes,
        run: async (): Promise<Outcome> => {
          const results = await search(db, params)
          const facets = facetMap(results.facets)
          return { total: results.count, ids: results.hits.map((hit) => hit.id), ...(facets && { facets }) }
        },
      }
    },
    close: () => Promise.resolve(),
  }
}
