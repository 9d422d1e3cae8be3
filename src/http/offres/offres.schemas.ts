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
