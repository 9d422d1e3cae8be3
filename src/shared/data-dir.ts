import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

function find(): URL {
  // The sources (src/…), the build (dist/…) and the benchmark build (dist-bench/src/…) sit at
  // different depths: the folder is found by walking up to the package's data/.
  let folder = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(folder, 'data', 'rome'))) return pathToFileURL(`${join(folder, 'data')}/`)
    const parent = dirname(folder)
    if (parent === folder) throw new Error('The data/ folder of OpenEmploi was not found')
    folder = parent
  }
}

/** The product's shipped reference data (never anything outside the package, never the network). */
export const DATA_DIR: URL = find()
