import { Type } from 'typebox'

/** Wire shapes of the Offres API that are not offers (contract §3, §5.2, §5.3, §7). */

export const ErreurSchema = Type.Object(
  {
    message: Type.String({ description: 'Message en français, à afficher ou à comparer tel quel.' }),
    codeHttp: Type.Integer({ description: 'Statut HTTP.' }),
    codeErreur: Type.String({ description: 'Identifiant de l’erreur (horodatage en millisecondes).' }),
  },
  { $id: 'Erreur', description: 'Erreur de l’API.' },
)

export const AgregationSchema = Type.Object(
  {
    valeurPossible: Type.String({ description: 'Valeur possible du filtre.', examples: ['E1'] }),
    nbResultats: Type.Integer({ description: 'Nombre d’offres de la recherche ayant cette valeur.' }),
  },
  { $id: 'Agregation' },
)

export const FiltrePossibleSchema = Type.Object(
  {
    filtre: Type.String({ description: 'typeContrat, experience, qualification ou natureContrat.' }),
    agregation: Type.Array(Type.Ref('Agregation')),
  },
  { $id: 'FiltrePossible', description: 'Comptes par valeur sur l’ensemble des offres trouvées.' },
)

export const ResultatRechercheSchema = Type.Object(
  {
    resultats: Type.Array(Type.Ref('Offre'), { description: 'Offres de la plage demandée.' }),
    filtresPossibles: Type.Array(Type.Ref('FiltrePossible')),
  },
  { $id: 'ResultatRecherche' },
)

export const ReferentielSchema = Type.Object(
  { code: Type.String(), libelle: Type.String() },
  { $id: 'Referentiel', description: 'Élément d’un référentiel.' },
)

export const RegionSchema = Type.Object(
  { code: Type.String({ examples: ['84'] }), libelle: Type.String({ examples: ['Auvergne-Rhône-Alpes'] }) },
  { $id: 'Region' },
)

export const DepartementSchema = Type.Object(
  { code: Type.String({ examples: ['01'] }), libelle: Type.String({ examples: ['Ain'] }), region: Type.Ref('Region') },
  { $id: 'Departement' },
)

export const CommuneSchema = Type.Object(
  {
    code: Type.String({ description: 'Code INSEE.', examples: ['21704'] }),
    libelle: Type.String({ examples: ['VILLIERS LE DUC'] }),
    codePostal: Type.String({ examples: ['21400'] }),
    codeDepartement: Type.String({ examples: ['21'] }),
  },
  { $id: 'Commune' },
)

const node = (type: string, description: string) => Type.Object({ '@type': Type.Literal(type) }, { description, additionalProperties: true })

/**
 * The detail as a schema.org JobPosting in JSON-LD (`Accept: application/ld+json`): Google for
 * Jobs' required properties always, its recommended ones when the offer holds the data. Inline in
 * the operation (not a component): it is a view of `Offre`, documented where it is served.
 */
export const JobPostingSchema = Type.Object(
  {
    '@context': Type.Literal('https://schema.org'),
    '@type': Type.Literal('JobPosting'),
    title: Type.String({ description: '`intitule`.' }),
    description: Type.String({ description: '`description` en HTML (texte échappé, paragraphes `<p>`, sauts de ligne `<br>`) ; sans description, les libellés de l’offre.' }),
    identifier: node('PropertyValue', 'Identifiant de l’offre (`value`).'),
    url: Type.Optional(Type.String({ description: '`origineOffre.urlOrigine`.' })),
    datePosted: Type.String({ description: '`dateCreation`.' }),
    validThrough: Type.Optional(Type.String({ description: 'Date à laquelle l’offre expire si sa source ne la renvoie pas (OFFER_TTL_DAYS après sa dernière écriture).' })),
    hiringOrganization: Type.Union([node('Organization', 'L’entreprise (`entreprise.nom`, `url`, `logo`, `description`).'), Type.Literal('confidential')], {
      description: '`confidential` quand l’offre ne nomme pas l’entreprise (valeur de Google).',
    }),
    jobLocation: node('Place', 'Adresse (commune, code postal, région, pays) et coordonnées propres de l’offre.'),
    employmentType: Type.Optional(
      Type.Union([Type.String(), Type.Array(Type.String())], {
        description: 'FULL_TIME / PART_TIME (durée), TEMPORARY (CDD, MIS, SAI…), CONTRACTOR (LIB, FRA, REP, CCE), INTERN (alternance).',
      }),
    ),
    baseSalary: Type.Optional(node('MonetaryAmount', 'Salaire du libellé (`salaire.libelle`), en EUR, par HOUR, MONTH ou YEAR.')),
    directApply: Type.Boolean({ description: 'true quand le contact de l’offre renvoie à `urlOrigine` pour postuler.' }),
    educationRequirements: Type.Optional(Type.Unknown({ description: 'Formations exigées (EducationalOccupationalCredential).' })),
    experienceRequirements: Type.Optional(Type.Unknown({ description: 'Expérience exigée en mois, ou `no requirements` (débutant accepté).' })),
  },
  { description: 'L’offre en JobPosting schema.org (JSON-LD).', additionalProperties: true },
)
