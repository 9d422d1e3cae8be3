import { existsSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOfferFile } from '../../src/ingest/offer-file.js'
import { createTestApp, type TestApp } from '../support/test-app.js'
import { requestToken } from '../support/oauth.js'

const CHROMIUM = '/usr/bin/chromium'

// The journey needs a real browser; machines without the system Chromium (playwright-core ships
// none) skip it rather than fail, the inject tests covering the same routes. .ci/run installs
// Debian's Chromium where it is missing, so CI always runs it.
describe.skipIf(!existsSync(CHROMIUM))('developer portal in a browser', () => {
  let t: TestApp
  let origin: string
  let browser: Browser
  let context: BrowserContext
  let page: Page
  const problems: string[] = []
  const stylesheets = new Map<string, number>()

  beforeAll(async () => {
    t = await createTestApp()
    await t.importAndReload(readOfferFile(new URL('../fixtures/offres/offres-exemple-data-engineer-2.json', import.meta.url).pathname))
    origin = await t.app.listen({ host: '127.0.0.1', port: 0 })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    })
    // Without JavaScript: the portal must work with server-rendered forms alone.
    context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 }, locale: 'fr-FR' })
    context.setDefaultTimeout(10_000)
    page = await context.newPage()
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(`page: ${error.message}`))
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`))
    page.on('response', (response) => {
      if (response.request().resourceType() === 'stylesheet') stylesheets.set(new URL(response.url()).pathname, response.status())
      if (response.status() >= 400 && !response.url().includes('/connexion/oauth2/')) {
        problems.push(`HTTP ${response.status()}: ${response.url()}`)
      }
    })
  })

  afterAll(async () => {
    await context?.close()
    await browser?.close()
    await t?.close()
  })

  const token = (clientId: string, secret: string) => requestToken(origin, { clientId, secret })

  async function credentials(): Promise<{ clientId: string; secret: string }> {
    return {
      clientId: await page.getByLabel('client_id', { exact: true }).inputValue(),
      secret: await page.getByLabel('client_secret', { exact: true }).inputValue(),
    }
  }

  it('signs up, subscribes an application, calls the API, rotates, revokes and signs out', async () => {
    await page.goto(`${origin}/portail`)
    expect(await page.title()).toBe('Accueil — Portail des développeurs OpenEmploi')
    expect(stylesheets.get('/portail/dsfr/dsfr.min.css')).toBe(200)
    expect(stylesheets.get('/portail/dsfr/utility/icons/icons.min.css')).toBe(200)

    // Sign up.
    await page.getByRole('main').getByRole('link', { name: 'Créer un compte' }).click()
    await page.getByLabel('Adresse électronique').fill('ada@exemple.fr')
    await page.getByLabel('Mot de passe').fill('trop court')
    await page.getByLabel('Nom et prénom').fill('Ada Lovelace')
    await page.getByLabel('Type d’organisation').selectOption('entreprise')
    await page.getByRole('button', { name: 'Créer mon compte' }).click()
    // « trop court » has exactly 10 characters: accepted.
    await page.waitForURL(/\/portail\/applications\?message=bienvenue$/)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Mes applications')

    // Create an application: its credentials are shown this once.
    await page.getByLabel('Nom de l’application').fill('Mon site d’offres')
    await page.getByRole('button', { name: 'Créer l’application' }).click()
    // The form is answered by a redirect to the application's page, which shows them once.
    await page.waitForURL(/\/portail\/applications\/PAR_[^/?]+\?message=creee$/)
    await expect.poll(() => page.getByText('L’application est créée.').count()).toBe(1)
    const created = await credentials()
    expect(created.clientId).toMatch(/\S/)
    expect(created.secret).toMatch(/\S/)
    const applicationUrl = `${origin}/portail/applications/${encodeURIComponent(created.clientId)}`
    expect(page.url()).not.toContain(created.secret)
    // Reloading neither shows the secret again nor sends the form again.
    await page.reload()
    expect(await page.getByLabel('client_secret', { exact: true }).count()).toBe(0)
    expect((await t.access.applications({})).filter((application) => application.name === 'Mon site d’offres')).toHaveLength(1)

    // Read and accept the terms of the Offres API.
    await page.getByRole('link', { name: /Lire et accepter les conditions de l’API Offres d'emploi/ }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain('Offres d\'emploi')
    expect(await page.getByRole('heading', { level: 2, name: /Conditions générales/ }).count()).toBe(1)
    await page.getByRole('button', { name: 'Accepter les conditions' }).click()
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Cochez la case')
    // That 400 was asked for: it is the only problem so far.
    await expect.poll(() => problems.length).toBe(2)
    expect(problems.splice(0).map((problem) => problem.replace(origin, ''))).toEqual([
      expect.stringMatching(/^HTTP 400: \/portail\/applications\/[^/]+\/cgu\/offresdemploiv2$/),
      'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ])
    // The DSFR draws the box on the label, over the native input: users click the label.
    await page.getByText(/^J’ai lu et j’accepte/).click()
    expect(await page.getByRole('checkbox', { name: /J’ai lu et j’accepte/ }).isChecked()).toBe(true)
    await page.getByRole('button', { name: 'Accepter les conditions' }).click()
    await page.waitForURL(/message=cgu-acceptees$/)
    expect(await page.getByRole('row', { name: /Offres d'emploi/ }).getByText('Accordée').count()).toBe(1)
    expect(await page.getByText('10 appels par seconde et par API').count()).toBe(1)
    // Never shown again.
    expect(await page.getByLabel('client_secret', { exact: true }).count()).toBe(0)
    expect(await page.content()).not.toContain(created.secret)

    // Call the API with those credentials.
    const issued = await token(created.clientId, created.secret)
    expect(issued.status).toBe(200)
    const { access_token: accessToken } = (await issued.json()) as { access_token: string }
    const search = await fetch(`${origin}/partenaire/offresdemploi/v2/offres/search`, {
      headers: { authorization: `Bearer ${accessToken}` },
    })
    expect([200, 206]).toContain(search.status)

    // The call is counted on the application's page once the recorder has flushed.
    await t.recorder.flush()
    await page.reload()
    expect(await page.locator('#appels-desc').textContent()).toMatch(/^1 appel au total du /)
    expect(await page.getByRole('img', { name: /Appels par jour de l’application Mon site d’offres/ }).count()).toBe(1)

    // Rotate the secret: the new one is shown once, the old one no longer gets a token.
    await page.getByRole('link', { name: 'Renouveler le secret' }).click()
    await page.getByRole('button', { name: 'Confirmer le renouvellement' }).click()
    await page.waitForURL(/message=secret-renouvele$/)
    await expect.poll(() => page.getByText('Votre nouveau secret').count()).toBeGreaterThan(0)
    const rotated = await credentials()
    expect(rotated.clientId).toBe(created.clientId)
    expect(rotated.secret).not.toBe(created.secret)
    expect((await token(created.clientId, created.secret)).status).not.toBe(200)
    expect((await token(rotated.clientId, rotated.secret)).status).toBe(200)

    // Revoke: nothing works any more.
    await page.getByRole('link', { name: 'Révoquer l’application' }).click()
    await page.getByRole('button', { name: 'Confirmer la révocation' }).click()
    await page.waitForURL(/message=revoquee$/)
    expect(await page.getByRole('main').getByText('Révoquée', { exact: true }).count()).toBe(1)
    expect((await token(rotated.clientId, rotated.secret)).status).not.toBe(200)

    // Sign out: private pages send back to the sign-in form.
    await page.getByRole('banner').getByRole('button', { name: 'Se déconnecter' }).click()
    await page.waitForURL(/\/portail\/connexion\?message=deconnecte$/)
    await page.goto(applicationUrl)
    expect(new URL(page.url()).pathname).toBe('/portail/connexion')

    expect(problems).toEqual([])
  })
})
