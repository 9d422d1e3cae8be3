import type { Referentials } from '../../src/domain/referentials/referentials.js'
import { distanceKm } from '../../src/search/geo.js'
import { salaryIn, type OfferFeatures } from '../../src/search/offer-features.js'
import type { FacetCounts, ResultWindow, SearchQuery } from '../../src/search/search-query.js'
import { weightOf } from '../../src/search/terms.js'

/**
 * The search semantics written the obvious way, offer by offer, with no index: the oracle the
 * index is checked against. It shares only the feature extraction and the distance formula.
 */
export function referenceSearch(
  offers: readonly OfferFeatures[],
  query: SearchQuery,
  window: ResultWindow,
  referentials: Referentials,
): { total: number; ids: string[]; facets: FacetCounts[] } {
  const scored: { offer: OfferFeatures; score: number; distance: number }[] = []
  for (const offer of offers) {
    if (!matches(offer, query, referentials)) continue
    scored.push({ offer, score: score(offer, query), distance: distanceOf(offer, query) })
  }
  const natural = (a: OfferFeatures, b: OfferFeatures) =>
    b.dateCreation - a.dateCreation || Number(b.origine) - Number(a.origine) || (a.id > b.id ? -1 : a.id < b.id ? 1 : 0)
  scored.sort((a, b) => {
    switch (query.sort) {
      case 0:
        return b.score - a.score || a.distance - b.distance || natural(a.offer, b.offer)
      case 1:
        return (
          b.offer.dateCreation - a.offer.dateCreation ||
          b.score - a.score ||
          a.distance - b.distance ||
          natural(a.offer, b.offer)
        )
      case 2:
        return a.distance - b.distance || b.score - a.score || natural(a.offer, b.offer)
    }
  })
  const total = scored.length
  const ids = scored.slice(window.start, Math.min(window.end, total - 1) + 1).map((item) => item.offer.id)
  return { total, ids, facets: facets(scored.map((item) => item.offer)) }
}

function score(offer: OfferFeatures, query: SearchQuery): number {
  let total = 0
  for (const keyword of query.keywords ?? []) {
    for (const term of new Set(keyword)) total += weightOf(offer.terms, term)
  }
  return total
}

function distanceOf(offer: OfferFeatures, query: SearchQuery): number {
  if (!query.geo) return 0
  return Math.min(
    ...query.geo.centres.map((centre) =>
      distanceKm(centre.latitude, centre.longitude, offer.latitude ?? Number.NaN, offer.longitude ?? Number.NaN),
    ),
  )
}

const some = <T>(values: readonly T[] | undefined, test: (value: T) => boolean) =>
  values === undefined || values.some(test)

function cityOf(code: string, referentials: Referentials): string {
  return referentials.communes.get(code)?.parent ?? code
}

function matchesGeo(offer: OfferFeatures, geo: NonNullable<SearchQuery['geo']>, referentials: Referentials): boolean {
  if (offer.commune !== undefined) {
    const commune = referentials.communes.get(offer.commune)
    if (!commune) return false
    if (geo.wholeCities.includes(cityOf(offer.commune, referentials))) return true
    return geo.centres.some((centre) =>
      geo.radiusKm === 0
        ? offer.commune === centre.commune || cityOf(offer.commune ?? '', referentials) === centre.commune
        : distanceKm(centre.latitude, centre.longitude, commune.latitude, commune.longitude) <= geo.radiusKm,
    )
  }
  if (geo.radiusKm === 0 || offer.latitude === undefined || offer.longitude === undefined) return false
  return geo.centres.some(
    (centre) => distanceKm(centre.latitude, centre.longitude, offer.latitude ?? 0, offer.longitude ?? 0) <= geo.radiusKm,
  )
}

function matches(offer: OfferFeatures, query: SearchQuery, referentials: Referentials): boolean {
  for (const keyword of query.keywords ?? []) {
    if (!keyword.every((term) => weightOf(offer.terms, term) > 0)) return false
  }
  if (query.romeCodes || query.domaines || query.grandsDomaines || query.themes) {
    const metier = offer.romeCode === undefined ? undefined : referentials.metiers.get(offer.romeCode)
    if (!metier) return false
    if (query.romeCodes && !query.romeCodes.includes(metier.code)) return false
    if (query.domaines && !query.domaines.includes(metier.domaine)) return false
    if (query.grandsDomaines && !query.grandsDomaines.includes(metier.grandDomaine)) return false
    if (query.themes && !metier.themes.some((theme) => query.themes?.includes(theme))) return false
  }
  if (query.appellations && !query.appellations.some((code) => offer.appellations.includes(code))) return false
  if (query.codesNaf && !query.codesNaf.includes(offer.codeNaf ?? '')) return false
  if (query.secteursActivite && !query.secteursActivite.includes(offer.secteurActivite ?? '')) return false
  if (query.typesContrat || query.naturesContrat) {
    const byType = query.typesContrat?.includes(offer.typeContrat) ?? false
    const byNature = offer.natureContrat !== undefined && (query.naturesContrat?.includes(offer.natureContrat) ?? false)
    if (!byType && !byNature) return false
  }
  if (!some(query.experiences, (value) => value === offer.experience)) return false
  if (!some(query.experienceExigences, (value) => value === offer.experienceExige)) return false
  if (query.origine && query.origine !== offer.origine) return false
  if (
    !some(query.qualifications, (value) =>
      value === '9' ? offer.qualification === '9' : /^[1-8]$/.test(offer.qualification ?? ''),
    )
  ) {
    return false
  }
  if (!some(query.dureesHebdo, (value) => value === offer.dureeHebdo)) return false
  if (query.weeklyMinutesMin !== undefined || query.weeklyMinutesMax !== undefined) {
    const minutes = offer.weeklyMinutes
    if (minutes === undefined) return false
    if (minutes < (query.weeklyMinutesMin ?? 0) || minutes > (query.weeklyMinutesMax ?? Infinity)) return false
  }
  if (query.contractMonthsMin !== undefined || query.contractMonthsMax !== undefined) {
    const months = offer.contractMonths
    if (months === undefined) return false
    if (months < (query.contractMonthsMin ?? 0) || months > (query.contractMonthsMax ?? Infinity)) return false
  }
  if (query.geo && !matchesGeo(offer, query.geo, referentials)) return false
  if (!some(query.departements, (code) => code === offer.departement)) return false
  if (!some(query.regions, (code) => code === offer.region)) return false
  if (!some(query.paysContinents, (code) => code === offer.pays || code === offer.continent)) return false
  if (!some(query.niveauxFormation, (code) => offer.niveauxFormation.includes(code))) return false
  if (!some(query.permis, (code) => offer.permis.includes(code))) return false
  if (query.salary) {
    const value = offer.salary ? salaryIn(offer.salary, query.salary.period) : undefined
    if (value === undefined || value < query.salary.min) return false
  }
  if (query.accessibleTH && !offer.accessibleTH) return false
  if (query.offresManqueCandidats && !offer.offresManqueCandidats) return false
  if (query.mrs && !offer.mrs) return false
  if (query.entrepriseAdaptee || query.employeurHandiEngage) {
    const adapted = query.entrepriseAdaptee === true && offer.entrepriseAdaptee
    const engaged = query.employeurHandiEngage === true && offer.employeurHandiEngage
    if (!adapted && !engaged) return false
  }
  if (query.createdFrom !== undefined && offer.dateCreation < query.createdFrom) return false
  if (query.createdTo !== undefined && offer.dateCreation > query.createdTo) return false
  if (query.partners && offer.origine === '2') {
    const listed = offer.partners.some((name) => query.partners?.names.includes(name))
    if (query.partners.mode === 'INCLUS' ? !listed : listed) return false
  }
  return true
}

function facets(offers: readonly OfferFeatures[]): FacetCounts[] {
  const count = (values: readonly string[]) => {
    const counts = new Map<string, number>()
    for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1)
    return counts
  }
  const sorted = (counts: Map<string, number>, order: (a: string, b: string) => number) =>
    [...counts.entries()]
      .sort(([a], [b]) => order(a, b))
      .map(([valeurPossible, nbResultats]) => ({ valeurPossible, nbResultats }))
  const alphabetical = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  const qualification = (offer: OfferFeatures) =>
    offer.qualification === '9' ? '9' : /^[1-8]$/.test(offer.qualification ?? '') ? '0' : 'X'
  return [
    { filtre: 'typeContrat', agregation: sorted(count(offers.map((offer) => offer.typeContrat)), alphabetical) },
    { filtre: 'experience', agregation: sorted(count(offers.map((offer) => offer.experience)), alphabetical) },
    { filtre: 'qualification', agregation: sorted(count(offers.map(qualification)), alphabetical) },
    {
      filtre: 'natureContrat',
      agregation: sorted(
        count(offers.flatMap((offer) => (offer.natureContrat === undefined ? [] : [offer.natureContrat]))),
        alphabetical,
      ),
    },
  ]
}
