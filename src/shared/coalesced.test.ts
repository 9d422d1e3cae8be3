import { describe, expect, it } from 'vitest'
import { Coalesced } from './coalesced.js'

/** Work that waits to be released, counting its runs and when each started. */
function gatedWork() {
  const state = { runs: 0, started: [] as number[], release: () => undefined as void, clock: 0, fail: false }
  const work = async () => {
    state.runs++
    state.started.push(state.clock++)
    await new Promise<void>((resolve) => (state.release = resolve))
    if (state.fail) throw new Error('run failed')
  }
  return { state, work }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))

describe('Coalesced', () => {
  it('folds the asks made during a run into one more run after it', async () => {
    const { state, work } = gatedWork()
    const coalesced = new Coalesced(work)
    const first = coalesced.run()
    await tick()
    const asks = [coalesced.run(), coalesced.run(), coalesced.run()]
    state.release()
    await tick()
    // The asks made during the first run got one run that started after them.
    expect(state.runs).toBe(2)
    state.release()
    await Promise.all([first, ...asks])
    expect(state.runs).toBe(2)
    expect(coalesced.running).toBeUndefined()
  })

  it('rejects the asks whose run failed, and runs again at the next ask', async () => {
    const { state, work } = gatedWork()
    const coalesced = new Coalesced(work)
    state.fail = true
    const failing = coalesced.run()
    await tick()
    state.release()
    await expect(failing).rejects.toThrow('run failed')
    state.fail = false
    const next = coalesced.run()
    await tick()
    state.release()
    await next
    expect(state.runs).toBe(2)
  })
})
