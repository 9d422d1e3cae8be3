import fc from 'fast-check'
import type { LightMyRequestResponse } from 'fastify'
import { expect } from 'vitest'

/**
 * The fuzz suites' seed: `FUZZ_SEED` to replay a run, else a fresh one, printed so that a
 * failure can be replayed.
 */
export const SEED = process.env.FUZZ_SEED !== undefined && process.env.FUZZ_SEED !== '' ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31)

/** Requests in flight at once: enough to overlap the store's and scrypt's waits, few enough for a shared machine. */
const CONCURRENCY = 16

/**
 * Sends `runs` inputs drawn from `arbitrary` (with `seed`) and checks every answer; collects the
 * failures and fails with the first ones, their input and the seed to replay them.
 */
export async function fuzz<T>(
  name: string,
  options: { arbitrary: fc.Arbitrary<T>; runs: number; seed: number },
  send: (input: T) => Promise<LightMyRequestResponse>,
  check: (input: T, response: LightMyRequestResponse) => void,
): Promise<Map<number, number>> {
  const inputs = fc.sample(options.arbitrary, { numRuns: options.runs, seed: options.seed })
  const failures: string[] = []
  const statuses = new Map<number, number>()
  let next = 0
  const worker = async () => {
    while (next < inputs.length) {
      const input = inputs[next++] as T
      const response = await send(input)
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1)
      try {
        expect(response.statusCode, 'no 5xx').toBeLessThan(500)
        check(input, response)
      } catch (error) {
        failures.push(`${JSON.stringify(input).slice(0, 600)}\n  → ${response.statusCode} ${response.body.slice(0, 300)}\n  ${(error as Error).message.split('\n')[0] ?? ''}`)
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const summary = [...statuses.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status}×${count}`).join(' ')
  console.log(`fuzz ${name}: ${inputs.length} requests, seed ${options.seed} (FUZZ_SEED=${SEED}): ${summary}`)
  expect(failures.slice(0, 5), `${failures.length} failures; replay with FUZZ_SEED=${SEED}`).toEqual([])
  return statuses
}

/** The Offres error body: exactly `{message, codeHttp, codeErreur}` (the deposit API may add `erreurs`). */
export function expectErreur(response: LightMyRequestResponse, options: { erreurs?: boolean } = {}): void {
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  const body = response.json<Record<string, unknown>>()
  const keys = Object.keys(body)
  expect(keys.slice(0, 3)).toEqual(['message', 'codeHttp', 'codeErreur'])
  if (options.erreurs && keys.length === 4) {
    expect(keys[3]).toBe('erreurs')
    expect(Array.isArray(body.erreurs)).toBe(true)
  } else {
    expect(keys).toHaveLength(3)
  }
  expect(body.message).toBeTypeOf('string')
  expect(body.codeHttp).toBe(response.statusCode)
  expect(body.codeErreur).toMatch(/^\d+$/)
}

/** CKAN's answers: the success envelope, the error envelope, or a bare "Bad request" string for 400. */
export function expectCkan(response: LightMyRequestResponse): void {
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  const body = response.json<unknown>()
  if (response.statusCode === 400) {
    expect(body).toBeTypeOf('string')
    expect(body).toMatch(/^Bad request: /)
    return
  }
  const envelope = body as { help?: unknown; success?: unknown; result?: unknown; error?: { __type?: unknown } }
  expect(envelope.help).toBeTypeOf('string')
  if (response.statusCode === 200) {
    expect(envelope.success).toBe(true)
    expect(envelope.result).toBeTypeOf('object')
  } else {
    expect(envelope.success).toBe(false)
    expect(envelope.error?.__type).toBeTypeOf('string')
  }
}

/** RFC 6749 §5.1 and §5.2 answers of the token endpoint. */
export function expectOAuth(response: LightMyRequestResponse): void {
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  const body = response.json<Record<string, unknown>>()
  if (response.statusCode === 200) {
    expect(Object.keys(body)).toEqual(['scope', 'expires_in', 'token_type', 'access_token'])
    return
  }
  expect(Object.keys(body)).toEqual(['error', 'error_description'])
  expect(body.error).toMatch(/^(invalid_request|invalid_client|invalid_grant|unauthorized_client|unsupported_grant_type|invalid_scope)$/)
  expect(body.error_description).toBeTypeOf('string')
}

/** Text in a URL: either percent-encoded, or as typed (printable ASCII kept raw, `%` sequences included, even malformed). */
export function urlText(text: string, raw: boolean): string {
  if (!raw) return [...text].map((char) => (/^[A-Za-z0-9\-_.~]$/.test(char) ? char : percentEncode(char))).join('')
  return [...text].map((char) => (/^[!-~]$/.test(char) && char !== '#' && char !== '&' ? char : percentEncode(char))).join('')
}

function percentEncode(char: string): string {
  return [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('')
}

/** Values a hostile client sends: empty, huge, negative, fractional, non-numbers, JSON, unicode, lone surrogates, bad escapes. */
export const nastyText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '', ' ', '0', '-1', '1.5', '-0', 'NaN', 'Infinity', '1e309', '9'.repeat(400), '-9007199254740993', '0x10', 'true', 'false', 'null',
    '[]', '{}', '[1,2]', '{"a":1}', '__proto__', 'constructor', 'toString', '%', '%zz', '%E0%A4%A', '%00', '\u0000', '../..',
    "' OR 1=1 --", '<script>alert(1)</script>', 'é', 'Île-de-France', '😀', '\uD800', ',', ',,,', '2026-13-45', '2026-01-01T00:00:00Z',
    'A'.repeat(3000), '0-149', '3000-3149', '149-0', '-5-10', 'J1506', '33063', '75056', 'CDI', 'E', 'D',
  ),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt().map(String),
)

/** A JSON value as text, sometimes one no serializer would write: huge numbers, deep nesting, duplicates, garbage. */
export const nastyJsonText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '1e400', '-1e400', '9'.repeat(500), '123456789012345678901234567890', '0.0000000000000000000000001', '-0', '"\\ud800"', '"\\u0000"',
      '{"a":1,"a":2}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', '[' .repeat(70) + ']'.repeat(70),
      '{"a":'.repeat(5000) + '1' + '}'.repeat(5000), '[', '{"a":', 'nul', "'x'", '', '   ', 'NaN',
    ),
  },
)
