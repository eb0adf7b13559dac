import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createOffsetConverter, OffsetError } from '../../src/core/offsets'
import { asCodePoint, asUtf16, asUtf8 } from '../../src/shared/model'
import { withCpuTime } from '../helpers/cpu-time'

// Reference implementations: slow but obviously right.
const codePointsBefore = (text: string, utf16: number): number => Array.from(text.slice(0, utf16)).length
const utf8BytesBefore = (text: string, utf16: number): number =>
  new TextEncoder().encode(text.slice(0, utf16)).length

/** UTF-16 offsets that are character boundaries (not between the halves of a surrogate pair). */
function boundaries(text: string): number[] {
  const result = [0]
  let offset = 0
  for (const character of text) {
    offset += character.length
    result.push(offset)
  }
  return result
}

const samples: Record<string, string> = {
  ascii: 'Hello, world',
  emoji: 'a😀b👩‍💻c',
  flags: 'x🇦🇿🇫🇷y',
  combining: 'Cafe\u0301 e\u0301te\u0301',
  arabic: 'وزير التعليم أمين أمر الله',
  crlf: 'line one\r\nline two\r\n',
  mixed: '𝄞 ñ 中文 🇦🇿 e\u0301\r\nمرحبا 😀'
}

describe('createOffsetConverter', () => {
  for (const [name, text] of Object.entries(samples)) {
    it(`converts every boundary of the ${name} sample both ways`, () => {
      const converter = createOffsetConverter(text)
      expect(converter.codePointLength).toBe(Array.from(text).length)
      expect(converter.utf8Length).toBe(new TextEncoder().encode(text).length)
      for (const utf16 of boundaries(text)) {
        const codePoint = converter.toCodePoint(asUtf16(utf16))
        const utf8 = converter.toUtf8(asUtf16(utf16))
        expect(codePoint).toBe(codePointsBefore(text, utf16))
        expect(utf8).toBe(utf8BytesBefore(text, utf16))
        expect(converter.fromCodePoint(codePoint)).toBe(utf16)
        expect(converter.fromUtf8(utf8)).toBe(utf16)
      }
    })
  }

  it('counts a flag as two code points, matching Python slicing', () => {
    const converter = createOffsetConverter('🇦🇿!')
    expect(converter.toCodePoint(asUtf16(4))).toBe(2)
    expect(converter.toCodePoint(asUtf16(2))).toBe(1)
  })

  it('keeps a combining accent as its own code point', () => {
    const converter = createOffsetConverter('e\u0301x')
    expect(converter.toCodePoint(asUtf16(2))).toBe(2)
    expect(converter.toUtf8(asUtf16(2))).toBe(3)
  })

  it('rejects offsets inside a surrogate pair, naming the offset', () => {
    const converter = createOffsetConverter('a😀b')
    expect(() => converter.toCodePoint(asUtf16(2))).toThrowError(OffsetError)
    expect(() => converter.toCodePoint(asUtf16(2))).toThrowError(/UTF-16 offset 2 falls inside a surrogate pair/)
    expect(() => converter.toUtf8(asUtf16(2))).toThrowError(/surrogate pair/)
    expect(converter.isBoundary(2, 'utf16')).toBe(false)
    expect(converter.isBoundary(3, 'utf16')).toBe(true)
  })

  it('rejects UTF-8 offsets inside a multi-byte character', () => {
    const converter = createOffsetConverter('aé😀')
    expect(converter.fromUtf8(asUtf8(1))).toBe(1)
    expect(() => converter.fromUtf8(asUtf8(2))).toThrowError(/UTF-8 offset 2 falls inside a multi-byte character/)
    expect(converter.fromUtf8(asUtf8(3))).toBe(2)
    for (const inside of [4, 5, 6]) expect(converter.isBoundary(inside, 'utf8')).toBe(false)
    expect(converter.fromUtf8(asUtf8(7))).toBe(4)
  })

  it('rejects offsets past the end, negative, fractional and NaN', () => {
    const converter = createOffsetConverter('abc')
    expect(() => converter.toCodePoint(asUtf16(4))).toThrowError(/past the end of the text \(length 3\)/)
    expect(() => converter.fromCodePoint(asCodePoint(-1))).toThrowError(/negative/)
    expect(() => converter.fromUtf8(asUtf8(1.5))).toThrowError(/not a whole number/)
    expect(() => converter.fromUnit(Number.NaN, 'codepoint')).toThrowError(/not a whole number/)
    expect(() => converter.fromUnit(1e300, 'utf8')).toThrowError(/past the end/)
  })

  it('treats a lone surrogate as one code point of three UTF-8 bytes, like TextEncoder', () => {
    const text = 'a\ud800b\udc00c'
    const converter = createOffsetConverter(text)
    for (let utf16 = 0; utf16 <= text.length; utf16++) {
      expect(converter.toCodePoint(asUtf16(utf16))).toBe(utf16)
      expect(converter.toUtf8(asUtf16(utf16))).toBe(utf8BytesBefore(text, utf16))
    }
  })

  it('handles the empty text', () => {
    const converter = createOffsetConverter('')
    expect(converter.toCodePoint(asUtf16(0))).toBe(0)
    expect(converter.fromUtf8(asUtf8(0))).toBe(0)
    expect(() => converter.fromCodePoint(asCodePoint(1))).toThrowError(/past the end/)
  })

  it('agrees with the reference on random texts of emoji, combining marks, RTL and CRLF', () => {
    const pieces = ['a', ' ', '\r\n', '\n', 'é', 'e\u0301', '😀', '🇦🇿', '👩‍💻', 'م', 'ا', '中', '\u200f', '𝄞', '\ud800']
    const textArbitrary = fc
      .array(fc.constantFrom(...pieces), { maxLength: 1200 })
      .map((parts) => parts.join(''))
    fc.assert(
      fc.property(textArbitrary, (text) => {
        const converter = createOffsetConverter(text)
        for (const utf16 of boundaries(text)) {
          const codePoint = converter.toCodePoint(asUtf16(utf16))
          const utf8 = converter.toUtf8(asUtf16(utf16))
          if (codePoint !== codePointsBefore(text, utf16)) return false
          if (utf8 !== utf8BytesBefore(text, utf16)) return false
          if (converter.fromCodePoint(codePoint) !== utf16) return false
          if (converter.fromUtf8(utf8) !== utf16) return false
        }
        return true
      }),
      { numRuns: 150 }
    )
  })

  it('converts 200,000 sorted offsets on a 5 MB text quickly', () => {
    const paragraph = 'Emin Amrullayev met ISESCO 😀 in Bakı — التعليم 🇦🇿.\r\n'
    const text = paragraph.repeat(Math.ceil(5_000_000 / paragraph.length))
    const { result: checksum, cpuMs } = withCpuTime(() => {
      const converter = createOffsetConverter(text)
      let sum = 0
      const step = Math.floor(text.length / 200_000)
      for (let offset = 0; offset < text.length - 2; offset += step) {
        const boundary = converter.isBoundary(offset, 'utf16') ? offset : offset + 1
        const codePoint = converter.toCodePoint(asUtf16(boundary))
        const utf8 = converter.toUtf8(asUtf16(boundary))
        sum += converter.fromCodePoint(codePoint) - boundary + converter.fromUtf8(utf8) - boundary
      }
      return sum
    })
    expect(checksum).toBe(0)
    // Generous bound; a linear scan per query would take minutes.
    expect(cpuMs).toBeLessThan(10_000)
  })
})
