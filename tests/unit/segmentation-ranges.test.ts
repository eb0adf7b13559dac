// forEachTokenRange is tokenize without the token objects (agreement's word tokens read
// 10,000 documents through it): it must give exactly tokenize's offsets, in order, on any
// text — plain runs, runs that go to Intl.Segmenter, and the separators between them.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { forEachTokenRange, tokenize } from '../../src/core/segmentation'

function ranges(text: string): [number, number][] {
  const found: [number, number][] = []
  forEachTokenRange(text, (start, end) => found.push([start, end]))
  return found
}

const byTokenize = (text: string): [number, number][] => [...tokenize(text)].map((token) => [token.start, token.end])

describe('forEachTokenRange', () => {
  it('gives tokenize’s offsets on hand-picked texts', () => {
    for (const text of [
      '',
      '   \n\t',
      "Hello, world! e.g. U.S.A. can't 3,000.5 a_b __ _1",
      ' \u0301a b\u0301 a\u200db \u00a0x\u00a0 café naïve 😀a a😀 a🇦🇿b',
      'co-\r\noperation\ttab\vvt\fff\r\n\n',
      '😀😀 1😀2 🇦🇿🇦🇿 🇦🇿🇦 👍🏽x 😀\ufe0f. 😀\u0301 🇦\u0301🇿 👩\u200d💻',
      'Prezident İlham Əliyev; ذهب الرئيس ٢٠٢٤ 漢字かな 中文，标点。ไทย 𝒜lpha x² \u2028 a\u3000b',
      '\u0301 starts with a mark',
      'ends with a mark \u0301'
    ]) {
      expect(ranges(text), text).toEqual(byTokenize(text))
    }
  })

  it('gives tokenize’s offsets on random mixes of scripts, emoji, marks, punctuation and whitespace', () => {
    const piece = fc.oneof(
      { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom(...'aZ09.,;:\'_-!"?()', ' ', '\n', '\r', '\t', '\v', '\f'), maxLength: 12 }) },
      { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...'əƏıİşŞçğüöéñßαΩжЖաაعربي', 'a', '.', "'", ':', ','), minLength: 1, maxLength: 6 }) },
      {
        weight: 2,
        arbitrary: fc.string({
          unit: fc.constantFrom('a', '1', '.', ',', "'", ':', '\u0301', '\u0308', '\ufe0f', '😀', '👍', '🏽', '🇦', '🇿', '\u200d', '©', 'ə'),
          minLength: 1,
          maxLength: 8
        })
      },
      { weight: 1, arbitrary: fc.constantFrom('\u0301', '\u064e', '\u200d', '\u00a0', '\u202f', '\ufeff', '\u0640', 'שלום', 'ช', '😀', '🇦🇿', '中文', '々々', '\u2028', '\u3000', '\ud800') }
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const text = parts.join('')
        expect(ranges(text)).toEqual(byTokenize(text))
      }),
      { numRuns: 3000, seed: 20261201 }
    )
  })

  it('gives tokenize’s offsets for every BMP character alone, doubled and between a letter and a digit', () => {
    const probes: string[] = []
    for (let code = 0x21; code < 0x10000; code++) {
      const character = String.fromCharCode(code)
      probes.push(`x ${character} ${character}${character} a${character}1 y`)
    }
    // In chunks, so one text holds plain runs and segmenter regions side by side.
    for (let index = 0; index < probes.length; index += 64) {
      const text = probes.slice(index, index + 64).join('\n')
      const ours = ranges(text)
      const reference = byTokenize(text)
      if (JSON.stringify(ours) !== JSON.stringify(reference)) expect({ text, ranges: ours }).toEqual({ text, ranges: reference })
    }
  })
})
