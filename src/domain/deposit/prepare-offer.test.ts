import { readFileSync } from 'node:fs'
import { Settings } from 'typebox/system'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadReferentials } from '../../storage/reference-data.js'
import { serializeOffer, validateOffer } from '../offers/offer-json.js'
import { OffreSchema, type Offre } from '../offers/offer.schema.js'
import type { Referentials } from '../referentials/referentials.js'
import {
  DepositSchema,
  MAX_DISTANCE_FROM_COMMUNE_KM,
  prepareOffer,
  type DepositContext,
  type FieldError,
} from './prepare-offer.js'

const REAL = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/offres/offres-exemple-data-engineer-2.json', import.meta.url), 'utf8'),
) as Offre[]

const NOW = new Date('2026-03-02T09:15:42.123Z')
const DIRECT: DepositContext = { id: '201ABCD', now: NOW, origin: { kind: 'direct' } }

/** The smallest deposit the service accepts. */
const MINIMAL = {
  intitule: 'Data engineer H/F',
  description: 'Vous construirez nos pipelines de données.',
  romeCode: 'M1811',
  typeContrat: 'CDI',
  experienceExige: 'D',
  lieuTravail: { commune: '33063' },
} as const

let referentials: Referentials
beforeAll(() => {
  referentials = loadReferentials()
})

function accepted(body: unknown, context: DepositContext = DIRECT): { offer: Offre; appellations: string[] } {
  const result = prepareOffer(body, referentials, context)
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.errors)}`)
  return result
}

function errorsOf(body: unknown, context: DepositContext = DIRECT): FieldError[] {
  const result = prepareOffer(body, referentials, context)
  if (result.ok) throw new Error('accepted')
  return result.errors
}

const offerOf = (changes: Record<string, unknown>) => accepted({ ...MINIMAL, ...changes }).offer
const errorsWith = (changes: Record<string, unknown>) => errorsOf({ ...MINIMAL, ...changes })

/** What the stored JSON would be, read back and checked as every served offer is. */
function stored(offer: Offre): Offre {
  const json = JSON.parse(serializeOffer(offer)) as unknown
  const validation = validateOffer(json, referentials)
  expect(validation).toEqual({ ok: true, offer: json })
  return json as Offre
}

describe('DepositSchema', () => {
  it('is the Offre schema with the server-set fields optional and the deposit fields required', () => {
    expect(DepositSchema).toMatchObject({ $id: 'DepotOffre', additionalProperties: false })
    expect([...DepositSchema.required].sort()).toEqual(
      ['description', 'experienceExige', 'intitule', 'lieuTravail', 'romeCode', 'typeContrat'].sort(),
    )
    // Same sub-schemas as the Offre: one description of an offer.
    expect(DepositSchema.properties.lieuTravail).toEqual(OffreSchema.properties.lieuTravail)
    expect(DepositSchema.properties.origineOffre).toEqual(OffreSchema.properties.origineOffre)
    expect(Object.keys(DepositSchema.properties)).toEqual(
      Object.keys(OffreSchema.properties).flatMap((key) => (key === 'appellationlibelle' ? [key, 'appellation'] : [key])),
    )
  })
})

describe('prepareOffer: enrichment', () => {
  it('completes a minimal deposit with the referentials’ values and the defaults every offer carries', () => {
    const { offer, appellations } = accepted(MINIMAL)
    const bordeaux = referentials.communes.get('33063')
    expect(bordeaux).toBeDefined()
    expect(offer.lieuTravail).toEqual({
      libelle: '33 - BORDEAUX',
      latitude: bordeaux?.latitude,
      longitude: bordeaux?.longitude,
      codePostal: bordeaux?.codePostal,
      commune: '33063',
    })
    expect(offer.lieuTravail.codePostal).toBe('33000')
    expect(offer).toMatchObject({
      id: '201ABCD',
      dateCreation: '2026-03-02T09:15:42.123Z',
      dateActualisation: '2026-03-02T09:15:42.123Z',
      romeLibelle: referentials.metiers.get('M1811')?.libelle,
      entreprise: { entrepriseAdaptee: false },
      typeContratLibelle: 'Contrat à durée indéterminée',
      natureContrat: 'Contrat travail',
      experienceLibelle: 'Débutant accepté',
      salaire: {},
      alternance: false,
      contact: {},
      agence: {},
      nombrePostes: 1,
      accessibleTH: false,
      origineOffre: { origine: '1', urlOrigine: 'https://candidat.francetravail.fr/offres/recherche/detail/201ABCD' },
      offresManqueCandidats: false,
      entrepriseAdaptee: false,
      employeurHandiEngage: false,
    })
    // Nothing is invented where real offers leave a field out.
    for (const absent of ['appellationlibelle', 'qualificationCode', 'codeNAF', 'formations', 'deplacementCode']) {
      expect(offer).not.toHaveProperty(absent)
    }
    expect(appellations).toEqual([])
    expect(Object.keys(stored(offer))).toEqual(Object.keys(OffreSchema.properties).filter((key) => key in offer))
  })

  it('keeps the values a deposit gives instead of the defaults', () => {
    const offer = offerOf({
      nombrePostes: 3,
      accessibleTH: true,
      entreprise: { nom: 'ACME', entrepriseAdaptee: true },
      employeurHandiEngage: true,
      salaire: { libelle: 'Mensuel de 2500.00 Euros sur 12 mois' },
      contact: { nom: 'ACME - Mme Martin' },
      offresManqueCandidats: true,
    })
    expect(offer).toMatchObject({
      nombrePostes: 3,
      accessibleTH: true,
      entreprise: { nom: 'ACME', entrepriseAdaptee: true },
      // The flag is carried twice by real offers: the top-level copy follows the company's.
      entrepriseAdaptee: true,
      employeurHandiEngage: true,
      salaire: { libelle: 'Mensuel de 2500.00 Euros sur 12 mois' },
      contact: { nom: 'ACME - Mme Martin' },
      agence: {},
      offresManqueCandidats: true,
    })
    stored(offer)
  })

  it('sets appellationlibelle from an appellation code and returns the code', () => {
    const { offer, appellations } = accepted({ ...MINIMAL, appellation: '404278' })
    expect(offer.appellationlibelle).toBe(referentials.appellations.get('404278')?.libelleCourt)
    expect(offer.appellationlibelle).toBe('Data engineer')
    expect(offer).not.toHaveProperty('appellation')
    expect(appellations).toEqual(['404278'])
    stored(offer)
  })

  it('finds the appellation code of a label alone, as real offers carry it', () => {
    const { offer, appellations } = accepted({ ...MINIMAL, appellationlibelle: 'data engineer' })
    expect(offer.appellationlibelle).toBe('Data engineer')
    expect(appellations).toEqual(['404278'])
  })

  it('refuses an appellation that is unknown, of another fiche, or contradicted by its label', () => {
    expect(errorsWith({ appellation: '999999999' })).toEqual([
      { path: '/appellation', message: 'Appellation inconnue : 999999999.' },
    ])
    expect(errorsWith({ appellation: '11573' })).toEqual([
      {
        path: '/appellation',
        message: 'L’appellation 11573 (Boulanger / Boulangère) relève du code ROME D1102, pas de M1811.',
      },
    ])
    expect(errorsWith({ appellation: '404278', appellationlibelle: 'Boulanger' })).toEqual([
      { path: '/appellationlibelle', message: 'Libellé incohérent avec l’appellation 404278 : « Data engineer » attendu.' },
    ])
    expect(errorsWith({ appellationlibelle: 'Boulanger / Boulangère' })).toEqual([
      { path: '/appellationlibelle', message: 'Appellation inconnue pour le code ROME M1811 : « Boulanger / Boulangère ».' },
    ])
  })

  it('accepts the nature of the contract by code or by label and stores the label', () => {
    expect(offerOf({ natureContrat: 'E2' })).toMatchObject({ natureContrat: 'Contrat apprentissage', alternance: true })
    expect(offerOf({ natureContrat: 'fs' })).toMatchObject({ natureContrat: 'Cont. professionnalisation', alternance: true })
    expect(offerOf({ natureContrat: 'Contrat apprentissage' })).toMatchObject({ alternance: true })
    expect(offerOf({ natureContrat: 'contrat travail' })).toMatchObject({
      natureContrat: 'Contrat travail',
      alternance: false,
    })
    expect(stored(offerOf({ natureContrat: 'E2', alternance: true })).alternance).toBe(true)
  })

  it('derives the nature from the type when absent, as real offers pair them', () => {
    expect(offerOf({ typeContrat: 'LIB' })).toMatchObject({
      natureContrat: 'Emploi non salarié',
      typeContratLibelle: 'Profession libérale',
    })
    expect(offerOf({ typeContrat: 'DDI' }).natureContrat).toBe("Insertion par l'activ.éco.")
  })

  it('refuses an unknown nature and an alternance its nature contradicts', () => {
    expect(errorsWith({ natureContrat: 'Stage' })).toEqual([
      { path: '/natureContrat', message: 'Nature de contrat inconnue : Stage.' },
    ])
    expect(errorsWith({ alternance: true })).toEqual([
      {
        path: '/alternance',
        message:
          'Incohérent avec la nature du contrat (Contrat travail) : une alternance est un contrat ' +
          'd’apprentissage (E2) ou de professionnalisation (FS).',
      },
    ])
  })

  it('gives a partner deposit origine "2" with its partner, the detail page staying urlOrigine', () => {
    const context: DepositContext = {
      id: '0626202',
      now: NOW,
      origin: { kind: 'partner', partnerName: 'DIRECTEMPLOI', partnerUrl: 'https://www.directemploi.com/offre/49993134' },
    }
    const { offer } = accepted(MINIMAL, context)
    expect(offer.origineOffre).toEqual({
      origine: '2',
      urlOrigine: 'https://candidat.francetravail.fr/offres/recherche/detail/0626202',
      partenaires: [{ nom: 'DIRECTEMPLOI', url: 'https://www.directemploi.com/offre/49993134' }],
    })
    // Real partner offers never carry it.
    expect(offer).not.toHaveProperty('offresManqueCandidats')
    stored(offer)
    const withoutUrl = accepted(MINIMAL, { ...context, origin: { kind: 'partner', partnerName: 'METEOJOB' } }).offer
    expect(withoutUrl.origineOffre.partenaires).toEqual([{ nom: 'METEOJOB' }])
  })

  it('keeps the creation date on an update and ignores dates and origin sent back', () => {
    const createdAt = new Date('2025-12-24T08:00:00.000Z')
    const { offer } = accepted(
      {
        ...MINIMAL,
        id: '201ABCD',
        dateCreation: '2020-01-01T00:00:00.000Z',
        dateActualisation: '2020-01-01T00:00:00.000Z',
        origineOffre: { origine: '2', urlOrigine: 'https://example.org' },
      },
      { ...DIRECT, createdAt },
    )
    expect(offer.dateCreation).toBe('2025-12-24T08:00:00.000Z')
    expect(offer.dateActualisation).toBe('2026-03-02T09:15:42.123Z')
    expect(offer.origineOffre.origine).toBe('1')
  })

  it('accepts a real offer and gives it back field by field, server-set fields aside', () => {
    const real = REAL[0]
    if (real === undefined) throw new Error('fixture is empty')
    const { id: _id, dateCreation: _created, dateActualisation: _updated, ...deposit } = real
    const { offer, appellations } = accepted(deposit, { id: real.id, now: NOW, origin: { kind: 'direct' } })
    expect(appellations).toEqual(['404278'])
    expect(offer.dateCreation).toBe(NOW.toISOString())
    // The two flags appeared in 2025 (contract §5.4) and are always emitted now; this 2024 offer predates them.
    const { entrepriseAdaptee, employeurHandiEngage, ...rest } = offer
    expect({ entrepriseAdaptee, employeurHandiEngage }).toEqual({ entrepriseAdaptee: false, employeurHandiEngage: false })
    expect({ ...rest, dateCreation: real.dateCreation, dateActualisation: real.dateActualisation }).toEqual(real)
    // Its point (an address 0.6 km from the town hall) and its labels are kept as given.
    expect(offer.lieuTravail).toEqual(real.lieuTravail)
    const dates = { dateCreation: NOW.toISOString(), dateActualisation: NOW.toISOString() }
    const flags = { entrepriseAdaptee: false, employeurHandiEngage: false }
    expect(serializeOffer(offer)).toBe(JSON.stringify({ ...real, ...dates, ...flags }))
    // Assembled in the original's key order at every depth: written as it is, without a copy.
    expect(JSON.stringify(offer)).toBe(serializeOffer(offer))
  })

  it('assembles a deposit sent in any key order in the original order', () => {
    const real = REAL[1]
    if (real === undefined) throw new Error('fixture is short')
    const { id: _id, dateCreation: _created, dateActualisation: _updated, ...deposit } = real
    const reversed = Object.fromEntries(Object.entries(deposit).reverse())
    const { offer } = accepted(reversed, { id: real.id, now: NOW, origin: { kind: 'direct' } })
    expect(Object.keys(offer)).toEqual(Object.keys(JSON.parse(serializeOffer(offer)) as object))
  })
})

describe('prepareOffer: labels given with their codes', () => {
  it('keeps labels that agree with their code and say more (duration, zone, spelling of the place)', () => {
    const offer = offerOf({
      typeContrat: 'CDD',
      typeContratLibelle: 'CDD - 6 Mois',
      experienceExige: 'E',
      experienceLibelle: '2 An(s) - sur même poste',
      deplacementCode: '2',
      deplacementLibelle: 'Ponctuels Zone régionale',
      lieuTravail: { libelle: '35 - ST MALO', commune: '35288' },
      romeLibelle: 'DATA ENGINEER',
    })
    expect(offer).toMatchObject({
      typeContratLibelle: 'CDD - 6 Mois',
      experienceLibelle: '2 An(s) - sur même poste',
      deplacementLibelle: 'Ponctuels Zone régionale',
      lieuTravail: { libelle: '35 - ST MALO', codePostal: '35400', commune: '35288' },
      // A pure code label is stored as the referential writes it.
      romeLibelle: 'Data engineer',
    })
    const interim = offerOf({ typeContrat: 'MIS', typeContratLibelle: 'Intérim - 12 Mois' })
    expect(interim.typeContratLibelle).toBe('Intérim - 12 Mois')
    expect(offerOf({ experienceExige: 'E' }).experienceLibelle).toBe('Expérience exigée')
    expect(offerOf({ experienceExige: 'S' }).experienceLibelle).toBe('Expérience souhaitée')
    const marseille = offerOf({ lieuTravail: { libelle: '13 - Marseille 8e Arrondissement', commune: '13208' } })
    expect(marseille.lieuTravail.libelle).toBe('13 - Marseille 8e Arrondissement')
  })

  it('reports each label that contradicts its code', () => {
    expect(
      errorsWith({
        typeContratLibelle: 'CDD - 6 Mois',
        experienceLibelle: 'Expérience exigée de 2 An(s)',
        lieuTravail: { libelle: '33 - MERIGNAC', commune: '33063' },
        romeLibelle: 'Boulanger / Boulangère',
        qualificationCode: '9',
        qualificationLibelle: 'Technicien',
        deplacementCode: '1',
        deplacementLibelle: 'Quotidiens',
      }),
    ).toEqual([
      { path: '/romeLibelle', message: 'Libellé incohérent avec le code ROME M1811 : « Data engineer » attendu.' },
      { path: '/lieuTravail/libelle', message: 'Libellé incohérent avec la commune 33063 : « 33 - BORDEAUX » attendu.' },
      {
        path: '/typeContratLibelle',
        message: 'Libellé incohérent avec le type de contrat CDI : « Contrat à durée indéterminée » attendu.',
      },
      {
        path: '/experienceLibelle',
        message: 'Libellé incohérent avec le code d’expérience D : « Débutant accepté » attendu.',
      },
      { path: '/qualificationLibelle', message: 'Libellé incohérent avec le code 9 : « Cadre » attendu.' },
      { path: '/deplacementLibelle', message: 'Libellé incohérent avec le code 1 : « Jamais » attendu.' },
    ])
  })

  it('completes qualification and travel from their code, or their code from their label', () => {
    expect(offerOf({ qualificationCode: '7' })).toMatchObject({ qualificationCode: '7', qualificationLibelle: 'Technicien' })
    expect(offerOf({ qualificationLibelle: 'cadre' })).toMatchObject({
      qualificationCode: '9',
      qualificationLibelle: 'Cadre',
    })
    expect(offerOf({ deplacementCode: '1' })).toMatchObject({ deplacementCode: '1', deplacementLibelle: 'Jamais' })
    expect(offerOf({ deplacementLibelle: 'Fréquents Zone nationale' })).toMatchObject({ deplacementCode: '3' })
    expect(errorsWith({ qualificationCode: '10', deplacementCode: '5' })).toEqual([
      { path: '/qualificationCode', message: 'Qualification inconnue : 10.' },
      { path: '/deplacementCode', message: 'Fréquence de déplacement inconnue : 5.' },
    ])
  })

  it('derives the sector from the NAF code, its label being the NAF code’s as in real offers', () => {
    expect(offerOf({ codeNAF: '86.10Z' })).toMatchObject({
      codeNAF: '86.10Z',
      secteurActivite: '86',
      secteurActiviteLibelle: referentials.nafs.get('86.10Z')?.libelle,
    })
    expect(offerOf({ secteurActivite: '86' }).secteurActiviteLibelle).toBe(referentials.secteursActivites.get('86')?.libelle)
    expect(errorsWith({ codeNAF: '99.99Q' })).toEqual([{ path: '/codeNAF', message: 'Code NAF inconnu : 99.99Q.' }])
    expect(errorsWith({ codeNAF: '86.10Z', secteurActivite: '62' })).toEqual([
      { path: '/secteurActivite', message: 'Secteur incohérent avec le code NAF 86.10Z : 86 attendu.' },
    ])
    expect(errorsWith({ secteurActivite: '00' })).toEqual([
      { path: '/secteurActivite', message: 'Secteur d’activité inconnu : 00.' },
    ])
    expect(errorsWith({ codeNAF: '86.10Z', secteurActiviteLibelle: 'Boulangerie' })).toEqual([
      {
        path: '/secteurActiviteLibelle',
        message: 'Libellé incohérent avec le code NAF 86.10Z : « Activités hospitalières » attendu.',
      },
    ])
  })

  it('stores education levels, licences and languages with their referential label, given by code or label', () => {
    const offer = offerOf({
      formations: [{ codeFormation: '11036', domaineLibelle: 'statistique', niveauLibelle: 'NV1', exigence: 'E' }],
      permis: [{ libelle: 'B', exigence: 'S' }, { libelle: 'ce - poids lourd avec remorque' }],
      langues: [{ libelle: 'EN', exigence: 'E' }, { libelle: 'allemand' }],
    })
    expect(offer.formations).toEqual([
      {
        codeFormation: '11036',
        domaineLibelle: 'statistique',
        niveauLibelle: 'Bac+5 et plus ou équivalents',
        exigence: 'E',
      },
    ])
    expect(offer.permis).toEqual([
      { libelle: 'B - Véhicule léger', exigence: 'S' },
      { libelle: 'CE - Poids lourd avec remorque' },
    ])
    expect(offer.langues).toEqual([{ libelle: 'Anglais', exigence: 'E' }, { libelle: 'Allemand' }])
    expect(
      errorsWith({
        formations: [{ niveauLibelle: 'Doctorat' }],
        permis: [{ libelle: 'B' }, { libelle: 'Z - Zeppelin' }],
        langues: [{ libelle: 'Klingon' }],
      }),
    ).toEqual([
      { path: '/formations/0/niveauLibelle', message: 'Niveau de formation inconnu : Doctorat.' },
      { path: '/permis/1/libelle', message: 'Permis inconnu : Z - Zeppelin.' },
      { path: '/langues/0/libelle', message: 'Langue inconnue : Klingon.' },
    ])
  })
})

describe('prepareOffer: place of work', () => {
  it('accepts arrondissements', () => {
    expect(offerOf({ lieuTravail: { commune: '69381' } }).lieuTravail).toMatchObject({
      libelle: '69 - LYON 01',
      codePostal: '69001',
      commune: '69381',
    })
  })

  it('accepts a label alone for a place abroad, without coordinates', () => {
    const offer = offerOf({ lieuTravail: { libelle: 'Allemagne' } })
    expect(offer.lieuTravail).toEqual({ libelle: 'Allemagne' })
    stored(offer)
  })

  it('requires a commune or a label, and a commune for coordinates or a postcode', () => {
    expect(errorsWith({ lieuTravail: {} })).toEqual([
      {
        path: '/lieuTravail/commune',
        message: 'Champ obligatoire (ou lieuTravail.libelle seul pour un lieu à l’étranger).',
      },
    ])
    expect(errorsWith({ lieuTravail: { libelle: 'France', latitude: 43.4, longitude: 5.05 } })).toEqual([
      { path: '/lieuTravail/latitude', message: 'Renseigner aussi lieuTravail.commune (code INSEE).' },
      { path: '/lieuTravail/longitude', message: 'Renseigner aussi lieuTravail.commune (code INSEE).' },
    ])
    expect(errorsWith({ lieuTravail: { libelle: '  ' } })).toEqual([
      { path: '/lieuTravail/libelle', message: 'Champ vide.' },
    ])
  })

  it('keeps a point near the commune and a postcode of its own, refuses a far point', () => {
    const near = offerOf({ lieuTravail: { commune: '34172', codePostal: '34090', latitude: 43.610476, longitude: 3.87048 } })
    expect(near.lieuTravail).toEqual({
      libelle: '34 - MONTPELLIER',
      latitude: 43.610476,
      longitude: 3.87048,
      codePostal: '34090',
      commune: '34172',
    })
    // Swapped coordinates, as seen in real data.
    const errors = errorsWith({ lieuTravail: { commune: '75056', latitude: 2.320041, longitude: 48.858889 } })
    expect(errors).toHaveLength(1)
    expect(errors[0]?.path).toBe('/lieuTravail/latitude')
    expect(errors[0]?.message).toMatch(/^Coordonnées à \d+ km du centre de la commune 75056 \(\d+ km au plus\)\.$/)
    expect(errors[0]?.message).toContain(`(${MAX_DISTANCE_FROM_COMMUNE_KM} km au plus)`)
    expect(errorsWith({ lieuTravail: { commune: '33063', latitude: 44.8 } })).toEqual([
      { path: '/lieuTravail/longitude', message: 'Champ obligatoire avec l’autre coordonnée.' },
    ])
    expect(errorsWith({ lieuTravail: { commune: '33063', codePostal: '330' } })).toEqual([
      { path: '/lieuTravail/codePostal', message: 'Code postal invalide : 5 chiffres attendus.' },
    ])
  })
})

describe('prepareOffer: errors', () => {
  it('lists every kind of problem at once, schema ones first', () => {
    const { intitule: _intitule, ...withoutTitle } = MINIMAL
    expect(
      errorsOf({
        ...withoutTitle,
        romeCode: 'Z9999',
        lieuTravail: { commune: '99999' },
        salaireMensuel: 2000,
        typeContratLibelle: 'CDD - 6 Mois',
      }),
    ).toEqual([
      { path: '/intitule', message: 'Champ obligatoire.' },
      { path: '/salaireMensuel', message: 'Champ inconnu.' },
      { path: '/romeCode', message: 'Code ROME inconnu : Z9999.' },
      { path: '/lieuTravail/commune', message: 'Commune inconnue : 99999.' },
      {
        path: '/typeContratLibelle',
        message: 'Libellé incohérent avec le type de contrat CDI : « Contrat à durée indéterminée » attendu.',
      },
    ])
  })

  it('says in French what the schema refuses', () => {
    expect(
      errorsWith({
        id: '201ZZZZ',
        intitule: 'DE',
        description: 'Court',
        experienceExige: 'Q',
        nombrePostes: -1,
        dateCreation: 'hier',
        typeContrat: 'STAGE',
        appellation: 'abc',
        lieuTravail: { commune: 33063, ville: 'Bordeaux' },
        entreprise: { nom: 'ACME', siren: '123' },
      }),
    ).toEqual([
      { path: '/intitule', message: 'Au moins 3 caractères.' },
      { path: '/description', message: 'Au moins 10 caractères.' },
      { path: '/dateCreation', message: 'Date invalide : format ISO 8601 attendu (2024-11-28T14:23:11.470Z).' },
      { path: '/lieuTravail/ville', message: 'Champ inconnu.' },
      { path: '/lieuTravail/commune', message: 'Chaîne de caractères attendue.' },
      { path: '/appellation', message: 'Format invalide (motif ^[0-9]{1,10}$).' },
      { path: '/entreprise/siren', message: 'Champ inconnu.' },
      { path: '/experienceExige', message: 'Valeur attendue : D, S ou E.' },
      { path: '/nombrePostes', message: 'Valeur minimale : 0.' },
      { path: '/id', message: 'Identifiant incohérent : l’offre a l’identifiant 201ABCD.' },
      { path: '/typeContrat', message: 'Type de contrat inconnu : STAGE.' },
    ])
  })

  it('lists more problems than TypeBox buffers by default, and leaves its setting as it was', () => {
    const before = Settings.Get().maxErrors
    const errors = errorsOf({
      intitule: 1,
      description: 2,
      romeCode: 3,
      typeContrat: 4,
      experienceExige: 5,
      lieuTravail: 6,
      alternance: 7,
      accessibleTH: 8,
      nombrePostes: 'neuf',
      salaire: 10,
      a: 1,
      b: 2,
    })
    expect(errors.length).toBe(12)
    expect(Settings.Get().maxErrors).toBe(before)
  })

  it('never throws on garbage', () => {
    const garbage: unknown[] = [
      null,
      undefined,
      [],
      'offre',
      42,
      true,
      { ...MINIMAL, lieuTravail: 'Bordeaux', formations: 'bac', permis: [null, 3, 'B'], langues: [{ libelle: 5 }] },
      { ...MINIMAL, intitule: 42, romeCode: ['M1811'], typeContrat: {}, natureContrat: 7, appellation: 404278 },
      { ...MINIMAL, lieuTravail: { commune: null, latitude: 'nord', longitude: {} }, codeNAF: 62, secteurActivite: [] },
      { ...MINIMAL, entreprise: [], entrepriseAdaptee: 'non', experienceLibelle: 3, deplacementLibelle: null },
    ]
    for (const body of garbage) {
      const result = prepareOffer(body, referentials, DIRECT)
      expect(result.ok).toBe(false)
      if (!result.ok) {
        expect(result.errors.length).toBeGreaterThan(0)
        for (const error of result.errors) {
          expect(error.path === '' || error.path.startsWith('/')).toBe(true)
          expect(error.message).toMatch(/\.$/)
        }
      }
    }
    expect(errorsOf(null)).toEqual([{ path: '', message: 'Objet JSON attendu.' }])
  })

  it('refuses contradicting copies of the adapted-company flag', () => {
    expect(errorsWith({ entreprise: { entrepriseAdaptee: true }, entrepriseAdaptee: false })).toEqual([
      { path: '/entrepriseAdaptee', message: 'Incohérent avec entreprise.entrepriseAdaptee.' },
    ])
  })
})
