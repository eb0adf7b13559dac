// Callbacks waiting for the same frame run one per task after it, in order (after-paint.ts): run
// back to back, they made one long stretch without a timer after a long document's first paint.
import { describe, expect, it, vi } from 'vitest'
import { afterNextPaint, afterNextPaintGivingWay } from '../../src/renderer/src/lib/after-paint'
import { GIVE_WAY_MS } from '../../src/renderer/src/lib/next-task'

const nextFrame = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => resolve()))

describe('afterNextPaint', () => {
  it('runs the callbacks waiting for a frame one per task, in order, skipping a cancelled one', async () => {
    expect(typeof requestAnimationFrame).toBe('function')
    const ran: string[] = []
    const tasksSeen: string[][] = []
    afterNextPaint(() => ran.push('list'))
    const cancel = afterNextPaint(() => ran.push('cancelled'))
    afterNextPaint(() => ran.push('panel'))
    afterNextPaint(() => ran.push('ids'))
    cancel()
    await nextFrame()
    // A timer set now is due with the first callback's: each timer after it sees what ran so far.
    const watch = (): void => {
      tasksSeen.push(ran.slice())
      if (ran.length < 3) setTimeout(watch, 0)
    }
    setTimeout(watch, 0)
    await vi.waitFor(() => expect(ran).toEqual(['list', 'panel', 'ids']))
    // Never two callbacks between two of the page's timers.
    for (let index = 1; index < tasksSeen.length; index++) expect((tasksSeen[index] as string[]).length - (tasksSeen[index - 1] as string[]).length).toBeLessThanOrEqual(1)
    expect(tasksSeen.length).toBeGreaterThanOrEqual(3)
  })

  it('runs a callback asked for while others run after a later frame, still one per task', async () => {
    const ran: string[] = []
    afterNextPaint(() => {
      ran.push('first')
      afterNextPaint(() => ran.push('next frame'))
    })
    afterNextPaint(() => ran.push('second'))
    await vi.waitFor(() => expect(ran).toEqual(['first', 'second', 'next frame']))
  })

  it('gives way: after the frame, leaves the thread idle GIVE_WAY_MS before the callback, and a cancel stops it at any point', async () => {
    const timeouts = vi.spyOn(globalThis, 'setTimeout')
    try {
      const ran: string[] = []
      let paintedAt = 0
      let cancelWaiting = (): void => {}
      afterNextPaintGivingWay(() => {
        ran.push(`panel after ${performance.now() - paintedAt} ms`)
        // The next one is waiting its own GIVE_WAY_MS by now (set in the task after this one's).
        cancelWaiting()
      })
      const cancelBeforeFrame = afterNextPaintGivingWay(() => ran.push('cancelled before the frame'))
      cancelBeforeFrame()
      cancelWaiting = afterNextPaintGivingWay(() => ran.push('cancelled while waiting'))
      await nextFrame()
      paintedAt = performance.now()
      await vi.waitFor(() => expect(ran.length).toBe(1))
      expect(Number(/after (\S+) ms/.exec(ran[0] as string)?.[1])).toBeGreaterThanOrEqual(GIVE_WAY_MS - 1)
      expect(timeouts.mock.calls.filter(([, ms]) => ms === GIVE_WAY_MS)).toHaveLength(2)
      await new Promise((resolve) => setTimeout(resolve, GIVE_WAY_MS * 3))
      expect(ran).toHaveLength(1)
    } finally {
      timeouts.mockRestore()
    }
  })
})
