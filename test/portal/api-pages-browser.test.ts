import { existsSync } from 'node:fs'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { utcDay } from '../../src/domain/usage/usage.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

const CHROMIUM = '/usr/bin/chromium'

declare const document: { documentElement: { scrollWidth: number; clientWidth: number } }

/**
 * The pages of issue 12, points 11 and 12, in a real browser: an API's page and /stats on a 375 px
 * screen (drawn, charts visible, nothing wider than the screen), and the reference at /docs, where
 * « Authorize » gets a token from the service and « Try it out » calls an action with it.
 * Machines without the system Chromium skip it, as the portal's journey does.
 */
describe.skipIf(!existsSync(CHROMIUM))('API pages, statistics and reference in a browser', () => {
  let t: TestApp
  let origin: string
  let browser: Browser
  const problems: string[] = []

  beforeAll(async () => {
    t = await createTestApp()
    const today = Date.now()
    await t.usage.add(
      Array.from({ length: 30 }, (_, day) => ({ day: utcDay(today - day * 86_400_000), clientId: 'a', api: 'offresdemploiv2', route: '/x', status: 200, calls: 1000 + day })),
    )
    origin = await t.app.listen({ host: '127.0.0.1', port: 0 })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    })
  })

  afterAll(async () => {
    await browser?.close()
    await t?.close()
  })

  async function open(context: BrowserContext, path: string): Promise<Page> {
    const page = await context.newPage()
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`)
    })
    page.on('pageerror', (error) => problems.push(`page: ${error.message}`))
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`)
    })
    const response = await page.goto(`${origin}${path}`)
    expect(response?.status(), path).toBe(200)
    return page
  }

  /** The page is no wider than the screen: nothing scrolls sideways but the boxes meant to. */
  const widthOf = (page: Page) => page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth])

  it('draws an API’s page on a 375 px screen without script: its chart, its terms, nothing overflowing', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 }, locale: 'fr-FR' })
    context.setDefaultTimeout(10_000)
    const page = await open(context, '/portail/apis/offresdemploiv2')
    expect(await page.title()).toBe('API Offres d\'emploi v2 — Portail des développeurs OpenEmploi')
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('API Offres d\'emploi v2')
    const chart = page.getByRole('img', { name: /Appels par jour de l’API Offres d'emploi v2/ })
    await chart.scrollIntoViewIfNeeded()
    expect(await chart.isVisible()).toBe(true)
    // The whole chart, its axis beside its plot, spans the width of a phone.
    expect((await chart.locator('xpath=..').boundingBox())?.width).toBeGreaterThan(300)
    expect(await page.locator('#appels rect').count()).toBe(30)
    expect(await page.getByRole('heading', { level: 2, name: 'Conditions générales d’utilisation' }).isVisible()).toBe(true)
    const [scrollWidth, clientWidth] = await widthOf(page)
    expect(scrollWidth).toBe(clientWidth)
    expect(clientWidth).toBe(375)
    // The token request's lines are wider than the screen: they wrap within their block.
    const sample = page.locator('pre', { hasText: 'grant_type=client_credentials' })
    expect(await sample.evaluate((box: { scrollWidth: number; clientWidth: number }) => box.scrollWidth <= box.clientWidth)).toBe(true)
    expect((await sample.boundingBox())?.height).toBeGreaterThan(100)
    // The link to the reference selects this API's document.
    expect(await page.getByRole('link', { name: 'Ouvrir la référence de l’API' }).getAttribute('href')).toBe('/docs/?urls.primaryName=Offres%20d\'emploi%20v2')
    await context.close()
    expect(problems).toEqual([])
  })

  it('draws /stats for a browser on a 375 px screen, and its period form works without script', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 }, locale: 'fr-FR' })
    context.setDefaultTimeout(10_000)
    const page = await open(context, '/stats')
    expect(await page.title()).toBe('Statistiques d’utilisation — Portail des développeurs OpenEmploi')
    const chart = page.getByRole('img', { name: 'Appels par jour de l’API Offres d\'emploi v2, sur les 30 derniers jours' })
    await chart.scrollIntoViewIfNeeded()
    expect(await chart.isVisible()).toBe(true)
    // The whole chart, its axis beside its plot, spans the width of a phone.
    expect((await chart.locator('xpath=..').boundingBox())?.width).toBeGreaterThan(300)
    expect(await page.getByRole('table', { name: 'Appels par API sur les 30 derniers jours' }).isVisible()).toBe(true)
    const [scrollWidth, clientWidth] = await widthOf(page)
    expect(scrollWidth).toBe(clientWidth)
    await page.getByLabel('Période').selectOption('7')
    await page.getByRole('button', { name: 'Afficher' }).click()
    await page.waitForURL(/\/stats\?jours=7$/)
    expect(await page.locator('#appels-offresdemploiv2 rect').count()).toBe(7)
    await context.close()
    expect(problems).toEqual([])
  })

  it('opens an API’s document in the reference, gets a token with « Authorize » and calls an action', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' })
    context.setDefaultTimeout(20_000)
    const page = await open(context, '/docs/?urls.primaryName=Infotravail%20v1')
    expect(await page.title()).toBe('OpenEmploi — Documentation des API')
    await expect.poll(() => page.locator('.info .title').textContent()).toContain('OpenEmploi — API Infotravail v1')
    expect(await page.locator('.topbar').getByRole('link', { name: 'Portail des développeurs' }).getAttribute('href')).toBe('/portail')
    expect(await page.locator('.info').getByRole('link', { name: 'Page de l’API', exact: true }).getAttribute('href')).toBe('/portail/apis/infotravailv1')
    expect(await page.locator('.opblock-summary-path', { hasText: /^\/partenaire\/infotravail\/v1\/datastore_search$/ }).count()).toBe(2)

    await page.locator('.auth-wrapper').getByRole('button', { name: /Authorize/ }).click()
    await page.getByLabel('client_id:').fill(t.client.client_id)
    await page.getByLabel('client_secret:').fill(t.client.client_secret)
    await page.getByText('select all').click()
    await page.getByRole('button', { name: 'Apply given OAuth2 credentials' }).click()
    // Authorised: the dialog offers to log out instead, and shows no error.
    await expect.poll(() => page.getByRole('button', { name: 'Remove authorization' }).count()).toBe(1)
    expect(await page.locator('.auth-container .errors').count()).toBe(0)
    await page.locator('.auth-btn-wrapper').getByRole('button', { name: 'Close' }).click()

    const operation = page.locator('.opblock-get', { has: page.locator('.opblock-summary-path', { hasText: /^\/partenaire\/infotravail\/v1\/package_list$/ }) })
    await operation.locator('.opblock-summary-control').click()
    await operation.getByRole('button', { name: 'Try it out' }).click()
    await operation.getByRole('button', { name: 'Execute' }).click()
    await expect.poll(() => operation.locator('.live-responses-table tbody .response-col_status').first().textContent()).toBe('200')
    expect(await operation.locator('.live-responses-table .microlight').first().textContent()).toContain('"success": true')
    await context.close()
    expect(problems).toEqual([])
  })
})
