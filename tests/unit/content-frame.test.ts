import { describe, expect, it, vi } from 'vitest'
import { decodeContentFrame, decodeContentFrameInSteps, decodeFrameInSteps, encodeContentFrame, isContentFrame } from '../../src/shared/content-frame'
import { OWN_TASK_NEXT, runToEnd, type Step } from '../../src/core/stepwise'

/** What stepwise work yields, in order, run to its end. */
function yieldsOf(steps: Generator<Step, unknown>): Step[] {
  const yielded: Step[] = []
  for (let step = steps.next(); !step.done; step = steps.next()) yielded.push(step.value)
  return yielded
}

describe('content frame', () => {
  const numbers = Int32Array.from([
    ...[0, 1, 255, 3], // bytes
    ...[256, 65_535, 7, 0], // 16-bit
    ...[65_536, 2_000_000_000, 5, 1], // 32-bit
    ...[-1, 4, -2_000_000_000, 0] // negative: 32-bit
  ])
  const parts = { answer: { name: 'Naxçıvan', nested: { list: [1, null] } }, text: 'Ümid 😀 İlkin\nBakı', numbers, columnLength: 4 }

  it('gives back the answer, the text and every number, whatever width each column travels in', () => {
    const frame = encodeContentFrame(parts)
    expect(isContentFrame(frame)).toBe(true)
    expect(decodeContentFrame(frame)).toStrictEqual(parts)
  })

  it('goes without its text when the window holds it, and is read only with the text the call named', () => {
    const whole = encodeContentFrame(parts)
    const without = encodeContentFrame(parts, { leaveOutText: true })
    // All of the text's bytes, less the header's word that it was left out.
    expect(whole.byteLength - without.byteLength).toBe(new TextEncoder().encode(parts.text).byteLength - ',"textHeld":true'.length)
    const decoded = runToEnd(decodeFrameInSteps(without, parts.text))
    expect(decoded.parts).toStrictEqual(parts)
    expect(decoded.textHeld).toBe(true)
    expect(() => decodeContentFrame(without)).toThrow(/left out a text this window did not say it holds/)
    // A frame with its text, for a call that named one: the frame's own text wins.
    const sent = runToEnd(decodeFrameInSteps(whole, 'an older text'))
    expect(sent.parts.text).toBe(parts.text)
    expect(sent.textHeld).toBe(false)
    expect(sent.textSha256).toBeNull() // none was sent
  })

  it('carries the digest main gives with the text it sends, and none with a text left out', () => {
    const sha256 = 'ab'.repeat(32)
    expect(runToEnd(decodeFrameInSteps(encodeContentFrame(parts, { textSha256: sha256 }), null)).textSha256).toBe(sha256)
    expect(runToEnd(decodeFrameInSteps(encodeContentFrame(parts, { leaveOutText: true, textSha256: sha256 }), parts.text)).textSha256).toBeNull()
    // Anything but 64 lowercase hex digits is no digest.
    expect(runToEnd(decodeFrameInSteps(encodeContentFrame(parts, { textSha256: 'AB'.repeat(32) }), null)).textSha256).toBeNull()
  })

  it('never gives a held text to a later frame whose own text is empty', () => {
    runToEnd(decodeFrameInSteps(encodeContentFrame({ ...parts, answer: 'held' }, { leaveOutText: true }), parts.text))
    const empty = decodeContentFrame(encodeContentFrame({ ...parts, text: '', answer: 'an empty document' }))
    expect(empty.text).toBe('')
  })

  it('decodes in steps with the same result, pausing between two columns', () => {
    // Numbers no other frame here had, so they are widened (not taken from a recent frame).
    const fresh = { ...parts, numbers: Int32Array.from(parts.numbers, (number) => number ^ 1) }
    const steps = decodeContentFrameInSteps(encodeContentFrame(fresh))
    let pauses = 0
    let step = steps.next()
    for (; !step.done; step = steps.next()) pauses++
    expect(step.value).toStrictEqual(fresh)
    expect(pauses).toBe(fresh.numbers.length / fresh.columnLength - 1)
  })

  it('decodes a long text in a step of its own, and asks for a task of its own for it', () => {
    const long = { ...parts, text: 'Ümid Bakı '.repeat(220_000), numbers: Int32Array.from(parts.numbers, (number) => number ^ 2) }
    const decode = vi.spyOn(TextDecoder.prototype, 'decode')
    const textBytes = new TextEncoder().encode(long.text).byteLength
    const textDecodes = (): number => decode.mock.calls.filter(([bytes]) => (bytes as Uint8Array).byteLength === textBytes).length
    const steps = decodeContentFrameInSteps(encodeContentFrame(long))
    const yields: Array<{ ownTask: boolean; textDecodedBefore: number }> = []
    let step = steps.next()
    for (; !step.done; step = steps.next()) yields.push({ ownTask: step.value === OWN_TASK_NEXT, textDecodedBefore: textDecodes() })
    expect(step.value).toStrictEqual(long)
    // The last yield, after every column: the text is decoded in the step after it, and nothing else is.
    expect(yields.filter((y) => y.ownTask)).toHaveLength(1)
    expect(yields.at(-1)).toEqual({ ownTask: true, textDecodedBefore: 0 })
    expect(textDecodes()).toBe(1)
    decode.mockClear()
    // The same frame again takes the recent text: no decode, so no task of its own.
    const again = yieldsOf(decodeContentFrameInSteps(encodeContentFrame(long)))
    expect(again).not.toContain(OWN_TASK_NEXT)
    expect(textDecodes()).toBe(0)
    decode.mockRestore()
  })

  it('decodes a short text with the columns, without a task of its own', () => {
    const steps = yieldsOf(decodeContentFrameInSteps(encodeContentFrame({ ...parts, numbers: Int32Array.from(parts.numbers, (number) => number ^ 3) })))
    expect(steps).not.toContain(OWN_TASK_NEXT)
  })

  it('gives the text and numbers of a recent frame again when a frame holds the same bytes, and decodes whatever differs', () => {
    const decode = vi.spyOn(TextDecoder.prototype, 'decode')
    const first = decodeContentFrame(encodeContentFrame({ ...parts, answer: { status: 'in-progress' } }))
    decode.mockClear()
    // Another answer around the same text and numbers (the document's status changed, say).
    const again = decodeContentFrame(encodeContentFrame({ ...parts, answer: { status: 'done' } }))
    expect(again.answer).toStrictEqual({ status: 'done' })
    expect(again.text).toBe(first.text)
    expect(again.numbers).toBe(first.numbers)
    expect(decode).toHaveBeenCalledTimes(1) // the answer's JSON only
    decode.mockRestore()
    const changedNumbers = Int32Array.from(parts.numbers)
    changedNumbers[5] = 65_534
    const otherNumbers = decodeContentFrame(encodeContentFrame({ ...parts, numbers: changedNumbers }))
    expect(otherNumbers.numbers).not.toBe(first.numbers)
    expect(otherNumbers.numbers).toStrictEqual(changedNumbers)
    expect(otherNumbers.text).toBe(first.text)
    const changedText = parts.text.replace('Bakı', 'Baku')
    const otherText = decodeContentFrame(encodeContentFrame({ ...parts, text: changedText }))
    expect(otherText.text).toBe(changedText)
    expect(otherText.numbers).toStrictEqual(parts.numbers)
  })

  it('encodes a text framed again from what it kept, not again, and forgets it after four other texts', () => {
    const encode = vi.spyOn(TextEncoder.prototype, 'encode')
    const encodingsOf = (text: string): number => encode.mock.calls.filter(([input]) => input === text).length
    const text = `Naxçıvan 😀 ${'kept '.repeat(50)}`
    try {
      const first = encodeContentFrame({ ...parts, text })
      expect(encodeContentFrame({ ...parts, text })).toStrictEqual(first)
      expect(encodingsOf(text)).toBe(1)
      for (const other of ['one', 'two', 'three', 'four']) encodeContentFrame({ ...parts, text: other })
      expect(decodeContentFrame(encodeContentFrame({ ...parts, text })).text).toBe(text)
      expect(encodingsOf(text)).toBe(2)
    } finally {
      encode.mockRestore()
    }
  })

  it('sends small numbers small: a column of tag indexes takes a byte per span', () => {
    const count = 10_000
    const small = encodeContentFrame({ answer: null, text: '', numbers: new Int32Array(count * 2).fill(3), columnLength: count })
    expect(small.byteLength).toBeLessThan(count * 2 + 100)
  })

  it('reads a frame that does not start at a multiple of 4 in its buffer (a copy made by IPC may not)', () => {
    const frame = encodeContentFrame(parts)
    const shifted = new Uint8Array(frame.byteLength + 1)
    shifted.set(frame, 1)
    expect(decodeContentFrame(shifted.subarray(1))).toStrictEqual(parts)
  })

  it('carries no columns at all', () => {
    const empty = { answer: { annotations: [] }, text: '', numbers: new Int32Array(0), columnLength: 0 }
    expect(decodeContentFrame(encodeContentFrame(empty))).toStrictEqual(empty)
  })

  it('refuses bytes that are not a frame, a frame cut short and columns that do not divide', () => {
    expect(() => decodeContentFrame(new TextEncoder().encode('{"ok":true,"value":{}}'))).toThrow(/not a Quire content frame/)
    const frame = encodeContentFrame(parts)
    expect(() => decodeContentFrame(frame.subarray(0, frame.byteLength - 3))).toThrow(/says it holds/)
    expect(() => encodeContentFrame({ ...parts, columnLength: 5 })).toThrow(/do not make columns of 5/)
  })
})
