import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { OUTSIDE_LABEL, labelTokens, tokenOffsetsOf, wordTokens, type TaggedSpan, type TokenOffsets } from '../../src/core/review/tokens'

const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' })

/**
 * The definition: Intl.Segmenter's word-like segments, as [start, end) offsets; like every
 * Quire token they never contain whitespace, so the rare word-like segment that does (UAX #29
 * joins "a\u202f1" with a narrow no-break space, and "a\ufeff1") is split at it.
 */
function wordLikeBySegmenter(text: string): [number, number][] {
  const ranges: [number, number][] = []
  for (const segment of segmenter.segment(text)) {
    if (!segment.isWordLike) continue
    for (const piece of segment.segment.matchAll(/\S+/gu)) ranges.push([segment.index + piece.index, segment.index + piece.index + piece[0].length])
  }
  return ranges
}

function ranges(tokens: TokenOffsets): [number, number][] {
  return Array.from({ length: tokens.count }, (_, index) => [tokens.starts[index] as number, tokens.ends[index] as number])
}

const words = (text: string): string[] => ranges(wordTokens(text)).map(([start, end]) => text.slice(start, end))

describe('wordTokens', () => {
  it('keeps words and numbers, drops punctuation, spaces, emoji and line breaks', () => {
    expect(words('Hello, world! 2024 co-operation U.S. e.g. 3.14 £5 😀 👩‍💻 🇦🇿\r\nend.')).toEqual([
      'Hello', 'world', '2024', 'co', 'operation', 'U.S', 'e.g', '3.14', '5', 'end'
    ])
    expect(words('Əliyev Şuşa şəhərində, İlham Əliyev — 2020-ci il.')).toEqual(['Əliyev', 'Şuşa', 'şəhərində', 'İlham', 'Əliyev', '2020', 'ci', 'il'])
    expect(words('قال محمد بن سلمان، ٢٠٢٤.')).toEqual(['قال', 'محمد', 'بن', 'سلمان', '٢٠٢٤'])
    expect(words("don't __init__ _ x² ²")).toEqual(["don't", '__init__', 'x'])
    expect(words('a\u202f1 b\ufeffc')).toEqual(['a', '1', 'b', 'c'])
  })

  const cases = [
    'Hello, world! The U.S. Department of State (DoS) said on 12.03.2024 at 10:30 that 3,000 people…',
    'Prezident İlham Əliyev Şuşa şəhərində "Qarabağ" proqramını təqdim etdi. ƏLİYEV şuşa',
    'ذهب الرئيس إلى المؤتمر في ٢٠٢٤ مع وزير الخارجية.',
    'co-operation, well-being; e-mail: a.b@c.de — “quoted” ‘single’ (1) [2] {3}',
    'Line one\r\nLine two\rLine three\n\n\tTabbed\u00a0nbsp\u2003em-space',
    'Emoji 😀 inside👍🏽words 🇦🇿🇹🇷 family 👨‍👩‍👧 keycap 1️⃣ and ©®™ symbols',
    'Combining: cafe\u0301 na\u0308ive \u0301orphan, Greek Ωμέγα, Русский текст, Հայերեն, ქართული',
    '漢字かなカタカナ交じり文。々々 〻 中文句子，还有标点。한국어 문장입니다. ไทยภาษา',
    'Math 𝐀𝐁𝐂 letters, surrogate 𝒜lpha, digits 𝟙𝟚 and x² ½ Ⓐ ⓑ __ _a a_ _1',
    // ICU makes "a_\u0301" one segment that is not word-like; the fast tokenizer splits it in two.
    'a_\u0301 e\u0301_\u0301 a_ x_\u0301y 1_\u0301',
    // A narrow no-break space joins like "_" (ExtendNumLet), though it is whitespace to the tokenizer.
    'a\u202f\ufe0f b\u202f_ _\u202fc mot\u202f; «\u202fmot\u202f» 10\u202f000 x\u00a0_ y\u3000z'
  ]

  it('marks exactly the tokens Intl.Segmenter marks isWordLike, on varied text', () => {
    for (const text of cases) expect(ranges(wordTokens(text)), text).toEqual(wordLikeBySegmenter(text))
  })

  it('agrees with Intl.Segmenter on every BMP character, alone, doubled and between a letter and a digit', () => {
    const probes: string[] = []
    for (let code = 0x21; code < 0x10000; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue
      const character = String.fromCharCode(code)
      probes.push(`x ${character} ${character}${character} a${character}1 y`)
    }
    for (const text of probes) {
      const ours = ranges(wordTokens(text))
      const reference = wordLikeBySegmenter(text)
      if (JSON.stringify(ours) !== JSON.stringify(reference)) expect({ text, ranges: ours }).toEqual({ text, ranges: reference })
    }
  })

  it('judges a small region that comes back (remembered by its text and token offsets) as the first time', () => {
    // "a😀b" and " 😀 " recur; "々" alone and "々々" are judged differently by the dictionary segmenter.
    const text = 'a😀b 😀 x 々 y 々々 z a😀b\n😀\t々 々々 ²x x² __ _ 😀 a😀b'
    const first = ranges(wordTokens(text))
    expect(first).toEqual(wordLikeBySegmenter(text))
    expect(ranges(wordTokens(text))).toEqual(first)
    // More distinct regions than are remembered, then the same text again.
    for (let code = 0x4e00; code < 0x4e00 + 5000; code++) wordTokens(`a ${String.fromCharCode(code)}😀 b`)
    expect(ranges(wordTokens(text))).toEqual(first)
  })

  it('agrees with Intl.Segmenter on random mixes of scripts, emoji, punctuation and line breaks', () => {
    const piece = fc.oneof(
      fc.constantFrom('Əliyev', 'Şuşa', 'co-operation', 'U.S.', '2024', '3.14', "don't", 'محمد', '٢٠٢٤', 'Ωμέγα', '漢字', 'カタカナ', '々', '한국어', 'ไทย'),
      fc.constantFrom('😀', '👍🏽', '🇦🇿', '👨‍👩‍👧', '1️⃣', '©', '𝒜', 'x²', 'Ⓐ', '__', '_', 'e\u0301', '\u0301', '\u200d', '\ufe0f', '\u00ad', '\u0640'),
      fc.constantFrom(' ', '  ', '\r\n', '\n', '\t', '\u00a0', '\u202f', '\u3000', '.', ',', '-', '—', '"', "'", '(', ')', ':', '…', ';', '@')
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('')
        expect(ranges(wordTokens(text))).toEqual(wordLikeBySegmenter(text))
      }),
      { numRuns: 1000 }
    )
  })
})

const TAGS = ['EVENT', 'ORG', 'PERSON', 'PROGRAM']
const O = TAGS.length

function labelsOf(text: string, spans: TaggedSpan[]): Record<string, string> {
  const tokens = wordTokens(text)
  const labels = labelTokens(tokens, spans, TAGS)
  return Object.fromEntries(ranges(tokens).map(([start, end], index) => [text.slice(start, end), labels[index] === O ? OUTSIDE_LABEL : (TAGS[labels[index] as number] as string)]))
}

describe('labelTokens', () => {
  const text = 'The Heydar Aliyev Foundation met Mehriban Aliyeva.'
  //          0   4      11     18         29  33       42

  it('labels tokens a span touches, and O elsewhere', () => {
    expect(labelsOf(text, [{ start: 33, end: 49, tag: 'PERSON' }])).toEqual({
      The: 'O', Heydar: 'O', Aliyev: 'O', Foundation: 'O', met: 'O', Mehriban: 'PERSON', Aliyeva: 'PERSON'
    })
  })

  it('lets one shared code unit count: a span cutting a word in two labels the whole word', () => {
    expect(labelsOf(text, [{ start: 8, end: 13, tag: 'PERSON' }])).toMatchObject({ Heydar: 'PERSON', Aliyev: 'PERSON', Foundation: 'O' })
    // A span over the space between two words touches neither.
    expect(labelsOf(text, [{ start: 10, end: 11, tag: 'PERSON' }])).toMatchObject({ Heydar: 'O', Aliyev: 'O' })
    // Empty spans touch nothing.
    expect(labelsOf(text, [{ start: 5, end: 5, tag: 'PERSON' }])).toMatchObject({ Heydar: 'O' })
  })

  it('gives a token under nested spans the longest span’s tag', () => {
    const nested = [
      { start: 4, end: 17, tag: 'PERSON' }, // Heydar Aliyev
      { start: 4, end: 28, tag: 'ORG' } // Heydar Aliyev Foundation
    ]
    expect(labelsOf(text, nested)).toMatchObject({ Heydar: 'ORG', Aliyev: 'ORG', Foundation: 'ORG' })
    // Order of the input does not matter.
    expect(labelsOf(text, [...nested].reverse())).toMatchObject({ Heydar: 'ORG', Aliyev: 'ORG', Foundation: 'ORG' })
  })

  it('under overlapping spans of equal length, takes the one starting earlier, then the tag id first alphabetically', () => {
    const overlapping = [
      { start: 11, end: 28, tag: 'EVENT' }, // Aliyev Foundation (17 units)
      { start: 4, end: 21, tag: 'PERSON' } // Heydar Aliyev Fou (17 units, earlier)
    ]
    expect(labelsOf(text, overlapping)).toMatchObject({ Heydar: 'PERSON', Aliyev: 'PERSON', Foundation: 'PERSON' })
    const sameRange = [
      { start: 4, end: 17, tag: 'PROGRAM' },
      { start: 4, end: 17, tag: 'ORG' }
    ]
    expect(labelsOf(text, sameRange)).toMatchObject({ Heydar: 'ORG', Aliyev: 'ORG' })
  })

  it('counts UTF-16 code units: a span ending inside a surrogate pair or starting at a low surrogate touches the word', () => {
    const astral = 'say 𝒜lpha now\r\nand 😀 then'
    //               0   4 (𝒜 = 4,5) 6..
    expect(labelsOf(astral, [{ start: 4, end: 5, tag: 'PERSON' }])).toMatchObject({ '𝒜lpha': 'PERSON', say: 'O' })
    expect(labelsOf(astral, [{ start: 5, end: 6, tag: 'ORG' }])).toMatchObject({ '𝒜lpha': 'ORG' })
    // The emoji is not a token, so a span over it alone labels nothing; CRLF is not a token either.
    const emojiStart = astral.indexOf('😀')
    expect(labelsOf(astral, [{ start: emojiStart, end: emojiStart + 2, tag: 'EVENT' }])).toEqual({ say: 'O', '𝒜lpha': 'O', now: 'O', and: 'O', then: 'O' })
    expect(labelsOf(astral, [{ start: astral.indexOf('\r'), end: astral.indexOf('\n') + 1, tag: 'EVENT' }])).toMatchObject({ now: 'O', and: 'O' })
  })

  it('refuses a span whose tag is not in the list', () => {
    expect(() => labelTokens(wordTokens(text), [{ start: 0, end: 3, tag: 'LOCATION' }], TAGS)).toThrow(/LOCATION/)
  })

  it('matches the definition (the highest-priority touching span) on random tokens and spans', () => {
    const layout = fc.record({
      gaps: fc.array(fc.tuple(fc.nat(3), fc.integer({ min: 1, max: 4 })), { maxLength: 25 }),
      spans: fc.array(fc.record({ start: fc.nat(80), length: fc.nat(20), tag: fc.constantFrom(...TAGS) }), { maxLength: 15 })
    })
    fc.assert(
      fc.property(layout, ({ gaps, spans }) => {
        const tokenRanges: { start: number; end: number }[] = []
        let position = 0
        for (const [gap, length] of gaps) {
          position += gap
          tokenRanges.push({ start: position, end: position + length })
          position += length
        }
        const tagged = spans.map((span) => ({ start: span.start, end: span.start + span.length, tag: span.tag }))
        const labels = labelTokens(tokenOffsetsOf(tokenRanges), tagged, TAGS)
        tokenRanges.forEach((token, index) => {
          const touching = tagged.filter((span) => span.start < token.end && span.end > token.start && span.end > span.start)
          touching.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0))
          expect(labels[index]).toBe(touching.length === 0 ? O : TAGS.indexOf((touching[0] as TaggedSpan).tag))
        })
      })
    )
  })

  it('labels 900,000 tokens under 88,000 deeply nested spans without visiting a token twice per span', () => {
    // Each span contains the next: painting every span over its whole range would take
    // 88,000 × 450,000 steps; the union–find skips what is labelled.
    const tokenCount = 900_000
    const starts = new Int32Array(tokenCount)
    const ends = new Int32Array(tokenCount)
    for (let index = 0; index < tokenCount; index++) {
      starts[index] = index * 6
      ends[index] = index * 6 + 5
    }
    const spans: TaggedSpan[] = []
    for (let depth = 0; depth < 88_000; depth++) spans.push({ start: depth * 6, end: (tokenCount - depth) * 6 - 1, tag: TAGS[depth % 4] as string })
    const labels = labelTokens({ count: tokenCount, starts, ends }, spans, TAGS)
    expect(labels[0]).toBe(0) // the outermost (longest) span, EVENT
    expect(labels[tokenCount / 2]).toBe(0)
    expect(labels.every((label) => label === 0)).toBe(true)
  })
})
