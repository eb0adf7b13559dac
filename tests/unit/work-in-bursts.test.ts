import { describe, expect, it } from 'vitest'
import { BURST_MS, eachInBursts, PAUSE_PER_BURST, SHARE_OF_A_CORE } from '../../src/main/services/work-in-bursts'

/** Work that keeps the thread busy for `ms`. */
function busyFor(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until) {
    // busy
  }
}

describe('eachInBursts', () => {
  it('pauses after each burst of work for three times the burst: a quarter of a core', async () => {
    const pauses: number[] = []
    const done: number[] = []
    const items = Array.from({ length: 12 }, (_, index) => index)
    const finished = await eachInBursts(items, (item) => {
      busyFor(1.5)
      done.push(item)
    }, () => true, async (ms) => {
      pauses.push(ms)
    })
    expect(finished).toBe(true)
    expect(done).toEqual(items)
    // 18 ms of work in bursts of at least BURST_MS: a pause after every third item or so.
    expect(pauses.length).toBeGreaterThanOrEqual(3)
    expect(pauses.length).toBeLessThanOrEqual(Math.ceil(18 / BURST_MS))
    for (const pause of pauses) expect(pause).toBeGreaterThanOrEqual(BURST_MS * PAUSE_PER_BURST)
    expect(SHARE_OF_A_CORE).toBe(1 / (1 + PAUSE_PER_BURST))
  })

  it('does not pause for work shorter than a burst', async () => {
    const pauses: number[] = []
    expect(await eachInBursts([1, 2, 3], () => undefined, () => true, async (ms) => void pauses.push(ms))).toBe(true)
    expect(pauses).toEqual([])
  })

  it('stops when told to, with the items after it left alone', async () => {
    const done: number[] = []
    const finished = await eachInBursts([1, 2, 3, 4], (item) => void done.push(item), () => done.length < 2, async () => undefined)
    expect(finished).toBe(false)
    expect(done).toEqual([1, 2])
  })

  it('really waits between bursts by default', async () => {
    const started = performance.now()
    await eachInBursts([1, 2], () => busyFor(BURST_MS), () => true)
    // Two bursts of BURST_MS, each followed by a pause of three times as long.
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * BURST_MS * (1 + PAUSE_PER_BURST) - 1)
  })
})
