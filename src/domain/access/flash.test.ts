import { describe, expect, it } from 'vitest'
import { openFlash, sealFlash } from './flash.js'

describe('session flash sealing', () => {
  it('opens for the same session and subject only, and never shows the value in the sealed form', () => {
    const secret = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2'
    const sealed = sealFlash('session-1', 'PAR_app_1', secret)
    expect(sealed).not.toContain(secret)
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain(secret)
    expect(openFlash('session-1', 'PAR_app_1', sealed)).toBe(secret)
    expect(openFlash('session-2', 'PAR_app_1', sealed)).toBeUndefined()
    expect(openFlash('session-1', 'PAR_app_2', sealed)).toBeUndefined()
    expect(openFlash('session-1', 'PAR_app_1', 'trop-court')).toBeUndefined()
  })

  it('seals the same value differently each time (random IV)', () => {
    expect(sealFlash('s', 'x', 'v')).not.toBe(sealFlash('s', 'x', 'v'))
  })

  it('refuses a sealed value altered by one bit', () => {
    const bytes = Buffer.from(sealFlash('s', 'x', 'valeur'), 'base64url')
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1
    expect(openFlash('s', 'x', bytes.toString('base64url'))).toBeUndefined()
  })
})
