import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { segmentSentences, tokenize } from '../../src/core/segmentation'

const texts = (text: string): string[] => [...tokenize(text)].map((token) => token.text)

describe('tokenize', () => {
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
