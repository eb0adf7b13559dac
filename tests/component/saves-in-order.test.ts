// Quick choices (a colour scheme, a document's status) are saved one after another, and only the
// latest choice's answer is shown (src/renderer/src/lib/saves-in-order.ts).
import { describe, expect, it } from 'vitest'
import { SavesInOrder } from '../../src/renderer/src/lib/saves-in-order'

/** A save whose answer the test gives when it chooses. */
function heldSave<T>(): { run: () => Promise<T>; started: () => boolean; answer: (value: T) => void; fail: (error: Error) => void } {
  let started = false
  let answer: (value: T) => void = () => undefined
  let fail: (error: Error) => void = () => undefined
  return {
    run: () => {
      started = true
      return new Promise<T>((resolve, reject) => {
        answer = resolve
        fail = reject
      })
    },
    started: () => started,
    answer: (value) => answer(value),
    fail: (error) => fail(error)
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

describe('saves in order', () => {
  it('starts a save only once the one before it has answered, and gives each its own answer', async () => {
    const saves = new SavesInOrder()
    const first = heldSave<string>()
    const second = heldSave<string>()
    const queuedFirst = saves.queue(first.run)
    const queuedSecond = saves.queue(second.run)
    await settle()
    expect(first.started()).toBe(true)
    expect(second.started()).toBe(false)
    first.answer('light')
    await expect(queuedFirst.saved).resolves.toBe('light')
    await settle()
    expect(second.started()).toBe(true)
    second.answer('system')
    await expect(queuedSecond.saved).resolves.toBe('system')
  })

  it('says which save is the latest choice', async () => {
    const saves = new SavesInOrder()
    const first = saves.queue(async () => 'dark')
    expect(first.isLatest()).toBe(true)
    const seenBySecond: boolean[] = []
    const second = saves.queue(async (isLatest) => {
      seenBySecond.push(isLatest())
      return 'light'
    })
    expect(first.isLatest()).toBe(false)
    expect(second.isLatest()).toBe(true)
    await second.saved
    expect(seenBySecond).toEqual([true])
    saves.queue(async () => 'system')
    expect(second.isLatest()).toBe(false)
  })

  it('goes on after a save that fails, and reports the failure to that save alone', async () => {
    const saves = new SavesInOrder()
    const failing = heldSave<string>()
    const next = heldSave<string>()
    const queuedFailing = saves.queue(failing.run)
    const queuedNext = saves.queue(next.run)
    await settle()
    failing.fail(new Error('disk full'))
    await expect(queuedFailing.saved).rejects.toThrow('disk full')
    await settle()
    expect(next.started()).toBe(true)
    next.answer('saved')
    await expect(queuedNext.saved).resolves.toBe('saved')
  })

  it('starts the first save one promise step after the call, before any task', async () => {
    const saves = new SavesInOrder()
    const save = heldSave<string>()
    saves.queue(save.run)
    expect(save.started()).toBe(false)
    await Promise.resolve()
    await Promise.resolve()
    expect(save.started()).toBe(true)
  })
})
