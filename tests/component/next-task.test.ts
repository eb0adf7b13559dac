// nextTask in a window that is not shown: no timer, only the message. A hidden page's timers run
// about once a second, so work sliced by nextTask (a document's answer unpacked, an index built)
// would take a second a slice there. Its ordering behind due timers in a shown window is tested in
// Chromium (tests/e2e/next-task-timers.test.ts).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { givingWay, GIVE_WAY_MS, nextTask, nextTaskGivingWay } from '../../src/renderer/src/lib/next-task'

afterEach(() => vi.restoreAllMocks())

describe('nextTask', () => {
  it('waits on a timer after its message in a shown window, and on the message alone in a hidden one', async () => {
    const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible')
    const timers = vi.spyOn(globalThis, 'setTimeout')
    await nextTask()
    expect(timers).toHaveBeenCalledTimes(1)
    timers.mockClear()
    visibility.mockReturnValue('hidden')
    await nextTask()
    expect(timers).not.toHaveBeenCalled()
  })

  it('leaves the thread idle GIVE_WAY_MS before its timer runs while work gives way, and for work nobody waits for', async () => {
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible')
    const timers = vi.spyOn(globalThis, 'setTimeout')
    const delays = (): unknown[] => timers.mock.calls.map((call) => call[1])
    await nextTask()
    expect(delays()).toEqual([0])
    timers.mockClear()
    let inside: unknown[] = []
    const answer = await givingWay(async () => {
      await nextTask()
      await nextTask()
      inside = delays()
      return 'done'
    })
    expect(answer).toBe('done')
    expect(inside).toEqual([GIVE_WAY_MS, GIVE_WAY_MS])
    timers.mockClear()
    // Over, failed or not: the next tasks are plain again.
    await expect(givingWay(() => Promise.reject(new Error('failed')))).rejects.toThrow('failed')
    await nextTask()
    expect(delays()).toEqual([0])
    timers.mockClear()
    await nextTaskGivingWay()
    expect(delays()).toEqual([GIVE_WAY_MS])
  })
})
