import type { Services } from '../../compose.js'
import type { Command } from '../main.js'
import { UsageError } from '../main.js'
import { withServices } from '../with-services.js'

const USAGE = [
  'Usage: openemploi datasets <action> [options]',
  '',
  'Manages the Infotravail datasets in the store of DATA_DIR or DATABASE_URL.',
  'Works while the server runs on PostgreSQL; the embedded store must be stopped first.',
  '',
  'Actions:',
  '  list                 lists the packages and resources (id, version, rows, origin)',
  '  load                 loads the shipped datasets named by DATASETS that are missing or',
  '                       changed (what `serve` does at start)',
  '  prebuild             writes the shipped datasets in the embedded store\'s bulk format',
  '                       (binary COPY, full text included) under dist/prebuilt-datasets/,',
  '                       where changed: a first start copies them in instead of reading',
  '                       data/ (run by `npm run build`; needs no store)',
  '  import --package P --resource R [--version V] FILE',
  '                       replaces the rows of resource R (id, or name) of package P (name or',
  '                       id) from FILE (.csv with `,` or `;`, .json array, .ndjson), whose',
  '                       columns must be the resource’s fields. With --version V, a new V',
  '                       adds a version of R (new id, same fields); an existing V is replaced.',
  '                       Checked first, then swapped atomically: readers see the old rows',
  '                       until the new ones are complete; a bad file changes nothing.',
  '',
  'Options:',
  '  --json               prints JSON instead of text',
  '',
  'Exit code: 0 done, 1 refused or failed, 2 usage error.',
].join('\n')

/** Writes the prebuilt rows of every shipped dataset that changed (see storage/datastore/prebuilt.ts). */
async function prebuild(json: boolean): Promise<number> {
  const { prebuildDatasets } = await import('../../storage/datastore/prebuild.js')
  const { PACKAGES } = await import('../../datasets/packages/index.js')
  const started = Date.now()
  const report = await prebuildDatasets(PACKAGES, { log: (line) => process.stderr.write(`prebuilt ${line}\n`) })
  const summary = { built: report.built.length, kept: report.kept.length, rows: report.rows, bytes: report.bytes, ms: Date.now() - started }
  process.stdout.write(json ? `${JSON.stringify(summary)}\n` : `datasets prebuilt: ${summary.built} resources written (${summary.rows} rows), ${summary.kept} current (${summary.ms} ms)\n`)
  return 0
}

async function act(services: Services, action: string, values: Record<string, unknown>, args: string[]): Promise<number> {
  const json = values.json === true
  switch (action) {
    case 'list': {
      const packages = await services.datastore.packages()
      if (json) {
        process.stdout.write(`${JSON.stringify(packages)}\n`)
        return 0
      }
      if (packages.length === 0) {
        process.stdout.write(
          'No Infotravail dataset is loaded. Load the shipped ones with `openemploi datasets load`\n' +
            '(DATASETS chooses which), or start `openemploi serve`, which loads them.\n',
        )
        return 0
      }
      for (const pkg of packages) {
        process.stdout.write(`${pkg.name}\t${pkg.id}\t${pkg.title}\n`)
        for (const resource of pkg.resources) {
          const rows = resource.size ?? 'live'
          process.stdout.write(`  ${resource.id}\tv${resource.peVersion}\t${rows}\t${resource.origin}\t${resource.updatedAt.toISOString()}\t${resource.name}\n`)
        }
      }
      return 0
    }
    case 'load': {
      const loaded = await services.syncDatasets({
        loaded: (resource, rows) => {
          if (!json) process.stdout.write(`${resource.id}\tv${resource.peVersion}\t${rows ?? 'live'}\t${resource.name}\n`)
        },
      })
      if (json) process.stdout.write(`${JSON.stringify({ loaded })}\n`)
      else process.stdout.write(`${loaded.length} resources loaded\n`)
      return 0
    }
    case 'import': {
      const file = args[0]
      if (file === undefined || args.length > 1) throw new UsageError('datasets import needs one FILE.')
      if (typeof values.package !== 'string' || typeof values.resource !== 'string') throw new UsageError('datasets import needs --package and --resource.')
      const { readResourceFile } = await import('../../datasets/resource-file.js')
      try {
        const started = Date.now()
        const result = await services.datastore.importVersion(
          { pkg: values.package, resource: values.resource, version: typeof values.version === 'string' ? values.version : undefined, file },
          (fields) => readResourceFile(file, fields),
        )
        const report = { id: result.resource.id, name: result.resource.name, version: result.resource.peVersion, rows: result.rows, added: result.added, ms: Date.now() - started }
        process.stdout.write(json ? `${JSON.stringify(report)}\n` : `${report.added ? 'added' : 'replaced'} ${report.id} v${report.version}: ${report.rows} rows (${report.ms} ms)\n`)
        return 0
      } catch (error) {
        if (error instanceof Error && ['DatasetLoadError', 'ResourceFileError'].includes(error.name)) {
          process.stderr.write(`${error.message}\nNothing was changed.\n`)
          return 1
        }
        throw error
      }
    }
    default:
      throw new UsageError(`Unknown action "${action}".`)
  }
}

export const datasetsCommand: Command = {
  name: 'datasets',
  summary: 'Manage the Infotravail datasets: list, load, prebuild, import',
  usage: USAGE,
  options: {
    package: { type: 'string' },
    resource: { type: 'string' },
    version: { type: 'string' },
    json: { type: 'boolean' },
  },
  run(values, positionals) {
    const [action, ...args] = positionals
    if (action === undefined) throw new UsageError('Give an action: list, load, prebuild or import.')
    if (action === 'prebuild') return prebuild(values.json === true)
    return withServices((services) => act(services, action, values, args))
  },
}
