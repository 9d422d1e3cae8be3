/**
 * A mix of realistic searches, in the shapes real clients send (contract §11): keywords, a place
 * and a radius, lists of ROME codes, contract filters, the default page with facets, and mixes.
 * Every code here exists in the shipped referentials (checked by the benchmark before it runs).
 */
export const QUERY_MIX: readonly { readonly kind: string; readonly query: string }[] = [
  // keywords
  { kind: 'keywords', query: 'motsCles=vendeur' },
  { kind: 'keywords', query: 'motsCles=infirmier' },
  { kind: 'keywords', query: 'motsCles=développeur' },
  { kind: 'keywords', query: 'motsCles=chauffeur+poids+lourd' },
  { kind: 'keywords', query: 'motsCles=comptable&range=0-49' },
  { kind: 'keywords', query: 'motsCles=aide-soignant,nuit' },
  { kind: 'keywords', query: 'motsCles=cuisinier&sort=1' },
  { kind: 'keywords', query: 'motsCles=électricien&typeContrat=CDI' },
  // place and radius
  { kind: 'place', query: 'commune=75056&distance=10' },
  { kind: 'place', query: 'commune=69123&distance=20&sort=2' },
  { kind: 'place', query: 'commune=33063&distance=30' },
  { kind: 'place', query: 'commune=31555&distance=15&range=0-14' },
  { kind: 'place', query: 'commune=44109&distance=10&sort=1' },
  { kind: 'place', query: 'commune=67482&distance=0' },
  { kind: 'place', query: 'departement=59,62&range=0-49' },
  { kind: 'place', query: 'departement=33&inclureLimitrophes=true' },
  // ROME lists (La bonne alternance sends up to 200 codes)
  { kind: 'rome', query: 'codeROME=D1106,D1107,D1212,D1211' },
  { kind: 'rome', query: 'codeROME=J1501,J1506&sort=1' },
  { kind: 'rome', query: 'codeROME=N4101,N4105,N1103&departement=69' },
  { kind: 'rome', query: 'grandDomaine=M18&sort=1' },
  // contract filters
  { kind: 'contract', query: 'typeContrat=CDI' },
  { kind: 'contract', query: 'natureContrat=E2,FS&sort=1' },
  { kind: 'contract', query: 'typeContrat=CDD,MIS&experience=1' },
  { kind: 'contract', query: 'typeContrat=SAI&dureeContratMax=2' },
  { kind: 'contract', query: 'dureeHebdoMax=1600&tempsPlein=false&typeContrat=CDD,MIS,SAI' },
  // the default page, with facets over everything
  { kind: 'default', query: '' },
  { kind: 'default', query: 'range=0-149&sort=1' },
  { kind: 'default', query: 'publieeDepuis=7' },
  // mixes
  { kind: 'mix', query: 'motsCles=serveur&commune=06088&distance=20' },
  { kind: 'mix', query: 'codeROME=D1106,D1107&commune=13055&distance=10&natureContrat=E2,FS&sort=2' },
  { kind: 'mix', query: 'region=84&qualification=9&salaireMin=3000&periodeSalaire=M' },
  { kind: 'mix', query: 'motsCles=commercial&range=1500-1649' },
  { kind: 'mix', query: 'partenaires=LABONNEALTERNANCE&modeSelectionPartenaires=EXCLU&natureContrat=E2,FS&range=150-299' },
]

/**
 * Searches around a point (issue 14, point 4), measured apart so that the 33-query mix above stays
 * comparable across runs: the centres (in the referential) of five of the mix's communes with the
 * same radius, which find what those commune searches find, then points that are no commune's
 * centre, with keywords, a contract filter, a deep range and a wide radius.
 */
export const POINT_QUERIES: readonly { readonly kind: string; readonly query: string }[] = [
  { kind: 'point as commune', query: 'latitude=48.85613&longitude=2.35603&distance=10' },
  { kind: 'point as commune', query: 'latitude=45.76951&longitude=4.83008&distance=20&sort=2' },
  { kind: 'point as commune', query: 'latitude=44.8379&longitude=-0.57938&distance=30' },
  { kind: 'point as commune', query: 'latitude=43.6046&longitude=1.44422&distance=15&range=0-14' },
  { kind: 'point as commune', query: 'latitude=47.21838&longitude=-1.55432&distance=10&sort=1' },
  { kind: 'point', query: 'latitude=48.1113&longitude=-1.68&distance=50&sort=2&motsCles=vendeur' },
  { kind: 'point', query: 'latitude=43.2965&longitude=5.3698&distance=5&sort=2&typeContrat=CDI' },
  { kind: 'point', query: 'latitude=48.8&longitude=2.2&distance=40&sort=2&range=1500-1649' },
  { kind: 'point', query: 'latitude=46.5&longitude=2.5&distance=200&sort=2' },
]

/** Searches paged deep with `curseur` (issue 14, point 5): every sort, broad and narrow. */
export const CURSOR_QUERIES: readonly string[] = [
  'sort=1',
  'sort=0',
  'sort=0&motsCles=vendeur',
  'sort=1&typeContrat=CDI',
  'sort=1&motsCles=agent',
  'sort=2&commune=75056&distance=30',
  'sort=2&latitude=45.764&longitude=4.8357&distance=60&motsCles=technicien',
  'sort=0&departement=59,62,75,69,13',
]
