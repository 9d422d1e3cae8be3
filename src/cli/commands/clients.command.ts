import type { Services } from '../../compose.js'
import type { Application } from '../../domain/access/access.repository.js'
import type { Command } from '../main.js'
import { UsageError } from '../main.js'
import { withServices } from '../with-services.js'

const USAGE = [
  'Usage: openemploi clients <action> [options]',
  '',
  'Manages the applications (OAuth2 clients) in the store of DATA_DIR or DATABASE_URL.',
  'Works while the server runs on PostgreSQL; the embedded store must be stopped first.',
  '',
  'Actions:',
  '  create --name N --owner-email E --kind K --apis A,B [--organisation O]',
  '                       creates an application with the terms of each API accepted on the',
  '                       owner’s behalf; prints client_id and client_secret (shown this once).',
  '                       K: particulier, entreprise, collectivite, ministere.',
  '                       A: offresdemploiv2, infotravailv1',
  '  list                 lists the applications',
  '  rotate ID            replaces the secret (prints the new one); the old tokens stop working',
  '  revoke ID            revokes the application; its tokens stop working at once',
  '  limits ID --per-second N   sets the calls per second on each API (`default` for the default)',
  '',
  'Options:',
  '  --json               prints JSON instead of text',
].join('\n')

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
      const missing = ['name', 'owner-email', 'kind', 'apis'].filter((name) => typeof values[name] !== 'string')
      if (missing.length > 0) throw new UsageError(`clients create needs --${missing.join(', --')}.`)
      const { application, credentials } = await services.access.createClient({
        name: String(values.name),
        ownerEmail: String(values['owner-email']),
        kind: String(values.kind),
        organisation: typeof values.organisation === 'string' ? values.organisation : undefined,
        apis: String(values.apis)
          .split(',')
          .map((api) => api.trim())
          .filter((api) => api !== ''),
      })
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
      const credentials = await services.access.rotateSecret(needId())
      print(credentials, json, () => `client_id     ${credentials.client_id}\nclient_secret ${credentials.client_secret}`)
      return 0
    }
    case 'revoke': {
      const application = await services.access.revoke(needId())
      print(application, json, () => text(application))
      return 0
    }
    case 'limits': {
      const raw = values['per-second']
      if (typeof raw !== 'string') throw new UsageError('clients limits needs --per-second N.')
      const perSecond = raw === 'default' ? null : Number(raw)
      if (perSecond !== null && !Number.isInteger(perSecond)) throw new UsageError('--per-second must be an integer or `default`.')
      const application = await services.access.setRateLimit(needId(), perSecond)
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
  usage: USAGE,
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
    return withServices((services) => act(services, action, values, args))
  },
}
