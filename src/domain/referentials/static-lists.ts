/**
 * The small referentials of the original API that no open data file publishes.
 *
 * Where the public contract gives the full list (types and natures of contract, qualifications,
 * the grand domaines of the search parameter), it is reproduced exactly. Where it gives only
 * examples (niveaux de formation, permis, langues), the list is completed by this project from
 * the codes and labels seen in real offers and from the official French categories; each such
 * list says so above it. Labels are the original's, accents included.
 */

/** A `{code, libelle}` item, the shape of most referentials. */
export interface CodeLabel {
  readonly code: string
  readonly libelle: string
}

/** Contract types: the 12 codes real clients map (contract §3.2). DDT exists but the original cannot filter on it. */
export const TYPES_CONTRATS: readonly CodeLabel[] = [
  { code: 'CDI', libelle: 'Contrat à durée indéterminée' },
  { code: 'CDD', libelle: 'Contrat à durée déterminée' },
  { code: 'MIS', libelle: 'Mission intérimaire' },
  { code: 'SAI', libelle: 'Contrat travail saisonnier' },
  { code: 'CCE', libelle: 'Profession commerciale' },
  { code: 'FRA', libelle: 'Franchise' },
  { code: 'LIB', libelle: 'Profession libérale' },
  { code: 'REP', libelle: "Reprise d'entreprise" },
  { code: 'TTI', libelle: 'Contrat travail temporaire insertion' },
  { code: 'DDI', libelle: 'Contrat durée déterminée insertion' },
  { code: 'DIN', libelle: 'CDI Intérimaire' },
  { code: 'DDT', libelle: 'CDD Tremplin' },
]

/** Contract natures: the 20 items of the original's referential (contract §3.2). Offers carry the label. */
export const NATURES_CONTRATS: readonly CodeLabel[] = [
  { code: 'E1', libelle: 'Contrat travail' },
  { code: 'E2', libelle: 'Contrat apprentissage' },
  { code: 'FA', libelle: 'Act. Formation pré.recrut.' },
  { code: 'FJ', libelle: 'Contrat pacte' },
  { code: 'FS', libelle: 'Cont. professionnalisation' },
  { code: 'FT', libelle: 'CUI - CAE' },
  { code: 'FU', libelle: 'CUI - CIE' },
  { code: 'I1', libelle: "Insertion par l'activ.éco." },
  { code: 'NS', libelle: 'Emploi non salarié' },
  { code: 'FV', libelle: 'Prépa.opérationnel.emploi' },
  { code: 'FW', libelle: 'Emploi Avenir non marchand' },
  { code: 'FX', libelle: 'Emploi Avenir marchand' },
  { code: 'FY', libelle: 'Emploi Avenir Professeur' },
  { code: 'PS', libelle: 'Portage salarial' },
  { code: 'PR', libelle: 'Contrat PrAB' },
  { code: 'CC', libelle: "CDI de chantier ou d'opération" },
  { code: 'CU', libelle: "Contrat d'usage" },
  { code: 'EE', libelle: "Contrat d'Engagement Educatif" },
  { code: 'ER', libelle: 'Engagement à servir dans la réserve' },
  { code: 'CI', libelle: 'Contrat intermittent' },
]

/** Job qualification (`qualificationCode`), 1 to 9 (contract §5.4). */
export const QUALIFICATIONS: readonly CodeLabel[] = [
  { code: '1', libelle: 'Manœuvre' },
  { code: '2', libelle: 'Ouvrier spécialisé' },
  { code: '3', libelle: 'Ouvrier qualifié (P1,P2)' },
  { code: '4', libelle: 'Ouvrier qualifié (P3,P4,OHQ)' },
  { code: '5', libelle: 'Employé non qualifié' },
  { code: '6', libelle: 'Employé qualifié' },
  { code: '7', libelle: 'Technicien' },
  { code: '8', libelle: 'Agent de maîtrise' },
  { code: '9', libelle: 'Cadre' },
]

/**
 * Education levels. NV1–NV5 and their labels are the original's (seen in offers and in client
 * mappings); the levels below NV5 complete the list with the remaining official French levels.
 */
export const NIVEAUX_FORMATIONS: readonly CodeLabel[] = [
  { code: 'AFS', libelle: 'Aucune formation scolaire' },
  { code: 'CP4', libelle: 'Primaire à 4ème' },
  { code: 'CFG', libelle: '4ème achevée' },
  { code: 'C3A', libelle: 'BEPC ou 3ème achevée' },
  { code: 'C12', libelle: '2nd ou 1ère achevée' },
  { code: 'NV5', libelle: 'CAP, BEP et équivalents' },
  { code: 'NV4', libelle: 'Bac ou équivalent' },
  { code: 'NV3', libelle: 'Bac+2 ou équivalents' },
  { code: 'NV2', libelle: 'Bac+3, Bac+4 ou équivalents' },
  { code: 'NV1', libelle: 'Bac+5 et plus ou équivalents' },
]

/**
 * Driving licences. The code/label form "B - Véhicule léger" is the original's; the list is
 * completed with the categories of the French driving licence and the common professional ones.
 */
export const PERMIS: readonly CodeLabel[] = [
  { code: 'AM', libelle: 'AM - Cyclomoteur' },
  { code: 'A1', libelle: 'A1 - Motocyclette légère' },
  { code: 'A2', libelle: 'A2 - Motocyclette intermédiaire' },
  { code: 'A', libelle: 'A - Motocyclette' },
  { code: 'B', libelle: 'B - Véhicule léger' },
  { code: 'B96', libelle: 'B96 - Véhicule léger avec remorque' },
  { code: 'BE', libelle: 'BE - Véhicule léger avec remorque' },
  { code: 'C1', libelle: 'C1 - Véhicule de moins de 7,5 tonnes' },
  { code: 'C1E', libelle: 'C1E - Véhicule de moins de 7,5 tonnes avec remorque' },
  { code: 'C', libelle: 'C - Poids lourd' },
  { code: 'CE', libelle: 'CE - Poids lourd avec remorque' },
  { code: 'D1', libelle: 'D1 - Transport en commun de moins de 17 places' },
  { code: 'D1E', libelle: 'D1E - Transport en commun de moins de 17 places avec remorque' },
  { code: 'D', libelle: 'D - Transport en commun' },
  { code: 'DE', libelle: 'DE - Transport en commun avec remorque' },
  { code: 'CACES', libelle: 'CACES - Certificat d’aptitude à la conduite en sécurité' },
  { code: 'FIMO', libelle: 'FIMO - Formation initiale minimale obligatoire' },
  { code: 'FCO', libelle: 'FCO - Formation continue obligatoire' },
  { code: 'BATEAU', libelle: 'Permis bateau' },
]

/**
 * Languages. Labels as in offers ("Anglais", "Français", "Allemand"); the original's codes are
 * not public, so the ISO 639-1 code in upper case is used.
 */
export const LANGUES: readonly CodeLabel[] = [
  { code: 'AR', libelle: 'Arabe' },
  { code: 'DE', libelle: 'Allemand' },
  { code: 'EN', libelle: 'Anglais' },
  { code: 'BG', libelle: 'Bulgare' },
  { code: 'ZH', libelle: 'Chinois' },
  { code: 'KO', libelle: 'Coréen' },
  { code: 'HR', libelle: 'Croate' },
  { code: 'DA', libelle: 'Danois' },
  { code: 'ES', libelle: 'Espagnol' },
  { code: 'FI', libelle: 'Finnois' },
  { code: 'FR', libelle: 'Français' },
  { code: 'EL', libelle: 'Grec' },
  { code: 'HE', libelle: 'Hébreu' },
  { code: 'HI', libelle: 'Hindi' },
  { code: 'HU', libelle: 'Hongrois' },
  { code: 'IT', libelle: 'Italien' },
  { code: 'JA', libelle: 'Japonais' },
  { code: 'LS', libelle: 'Langue des signes française' },
  { code: 'NL', libelle: 'Néerlandais' },
  { code: 'NO', libelle: 'Norvégien' },
  { code: 'PL', libelle: 'Polonais' },
  { code: 'PT', libelle: 'Portugais' },
  { code: 'RO', libelle: 'Roumain' },
  { code: 'RU', libelle: 'Russe' },
  { code: 'SV', libelle: 'Suédois' },
  { code: 'CS', libelle: 'Tchèque' },
  { code: 'TR', libelle: 'Turc' },
  { code: 'UK', libelle: 'Ukrainien' },
  { code: 'VI', libelle: 'Vietnamien' },
]

/**
 * Values of the `grandDomaine` search parameter, in the order of the original's 400 message.
 * Eight of them are professional domains promoted to grand domaines (C15 Immobilier, L14 Sport,
 * M13–M18); the plain letter then covers the other domains of that letter only.
 */
export const GRANDS_DOMAINES: readonly CodeLabel[] = [
  { code: 'A', libelle: 'Agriculture / Pêche / Espaces verts et naturels / Soins aux animaux' },
  { code: 'B', libelle: 'Arts / Artisanat d’art' },
  { code: 'C', libelle: 'Banque / Assurance' },
  { code: 'C15', libelle: 'Immobilier' },
  { code: 'D', libelle: 'Commerce / Vente' },
  { code: 'E', libelle: 'Communication / Multimédia' },
  { code: 'F', libelle: 'Bâtiment / Travaux Publics' },
  { code: 'G', libelle: 'Hôtellerie - Restauration / Tourisme / Animation' },
  { code: 'H', libelle: 'Industrie' },
  { code: 'I', libelle: 'Installation / Maintenance' },
  { code: 'J', libelle: 'Santé' },
  { code: 'K', libelle: 'Services à la personne / à la collectivité' },
  { code: 'L', libelle: 'Spectacle' },
  { code: 'L14', libelle: 'Sport' },
  { code: 'M15', libelle: 'Ressources Humaines' },
  { code: 'M18', libelle: 'Informatique / Télécommunication' },
  { code: 'M', libelle: 'Achats / Comptabilité / Gestion' },
  { code: 'M16', libelle: 'Secrétariat / Assistanat' },
  { code: 'M17', libelle: 'Marketing / Stratégie commerciale' },
  { code: 'M13', libelle: "Direction d'entreprise" },
  { code: 'M14', libelle: 'Conseil / Etudes' },
  { code: 'N', libelle: 'Transport / Logistique' },
]

/** Travel frequency of an offer (`deplacementCode`), labels as seen in offers. */
export const DEPLACEMENTS: readonly CodeLabel[] = [
  { code: '1', libelle: 'Jamais' },
  { code: '2', libelle: 'Ponctuels' },
  { code: '3', libelle: 'Fréquents' },
  { code: '4', libelle: 'Quotidiens' },
]
