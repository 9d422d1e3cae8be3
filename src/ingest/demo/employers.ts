/** Employers' names and descriptions, and the contact and agency blocks of France Travail offers. */
import type { Offre } from '../../domain/offers/offer.schema.js'
import { capitalize, digits, type Mutable, ofCity } from './format.js'
import { type Job, type Place } from './model.js'
import { cityLabel } from './places.js'
import { mix32, type Random } from './random.js'

type Contact = NonNullable<Offre['contact']>
type Agence = NonNullable<Offre['agence']>

interface NameParts {
  readonly surname: string
  readonly acronym: string
  readonly city: string
  /** "DE LYON", "D'ANNECY", "DU HAVRE". */
  readonly ofCity: string
  readonly noun: string
  readonly plural: string
}

type Namer = (parts: NameParts) => string

/** What employers of a NAF section do and are called; `upTo` is the last division of the section. */
interface Section {
  readonly upTo: number
  /** For descriptions: "une entreprise du bâtiment". */
  readonly activities: readonly string[]
  readonly employers: readonly Namer[]
  /** Public bodies, hospitals and associations carry no legal form ("SAS") after their name. */
  readonly noLegalForm?: boolean
}

/**
 * Employers by NAF section. The offer's NAF code drives both the employer's name and the text
 * about it, so that they agree with each other and with `secteurActiviteLibelle`.
 */
const SECTIONS: readonly Section[] = [
  { upTo: 3,
    activities: ['une exploitation agricole', 'une entreprise agricole familiale', 'une exploitation forestière'],
    employers: [(p) => `EARL ${p.surname}`, (p) => `GAEC ${p.ofCity}`, (p) => `SCEA ${p.surname}`,
      (p) => `VIGNOBLES ${p.surname}`, (p) => `${p.acronym} PAYSAGE`] },
  { upTo: 9, activities: ["une entreprise d'extraction de matériaux", 'un exploitant de carrières'],
    employers: [(p) => `CARRIERES ${p.ofCity}`, (p) => `${p.acronym} GRANULATS`] },
  { upTo: 33, activities: ['une entreprise industrielle', 'un site de production', 'une PME industrielle',
    'un fabricant reconnu'],
  employers: [(p) => `${p.acronym} INDUSTRIE`, (p) => `${p.surname} MECANIQUE`, (p) => `${p.acronym} PLASTURGIE`,
    (p) => `FONDERIE ${p.ofCity}`, (p) => `${p.surname} METALLERIE`, (p) => `${p.acronym} AGROALIMENTAIRE`] },
  { upTo: 35, activities: ["un fournisseur d'énergie", 'un producteur d’électricité'],
    employers: [(p) => `${p.acronym} ENERGIES`, (p) => `REGIE ELECTRIQUE ${p.ofCity}`] },
  { upTo: 39, activities: ["une entreprise de gestion de l'eau et des déchets", 'un acteur du recyclage'],
    employers: [(p) => `${p.acronym} ENVIRONNEMENT`, (p) => `${p.acronym} RECYCLAGE`,
      (p) => `SYNDICAT DES EAUX ${p.ofCity}`] },
  { upTo: 43, activities: ['une entreprise du bâtiment', 'une entreprise de travaux publics',
    'une entreprise de rénovation'],
  employers: [(p) => `${p.surname} BATIMENT`, (p) => `ENTREPRISE ${p.surname}`, (p) => `${p.surname} ET FILS`,
    (p) => `${p.acronym} CONSTRUCTION`, (p) => `${p.surname} TRAVAUX PUBLICS`, (p) => `${p.acronym} RENOVATION`] },
  { upTo: 47, activities: ['une enseigne de distribution', 'un commerce de proximité', 'une entreprise de négoce',
    'un magasin spécialisé'],
  employers: [(p) => `${p.surname} DISTRIBUTION`, (p) => `SUPERMARCHE ${p.ofCity}`, (p) => `BOULANGERIE ${p.surname}`,
    (p) => `${p.acronym} MARKET`, (p) => `MAISON ${p.surname}`, (p) => `GARAGE ${p.surname}`] },
  { upTo: 53, activities: ['une entreprise de transport', 'un prestataire logistique', 'une société de messagerie'],
    employers: [(p) => `TRANSPORTS ${p.surname}`, (p) => `${p.acronym} LOGISTIQUE`, (p) => `${p.surname} EXPRESS`,
      (p) => `AMBULANCES ${p.surname}`] },
  { upTo: 56, activities: ['un restaurant traditionnel', 'un hôtel de caractère', 'un établissement de restauration'],
    employers: [(p) => `HOTEL DU ${p.noun}`, (p) => `RESTAURANT LE ${p.noun}`, (p) => `BRASSERIE ${p.surname}`,
      (p) => `CAMPING LES ${p.plural}`, (p) => `${p.acronym} RESTAURATION`] },
  { upTo: 63, activities: ['une entreprise de services numériques', 'un éditeur de logiciels',
    'une agence de communication'],
  employers: [(p) => `${p.acronym} DIGITAL`, (p) => `${p.acronym} TECHNOLOGIES`, (p) => `${p.acronym} SOLUTIONS`,
    (p) => `${p.acronym} MEDIA`] },
  { upTo: 66, activities: ['un établissement bancaire', "un cabinet d'assurances", 'un cabinet de courtage'],
    employers: [(p) => `CABINET ${p.surname} ASSURANCES`, (p) => `${p.acronym} COURTAGE`,
      (p) => `${p.acronym} FINANCE`] },
  { upTo: 68, activities: ['une agence immobilière', 'un administrateur de biens'],
    employers: [(p) => `AGENCE IMMOBILIERE ${p.surname}`, (p) => `${p.surname} IMMOBILIER`] },
  { upTo: 75, activities: ["un cabinet d'expertise comptable", "un bureau d'études", 'un cabinet de conseil'],
    employers: [(p) => `CABINET ${p.surname}`, (p) => `${p.surname} EXPERTISE COMPTABLE`, (p) => `${p.acronym} CONSEIL`,
      (p) => `${p.acronym} INGENIERIE`] },
  { upTo: 82, activities: ['une entreprise de services aux entreprises', 'une entreprise de propreté',
    'un prestataire de services'],
  employers: [(p) => `${p.acronym} SERVICES`, (p) => `${p.acronym} PROPRETE`, (p) => `${p.surname} NETTOYAGE`,
    (p) => `${p.acronym} SECURITE`] },
  { upTo: 84, activities: ['une collectivité territoriale', 'une administration publique'], noLegalForm: true,
    employers: [(p) => `COMMUNE ${p.ofCity}`, (p) => `MAIRIE ${p.ofCity}`] },
  { upTo: 85, activities: ["un établissement d'enseignement", 'un organisme de formation'],
    employers: [(p) => `${p.acronym} FORMATION`, (p) => `ECOLE ${p.surname}`] },
  { upTo: 86, activities: ['un établissement de santé', 'une clinique privée', 'un centre de soins'], noLegalForm: true,
    employers: [(p) => `CLINIQUE ${p.ofCity}`, (p) => `CENTRE HOSPITALIER ${p.ofCity}`,
      (p) => `CABINET MEDICAL ${p.surname}`, (p) => `LABORATOIRE ${p.acronym}`, (p) => `CENTRE DE SANTE ${p.ofCity}`] },
  { upTo: 88, activities: ['une structure médico-sociale', 'une association du secteur social',
    "un service d'aide à domicile"], noLegalForm: true,
  employers: [(p) => `EHPAD LES ${p.plural}`, (p) => `ASSOCIATION ${p.acronym}`, (p) => `AIDE A DOMICILE ${p.ofCity}`,
    (p) => `FOYER LES ${p.plural}`] },
  { upTo: 93, activities: ['une structure culturelle', 'un club sportif', 'un acteur des loisirs'],
    employers: [(p) => `${p.acronym} PRODUCTION`, (p) => `THEATRE ${p.ofCity}`, (p) => `CLUB SPORTIF ${p.ofCity}`] },
  { upTo: 96, activities: ['une entreprise de services aux particuliers', 'un salon de coiffure', 'une association'],
    employers: [(p) => `ASSOCIATION ${p.acronym}`, (p) => `SALON ${p.surname}`, (p) => `${p.acronym} SERVICES`] },
  { upTo: 98, activities: ['un particulier employeur'], employers: [(p) => `FAMILLE ${p.surname}`], noLegalForm: true },
  { upTo: 99, activities: ['une organisation internationale'], employers: [(p) => `${p.acronym} INTERNATIONAL`] },
]

const OTHER_SECTION: Section = { upTo: 99, activities: ['une entreprise'], employers: [(p) => p.acronym] }

export function sectionOf(nafCode: string): Section {
  const division = Number(nafCode.slice(0, 2))
  return SECTIONS.find((section) => division <= section.upTo) ?? OTHER_SECTION
}

const TEMP_AGENCIES: readonly Namer[] = [
  (p) => `${p.acronym} INTERIM`,
  (p) => `${p.surname} EMPLOI`,
  (p) => `${p.acronym} TRAVAIL TEMPORAIRE`,
  (p) => `INTERIM ${p.ofCity}`,
]

const SURNAMES = ['MARTIN', 'BERNARD', 'DUBOIS', 'THOMAS', 'ROBERT', 'RICHARD', 'PETIT', 'DURAND', 'LEROY', 'MOREAU',
  'SIMON', 'LAURENT', 'LEFEBVRE', 'MICHEL', 'GARCIA', 'DAVID', 'BERTRAND', 'ROUX', 'VINCENT', 'FOURNIER', 'MOREL',
  'GIRARD', 'ANDRE', 'MERCIER', 'DUPONT', 'LAMBERT', 'BONNET', 'FRANCOIS', 'MARTINEZ', 'LEGRAND', 'GARNIER', 'FAURE',
  'ROUSSEAU', 'BLANC', 'GUERIN', 'MULLER', 'HENRY', 'ROUSSEL', 'NICOLAS', 'PERRIN', 'MORIN', 'MATHIEU', 'CLEMENT',
  'GAUTHIER', 'DUMONT', 'LOPEZ', 'FONTAINE', 'CHEVALIER', 'ROBIN', 'MASSON', 'SANCHEZ', 'GERARD', 'NGUYEN', 'BOYER',
  'DENIS', 'LEMAIRE', 'DUVAL', 'JOLY', 'GAILLARD', 'BRUN', 'ROCHE', 'COLIN', 'RENARD', 'PICARD', 'AUBERT', 'LUCAS']

const FIRST_NAMES_M = ['Jean', 'Pierre', 'Nicolas', 'Thomas', 'Julien', 'Sébastien', 'Laurent', 'Olivier', 'Mathieu',
  'Christophe', 'David', 'Stéphane', 'Antoine', 'Romain', 'Kevin', 'Maxime', 'Hugo', 'Karim', 'Yannick', 'Frédéric']
const FIRST_NAMES_F = ['Marie', 'Nathalie', 'Isabelle', 'Sophie', 'Céline', 'Julie', 'Aurélie', 'Camille', 'Sandrine',
  'Émilie', 'Laura', 'Claire', 'Sarah', 'Caroline', 'Audrey', 'Karine', 'Noémie', 'Laetitia', 'Manon', 'Fatima']

const SYLLABLES = ['SO', 'GE', 'TRA', 'BA', 'ME', 'CA', 'LO', 'VI', 'NO', 'PRO', 'TE', 'RA', 'DI', 'MA', 'BE', 'CO',
  'TER', 'VAL', 'NOR', 'AL', 'AR', 'TI', 'DE', 'LI', 'SA', 'MO', 'RI', 'XA']
const ENDINGS = ['', 'IS', 'EX', 'IA', 'ON', 'YS', 'EO', 'AL', 'IM', 'EA', 'LYS', 'TEC']
const NOUNS = ['LAC', 'PORT', 'MOULIN', 'CHATEAU', 'PARC', 'MARCHE', 'CENTRE', 'GOLF', 'VIEUX PONT', 'COMMERCE',
  'MIDI']
const PLURALS = ['TILLEULS', 'GLYCINES', 'PINS', 'CHENES', 'COQUELICOTS', 'LILAS', 'MIMOSAS', 'PLATANES', 'CEDRES',
  'ORMEAUX', 'SAULES', 'VIGNES']
/** Legal forms appended to a name, one slot per percent: most names go without. */
const LEGAL_FORMS: readonly string[] = [...Array<string>(62).fill(''), ...Array<string>(13).fill(' SAS'),
  ...Array<string>(13).fill(' SARL'), ...Array<string>(4).fill(' SA'), ...Array<string>(3).fill(' EURL'),
  ...Array<string>(4).fill(' SASU'), ' SCOP']

const APPLY_HOSTS = ['taleez.com/apply', 'jobs.smartrecruiters.com', 'careers.werecruit.io/fr', 'apply.workable.com']
const STREETS = ['RUE DE LA REPUBLIQUE', 'AVENUE JEAN JAURES', 'RUE VICTOR HUGO', 'ZA DES PORTES',
  'RUE DU GENERAL DE GAULLE', 'BOULEVARD PASTEUR', 'ZI DU MOULIN', 'RUE DES ECOLES', 'ROUTE DE PARIS',
  'PLACE DE LA MAIRIE']

const APPLY_SENTENCE = 'Pour postuler, utiliser le lien suivant : '

function namePartsOf(key: number, place: Place): NameParts {
  const h1 = mix32(key)
  const h2 = mix32(h1 ^ 0x5bd1e995)
  const syllables = 2 + (h2 % 2)
  let acronym = ''
  for (let i = 0; i < syllables; i++) acronym += SYLLABLES[mix32(h2 + i) % SYLLABLES.length] ?? ''
  acronym += ENDINGS[mix32(h2 ^ 0x27d4eb2f) % ENDINGS.length] ?? ''
  const city = cityLabel(place)
  return {
    surname: SURNAMES[h1 % SURNAMES.length] ?? 'MARTIN',
    acronym,
    city,
    ofCity: ofCity(city),
    noun: NOUNS[(h1 >>> 8) % NOUNS.length] ?? 'LAC',
    plural: PLURALS[(h1 >>> 12) % PLURALS.length] ?? 'TILLEULS',
  }
}

/**
 * A company name, derived from (place, sector, slot) rather than drawn freely: the same employers
 * come back in a town, as in real data where a company posts several offers.
 */
export function companyName(random: Random, place: Place, section: Section, tempAgency: boolean): string {
  const slot = random.int(0, 5)
  const salt = Math.imul(section.upTo + 1, 0x9e3779b1) ^ Math.imul(slot + (tempAgency ? 97 : 0), 0x85ebca6b)
  const mixed = mix32(place.key ^ salt)
  const parts = namePartsOf(mixed, place)
  const forms = tempAgency ? TEMP_AGENCIES : section.employers
  const form = forms[mixed % forms.length] ?? forms[0]
  const base = form ? form(parts) : parts.acronym
  const withoutForm = section.noLegalForm === true && !tempAgency
  const legal = withoutForm ? '' : (LEGAL_FORMS[mix32(mixed ^ 0x68e31da4) % LEGAL_FORMS.length] ?? '')
  return `${base}${legal}`
}

const STAFF_SIZES = ['une dizaine de', 'une vingtaine de', 'une cinquantaine de', 'plus de 100', 'près de 300',
  'plus de 1 000']

export function companyDescription(
  random: Random,
  nom: string | undefined,
  activity: string,
  place: Place,
  tempAgency: boolean,
): string {
  const year = random.int(1950, 2021)
  const staff = random.pick(STAFF_SIZES)
  const who = nom ?? random.pick(['Notre entreprise', 'Notre client', 'Notre société'])
  if (tempAgency) {
    return `${who} est une agence d'emploi implantée à ${place.city} depuis ${year}. Nous accompagnons les ` +
      'entreprises de la région dans leurs recrutements en intérim, CDD et CDI.'
  }
  switch (random.int(0, 2)) {
    case 0:
      return `${who}, ${activity} implanté(e) à ${place.city} depuis ${year}, compte aujourd'hui ${staff} ` +
        'collaborateurs.'
    case 1:
      return `Depuis ${year}, ${who} est ${activity} reconnu(e) dans son secteur. Avec ${staff} salariés, nous ` +
        "cultivons un esprit d'équipe et de proximité."
    default:
      return `${capitalize(activity)} à taille humaine : ${who} réunit ${staff} salariés autour du respect, de ` +
        'l’engagement et du travail bien fait.'
  }
}

export function contactOf(
  random: Random,
  nom: string | undefined,
  detailUrl: string,
  job: Job,
  place: Place,
): Mutable<Contact> {
  const applyText = `${APPLY_SENTENCE}${detailUrl}`
  const person = () => {
    const female = random.chance(0.55)
    return `${female ? 'Mme' : 'M.'} ${random.pick(female ? FIRST_NAMES_F : FIRST_NAMES_M)} ${random.pick(SURNAMES)}`
  }
  const named = () => (nom ? `${nom} - ${person()}` : person())
  // The shapes and shares of the real France Travail offers' contact blocks (test/fixtures/offres).
  const roll = random.next()
  if (roll < 0.45) return { nom: named(), coordonnees1: applyText, courriel: applyText }
  if (roll < 0.65) return {}
  if (roll < 0.89) {
    const url = `https://${random.pick(APPLY_HOSTS)}/${job.slug}-${digits(random, 6)}`
    return roll < 0.83 ? { coordonnees1: url, urlPostulation: url } : { nom: named(), coordonnees1: url, urlPostulation: url }
  }
  return {
    nom: named(),
    coordonnees1: `${random.int(1, 120)} ${random.pick(STREETS)}`,
    coordonnees2: `${place.commune.codePostal} ${cityLabel(place)}`,
    coordonnees3: applyText,
  }
}

/** Most agencies leave their block empty; some give the application link or a phone number. */
export function agenceOf(random: Random, detailUrl: string): Mutable<Agence> {
  const roll = random.next()
  if (roll < 0.08) return { courriel: `${APPLY_SENTENCE}${detailUrl}` }
  if (roll < 0.1) {
    const pairs = `${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)} ${random.int(10, 99)}`
    return { telephone: `0${random.int(1, 5)} ${pairs}` }
  }
  return {}
}
