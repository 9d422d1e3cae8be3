import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { portalRoutes } from '../../src/http/portal/portal.routes.js'
import { createTestApp, type TestApp } from '../support/test-app.js'

/**
 * The DSFR footer's mandatory links and their pages (issue 12, point 13): an accessibility
 * statement that claims no more than what is checked, legal notices, personal data and cookies,
 * with the operator of the deployment as publisher.
 */

const FOOTER_LINKS = [
  ['/portail/accessibilite', 'Accessibilité : non conforme'],
  ['/portail/mentions-legales', 'Mentions légales'],
  ['/portail/donnees-personnelles', 'Données personnelles'],
  ['/portail/cookies', 'Gestion des cookies'],
] as const

const OPERATOR = {
  name: 'Région Exemple',
  address: '1 place de la Région, 33000 Bordeaux',
  contact: 'accessibilite@region-exemple.fr',
  publicationDirector: 'Camille Martin, présidente',
  host: 'Hébergeur SAS, 2 rue des Serveurs, 59000 Lille',
}

function text(page: string): string {
  return page
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
}

let t: TestApp
let configured: FastifyInstance
beforeAll(async () => {
  t = await createTestApp()
  configured = Fastify()
  await configured.register(
    portalRoutes({ access: t.access, usage: t.usage, now: Date.now, secureCookies: false, defaultRatePerSecond: 10, operator: OPERATOR }),
    { prefix: '/portail' },
  )
})
afterAll(async () => {
  await configured.close()
  await t.close()
})

describe('the footer', () => {
  it('links the four pages the DSFR asks for, on every page, the landing page and error pages included', async () => {
    for (const url of ['/', '/portail', '/portail/apis', '/portail/connexion', '/portail/nulle-part', '/portail/cookies']) {
      const page = (await t.app.inject(url)).body
      const bottom = /<ul class="fr-footer__bottom-list">([\s\S]*?)<\/ul>/.exec(page)?.[1] ?? ''
      const links = [...bottom.matchAll(/<a class="fr-footer__bottom-link" href="([^"]+)">([^<]+)<\/a>/g)].map((match) => [match[1], match[2]])
      expect(links, url).toEqual(FOOTER_LINKS)
    }
  })

  it('claims no conformity: none but « non conforme » anywhere in the portal', async () => {
    for (const url of ['/', '/portail', ...FOOTER_LINKS.map(([path]) => path)]) {
      const page = text((await t.app.inject(url)).body)
      const claims = [...page.matchAll(/(\S+\s+)?conformes?\b/gi)].map((match) => match[0])
      expect(claims.filter((claim) => !/^non\s+conforme$/i.test(claim)), url).toEqual([])
    }
  })
})

describe('the legal pages', () => {
  it('answers each, in French, with its title', async () => {
    const titles = ['Déclaration d’accessibilité', 'Mentions légales', 'Données personnelles', 'Gestion des cookies']
    for (const [index, [path]] of FOOTER_LINKS.entries()) {
      const response = await t.app.inject(path)
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(response.body).toContain(`<h1>${titles[index]}</h1>`)
    }
  })

  it('states accessibility as the RGAA model does, « non conforme » since no audit was made', async () => {
    const page = (await t.app.inject('/portail/accessibilite')).body
    const headings = [...page.matchAll(/<h2[^>]*>([^<]+)<\/h2>/g)].map((match) => match[1])
    expect(headings).toEqual([
      'État de conformité',
      'Résultats des tests',
      'Contenus non accessibles',
      'Établissement de cette déclaration',
      'Retour d’information et contact',
      'Voies de recours',
    ])
    const words = text(page)
    expect(words).toContain('est non conforme avec le référentiel général d’amélioration de l’accessibilité (RGAA)')
    expect(words).toContain('Aucun audit de conformité n’a été réalisé')
    expect(words).toContain('axe-core')
    expect(words).toContain('ne remplacent pas un audit')
    expect(words).toContain('Défenseur des droits')
    expect(words).not.toMatch(/partiellement conforme|totalement conforme|taux de conformité/i)
  })

  it('names the operator’s settings where the operator has not filled them', async () => {
    const statement = text((await t.app.inject('/portail/accessibilite')).body)
    expect(statement).toContain('OPERATOR_CONTACT')
    const notice = text((await t.app.inject('/portail/mentions-legales')).body)
    for (const setting of ['OPERATOR_NAME', 'OPERATOR_ADDRESS', 'OPERATOR_PUBLICATION_DIRECTOR', 'OPERATOR_HOST', 'OPERATOR_CONTACT']) {
      expect(notice).toContain(setting)
    }
  })

  it('shows the operator’s details where they are set, the contact as a link', async () => {
    const notice = (await configured.inject('/portail/mentions-legales')).body
    for (const value of Object.values(OPERATOR)) expect(text(notice)).toContain(value)
    expect(notice).not.toContain('OPERATOR_')
    expect(notice).toContain('<a href="mailto:accessibilite@region-exemple.fr">accessibilite@region-exemple.fr</a>')
    const statement = (await configured.inject('/portail/accessibilite')).body
    expect(text(statement)).toContain('Région Exemple')
    expect(statement).toContain('<a href="mailto:accessibilite@region-exemple.fr">accessibilite@region-exemple.fr</a>')
    const privacy = text((await configured.inject('/portail/donnees-personnelles')).body)
    expect(privacy).toContain('Région Exemple')
  })

  it('says what the portal keeps about people, and for how long', async () => {
    const privacy = text((await t.app.inject('/portail/donnees-personnelles')).body)
    for (const fact of [
      'Adresse électronique',
      'empreinte (scrypt)',
      'cookie de session',
      '8 heures',
      'adresse IP',
      '15 minutes',
      'Nombre d’appels',
      'CNIL',
    ]) {
      expect(privacy).toContain(fact)
    }
  })

  it('lists the two cookies, both strictly necessary, hence no consent banner', async () => {
    const cookies = text((await t.app.inject('/portail/cookies')).body)
    expect(cookies).toContain('openemploi_session')
    expect(cookies).toContain('openemploi_visiteur')
    expect(cookies).toContain('strictement nécessaires')
    expect(cookies).toContain('aucun bandeau')
    expect(cookies).not.toMatch(/mesure d’audience|publicit/i)
  })
})
