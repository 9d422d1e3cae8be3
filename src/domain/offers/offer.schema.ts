import { Type, type Static, type TSchema } from 'typebox'

/**
 * The job offer exactly as the original Offres d'emploi v2 API serves it (contract §5.4), field
 * for field and in the original's key order. Absent fields are omitted, never null. Unknown
 * fields are refused so that a typo in a feed is reported instead of silently dropped.
 */

const strict = { additionalProperties: false } as const

const text = (description: string, options: Record<string, unknown> = {}) =>
  Type.String({ description, maxLength: 100_000, ...options })

const exigence = (what: string) =>
  Type.Union([Type.Literal('E'), Type.Literal('S')], {
    description: `E : ${what} est exigé(e), S : ${what} est souhaité(e).`,
  })

const optional = <T extends TSchema>(schema: T) => Type.Optional(schema)

export const LieuTravailSchema = Type.Object(
  {
    libelle: optional(text('Libellé du lieu de travail ("74 - ANNECY", "94", "France").', { examples: ['74 - ANNECY'] })),
    latitude: optional(Type.Number({ minimum: -90, maximum: 90, description: 'Latitude du lieu de travail.' })),
    longitude: optional(Type.Number({ minimum: -180, maximum: 180, description: 'Longitude du lieu de travail.' })),
    codePostal: optional(text('Code postal du lieu de travail.', { examples: ['74000'] })),
    commune: optional(text('Code INSEE de la commune du lieu de travail.', { examples: ['74010'] })),
  },
  { ...strict, $id: 'LieuTravail', description: 'Lieu de travail.' },
)

export const EntrepriseSchema = Type.Object(
  {
    nom: optional(text('Nom de l’entreprise.')),
    description: optional(text('Description de l’entreprise.')),
    logo: optional(text('URL du logo de l’entreprise.')),
    url: optional(text('URL du site de l’entreprise.')),
    entrepriseAdaptee: optional(Type.Boolean({ description: 'Entreprise adaptée.' })),
    siret: optional(text('SIRET de l’établissement (présent sur certaines offres, hors contrat OpenAPI).')),
  },
  { ...strict, $id: 'Entreprise', description: 'Entreprise.' },
)

export const FormationSchema = Type.Object(
  {
    codeFormation: optional(text('Code du domaine de formation souhaité.')),
    domaineLibelle: optional(text('Domaine de formation souhaité.')),
    niveauLibelle: optional(text('Niveau de formation souhaité ("Bac+2 ou équivalents").')),
    commentaire: optional(text('Commentaire sur la formation.')),
    exigence: optional(exigence('la formation')),
  },
  { ...strict, $id: 'Formation', description: 'Formation.' },
)

export const LangueSchema = Type.Object(
  { libelle: text('Langue souhaitée ("Anglais").'), exigence: optional(exigence('la langue')) },
  { ...strict, $id: 'Langue', description: 'Langue.' },
)

export const PermisSchema = Type.Object(
  { libelle: text('Permis souhaité ("B - Véhicule léger").'), exigence: optional(exigence('le permis')) },
  { ...strict, $id: 'Permis', description: 'Permis.' },
)

export const CompetenceSchema = Type.Object(
  {
    code: optional(text('Code de la compétence (ROME).')),
    libelle: text('Libellé de la compétence.'),
    exigence: optional(exigence('la compétence')),
  },
  { ...strict, $id: 'Competence', description: 'Compétence.' },
)

export const ComplementSalaireSchema = Type.Object(
  { code: optional(text('Code du complément de salaire.')), libelle: optional(text('Libellé du complément.')) },
  { ...strict, $id: 'ComplementSalaire', description: 'Complément de salaire.' },
)

export const SalaireSchema = Type.Object(
  {
    libelle: optional(
      text('Libellé du salaire ("Mensuel de 1923.00 Euros sur 12 mois").', {
        examples: ['Annuel de 38000.0 Euros à 45000.0 Euros sur 12.0 mois'],
      }),
    ),
    commentaire: optional(text('Commentaire sur le salaire.')),
    complement1: optional(text('Complément 1 de rémunération.')),
    complement2: optional(text('Complément 2 de rémunération.')),
    listeComplements: optional(Type.Array(ComplementSalaireSchema, { maxItems: 20, description: 'Compléments (5 max).' })),
  },
  { ...strict, $id: 'Salaire', description: 'Salaire.' },
)

export const ContactSchema = Type.Object(
  {
    nom: optional(text('Nom du recruteur.')),
    coordonnees1: optional(text('Adresse du recruteur.')),
    coordonnees2: optional(text('Adresse du recruteur.')),
    coordonnees3: optional(text('Adresse du recruteur.')),
    telephone: optional(text('Téléphone du recruteur.')),
    courriel: optional(text('Lien vers l’offre pour connaître les modalités de candidature.')),
    commentaire: optional(text('Précision sur le contact.')),
    urlRecruteur: optional(text('URL du recruteur.')),
    urlPostulation: optional(text('URL du formulaire de candidature.')),
  },
  { ...strict, $id: 'Contact', description: 'Contact.' },
)

export const AgenceSchema = Type.Object(
  {
    telephone: optional(text('Téléphone de l’agence.')),
    courriel: optional(text('Lien vers l’offre pour connaître les modalités de candidature.')),
  },
  { ...strict, $id: 'Agence', description: 'Agence France Travail.' },
)

export const QualiteProSchema = Type.Object(
  { libelle: optional(text('Qualité professionnelle.')), description: optional(text('Sa description.')) },
  { ...strict, $id: 'QualitePro', description: 'Qualité professionnelle.' },
)

export const PartenaireOffreSchema = Type.Object(
  {
    nom: optional(text('Code du partenaire ("METEOJOB").')),
    url: optional(text('URL de l’offre chez le partenaire.')),
    logo: optional(text('URL du logo du partenaire.')),
  },
  { ...strict, $id: 'PartenaireOffre', description: 'Partenaire diffusant l’offre.' },
)

export const OrigineOffreSchema = Type.Object(
  {
    origine: Type.Union([Type.Literal('1'), Type.Literal('2')], {
      description: 'Origine de l’offre : 1 France Travail, 2 partenaire.',
    }),
    urlOrigine: optional(text('URL de l’offre.')),
    partenaires: optional(Type.Array(PartenaireOffreSchema, { maxItems: 50 })),
  },
  { ...strict, $id: 'OrigineOffre', description: 'Origine de l’offre.' },
)

export const ContexteTravailSchema = Type.Object(
  {
    horaires: optional(Type.Array(text('Horaire.'), { maxItems: 50 })),
    conditionsExercice: optional(Type.Array(text('Condition d’exercice.'), { maxItems: 50 })),
  },
  { ...strict, $id: 'ContexteTravail', description: 'Contexte de travail (horaires et conditions d’exercice).' },
)

const list = <T extends TSchema>(items: T, description: string) =>
  optional(Type.Array(items, { maxItems: 200, description }))

/** Identifier: seven capitals or digits (`184TRJB` for France Travail, `8367862` for partners). */
export const OFFER_ID_PATTERN = '^[0-9A-Z]{7}$'

export const OffreSchema = Type.Object(
  {
    id: Type.String({ pattern: OFFER_ID_PATTERN, description: 'Identifiant de l’offre.', examples: ['048KLTP'] }),
    intitule: text('Intitulé de l’offre.', { minLength: 1 }),
    description: optional(text('Description de l’offre (texte, sauts de ligne \\n).')),
    dateCreation: Type.String({ format: 'date-time', description: 'Date de création (UTC).' }),
    dateActualisation: optional(Type.String({ format: 'date-time', description: 'Date de dernière actualisation (UTC).' })),
    lieuTravail: LieuTravailSchema,
    romeCode: optional(text('Code ROME.', { examples: ['D1102'] })),
    romeLibelle: optional(text('Libellé du code ROME.')),
    appellationlibelle: optional(text('Libellé de l’appellation ROME.')),
    entreprise: optional(EntrepriseSchema),
    typeContrat: text('Code du type de contrat (référentiel typesContrats).', { examples: ['CDD'] }),
    typeContratLibelle: optional(text('Libellé du type de contrat ("CDD - 6 Mois").')),
    natureContrat: optional(text('Libellé de la nature du contrat ("Contrat travail").')),
    experienceExige: optional(
      Type.Union([Type.Literal('D'), Type.Literal('S'), Type.Literal('E')], {
        description: 'D débutant accepté, S expérience souhaitée, E expérience exigée.',
      }),
    ),
    experienceLibelle: optional(text('Libellé de l’expérience ("2 An(s)").')),
    experienceCommentaire: optional(text('Commentaire sur l’expérience.')),
    formations: list(FormationSchema, 'Formations.'),
    langues: list(LangueSchema, 'Langues.'),
    permis: list(PermisSchema, 'Permis.'),
    outilsBureautiques: list(text('Outil bureautique.'), 'Outils bureautiques utilisés.'),
    competences: list(CompetenceSchema, 'Compétences.'),
    salaire: optional(SalaireSchema),
    dureeTravailLibelle: optional(text('Durée de travail ("35H Travail en journée").')),
    dureeTravailLibelleConverti: optional(text('"Temps plein" ou "Temps partiel".')),
    complementExercice: optional(text('Complément d’exercice.')),
    conditionExercice: optional(text('Conditions d’exercice.')),
    alternance: optional(Type.Boolean({ description: 'Offre en alternance.' })),
    contact: optional(ContactSchema),
    agence: optional(AgenceSchema),
    nombrePostes: optional(Type.Integer({ minimum: 0, maximum: 100_000, description: 'Nombre de postes.' })),
    accessibleTH: optional(Type.Boolean({ description: 'Accessible aux travailleurs handicapés.' })),
    deplacementCode: optional(text('Code de la fréquence des déplacements (1 à 4).')),
    deplacementLibelle: optional(text('Déplacements demandés.')),
    qualificationCode: optional(text('Qualification du poste (1 manœuvre … 9 cadre).')),
    qualificationLibelle: optional(text('Libellé de la qualification.')),
    codeNAF: optional(text('Code NAF (APE), format 99.99X.', { examples: ['86.10Z'] })),
    secteurActivite: optional(text('Division NAF (deux premiers chiffres du code NAF).')),
    secteurActiviteLibelle: optional(text('Libellé du secteur d’activité.')),
    qualitesProfessionnelles: list(QualiteProSchema, 'Qualités professionnelles.'),
    trancheEffectifEtab: optional(text('Tranche d’effectif de l’établissement.')),
    origineOffre: OrigineOffreSchema,
    offresManqueCandidats: optional(Type.Boolean({ description: 'Offre difficile à pourvoir.' })),
    contexteTravail: optional(ContexteTravailSchema),
    entrepriseAdaptee: optional(Type.Boolean({ description: 'Entreprise adaptée.' })),
    employeurHandiEngage: optional(Type.Boolean({ description: 'Employeur handi-engagé.' })),
  },
  { ...strict, $id: 'Offre', description: 'Offre d’emploi.' },
)

export type Offre = Static<typeof OffreSchema>
