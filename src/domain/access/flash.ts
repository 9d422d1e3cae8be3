import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/**
 * The sealed form of a session's flash (a message for the next page only, such as a new client
 * secret): AES-256-GCM under a key derived from the session cookie's value, which the store never
 * holds (it keeps the cookie's SHA-256). A copy of the store alone opens nothing; the browser that
 * holds the cookie opens it on whichever node answers its next request.
 */

const INFO = 'openemploi portal flash v1'
const IV_BYTES = 12
const TAG_BYTES = 16

function key(session: string, subject: string): Buffer {
  // The subject is in the derivation: a flash moved to another subject's row does not open.
  return Buffer.from(hkdfSync('sha256', session, subject, INFO, 32))
}

/** Seals `value` for the holder of `session`, for the page of `subject`. */
export function sealFlash(session: string, subject: string, value: string): string {
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key(session, subject), iv)
  const text = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()])
  return Buffer.concat([iv, cipher.getAuthTag(), text]).toString('base64url')
}

/** Opens a sealed flash; @returns undefined when it was not sealed for this session and subject. */
export function openFlash(session: string, subject: string, sealed: string): string | undefined {
  const bytes = Buffer.from(sealed, 'base64url')
  if (bytes.length < IV_BYTES + TAG_BYTES) return undefined
  const decipher = createDecipheriv('aes-256-gcm', key(session, subject), bytes.subarray(0, IV_BYTES))
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
  } catch {
    return undefined
  }
}
