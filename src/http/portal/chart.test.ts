import { describe, expect, it } from 'vitest'
import { lastDays } from '../../domain/usage/usage.js'
import { callsLabel, dailyCallsChart, dailyTotals, niceCeiling } from './chart.js'

describe('dailyTotals', () => {
  it('sums the APIs of each day and fills missing days with 0', () => {
    const days = lastDays(Date.UTC(2026, 5, 3, 15), 3)
    expect(days).toEqual(['2026-06-01', '2026-06-02', '2026-06-03'])
    const rows = [
      { day: '2026-06-01', calls: 2 },
      { day: '2026-06-03', calls: 5 },
      { day: '2026-06-03', calls: 1 },
      { day: '2026-05-31', calls: 9 },
    ]
    expect(dailyTotals(rows, days)).toEqual([
      { day: '2026-06-01', calls: 2 },
      { day: '2026-06-02', calls: 0 },
      { day: '2026-06-03', calls: 6 },
    ])
  })
})

describe('niceCeiling', () => {
  it('rounds up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 10, 11, 199, 4500].map(niceCeiling)).toEqual([1, 1, 5, 10, 10, 20, 200, 5000])
  })
})

describe('callsLabel', () => {
  it('agrees in number, the French way', () => {
    expect(callsLabel(0)).toBe('0 appel')
    expect(callsLabel(1)).toBe('1 appel')
    expect(callsLabel(1234).replace(/\s/g, ' ')).toBe('1 234 appels')
  })
})

describe('dailyCallsChart', () => {
  const days = dailyTotals([{ day: '2026-06-02', calls: 4 }], lastDays(Date.UTC(2026, 5, 3), 3))

  it('is an image named by its title and described by its summary', () => {
    const out = dailyCallsChart(days, { id: 'appels', title: 'Appels de <App>' }).value
    expect(out).toContain('role="img" aria-labelledby="appels-titre appels-desc"')
    expect(out).toContain('<title id="appels-titre">Appels de &lt;App&gt;</title>')
    expect(out).toContain('<desc id="appels-desc">4 appels au total du 1 juin 2026 au 3 juin 2026 ; au plus 4 appels le 2 juin 2026.</desc>')
  })

  it('draws one bar per day with calls, scaled to a round top of the axis', () => {
    const out = dailyCallsChart(days, { id: 'c', title: 't' }).value
    const bars = [...out.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((match) => Number(match[1]))
    // 4 calls on an axis up to 5, over a plot 140 units high.
    expect(bars).toEqual([112])
    expect(out).toMatch(/>5<\/text>/)
    expect(out).toContain('<title>2 juin 2026 : 4 appels</title>')
  })

  it('draws in CSS pixels, never scaled down to a narrow screen: no viewBox, labels of 12 px', () => {
    const out = dailyCallsChart(days, { id: 'c', title: 't' }).value
    expect(out).not.toContain('viewBox')
    const sizes = [...out.matchAll(/<text [^>]*font-size="(\d+)"/g)].map((match) => match[1])
    expect(sizes.length).toBeGreaterThan(2)
    expect(new Set(sizes)).toEqual(new Set(['12']))
    // The bars are placed in percentages of the plot's width.
    expect(out).toMatch(/<rect x="[\d.]+%" y="[\d.]+" width="[\d.]+%"/)
  })

  it('gives the same figures as a table', () => {
    const out = dailyCallsChart(days, { id: 'c', title: 't' }).value
    expect(out).toContain('<caption>t</caption>')
    const cells = [...out.matchAll(/<tr><th scope="row">([^<]+)<\/th><td>(\d+)<\/td><\/tr>/g)].map((match) => [match[1], match[2]])
    expect(cells).toEqual([
      ['1 juin 2026', '0'],
      ['2 juin 2026', '4'],
      ['3 juin 2026', '0'],
    ])
  })

  it('says so when there was no call', () => {
    const out = dailyCallsChart(dailyTotals([], lastDays(Date.UTC(2026, 5, 3), 30)), { id: 'c', title: 't' }).value
    expect(out).toContain('Aucun appel du 5 mai 2026 au 3 juin 2026.')
    expect(out).not.toContain('<rect')
  })
})
