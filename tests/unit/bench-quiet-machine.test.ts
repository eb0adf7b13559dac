import { describe, expect, it } from 'vitest'
import { describeQuietWait, waitForQuietMachine } from '../../bench/quiet-machine'

/** A clock that moves only when the bench sleeps, and a load that follows the given readings. */
function fakeMachine(loads: number[]): { readLoad: () => number; sleep: (ms: number) => Promise<void>; now: () => number; sleeps: number[] } {
  let clock = 0
  let reading = 0
  const sleeps: number[] = []
  return {
    readLoad: () => loads[Math.min(reading++, loads.length - 1)] as number,
    sleep: async (ms) => {
      sleeps.push(ms)
      clock += ms
    },
    now: () => clock,
    sleeps
  }
}

describe('waitForQuietMachine', () => {
  it('does not wait on a quiet machine', async () => {
    const machine = fakeMachine([0.4])
    const wait = await waitForQuietMachine({ ...machine, quietLoad: 1, pollMs: 5000, maxWaitMs: 60_000 })
    expect(wait).toEqual({ waitedMs: 0, load: 0.4, quiet: true, quietLoad: 1 })
    expect(machine.sleeps).toEqual([])
    expect(describeQuietWait(wait)).toBe('Machine quiet at the start (1-minute load 0.40 ≤ 1)')
  })

  it('says a quiet machine was quiet even when the clock moved while the load was read', async () => {
    let clock = 0
    const wait = await waitForQuietMachine({ readLoad: () => 0.43, now: () => (clock += 3), sleep: async () => {}, quietLoad: 1 })
    expect(wait.waitedMs).toBe(0)
    expect(describeQuietWait(wait)).toBe('Machine quiet at the start (1-minute load 0.43 ≤ 1)')
  })

  it('waits until the load has settled to the quiet load, the limit included', async () => {
    const machine = fakeMachine([2.6, 1.9, 1.3, 1])
    const wait = await waitForQuietMachine({ ...machine, quietLoad: 1, pollMs: 5000, maxWaitMs: 60_000 })
    expect(wait).toEqual({ waitedMs: 15_000, load: 1, quiet: true, quietLoad: 1 })
    expect(describeQuietWait(wait)).toMatch(/^Waited 15 s for the machine to settle \(1-minute load now 1\.00 ≤ 1;/)
  })

  it('describes the wait by the load it waited for', async () => {
    const machine = fakeMachine([2.6, 1.8])
    const wait = await waitForQuietMachine({ ...machine, quietLoad: 2, pollMs: 5000, maxWaitMs: 60_000 })
    expect(describeQuietWait(wait)).toMatch(/^Waited 5 s for the machine to settle \(1-minute load now 1\.80 ≤ 2;/)
  })

  it('goes on after the longest wait, saying the machine stayed busy, and never sleeps past it', async () => {
    const machine = fakeMachine([3])
    const wait = await waitForQuietMachine({ ...machine, quietLoad: 1, pollMs: 5000, maxWaitMs: 12_000 })
    expect(wait).toEqual({ waitedMs: 12_000, load: 3, quiet: false, quietLoad: 1 })
    expect(machine.sleeps).toEqual([5000, 5000, 2000])
    expect(describeQuietWait(wait)).toBe('Waited 12 s and the machine did not settle (1-minute load 3.00 > 1): measuring anyway, on a busy machine')
  })
})
