import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOfferFile } from '../../src/ingest/offer-file.js'
import { createTestApp, type TestApp } from '../support/test-app.js'
import { requestToken } from '../support/oauth.js'

const CHROMIUM = '/usr/bin/chromium'
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

/** A phone and a common laptop. */
const WIDTHS = [375, 1366] as const
/** Where the pages' screenshots go, to be looked at (a run replaces them). */
const SCREENSHOTS = join(tmpdir(), 'openemploi-portal-screenshots')
/** axe-core's source, injected into each page (it is not served by the portal). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
/** WCAG 2.1 levels A and AA: what the RGAA checks. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

/**
 * Every HTML page of the service, checked at each width for horizontal overflow and (but /docs,
 * which swagger-ui draws; a fragment opens an operation) by axe. `{client}` is the owner's application; `as` who looks;
 * `submit` sends the page's form empty to check the page with its errors; `flash` shows the
 * application's secret once. A new page is one line here (the per-API pages /portail/apis/<id>,
 * /stats and /catalogue once they answer HTML).
 */
const PAGES: readonly PortalPage[] = [
  { path: '/', as: 'visitor' },
  { path: '/portail', as: 'visitor' },
  { path: '/portail', as: 'owner' },
  { path: '/portail/apis', as: 'visitor' },
  { path: '/portail/apis/offresdemploiv2', as: 'visitor' },
  { path: '/portail/apis/depotoffresv1', as: 'owner' },
  { path: '/portail/apis/infotravailv1', as: 'visitor' },
  { path: '/portail/apis/offresdemploiv2/cgu', as: 'visitor' },
  { path: '/stats', as: 'visitor' },
  { path: '/catalogue', as: 'visitor' },
  { path: '/portail/inscription', as: 'visitor' },
  { path: '/portail/inscription', as: 'visitor', submit: 'Créer mon compte' },
  { path: '/portail/connexion', as: 'visitor' },
  { path: '/portail/connexion', as: 'visitor', submit: 'Se connecter' },
  { path: '/portail/applications', as: 'owner' },
  { path: '/portail/applications', as: 'owner', submit: 'Créer l’application' },
  { path: '/portail/applications/{client}', as: 'owner' },
  { path: '/portail/applications/{client}', as: 'owner', flash: true },
  { path: '/portail/applications/{client}/cgu/infotravailv1', as: 'owner' },
  { path: '/portail/applications/{client}/cgu/infotravailv1', as: 'owner', submit: 'Accepter les conditions' },
  { path: '/portail/applications/{client}/secret', as: 'owner' },
  { path: '/portail/applications/{client}/revocation', as: 'owner' },
  { path: '/portail/accessibilite', as: 'visitor' },
  { path: '/portail/mentions-legales', as: 'visitor' },
  { path: '/portail/donnees-personnelles', as: 'visitor' },
  { path: '/portail/cookies', as: 'owner' },
  { path: '/portail/nulle-part', as: 'visitor' },
  { path: '/docs', as: 'visitor', axe: false },
  { path: '/docs#/Offres/recupererListeOffre', as: 'visitor', axe: false },
]

interface PortalPage {
  readonly path: string
  readonly as: 'visitor' | 'owner'
  readonly submit?: string
  readonly flash?: boolean
  /** false: not checked by axe (pages the portal does not draw). */
  readonly axe?: boolean
}

interface AxeResults {
  violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[]
}

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
      args: LAUNCH_ARGS,
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

  describe('on a phone and a laptop, with the DSFR script', () => {
    const OWNER = { email: 'grace@exemple.fr', password: 'correct horse battery' }
    let clientId: string
    let session: string
    const contexts: BrowserContext[] = []

    beforeAll(async () => {
      await t.access.createAccount({ email: OWNER.email, name: 'Grace Hopper', kind: 'collectivite', password: OWNER.password, organisation: 'Région Nouvelle-Aquitaine' })
      session = (await t.access.signIn(OWNER.email, OWNER.password, '192.0.2.10'))?.session ?? ''
      const account = await t.access.sessionAccount(session)
      const made = await t.access.createApplication(account?.id ?? '', 'Observatoire régional de l’emploi et des métiers')
      clientId = made.application.clientId
      await t.access.acceptTerms(clientId, 'offresdemploiv2', '1.0', account?.id ?? '')
      await t.access.acceptTerms(clientId, 'depotoffresv1', '1.0', account?.id ?? '')
      const today = new Date().toISOString().slice(0, 10)
      await t.usage.add([{ day: today, clientId, api: 'offresdemploiv2', route: '/offres/search', status: 200, calls: 1234 }])
      mkdirSync(SCREENSHOTS, { recursive: true })
    })

    afterAll(async () => {
      for (const opened of contexts) await opened.close()
    })

    /** A page at `width`, signed in as the owner or not, with the DSFR script on. */
    async function open(width: number, as: 'visitor' | 'owner', ownSession = session): Promise<{ page: Page; errors: string[] }> {
      const opened = await browser.newContext({ viewport: { width, height: 800 }, locale: 'fr-FR' })
      opened.setDefaultTimeout(10_000)
      contexts.push(opened)
      if (as === 'owner') {
        await opened.addCookies([{ name: 'openemploi_session', value: ownSession, domain: '127.0.0.1', path: '/portail', httpOnly: true, sameSite: 'Lax' }])
      }
      const page = await opened.newPage()
      const errors: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text())
      })
      page.on('pageerror', (error) => errors.push(error.message))
      return { page, errors }
    }

    /** Opens the page (and sends its form); @returns the status of the page shown. */
    async function visit(page: Page, entry: PortalPage): Promise<number | undefined> {
      if (entry.flash) await t.access.putFlash(session, clientId, 'f'.repeat(64))
      // A fragment alone would not load the page again.
      if (entry.path.includes('#')) await page.goto('about:blank')
      let response = await page.goto(`${origin}${entry.path.replace('{client}', encodeURIComponent(clientId))}`)
      if (entry.submit !== undefined) {
        ;[response] = await Promise.all([
          page.waitForResponse((answer) => answer.request().method() === 'POST'),
          page.getByRole('main').getByRole('button', { name: entry.submit }).click(),
        ])
        await page.waitForLoadState('load')
      }
      if (entry.path.startsWith('/docs')) await page.locator(entry.path.includes('#') ? '.opblock.is-open .responses-table' : '.opblock').first().waitFor()
      else await page.locator('html[data-fr-js="true"]').waitFor({ state: 'attached' })
      return response?.status()
    }

    for (const width of WIDTHS) {
      describe(`${width} px wide`, () => {
        let pages: Record<PortalPage['as'], { page: Page; errors: string[] }>
        beforeAll(async () => {
          pages = { visitor: await open(width, 'visitor'), owner: await open(width, 'owner') }
        })

        for (const entry of PAGES) {
          const name = `${entry.path}${entry.submit ? ' with its errors' : ''}${entry.flash ? ' with the new secret' : ''} (${entry.as})`
          it(`${name}: within the window, no axe violation of WCAG 2.1 A or AA, no console error`, async () => {
            const { page, errors } = pages[entry.as]
            expect(await visit(page, entry)).toBe(entry.submit ? 400 : entry.path === '/portail/nulle-part' ? 404 : 200)
            const file = `${width}-${entry.as}${entry.path.replace('{client}', 'application').replace(/[^a-z0-9]+/gi, '-')}${entry.submit ? '-erreurs' : ''}${entry.flash ? '-nouveau-secret' : ''}.png`
            await page.screenshot({ path: join(SCREENSHOTS, file), fullPage: true })
            const widths = await page.evaluate<{ document: number; window: number }>('({ document: document.documentElement.scrollWidth, window: window.innerWidth })')
            expect(widths.document, 'width of the document').toBeLessThanOrEqual(widths.window)
            // No badge cut: its text fits in it, and it lies within the visible part of its table.
            const cut = await page.evaluate<string[]>(`[...document.querySelectorAll('.fr-badge')].filter((badge) => {
              const box = badge.getBoundingClientRect()
              const frame = badge.closest('.fr-table__container')?.getBoundingClientRect()
              return badge.scrollWidth > badge.clientWidth + 1 || (frame !== undefined && (box.left < frame.left - 1 || box.right > frame.right + 1))
            }).map((badge) => badge.textContent)`)
            expect(cut, 'badges cut').toEqual([])
            if (entry.axe !== false) {
              // Evaluated through the DevTools protocol: the page's CSP refuses inline scripts, rightly.
              await page.evaluate(`${AXE_SOURCE}\n;0`)
              const results = await page.evaluate<AxeResults>(`axe.run(${JSON.stringify({ runOnly: { type: 'tag', values: AXE_TAGS } })})`)
              const violations = results.violations.map(
                (violation) => `${violation.id} (${violation.impact ?? '?'}) at ${violation.nodes.map((node) => JSON.stringify(node.target)).join(', ')}`,
              )
              expect(violations, 'axe violations').toEqual([])
            }
            // The answers the page asked for (a 404, a form refused) are reported by Chromium too.
            expect(errors.splice(0).filter((text) => !/^Failed to load resource: the server responded with a status of (400|404)/.test(text))).toEqual([])
          })
        }
      })
    }

    it('opens the menu on a phone and follows its links; the owner signs out from it', async () => {
      // A session of its own, that it ends.
      const own = (await t.access.signIn(OWNER.email, OWNER.password, '192.0.2.10'))?.session
      const { page } = await open(375, 'owner', own)
      await page.goto(`${origin}/portail`)
      await page.locator('html[data-fr-js="true"]').waitFor({ state: 'attached' })
      const menu = page.getByRole('button', { name: 'Menu' })
      const apis = page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Les API' })
      expect(await apis.isVisible()).toBe(false)
      await menu.click()
      await apis.waitFor({ state: 'visible' })
      expect(await menu.getAttribute('data-fr-opened')).toBe('true')
      await page.screenshot({ path: join(SCREENSHOTS, '375-menu-ouvert.png') })
      await apis.click()
      await page.waitForURL(`${origin}/portail/apis`)
      await menu.click()
      await page.getByRole('dialog').getByRole('button', { name: 'Se déconnecter' }).click()
      await page.waitForURL(/\/portail\/connexion\?message=deconnecte$/)
    })

    it('shows the navigation on a phone without JavaScript', async () => {
      const opened = await browser.newContext({ viewport: { width: 375, height: 800 }, javaScriptEnabled: false })
      contexts.push(opened)
      const page = await opened.newPage()
      await page.goto(`${origin}/portail`)
      await page.screenshot({ path: join(SCREENSHOTS, '375-sans-js.png'), fullPage: true })
      expect(await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Les API' }).isVisible()).toBe(true)
      expect(await page.getByRole('link', { name: 'Se connecter' }).first().isVisible()).toBe(true)
      expect(await page.getByRole('button', { name: 'Menu' }).isVisible()).toBe(false)
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375)
    })

    it('writes the chart’s labels at 12 px at least on a phone', async () => {
      const { page } = await open(375, 'owner')
      await page.goto(`${origin}/portail/applications/${encodeURIComponent(clientId)}`)
      // The font size as drawn: the computed size times the scale of the SVG's user units on screen.
      const sizes = await page.evaluate<{ rendered: number; height: number }[]>(`[...document.querySelectorAll('figure:has(#appels) text')].map((label) => ({
        rendered: parseFloat(getComputedStyle(label).fontSize) * label.getScreenCTM().a,
        height: label.getBoundingClientRect().height,
      }))`)
      expect(sizes.length).toBeGreaterThan(3)
      for (const size of sizes) {
        expect(size.rendered).toBeGreaterThanOrEqual(12)
        expect(size.height).toBeGreaterThanOrEqual(12)
      }
    })
  })
})
