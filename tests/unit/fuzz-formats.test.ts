// The brat, CoNLL and JSONL parsers against mutated exports and hand-made hostile files. For
// every input: no exception, every problem names the file and a line that exists, a result
// without errors holds only spans that lie inside their text and read what they claim, and
// Object.prototype is never touched.
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { exportBrat, exportConll, exportJsonl, parseBratAnn, parseConll, parseJsonl } from '../../src/core/formats'
import { collectExport } from '../../src/core/formats/export-tally'
import type { ExportDocument, FormatError, ParsedSpan } from '../../src/core/formats/types'
import { documentArbitrary, LABELS, sha256 } from '../fixtures/formats/documents'
import { applyAll, mutationsArbitrary } from '../fixtures/hostile/mutations'

const SEED = 4_2026
const RUNS = 150

function lineCount(content: string): number {
  return Math.max(content.split('\n').length, content.split('\r').length)
}

function expectLocated(problems: readonly FormatError[], file: string, content: string): void {
  const lines = lineCount(content)
  for (const problem of problems) {
    expect(problem.file).toBe(file)
    expect(Number.isInteger(problem.line)).toBe(true)
    expect(problem.line).toBeGreaterThanOrEqual(0)
    expect(problem.line).toBeLessThanOrEqual(lines)
    expect(problem.message.length).toBeGreaterThan(0)
  }
}

function expectSpansInside(spans: readonly ParsedSpan[], text: string): void {
  for (const span of spans) {
    expect(Number.isSafeInteger(span.start) && Number.isSafeInteger(span.end)).toBe(true)
    expect(span.start).toBeGreaterThanOrEqual(0)
    expect(span.end).toBeGreaterThan(span.start)
    expect(span.end).toBeLessThanOrEqual(text.length)
    expect(span.text).toBe(text.slice(span.start, span.end))
    expect(span.label.length).toBeGreaterThan(0)
  }
}

afterEach(() => {
  // Any parser that assigned through a "__proto__" key would have left this behind.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(Object.prototype).not.toHaveProperty('polluted')
})

function bratFiles(document: ExportDocument): { txt: string; ann: string } {
  const files = [...collectFiles(exportBrat([document]))]
  return files[0] as { txt: string; ann: string }
}
function* collectFiles<T>(generator: Generator<T, unknown, undefined>): Generator<T> {
  for (let step = generator.next(); !step.done; step = generator.next()) yield step.value
}

describe('brat .ann parser under fuzzing', () => {
  it('reports every problem in a mutated .ann with its line, and never yields a span outside the text', () => {
    fc.assert(
      fc.property(documentArbitrary, mutationsArbitrary, (document, mutations) => {
        const { txt, ann } = bratFiles(document)
        const hostile = applyAll(ann, mutations)
        const result = parseBratAnn(hostile, { file: 'doc.ann', text: txt })
        expectLocated(result.errors, 'doc.ann', hostile)
        expectLocated(result.warnings, 'doc.ann', hostile)
        if (result.errors.length === 0) expectSpansInside(result.value, txt)
      }),
      { seed: SEED, numRuns: RUNS }
    )
  })

  it('reads its own export back unchanged when nothing is mutated (the oracle is not vacuous)', () => {
    fc.assert(
      fc.property(documentArbitrary, (document) => {
        const { txt, ann } = bratFiles(document)
        const result = parseBratAnn(ann, { file: 'doc.ann', text: txt })
        expect(result.errors).toEqual([])
      }),
      { seed: SEED, numRuns: 50 }
    )
  })

  it('refuses hostile offsets and duplicate ids, naming the line', () => {
    const text = 'Emin met ISESCO'
    const cases: Array<[string, RegExp]> = [
      ['T1\tPERSON -1 4\tEmin', /should be two whole numbers/],
      ['T1\tPERSON 0.5 4\tEmin', /should be two whole numbers/],
      ['T1\tPERSON NaN 4\tEmin', /should be two whole numbers/],
      ['T1\tPERSON 0 99999999999999999999\tEmin', /should be two whole numbers/],
      ['T1\tPERSON 0 999999999999999\tEmin', /past the end of the text/],
      ['T1\tPERSON 4 0\tEmin', /must not be less than start/],
      ['T1\tPERSON 0 4\tEmin\nT1\tORG 9 15\tISESCO', /duplicate id T1 \(first used on line 1\)/],
      ['T1\tPERSON 0 4\tEmin\n#1\tAnnotatorNotes T1\tnote\n#1\tAnnotatorNotes T1\tagain', /duplicate id #1 \(first used on line 2\)/]
    ]
    for (const [ann, message] of cases) {
      const result = parseBratAnn(ann, { file: 'x.ann', text })
      expect(result.errors.length, ann).toBeGreaterThan(0)
      expect(result.errors.some((error) => message.test(error.message) && error.line >= 1 && error.file === 'x.ann'), ann).toBe(true)
    }
  })

  it('takes "__proto__" and "constructor" as plain types and ids, polluting nothing', () => {
    const text = 'Emin met ISESCO'
    const result = parseBratAnn('T1\t__proto__ 0 4\tEmin\nT2\tconstructor 9 15\tISESCO\n#1\tAnnotatorNotes T1\tnote', { file: 'x.ann', text })
    expect(result.errors).toEqual([])
    expect(result.value.map((span) => `${span.label} ${span.note ?? ''}`)).toEqual(['__proto__ note', 'constructor '])
    expect(parseBratAnn('#1\tAnnotatorNotes __proto__\tnote', { file: 'x.ann', text }).errors).toEqual([{ file: 'x.ann', line: 1, message: 'note refers to __proto__, which is not in this file' }])
    expect(({} as Record<string, unknown>).note).toBeUndefined()
  })

  it('numbers CR-only lines like the user sees them', () => {
    const text = 'Emin met ISESCO'
    const result = parseBratAnn('T1\tPERSON 0 4\tEmin\rT2\tORG 9 15\tISESCO\rT3\tORG 0 4\twrong', { file: 'mac.ann', text })
    expect(result.errors).toEqual([expect.objectContaining({ file: 'mac.ann', line: 3, message: expect.stringContaining('T3') })])
    expect(result.value.map((span) => span.label)).toEqual(['PERSON', 'ORG'])
  })

  it('survives a 10^6-character line and a million-line file', () => {
    const text = 'x'.repeat(10)
    const longLine = parseBratAnn(`T1\tPERSON 0 1\t${'a'.repeat(1_000_000)}`, { file: 'long.ann', text })
    expect(longLine.errors).toEqual([expect.objectContaining({ line: 1, message: expect.stringContaining('covered text') })])
    const manyLines = parseBratAnn('garbage\n'.repeat(1_000_000), { file: 'many.ann', text })
    // Capped: hostile input cannot build an unbounded error list.
    expect(manyLines.errors.length).toBeLessThanOrEqual(1001)
    expect(manyLines.errors.at(-1)?.message).toMatch(/more not listed/)
  })
})

function conllOf(document: ExportDocument): string {
  return collectExport(exportConll([document], { scheme: 'IOB2' })).output
}

describe('CoNLL parser under fuzzing', () => {
  it('reports every problem in a mutated file with its line, and never yields a span outside the text', () => {
    fc.assert(
      fc.property(documentArbitrary, mutationsArbitrary, fc.constantFrom('auto', 'IOB1', 'IOB2', 'BIOES') as fc.Arbitrary<'auto'>, (document, mutations, scheme) => {
        const hostile = applyAll(conllOf(document), mutations)
        const result = parseConll(hostile, { file: 'corpus.conll', documents: [{ id: document.id, text: document.text }], scheme, knownLabels: LABELS })
        expectLocated(result.errors, 'corpus.conll', hostile)
        if (result.errors.length === 0) for (const parsed of result.value) expectSpansInside(parsed.spans, document.text)
      }),
      { seed: SEED, numRuns: RUNS }
    )
  })

  it('reads its own export back without errors (the oracle is not vacuous)', () => {
    fc.assert(
      fc.property(documentArbitrary, (document) => {
        const result = parseConll(conllOf(document), { file: 'c.conll', documents: [{ id: document.id, text: document.text }] })
        expect(result.errors).toEqual([])
      }),
      { seed: SEED, numRuns: 50 }
    )
  })

  it('refuses "__proto__" labels and a 10^6-character token with the line', () => {
    const text = 'Emin met ISESCO'
    const proto = parseConll('Emin B-__proto__\nmet O\nISESCO B-ORG\n', { file: 'p.conll', documents: [{ id: 'd', text }], knownLabels: LABELS })
    expect(proto.errors).toEqual([expect.objectContaining({ line: 1, message: expect.stringContaining('unknown label "__proto__"') })])
    const long = parseConll(`${'a'.repeat(1_000_000)} O\n`, { file: 'l.conll', documents: [{ id: 'd', text }] })
    expect(long.errors).toEqual([expect.objectContaining({ line: 1, message: expect.stringContaining('does not match document') })])
  })
})

function jsonlOf(document: ExportDocument, offsets: 'codepoint' | 'utf16' | 'utf8'): string {
  return collectExport(exportJsonl([document], { offsets })).output
}

describe('JSONL parser under fuzzing', () => {
  it('reports every problem in a mutated file with its line, and never yields a span outside its text', () => {
    fc.assert(
      fc.property(documentArbitrary, fc.constantFrom('codepoint', 'utf16', 'utf8') as fc.Arbitrary<'utf16'>, mutationsArbitrary, (document, offsets, mutations) => {
        const hostile = applyAll(jsonlOf(document, offsets), mutations)
        const result = parseJsonl(hostile, { file: 'corpus.jsonl', computeSha256: sha256, knownLabels: LABELS })
        expectLocated(result.errors, 'corpus.jsonl', hostile)
        if (result.errors.length === 0) {
          for (const parsed of result.value) {
            expectSpansInside(parsed.spans, parsed.text)
            expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype)
          }
        }
      }),
      { seed: SEED, numRuns: RUNS }
    )
  })

  it('reads its own export back without errors (the oracle is not vacuous)', () => {
    fc.assert(
      fc.property(documentArbitrary, (document) => {
        const result = parseJsonl(jsonlOf(document, 'utf16'), { file: 'c.jsonl', computeSha256: sha256 })
        expect(result.errors).toEqual([])
        expect(result.value).toHaveLength(1)
      }),
      { seed: SEED, numRuns: 50 }
    )
  })

  it('refuses NaN, negative, huge, fractional and string offsets, each on its line', () => {
    const line = (start: unknown, end: unknown): string =>
      `{"id":"d","text":"Emin met ISESCO","offsets":"utf16","spans":[{"start":${String(start)},"end":${String(end)},"label":"PERSON"}]}`
    const cases: Array<[string, RegExp]> = [
      [line('NaN', 4), /invalid JSON/],
      [line(-1, 4), /"start" must be a whole number >= 0, not -1/],
      [line(0, 1e308), /"end" must be a whole number >= 0/],
      [line(0, 9007199254740993), /"end" must be a whole number >= 0/],
      [line(0, 99), /"end" 99/],
      [line(0.5, 4), /"start" must be a whole number >= 0, not 0.5/],
      [line('"0"', 4), /"start" must be a whole number >= 0, not "0"/],
      [line('null', 4), /"start" must be a whole number >= 0, not null/],
      [line('{"valueOf":1}', 4), /"start" must be a whole number >= 0/],
      [line(4, 0), /"end" 0 must be greater than "start" 4/]
    ]
    const content = ['{"id":"ok","text":"fine","spans":[]}', ...cases.map(([text]) => text)].join('\n')
    const result = parseJsonl(content, { file: 'bad.jsonl' })
    cases.forEach(([text, message], index) => {
      expect(result.errors.some((error) => error.line === index + 2 && message.test(error.message)), text).toBe(true)
    })
    expect(result.value.map((document) => document.id)).toEqual(['ok'])
  })

  it('ignores inherited and "__proto__" keys and pollutes nothing', () => {
    const content = [
      '{"__proto__":{"polluted":1,"id":"inherited","text":"t","spans":[]}}',
      '{"constructor":{"prototype":{"polluted":1}},"id":"c","text":"Emin","spans":[{"__proto__":{"label":"PERSON"},"start":0,"end":4}]}',
      '{"id":"d","text":"Emin","spans":[{"start":0,"end":4,"label":"PERSON","constructor":{"prototype":{"polluted":2}}}]}'
    ].join('\n')
    const result = parseJsonl(content, { file: 'proto.jsonl' })
    expect(result.errors).toEqual([
      expect.objectContaining({ line: 1, message: '"id" must be a non-empty string' }),
      expect.objectContaining({ line: 1, message: '"text" must be a string' }),
      expect.objectContaining({ line: 1, message: '"spans" must be an array' }),
      expect.objectContaining({ line: 2, message: 'span 1: "label" must be a non-empty string' })
    ])
    expect(result.value.map((document) => document.id)).toEqual(['d'])
  })

  it('reports duplicate document ids, 100 000 nested brackets, a 10^6-character line and a CR-only file', () => {
    const duplicate = parseJsonl('{"id":"a","text":"x","spans":[]}\n{"id":"a","text":"y","spans":[]}', { file: 'dup.jsonl' })
    expect(duplicate.errors).toEqual([expect.objectContaining({ line: 2, message: 'document id "a" already appears on line 1' })])
    const nested = parseJsonl(`${'['.repeat(100_000)}\n${'['.repeat(100_000)}${']'.repeat(100_000)}`, { file: 'deep.jsonl' })
    expect(nested.errors).toEqual([
      expect.objectContaining({ line: 1, message: expect.stringContaining('invalid JSON') }),
      expect.objectContaining({ line: 2, message: 'expected a JSON object (one document per line)' })
    ])
    const long = parseJsonl(`{"id":"l","text":"${'a'.repeat(1_000_000)}","spans":[{"start":0,"end":1000000,"label":"ORG"}]}`, { file: 'long.jsonl' })
    expect(long.errors).toEqual([])
    expect(long.value[0]?.spans[0]?.end).toBe(1_000_000)
    const mac = parseJsonl('{"id":"a","text":"x","spans":[]}\r{"id":"b","text":"y","spans":[}\r', { file: 'mac.jsonl' })
    expect(mac.errors).toEqual([expect.objectContaining({ line: 2, message: expect.stringContaining('invalid JSON') })])
  })
})
