import type { PackageDefinition } from '../definition.js'
import { agencesPackage } from './agences.js'
import { bmoPackage } from './bmo.js'
import { imtPackage } from './imt.js'
import { offresPackage } from './offres.js'
import { romePackage } from './rome.js'
import { statistiquesPackage } from './statistiques.js'

/** Every package the product ships, in catalogue order. */
export const PACKAGES: readonly PackageDefinition[] = [romePackage, bmoPackage, agencesPackage, imtPackage, statistiquesPackage, offresPackage]

/**
 * The packages a DATASETS setting names: `all`, `none`, or a comma-separated list of names.
 * @throws Error naming the unknown ones.
 */
export function selectPackages(setting: string): PackageDefinition[] {
  if (setting === 'all') return [...PACKAGES]
  if (setting === 'none' || setting === '') return []
  const names = setting.split(',').map((name) => name.trim())
  const unknown = names.filter((name) => !PACKAGES.some((pkg) => pkg.name === name))
  if (unknown.length > 0) throw new Error(`Unknown packages in DATASETS: ${unknown.join(', ')} (known: ${PACKAGES.map((pkg) => pkg.name).join(', ')})`)
  return PACKAGES.filter((pkg) => names.includes(pkg.name))
}
