import { Type } from 'typebox'
import type { Suggestion, SuggestionKind } from '../../search/suggest.js'
import { InvalidParameterError, MESSAGES } from './search-params.js'

/** Wire names of the kinds of suggestions, in their default order. */
export const SUGGESTION_TYPES = ['appellation', 'commune', 'motCle'] as const
export type SuggestionType = (typeof SUGGESTION_TYPES)[number]

const KIND_BY_TYPE: Readonly<Record<SuggestionType, SuggestionKind>> = { appellation: 'appellation', commune: 'commune', motCle: 'keyword' }

export const MAX_QUERY_LENGTH = 50
export const MAX_SUGGESTIONS = 50
const DEFAULT_SUGGESTIONS = 10

/** Messages of the suggestions endpoint, in the original's style (contract §7). */
export const SUGGEST_MESSAGES = {
  queryMissing: 'Le paramètre « q » doit être renseigné.',
  queryLength: `Format du paramètre « q » incorrect. ${MAX_QUERY_LENGTH} caractères au maximum.`,
  types: MESSAGES.value('types'),
  limitFormat: MESSAGES.integer('limit'),
  limitRange: `Valeur du paramètre « limit » incorrecte. Entier de 1 à ${MAX_SUGGESTIONS} attendu.`,
} as const

/** What a suggestions request asks. */
export interface SuggestRequest {
  readonly query: string
  readonly kinds: readonly SuggestionKind[]
  readonly limit: number
}

/**
 * Parses `q`, `types` and `limit` with the search's leniency: repeated keys and comma lists are
 * one list, empty values are absent, unknown parameters are ignored.
 *
 * @throws InvalidParameterError with the message of the first invalid parameter.
 */
export function parseSuggestParams(rawQuery: string): SuggestRequest {
  const values = new Map<string, string[]>()
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    if (value.trim() !== '') values.set(name, [...(values.get(name) ?? []), value])
  }
  const query = values.get('q')?.join(' ').trim()
  if (query === undefined) throw new InvalidParameterError(SUGGEST_MESSAGES.queryMissing)
  if (query.length > MAX_QUERY_LENGTH) throw new InvalidParameterError(SUGGEST_MESSAGES.queryLength)
  const types = values
    .get('types')
    ?.join(',')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
  if (types && !types.every((type): type is SuggestionType => (SUGGESTION_TYPES as readonly string[]).includes(type))) {
    throw new InvalidParameterError(SUGGEST_MESSAGES.types)
  }
  const rawLimit = values.get('limit')?.[0]?.trim()
  let limit = DEFAULT_SUGGESTIONS
  if (rawLimit !== undefined) {
    if (!/^\d{1,9}$/.test(rawLimit)) throw new InvalidParameterError(SUGGEST_MESSAGES.limitFormat)
    limit = Number(rawLimit)
    if (limit < 1 || limit > MAX_SUGGESTIONS) throw new InvalidParameterError(SUGGEST_MESSAGES.limitRange)
  }
  const kinds = [...new Set(types ?? SUGGESTION_TYPES)].map((type) => KIND_BY_TYPE[type])
  return { query, kinds, limit }
}

export const SuggestionSchema = Type.Object(
  {
    type: Type.Union(SUGGESTION_TYPES.map((type) => Type.Literal(type)), { description: 'Ce que la suggestion propose de rechercher.' }),
    libelle: Type.String({ description: 'Libellé de l’appellation ou de la commune (référentiels), ou mot-clé.', examples: ['Infirmier / Infirmière de bloc opératoire (IBODE)'] }),
    code: Type.Optional(Type.String({ description: 'Code de l’appellation (paramètre appellation) ou code INSEE de la commune (paramètre commune).', examples: ['404265'] })),
    codeROME: Type.Optional(Type.String({ description: 'Code ROME de l’appellation.', examples: ['J1504'] })),
    codeDepartement: Type.Optional(Type.String({ description: 'Département de la commune.', examples: ['69'] })),
    nbOffres: Type.Integer({
      description:
        'Offres actives trouvées par la recherche correspondante : appellation=code, commune=code&distance=0 (avec ses arrondissements), ou motsCles=libelle.',
    }),
  },
  { $id: 'Suggestion', description: 'Une suggestion de saisie.' },
)

export const SuggestionsSchema = Type.Object(
  { suggestions: Type.Array(Type.Ref('Suggestion'), { description: 'Les plus proches de la saisie d’abord, puis celles qui trouvent le plus d’offres.' }) },
  { $id: 'Suggestions' },
)

const TYPE_BY_KIND: Readonly<Record<SuggestionKind, SuggestionType>> = { appellation: 'appellation', commune: 'commune', keyword: 'motCle' }

/** A suggestion in the wire's names, keys in the schema's order. */
export function suggestionToWire(suggestion: Suggestion): Record<string, string | number> {
  return {
    type: TYPE_BY_KIND[suggestion.kind],
    libelle: suggestion.label,
    ...(suggestion.code !== undefined && { code: suggestion.code }),
    ...(suggestion.romeCode !== undefined && { codeROME: suggestion.romeCode }),
    ...(suggestion.departement !== undefined && { codeDepartement: suggestion.departement }),
    nbOffres: suggestion.offers,
  }
}
