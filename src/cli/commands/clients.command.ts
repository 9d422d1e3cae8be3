import type { Services } from '../../compose.js'
import { ORGANISATION_KINDS, organisationKindOf } from '../../domain/access/catalogue.schema.js'
import { ConflictError, InvalidArgumentError, NotFoundError } from '../../shared/errors.js'
import { loadApiCatalogue } from '../../storage/api-catalogue.js'
import type { Application } from '../../domain/access/access.repository.js'
import type { Command } from '../main.js'
import { UsageError } from '../main.js'
import { withServices } from '../with-services.js'

/** The usage, with the kinds and APIs the command accepts (read from the catalogue when asked for). */
function usage(): string {
  return [
    'Usage: openemploi clients <action> [options]',
    '',
    'Manages the applications (OAuth2 clients) in the store of DATA_DIR or DATABASE_URL.',
    'Works while the server runs on PostgreSQL; the embedded store must be stopped first.',
    '',
    'Actions:',
    '  create --name N --owner-email E --kind K --apis A,B [--organisation O]',
    '                       creates an application with the terms of each API accepted on the',
    '                       owner’s behalf; prints client_id and client_secret (shown this once).',
    `                       K: ${ORGANISATION_KINDS.join(', ')}.`,
    `                       A: ${apiIds().join(', ')}`,
    '  list                 lists the applications',
    '  rotate ID            replaces the secret (prints the new one); the old tokens stop working',
    '  revoke ID            revokes the application; its tokens stop working at once',
    `  limits ID --per-second N   sets the calls per second on each API (1 to ${MAX_PER_SECOND}, or`,
    '                       `default` for the default)',
    '',
    'Options:',
    '  --json               prints JSON instead of text',
    '',
    'Exit code: 0 done, 1 refused or failed, 2 usage error.',
  ].join('\n')
}

const MAX_PER_SECOND = 100_000
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

function apiIds(): string[] {
  return loadApiCatalogue().apis.map((api) => api.id)
}

/**
 * The options of `clients create`, checked here before the store opens, every problem at once
 * and in the CLI's language (English); the service checks them again for its other callers.
 */
function createInput(values: Record<string, unknown>): Parameters<Services['access']['createClient']>[0] {
  const missing = ['name', 'owner-email', 'kind', 'apis'].filter((name) => typeof values[name] !== 'string')
  if (missing.length > 0) throw new UsageError(`clients create needs --${missing.join(', --')}.`)
  const name = String(values.name).trim()
  const email = String(values['owner-email']).trim()
  const kind = String(values.kind)
  const apis = String(values.apis)
    .split(',')
    .map((api) => api.trim())
    .filter((api) => api !== '')
  const known = apiIds()
  const unknown = apis.filter((api) => !known.includes(api))
  const problems = [
    ...(name === '' || name.length > 100 ? ['--name: 1 to 100 characters'] : []),
    ...(EMAIL.test(email) ? [] : [`--owner-email ${JSON.stringify(email)}: not an e-mail address`]),
    ...(organisationKindOf(kind) ? [] : [`--kind ${JSON.stringify(kind)}: one of ${ORGANISATION_KINDS.join(', ')}`]),
    ...(apis.length === 0 ? ['--apis: at least one API'] : []),
    ...(unknown.length > 0 ? [`--apis: unknown API ${unknown.join(', ')} (known: ${known.join(', ')})`] : []),
  ]
  if (problems.length > 0) throw new InvalidArgumentError(`Invalid command line:\n  ${problems.join('\n  ')}`)
  return { name, ownerEmail: email, kind, apis, organisation: typeof values.organisation === 'string' ? values.organisation : undefined }
}

/** Runs an action on one application, saying in English why the store refused it. */
async function onApplication<T>(id: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof NotFoundError) throw new Error(`no application ${id}.`)
    if (error instanceof ConflictError) throw new Error(`application ${id} is revoked.`)
    throw error
  }
}

function text(application: Application): string {
  const apis = application.subscriptions.map((subscription) => `${subscription.api}:${subscription.status}`).join(',') || '-'
  return [application.clientId, application.status, application.ratePerSecond ?? 'default', apis, application.name].join('\t')
}

function print(value: unknown, json: boolean, asText: () => string): void {
  process.stdout.write(`${json ? JSON.stringify(value) : asText()}\n`)
}

async function act(services: Services, action: string, values: Record<string, unknown>, args: string[]): Promise<number> {
  const json = values.json === true
  const id = args[0]
  const needId = () => {
    if (id === undefined) throw new UsageError(`clients ${action} needs the client_id.`)
    return id
  }
  switch (action) {
    case 'create': {
      const { application, credentials } = await services.access.createClient(createInput(values))
      print({ ...credentials, application }, json, () =>
        [`client_id     ${credentials.client_id}`, `client_secret ${credentials.client_secret}`, '(the secret is shown this once)'].join('\n'),
      )
      return 0
    }
    case 'list': {
      const applications = await services.access.applications()
      print(applications, json, () => ['client_id\tstatus\tper_second\tapis\tname', ...applications.map(text)].join('\n'))
      return 0
    }
    case 'rotate': {
      const clientId = needId()
      const credentials = await onApplication(clientId, () => services.access.rotateSecret(clientId))
      print(credentials, json, () => `client_id     ${credentials.client_id}\nclient_secret ${credentials.client_secret}`)
      return 0
    }
    case 'revoke': {
      const clientId = needId()
      const application = await onApplication(clientId, () => services.access.revoke(clientId))
      print(application, json, () => text(application))
      return 0
    }
    case 'limits': {
      const raw = values['per-second']
      if (typeof raw !== 'string') throw new UsageError('clients limits needs --per-second N.')
      const perSecond = raw === 'default' ? null : Number(raw)
      if (perSecond !== null && !(Number.isInteger(perSecond) && perSecond >= 1 && perSecond <= MAX_PER_SECOND)) {
        throw new UsageError(`--per-second must be an integer from 1 to ${MAX_PER_SECOND}, or \`default\`.`)
      }
      const clientId = needId()
      const application = await onApplication(clientId, () => services.access.setRateLimit(clientId, perSecond))
      print(application, json, () => text(application))
      return 0
    }
    default:
      throw new UsageError(`Unknown action "${action}".`)
  }
}

export const clientsCommand: Command = {
  name: 'clients',
  summary: 'Manage the applications: create, list, rotate, revoke, limits',
  get usage() {
    return usage()
  },
  options: {
    name: { type: 'string' },
    'owner-email': { type: 'string' },
    kind: { type: 'string' },
    apis: { type: 'string' },
    organisation: { type: 'string' },
    'per-second': { type: 'string' },
    json: { type: 'boolean' },
  },
  run(values, positionals) {
    const [action, ...args] = positionals
    if (action === undefined) throw new UsageError('Give an action: create, list, rotate, revoke or limits.')
    // Checked before the store opens: a mistake costs no start of the store.
    if (action === 'create') createInput(values)
    return withServices((services) => act(services, action, values, args))
  },
}
