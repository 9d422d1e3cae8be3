import Fastify from 'fastify'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { utcDay } from '../../src/domain/usage/usage.js'
import { portalRoutes } from '../../src/http/portal/portal.routes.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

/** A browser as far as the portal cares: a cookie jar, forms posted with their anti-forgery token. */
class Visitor {
  readonly cookies = new Map<string, string>()

  constructor(private readonly t: TestApp) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  async request(options: InjectOptions): Promise<LightMyRequestResponse> {
    const response = await this.t.app.inject({ ...options, headers: { ...options.headers, cookie: this.cookieHeader() } })
    for (const cookie of response.cookies) {
      const expired = cookie.value === '' || (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now())
      if (expired) this.cookies.delete(cookie.name)
      else this.cookies.set(cookie.name, cookie.value)
    }
    return response
  }

  get(url: string): Promise<LightMyRequestResponse> {
    return this.request({ method: 'GET', url })
  }

  /** Posts a form as the page at `from` would, with the token found on it (unless given). */
  async post(url: string, fields: Record<string, string>, from = url): Promise<LightMyRequestResponse> {
    const csrf = fields.csrf ?? csrfOf((await this.get(from)).body)
    return this.request({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ csrf, ...fields }).toString(),
    })
  }
}

function csrfOf(page: string): string {
  return /name="csrf" value="([^"]*)"/.exec(page)?.[1] ?? ''
}

function inputValue(page: string, id: string): string | undefined {
  return new RegExp(`id="${id}"[^>]*value="([^"]*)"`).exec(page)?.[1]
}

let sequence = 0
function uniqueEmail(): string {
  sequence++
  return `dev${sequence}-${Date.now()}@exemple.fr`
}

const PASSWORD = 'correct horse battery'

async function signedUp(t: TestApp, email = uniqueEmail()): Promise<Visitor> {
  const visitor = new Visitor(t)
  const response = await visitor.post('/portail/inscription', {
    email,
    password: PASSWORD,
    name: 'Ada Lovelace',
    kind: 'entreprise',
    organisation: 'Analytical',
  })
  expect(response.statusCode).toBe(303)
  return visitor
}

/**
 * Creates an application: the form answers 303 to the application's page, which shows the secret
 * once (a flash of the session). @returns its client id and that page.
 */
async function created(visitor: Visitor, name = 'Mon appli'): Promise<{ clientId: string; page: string }> {
  const response = await visitor.post('/portail/applications', { name })
  expect(response.statusCode).toBe(303)
  const location = String(response.headers.location)
  expect(location).toMatch(/^\/portail\/applications\/PAR_[^/?]+\?message=creee$/)
  const page = (await visitor.get(location)).body
  const clientId = inputValue(page, 'client_id') ?? ''
  expect(location).toBe(`/portail/applications/${encodeURIComponent(clientId)}?message=creee`)
  return { clientId, page }
}

describe('developer portal', () => {
  let t: TestApp

  beforeAll(async () => {
    t = await createTestApp()
  })

  afterAll(async () => {
    await t.close()
  })

  describe('pages and assets', () => {
    it('serves the home page in French with the DSFR, and strict headers', async () => {
      const response = await new Visitor(t).get('/portail')
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(response.headers['content-security-policy']).toContain("default-src 'none'")
      expect(response.headers['cache-control']).toBe('no-store')
      expect(response.body).toContain('<html lang="fr">')
      expect(response.body).toContain('href="/portail/dsfr/dsfr.min.css"')
      expect(response.body).toContain('<p class="fr-header__service-title">OpenEmploi</p>')
      expect(response.body).toContain('Portail des développeurs')
      expect(response.body.match(/<h1[ >]/g)).toHaveLength(1)
      // The DSFR's script only, from the portal's files; nothing inline.
      expect(response.headers['content-security-policy']).toContain("script-src 'self';")
      expect(response.body.match(/<script[^>]*>/g)).toEqual([
        '<script type="module" src="/portail/dsfr/dsfr.module.min.js">',
        '<script nomodule src="/portail/dsfr/dsfr.nomodule.min.js">',
      ])
      expect(response.body).not.toMatch(/ style=|<style/)
      // The header's menu as the DSFR's script expects it: a button controlling a modal.
      expect(response.body).toContain('<button class="fr-btn--menu fr-btn" type="button" data-fr-opened="false" aria-controls="menu-principal" aria-haspopup="dialog" id="bouton-menu" title="Menu">Menu</button>')
      expect(response.body).toContain('<div class="fr-header__menu fr-modal" id="menu-principal" aria-labelledby="bouton-menu">')
      expect(response.body).toMatch(/<noscript><link rel="stylesheet" href="\/portail\/portail-sans-js\.css\?v=[\w-]{12}"><\/noscript>/)
    })

    it('serves the DSFR’s script and the portal’s stylesheets, these for a year under a URL naming their content', async () => {
      for (const file of ['dsfr.module.min.js', 'dsfr.nomodule.min.js']) {
        const script = await t.app.inject(`/portail/dsfr/${file}`)
        expect(script.statusCode).toBe(200)
        expect(script.headers['content-type']).toMatch(/^(text|application)\/javascript/)
      }
      const page = (await new Visitor(t).get('/portail')).body
      for (const name of ['portail', 'portail-sans-js']) {
        const href = new RegExp(`href="(/portail/${name}\\.css\\?v=[\\w-]+)"`).exec(page)?.[1] ?? ''
        const sheet = await t.app.inject(href)
        expect(sheet.statusCode).toBe(200)
        expect(sheet.headers['content-type']).toBe('text/css; charset=utf-8')
        expect(sheet.headers['cache-control']).toBe('public, max-age=31536000, immutable')
        expect((await t.app.inject(`/portail/${name}.css?v=ancienne`)).headers['cache-control']).toBe('no-cache')
      }
    })

    it('serves the DSFR files', async () => {
      const css = await t.app.inject('/portail/dsfr/dsfr.min.css')
      expect(css.statusCode).toBe(200)
      expect(css.headers['content-type']).toMatch(/^text\/css/)
      expect((await t.app.inject('/portail/dsfr/utility/icons/icons.min.css')).statusCode).toBe(200)
      expect((await t.app.inject('/portail/dsfr/favicon/favicon.svg')).statusCode).toBe(200)
      expect((await t.app.inject('/portail/dsfr/../package.json')).statusCode).toBe(404)
    })

    it('lists the APIs of the catalogue with their scopes and documentation', async () => {
      const page = (await new Visitor(t).get('/portail/apis')).body
      for (const api of t.access.catalogue.apis) {
        expect(page).toContain(`${api.titre.replace(/'/g, '&#39;')} ${api.version}`)
        for (const scope of api.scopes) expect(page).toContain(`<p class="fr-tag fr-tag--sm">${scope}</p>`)
      }
      expect(page).toContain('href="/docs"')
      // Each API's access terms are said once (the catalogue's own text names the administrator's approval).
      expect(page.split('après validation par un administrateur')).toHaveLength(2)
      for (const api of t.access.catalogue.apis) expect(api.acces.includes('après validation par un administrateur')).toBe(api.ouverture === 'validation')
      const terms = await new Visitor(t).get('/portail/apis/offresdemploiv2/cgu')
      expect(terms.statusCode).toBe(200)
      expect(terms.body).toContain('<li><strong>Objet.</strong>')
      expect(terms.body).not.toContain('name="accept"')
    })

    it('answers an HTML 404 for unknown portal pages and APIs', async () => {
      for (const url of ['/portail/nulle-part', '/portail/apis/inconnue/cgu']) {
        const response = await new Visitor(t).get(url)
        expect(response.statusCode).toBe(404)
        expect(response.body).toContain('Page introuvable')
      }
    })

    it('keeps the portal out of the OpenAPI document', async () => {
      const document = (await t.app.inject('/openapi.json')).json<{ paths: Record<string, unknown> }>()
      expect(Object.keys(document.paths).filter((path) => path.startsWith('/portail'))).toEqual([])
    })
  })

  describe('signed out', () => {
    it('sends private pages and forms to the sign-in page', async () => {
      const visitor = new Visitor(t)
      for (const url of ['/portail/applications', '/portail/applications/quelconque', '/portail/applications/x/cgu/offresdemploiv2']) {
        const response = await visitor.get(url)
        expect(response.statusCode).toBe(303)
        expect(response.headers.location).toBe('/portail/connexion')
      }
      const post = await visitor.request({ method: 'POST', url: '/portail/applications', payload: { name: 'x' } })
      expect(post.statusCode).toBe(303)
      expect(post.headers.location).toBe('/portail/connexion')
    })
  })

  describe('sign-up and sign-in', () => {
    it('signs up, sets a strict session cookie and lands on the applications', async () => {
      const visitor = new Visitor(t)
      const response = await visitor.post('/portail/inscription', {
        email: uniqueEmail(),
        password: PASSWORD,
        name: 'Ada',
        kind: 'particulier',
        organisation: '',
      })
      expect(response.statusCode).toBe(303)
      expect(response.headers.location).toBe('/portail/applications?message=bienvenue')
      const cookie = response.cookies.find((item) => item.name === 'openemploi_session')
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/portail' })
      expect(cookie?.secure).toBeFalsy()
      const page = await visitor.get(String(response.headers.location))
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('Votre compte est créé')
      expect(page.body).toContain('Se déconnecter')
    })

    it('re-renders the form with linked errors, keeping all but the password', async () => {
      const visitor = new Visitor(t)
      const response = await visitor.post(
        '/portail/inscription',
        { email: 'pas-une-adresse', password: 'court', name: 'Grace <Hopper>', kind: 'ministere', organisation: 'DINUM' },
        '/portail/inscription',
      )
      expect(response.statusCode).toBe(400)
      const page = response.body
      expect(page).toContain('fr-alert--error')
      expect(page).toContain('<title>Erreur : ')
      // The summary links each message to its field.
      expect(page).toContain('<li><a href="#email">Saisissez une adresse électronique valide')
      expect(page).toContain('<li><a href="#password">Le mot de passe doit compter au moins 10 caractères.</a></li>')
      expect(page).toMatch(/id="email"[^>]*aria-describedby="email-messages"/)
      expect(page).toContain('<div class="fr-messages-group" id="email-messages" aria-live="polite"><p class="fr-message fr-message--error">')
      expect(page).toMatch(/id="password"[^>]*aria-describedby="password-messages"/)
      expect(inputValue(page, 'email')).toBe('pas-une-adresse')
      expect(inputValue(page, 'name')).toBe('Grace &lt;Hopper&gt;')
      expect(inputValue(page, 'organisation')).toBe('DINUM')
      expect(inputValue(page, 'password')).toBeUndefined()
      expect(page).not.toContain('court')
      expect(page).toContain('<option value="ministere" selected>')
      expect(visitor.cookies.has('openemploi_session')).toBe(false)
    })

    it('answers 409 for an e-mail already registered', async () => {
      const email = uniqueEmail()
      await signedUp(t, email)
      const response = await new Visitor(t).post('/portail/inscription', {
        email: email.toUpperCase(),
        password: PASSWORD,
        name: 'Autre',
        kind: 'entreprise',
        organisation: '',
      })
      expect(response.statusCode).toBe(409)
      expect(response.body).toContain('Un compte existe déjà avec cette adresse électronique.')
      expect(inputValue(response.body, 'email')).toBe(email.toUpperCase())
    })

    it('signs in with the right password only', async () => {
      const email = uniqueEmail()
      await signedUp(t, email)
      const visitor = new Visitor(t)
      const wrong = await visitor.post('/portail/connexion', { email, password: 'mauvais mot de passe' })
      expect(wrong.statusCode).toBe(400)
      expect(wrong.body).toContain('Adresse électronique ou mot de passe incorrect.')
      expect(inputValue(wrong.body, 'email')).toBe(email)
      expect(visitor.cookies.has('openemploi_session')).toBe(false)
      const right = await visitor.post('/portail/connexion', { email, password: PASSWORD })
      expect(right.statusCode).toBe(303)
      expect(right.headers.location).toBe('/portail/applications')
      expect((await visitor.get('/portail/applications')).statusCode).toBe(200)
      // Signed in, the forms of the signed-out lead to the applications.
      expect((await visitor.get('/portail/connexion')).headers.location).toBe('/portail/applications')
    })

    it('signs out for good', async () => {
      const visitor = await signedUp(t)
      const session = visitor.cookies.get('openemploi_session') ?? ''
      const response = await visitor.post('/portail/deconnexion', {}, '/portail/applications')
      expect(response.statusCode).toBe(303)
      expect(response.headers.location).toBe('/portail/connexion?message=deconnecte')
      expect(visitor.cookies.has('openemploi_session')).toBe(false)
      expect(await t.access.sessionAccount(session)).toBeUndefined()
      // Replaying the old cookie gets nothing either.
      visitor.cookies.set('openemploi_session', session)
      expect((await visitor.get('/portail/applications')).statusCode).toBe(303)
    })

    it('sets Secure cookies when asked to', async () => {
      const app = Fastify()
      await app.register(
        portalRoutes({ access: t.access, usage: t.usage, now: Date.now, secureCookies: true, defaultRatePerSecond: 10 }),
        { prefix: '/portail' },
      )
      try {
        const form = await app.inject('/portail/connexion')
        expect(form.cookies.find((cookie) => cookie.name === 'openemploi_visiteur')?.secure).toBe(true)
        const email = uniqueEmail()
        await t.access.createAccount({ email, name: 'Sécurisé', kind: 'entreprise', password: PASSWORD })
        const visitorCookie = form.cookies.find((cookie) => cookie.name === 'openemploi_visiteur')?.value ?? ''
        const response = await app.inject({
          method: 'POST',
          url: '/portail/connexion',
          headers: { cookie: `openemploi_visiteur=${visitorCookie}` },
          payload: { email, password: PASSWORD, csrf: csrfOf(form.body) },
        })
        expect(response.statusCode).toBe(303)
        expect(response.cookies.find((cookie) => cookie.name === 'openemploi_session')).toMatchObject({
          secure: true,
          httpOnly: true,
          sameSite: 'Lax',
          path: '/portail',
        })
      } finally {
        await app.close()
      }
    })
  })

  describe('anti-forgery', () => {
    it('refuses a form without the token of this session, and changes nothing', async () => {
      const visitor = await signedUp(t)
      const other = await signedUp(t)
      const otherToken = csrfOf((await other.get('/portail/applications')).body)
      for (const csrf of ['', 'faux', otherToken]) {
        const response = await visitor.post('/portail/applications', { name: 'Forgée', csrf })
        expect(response.statusCode).toBe(403)
        expect(response.body).toContain('Formulaire expiré')
      }
      const missing = await visitor.request({
        method: 'POST',
        url: '/portail/applications',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'name=Forg%C3%A9e',
      })
      expect(missing.statusCode).toBe(403)
      const account = await t.access.sessionAccount(visitor.cookies.get('openemploi_session') ?? '')
      expect(await t.access.applications({ accountId: account?.id ?? '' })).toEqual([])
    })

    it('refuses the sign-in and sign-up forms without the visitor cookie they were bound to', async () => {
      const email = uniqueEmail()
      const page = await t.app.inject('/portail/inscription')
      const response = await t.app.inject({
        method: 'POST',
        url: '/portail/inscription',
        payload: { csrf: csrfOf(page.body), email, password: PASSWORD, name: 'X', kind: 'entreprise' },
      })
      expect(response.statusCode).toBe(403)
      expect((await new Visitor(t).post('/portail/connexion', { email, password: PASSWORD })).statusCode).toBe(400)
    })

    it('refuses a sign-out without the token', async () => {
      const visitor = await signedUp(t)
      const response = await visitor.post('/portail/deconnexion', { csrf: 'x' })
      expect(response.statusCode).toBe(403)
      expect((await visitor.get('/portail/applications')).statusCode).toBe(200)
    })
  })

  describe('applications', () => {
    it('shows the credentials once, then only the client_id', async () => {
      const visitor = await signedUp(t)
      const { clientId, page } = await created(visitor, 'Job <board>')
      expect(page).toContain('<h1>Job &lt;board&gt;</h1>')
      expect(page).toContain('L’application est créée.')
      expect(inputValue(page, 'client_id')).toBe(clientId)
      const secret = inputValue(page, 'client_secret') ?? ''
      expect(secret).not.toBe('')
      expect(await t.access.authenticate(clientId, secret)).toMatchObject({ clientId })
      const again = (await visitor.get(`/portail/applications/${encodeURIComponent(clientId)}`)).body
      expect(again).toContain(`<code>${clientId}</code>`)
      expect(again).not.toContain(secret)
      expect(again).not.toContain('client_secret')
      const list = (await visitor.get('/portail/applications')).body
      expect(list).toContain(`<code>${clientId}</code>`)
      expect(list).toContain('Job &lt;board&gt;')
      expect(list).not.toContain(secret)
    })

    it('shows the secret to the session that made it only, whichever page it opens first', async () => {
      const email = uniqueEmail()
      const visitor = await signedUp(t, email)
      const other = new Visitor(t)
      expect((await other.post('/portail/connexion', { email, password: PASSWORD })).statusCode).toBe(303)
      const response = await visitor.post('/portail/applications', { name: 'Deux onglets' })
      const location = String(response.headers.location)
      // The same account in another browser: no secret.
      expect((await other.get(location)).body).not.toContain('client_secret')
      // Another page of the portal first: the secret still waits for its own page.
      expect((await visitor.get('/portail/applications')).body).not.toContain('client_secret')
      expect(inputValue((await visitor.get(location)).body, 'client_secret')).toMatch(/^[0-9a-f]{64}$/)
    })

    it('re-renders the form for an empty or too long name', async () => {
      const visitor = await signedUp(t)
      const empty = await visitor.post('/portail/applications', { name: '   ' })
      expect(empty.statusCode).toBe(400)
      expect(empty.body).toContain('Le nom de l’application est obligatoire')
      expect(empty.body).toMatch(/id="name"[^>]*aria-describedby="name-messages"/)
      const long = 'x'.repeat(101)
      const tooLong = await visitor.post('/portail/applications', { name: long })
      expect(tooLong.statusCode).toBe(400)
      expect(inputValue(tooLong.body, 'name')).toBe(long)
    })

    it('answers 404 for the application of another account, and changes nothing', async () => {
      const owner = await signedUp(t)
      const { clientId } = await created(owner)
      const intruder = await signedUp(t)
      const base = `/portail/applications/${encodeURIComponent(clientId)}`
      for (const url of [base, `${base}/cgu/offresdemploiv2`, `${base}/secret`, `${base}/revocation`, '/portail/applications/inconnu']) {
        expect((await intruder.get(url)).statusCode).toBe(404)
      }
      for (const url of [`${base}/cgu/offresdemploiv2`, `${base}/secret`, `${base}/revocation`]) {
        const response = await intruder.post(url, { accept: 'oui', version: '1.0' }, '/portail/applications')
        expect(response.statusCode).toBe(404)
        expect(response.body).not.toContain(clientId)
      }
      const application = await t.access.application(clientId)
      expect(application).toMatchObject({ status: 'active', secretRotatedAt: null, subscriptions: [] })
    })

    it('accepts the terms of an API, after they were ticked', async () => {
      const visitor = await signedUp(t)
      const { clientId } = await created(visitor)
      const termsUrl = `/portail/applications/${encodeURIComponent(clientId)}/cgu/offresdemploiv2`
      const terms = (await visitor.get(termsUrl)).body
      expect(terms).toContain('<h2>Conditions générales d&#39;utilisation')
      expect(terms).toContain('<ol><li><strong>Objet.</strong>')
      expect(terms).toContain('J’ai lu et j’accepte les conditions générales d’utilisation')
      expect(terms).toContain('name="version" value="1.0"')

      const unticked = await visitor.post(termsUrl, { version: '1.0' })
      expect(unticked.statusCode).toBe(400)
      expect(unticked.body).toMatch(/id="accept"[^>]*aria-describedby="acceptation-messages"/)
      const outdated = await visitor.post(termsUrl, { accept: 'oui', version: '0.9' })
      expect(outdated.statusCode).toBe(400)
      expect((await t.access.application(clientId)).subscriptions).toEqual([])

      const accepted = await visitor.post(termsUrl, { accept: 'oui', version: '1.0' })
      expect(accepted.statusCode).toBe(303)
      expect(accepted.headers.location).toBe(`/portail/applications/${encodeURIComponent(clientId)}?message=cgu-acceptees`)
      const account = await t.access.sessionAccount(visitor.cookies.get('openemploi_session') ?? '')
      expect((await t.access.application(clientId)).subscriptions).toEqual([
        expect.objectContaining({ api: 'offresdemploiv2', status: 'granted', termsVersion: '1.0', acceptedBy: account?.id }),
      ])
      const page = (await visitor.get(String(accepted.headers.location))).body
      expect(page).toContain('<p class="fr-badge fr-badge--sm fr-badge--success">Accordée</p>')
      expect(page).toContain('10 appels par seconde et par API')
      expect((await visitor.get(termsUrl)).body).toContain('Conditions déjà acceptées')
    })

    it('shows pending and refused subscriptions and the application’s own limit', async () => {
      const visitor = await signedUp(t)
      const { clientId } = await created(visitor)
      await t.access.acceptTerms(clientId, 'offresdemploiv2', '1.0', 'operator')
      await t.access.decide(clientId, 'offresdemploiv2', 'rejected', 'admin')
      await t.access.setRateLimit(clientId, 3)
      const url = `/portail/applications/${encodeURIComponent(clientId)}`
      const page = (await visitor.get(url)).body
      expect(page).toContain('fr-badge--error">Refusée</p>')
      expect(page).toContain('3 appels par seconde et par API')
      const refused = await visitor.post(`${url}/cgu/offresdemploiv2`, { accept: 'oui', version: '1.0' })
      expect(refused.statusCode).toBe(409)
      expect((await t.access.application(clientId)).subscriptions[0]?.status).toBe('rejected')
    })

    it('charts the application’s calls of the last 30 days', async () => {
      const visitor = await signedUp(t)
      const { clientId } = await created(visitor)
      const today = utcDay(Date.now())
      await t.usage.add([
        { day: today, clientId, api: 'offresdemploiv2', route: '/offres/search', status: 200, calls: 3 },
        { day: today, clientId, api: 'infotravailv1', route: '/x', status: 200, calls: 4 },
        { day: '2000-01-01', clientId, api: 'offresdemploiv2', route: '/offres/search', status: 200, calls: 1000 },
      ])
      const page = (await visitor.get(`/portail/applications/${encodeURIComponent(clientId)}`)).body
      expect(page).toContain('role="img" aria-labelledby="appels-titre appels-desc"')
      expect(page).toMatch(/<desc id="appels-desc">7 appels au total du /)
      expect(page.match(/<tr><th scope="row">/g)).toHaveLength(30)
      expect(page).toContain('<td>7</td>')
      expect(page).not.toContain('1000')
    })

    it('rotates the secret after confirmation: the new one is shown once, the old one stops working', async () => {
      const visitor = await signedUp(t)
      const { clientId, page } = await created(visitor)
      const oldSecret = inputValue(page, 'client_secret') ?? ''
      const base = `/portail/applications/${encodeURIComponent(clientId)}`
      const confirmation = await visitor.get(`${base}/secret`)
      expect(confirmation.statusCode).toBe(200)
      expect(confirmation.body).toContain('Confirmer le renouvellement')
      const rotated = await visitor.post(`${base}/secret`, {})
      expect(rotated.statusCode).toBe(303)
      expect(rotated.headers.location).toBe(`${base}?message=secret-renouvele`)
      const shown = (await visitor.get(String(rotated.headers.location))).body
      expect(shown).toContain('Votre nouveau secret')
      expect(shown).toContain('Le secret est renouvelé.')
      const newSecret = inputValue(shown, 'client_secret') ?? ''
      expect(newSecret).not.toBe('')
      expect(newSecret).not.toBe(oldSecret)
      expect(await t.access.authenticate(clientId, oldSecret)).toBeUndefined()
      expect(await t.access.authenticate(clientId, newSecret)).toBeDefined()
      // Reloading the page shows it no more.
      expect((await visitor.get(String(rotated.headers.location))).body).not.toContain(newSecret)
      expect((await visitor.get(base)).body).not.toContain(newSecret)
    })

    it('creates one application per form sent, however often its page is reloaded', async () => {
      const visitor = await signedUp(t)
      const { clientId } = await created(visitor, 'Une seule')
      for (let reload = 0; reload < 3; reload++) {
        expect((await visitor.get(`/portail/applications/${encodeURIComponent(clientId)}?message=creee`)).statusCode).toBe(200)
      }
      const account = await t.access.sessionAccount(visitor.cookies.get('openemploi_session') ?? '')
      expect((await t.access.applications({ accountId: account?.id ?? '' })).map((application) => application.name)).toEqual(['Une seule'])
    })

    it('revokes after confirmation, for good', async () => {
      const visitor = await signedUp(t)
      const { clientId, page } = await created(visitor)
      const secret = inputValue(page, 'client_secret') ?? ''
      const base = `/portail/applications/${encodeURIComponent(clientId)}`
      expect((await visitor.get(`${base}/revocation`)).body).toContain('Confirmer la révocation')
      const revoked = await visitor.post(`${base}/revocation`, {})
      expect(revoked.statusCode).toBe(303)
      const shown = (await visitor.get(String(revoked.headers.location))).body
      expect(shown).toContain('L’application est révoquée')
      expect(shown).toContain('fr-badge--error">Révoquée</p>')
      expect(shown).not.toContain('Renouveler le secret')
      expect(await t.access.authenticate(clientId, secret)).toBeUndefined()
      expect((await visitor.get(`${base}/secret`)).statusCode).toBe(303)
      const rotate = await visitor.post(`${base}/secret`, {}, base)
      expect(rotate.statusCode).toBe(409)
      const terms = await visitor.post(`${base}/cgu/offresdemploiv2`, { accept: 'oui', version: '1.0' }, base)
      expect(terms.statusCode).toBe(409)
    })
  })

  describe('post/redirect/get', () => {
    it('answers every form of the portal, once accepted, with 303 See Other to a page', async () => {
      const email = uniqueEmail()
      const visitor = new Visitor(t)
      const answers: [string, number, string][] = []
      const send = async (url: string, fields: Record<string, string>, from?: string): Promise<string> => {
        const response = await visitor.post(url, fields, from)
        const location = String(response.headers.location)
        answers.push([url.replace(/PAR_[^/]+/, ':id'), response.statusCode, location.replace(/PAR_[^/?]+/, ':id')])
        // The page it leads to is there.
        expect((await visitor.get(location)).statusCode).toBe(200)
        return location
      }
      await send('/portail/inscription', { email, password: PASSWORD, name: 'PRG', kind: 'entreprise', organisation: '' })
      await send('/portail/deconnexion', {}, '/portail/applications')
      await send('/portail/connexion', { email, password: PASSWORD })
      const application = await send('/portail/applications', { name: 'PRG' })
      const base = application.split('?')[0] ?? ''
      await send(`${base}/cgu/offresdemploiv2`, { accept: 'oui', version: '1.0' })
      await send(`${base}/secret`, {}, `${base}/secret`)
      await send(`${base}/revocation`, {}, `${base}/revocation`)
      expect(answers).toEqual([
        ['/portail/inscription', 303, '/portail/applications?message=bienvenue'],
        ['/portail/deconnexion', 303, '/portail/connexion?message=deconnecte'],
        ['/portail/connexion', 303, '/portail/applications'],
        ['/portail/applications', 303, '/portail/applications/:id?message=creee'],
        ['/portail/applications/:id/cgu/offresdemploiv2', 303, '/portail/applications/:id?message=cgu-acceptees'],
        ['/portail/applications/:id/secret', 303, '/portail/applications/:id?message=secret-renouvele'],
        ['/portail/applications/:id/revocation', 303, '/portail/applications/:id?message=revoquee'],
      ])
    })
  })
})
