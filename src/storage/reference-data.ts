import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { parse } from 'csv-parse/sync'
import {
  Referentials,
  toPlaceLabel,
  type AppellationRecord,
  type CommuneRecord,
  type DepartementRecord,
  type MetierRecord,
  type RegionRecord,
} from '../domain/referentials/referentials.js'
import {
  computeDepartementNeighbours,
  type GeoFeatureCollection,
} from '../domain/referentials/departement-neighbours.js'
import { GRANDS_DOMAINES, type CodeLabel } from '../domain/referentials/static-lists.js'
import { DATA_DIR } from '../shared/data-dir.js'


const require = createRequire(import.meta.url)

type CsvRow = Record<string, string>

function readCsv(relativePath: string): CsvRow[] {
  return parse(readFileSync(new URL(relativePath, DATA_DIR)), {
    columns: true,
    skip_empty_lines: true,
    bom: true,
  })
}

function readJson<T>(relativePath: string): T {
  return JSON.parse(readFileSync(new URL(relativePath, DATA_DIR), 'utf8')) as T
}

interface EtalabCommune {
  code: string
  nom: string
  type: string
  departement: string
  region: string
  codesPostaux?: string[]
  population?: number
  commune?: string
}

interface EtalabArea {
  code: string
  nom: string
  region?: string
  zone: string
}

// `index.js` of the package fails outside its folder, so its data files are read directly.
function readEtalab<T>(file: string): T {
  return JSON.parse(
    readFileSync(require.resolve(`@etalab/decoupage-administratif/data/${file}`), 'utf8'),
  ) as T
}

/** "Paris 8e Arrondissement" → "PARIS 08", as the original labels arrondissements. */
function arrondissementLabel(name: string): string {
  const match = /^(.*?)\s+(\d+)(?:er|e)\s+Arrondissement$/i.exec(name)
  if (!match?.[1] || !match[2]) return toPlaceLabel(name)
  return `${toPlaceLabel(match[1])} ${match[2].padStart(2, '0')}`
}

function loadCommunes(): CommuneRecord[] {
  const centres = new Map<string, { latitude: number; longitude: number }>()
  for (const row of readCsv('geo/communes-centres.csv')) {
    centres.set(row.code_insee ?? '', { latitude: Number(row.latitude), longitude: Number(row.longitude) })
  }
  const communes: CommuneRecord[] = []
  for (const commune of readEtalab<EtalabCommune[]>('communes.json')) {
    const isArrondissement = commune.type === 'arrondissement-municipal'
    if (commune.type !== 'commune-actuelle' && !isArrondissement) continue
    const centre = centres.get(commune.code)
    if (!centre) throw new Error(`No coordinates for commune ${commune.code} in communes-centres.csv`)
    const codesPostaux = [...(commune.codesPostaux ?? [])].sort()
    communes.push({
      code: commune.code,
      libelle: isArrondissement ? arrondissementLabel(commune.nom) : toPlaceLabel(commune.nom),
      nom: commune.nom,
      codePostal: codesPostaux[0] ?? '',
      codeDepartement: commune.departement,
      codeRegion: commune.region,
      latitude: centre.latitude,
      longitude: centre.longitude,
      population: commune.population ?? 0,
      ...(isArrondissement && commune.commune ? { parent: commune.commune } : {}),
    })
  }
  return communes.sort((a, b) => (a.code < b.code ? -1 : 1))
}

/** Metropolitan France and the five DROM: the 18 regions and 101 départements of the original. */
function isServedZone(zone: string): boolean {
  return zone === 'metro' || zone === 'drom'
}

function loadRegionsAndDepartements(): { regions: RegionRecord[]; departements: DepartementRecord[] } {
  const regions = readEtalab<EtalabArea[]>('regions.json')
    .filter((region) => isServedZone(region.zone))
    .map(({ code, nom }) => ({ code, libelle: nom }))
  const regionByCode = new Map(regions.map((region) => [region.code, region]))
  const departements = readEtalab<EtalabArea[]>('departements.json')
    .filter((departement) => isServedZone(departement.zone))
    .map(({ code, nom, region }) => {
      const parent = regionByCode.get(region ?? '')
      if (!parent) throw new Error(`Département ${code} has no region`)
      return { code, libelle: nom, region: parent }
    })
  return { regions, departements }
}

/** The grand domaine search value of a ROME domain: promoted domains (C15, M18…) stand alone. */
function grandDomaineOf(domaine: string): string {
  return GRANDS_DOMAINES.some((item) => item.code === domaine) ? domaine : domaine.charAt(0)
}

function loadRome(): {
  metiers: MetierRecord[]
  appellations: AppellationRecord[]
  domaines: CodeLabel[]
  themes: CodeLabel[]
} {
  // ROME themes are numbered 001…017 in the files and 1…17 in the API.
  const themeCode = (code: string) => String(Number(code))
  const themesByRome = new Map<string, string[]>()
  for (const row of readCsv('rome/unix_arborescence_thematique_v460_utf8.csv')) {
    const list = themesByRome.get(row.code_rome ?? '') ?? []
    list.push(themeCode(row.code_theme ?? ''))
    themesByRome.set(row.code_rome ?? '', list)
  }
  const domaineByRome = new Map<string, string>()
  for (const row of readCsv('rome/unix_cr_gd_dp_v460_utf8.csv')) {
    domaineByRome.set(row.code_rome ?? '', row.code_domaine_professionel ?? '')
  }
  const metiers = readCsv('rome/unix_referentiel_code_rome_v460_utf8.csv').map((row): MetierRecord => {
    const code = row.code_rome ?? ''
    const domaine = domaineByRome.get(code)
    if (!domaine) throw new Error(`ROME ${code} has no domain`)
    return {
      code,
      libelle: row.libelle_rome ?? '',
      domaine,
      grandDomaine: grandDomaineOf(domaine),
      themes: [...new Set(themesByRome.get(code) ?? [])].sort((a, b) => Number(a) - Number(b)),
    }
  })
  metiers.sort((a, b) => (a.code < b.code ? -1 : 1))
  const appellations = readCsv('rome/unix_referentiel_appellation_v460_utf8.csv').map((row) => ({
    code: row.code_ogr ?? '',
    libelle: row.libelle_appellation_long ?? '',
    libelleCourt: row.libelle_appellation_court ?? '',
    romeCode: row.code_rome ?? '',
  }))
  appellations.sort((a, b) => Number(a.code) - Number(b.code))
  const domaines = readCsv('rome/unix_domaine_professionnel_v460_utf8.csv').map((row) => ({
    code: row.code_domaine_professionnel ?? '',
    libelle: row.libelle_domaine_professionnel ?? '',
  }))
  const themes = readCsv('rome/unix_themes_v460_utf8.csv').map((row) => ({
    code: themeCode(row.code_theme ?? ''),
    libelle: row.libelle_theme ?? '',
  }))
  return { metiers, appellations, domaines, themes }
}

function loadNafs(): { nafs: CodeLabel[]; secteursActivites: CodeLabel[] } {
  const items = JSON.parse(readFileSync(require.resolve('@socialgouv/codes-naf/index.json'), 'utf8')) as {
    id: string
    label: string
  }[]
  return {
    nafs: items.filter((item) => /^\d\d\.\d\d[A-Z]$/.test(item.id)).map(({ id, label }) => ({ code: id, libelle: label })),
    secteursActivites: items.filter((item) => /^\d\d$/.test(item.id)).map(({ id, label }) => ({ code: id, libelle: label })),
  }
}

/** Reads every shipped reference file and builds the referentials (about a second; done once per process). */
export function loadReferentials(): Referentials {
  const { regions, departements } = loadRegionsAndDepartements()
  // Served as the original serves it, stray no-break space in one label included.
  const pays = readJson<CodeLabel[]>('offres/referentiel-pays.json')
  return new Referentials({
    communes: loadCommunes(),
    regions,
    departements,
    ...loadRome(),
    ...loadNafs(),
    pays,
    continents: readJson<CodeLabel[]>('offres/continents.json'),
    paysContinents: new Map(Object.entries(readJson<Record<string, string>>('offres/pays-continents.json'))),
    neighbours: computeDepartementNeighbours(readJson<GeoFeatureCollection>('geo/departements.geojson')),
  })
}
