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
