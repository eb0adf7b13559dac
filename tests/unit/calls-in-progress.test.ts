import { describe, expect, it } from 'vitest'
import { afterWindowStart, betweenCalls, callsBeingAnswered, LONG_CALL_MS, whileAnswering, windowStarted } from '../../src/main/services/calls-in-progress'

const after = (ms: number): Promise<'timer'> => new Promise((resolve) => setTimeout(() => resolve('timer'), ms))

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
    expect(await Promise.race([between, after(500)])).toBe('between')
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
    expect(await Promise.race([between, after(500)])).toBe('between')
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
    expect(await Promise.race([between, after(500)])).toBe('between')
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
