import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CONLL_SCHEMES, exportConll, parseConll, type ConllScheme } from '../../src/core/formats/conll'
import { collectExport } from '../../src/core/formats/export-tally'
import type { ExportDocument, ExportWarning } from '../../src/core/formats/types'
import { tokenize } from '../../src/core/segmentation'
import { documentArbitrary, find, LABELS, makeDocument, textArbitrary } from '../fixtures/formats/documents'
import { withCpuTime } from '../helpers/cpu-time'

const text = 'Emin Amrullayev met ISESCO.\r\nThe co-\r\noperation program started. Dr. Smith left!'

function exportWith(documents: ExportDocument[], scheme?: ConllScheme) {
  const warnings: ExportWarning[] = []
  const options = scheme === undefined ? { onWarning: (warning: ExportWarning) => warnings.push(warning) } : { scheme, onWarning: (warning: ExportWarning) => warnings.push(warning) }
  return { ...collectExport(exportConll(documents, options)), warnings }
}

const targets = (documents: ExportDocument[]) => documents.map((document) => ({ id: document.id, text: document.text }))
const spanKey = (span: { start: number; end: number; label: string }): string => `${span.start}-${span.end}:${span.label}`

describe('exportConll', () => {
  const document = makeDocument('doc-1', text, [
    [...find(text, 'Emin Amrullayev'), 'PERSON'],
    [...find(text, 'ISESCO'), 'ORG'],
    [find(text, 'co-')[0], find(text, 'program')[1], 'PROGRAM'],
    [...find(text, 'Smith'), 'PERSON']
  ])

  it('writes the documented four columns, DOCSTART and blank lines between sentences (IOB2 by default)', () => {
    const { output, summary } = exportWith([document])
    expect(output).toBe(
      [
        '-DOCSTART- -X- -X- O',
        '',
        'Emin -X- _ B-PERSON',
        'Amrullayev -X- _ I-PERSON',
        'met -X- _ O',
        'ISESCO -X- _ B-ORG',
        '. -X- _ O',
        '',
        'The -X- _ O',
        'co -X- _ B-PROGRAM',
        '- -X- _ I-PROGRAM',
        'operation -X- _ I-PROGRAM',
        'program -X- _ I-PROGRAM',
        'started -X- _ O',
        '. -X- _ O',
        '',
        'Dr -X- _ O',
        '. -X- _ O',
        '',
        'Smith -X- _ B-PERSON',
        'left -X- _ O',
        '! -X- _ O',
        '',
        ''
      ].join('\n')
    )
    expect(summary).toEqual({ documents: 1, spans: 4, dropped: 0, adjusted: 0, warnings: 0 })
  })

  it('writes IOB1 (B- only between touching entities of one type) and BIOES', () => {
    const touching = makeDocument('d', 'Ann Bob met Cid', [
      [0, 3, 'PERSON'],
      [4, 7, 'PERSON'],
      [12, 15, 'ORG']
    ])
    const tags = (scheme: ConllScheme): string[] =>
      exportWith([touching], scheme)
        .output.split('\n')
        .slice(2)
        .filter((line) => line !== '')
        .map((line) => line.split(' ')[3] as string)
    expect(tags('IOB1')).toEqual(['I-PERSON', 'B-PERSON', 'O', 'I-ORG'])
    expect(tags('IOB2')).toEqual(['B-PERSON', 'B-PERSON', 'O', 'B-ORG'])
    expect(tags('BIOES')).toEqual(['S-PERSON', 'S-PERSON', 'O', 'S-ORG'])
  })

  it('keeps the longest of overlapping spans, expands partial tokens, and reports both counts', () => {
    const overlapping = makeDocument('d', text, [
      [...find(text, 'Amrullayev met'), 'ORG'],
      [...find(text, 'Emin Amrullayev'), 'EVENT'],
      [...find(text, 'Emin Amrullayev'), 'PERSON'],
      [...find(text, 'mith'), 'PERSON']
    ])
    const { output, summary, warnings } = exportWith([overlapping])
    expect(summary).toMatchObject({ spans: 2, dropped: 2, adjusted: 1 })
    expect(output).toContain('Emin -X- _ B-PERSON\nAmrullayev -X- _ I-PERSON\nmet -X- _ O')
    expect(output).toContain('Smith -X- _ B-PERSON')
    expect(warnings.map((warning) => warning.message)).toEqual([
      '1 span did not start or end on a token boundary and was expanded to the tokens it touches',
      '2 overlapping spans left out (CoNLL cannot nest; the longest was kept): EVENT "Emin Amrullayev", ORG "Amrullayev met"'
    ])
  })

  it('joins the sentences a span crosses, so the blank line never cuts an entity', () => {
    const crossing = makeDocument('d', text, [[find(text, 'started')[0], find(text, 'Dr')[1], 'EVENT']])
    const { output } = exportWith([crossing])
    expect(output).toContain('started -X- _ B-EVENT\n. -X- _ I-EVENT\nDr -X- _ I-EVENT\n. -X- _ O\n\nSmith')
    expect(parseConll(output, { file: 'f', documents: targets([crossing]) }).value[0]?.spans.map(spanKey)).toEqual([
      spanKey(crossing.spans[0] as { start: number; end: number; label: string })
    ])
  })
})

describe('parseConll', () => {
  /** Random texts with random spans that lie on token boundaries and do not overlap: exactly representable. */
  const representableDocument = textArbitrary.chain((randomText) => {
    const tokens = [...tokenize(randomText)]
    return fc
      .array(fc.tuple(fc.nat({ max: Math.max(tokens.length - 1, 0) }), fc.nat({ max: 3 }), fc.constantFrom(...LABELS)), { maxLength: 6 })
      .map((picks) => {
        const used = new Set<number>()
        const spans: Array<[number, number, string]> = []
        for (const [first, extra, label] of picks.sort((a, b) => a[0] - b[0])) {
          const last = Math.min(first + extra, tokens.length - 1)
          if (tokens.length === 0 || [...Array(last - first + 1).keys()].some((offset) => used.has(first + offset))) continue
          for (let index = first; index <= last; index++) used.add(index)
          spans.push([(tokens[first] as { start: number }).start, (tokens[last] as { end: number }).end, label])
        }
        return makeDocument('doc', randomText, spans)
      })
  })

  for (const scheme of CONLL_SCHEMES) {
    it(`round-trips representable spans exactly in ${scheme}, detecting the scheme`, () => {
      fc.assert(
        fc.property(fc.array(representableDocument, { minLength: 1, maxLength: 3 }), (generated) => {
          const documents = generated.map((document, index) => ({ ...document, id: `doc-${index}` }))
          const { output, summary } = exportWith(documents, scheme)
          expect(summary.dropped + summary.adjusted).toBe(0)
          const result = parseConll(output, { file: 'f.conll', documents: targets(documents) })
          expect(result.errors).toEqual([])
          result.value.forEach((parsed, index) => {
            const original = documents[index] as ExportDocument
            expect(parsed.documentId).toBe(original.id)
            expect(parsed.spans.map(spanKey).sort()).toEqual(original.spans.map(spanKey).sort())
            for (const span of parsed.spans) expect(span.text).toBe(original.text.slice(span.start, span.end))
          })
        }),
        { numRuns: 60 }
      )
    })
  }

  it('reads back every written span of arbitrary documents (overlaps, partial tokens, emoji, RTL, CRLF)', () => {
    fc.assert(
      fc.property(documentArbitrary, (document) => {
        const { output, summary } = exportWith([document])
        const result = parseConll(output, { file: 'f.conll', documents: targets([document]) })
        expect(result.errors).toEqual([])
        expect(result.value[0]?.spans).toHaveLength(summary.spans)
        expect(summary.spans + summary.dropped).toBe(document.spans.length)
      }),
      { numRuns: 150 }
    )
  })

  it('reports a token that does not match the text, with its line and what the text reads', () => {
    const conll = '-DOCSTART- -X- -X- O\n\nEmin -X- _ B-PERSON\nAmrulayev -X- _ I-PERSON\n'
    const result = parseConll(conll, { file: 'f.conll', documents: [{ id: 'doc-1', text }] })
    expect(result.errors).toEqual([
      { file: 'f.conll', line: 4, message: 'token "Amrulayev" does not match document "doc-1" at offset 5, which reads "Amrullayev"' }
    ])
    expect(result.value).toEqual([])
  })

  it('reports text left over after the last token, bad tags, scheme violations and document counts', () => {
    const documents = [
      { id: 'a', text: 'Ann met Bob' },
      { id: 'b', text: 'Cid' }
    ]
    const bad = parseConll('-DOCSTART- -X- -X- O\nAnn -X- _ B-PERSON\nmet -X- _ X-ORG\n-DOCSTART- -X- -X- O\nCid\n', { file: 'f', documents })
    expect(bad.errors.map((error) => `${error.line}: ${error.message}`)).toEqual([
      '3: tag "X-ORG" is not O or B-/I-/E-/S- followed by a label',
      '5: expected a token and a tag separated by a space, found "Cid"'
    ])
    const short = parseConll('Ann B-PERSON\n', { file: 'f', documents: documents.slice(0, 1) })
    expect(short.errors.map((error) => `${error.line}: ${error.message}`)).toEqual([
      '1: document "a" continues after the last token (at offset 4: "met Bob"); the file does not hold this text'
    ])
    const iob2 = parseConll('Ann I-PERSON\nmet O\nBob B-PERSON\n', { file: 'f', documents: documents.slice(0, 1), scheme: 'IOB2' })
    expect(iob2.errors.map((error) => `${error.line}: ${error.message}`)).toEqual([
      '1: IOB2: I-PERSON does not continue a PERSON entity (IOB2 entities start with B-)'
    ])
    const bioes = parseConll('Ann B-PERSON\nmet O\nBob E-PERSON\n', { file: 'f', documents: documents.slice(0, 1) })
    expect(bioes.errors.map((error) => `${error.line}: ${error.message}`)).toEqual([
      '2: BIOES: the PERSON entity opened on line 1 is not closed with E-PERSON before this line',
      '3: BIOES: E-PERSON does not continue a PERSON entity (entities start with B- or S-)'
    ])
    const count = parseConll('Ann O\n', { file: 'f', documents })
    expect(count.errors).toEqual([{ file: 'f', line: 0, message: 'the file has 1 document but 2 texts were given to match them against' }])
  })

  it('reads IOB1 files from other tools, with tabs and extra columns', () => {
    const documentText = 'Ann  Bob\tmet Cid.'
    const conll = 'Ann\tNNP\tB-NP\tI-PERSON\nBob\tNNP\tI-NP\tB-PERSON\nmet\tVBD\tB-VP\tO\nCid\tNNP\tB-NP\tI-ORG\n.\t.\tO\tO\n'
    const result = parseConll(conll, { file: 'f', documents: [{ id: 'x', text: documentText }], knownLabels: ['PERSON', 'ORG'] })
    expect(result.errors).toEqual([])
    expect(result.value[0]?.spans.map((span) => `${span.text}:${span.label}:${span.line}`)).toEqual(['Ann:PERSON:1', 'Bob:PERSON:2', 'Cid:ORG:4'])
  })

  it('rejects unknown labels when the project labels are given', () => {
    const result = parseConll('Ann B-PLACE\n', { file: 'f', documents: [{ id: 'x', text: 'Ann' }], knownLabels: ['PERSON'] })
    expect(result.errors[0]?.message).toBe('unknown label "PLACE" (known: PERSON)')
  })

  it('survives hostile input without hanging', () => {
    const hostile = `${'x'.repeat(1_000_000)} O\n__proto__ B-__proto__\n${'B-'.repeat(100_000)}x\n`
    const { result, cpuMs } = withCpuTime(() => parseConll(hostile, { file: 'f', documents: [{ id: 'x', text: 'abc' }] }))
    expect(cpuMs).toBeLessThan(5_000)
    expect(result.errors.length).toBeGreaterThan(0)
    expect(({} as Record<string, unknown>).B).toBeUndefined()
  })

  it('handles the sample project texts (doubled PDF lines, hyphenation, a single long line)', async () => {
    const { readFile } = await import('node:fs/promises')
    const sampleFolder = new URL('../../resources/sample-project/', import.meta.url)
    const names = ['isesco-education-meeting.txt', 'icesco-science-cooperation.txt']
    const documents = await Promise.all(
      names.map(async (name) => {
        const sampleText = await readFile(new URL(name, sampleFolder), 'utf8')
        return makeDocument(name, sampleText, [[...find(sampleText, sampleText.includes('ISESCO') ? 'ISESCO' : 'ICESCO'), 'ORG']])
      })
    )
    const { output } = exportWith(documents)
    const result = parseConll(output, { file: 'f', documents: targets(documents) })
    expect(result.errors).toEqual([])
    expect(result.value.map((parsed) => parsed.spans.map((span) => span.text))).toEqual([['ISESCO'], ['ICESCO']])
  })
})
