// Concordance lines and who tagged a match (src/core/search/concordance.ts): context cut on
// one line without splitting a surrogate pair, spans overlapping each match in every layer
// (long spans over many matches, spans ending exactly at a match), and the tag filters.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CONTEXT_CHARS, concordanceContext, passesTagFilters, taggingOfMatches } from '../../src/core/search/concordance'

describe('concordance context', () => {
  it('shows line breaks as spaces and keeps emoji whole at the cut', () => {
    // Both cuts (CONTEXT_CHARS either side) would fall between an emoji's two UTF-16 units.
    const text = `😀${'x'.repeat(CONTEXT_CHARS - 2)} ISESCO\r\nmet ${'y'.repeat(CONTEXT_CHARS - 7)}😀z`
    const start = text.indexOf('ISESCO')
    const { left, match, right } = concordanceContext(text, start, start + 6)
    expect(match).toBe('ISESCO')
    expect(left.startsWith('😀x')).toBe(true)
    expect(left.endsWith('x ')).toBe(true)
    expect(right.startsWith(' met ')).toBe(true)
    expect(right.endsWith('😀')).toBe(true)
    expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(left + right)).toBe(false)
  })
})

describe('tagging of matches', () => {
  it('lists every layer\'s spans over each match, exact or overlapping', () => {
    const offsets = Int32Array.from([0, 5, 10, 15, 20, 25])
    const tagging = taggingOfMatches(offsets, [
      { annotator: 'Leyla', annotations: [{ start: 0, end: 5, tag: 'ORG' }, { start: 5, end: 10, tag: 'EVENT' }] },
      { annotator: 'Rashad', annotations: [{ start: 3, end: 22, tag: 'PERSON' }] }
    ])
    expect(tagging).toEqual([
      [{ annotator: 'Leyla', tag: 'ORG', exact: true }, { annotator: 'Rashad', tag: 'PERSON', exact: false }],
      [{ annotator: 'Rashad', tag: 'PERSON', exact: false }],
      [{ annotator: 'Rashad', tag: 'PERSON', exact: false }]
    ])
    expect(passesTagFilters(tagging[0] ?? null, { tags: ['ORG'] })).toBe(true)
    expect(passesTagFilters(tagging[1] ?? null, { tags: ['ORG'] })).toBe(false)
    expect(passesTagFilters(null, { untaggedOnly: true })).toBe(true)
    expect(passesTagFilters(tagging[2] ?? null, { untaggedOnly: true })).toBe(false)
  })

  it('agrees with checking every span against every match', () => {
    const span = fc.tuple(fc.nat(200), fc.integer({ min: 1, max: 60 }), fc.constantFrom('ORG', 'PERSON')).map(([start, length, tag]) => ({ start, end: start + length, tag }))
    fc.assert(
      fc.property(fc.array(span, { maxLength: 30 }), fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 30 }), (spans, gaps) => {
        const pairs: number[] = []
        let at = 0
        for (const gap of gaps) {
          pairs.push(at, at + gap)
          at += gap + (gap % 3)
        }
        const offsets = Int32Array.from(pairs)
        const tagging = taggingOfMatches(offsets, [{ annotator: 'A', annotations: spans }])
        for (let index = 0; index < gaps.length; index++) {
          const start = offsets[index * 2] as number
          const end = offsets[index * 2 + 1] as number
          const expected = spans.filter((candidate) => candidate.start < end && candidate.end > start).length
          expect(tagging[index]?.length ?? 0).toBe(expected)
        }
      })
    )
  })
})
