import { describe, expect, it } from 'vitest'
import { bannerText, startFacts } from './banner.js'

describe('the start banner on a terminal', () => {
  it('names the addresses, the credentials file and, once, the demo secret', () => {
    const facts = startFacts('http://127.0.0.1:8080', 'var/demo-client.json')
    const demo = { client_id: 'PAR_demo_1', client_secret: 's3cret', example: 'curl …' }
    expect(bannerText(facts, demo)).toBe(
      [
        '',
        'OpenEmploi listens on http://127.0.0.1:8080',
        '  Portal         http://127.0.0.1:8080/portail',
        '  Documentation  http://127.0.0.1:8080/docs',
        '  Health         http://127.0.0.1:8080/health',
        '  Credentials    var/demo-client.json',
        '',
        'Demo application created (its secret is shown once; it is kept in the credentials file):',
        '  client_id      PAR_demo_1',
        '  client_secret  s3cret',
        '  token          curl …',
        '',
        '',
      ].join('\n'),
    )
  })

  it('leaves out what this start has not got', () => {
    expect(bannerText(startFacts('https://api.example.fr', undefined), undefined)).not.toMatch(/Credentials|client_id/)
  })
})
