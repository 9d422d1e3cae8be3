import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import type { Command } from '../main.js'
import { UsageError } from '../main.js'

export const generateCommand: Command = {
  name: 'generate',
  summary: 'Write a realistic demo corpus of offers as NDJSON',
  usage: [
    'Usage: openemploi generate --offers N [--seed S] [--now ISO-DATE] --out FILE',
    '',
    'Writes N offers that look like the original API’s, built from real reference data',
    '(ROME 4.0, communes weighted by population, NAF). Same seed and date, same file.',
    '',
    'Options:',
    '  --offers N      number of offers (1 to 5,000,000)',
    '  --seed S        seed of the generator (default "openemploi")',
    '  --now DATE      creation dates are spread over the 6 weeks before it (default: now)',
    '  --out FILE      output file (`-` for standard output)',
  ].join('\n'),
  options: {
    offers: { type: 'string' },
    seed: { type: 'string' },
    now: { type: 'string' },
    out: { type: 'string' },
  },
  async run(values) {
    const count = Number(values.offers)
    if (!Number.isInteger(count) || count < 1 || count > 5_000_000) {
      throw new UsageError('--offers must be an integer from 1 to 5,000,000.')
    }
    if (typeof values.out !== 'string') throw new UsageError('--out is required.')
    const now = typeof values.now === 'string' ? new Date(values.now) : new Date()
    if (Number.isNaN(now.getTime())) throw new UsageError('--now must be a date such as 2026-11-28T00:00:00Z.')
    const started = Date.now()
    // Loaded on use so that `--help` stays instant.
    const { serializeOffer } = await import('../../domain/offers/offer-json.js')
    const { generateOffers } = await import('../../ingest/demo/generate-offers.js')
    const { loadReferentials } = await import('../../storage/reference-data.js')
    const referentials = loadReferentials()
    const out = values.out === '-' ? process.stdout : createWriteStream(values.out)
    let written = 0
    for (const offer of generateOffers(referentials, { count, seed: typeof values.seed === 'string' ? values.seed : 'openemploi', now })) {
      if (!out.write(`${serializeOffer(offer)}\n`)) await once(out, 'drain')
      written++
    }
    if (out !== process.stdout) {
      out.end()
      await once(out, 'finish')
      const seconds = ((Date.now() - started) / 1000).toFixed(1)
      process.stderr.write(`${written} offers written to ${values.out} in ${seconds} s\n`)
    }
    return 0
  },
}
