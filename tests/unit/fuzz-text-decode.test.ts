// The .txt import decoder against random and hand-made hostile bytes: it never throws, never
// hangs, accepts exactly what a strict UTF-8/UTF-16 decoder accepts (minus NUL), and every
// refusal names the file and, for bad UTF-8, the byte and line.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeImportedText, MAX_IMPORT_BYTES } from '../../src/core/text-decode'

const FILE = 'evil <b>name</b>.txt'
const SEED = 20261123
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
const concat = (...parts: Array<Uint8Array | readonly number[]>): Uint8Array => Uint8Array.from(parts.flatMap((part) => Array.from(part)))

function strictUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    return null
  }
}

/** Bytes that are mostly text with the odd hostile byte: random bytes alone are almost never valid UTF-8. */
const textishBytes = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }).map((text) => Array.from(utf8(text))) },
      { weight: 1, arbitrary: fc.array(fc.integer({ min: 0x80, max: 0xff }), { minLength: 1, maxLength: 3 }) },
      { weight: 1, arbitrary: fc.constantFrom([0x0d], [0x0a], [0x0d, 0x0a], [0xef, 0xbb, 0xbf], [0xed, 0xa0, 0x80], [0xc0, 0xaf]) }
    ),
    { maxLength: 40 }
  )
  .map((chunks) => Uint8Array.from(chunks.flat()))

describe('decodeImportedText under fuzzing', () => {
  it('accepts exactly what a strict UTF-8 decoder accepts, and never throws', () => {
    fc.assert(
      fc.property(textishBytes, (bytes) => {
        const result = decodeImportedText(bytes, FILE, MAX_IMPORT_BYTES)
        const startsWithBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
        const startsWithUtf16Bom = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)
        if (startsWithUtf16Bom) return
        const body = startsWithBom ? bytes.subarray(3) : bytes
        const expected = strictUtf8(body)
        const acceptable = expected !== null && expected.length > 0 && !expected.includes('\u0000')
        expect(result.ok).toBe(acceptable)
        if (result.ok) {
          expect(result.text).toBe(expected)
          expect(result.encoding).toBe(startsWithBom ? 'utf-8-bom' : 'utf-8')
        } else {
          expect(result.reason).toContain(`"${FILE}"`)
        }
      }),
      { seed: SEED, numRuns: 400 }
    )
  })

  it('round-trips any text through every encoding it supports', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((text) => !text.includes('\u0000')), (text) => {
        const units = Array.from({ length: text.length }, (_, index) => text.charCodeAt(index))
        const le = concat([0xff, 0xfe], units.flatMap((unit) => [unit & 0xff, unit >> 8]))
        const be = concat([0xfe, 0xff], units.flatMap((unit) => [unit >> 8, unit & 0xff]))
        for (const [bytes, encoding] of [
          [utf8(text), 'utf-8'],
          [concat([0xef, 0xbb, 0xbf], utf8(text)), 'utf-8-bom'],
          [le, 'utf-16le-bom'],
          [be, 'utf-16be-bom']
        ] as const) {
          expect(decodeImportedText(bytes, FILE, MAX_IMPORT_BYTES)).toMatchObject({ ok: true, text, encoding })
        }
      }),
      { seed: SEED, numRuns: 200 }
    )
  })

  it('never throws on arbitrary bytes after a UTF-16 byte-order mark', () => {
    fc.assert(
      fc.property(fc.constantFrom([0xff, 0xfe], [0xfe, 0xff]), fc.uint8Array({ maxLength: 64 }), (bom, body) => {
        const result = decodeImportedText(concat(bom, body), FILE, MAX_IMPORT_BYTES)
        if (!result.ok) expect(result.reason).toContain(`"${FILE}"`)
        else expect(result.text).not.toContain('\u0000')
      }),
      { seed: SEED, numRuns: 300 }
    )
  })
})

describe('decodeImportedText on hand-made nasty files', () => {
  it('names the byte and line of invalid UTF-8 (Latin-1 é on line 3, CR-only and CRLF lines)', () => {
    for (const breakBytes of [[0x0a], [0x0d, 0x0a], [0x0d]]) {
      const bytes = concat(utf8('one'), breakBytes, utf8('two'), breakBytes, utf8('caf'), [0xe9])
      const result = decodeImportedText(bytes, FILE, MAX_IMPORT_BYTES)
      expect(result).toEqual({
        ok: false,
        reason: expect.stringMatching(new RegExp(`invalid byte 0xE9 at byte ${bytes.length - 1} \\(line 3\\)`))
      })
    }
  })

  it('refuses overlong forms, encoded surrogates, code points above U+10FFFF and truncated sequences', () => {
    const cases: Array<[string, number[]]> = [
      ['overlong "/"', [0x61, 0xc0, 0xaf]],
      ['overlong NUL', [0x61, 0xc0, 0x80]],
      ['three-byte overlong', [0xe0, 0x80, 0xaf]],
      ['encoded high surrogate', [0xed, 0xa0, 0x80]],
      ['above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
      ['lead byte 0xFF', [0x61, 0xff]],
      ['cut-off emoji', [0x61, 0xf0, 0x9f, 0x98]],
      ['lone continuation', [0x61, 0x80, 0x62]]
    ]
    for (const [label, bytes] of cases) {
      const result = decodeImportedText(Uint8Array.from(bytes), FILE, MAX_IMPORT_BYTES)
      expect(result.ok, label).toBe(false)
      if (!result.ok) expect(result.reason, label).toMatch(/is not valid UTF-8: invalid byte 0x[0-9A-F]{2} at byte \d+ \(line 1\)/)
    }
  })

  it('keeps a byte-order mark in the middle of the text as text (only a leading one is a BOM)', () => {
    const result = decodeImportedText(utf8('before\uFEFFafter\n\uFEFF'), FILE, MAX_IMPORT_BYTES)
    expect(result).toMatchObject({ ok: true, text: 'before\uFEFFafter\n\uFEFF', encoding: 'utf-8' })
    const doubled = decodeImportedText(concat([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], utf8('x')), FILE, MAX_IMPORT_BYTES)
    expect(doubled).toMatchObject({ ok: true, text: '\uFEFFx', encoding: 'utf-8-bom' })
  })

  it('reads CR-only files and says so', () => {
    expect(decodeImportedText(utf8('one\rtwo\rthree'), FILE, MAX_IMPORT_BYTES)).toMatchObject({ ok: true, lineEnding: 'cr' })
  })

  it('refuses NUL bytes, a BOM alone, an odd-length UTF-16 file and unpaired surrogates with the place', () => {
    expect(decodeImportedText(utf8('plain text\u0000 more text'), FILE, MAX_IMPORT_BYTES)).toEqual({ ok: false, reason: expect.stringContaining('NUL bytes at byte 10') })
    expect(decodeImportedText(Uint8Array.from([0xef, 0xbb, 0xbf]), FILE, MAX_IMPORT_BYTES)).toEqual({ ok: false, reason: `"${FILE}" is empty` })
    expect(decodeImportedText(Uint8Array.from([0xff, 0xfe, 0x61]), FILE, MAX_IMPORT_BYTES)).toEqual({ ok: false, reason: expect.stringContaining('odd number of bytes') })
    const unpaired = decodeImportedText(Uint8Array.from([0xff, 0xfe, 0x61, 0x00, 0x0a, 0x00, 0x00, 0xd8, 0x62, 0x00]), FILE, MAX_IMPORT_BYTES)
    expect(unpaired).toEqual({ ok: false, reason: expect.stringContaining('unpaired surrogate 0xD800 at byte 6 (line 2)') })
  })

  // A quadratic scan would exceed the test timeout here; a linear one takes milliseconds.
  it('handles a 10^6-character line and finds a bad byte at its end', () => {
    const line = new Uint8Array(1_000_000).fill(0x61)
    expect(decodeImportedText(line, FILE, MAX_IMPORT_BYTES)).toMatchObject({ ok: true, lineEnding: 'none' })
    const broken = concat(line, [0xc3])
    expect(decodeImportedText(broken, FILE, MAX_IMPORT_BYTES)).toEqual({
      ok: false,
      reason: expect.stringContaining('invalid byte 0xC3 at byte 1000000 (line 1)')
    })
  })

  it('refuses a file over the limit before decoding anything', () => {
    expect(decodeImportedText(new Uint8Array(11), FILE, 10)).toEqual({ ok: false, reason: expect.stringContaining('the limit is') })
  })
})
