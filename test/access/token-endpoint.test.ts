import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app.js'

/** The token endpoint as the original's clients call it (contract §9) and as RFC 6749 §4.4, §5 say. */

let t: TestApp
let clientId: string
let secret: string
const OFFRES = 'api_offresdemploiv2 o2dsoffre'

beforeAll(async () => {
  t = await createTestApp()
  const created = await t.access.createClient({
    name: 'Mon appli',
    ownerEmail: 'dev@exemple.fr',
    kind: 'entreprise',
    apis: ['offresdemploiv2'],
  })
  clientId = created.credentials.client_id
  secret = created.credentials.client_secret
})
afterAll(() => t.close())

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString()
}

function token(query: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return t.app.inject({
    method: 'POST',
    url: `/connexion/oauth2/access_token${query}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: form(fields),
  })
}

const credentials = () => ({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret })

describe('client credentials grant', () => {
  it('answers exactly the four keys of the original, not cacheable', async () => {
    const response = await token('?realm=%2Fpartenaire', { ...credentials(), scope: OFFRES })
    expect(response.statusCode).toBe(200)
    const body = response.json<Record<string, unknown>>()
    expect(Object.keys(body)).toEqual(['scope', 'expires_in', 'token_type', 'access_token'])
    expect(body).toMatchObject({ scope: OFFRES, expires_in: 1499, token_type: 'Bearer' })
    expect(body.access_token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.headers.pragma).toBe('no-cache')
    expect(response.headers['content-type']).toMatch(/^application\/json/)
  })

  it.each([
    ['?realm=/partenaire'],
    ['?realm=%2Fpartenaire'],
    ['?realm=partenaire'],
    [''],
  ])('accepts the realm as real clients send it: %s', async (query) => {
    const response = await token(query, { ...credentials(), scope: OFFRES })
    expect(response.statusCode).toBe(200)
  })

  it('accepts the realm in the form body', async () => {
    const response = await token('', { ...credentials(), scope: OFFRES, realm: '/partenaire' })
    expect(response.statusCode).toBe(200)
  })

  it('refuses another realm', async () => {
    const response = await token('?realm=/individu', { ...credentials(), scope: OFFRES })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'Invalid realm' })
  })

  it('accepts HTTP Basic client authentication (RFC 6749 §2.3.1)', async () => {
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')
    const response = await token('?realm=/partenaire', { grant_type: 'client_credentials', scope: OFFRES }, { authorization: `Basic ${basic}` })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ scope: OFFRES })
  })

  it('grants application_<client_id> with the API scopes, as LBA, EK and ITOU ask', async () => {
    const scope = `application_${clientId} ${OFFRES}`
    const response = await token('?realm=partenaire', { ...credentials(), scope })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ scope })
  })

  it('grants the intersection when other scopes are asked for too', async () => {
    const response = await token('?realm=/partenaire', {
      ...credentials(),
      scope: `application_${clientId} api_maj-pass-iaev1 api_offresdemploiv2 o2dsoffre api_romev1 nomenclatureRome`,
    })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ scope: `application_${clientId} ${OFFRES}` })
  })

  it('grants every scope of the client when none is asked for', async () => {
    const response = await token('?realm=/partenaire', credentials())
    expect(response.json()).toMatchObject({ scope: `application_${clientId} ${OFFRES}` })
  })

  it('does not grant the scopes of an API whose terms the client has not accepted, and says so', async () => {
    const response = await token('?realm=/partenaire', { ...credentials(), scope: 'api_infotravailv1' })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({
      error: 'invalid_scope',
      error_description:
        'Unknown/invalid scope(s): [api_infotravailv1]. The terms of API infotravailv1 are not accepted for this application: accept them on the portal.',
    })
  })
})

describe('invalid_scope for an API the client may not use yet', () => {
  it('says that the terms await an administrator’s approval, then that access was refused', async () => {
    const version = t.access.catalogue.get('depotoffresv1')?.cgu.version ?? ''
    await t.access.acceptTerms(clientId, 'depotoffresv1', version, 'dev@exemple.fr')
    const pending = await token('?realm=/partenaire', { ...credentials(), scope: 'api_depotoffresv1' })
    expect(pending.statusCode).toBe(400)
    expect(pending.json()).toEqual({
      error: 'invalid_scope',
      error_description:
        'Unknown/invalid scope(s): [api_depotoffresv1]. The terms of API depotoffresv1 are accepted for this application and await an administrator\'s approval.',
    })
    await t.access.decide(clientId, 'depotoffresv1', 'rejected', 'admin')
    const rejected = await token('?realm=/partenaire', { ...credentials(), scope: 'api_depotoffresv1' })
    expect(rejected.json()).toEqual({
      error: 'invalid_scope',
      error_description: 'Unknown/invalid scope(s): [api_depotoffresv1]. Access to API depotoffresv1 was refused to this application.',
    })
  })
})

describe('RFC 6749 §5.2 errors, with the original’s descriptions', () => {
  it('invalid_scope when no asked scope can be granted', async () => {
    const response = await token('?realm=/partenaire', { ...credentials(), scope: 'api_quinexistepasv0' })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ error: 'invalid_scope', error_description: 'Unknown/invalid scope(s): [api_quinexistepasv0]' })
    expect(response.headers['cache-control']).toBe('no-store')
  })

  it('unsupported_grant_type', async () => {
    const response = await token('?realm=/partenaire', { ...credentials(), grant_type: 'implicit_grant' })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'Grant type is not supported: implicit_grant',
    })
  })

  it('invalid_request without a grant type', async () => {
    const { grant_type: _omitted, ...rest } = credentials()
    const response = await token('?realm=/partenaire', rest)
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ error: 'invalid_request' })
  })

  it.each([
    ['a wrong secret', () => ({ ...credentials(), client_secret: 'f'.repeat(64) })],
    ['an unknown client', () => ({ ...credentials(), client_id: `PAR_inconnu_${'0'.repeat(64)}` })],
    ['no client at all', () => ({ grant_type: 'client_credentials' })],
    ['no secret', () => ({ grant_type: 'client_credentials', client_id: clientId })],
  ])('400 invalid_client with %s (credentials in the body)', async (_case, fields) => {
    const response = await token('?realm=/partenaire', { ...fields(), scope: OFFRES })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' })
    expect(response.headers['www-authenticate']).toBeUndefined()
  })

  it('401 invalid_client with a WWW-Authenticate challenge when the client used Basic', async () => {
    const basic = Buffer.from(`${clientId}:wrong`).toString('base64')
    const response = await token('?realm=/partenaire', { grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` })
    expect(response.statusCode).toBe(401)
    expect(response.headers['www-authenticate']).toBe('Basic realm="/partenaire"')
    expect(response.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed' })
  })

  it('invalid_request when the client authenticates two ways at once', async () => {
    const basic = Buffer.from(`${clientId}:${secret}`).toString('base64')
    const response = await token('?realm=/partenaire', credentials(), { authorization: `Basic ${basic}` })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ error: 'invalid_request' })
  })

  it('invalid_client for an application whose owner has not accepted any terms', async () => {
    const owner = await t.access.createAccount({ email: 'sans-cgu@exemple.fr', name: 'Sans CGU', kind: 'particulier' })
    const { credentials: fresh } = await t.access.createApplication(owner.id, 'Sans CGU')
    const response = await token('?realm=/partenaire', { grant_type: 'client_credentials', ...fresh, scope: OFFRES })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ error: 'invalid_client' })
  })
})

describe('revocation (RFC 7009), introspection (RFC 7662), metadata (RFC 8414)', () => {
  async function issue(): Promise<string> {
    return (await token('?realm=/partenaire', { ...credentials(), scope: OFFRES })).json<{ access_token: string }>().access_token
  }
  const post = (path: string, fields: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(fields) })

  it('introspects the client’s own token, and reports others’ as inactive', async () => {
    const access = await issue()
    const own = await post('/connexion/oauth2/introspect', { client_id: clientId, client_secret: secret, token: access })
    expect(own.statusCode).toBe(200)
    expect(own.json()).toMatchObject({ active: true, client_id: clientId, scope: OFFRES, token_type: 'Bearer' })
    const other = await post('/connexion/oauth2/introspect', { ...t.client, token: access })
    expect(other.json()).toEqual({ active: false })
  })

  it('revokes a token at once; an unknown token is not an error', async () => {
    const access = await issue()
    const search = () => t.app.inject({ url: '/partenaire/offresdemploi/v2/referentiel/permis', headers: { authorization: `Bearer ${access}` } })
    expect((await search()).statusCode).toBe(200)
    const revoked = await post('/connexion/oauth2/token/revoke', { client_id: clientId, client_secret: secret, token: access })
    expect(revoked.statusCode).toBe(200)
    expect((await search()).statusCode).toBe(401)
    const unknown = await post('/connexion/oauth2/token/revoke', { client_id: clientId, client_secret: secret, token: 'inconnu' })
    expect(unknown.statusCode).toBe(200)
  })

  it('a client cannot revoke another client’s token', async () => {
    const access = await issue()
    await post('/connexion/oauth2/token/revoke', { ...t.client, token: access })
    const check = await post('/connexion/oauth2/introspect', { client_id: clientId, client_secret: secret, token: access })
    expect(check.json()).toMatchObject({ active: true })
  })

  it('refuses revocation and introspection without client authentication', async () => {
    for (const path of ['/connexion/oauth2/token/revoke', '/connexion/oauth2/introspect']) {
      const response = await post(path, { token: 'x' })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toMatchObject({ error: 'invalid_client' })
    }
  })

  it('publishes the authorization server metadata', async () => {
    const response = await t.app.inject({ url: '/.well-known/oauth-authorization-server', headers: { host: 'api.exemple.fr' } })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({
      issuer: 'http://api.exemple.fr',
      token_endpoint: 'http://api.exemple.fr/connexion/oauth2/access_token',
      revocation_endpoint: 'http://api.exemple.fr/connexion/oauth2/token/revoke',
      introspection_endpoint: 'http://api.exemple.fr/connexion/oauth2/introspect',
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    })
  })
})
