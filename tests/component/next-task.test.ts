// nextTask in a window that is not shown: no timer, only the message. A hidden page's timers run
// about once a second, so work sliced by nextTask (a document's answer unpacked, an index built)
// would take a second a slice there. Its ordering behind due timers in a shown window is tested in
// Chromium (tests/e2e/next-task-timers.test.ts).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextTask } from '../../src/renderer/src/lib/next-task'

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
})
