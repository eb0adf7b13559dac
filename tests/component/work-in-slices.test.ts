// Long work in the window (afterPaintInSlices) starts after the next paint and runs in tasks of
// its time each, giving the thread back between them, until it is done or cancelled.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { afterPaintInSlices } from '../../src/renderer/src/lib/work-in-slices'
import { nextTask } from '../../src/renderer/src/lib/next-task'

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

async function until(done: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !done(); turn++) await nextTask()
}

describe('afterPaintInSlices', () => {
  it('does nothing before the paint, then a task of its time at a time until the work is done', async () => {
    const { step, tasks } = steps(10)
    afterPaintInSlices(step, 10)
    expect(tasks).toEqual([])
    await until(() => tasks.length === 10)
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
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
    expect(before.tasks).toEqual([])
    vi.restoreAllMocks()

    const between = steps(100)
    const cancel = afterPaintInSlices(between.step, 10)
    await until(() => between.tasks.length > 0)
    cancel()
    const taken = between.tasks.length
    for (let turn = 0; turn < 5; turn++) await nextTask()
    expect(taken).toBe(4)
    expect(between.tasks.length).toBe(taken)
  })
})
