import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { PLAIN_LETTER, segmentInWindows, segmentSentences, tokenize, tokenizeWithIntlSegmenter } from '../../src/core/segmentation'
import { withCpuTime } from '../helpers/cpu-time'

const texts = (text: string): string[] => [...tokenize(text)].map((token) => token.text)

describe('tokenize', () => {
  const bySegmenter = (text: string): unknown[] => [...tokenizeWithIntlSegmenter(text)]

  it('splits plain ASCII exactly as Intl.Segmenter does (the fast path) on hand-picked cases', () => {
    const cases = [
      "e.g. U.S.A. can't a:b 1:2 a:1 3,000.5 1;2 a;b a,b x.5 5.x 1.a a.1 a'1 1'2 a1b2 -- .. a..b 1,,2",
      'a_b __ _ _1 9_ a__b', // '_' runs go to the segmenter
      'end. "Quoted," (parens) [x] {y} <z> @mention #tag $5 100% a&b a/b a\\b a|b a~b a^b `a` a?b a!b a*b a+b a=b',
      "'a' 'tis rock'n'roll 1.2.3 1,2,3 a.b.c. ...a a... 12:30 3.14.",
      ' \u0301a b\u0301 a\u200db \u00a0x\u00a0 caf\u00e9 na\u00efve 😀a a😀 a🇦🇿b',
      'co-\r\noperation\ttab\vvt\fff\r\n\n',
      '😀😀 a😀 😀a 1😀2 🇦🇿🇦🇿 🇦🇿🇦 a🇦🇿 🇦a🇦🇿🇦 👍🏽x 😀\ufe0f. 😀\u0301 🇦\u0301🇿 🇦🏽 👩\u200d💻',
      'e\u0301.b a\u0301\u0301b 1\u0301,2 .\u0301. a\u0301:b \u0301a Cafe\u0301 na\u0308ive'
    ]
    for (const text of cases) expect([...tokenize(text)]).toEqual(bySegmenter(text))
  })

  it('treats every plain letter exactly as Intl.Segmenter does, in every context the fast path decides', () => {
    let letters = 0
    for (let code = 0x80; code < 0x10000; code++) {
      const c = String.fromCharCode(code)
      if (!/\p{L}/u.test(c) || !PLAIN_LETTER.test(c)) continue
      letters++
      for (const probe of [`${c}${c}`, `a${c}1`, `1${c}a`, `${c}.${c}`, `${c}:${c}`, `${c}'${c}`, `${c},${c}`, `${c};a`, `1.${c}`, `${c}.1`, `(${c})`, `${c}-${c}`, `${c}'`, `'${c}`, `${c}"${c}`, `${c}"`, `${c}_${c}`]) {
        const text = `x ${probe} y`
        const fast = [...tokenize(text)]
        const reference = bySegmenter(text)
        if (JSON.stringify(fast) !== JSON.stringify(reference)) {
          expect({ letter: `U+${code.toString(16).toUpperCase()}`, text, tokens: fast }).toEqual({ letter: `U+${code.toString(16).toUpperCase()}`, text, tokens: reference })
        }
      }
    }
    expect(letters).toBeGreaterThan(2000) // Latin, Greek, Cyrillic, Armenian, Georgian, Arabic
  })

  it('treats every emoji outside the BMP exactly as Intl.Segmenter does', () => {
    let emoji = 0
    for (let codePoint = 0x10000; codePoint < 0x20000; codePoint++) {
      const e = String.fromCodePoint(codePoint)
      if (!/\p{Extended_Pictographic}/u.test(e)) continue
      emoji++
      for (const probe of [e, `${e}${e}`, `a${e}b`, `1${e}`, `${e}.`, `${e}\ufe0f`, `${e}\u0301a`, `${e}🏽`, `${e}🇦🇿`]) {
        const text = `x ${probe} y`
        expect([...tokenize(text)], text).toEqual(bySegmenter(text))
      }
    }
    expect(emoji).toBeGreaterThan(2000)
  })

  it('splits any mix of ASCII and other text exactly as Intl.Segmenter does', () => {
    const piece = fc.oneof(
      { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom(...'aZ09.,;:\'_-!"?()', ' ', '\n', '\r', '\t'), maxLength: 12 }) },
      { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...'əƏıİşŞçğüöéñßαΩжЖաაعربي', 'a', '.', "'", ':', ','), minLength: 1, maxLength: 6 }) },
      {
        weight: 2,
        arbitrary: fc.string({
          unit: fc.constantFrom('a', '1', '.', ',', "'", ':', '\u0301', '\u0308', '\ufe0f', '😀', '👍', '🏽', '🇦', '🇿', '🇫', '\u200d', '©', 'ə'),
          minLength: 1,
          maxLength: 8
        })
      },
      { weight: 1, arbitrary: fc.constantFrom('\u0301', '\u064e', '\u200d', '\u00a0', '\ufeff', '\u0640', 'שלום', 'ช', 'ǅ', 'ʼ', 'ª', '😀', '🇦🇿', '中文', '\u2028', '\u3000') }
    )
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const text = parts.join('')
        expect([...tokenize(text)]).toEqual(bySegmenter(text))
      }),
      { numRuns: 1500, seed: 20261123 }
    )
  })

  it('splits words and gives each punctuation mark its own token', () => {
    expect(texts('Hello, "world"?!')).toEqual(['Hello', ',', '"', 'world', '"', '?', '!'])
  })

  it('keeps emoji sequences, flags and combining accents whole', () => {
    expect(texts('👩‍💻 🇦🇿 Cafe\u0301')).toEqual(['👩‍💻', '🇦🇿', 'Cafe\u0301'])
  })

  it('splits a hyphenation across a CRLF line break into word, hyphen, word', () => {
    expect(texts('co-\r\noperation')).toEqual(['co', '-', 'operation'])
  })

  it('tokenizes Arabic', () => {
    expect(texts('وزير التعليم.')).toEqual(['وزير', 'التعليم', '.'])
  })

  it('gives offsets that slice back to each token and never cover whitespace', () => {
    const piece = fc.constantFrom('word', ' ', '\r\n', '\t', ',', '😀', '🇫🇷', 'e\u0301', 'مرحبا', '...', '\u00a0', '-', '中文')
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), (parts) => {
        const text = parts.join('')
        let previousEnd = 0
        for (const token of tokenize(text)) {
          if (text.slice(token.start, token.end) !== token.text) return false
          if (token.start < previousEnd || token.end <= token.start) return false
          if (/\s/u.test(token.text)) return false
          if (/\S/u.test(text.slice(previousEnd, token.start))) return false
          previousEnd = token.end
        }
        return !/\S/u.test(text.slice(previousEnd))
      }),
      { numRuns: 200 }
    )
  })
})

describe('segmentSentences', () => {
  it('groups tokens into sentences spanning first to last token', () => {
    const text = '  Emin met ISESCO. Then they left!\n\nNew paragraph'
    const sentences = [...segmentSentences(text)]
    expect(sentences.map((sentence) => text.slice(sentence.start, sentence.end))).toEqual([
      'Emin met ISESCO.',
      'Then they left!',
      'New paragraph'
    ])
    expect(sentences[0]?.tokens.map((token) => token.text)).toEqual(['Emin', 'met', 'ISESCO', '.'])
  })

  it('yields nothing for an empty or blank text', () => {
    expect([...segmentSentences('')]).toEqual([])
    expect([...segmentSentences(' \r\n\t ')]).toEqual([])
  })
})

describe('segmentInWindows', () => {
  const longTextArbitrary = fc
    .array(fc.constantFrom('Word ', 'Dr. Smith left. ', 'co-\r\n', '😀', '🇦🇿 ', 'e\u0301', 'وزير التعليم. ', '3.5 ', '"Quoted!" ', '\n\n', 'x'.repeat(300)), {
      minLength: 500,
      maxLength: 1500
    })
    .map((parts) => parts.join(''))

  for (const granularity of ['word', 'sentence'] as const) {
    it(`gives the same ${granularity} segments as segmenting the whole text at once`, () => {
      fc.assert(
        fc.property(longTextArbitrary, (text) => {
          const segmenter = new Intl.Segmenter('en', { granularity })
          const direct = [...segmenter.segment(text)].map((segment) => `${segment.index}:${segment.segment}`)
          const windowed = [...segmentInWindows(segmenter, text)].map((segment) => `${segment.index}:${segment.segment}`)
          expect(windowed).toEqual(direct)
        }),
        { numRuns: 8 }
      )
    })
  }

  it('widens the window for a segment longer than it', () => {
    const text = `${'a'.repeat(20_000)} b`
    const words = [...segmentInWindows(new Intl.Segmenter('en', { granularity: 'word' }), text)]
    expect(words.map((segment) => segment.segment.length)).toEqual([20_000, 1, 1])
  })

  it('tokenizes a 1 MB text in linear time', () => {
    const paragraph = 'Minister Emin Amrullayev met ISESCO 😀 in Bakı on October 4, 2024. The co-\noperation started!\r\n'
    const text = paragraph.repeat(Math.ceil(1_000_000 / paragraph.length))
    const { result: sentences, cpuMs } = withCpuTime(() => {
      let count = 0
      for (const _ of segmentSentences(text)) count++
      return count
    })
    expect(sentences).toBeGreaterThan(15_000)
    // Unwindowed, V8 needs many minutes for this; windowed it takes about a second.
    expect(cpuMs).toBeLessThan(15_000)
  })
})
