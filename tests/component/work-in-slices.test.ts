// Long work in the window (afterPaintInSlices) starts after the next paint and runs in tasks of
// its time each, giving the thread back between them, until it is done or cancelled.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { waitFor } from '@testing-library/svelte'
import { afterPaintInSlices } from '../../src/renderer/src/lib/work-in-slices'
import { GIVE_WAY_MS, nextTask } from '../../src/renderer/src/lib/next-task'

afterEach(() => vi.restoreAllMocks())

/** A fake clock each step moves on by 3 ms, and which task each step ran in (microtasks run between tasks, never within one). */
function steps(total: number): { step: () => boolean; tasks: number[] } {
  let now = 0
  vi.spyOn(performance, 'now').mockImplementation(() => now)
  let checkpoints = 0
  const tasks: number[] = []
  const step = (): boolean => {
    now += 3
    tasks.push(checkpoints)
    queueMicrotask(() => checkpoints++)
    return tasks.length === total
  }
  return { step, tasks }
}

/** After a few frames have been painted (jsdom paints on a timer). */
async function afterPaints(): Promise<void> {
  for (let frame = 0; frame < 5; frame++) await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
}

describe('afterPaintInSlices', () => {
  it('does nothing before the paint, then a task of its time at a time until the work is done', async () => {
    const { step, tasks } = steps(10)
    afterPaintInSlices(step, 10)
    expect(tasks).toEqual([])
    await waitFor(() => expect(tasks.length).toBe(10))
    // Four steps a task (started at 0, 3, 6 and 9 ms of a 10 ms task), then the thread is given back.
    expect(tasks.length).toBe(10)
    expect(new Set(tasks.slice(0, 4)).size).toBe(1)
    expect(new Set(tasks.slice(4, 8)).size).toBe(1)
    expect(tasks[4]).toBeGreaterThan(tasks[3] as number)
    expect(tasks[8]).toBeGreaterThan(tasks[7] as number)
    for (let turn = 0; turn < 5; turn++) await nextTask()
    expect(tasks.length).toBe(10)
  })

  it('takes no step once cancelled, before the paint or between tasks', async () => {
    const before = steps(100)
    afterPaintInSlices(before.step, 10)()
    await afterPaints()
    expect(before.tasks).toEqual([])
    vi.restoreAllMocks()

    // Cancelled during the first task (at its fourth step, its last): no task follows.
    const between = steps(100)
    let cancel = (): void => undefined
    cancel = afterPaintInSlices(() => {
      const done = between.step()
      if (between.tasks.length === 4) cancel()
      return done
    }, 10)
    await waitFor(() => expect(between.tasks.length).toBe(4))
    await afterPaints()
    expect(between.tasks.length).toBe(4)
  })

  it('leaves the thread idle GIVE_WAY_MS between its tasks: nobody waits for this work', async () => {
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('visible')
    const { step, tasks } = steps(8)
    const timers = vi.spyOn(globalThis, 'setTimeout')
    afterPaintInSlices(step, 10)
    await waitFor(() => expect(tasks.length).toBe(8))
    // Two tasks of four steps: one wait between them, a timer of GIVE_WAY_MS after its message.
    expect(timers.mock.calls.filter((call) => call[1] === GIVE_WAY_MS)).toHaveLength(1)
  })
})
