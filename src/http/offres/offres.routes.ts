import type { FastifyInstance, FastifyReply } from 'fastify'
import { Type } from 'typebox'
import type { AskedKeywords, OffresService } from '../../domain/offers/offres.service.js'
import { JobPostingService, type OfferExpiry } from '../../domain/offers/job-posting.service.js'
import { OFFER_ID_PATTERN } from '../../domain/offers/offer.schema.js'
import { REFERENTIAL_NAMES, type Referentials } from '../../domain/referentials/referentials.js'
import { encodeCursor, queryFingerprint } from '../../domain/offers/search-cursor.js'
import type { ResultWindow, SearchQuery, SortKey } from '../../search/search-query.js'
import { InvalidParameterError, MAX_WINDOW, MESSAGES, parseSearchParams } from './search-params.js'
import { erreurResponses, sendJson } from './offres-errors.js'
import { parseSuggestParams, suggestionToWire, SuggestionSchema, SuggestionsSchema, MAX_QUERY_LENGTH, MAX_SUGGESTIONS } from './suggestions.js'
import { JobPostingSchema } from './offres.schemas.js'
import { JSON_LD, prefersJsonLd } from './accept.js'

/** OAuth2 scopes an Offres route requires (checked in one place: src/http/access/access.hooks.ts). */
export const OFFRES_SCOPES = ['api_offresdemploiv2', 'o2dsoffre'] as const

/** Route options shared by every Offres route: its API (limits and counts) and the scopes it needs. */
const access = {
  config: { api: 'offresdemploiv2', scopes: OFFRES_SCOPES },
}

/** The OpenAPI security requirement of every Offres route. */
const security = [{ oauth2: [...OFFRES_SCOPES] }]

/** Parameters validation is the route's own (lenient, with the original's messages). */
const ownValidation = {
  validatorCompiler: () => () => true,
  serializerCompiler: () => (data: unknown) => JSON.stringify(data),
}

const SEARCH_PARAMETERS: readonly (readonly [string, string])[] = [
  ['range', 'Plage p-d (0-based, bornes incluses) : au plus 150 offres, p ≤ 3000, d ≤ 3149. Défaut 0-149. Avec curseur, seule sa largeur compte.'],
  ['sort', '0 pertinence, 1 date de création, 2 distance à la commune ou au point (chacun départagé par les autres). Défaut 0.'],
  ['domaine', 'Domaine professionnel ROME (référentiel domaines), ex. G17.'],
  ['codeROME', 'Codes ROME séparés par des virgules (200 au plus), ex. D1102,D1104.'],
  ['appellation', 'Code d’appellation ROME (référentiel appellations).'],
  ['theme', 'Thème ROME (référentiel themes).'],
  ['secteurActivite', 'Divisions NAF (2 au plus), ex. 01,02.'],
  ['codeNAF', 'Codes NAF 99.99X (2 au plus).'],
  ['experience', '0 non précisé, 1 moins d’un an, 2 de 1 à 3 ans, 3 plus de 3 ans (liste possible).'],
  ['typeContrat', 'Types de contrat (référentiel typesContrats) ; OU avec natureContrat.'],
  ['natureContrat', 'Natures de contrat (référentiel naturesContrats) ; OU avec typeContrat.'],
  ['origineOffre', '1 France Travail, 2 partenaire.'],
  ['qualification', '0 non-cadre, 9 cadre.'],
  ['tempsPlein', 'true temps plein, false temps partiel.'],
  ['commune', 'Codes INSEE (5 au plus) ; rayon donné par distance (+30 % de tolérance). Exclut latitude et longitude.'],
  ['latitude', 'Latitude WGS 84 en degrés décimaux (-90 à 90, point décimal), avec longitude : recherche autour de ce point au lieu d’une commune (extension OpenEmploi).'],
  ['longitude', 'Longitude WGS 84 en degrés décimaux (-180 à 180, point décimal), avec latitude.'],
  ['distance', 'Rayon en km autour des communes ou du point (défaut 10, +30 % de tolérance ; 0 = la commune seule, refusé avec un point).'],
  ['departement', 'Départements (5 au plus), ex. 33,2A,971.'],
  ['inclureLimitrophes', 'true : ajoute les départements limitrophes.'],
  ['region', 'Régions (référentiel regions).'],
  ['paysContinent', 'Pays (référentiel pays) ou continent (référentiel continents).'],
  ['niveauFormation', 'Niveau de formation (référentiel niveauxFormations), ex. NV3.'],
  ['permis', 'Permis (référentiel permis), ex. B.'],
  ['motsCles', 'Jusqu’à 7 mots-clés (ou expressions) d’au moins 2 caractères, séparés par des virgules, tous exigés.'],
  ['salaireMin', 'Salaire minimum, avec periodeSalaire : comparé au haut de la fourchette de l’offre.'],
  ['periodeSalaire', 'M mensuel, A annuel, H horaire, C cachet ; avec salaireMin.'],
  ['accesTravailleurHandicape', 'true : offres ouvertes aux bénéficiaires de l’obligation d’emploi.'],
  ['publieeDepuis', 'Publiées depuis 1, 3, 7, 14 ou 31 jours.'],
  ['minCreationDate', 'Date de création minimale, yyyy-MM-ddTHH:mm:ssZ.'],
  ['maxCreationDate', 'Date de création maximale, yyyy-MM-ddTHH:mm:ssZ.'],
  ['offresMRS', 'true : offres avec recrutement par simulation.'],
  ['experienceExigence', 'D débutant accepté, S expérience souhaitée, E expérience exigée.'],
  ['grandDomaine', 'Grands domaines : A, B, C, C15, D, E, F, G, H, I, J, K, L, L14, M, M13…M18, N.'],
  ['partenaires', 'Codes partenaires (ex. LABONNEALTERNANCE), selon modeSelectionPartenaires.'],
  ['modeSelectionPartenaires', 'INCLUS (défaut) ou EXCLU.'],
  ['dureeHebdoMin', 'Durée hebdomadaire minimale, HHMM (ex. 2430).'],
  ['dureeHebdoMax', 'Durée hebdomadaire maximale, HHMM.'],
  ['dureeContratMin', 'Durée de contrat minimale en mois (0 à 99, décimal).'],
  ['dureeContratMax', 'Durée de contrat maximale en mois (0 à 99, décimal).'],
  ['dureeHebdo', '0 non précisé, 1 temps plein, 2 temps partiel.'],
  ['offresManqueCandidats', 'true : offres difficiles à pourvoir.'],
  ['entreprisesAdaptees', 'true : entreprises adaptées.'],
  ['employeursHandiEngages', 'true : employeurs handi-engagés (OU avec entreprisesAdaptees).'],
  [
    'curseur',
    'Extension OpenEmploi : la valeur de l’en-tête X-Curseur-Suivant d’une page de la même recherche (mêmes paramètres hors range et curseur). ' +
      'Donne la page des offres qui suivent la dernière offre de cette page, dans le même ordre, sans la limite des 3 150 premiers résultats ; ' +
      'range ne donne alors que la taille de la page (sa largeur, 150 au plus). Stable pendant que des offres arrivent ou sont clôturées.',
  ],
  [
    'rechercheExacte',
    'true : les mots-clés tels que saisis. Par défaut, un mot qu’aucune offre ne contient est corrigé vers le mot indexé le plus proche (une faute dès 5 lettres, deux dès 9) ; les corrections sont dans l’en-tête X-Mots-Cles-Corriges.',
  ],
  [
    'rechercheEtendue',
    'true : chaque mot-clé trouve aussi les offres des appellations ROME qu’il nomme (libellé, ancien libellé, sigle comme ASH) et les mots indexés proches de chacun de ses mots, classées après les offres qui contiennent les mots-clés tels que saisis.',
  ],
]

const SearchQuerystring = Type.Object(
  Object.fromEntries(SEARCH_PARAMETERS.map(([name, description]) => [name, Type.Optional(Type.String({ description }))])),
)

/** The header of every page that gives where the next page starts (for `curseur`). */
export const NEXT_CURSOR_HEADER = 'X-Curseur-Suivant'

const pageHeaders = {
  'Content-Range': Type.String({ description: 'offres p-d/t' }),
  [NEXT_CURSOR_HEADER]: Type.String({
    description:
      'Curseur opaque placé après la dernière offre de la page : à renvoyer dans le paramètre curseur, avec les mêmes critères, pour la page suivante (extension OpenEmploi).',
  }),
  'X-Mots-Cles-Corriges': Type.String({
    description:
      'Présent quand des mots-clés ont été corrigés : « saisi→corrigé » par mot, séparés par des virgules, chacun encodé en UTF-8 pour URL (encodeURIComponent), ex. infirmeir%E2%86%92infirmier.',
  }),
}

/** The header value of the corrections made: each "typed→corrected" percent-encoded (accents and the arrow are not latin1-safe). */
function correctionsHeader(corrections: readonly { typed: string; corrected: string }[]): string {
  return corrections.map(({ typed, corrected }) => encodeURIComponent(`${typed}→${corrected}`)).join(',')
}

function rawQuery(url: string): string {
  const at = url.indexOf('?')
  return at < 0 ? '' : url.slice(at + 1)
}

function noContent(reply: FastifyReply, contentRange: string, headers: Record<string, string> = {}): FastifyReply {
  return reply.code(204).headers(headers).header('Content-Range', contentRange).header('Cache-Control', 'no-store').send()
}

/**
 * A page of a search: the `range` window, or the page after a cursor's key, which starts where
 * that key stands now (after the matches that precede it) and is as long as the window.
 */
function searchPage(offres: OffresService, query: SearchQuery, window: ResultWindow, after: SortKey | undefined, keywords: AskedKeywords) {
  if (after === undefined) return { ...offres.search(query, window, keywords), first: window.start }
  const page = offres.searchAfter(query, after, window.end - window.start + 1, keywords)
  return { ...page, first: page.result.total - page.result.remaining }
}

/**
 * The Offres d'emploi v2 routes, exactly as the original serves them (contract §2–§7), mounted
 * under `/partenaire/offresdemploi/v2`.
 */
export function offresRoutes(deps: {
  offres: OffresService
  referentials: Referentials
  now: () => number
  /** When offers expire (the JobPosting's validThrough); none: no validThrough. */
  expiry?: OfferExpiry | undefined
}) {
  const { offres, referentials, now } = deps
  const jobPostings = new JobPostingService({ offres, referentials, expiry: deps.expiry })
  const referentialBodies = new Map(
    REFERENTIAL_NAMES.map((name) => [name, Buffer.from(JSON.stringify(referentials.list(name)))] as const),
  )

  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async functions
  return async (app: FastifyInstance) => {
    app.get(
      '/offres/search',
      {
        ...access,
        ...ownValidation,
        schema: {
          security,
          operationId: 'recupererListeOffre',
          tags: ['Offres'],
          summary: 'Rechercher des offres',
          description:
            'Recherche parmi les offres actives selon toute combinaison de critères ; paginée par `range`, puis au-delà des 3 150 premiers résultats par `curseur` (en-tête `X-Curseur-Suivant` de chaque page).',
          querystring: SearchQuerystring,
          response: {
            200: { ...Type.Ref('ResultatRecherche'), description: 'Tous les résultats restants sont dans la plage.', headers: pageHeaders },
            206: { ...Type.Ref('ResultatRecherche'), description: 'D’autres résultats existent au-delà de la plage.', headers: pageHeaders },
            204: {
              type: 'null',
              description:
                'Aucune offre ne correspond (Content-Range: */0), ou aucune ne suit le curseur (Content-Range: */total, X-Curseur-Suivant : le même curseur).',
              headers: pageHeaders,
            },
            ...erreurResponses(400, 503),
          },
        },
      },
      (request, reply) => {
        const { query, window, minute, cursor, typedKeywords, keywordMode } = parseSearchParams(rawQuery(request.url), referentials, now())
        const fingerprint = queryFingerprint(query, keywordMode)
        const next = (after: SortKey | undefined): Record<string, string> =>
          after === undefined ? {} : { [NEXT_CURSOR_HEADER]: encodeCursor({ after, fingerprint, minute }) }
        const { result, body, last, first, corrections } = searchPage(offres, query, window, cursor?.after, { typed: typedKeywords, mode: keywordMode })
        if (corrections.length > 0) reply.header('X-Mots-Cles-Corriges', correctionsHeader(corrections))
        if (!body) return noContent(reply, `*/${result.total}`, next(cursor?.after))
        const end = first + result.docs.length - 1
        return sendJson(reply.code(end === result.total - 1 ? 200 : 206), body, {
          'Content-Range': `offres ${first}-${end}/${result.total}`,
          'Accept-Range': String(MAX_WINDOW),
          ...next(last),
        })
      },
    )

    app.get(
      '/offres/:id',
      {
        ...access,
        ...ownValidation,
        schema: {
          security,
          operationId: 'recupererOffre',
          tags: ['Offres'],
          summary: 'Consulter une offre',
          params: Type.Object({ id: Type.String({ description: 'Identifiant de l’offre (7 caractères).', examples: ['048KLTP'] }) }),
          description:
            'L’offre telle que l’original la sert ; avec `Accept: application/ld+json` (préféré à `application/json` par sa valeur q, ou seul nommé à côté de `*/*`), la même offre en JobPosting schema.org (JSON-LD) pour Google for Jobs.',
          response: {
            200: {
              description: 'L’offre (`Vary: Accept`).',
              headers: { Vary: Type.String({ description: 'Accept' }) },
              content: {
                'application/json': { schema: Type.Ref('Offre') },
                [JSON_LD]: { schema: JobPostingSchema },
              },
            },
            204: { type: 'null', description: 'L’offre n’existe pas ou n’est plus active.' },
            ...erreurResponses(400, 503),
          },
        },
      },
      async (request, reply) => {
        const { id } = request.params as { id: string }
        if (!new RegExp(OFFER_ID_PATTERN).test(id)) throw new InvalidParameterError(MESSAGES.offerId)
        const jsonLd = prefersJsonLd(request.headers.accept)
        const body = jsonLd ? await jobPostings.jobPosting(id) : offres.detail(id)
        if (body === undefined) return reply.code(204).header('Cache-Control', 'no-store').send()
        return sendJson(reply, body, jsonLd ? { 'Content-Type': `${JSON_LD}; charset=utf-8`, Vary: 'Accept' } : { Vary: 'Accept' })
      },
    )

    app.addSchema(SuggestionSchema)
    app.addSchema(SuggestionsSchema)
    app.get(
      '/suggestions',
      {
        ...access,
        ...ownValidation,
        schema: {
          security,
          operationId: 'suggererSaisie',
          tags: ['Offres'],
          summary: 'Suggérer pendant la saisie',
          description:
            'Appellations ROME (avec leur code ROME), communes (code INSEE et département) et mots-clés commençant par la saisie, ' +
            'sans tenir compte des accents ni de la casse, et à une faute près dès 5 lettres (deux dès 9) quand la saisie telle quelle ne suffit pas. ' +
            'Classées par proximité de la saisie, puis par nombre d’offres actives trouvées, compté en direct.',
          querystring: Type.Object({
            q: Type.String({ description: `Saisie en cours (1 à ${MAX_QUERY_LENGTH} caractères) ; le dernier mot peut être incomplet.`, examples: ['infirm'] }),
            types: Type.Optional(Type.String({ description: 'Types proposés parmi appellation, commune, motCle (liste ; défaut : les trois).' })),
            limit: Type.Optional(Type.String({ description: `Nombre de suggestions, 1 à ${MAX_SUGGESTIONS} (défaut 10).` })),
          }),
          response: {
            200: { ...Type.Ref('Suggestions'), description: 'Les suggestions (liste vide quand rien ne correspond).' },
            ...erreurResponses(400, 503),
          },
        },
      },
      (request, reply) => {
        const { query, kinds, limit } = parseSuggestParams(rawQuery(request.url))
        const suggestions = offres.suggest(query, kinds, limit).map(suggestionToWire)
        return sendJson(reply, JSON.stringify({ suggestions }))
      },
    )

    for (const name of REFERENTIAL_NAMES) {
      const body = referentialBodies.get(name) ?? Buffer.from('[]')
      const count = referentials.list(name).length
      const item =
        name === 'communes' ? 'Commune' : name === 'departements' ? 'Departement' : name === 'regions' ? 'Region' : 'Referentiel'
      app.get(
        `/referentiel/${name}`,
        {
          ...access,
          ...ownValidation,
          schema: {
            security,
            operationId: `recupererReferentiel${name.charAt(0).toUpperCase()}${name.slice(1)}`,
            tags: ['Référentiels'],
            summary: `Référentiel ${name}`,
            response: {
              200: {
                type: 'array',
                items: Type.Ref(item),
                description: `Les ${count} éléments du référentiel.`,
                headers: { 'Content-Range': Type.String({ description: `${name} */${count}` }) },
              },
              ...erreurResponses(503),
            },
          },
        },
        (_request, reply) => sendJson(reply, body, { 'Content-Range': `${name} */${count}` }),
      )
    }
  }
}
