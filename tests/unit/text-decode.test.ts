import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decodeImportedText, detectLineEnding, MAX_IMPORT_BYTES } from '../../src/core/text-decode'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values)

function utf16(text: string, endian: 'le' | 'be', withBom = true): Uint8Array {
  const units = Array.from({ length: text.length }, (_, index) => text.charCodeAt(index))
  const out: number[] = withBom ? (endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]) : []
  for (const unit of units) out.push(...(endian === 'le' ? [unit & 0xff, unit >> 8] : [unit >> 8, unit & 0xff]))
  return Uint8Array.from(out)
}

function refusal(result: ReturnType<typeof decodeImportedText>): string {
  if (result.ok) throw new Error(`expected a refusal, got text ${JSON.stringify(result.text.slice(0, 40))}`)
  return result.reason
}

describe('decodeImportedText', () => {
  const sample = 'Əli Məmmədov met ISESCO.\r\nSecond line 😀\r\n'

  it('reads UTF-8 without a BOM and keeps CRLF exactly', () => {
    const result = decodeImportedText(utf8(sample), 'a.txt', MAX_IMPORT_BYTES)
    expect(result).toEqual({ ok: true, text: sample, encoding: 'utf-8', lineEnding: 'crlf' })
  })

  it('strips a UTF-8 BOM from the text and records it', () => {
    const result = decodeImportedText(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(sample)]), 'a.txt', MAX_IMPORT_BYTES)
    expect(result).toEqual({ ok: true, text: sample, encoding: 'utf-8-bom', lineEnding: 'crlf' })
  })

  it.each(['le', 'be'] as const)('reads UTF-16 %s with a BOM, including astral characters', (endian) => {
    const result = decodeImportedText(utf16(sample, endian), 'a.txt', MAX_IMPORT_BYTES)
    expect(result).toEqual({ ok: true, text: sample, encoding: `utf-16${endian}-bom`, lineEnding: 'crlf' })
  })

  it('round-trips any well-formed text through each encoding', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }).filter((text) => !text.includes('\u0000')), (text) => {
        for (const encoded of [utf8(text), utf16(text, 'le'), utf16(text, 'be')]) {
          const result = decodeImportedText(encoded, 'x.txt', MAX_IMPORT_BYTES)
          expect(result.ok && result.text).toBe(text)
        }
      })
    )
  })

  it('refuses an empty file, and one holding only a BOM', () => {
    expect(refusal(decodeImportedText(new Uint8Array(), 'empty.txt', 100))).toBe('"empty.txt" is empty')
    expect(refusal(decodeImportedText(bytes(0xef, 0xbb, 0xbf), 'bom.txt', 100))).toBe('"bom.txt" is empty')
    expect(refusal(decodeImportedText(bytes(0xff, 0xfe), 'bom16.txt', 100))).toBe('"bom16.txt" is empty')
  })

  it('refuses a file over the limit, stating both sizes', () => {
    const big = new Uint8Array(Math.round(31.2 * 1024 * 1024)).fill(0x61)
    expect(refusal(decodeImportedText(big, 'big.txt', MAX_IMPORT_BYTES))).toBe('"big.txt" is 31.2 MB; the limit is 20 MB')
    expect(refusal(decodeImportedText(new Uint8Array(20 * 1024 * 1024 + 1), 'edge.txt', MAX_IMPORT_BYTES))).toBe(
      '"edge.txt" is 20 MB (20971521 bytes); the limit is 20 MB (20971520 bytes)'
    )
    expect(refusal(decodeImportedText(new Uint8Array(3000), 'k.txt', 2048))).toBe('"k.txt" is 2.9 KB; the limit is 2 KB')
    expect(decodeImportedText(new Uint8Array(100).fill(0x61), 'ok.txt', 100).ok).toBe(true)
    expect(decodeImportedText(new Uint8Array(101).fill(0x61), 'no.txt', 100).ok).toBe(false)
  })

  it('refuses NUL bytes as binary, saying where', () => {
    const data = new Uint8Array(2000).fill(0x41)
    data[1234] = 0
    expect(refusal(decodeImportedText(data, 'scan.pdf', MAX_IMPORT_BYTES))).toBe(
      '"scan.pdf" contains NUL bytes at byte 1234: it looks like a binary file, not text'
    )
  })

  it('recognises UTF-16 without a BOM and says how to fix it', () => {
    expect(refusal(decodeImportedText(utf16('Hello world, plain text', 'le', false), 'w.txt', MAX_IMPORT_BYTES))).toMatch(
      /looks like UTF-16 text without a byte-order mark.*save it as UTF-8/
    )
  })

  it('refuses invalid UTF-8 naming the byte, its offset and its line', () => {
    const data = Uint8Array.from([...utf8('first line\nsecond '), 0xff, ...utf8(' rest')])
    expect(refusal(decodeImportedText(data, 'latin.txt', MAX_IMPORT_BYTES))).toBe(
      '"latin.txt" is not valid UTF-8: invalid byte 0xFF at byte 18 (line 2); save it as UTF-8 and import it again'
    )
  })

  it.each([
    ['Latin-1 é before a space', [0x63, 0x61, 0x66, 0xe9, 0x20], 3, 'E9'],
    ['overlong slash', [0x41, 0xc0, 0xaf], 1, 'C0'],
    ['overlong three-byte', [0xe0, 0x80, 0xaf], 0, 'E0'],
    ['encoded surrogate', [0xed, 0xa0, 0x80], 0, 'ED'],
    ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0, 'F4'],
    ['truncated at the end', [0x41, 0x42, 0xe2, 0x82], 2, 'E2'],
    ['stray continuation byte', [0x41, 0x80], 1, '80']
  ])('locates the first bad byte: %s', (_label, values, offset, hex) => {
    const reason = refusal(decodeImportedText(Uint8Array.from(values), 'x.txt', MAX_IMPORT_BYTES))
    expect(reason).toContain(`invalid byte 0x${hex} at byte ${offset} (line 1)`)
  })

  it('counts the BOM in byte offsets so they match a hex editor', () => {
    const data = Uint8Array.from([0xef, 0xbb, 0xbf, 0x41, 0xff])
    expect(refusal(decodeImportedText(data, 'x.txt', 100))).toContain('invalid byte 0xFF at byte 4')
  })

  it('refuses unpaired surrogates in UTF-16', () => {
    const lone = utf16('ab\ncd\uD800x', 'le')
    expect(refusal(decodeImportedText(lone, 'u.txt', 100))).toBe(
      '"u.txt" is not valid UTF-16: unpaired surrogate 0xD800 at byte 12 (line 2)'
    )
    const trailing = utf16('ab\uDC00', 'be')
    expect(refusal(decodeImportedText(trailing, 'u.txt', 100))).toContain('unpaired surrogate 0xDC00')
  })

  it('refuses UTF-16 with an odd number of bytes', () => {
    expect(refusal(decodeImportedText(bytes(0xff, 0xfe, 0x41, 0x00, 0x42), 'odd.txt', 100))).toContain('odd number of bytes')
  })
})

describe('detectLineEnding', () => {
  it.each([
    ['one line', 'none'],
    ['a\nb\n', 'lf'],
    ['a\r\nb\r\n', 'crlf'],
    ['a\rb\r', 'cr'],
    ['a\r\nb\n', 'mixed'],
    ['a\rb\n', 'mixed'],
    ['', 'none']
  ] as const)('%j is %s', (text, expected) => {
    expect(detectLineEnding(text)).toBe(expected)
  })
})
