import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * Credentials: client ids shaped like the original's, secrets and tokens drawn from the system's
 * CSPRNG, and their stored forms. Secrets and passwords are kept as scrypt hashes; tokens and
 * session cookies (256 random bits, short-lived, checked on every call) as SHA-256 digests.
 */

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32, maxmem: 64 * 1024 * 1024 } as const

function scryptAsync(secret: string, salt: Buffer, options: ScryptOptions & { keylen: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, options.keylen, options, (error, key) => (error ? reject(error) : resolve(key)))
  })
}

/** A client id like the original's: `PAR_<slug of the application name>_<64 hex>`. */
export function newClientId(applicationName: string): string {
  const slug =
    applicationName
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '')
      .slice(0, 24) || 'application'
  return `PAR_${slug}_${randomBytes(32).toString('hex')}`
}

/** A client secret: 64 hex characters, as the original's. */
export function newSecret(): string {
  return randomBytes(32).toString('hex')
}

/** An opaque bearer token or session cookie value (256 bits, URL-safe). */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url')
}

/** The stored form of a token: its SHA-256, hex. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** The stored form of a secret or password: `scrypt$N$r$p$salt$key`. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(secret, salt, SCRYPT)
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$')
}

/** A stored hash that matches nothing, compared against when the client is unknown so that timing tells nothing. */
export const DECOY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='

/** Checks a secret against its stored hash, in constant time. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false
  const expected = Buffer.from(key, 'base64')
  const actual = await scryptAsync(secret, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    keylen: expected.length,
    maxmem: SCRYPT.maxmem,
  })
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** Constant-time equality of two strings (for digests and tokens). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
