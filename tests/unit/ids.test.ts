import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { annotatorFileName, asciiSlug, documentIdFromName, DOCUMENT_ID_PATTERN, newAnnotationId } from '../../src/core/ids'
import { annotationIdSchema, documentIdSchema } from '../../src/shared/api-schemas'

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex')

describe('asciiSlug', () => {
  it.each([
    ['Əli Məmmədov', 'eli-memmedov'],
    ['Bakı İclası', 'baki-iclasi'],
    ['Şəki, Gəncə & Quba', 'seki-gence-quba'],
    ['Müşavirə ğ ç ö ü', 'musavire-g-c-o-u'],
    ['Straße Ærø Łódź', 'strasse-aero-lodz'],
    ['  --Report (final) v2--  ', 'report-final-v2'],
    ['وزير التعليم', '']
  ])('%j → %j', (input, expected) => {
    expect(asciiSlug(input)).toBe(expected)
  })
})

describe('documentIdFromName', () => {
  it('is the slug of the name without extension plus a suffix', () => {
    const id = documentIdFromName('Əli Məmmədov report.txt', new Set())
    expect(id).toMatch(/^eli-memmedov-report-[0-9a-f]{4}$/)
  })

  it('falls back to "document" when nothing Latin is left', () => {
    expect(documentIdFromName('وزير.txt', new Set())).toMatch(/^document-[0-9a-f]{4}$/)
  })

  it('never returns a taken id', () => {
    const taken = new Set<string>()
    for (let index = 0; index < 300; index++) {
      const id = documentIdFromName('same.txt', taken)
      expect(taken.has(id)).toBe(false)
      taken.add(id)
    }
  })

  it('always matches the API pattern, whatever the name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (name) => {
        const id = documentIdFromName(name, new Set())
        expect(id).toMatch(DOCUMENT_ID_PATTERN)
        expect(documentIdSchema.safeParse(id).success).toBe(true)
      })
    )
  })
})

describe('annotatorFileName', () => {
  it('is readable and tells apart names with the same slug', () => {
    const jose = annotatorFileName('José', sha256Hex)
    const plainJose = annotatorFileName('Jose', sha256Hex)
    expect(jose).toBe(`jose-${sha256Hex('José').slice(0, 8)}.json`)
    expect(plainJose).not.toBe(jose)
  })

  it('is a safe file name for any annotator name', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }), (name) => {
        expect(annotatorFileName(name, sha256Hex)).toMatch(/^[a-z0-9][a-z0-9-]{0,39}-[0-9a-f]{8}\.json$/)
      })
    )
  })

  it('uses "annotator" when the name has no Latin letters', () => {
    expect(annotatorFileName('أمين', sha256Hex)).toMatch(/^annotator-[0-9a-f]{8}\.json$/)
  })
})

describe('newAnnotationId', () => {
  it('is valid for the API and unique', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newAnnotationId()))
    expect(ids.size).toBe(1000)
    for (const id of ids) expect(annotationIdSchema.safeParse(id).success).toBe(true)
  })
})
