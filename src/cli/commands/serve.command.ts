import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import type { Logger } from 'pino'
import { join } from 'node:path'
import { loadStoreConfig } from '../../config/load-config.js'
import type { Services } from '../../compose.js'
import type { RawRecord } from '../../ingest/offer-file.js'
import { bannerText, startFacts, type DemoCredentials } from '../banner.js'
import type { Command } from '../main.js'
import { settingsHelp } from '../settings-help.js'

/** Seed of the demo corpus: every fresh install serves the same offers (dated from its first start). */
const DEMO_SEED = 'openemploi-demo'

async function* demoRecords(services: Services): AsyncGenerator<RawRecord> {
  const { generateOffers } = await import('../../ingest/demo/generate-offers.js')
  let position = 0
  for (const offer of generateOffers(services.referentials, {
    count: services.config.DEMO_OFFERS,
    seed: DEMO_SEED,
    now: new Date(),
  })) {
    yield { position: ++position, value: offer }
  }
}

/**
 * The first demo start creates one application with every API and shows its credentials, so that
 * a newcomer can call the API at once; they are also written to DATA_DIR/demo-client.json
 * (readable by the owner only), since the secret is never shown again.
 */
async function createDemoClient(services: Services, baseUrl: string): Promise<DemoCredentials | undefined> {
  if ((await services.access.applications()).length > 0) return undefined
  const { credentials } = await services.access.createClient({
    name: 'Démonstration',
    ownerEmail: 'demo@openemploi.example',
    kind: 'particulier',
    organisation: 'Démonstration',
    apis: services.access.catalogue.apis.map((api) => api.id),
  })
  const demo = {
    ...credentials,
    token_url: `${baseUrl}/connexion/oauth2/access_token?realm=%2Fpartenaire`,
    scope: 'api_offresdemploiv2 o2dsoffre',
    example: `curl -s -d grant_type=client_credentials -d client_id=${credentials.client_id} -d client_secret=${credentials.client_secret} -d 'scope=api_offresdemploiv2 o2dsoffre' '${baseUrl}/connexion/oauth2/access_token?realm=%2Fpartenaire'`,
  }
  mkdirSync(services.config.DATA_DIR, { recursive: true })
  writeFileSync(join(services.config.DATA_DIR, 'demo-client.json'), `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 })
  return demo
}

/** The base URL of the address the server listens on (PORT=0 picks one). */
function listeningUrl(address: AddressInfo | string | null, host: string): string {
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/** Why the server could not listen, in one line an operator acts on. */
function listenFailure(error: NodeJS.ErrnoException, port: number, host: string): Error {
  const code = error.code
  if (code === 'EADDRINUSE') {
    return new Error(`port ${port} of ${host} is already in use (EADDRINUSE): stop the process that holds it, or choose another PORT.`)
  }
  if (code === 'EACCES') return new Error(`port ${port} of ${host} needs privileges this process lacks (EACCES): choose a PORT above 1023.`)
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new Error(`HOST ${host} is not an address of this machine (${code}): use 127.0.0.1, 0.0.0.0 or one of its addresses.`)
  }
  return error
}

/** How often the log tells the datasets' progress while they load. */
const PROGRESS_LOG_MS = 5000

/**
 * Loads the Infotravail datasets after the offers are served, telling the log: a line per
 * resource loaded, a progress line every few seconds (resources, rows, speed, time left), then
 * "every dataset served" and, once their indexes are built, "every dataset indexed".
 */
async function loadDatasets(services: Services, log: Pick<Logger, 'info' | 'error'>, stopping: () => boolean): Promise<void> {
  const started = Date.now()
  const progress = setInterval(() => {
    const state = services.status.datasets()
    if (state.state !== 'loading') return
    log.info(
      {
        resources: `${state.loaded}/${state.total}`,
        rows: `${state.rows.loaded}/${state.rows.total}`,
        ...(state.rowsPerSecond === undefined ? {} : { rowsPerSecond: state.rowsPerSecond }),
        ...(state.etaSeconds === undefined ? {} : { etaSeconds: state.etaSeconds }),
        ...(state.loading ? { loading: state.loading.name } : {}),
      },
      'loading the Infotravail datasets',
    )
  }, PROGRESS_LOG_MS)
  progress.unref()
  try {
    const loaded = await services.syncDatasets({
      loaded: (resource, rows) => log.info({ resource: resource.id, name: resource.name, version: resource.peVersion, rows }, 'dataset resource loaded'),
      served: () => {
        clearInterval(progress)
        const state = services.status.datasets()
        log.info({ resources: state.total, rows: state.rows.loaded, ms: Date.now() - started }, 'every dataset served')
      },
    })
    log.info({ resources: loaded.length, ms: Date.now() - started }, 'every dataset indexed')
  } catch (error) {
    // The resources loaded so far are served; a failed one keeps its previous version.
    if (!stopping()) log.error({ err: error }, 'Infotravail datasets not all loaded')
  } finally {
    clearInterval(progress)
  }
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the HTTP server (loads the demo corpus into an empty store first)',
  usage: [
    'Usage: openemploi serve',
    '',
    'Serves the Offres d’emploi v2 API on HOST:PORT (default 127.0.0.1:8080) from the store in',
    'DATA_DIR (embedded PostgreSQL, default ./var) or DATABASE_URL. GET /health answers 503',
    'until the search index is loaded, then 200; GET /health/ready also needs the store to',
    'answer. GET /metrics (Prometheus) needs METRICS_TOKEN, or a direct connection from this',
    'host. On an empty store, DEMO_OFFERS generated offers (default 20000) are loaded first.',
    'Stops cleanly on SIGTERM or SIGINT.',
    '',
    ...settingsHelp(),
  ].join('\n'),
  options: {},
  async run() {
    const config = loadStoreConfig()
    // Loaded on use so that `--help` stays instant.
    const { buildNode } = await import('../../node.js')
    const { createLogger } = await import('../logger.js')
    const { services, app, close } = await buildNode(config, createLogger(config.LOG_LEVEL))
    let stopping = false
    const stop = async (signal: string) => {
      if (stopping) return
      stopping = true
      app.log.info({ signal }, 'stopping: finishing in-flight requests')
      await close()
      app.log.info('stopped')
    }
    const stopped = new Promise<void>((resolve) => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => void stop(signal).then(resolve))
      }
    })
    try {
      await app.listen({ port: config.PORT, host: config.HOST })
    } catch (error) {
      // Nothing else runs yet: the store and the timers are released so that the process ends.
      await close()
      throw listenFailure(error as NodeJS.ErrnoException, config.PORT, config.HOST)
    }
    app.log.info({ store: services.database.location }, 'store opened')

    // The demo application comes first, so that its credentials are shown before the corpus loads.
    const base = config.PUBLIC_URL ?? listeningUrl(app.server.address(), config.HOST)
    const credentialsFile = join(config.DATA_DIR, 'demo-client.json')
    const demo = config.DEMO_OFFERS > 0 ? await createDemoClient(services, base) : undefined
    const facts = startFacts(base, existsSync(credentialsFile) ? credentialsFile : undefined)
    if (process.stdout.isTTY) process.stdout.write(bannerText(facts, demo))
    else app.log.info({ ...facts, ...(demo ? { demo_client_id: demo.client_id } : {}) }, demo ? 'serving; demo application created' : 'serving')

    if (config.DEMO_OFFERS > 0 && (await services.offersRepository.isEmpty())) {
      app.log.info({ offers: config.DEMO_OFFERS }, 'empty store: loading the demo corpus')
      const report = await services.importer.importRecords(demoRecords(services), { source: 'demo' })
      app.log.info({ created: report.created, rejected: report.rejected }, 'demo corpus loaded')
    }
    const started = Date.now()
    let lastLog = started
    const report = await services.loadIndex((count) => {
      if (Date.now() - lastLog > 5000) {
        lastLog = Date.now()
        app.log.info({ offers: count }, 'loading the search index')
      }
    })
    app.log.info({ offers: report.loaded, ms: Date.now() - started }, 'search index ready')
    if (report.stale > 0) {
      // Documents written by another version: rewritten in the background so the next start is fast.
      app.log.info({ offers: report.stale }, 'refreshing stale search documents')
      services.refreshSearchDocs().then(
        (count) => app.log.info({ offers: count }, 'search documents refreshed'),
        (error: unknown) => app.log.error({ err: error }, 'search documents could not be refreshed'),
      )
    }
    await loadDatasets(services, app.log, () => stopping)
    await stopped
    return 0
  },
}
