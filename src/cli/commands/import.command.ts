import type { Command } from '../main.js'
import { UsageError } from '../main.js'
import { withServices } from '../with-services.js'

export const importCommand: Command = {
  name: 'import',
  summary: 'Import offers in the original JSON (one array, or NDJSON) into the store',
  usage: [
    'Usage: openemploi import FILE... [--appellation CODE]... [--json]',
    '',
    'Imports offers exactly as the original API returns them: a JSON array (pages of',
    '`resultats` concatenated) or NDJSON, one offer per line. Each record is validated;',
    'bad ones are reported with their position and reason, good ones are stored.',
    'Run it while the server is stopped when the store is embedded (DATA_DIR).',
    '',
    'Options:',
    '  --appellation CODE  also classify every offer under this appellation (for files',
    '                      fetched with `appellation=CODE`: the original returns no codes)',
    '  --json              print the report as JSON',
    '',
    'Exit code: 0 all imported, 1 some records rejected or a failure, 2 usage error.',
  ].join('\n'),
  options: {
    appellation: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  async run(values, files) {
    if (files.length === 0) throw new UsageError('Give at least one file to import.')
    const { readOfferFile } = await import('../../ingest/offer-file.js')
    let rejected = 0
    await withServices(async (services) => {
      for (const file of files) {
        const started = Date.now()
        const report = await services.importer.importRecords(readOfferFile(file), {
          source: 'import',
          appellations: (values.appellation as string[] | undefined) ?? [],
        })
        rejected += report.rejected
        if (values.json) {
          process.stdout.write(`${JSON.stringify({ file, ...report })}\n`)
          continue
        }
        const seconds = ((Date.now() - started) / 1000).toFixed(1)
        process.stdout.write(
          `${file}: ${report.read} read, ${report.created} created, ${report.updated} updated, ` +
            `${report.unchanged} unchanged, ${report.rejected} rejected (${seconds} s)\n`,
        )
        for (const rejection of report.rejections) {
          const id = rejection.id === undefined ? '' : ` (id ${rejection.id})`
          process.stdout.write(`  record ${rejection.position}${id}: ${rejection.reasons.join('; ')}\n`)
        }
        if (report.rejected > report.rejections.length) {
          process.stdout.write(`  … and ${report.rejected - report.rejections.length} more\n`)
        }
      }
    })
    return rejected > 0 ? 1 : 0
  },
}
