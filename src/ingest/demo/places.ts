/** Where an offer is: its `lieuTravail` and the phrases that name the place in texts. */
import type { Offre } from '../../domain/offers/offer.schema.js'
import { type Place } from './model.js'
import type { Random } from './random.js'

type LieuTravail = Offre['lieuTravail']

/** "ANNECY", or "LYON" for an arrondissement: the city as addresses and company names write it. */
export function cityLabel(place: Place): string {
  return place.commune.parent ? place.city.toUpperCase() : place.commune.libelle
}

interface DrawnPlace {
  readonly lieuTravail: LieuTravail
  /** "à Lyon (69)", "en région Bretagne". */
  readonly placePhrase: string
  /** "Lyon (69)", "France entière". */
  readonly placeName: string
}

/**
 * The commune with probability `communeShare` (96 % of France Travail's offers and 77 % of
 * partners' in the real offers of test/fixtures/offres); otherwise the département, "France" or
 * the region (12:5:3).
 */
export function drawLieuTravail(random: Random, place: Place, communeShare: number): DrawnPlace {
  const { commune, departement } = place
  const roll = random.next()
  if (roll < communeShare) {
    // Some offers point at an address rather than the town hall: the point moves a little.
    const jitter = random.chance(0.35) ? 0.012 : 0
    const latitude = Math.round((commune.latitude + (random.next() - 0.5) * jitter) * 1e6) / 1e6
    const longitude = Math.round((commune.longitude + (random.next() - 0.5) * jitter) * 1e6) / 1e6
    const placeName = `${place.city} (${commune.codeDepartement})`
    return {
      lieuTravail: {
        libelle: `${commune.codeDepartement} - ${commune.libelle}`,
        latitude,
        longitude,
        codePostal: commune.codePostal,
        commune: commune.code,
      },
      placeName,
      placePhrase: `à ${placeName}`,
    }
  }
  const coarse = (roll - communeShare) / (1 - communeShare)
  if (coarse < 0.6) {
    const placeName = `${departement.libelle} (${departement.code})`
    return {
      lieuTravail: { libelle: `${departement.code} - ${departement.libelle}` },
      placeName,
      placePhrase: `dans le secteur ${placeName}`,
    }
  }
  if (coarse < 0.85) {
    return { lieuTravail: { libelle: 'France' }, placeName: 'France entière', placePhrase: 'sur toute la France' }
  }
  const region = departement.region.libelle
  return { lieuTravail: { libelle: region }, placeName: region, placePhrase: `en région ${region}` }
}
