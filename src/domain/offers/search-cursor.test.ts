import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor, queryFingerprint, type SearchCursor } from './search-cursor.js'

const cursor: SearchCursor = {
  after: { score: 17, distance: 12.345678901234567, date: Date.parse('2026-11-28T10:11:12.345Z'), origine: 2, id: '184VWCX' },
  fingerprint: queryFingerprint({ sort: 2, keywords: [['infirmi']] }),
  minute: Date.parse('2026-11-28T12:34:00Z'),
}

describe('search cursors', () => {
  it('decode to what they were encoded from, distances to the last bit', () => {
    const text = encodeCursor(cursor)
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(decodeCursor(text)).toEqual(cursor)
  })

  it('fingerprint the resolved search: another criterion or sort gives another fingerprint', () => {
    expect(queryFingerprint({ sort: 2, keywords: [['infirmi']] })).toBe(cursor.fingerprint)
    expect(queryFingerprint({ sort: 1, keywords: [['infirmi']] })).not.toBe(cursor.fingerprint)
    expect(queryFingerprint({ sort: 2, keywords: [['infirmi']], typesContrat: ['CDI'] })).not.toBe(cursor.fingerprint)
  })

  it.each([
    ['empty', ''],
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('not json').toString('base64url')],
    ['not an array', Buffer.from('{"a":1}').toString('base64url')],
    ['another version', Buffer.from(JSON.stringify([2, 0, 0, 0, 1, 'A', 'AAAAAAAAAAAAAAAA', 0])).toString('base64url')],
    ['a bad origin', Buffer.from(JSON.stringify([1, 0, 0, 0, 3, 'A', 'AAAAAAAAAAAAAAAA', 0])).toString('base64url')],
    ['an id with spaces', Buffer.from(JSON.stringify([1, 0, 0, 0, 1, 'A B', 'AAAAAAAAAAAAAAAA', 0])).toString('base64url')],
    ['a short fingerprint', Buffer.from(JSON.stringify([1, 0, 0, 0, 1, 'A', 'AAAA', 0])).toString('base64url')],
    ['a minute not on the minute', Buffer.from(JSON.stringify([1, 0, 0, 0, 1, 'A', 'AAAAAAAAAAAAAAAA', 1])).toString('base64url')],
    ['a string for a number', Buffer.from(JSON.stringify([1, '0', 0, 0, 1, 'A', 'AAAAAAAAAAAAAAAA', 0])).toString('base64url')],
    ['too long', 'A'.repeat(513)],
  ])('are refused when %s', (_label, text) => {
    expect(decodeCursor(text)).toBeUndefined()
  })
})
