import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CharWidthLearner, rememberedCharWidth } from '../../src/renderer/src/lib/reader/char-width'

/** The window's storage, as the reader sees it. */
function fakeStorage(): Map<string, string> {
  const values = new Map<string, string>()
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, String(value))
  })
  return values
}

describe("the reader's average character width", () => {
  let storage: Map<string, string>
  beforeEach(() => (storage = fakeStorage()))
  afterEach(() => vi.unstubAllGlobals())

  it('learns from blocks of two lines or more, the last line taken as half full', () => {
    const learner = new CharWidthLearner(null)
    learner.observe(40, 1, 700)
    expect(learner.learnt).toBeNull()
    // 150 characters in three lines of 700 px: 2.5 lines' worth, 11.67 px each.
    learner.observe(150, 3, 700)
    expect(learner.learnt).toBeCloseTo((2.5 * 700) / 150, 6)
    // Weighted by characters: a long block counts for more.
    learner.observe(2500, 37, 700)
    expect(learner.learnt).toBeCloseTo((2.5 * 700 + 36.5 * 700) / 2650, 6)
  })

  it('keeps what it learnt for the next reader, and writes again only when it moves by more than 2%', () => {
    expect(rememberedCharWidth()).toBeNull()
    const learner = new CharWidthLearner()
    learner.observe(1000, 15, 700)
    learner.remember()
    expect(rememberedCharWidth()).toBeCloseTo(10.15, 2)
    storage.set('quire.readerCharWidth', 'touched')
    learner.observe(1000, 15.2, 700)
    learner.remember()
    expect(storage.get('quire.readerCharWidth')).toBe('touched')
    learner.observe(1000, 20, 700)
    learner.remember()
    expect(rememberedCharWidth()).toBeGreaterThan(11)
  })

  it('ignores what no layout could give: nothing stored, a garbled or absurd value, a block not laid out', () => {
    storage.set('quire.readerCharWidth', 'NaN')
    expect(rememberedCharWidth()).toBeNull()
    storage.set('quire.readerCharWidth', '0.5')
    expect(rememberedCharWidth()).toBeNull()
    storage.set('quire.readerCharWidth', '9.5')
    expect(rememberedCharWidth()).toBe(9.5)
    const learner = new CharWidthLearner()
    learner.observe(0, 3, 700)
    learner.observe(300, 4, 0)
    expect(learner.learnt).toBeNull()
    learner.remember()
    expect(rememberedCharWidth()).toBe(9.5)
  })

  it('works without storage (refused, or none): nothing remembered, nothing thrown', () => {
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('refused')
      },
      setItem: () => {
        throw new Error('refused')
      }
    })
    expect(rememberedCharWidth()).toBeNull()
    const learner = new CharWidthLearner()
    learner.observe(1000, 15, 700)
    expect(() => learner.remember()).not.toThrow()
  })
})
