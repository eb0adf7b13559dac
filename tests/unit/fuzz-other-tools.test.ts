// The doccano, Label Studio, WebAnno TSV 3 and Prodigy readers against mutated files: no
// exception, every problem names the file and a line that exists, a result without errors
// holds only spans inside their text that read what they claim, Object.prototype untouched.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { exportDoccano, parseDoccano } from '../../src/core/formats/doccano'
import { collectExport } from '../../src/core/formats/export-tally'
import type { ForeignDocument } from '../../src/core/formats/foreign-document'
import { exportLabelStudio, parseLabelStudio } from '../../src/core/formats/label-studio'
import { parseProdigy } from '../../src/core/formats/prodigy'
import type { ExportDocument, FormatError, ParseResult } from '../../src/core/formats/types'
import { parseWebannoTsv } from '../../src/core/formats/webanno-tsv'
import { documentArbitrary } from '../fixtures/formats/documents'
import { applyAll, mutationsArbitrary } from '../fixtures/hostile/mutations'

const SEED = 14_2026
const RUNS = 120

function expectSound(result: ParseResult<ForeignDocument[]>, file: string, content: string): void {
  const lines = Math.max(content.split('\n').length, content.split('\r').length)
  for (const problem of [...result.errors, ...result.warnings] as FormatError[]) {
    expect(problem.file).toBe(file)
    expect(Number.isInteger(problem.line) && problem.line >= 0 && problem.line <= lines).toBe(true)
    expect(problem.message.length).toBeGreaterThan(0)
  }
  if (result.errors.length > 0) return
  for (const document of result.value) {
    for (const span of document.spans) {
      expect(span.start).toBeGreaterThanOrEqual(0)
      expect(span.end).toBeGreaterThan(span.start)
      expect(span.end).toBeLessThanOrEqual(document.text.length)
      expect(span.text).toBe(document.text.slice(span.start, span.end))
      expect(span.label.trim()).not.toBe('')
    }
  }
}

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
})

const prodigyOf = (document: ExportDocument): string => {
  const codePoints = (offset: number): number => Array.from(document.text.slice(0, offset)).length
  return `${JSON.stringify({ text: document.text, spans: document.spans.map((span) => ({ start: codePoints(span.start), end: codePoints(span.end), label: span.label })), answer: 'accept' })}\n`
}

const readers: [string, (document: ExportDocument) => string, (content: string, file: string) => ParseResult<ForeignDocument[]>][] = [
  ['doccano', (document) => collectExport(exportDoccano([document])).output, (content, file) => parseDoccano(content, { file })],
  ['Label Studio', (document) => collectExport(exportLabelStudio([document])).output, (content, file) => parseLabelStudio(content, { file })],
  ['Prodigy', prodigyOf, (content, file) => parseProdigy(content, { file })]
]

describe('other tools\' readers under fuzzing', () => {
  for (const [name, write, read] of readers) {
    it(`${name}: reads its file back without errors, and a mutated one soundly`, () => {
      fc.assert(
        fc.property(documentArbitrary, mutationsArbitrary, (document, mutations) => {
          const clean = write(document)
          expect(read(clean, 'f').errors).toEqual([])
          const hostile = applyAll(clean, mutations)
          expectSound(read(hostile, 'f'), 'f', hostile)
        }),
        { seed: SEED, numRuns: RUNS }
      )
    })
  }

  it('WebAnno TSV: a mutated INCEpTION file is read soundly', () => {
    const tsv = readFileSync(join(__dirname, '../fixtures/formats/other-tools/inception.tsv'), 'utf8')
    fc.assert(
      fc.property(mutationsArbitrary, (mutations) => {
        const hostile = applyAll(tsv, mutations)
        expectSound(parseWebannoTsv(hostile, { file: 't.tsv' }), 't.tsv', hostile)
      }),
      { seed: SEED, numRuns: RUNS }
    )
  })

  it('refuses "__proto__" keys and labels without touching Object.prototype', () => {
    const doccano = parseDoccano('{"text": "ab", "label": [[0, 2, "__proto__"]], "__proto__": {"polluted": 1}}\n', { file: 'p.jsonl' })
    expect(doccano.errors).toEqual([])
    expect(doccano.value[0]?.spans[0]?.label).toBe('__proto__')
    const studio = parseLabelStudio('[{"__proto__": {"polluted": 1}, "data": {"text": "ab"}, "annotations": []}]', { file: 'p.json' })
    expect(studio.errors).toEqual([])
  })
})
