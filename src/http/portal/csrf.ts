import { createHmac, timingSafeEqual } from 'node:crypto'

/** A fixed label: tokens must be the same on every node, and their secrecy is the cookie's. */
const LABEL = 'openemploi portal csrf v1'

/**
 * Anti-forgery tokens of the portal's forms: HMAC-SHA256 of what the browser's cookie binds the
 * form to (the session, or the pre-session visitor id of the sign-in and sign-up forms). The
 * cookie is HttpOnly and holds 256 random bits, so a page from another site can neither read nor
 * compute the token; no key of the process is involved, so every node behind a load balancer
 * accepts the forms of every other.
 */
export class CsrfTokens {
  /** The token of forms bound to `binding`. */
  token(binding: string): string {
    return createHmac('sha256', LABEL).update(binding).digest('base64url')
  }

  /** Whether `token` is the one of `binding`, compared in constant time. */
  verify(binding: string | undefined, token: unknown): boolean {
    if (binding === undefined || typeof token !== 'string') return false
    const expected = Buffer.from(this.token(binding))
    const given = Buffer.from(token)
    return given.length === expected.length && timingSafeEqual(given, expected)
  }
}
