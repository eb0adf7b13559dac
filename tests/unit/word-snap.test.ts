import { describe, expect, it } from 'vitest'
import {
  nextGraphemeBoundary,
  nextWordBoundary,
  previousGraphemeBoundary,
  previousWordBoundary,
  snapToWords,
  wordAt
} from '../../src/core/word-snap'

/** Snaps the first occurrence of `selected` inside `text`, shifted by the given deltas, and returns the covered text. */
function snapped(text: string, selected: string, options: { startDelta?: number; endDelta?: number; exact?: boolean } = {}): string | null {
  const at = text.indexOf(selected)
  if (at < 0) throw new Error(`"${selected}" is not in the test text`)
  const range = snapToWords(text, at + (options.startDelta ?? 0), at + selected.length + (options.endDelta ?? 0), {
    exact: options.exact ?? false
  })
  return range === null ? null : text.slice(range.start, range.end)
}

describe('snapToWords', () => {
  it('widens a partial word selection to the whole words', () => {
    const text = 'Secretary-General Vasif Eyvazzade attended.'
    expect(snapped(text, 'sif Eyvaz')).toBe('Vasif Eyvazzade')
  })

  it('trims surrounding whitespace and punctuation but keeps inner punctuation', () => {
    const text = 'led by Director General Salim bin Muhammad al-Malik. Then'
    expect(snapped(text, ' al-Malik. ')).toBe('al-Malik')
    expect(snapped('prospects of co-operation, in', ' co-operation, ')).toBe('co-operation')
    expect(snapped('based in the U.S. since', ' U.S. ')).toBe('U.S.')
    expect(snapped('(ICESCO) and', '(ICESCO)')).toBe('ICESCO')
  })

  it('handles Azerbaijani letters as word characters', () => {
    const text = 'Prezident İlham Əliyev Şuşa şəhərində ağır gün.'
    expect(snapped(text, 'lham Əli')).toBe('İlham Əliyev')
    expect(snapped(text, 'uşa')).toBe('Şuşa')
    expect(snapped(text, 'ğı')).toBe('ağır')
  })

  it('never splits a selection inside an emoji, a flag or a combining accent', () => {
    const scientist = '\u{1F469}\u200D\u{1F52C}'
    const flag = '\u{1F1E6}\u{1F1FF}'
    const text = `The ${scientist} team from ${flag} Baku`
    const scientistAt = text.indexOf(scientist)
    // Exact selection starting mid-emoji widens to the whole cluster.
    expect(snapToWords(text, scientistAt + 1, scientistAt + 3, { exact: true })).toEqual({
      start: scientistAt,
      end: scientistAt + scientist.length
    })
    const flagAt = text.indexOf(flag)
    expect(snapToWords(text, flagAt + 1, flagAt + 2, { exact: true })).toEqual({ start: flagAt, end: flagAt + flag.length })
    // In word mode the emoji is not word-like and is trimmed away.
    expect(snapped(text, `${flag} Baku`)).toBe('Baku')
    expect(snapped(text, scientist)).toBeNull()

    const cafe = 'the cafe\u0301 opened'
    const accentAt = cafe.indexOf('\u0301')
    const exact = snapToWords(cafe, cafe.indexOf('caf'), accentAt, { exact: true })
    expect(exact && cafe.slice(exact.start, exact.end)).toBe('cafe\u0301')
    expect(snapped(cafe, 'caf')).toBe('cafe\u0301')
  })

  it('snaps Arabic words', () => {
    const text = 'التقى الوزير مع منظمة الإيسيسكو في باكو.'
    expect(snapped(text, 'زير مع منظ')).toBe('الوزير مع منظمة')
    expect(snapped(text, 'باكو.')).toBe('باكو')
  })

  it('keeps CRLF line breaks out of the span and exact selections never split CR LF', () => {
    const text = 'Emin Amrullayev\r\nmet the delegation'
    expect(snapped(text, 'Amrullayev\r\n')).toBe('Amrullayev')
    const lf = text.indexOf('\n')
    expect(snapToWords(text, lf, lf + 4, { exact: true })).toEqual({ start: lf - 1, end: lf + 4 })
  })

  it('handles a selection that starts in whitespace', () => {
    expect(snapped('and   Raheel Qamar spoke', '   Raheel Qa')).toBe('Raheel Qamar')
  })

  it('returns null for punctuation, whitespace or empty selections', () => {
    const text = 'Baku , -- ; Agadir'
    expect(snapped(text, ' , -- ; ')).toBeNull()
    expect(snapToWords(text, 4, 4)).toBeNull()
    expect(snapToWords(text, 4, 5, { exact: true })).toBeNull()
  })

  it('accepts reversed and out-of-range offsets', () => {
    const text = 'Laman Ismayilova'
    expect(snapToWords(text, 9, 2)).toEqual({ start: 0, end: text.length })
    expect(snapToWords(text, -5, 500)).toEqual({ start: 0, end: text.length })
  })

  it('keeps exact selections exactly, punctuation included', () => {
    const text = 'in Agadir, Morocco'
    expect(snapped(text, 'gadir,', { exact: true })).toBe('gadir,')
  })

  it('snaps correctly far inside a long single-line text', () => {
    const filler = 'lorem ipsum '.repeat(20_000)
    const text = `${filler}Laman Ismayilova ${filler}`
    expect(snapped(text, 'an Ismayil')).toBe('Laman Ismayilova')
  })
})

describe('caret movement helpers', () => {
  const text = 'Salim bin al-Malik, 👩‍🔬 ok'

  it('finds the word under a caret', () => {
    expect(wordAt(text, 2)).toEqual({ start: 0, end: 5 })
    expect(wordAt(text, 5)).toEqual({ start: 0, end: 5 })
    expect(wordAt(text, text.indexOf(',') + 1)).toBeNull()
  })

  it('moves by words', () => {
    expect(nextWordBoundary(text, 0)).toBe(5)
    expect(nextWordBoundary(text, 5)).toBe(9)
    expect(previousWordBoundary(text, 9)).toBe(6)
    expect(previousWordBoundary(text, 6)).toBe(0)
    expect(nextWordBoundary(text, text.length)).toBe(text.length)
    expect(previousWordBoundary(text, 0)).toBe(0)
  })

  it('moves by grapheme clusters', () => {
    const emojiAt = text.indexOf('👩')
    expect(nextGraphemeBoundary(text, emojiAt)).toBe(emojiAt + '👩‍🔬'.length)
    expect(previousGraphemeBoundary(text, emojiAt + '👩‍🔬'.length)).toBe(emojiAt)
    expect(nextGraphemeBoundary(text, 0)).toBe(1)
    expect(previousGraphemeBoundary(text, 0)).toBe(0)
  })
})
