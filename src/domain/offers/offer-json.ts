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

/**
 * How to put a value of one schema in the schema's key order: for an object, its properties in
 * order with the shapes of those that hold objects; for an array, the shape of its items. Built
 * once per schema (serialising is on every write path).
 */
interface Shape {
  readonly keys?: readonly string[]
  /** Position of each property in `keys`. */
  readonly positions?: ReadonlyMap<string, number>
  /** Shape of each property (undefined for leaves: strings, numbers, booleans). */
  readonly children?: readonly (Shape | undefined)[]
  readonly items?: Shape
}

const SHAPES = new WeakMap<TSchema, Shape | undefined>()

function shapeOf(schema: TSchema): Shape | undefined {
  if (SHAPES.has(schema)) return SHAPES.get(schema)
  const node = schema as { properties?: Record<string, TSchema>; items?: TSchema }
  let shape: Shape | undefined
  if (node.properties) {
    const keys = Object.keys(node.properties)
    shape = {
      keys,
      positions: new Map(keys.map((key, at) => [key, at])),
      children: keys.map((key) => shapeOf(node.properties?.[key] as TSchema)),
    }
  } else if (node.items) {
    const items = shapeOf(node.items)
    shape = items === undefined ? undefined : { items }
  }
  SHAPES.set(schema, shape)
  return shape
}

/**
 * Whether a value already has its keys in the schema's order, none unknown, at every depth: its
 * JSON text is then the ordered one as it is. Walks the keys without allocating.
 */
function inOrder(value: unknown, shape: Shape | undefined): boolean {
  if (shape === undefined || value === null || typeof value !== 'object') return true
  if (Array.isArray(value)) {
    if (shape.items === undefined) return true
    for (const item of value) if (!inOrder(item, shape.items)) return false
    return true
  }
  const { positions, children } = shape
  if (positions === undefined || children === undefined) return true
  let last = -1
  const source = value as Record<string, unknown>
  for (const key in source) {
    const at = positions.get(key)
    if (at === undefined || at <= last) return false
    last = at
    if (!inOrder(source[key], children[at])) return false
  }
  return true
}

/** A copy of the value with its keys in the schema's order, unknown keys dropped. */
function ordered(value: unknown, shape: Shape | undefined): unknown {
  if (shape === undefined || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return shape.items ? value.map((item) => ordered(item, shape.items)) : value
  const { keys, children } = shape
  if (keys === undefined || children === undefined) return value
  const source = value as Record<string, unknown>
  const result: Record<string, unknown> = {}
  for (let at = 0; at < keys.length; at++) {
    const key = keys[at] as string
    const item = source[key]
    if (item !== undefined) result[key] = ordered(item, children[at])
  }
  return result
}

const OFFRE_SHAPE = shapeOf(OffreSchema)

/**
 * The JSON of an offer with its keys in the original's order, whatever order they came in. An
 * offer already in that order (a deposit, an offer read from the original) is not copied.
 */
export function serializeOffer(offer: Offre): string {
  return JSON.stringify(inOrder(offer, OFFRE_SHAPE) ? offer : ordered(offer, OFFRE_SHAPE))
}
