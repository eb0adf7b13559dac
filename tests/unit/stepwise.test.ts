import { describe, expect, it } from 'vitest'
import { OWN_TASK_NEXT, runInSlices, runToEnd, type Step } from '../../src/core/stepwise'

describe('stepwise work', () => {
  function* work(log: string[]): Generator<Step, string> {
    log.push('a')
    yield
    log.push('b')
    yield OWN_TASK_NEXT
    log.push('long step')
    yield
    log.push('c')
    return 'done'
  }

  it('runs straight through, OWN_TASK_NEXT or not', () => {
    const log: string[] = []
    expect(runToEnd(work(log))).toBe('done')
    expect(log).toEqual(['a', 'b', 'long step', 'c'])
  })

  it('pauses before a step said to need a task of its own, even with time left in the slice', async () => {
    const log: string[] = []
    // A slice far longer than the work: only OWN_TASK_NEXT can pause it.
    const result = await runInSlices(work(log), async () => void log.push('pause'), 60_000)
    expect(result).toBe('done')
    expect(log).toEqual(['a', 'b', 'pause', 'long step', 'c'])
  })

  it('still pauses at every yield with no time given', async () => {
    const log: string[] = []
    await runInSlices(work(log), async () => void log.push('pause'))
    expect(log).toEqual(['a', 'pause', 'b', 'pause', 'long step', 'pause', 'c'])
  })
})
