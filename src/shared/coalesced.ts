/**
 * Runs some work when asked, folding the asks made while it runs into one more run after it:
 * every ask is followed by a run that started after it, and any number of concurrent asks cost at
 * most two runs.
 */
export class Coalesced {
  private current: Promise<void> | undefined
  private again = false

  constructor(private readonly work: () => Promise<void>) {}

  /** The run in progress (with the one folded after it), if any. */
  get running(): Promise<void> | undefined {
    return this.current
  }

  /** Resolves after a run that started after this call; rejects if that run fails. */
  run(): Promise<void> {
    if (this.current) {
      this.again = true
      return this.current
    }
    const current = (async () => {
      try {
        do {
          this.again = false
          await this.work()
        } while (this.again)
      } finally {
        this.current = undefined
      }
    })()
    this.current = current
    return current
  }
}
