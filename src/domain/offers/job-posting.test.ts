import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { jsonLdFailures } from '../../../test/support/schema-org.js'
import { generateOffers } from '../../ingest/demo/generate-offers.js'
import { loadReferentials } from '../../storage/reference-data.js'
import type { Referentials } from '../referentials/referentials.js'
import { baseSalary, CONFIDENTIAL, employmentTypes, experienceMonths, jobPostingJson, textToHtml, toJobPosting } from './job-posting.js'
import type { Offre } from './offer.schema.js'

const [DATA_ENGINEER, PARTNER] = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/offres/offres-exemple-data-engineer-2.json', import.meta.url), 'utf8'),
) as [Offre, Offre]

let referentials: Referentials
beforeAll(() => {
  referentials = loadReferentials()
})

const posting = (offer: Offre, validThrough?: Date) => toJobPosting(offer, { referentials, validThrough }) as unknown as Record<string, unknown>

/** The smallest offer the schema accepts. */
const BARE: Offre = {
  id: '1234567',
  intitule: 'Boulanger (H/F)',
  dateCreation: '2026-11-02T08:00:00.000Z',
  lieuTravail: {},
  typeContrat: 'CDI',
  origineOffre: { origine: '2' },
}

describe('baseSalary', () => {
  it.each([
    ['Mensuel de 1800.00 Euros à 2000.00 Euros sur 12 mois', { minValue: 1800, maxValue: 2000, unitText: 'MONTH' }],
    ['Horaire de 11.65 Euros', { value: 11.65, unitText: 'HOUR' }],
    ['Horaire de 11.88 Euros sur 12 mois', { value: 11.88, unitText: 'HOUR' }],
    ['Annuel de 38000.0 Euros à 45000.0 Euros sur 12.0 mois', { minValue: 38000, maxValue: 45000, unitText: 'YEAR' }],
    ['Annuel de 40000,00 Euros à 50000,00 Euros', { minValue: 40000, maxValue: 50000, unitText: 'YEAR' }],
    ['Mensuel de 1923.00 Euros sur 12 mois', { value: 1923, unitText: 'MONTH' }],
    ['Mensuel de 2601.0 Euros sur 13.0 mois', { value: 2601, unitText: 'MONTH' }],
  ])('reads "%s"', (libelle, value) => {
    expect(baseSalary({ ...BARE, salaire: { libelle } })).toEqual({
      '@type': 'MonetaryAmount',
      currency: 'EUR',
      value: { '@type': 'QuantitativeValue', ...value },
    })
  })

  it.each([['Annuel de'], ['Selon profil'], ['Cachet de 150.00 Euros'], ['']])('gives none for "%s"', (libelle) => {
    expect(baseSalary({ ...BARE, salaire: { libelle } })).toBeUndefined()
  })

  it('gives none without a label', () => {
    expect(baseSalary({ ...BARE, salaire: { commentaire: 'Selon profil' } })).toBeUndefined()
    expect(baseSalary(BARE)).toBeUndefined()
  })
})

describe('employmentTypes', () => {
  it.each([
    [{ typeContrat: 'CDI', dureeTravailLibelleConverti: 'Temps plein' }, ['FULL_TIME']],
    [{ typeContrat: 'CDI', dureeTravailLibelleConverti: 'Temps partiel' }, ['PART_TIME']],
    [{ typeContrat: 'CDI' }, []],
    [{ typeContrat: 'DIN' }, []],
    [{ typeContrat: 'CDD', dureeTravailLibelle: '35H Travail en journée' }, ['FULL_TIME', 'TEMPORARY']],
    [{ typeContrat: 'CDD', dureeTravailLibelle: '24H Horaires normaux' }, ['PART_TIME', 'TEMPORARY']],
    [{ typeContrat: 'MIS', dureeTravailLibelle: '39H\nTravail en équipe' }, ['FULL_TIME', 'TEMPORARY']],
    [{ typeContrat: 'SAI' }, ['TEMPORARY']],
    [{ typeContrat: 'DDI' }, ['TEMPORARY']],
    [{ typeContrat: 'DDT' }, ['TEMPORARY']],
    [{ typeContrat: 'TTI' }, ['TEMPORARY']],
    [{ typeContrat: 'LIB', natureContrat: 'Emploi non salarié' }, ['CONTRACTOR']],
    [{ typeContrat: 'FRA' }, ['CONTRACTOR']],
    [{ typeContrat: 'REP' }, ['CONTRACTOR']],
    [{ typeContrat: 'CCE' }, ['CONTRACTOR']],
    [{ typeContrat: 'CDD', natureContrat: 'Contrat apprentissage', dureeTravailLibelleConverti: 'Temps plein' }, ['FULL_TIME', 'TEMPORARY', 'INTERN']],
    [{ typeContrat: 'CDI', natureContrat: 'Cont. professionnalisation' }, ['INTERN']],
    [{ typeContrat: 'CDD', alternance: true }, ['TEMPORARY', 'INTERN']],
    [{ typeContrat: 'XYZ' }, ['OTHER']],
  ] as const)('maps %j to %j', (fields, expected) => {
    expect(employmentTypes({ ...BARE, ...fields })).toEqual(expected)
  })

  it('gives one value as a string, several as a list, none as no property', () => {
    expect(posting({ ...BARE, typeContrat: 'SAI' }).employmentType).toBe('TEMPORARY')
    expect(posting({ ...BARE, typeContrat: 'CDD', dureeTravailLibelleConverti: 'Temps plein' }).employmentType).toEqual(['FULL_TIME', 'TEMPORARY'])
    expect(posting(BARE)).not.toHaveProperty('employmentType')
  })
})

describe('the required properties', () => {
  it('maps the France Travail offer field by field', () => {
    const validThrough = new Date('2027-01-27T14:23:11.957Z')
    const document = posting(DATA_ENGINEER, validThrough)
    expect(document).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'JobPosting',
      title: 'Data engineer',
      identifier: { '@type': 'PropertyValue', name: 'Offres d’emploi v2', value: '184TRJB' },
      url: 'https://candidat.francetravail.fr/offres/recherche/detail/184TRJB',
      datePosted: '2024-11-28T14:23:11.470Z',
      validThrough: '2027-01-27T14:23:11.957Z',
      hiringOrganization: { '@type': 'Organization', name: 'ARTIALYS' },
      jobLocation: {
        '@type': 'Place',
        address: { '@type': 'PostalAddress', addressLocality: 'Paris 8e Arrondissement', postalCode: '75008', addressRegion: 'Île-de-France', addressCountry: 'FR' },
        geo: { '@type': 'GeoCoordinates', latitude: 48.873635, longitude: 2.3116 },
      },
      employmentType: 'FULL_TIME',
      baseSalary: { '@type': 'MonetaryAmount', currency: 'EUR', value: { '@type': 'QuantitativeValue', minValue: 40000, maxValue: 50000, unitText: 'MONTH' } },
      directApply: true,
      experienceRequirements: { '@type': 'OccupationalExperienceRequirements', monthsOfExperience: 48 },
      occupationalCategory: { '@type': 'CategoryCode', codeValue: 'M1811', name: 'Data engineer' },
      industry: 'Conseil en systèmes et logiciels informatiques',
      workHours: '35H, Travail en journée',
      jobBenefits: 'Chèque repas',
      totalJobOpenings: 1,
    })
    expect(document.description).toMatch(/^<p>Data Engineer \(H\/F\) !<\/p><p>/)
    // A wished education (exigence S) is not a requirement.
    expect(document).not.toHaveProperty('educationRequirements')
  })

  it('names no company when the offer names none: Google’s "confidential"', () => {
    const document = posting(PARTNER)
    expect(document.hiringOrganization).toBe(CONFIDENTIAL)
    expect(document.directApply).toBe(false)
    expect(document.experienceRequirements).toBe('no requirements')
    expect(document.description).toContain('En tant qu&#39;organisateur')
  })

  it('keeps the company’s site and logo only when they are absolute http(s) URLs', () => {
    const organization = (entreprise: Offre['entreprise']) => posting({ ...BARE, entreprise }).hiringOrganization
    expect(organization({ nom: 'SEAC', url: 'http://www.seac-gf.fr', logo: 'https://logo.example/seac.png', description: 'Béton.' })).toEqual({
      '@type': 'Organization',
      name: 'SEAC',
      sameAs: 'http://www.seac-gf.fr/',
      logo: 'https://logo.example/seac.png',
      description: 'Béton.',
    })
    expect(organization({ nom: 'SEAC', url: 'www.seac-gf.fr', logo: 'javascript:alert(1)' })).toEqual({ '@type': 'Organization', name: 'SEAC' })
    expect(organization({ nom: '  ', description: 'Cabinet de recrutement' })).toBe(CONFIDENTIAL)
  })

  it('places an offer without coordinates by its address only, and one placed nowhere known in France', () => {
    expect(posting({ ...BARE, lieuTravail: { libelle: '59 - Nord' } }).jobLocation).toEqual({
      '@type': 'Place',
      address: { '@type': 'PostalAddress', addressRegion: 'Hauts-de-France', addressCountry: 'FR' },
    })
    expect(posting({ ...BARE, lieuTravail: { libelle: 'France' } }).jobLocation).toEqual({
      '@type': 'Place',
      address: { '@type': 'PostalAddress', addressCountry: 'FR' },
    })
    expect(posting({ ...BARE, lieuTravail: { libelle: 'Belgique (Frontalier)' } }).jobLocation).toEqual({
      '@type': 'Place',
      address: { '@type': 'PostalAddress', addressCountry: 'Belgique' },
    })
    expect(posting(BARE).jobLocation).toEqual({ '@type': 'Place', address: { '@type': 'PostalAddress', addressCountry: 'FR' } })
  })

  it('writes a description from the offer’s labels when it has none', () => {
    const document = posting({ ...BARE, typeContratLibelle: 'CDI', lieuTravail: { libelle: '33 - BORDEAUX' } })
    expect(document.description).toBe('<p>Boulanger (H/F)<br>CDI<br>33 - BORDEAUX</p>')
  })

  it('has no validThrough when the expiry is unknown', () => {
    expect(posting(BARE)).not.toHaveProperty('validThrough')
  })
})

describe('requirements', () => {
  it('maps the required education levels to Google’s categories', () => {
    const document = posting({
      ...BARE,
      formations: [
        { niveauLibelle: 'Bac+5 et plus ou équivalents', domaineLibelle: 'statistique', exigence: 'E' },
        { niveauLibelle: 'Bac+2 ou équivalents', exigence: 'E' },
        { niveauLibelle: 'Bac ou équivalent', exigence: 'S' },
      ],
    })
    expect(document.educationRequirements).toEqual([
      { '@type': 'EducationalOccupationalCredential', credentialCategory: 'postgraduate degree', educationalLevel: 'Bac+5 et plus ou équivalents', name: 'Bac+5 et plus ou équivalents — statistique' },
      { '@type': 'EducationalOccupationalCredential', credentialCategory: 'associate degree', educationalLevel: 'Bac+2 ou équivalents', name: 'Bac+2 ou équivalents' },
    ])
    expect(posting({ ...BARE, formations: [{ niveauLibelle: 'Aucune formation scolaire', exigence: 'E' }] }).educationRequirements).toBe('no requirements')
    expect(posting({ ...BARE, formations: [{ niveauLibelle: 'CAP, BEP et équivalents', exigence: 'E' }] }).educationRequirements).toMatchObject({
      credentialCategory: 'professional certificate',
    })
  })

  it('reads the months of a required experience', () => {
    expect(experienceMonths('Expérience exigée de 3 An(s)')).toBe(36)
    expect(experienceMonths('6 Mois')).toBe(6)
    expect(experienceMonths('2 An(s) - sur même poste')).toBe(24)
    expect(experienceMonths('Expérience exigée')).toBeUndefined()
    expect(posting({ ...BARE, experienceExige: 'E', experienceLibelle: 'Expérience exigée' })).not.toHaveProperty('experienceRequirements')
    expect(posting({ ...BARE, experienceExige: 'S', experienceLibelle: '2 An(s)' })).not.toHaveProperty('experienceRequirements')
  })
})

describe('textToHtml', () => {
  it('escapes markup and keeps paragraphs and line breaks', () => {
    expect(textToHtml('Poste <b>urgent</b> & "bien payé"\n\nMissions :\n- accueil\n- caisse')).toBe(
      '<p>Poste &lt;b&gt;urgent&lt;/b&gt; &amp; &quot;bien payé&quot;</p><p>Missions :<br>- accueil<br>- caisse</p>',
    )
  })

  it('reads back the character references a description already holds', () => {
    expect(textToHtml('qu&#039;un &amp; l&#x27;autre &eacute; &#0;')).toBe('<p>qu&#39;un &amp; l&#39;autre &amp;eacute; &amp;#0;</p>')
  })

  it('never lets markup through, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const html = textToHtml(text)
        const markup = html.replace(/<\/?p>|<br>/g, '')
        expect(markup).not.toMatch(/[<>]/)
      }),
    )
  })
})

describe('every generated offer', () => {
  it('maps to a JobPosting the validator and the vocabulary accept', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1_000_000 }), async (seed) => {
        for (const offer of generateOffers(referentials, { count: 5, seed, now: new Date('2026-11-20T12:00:00Z') })) {
          const document = toJobPosting(offer, { referentials, validThrough: new Date('2027-01-19T12:00:00Z') })
          expect(await jsonLdFailures(document), offer.id).toEqual([])
          expect(JSON.parse(jobPostingJson(document))).toEqual(document)
        }
      }),
      { numRuns: 40 },
    )
  })

  it('writes JSON that an HTML script element can hold', () => {
    const text = jobPostingJson(toJobPosting({ ...BARE, intitule: '</script><script>alert(1)</script>' }, { referentials }))
    expect(text).not.toContain('<')
    expect((JSON.parse(text) as { title: string }).title).toBe('</script><script>alert(1)</script>')
  })
})
