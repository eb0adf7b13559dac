import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  afterWindowStart,
  afterWindowTookItsStart,
  betweenCalls,
  callsBeingAnswered,
  eachInSlices,
  LONG_CALL_MS,
  QUIET_AFTER_CALLS_MS,
  whileAnswering,
  windowStarted,
  windowTookItsStart
} from '../../src/main/services/calls-in-progress'

const after = (ms: number): Promise<'timer'> => new Promise((resolve) => setTimeout(() => resolve('timer'), ms))
/** Long enough for betweenCalls to resolve once calls have paused, on a loaded machine. */
const QUIET_AND_SOME = QUIET_AFTER_CALLS_MS + 500

describe('betweenCalls', () => {
  it('resolves on a later turn when no call is being answered', async () => {
    expect(callsBeingAnswered()).toBe(0)
    expect(await Promise.race([betweenCalls(60_000).then(() => 'between'), after(500)])).toBe('between')
  })

  it('waits while a call is being answered and resolves once it settles, failed or not', async () => {
    let fail = (): void => undefined
    const call = whileAnswering(() => new Promise<void>((_resolve, reject) => (fail = () => reject(new Error('refused')))))
    expect(callsBeingAnswered()).toBe(1)
    const between = betweenCalls(60_000).then(() => 'between')
    expect(await Promise.race([between, after(150)])).toBe('timer')
    fail()
    await expect(call).rejects.toThrow('refused')
    expect(callsBeingAnswered()).toBe(0)
    expect(await Promise.race([between, after(QUIET_AND_SOME)])).toBe('between')
  })

  it('waits for every call, not the first to settle', async () => {
    const settle: (() => void)[] = []
    const calls = [0, 1].map(() => whileAnswering(() => new Promise<void>((resolve) => settle.push(resolve))))
    const between = betweenCalls(60_000).then(() => 'between')
    settle[0]?.()
    await calls[0]
    expect(await Promise.race([between, after(150)])).toBe('timer')
    settle[1]?.()
    await calls[1]
    expect(await Promise.race([between, after(QUIET_AND_SOME)])).toBe('between')
  })

  it('keeps waiting when the next call starts the moment the last one settles (a save, then its summary)', async () => {
    let answerFirst = (): void => undefined
    let answerNext = (): void => undefined
    let next: Promise<void> | null = null
    const first = whileAnswering(() => new Promise<void>((resolve) => (answerFirst = resolve))).then(() => {
      next = whileAnswering(() => new Promise<void>((resolve) => (answerNext = resolve)))
    })
    const between = betweenCalls(60_000).then(() => 'between')
    expect(await Promise.race([between, after(100)])).toBe('timer')
    answerFirst()
    await first
    expect(callsBeingAnswered()).toBe(1)
    expect(await Promise.race([between, after(150)])).toBe('timer')
    answerNext()
    await next
    expect(await Promise.race([between, after(QUIET_AND_SOME)])).toBe('between')
  })

  it('waits until calls have paused for a while, a pause each new call starts again', async () => {
    await whileAnswering(() => Promise.resolve())
    const between = betweenCalls(60_000).then(() => 'between')
    expect(await Promise.race([between, after(QUIET_AFTER_CALLS_MS / 2)])).toBe('timer')
    // A call in the pause: the pause counts from its end.
    await whileAnswering(() => Promise.resolve())
    expect(await Promise.race([between, after(QUIET_AFTER_CALLS_MS * 0.8)])).toBe('timer')
    expect(await Promise.race([between, after(QUIET_AND_SOME)])).toBe('between')
  })

  it('waits for no pause after the calls when told so (work a call waits for)', async () => {
    await whileAnswering(() => Promise.resolve())
    expect(await Promise.race([betweenCalls(60_000, 0).then(() => 'between'), after(QUIET_AFTER_CALLS_MS / 2)])).toBe('between')
  })

  it('gives up waiting after the longest wait, counted from the start across calls that follow each other', async () => {
    const answers: (() => void)[] = []
    const calls = [whileAnswering(() => new Promise<void>((resolve) => answers.push(resolve)))]
    const between = betweenCalls(300).then(() => 'between')
    // A call ends and the next begins at once, again and again: the wait still ends near 300 ms.
    const relay = setInterval(() => {
      const answer = answers.shift()
      calls.push(whileAnswering(() => new Promise<void>((resolve) => answers.push(resolve))))
      answer?.()
    }, 20)
    expect(await Promise.race([between, after(2000)])).toBe('between')
    clearInterval(relay)
    for (const answer of answers.splice(0)) answer()
    await Promise.all(calls)
  })

  it('gives up waiting after the longest wait, so a call that waits for background work is not stuck', async () => {
    let answer = (): void => undefined
    const call = whileAnswering(() => new Promise<void>((resolve) => (answer = resolve)))
    expect(await Promise.race([betweenCalls(50).then(() => 'between'), after(2000)])).toBe('between')
    answer()
    await call
  })

  it('stops counting a call answered for longer than a long call: its own work is long anyway', async () => {
    let answer = (): void => undefined
    const call = whileAnswering(() => new Promise<void>((resolve) => (answer = resolve)))
    const between = betweenCalls(60_000).then(() => 'between')
    expect(await Promise.race([between, after(LONG_CALL_MS / 2)])).toBe('timer')
    expect(await Promise.race([between, after(LONG_CALL_MS * 3)])).toBe('between')
    expect(callsBeingAnswered()).toBe(0)
    answer()
    await call
    expect(callsBeingAnswered()).toBe(0)
  })
})

describe('eachInSlices', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('takes no item while a call is being answered, and every item once it settles', async () => {
    let answer = (): void => undefined
    const call = whileAnswering(() => new Promise<void>((resolve) => (answer = resolve)))
    const taken: number[] = []
    const work = eachInSlices([1, 2, 3], (item) => void taken.push(item), { sliceMs: 50 })
    await after(150)
    expect(taken).toEqual([])
    answer()
    await call
    expect(await work).toBe(true)
    expect(taken).toEqual([1, 2, 3])
  })

  it('waits again when a call starts the moment the last one settles, and asks after waking whether to go on', async () => {
    let answerFirst = (): void => undefined
    let answerNext = (): void => undefined
    let next: Promise<void> | null = null
    let wanted = true
    const first = whileAnswering(() => new Promise<void>((resolve) => (answerFirst = resolve))).then(() => {
      next = whileAnswering(() => new Promise<void>((resolve) => (answerNext = resolve)))
    })
    const taken: number[] = []
    const work = eachInSlices([1, 2, 3], (item) => void taken.push(item), { sliceMs: 50, goOn: () => wanted })
    answerFirst()
    await first
    await after(150)
    expect(taken).toEqual([])
    // The project closes while the slice waits: it takes nothing when it wakes.
    wanted = false
    answerNext()
    await next
    expect(await work).toBe(false)
    expect(taken).toEqual([])
  })

  it('gives the event loop back once a slice has used its time, and tells how far it got', async () => {
    // A fake clock: each item takes 3 ms of it, so a slice of 10 ms takes four (started at 0, 3, 6 and 9).
    let now = 0
    vi.spyOn(performance, 'now').mockImplementation(() => now)
    const turns: number[] = []
    const slices: number[] = []
    let turnsSeen = 0
    const ticking = setInterval(() => turnsSeen++, 0)
    const work = eachInSlices(
      Array.from({ length: 10 }, (_, index) => index),
      () => {
        now += 3
        turns.push(turnsSeen)
      },
      { sliceMs: 10, pause: () => new Promise((resolve) => setTimeout(resolve, 5)), afterSlice: (done) => slices.push(done) }
    )
    expect(await work).toBe(true)
    clearInterval(ticking)
    expect(slices).toEqual([4, 8, 10])
    // Within a slice the items follow each other; between slices other work runs.
    expect(new Set(turns.slice(0, 4)).size).toBe(1)
    expect(turns[4]).toBeGreaterThan(turns[3] as number)
    expect(turns[8]).toBeGreaterThan(turns[7] as number)
  })

  it('awaits a step that is asynchronous before the next, and takes at least one item a slice', async () => {
    const order: string[] = []
    const work = eachInSlices(
      ['a', 'b'],
      async (item) => {
        order.push(`${item} started`)
        await after(10)
        order.push(`${item} done`)
      },
      { sliceMs: 0 }
    )
    expect(await work).toBe(true)
    expect(order).toEqual(['a started', 'a done', 'b started', 'b done'])
  })
})

describe('afterWindowStart', () => {
  // One window start per process: the test that waits for the longest wait comes first.
  it('resolves after the longest wait when no window has had its first answer', async () => {
    expect(await Promise.race([afterWindowStart(100).then(() => 'started'), after(5000)])).toBe('started')
    expect(await Promise.race([afterWindowStart(60_000).then(() => 'started'), after(300)])).toBe('timer')
  })

  it('resolves once a window has had its first answer, and at once from then on', async () => {
    const waiting = afterWindowStart(60_000).then(() => 'started')
    windowStarted()
    expect(await Promise.race([waiting, after(500)])).toBe('started')
    expect(await Promise.race([afterWindowStart(60_000).then(() => 'started'), after(500)])).toBe('started')
  })
})

describe('afterWindowTookItsStart', () => {
  // One per process, as afterWindowStart: the longest wait first.
  it('resolves after the longest wait when no window has taken its start, and not for a start only made', async () => {
    windowStarted()
    expect(await Promise.race([afterWindowTookItsStart(100).then(() => 'taken'), after(5000)])).toBe('taken')
    expect(await Promise.race([afterWindowTookItsStart(60_000).then(() => 'taken'), after(300)])).toBe('timer')
  })

  it('resolves once a window has taken its start, and at once from then on', async () => {
    const waiting = afterWindowTookItsStart(60_000).then(() => 'taken')
    windowTookItsStart()
    expect(await Promise.race([waiting, after(500)])).toBe('taken')
    expect(await Promise.race([afterWindowTookItsStart(60_000).then(() => 'taken'), after(500)])).toBe('taken')
  })
})
