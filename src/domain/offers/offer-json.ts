import { Compile } from 'typebox/compile'
import type { TSchema } from 'typebox'
import { OffreSchema, type Offre } from './offer.schema.js'
import type { Referentials } from '../referentials/referentials.js'

const checker = Compile(OffreSchema)

type Validation = { ok: true; offer: Offre } | { ok: false; reasons: string[] }

/**
 * Checks a candidate offer against the `Offre` schema and the referentials. Every problem is
 * listed, each as "<JSON pointer>: <what is wrong>".
 */
export function validateOffer(value: unknown, referentials: Referentials): Validation {
  if (!checker.Check(value)) {
    const reasons = [...checker.Errors(value)].map((error) => {
      const extra =
        error.keyword === 'additionalProperties'
          ? ` (${(error.params as { additionalProperties?: string[] }).additionalProperties?.join(', ') ?? ''})`
          : ''
      return `${error.instancePath || '/'}: ${error.message}${extra}`
    })
    return { ok: false, reasons: [...new Set(reasons)] }
  }
  const reasons: string[] = []
  // Clients map the contract type to an enum and fail on codes outside the referential.
  if (!referentials.typesContrats.has(value.typeContrat)) {
    reasons.push(`/typeContrat: unknown code ${JSON.stringify(value.typeContrat)}`)
  }
  if (Number.isNaN(Date.parse(value.dateCreation))) reasons.push('/dateCreation: not a date')
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, offer: value }
}

/** The properties of each object schema, in order, listed once (serialising is on every write path). */
const PROPERTY_LISTS = new WeakMap<TSchema, readonly (readonly [string, TSchema])[]>()

function propertiesOf(properties: Record<string, TSchema>, schema: TSchema): readonly (readonly [string, TSchema])[] {
  let list = PROPERTY_LISTS.get(schema)
  if (!list) {
    list = Object.entries(properties)
    PROPERTY_LISTS.set(schema, list)
  }
  return list
}

function ordered(value: unknown, schema: TSchema): unknown {
  const node = schema as { type?: string; properties?: Record<string, TSchema>; items?: TSchema }
  if (Array.isArray(value)) {
    return node.items ? value.map((item) => ordered(item, node.items as TSchema)) : value
  }
  if (value !== null && typeof value === 'object' && node.properties) {
    const source = value as Record<string, unknown>
    const result: Record<string, unknown> = {}
    for (const [key, child] of propertiesOf(node.properties, schema)) {
      const item = source[key]
      if (item === undefined) continue
      // Leaves (strings, numbers, booleans) need no reordering: no call for them.
      result[key] = item !== null && typeof item === 'object' ? ordered(item, child) : item
    }
    return result
  }
  return value
}

/** The JSON of an offer with its keys in the original's order, whatever order they came in. */
export function serializeOffer(offer: Offre): string {
  return JSON.stringify(ordered(offer, OffreSchema))
}
