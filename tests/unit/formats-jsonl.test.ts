import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { collectExport } from '../../src/core/formats/export-tally'
import { exportJsonl, parseJsonl } from '../../src/core/formats/jsonl'
import type { ExportDocument, ExportWarning } from '../../src/core/formats/types'
import { asUtf16 } from '../../src/shared/model'
import { documentArbitrary, find, makeDocument, sha256 } from '../fixtures/formats/documents'
import { withCpuTime } from '../helpers/cpu-time'

const text = 'Emin 😀 Amrullayev met 🇦🇿 ISESCO\r\nin Bakı.'
const document = makeDocument('doc-1', text, [
  [...find(text, 'Amrullayev'), 'PERSON', { note: 'minister', createdAt: '2026-01-02T03:04:05.000Z' }],
  [...find(text, 'ISESCO'), 'ORG']
])

const parseOptions = { file: 'corpus.jsonl', computeSha256: sha256 }

describe('exportJsonl', () => {
  it('writes one line per document with code-point offsets that slice like Python', () => {
    const { output, summary } = collectExport(exportJsonl([document, makeDocument('doc-2', 'x', [])]))
    const lines = output.split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[2]).toBe('')
    const record = JSON.parse(lines[0] as string)
    expect(record).toMatchObject({ id: 'doc-1', name: 'doc-1', text, sha256: sha256(text), offsets: 'codepoint' })
    const codePoints = Array.from(text)
    for (const span of record.spans) {
      expect(codePoints.slice(span.start, span.end).join('')).toBe(span.text)
    }
    expect(record.spans[0]).toEqual({
      start: 7,
      end: 17,
      label: 'PERSON',
      text: 'Amrullayev',
      annotator: 'ayla',
      note: 'minister',
      created: '2026-01-02T03:04:05.000Z',
      entity: null
    })
    expect(record.spans[1].note).toBeNull()
    expect(summary).toEqual({ documents: 2, spans: 2, dropped: 0, adjusted: 0, warnings: 0 })
  })

  it('gives UTF-8 byte offsets on request', () => {
    const { output } = collectExport(exportJsonl([document], { offsets: 'utf8' }))
    const record = JSON.parse(output)
    const bytes = Buffer.from(text, 'utf8')
    expect(record.offsets).toBe('utf8')
    for (const span of record.spans) expect(bytes.subarray(span.start, span.end).toString('utf8')).toBe(span.text)
  })

  it('gives UTF-16 offsets on request', () => {
    const record = JSON.parse(collectExport(exportJsonl([document], { offsets: 'utf16' })).output)
    for (const span of record.spans) expect(text.slice(span.start, span.end)).toBe(span.text)
  })

  it('keeps one document per physical line even with U+2028 in the text', () => {
    const tricky = makeDocument('d', 'a\u2028b\u2029c\u0085d\ne', [[0, 3, 'ORG']])
    const { output } = collectExport(exportJsonl([tricky]))
    expect(output.split(/\r\n|[\n\r\u2028\u2029\u0085]/)).toHaveLength(2)
    expect(parseJsonl(output, parseOptions).value[0]?.text).toBe(tricky.text)
  })

  it('leaves out invalid spans with a warning and counts them', () => {
    const broken: ExportDocument = {
      ...document,
      spans: [
        ...document.spans,
        { start: asUtf16(8), end: asUtf16(8), label: 'ORG', text: '', annotator: 'a' },
        { start: asUtf16(5), end: asUtf16(6), label: 'ORG', text: '', annotator: 'a' },
        { start: asUtf16(0), end: asUtf16(999), label: 'ORG', text: '', annotator: 'a' }
      ]
    }
    const warnings: ExportWarning[] = []
    const { output, summary } = collectExport(exportJsonl([broken], { onWarning: (warning) => warnings.push(warning) }))
    expect(JSON.parse(output).spans).toHaveLength(2)
    expect(summary.dropped).toBe(3)
    expect(warnings.map((warning) => warning.message)).toEqual([
      expect.stringMatching(/ORG 8-8 left out: it is empty/),
      expect.stringMatching(/ORG 5-6 left out: its end 6 falls inside a surrogate pair/),
      expect.stringMatching(/ORG 0-999 left out: its end 999 is past the end/)
    ])
  })
})

describe('parseJsonl', () => {
  it('round-trips spans exactly in every offset unit', () => {
    for (const offsets of ['codepoint', 'utf16', 'utf8'] as const) {
      const { output } = collectExport(exportJsonl([document], { offsets }))
      const result = parseJsonl(output, parseOptions)
      expect(result.errors).toEqual([])
      const spans = result.value[0]?.spans.map(({ line: _line, ...span }) => span)
      expect(spans).toEqual(document.spans.map((span) => ({ ...span })))
    }
  })

  it('round-trips random documents (emoji, combining marks, RTL, CRLF, overlaps)', () => {
    fc.assert(
      fc.property(fc.array(documentArbitrary, { maxLength: 3 }), (generated) => {
        const documents = generated.map((generatedDocument, index) => ({ ...generatedDocument, id: `doc-${index}` }))
        const { output } = collectExport(exportJsonl(documents))
        const result = parseJsonl(output, parseOptions)
        expect(result.errors).toEqual([])
        expect(result.value).toHaveLength(documents.length)
        result.value.forEach((parsed, index) => {
          const original = documents[index] as ExportDocument
          expect(parsed.text).toBe(original.text)
          const key = (span: { start: number; end: number; label: string; note?: string }): string =>
            `${span.start}:${span.end}:${span.label}:${span.note ?? ''}`
          expect(parsed.spans.map(key).sort()).toEqual(original.spans.map(key).sort())
        })
      }),
      { numRuns: 100 }
    )
  })

  it('reports invalid JSON with its line number and keeps the other documents', () => {
    const good = collectExport(exportJsonl([document])).output
    const result = parseJsonl(`${good}\n{"id": "x",\n${good.replace('doc-1', 'doc-2')}`, parseOptions)
    expect(result.errors).toEqual([{ file: 'corpus.jsonl', line: 3, message: expect.stringMatching(/^invalid JSON: /) }])
    expect(result.value.map((parsed) => parsed.id)).toEqual(['doc-1', 'doc-2'])
  })

  it('checks fields, unit, range, covered text, sha256 and duplicate ids', () => {
    const base = { id: 'd', name: 'd', text: 'héllo 😀 world', offsets: 'codepoint' }
    const lines = [
      { ...base, spans: [{ start: 0, end: 5, label: 'ORG', text: 'héllo' }] },
      { ...base, offsets: 'bytes', spans: [] },
      { ...base, id: 'e', spans: [{ start: 0, end: 99, label: 'ORG' }] },
      { ...base, id: 'f', spans: [{ start: 0, end: 5, label: 'ORG', text: 'hello' }] },
      { ...base, id: 'g', sha256: sha256('other'), spans: [] },
      { ...base, spans: [] },
      { ...base, id: 'h', spans: [{ start: -1, end: 2.5, label: '' }] },
      { ...base, id: 'i', offsets: 'utf16', spans: [{ start: 7, end: 8, label: 'ORG' }] },
      { ...base, id: 'k', offsets: null, spans: [] },
      [1, 2],
      { ...base, id: 'j', spans: 'none' }
    ]
    const result = parseJsonl(lines.map((line) => JSON.stringify(line)).join('\n'), parseOptions)
    expect(result.value.map((parsed) => parsed.id)).toEqual(['d'])
    const messages = result.errors.map((error) => `${error.line}: ${error.message}`)
    expect(messages).toEqual([
      expect.stringMatching(/^2: "offsets" must be one of "codepoint", "utf16", "utf8", not "bytes"/),
      expect.stringMatching(/^3: span 1: "end" 99: Code-point offset 99 is past the end of the text \(length 13\)/),
      expect.stringMatching(/^4: span 1: "text" "hello" does not match the text at 0-5 \(codepoint\), which reads "héllo"/),
      expect.stringMatching(/^5: "sha256" [0-9a-f]{64} does not match the text/),
      '6: document id "d" already appears on line 1',
      '7: span 1: "label" must be a non-empty string',
      '7: span 1: "start" must be a whole number >= 0, not -1',
      '7: span 1: "end" must be a whole number >= 0, not 2.5',
      expect.stringMatching(/^8: span 1: "start" 7: UTF-16 offset 7 falls inside a surrogate pair/),
      '9: "offsets" must be one of "codepoint", "utf16", "utf8", not null',
      '10: expected a JSON object (one document per line)',
      '11: "spans" must be an array'
    ])
  })

  it('rejects unknown labels when the project labels are given', () => {
    const line = JSON.stringify({ id: 'd', text: 'abc', spans: [{ start: 0, end: 1, label: 'PLACE' }] })
    const result = parseJsonl(line, { file: 'f.jsonl', knownLabels: ['PERSON', 'ORG'] })
    expect(result.errors[0]?.message).toBe('span 1: unknown label "PLACE" (known: PERSON, ORG)')
  })

  it('survives hostile input: __proto__ keys, deep nesting, huge numbers, a 10^6-character line', () => {
    const hostile = [
      '{"__proto__": {"polluted": true}, "id": "p", "text": "abc", "spans": [{"__proto__": {"x": 1}, "start": 0, "end": 1, "label": "ORG"}]}',
      '['.repeat(200_000) + ']'.repeat(200_000),
      JSON.stringify({ id: 'n', text: 'abc', spans: [{ start: 1e308, end: 1e309, label: 'ORG' }] }),
      JSON.stringify({ id: 'l', text: 'x'.repeat(1_000_000), spans: [{ start: 0, end: 1_000_000, label: 'ORG' }] }),
      '{"id": "c", "constructor": 1, "text": "abc", "spans": []}',
      'x'.repeat(1_000_000)
    ].join('\n')
    const { result, cpuMs } = withCpuTime(() => parseJsonl(hostile, { file: 'evil.jsonl' }))
    expect(cpuMs).toBeLessThan(5_000)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(result.value.map((parsed) => parsed.id)).toEqual(['p', 'l', 'c'])
    expect(result.errors.map((error) => error.line)).toEqual([2, 3, 3, 6])
  })

  it('limits the error list on a file full of errors', () => {
    const result = parseJsonl('nope\n'.repeat(5000), { file: 'f' })
    expect(result.errors).toHaveLength(1001)
    expect(result.errors[1000]).toEqual({ file: 'f', line: 0, message: '4000 more errors not listed' })
  })
})
