import { isIP } from 'node:net'
import { TooManyAttemptsError } from '../../shared/errors.js'
import { tokenDigest } from './credentials.js'

/** How many attempts a key has had in its current window, and how long that window still runs. */
export interface AttemptCount {
  readonly attempts: number
  /** Milliseconds until the window ends and the count starts again from 0. */
  readonly resetMs: number
}

/**
 * Counters of sign-in attempts shared by every node (Redis, or the store). Each key has a fixed
 * window that starts with its first attempt; at its end the key is forgotten.
 */
export interface AttemptCounter {
  /** Counts one attempt on each key, atomically per key; @returns the counts including it, in order. */
  increment(keys: readonly string[], windowMs: number): Promise<AttemptCount[]>
  /** Takes one attempt back from a key (never below 0), its window unchanged. */
  decrement(key: string): Promise<void>
  /** Forgets a key. */
  reset(key: string): Promise<void>
  close(): Promise<void>
}

/** The limits of sign-in attempts; see docs/compatibility.md. */
export interface SignInPolicy {
  /** Failed attempts allowed per client address and account within the window. */
  readonly perAccount: number
  /** Failed attempts allowed per client address, whatever the accounts, within the window. */
  readonly perAddress: number
  readonly windowMs: number
}

export const SIGN_IN_POLICY: SignInPolicy = Object.freeze({ perAccount: 5, perAddress: 30, windowMs: 15 * 60_000 })

/** An attempt let through, to be reported as a success if the password was right. */
export interface SignInAttempt {
  readonly addressKey: string
  readonly accountKey: string
}

/**
 * The key of a client address: an IPv4 address as is (IPv4-mapped IPv6 included), an IPv6 address
 * by its /64 prefix, since one subscriber commonly holds a whole /64 and could rotate within it.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped?.[1]) return mapped[1]
  if (isIP(address) !== 6) return address
  const [head = '', tail = ''] = address.split('::')
  const left = head === '' ? [] : head.split(':')
  const right = tail === '' ? [] : tail.split(':')
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(':')}::/64`
}

function minutes(ms: number): string {
  const count = Math.max(1, Math.ceil(ms / 60_000))
  return count === 1 ? '1 minute' : `${count} minutes`
}

/**
 * Slows password guessing without letting a stranger lock an account out: failures are counted
 * per client address and account (the owner signing in from their own address is not affected by
 * failures from elsewhere), and per client address (one address cannot try many accounts).
 * Every attempt is counted before the password is checked, so parallel attempts cannot slip
 * through between a check and a count; a right password takes its attempt back.
 */
export class SignInThrottle {
  constructor(
    private readonly counter: AttemptCounter,
    private readonly policy: SignInPolicy = SIGN_IN_POLICY,
  ) {}

  /**
   * Counts an attempt of `email` from `address`.
   *
   * @throws TooManyAttemptsError (message in French, saying which limit applies) when over a limit.
   */
  async begin(address: string, email: string): Promise<SignInAttempt> {
    const byAddress = addressKey(address)
    const attempt = { addressKey: `a:${byAddress}`, accountKey: `c:${tokenDigest(`${byAddress}\n${email}`)}` }
    const [fromAddress, forAccount] = await this.counter.increment([attempt.addressKey, attempt.accountKey], this.policy.windowMs)
    const { perAddress, perAccount, windowMs } = this.policy
    const window = minutes(windowMs)
    if (fromAddress && fromAddress.attempts > perAddress) {
      throw new TooManyAttemptsError(
        `Trop de tentatives de connexion depuis votre adresse IP (${perAddress} échecs en ${window}, tous comptes confondus) : réessayez dans ${minutes(fromAddress.resetMs)}.`,
        Math.max(1, Math.ceil(fromAddress.resetMs / 1000)),
      )
    }
    if (forAccount && forAccount.attempts > perAccount) {
      throw new TooManyAttemptsError(
        `Trop de tentatives de connexion à ce compte depuis votre adresse IP (${perAccount} échecs en ${window}) : réessayez dans ${minutes(forAccount.resetMs)}.`,
        Math.max(1, Math.ceil(forAccount.resetMs / 1000)),
      )
    }
    return attempt
  }

  /**
   * The password was right: the address gets its attempt back (colleagues behind one address are
   * not counted for signing in), and the account's failures from that address are forgotten.
   */
  async succeeded(attempt: SignInAttempt): Promise<void> {
    await this.counter.decrement(attempt.addressKey)
    await this.counter.reset(attempt.accountKey)
  }
}
