import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { bratAnnotationConf, describeNotImported, exportBrat, parseBratAnn, type BratDocumentFiles } from '../../src/core/formats/brat'
import type { ExportDocument, ExportSummary, ExportWarning } from '../../src/core/formats/types'
import { documentArbitrary, find, makeDocument } from '../fixtures/formats/documents'
import { withCpuTime } from '../helpers/cpu-time'

function runExport(documents: ExportDocument[]): { files: BratDocumentFiles[]; summary: ExportSummary; warnings: ExportWarning[] } {
  const warnings: ExportWarning[] = []
  const generator = exportBrat(documents, { onWarning: (warning) => warnings.push(warning) })
  const files: BratDocumentFiles[] = []
  for (;;) {
    const step = generator.next()
    if (step.done) return { files, summary: step.value, warnings }
    files.push(step.value)
  }
}

const text = 'Emin 😀 Amrullayev met ISESCO\r\nco-\r\noperation in Bakı.'

describe('exportBrat', () => {
  it('writes T lines with code-point offsets and AnnotatorNotes lines', () => {
    const document = makeDocument('doc-1', text, [
      [...find(text, 'Amrullayev'), 'PERSON', { note: 'the minister' }],
      [...find(text, 'ISESCO'), 'ORG']
    ])
    const { files, summary } = runExport([document])
    expect(files).toHaveLength(1)
    expect(files[0]?.txt).toBe(text)
    expect(files[0]?.ann).toBe('T1\tPERSON 7 17\tAmrullayev\n#1\tAnnotatorNotes T1\tthe minister\nT2\tORG 22 28\tISESCO\n')
    expect(summary).toMatchObject({ documents: 1, spans: 2, dropped: 0, adjusted: 0 })
  })

  it('splits a span crossing line breaks into discontinuous fragments, with a warning', () => {
    const [start] = find(text, 'co-')
    const [, end] = find(text, 'operation')
    const { files, summary, warnings } = runExport([makeDocument('doc-1', text, [[start, end, 'EVENT']])])
    expect(files[0]?.ann).toBe('T1\tEVENT 30 33;35 44\tco- operation\n')
    expect(summary.adjusted).toBe(1)
    expect(warnings[0]?.message).toMatch(/crosses a line break: written as 2 brat fragments/)
  })

  it('flattens notes with line breaks and leaves out spans of line breaks only', () => {
    const [crlfStart, crlfEnd] = find(text, '\r\n')
    const document = makeDocument('doc-1', text, [
      [...find(text, 'Emin'), 'PERSON', { note: 'first\r\nsecond\u2028third' }],
      [crlfStart, crlfEnd, 'ORG']
    ])
    const { files, summary, warnings } = runExport([document])
    expect(files[0]?.ann).toBe('T1\tPERSON 0 4\tEmin\n#1\tAnnotatorNotes T1\tfirst second third\n')
    expect(summary.dropped).toBe(1)
    expect(warnings.map((warning) => warning.message)).toEqual([
      expect.stringMatching(/note on PERSON span "Emin" had line breaks/),
      expect.stringMatching(/covers only line breaks/)
    ])
  })

  it('leaves out spans whose label would break the T line', () => {
    const { files, summary, warnings } = runExport([makeDocument('doc-1', text, [[0, 4, 'BAD TYPE'], [0, 4, 'PERSON']])])
    expect(files[0]?.ann).toBe('T1\tPERSON 0 4\tEmin\n')
    expect(summary.dropped).toBe(1)
    expect(warnings[0]?.message).toMatch(/BAD TYPE span "Emin": a brat type cannot contain spaces/)
  })

  it('writes the brat type of a tag made from one, so the collection keeps its own types', () => {
    const generator = exportBrat([makeDocument('doc-1', text, [[...find(text, 'Amrullayev'), 'GENE_EXPRESSION'], [...find(text, 'ISESCO'), 'ORG']])], {
      bratTypes: { GENE_EXPRESSION: 'Gene_expression' }
    })
    expect(generator.next().value).toMatchObject({ ann: 'T1\tGene_expression 7 17\tAmrullayev\nT2\tORG 22 28\tISESCO\n' })
  })

  it('gives unique, file-system-safe base names', () => {
    const documents = ['a/b', 'A_b', 'con', '', '..', 'report. '].map((name, index) => ({ ...makeDocument(`d${index}`, 'x', []), name }))
    expect(runExport(documents).files.map((file) => file.baseName)).toEqual(['a_b', 'A_b-2', 'con_', 'd3', 'document', 'report'])
  })

  it('writes an annotation.conf listing the entity types', () => {
    expect(bratAnnotationConf()).toMatch(/^\[entities\]\nPERSON\nORG\nEVENT\nPROGRAM\n/)
  })
})

describe('parseBratAnn', () => {
  const parse = (ann: string, parsedText = text) => parseBratAnn(ann, { file: 'doc.ann', text: parsedText })

  it('round-trips the spans of random documents (line breaks inside spans, notes, emoji, RTL)', () => {
    fc.assert(
      fc.property(documentArbitrary, (document) => {
        const { files } = runExport([document])
        const result = parse(files[0]?.ann ?? '', document.text)
        expect(result.errors).toEqual([])
        const isBreak = (character: string | undefined): boolean => character !== undefined && /[\r\n]/.test(character)
        const expected = document.spans
          .filter((span) => /[^\r\n]/.test(span.text))
          .map((span) => {
            let start = span.start as number
            let end = span.end as number
            while (isBreak(document.text[start])) start++
            while (isBreak(document.text[end - 1])) end--
            const note = span.note?.replace(/\r\n|[\r\n]/g, ' ')
            return `${start}:${end}:${span.label}:${note ?? ''}`
          })
        const actual = result.value.map((span) => `${span.start}:${span.end}:${span.label}:${span.note ?? ''}`)
        expect(actual.sort()).toEqual(expected.sort())
      }),
      { numRuns: 150 }
    )
  })

  it('reports each bad line with its 1-based number', () => {
    const ann = [
      'T1\tPERSON 7 17\tAmrullayev',
      'T2\tPLACE 0 4\tEmin',
      'T3\tORG 0 999\tEmin',
      'T4\tORG 0 4\tEmim',
      'T1\tORG 0 4\tEmin',
      'nonsense',
      'T5\tORG 0 x\tEmin',
      'T6\tORG 4 0\t',
      'R1\tRel Arg1:T1 Arg2:T4',
      '#1\tAnnotatorNotes T9\tdangling',
      'T7\tORG 0 4;7 17\tEmin Amrullayev',
      '#2\tAnnotatorNotes T1\tok'
    ].join('\r\n')
    const result = parse(ann)
    expect(result.errors.map((error) => `${error.file}:${error.line}: ${error.message}`)).toEqual([
      `doc.ann:3: T3: offset 999 is past the end of the text (${Array.from(text).length} code points)`,
      'doc.ann:4: T4: covered text "Emim" does not match the text at those offsets, which reads "Emin"',
      'doc.ann:5: duplicate id T1 (first used on line 1)',
      'doc.ann:6: malformed line: expected an id such as T1, E1, R1, A1, N1, #1 or *, then a tab; found "nonsense"',
      'doc.ann:7: T5: offsets "0 x" should be two whole numbers "START END"',
      'doc.ann:8: T6: end 0 must not be less than start 4',
      'doc.ann:10: note refers to T9, which is not in this file'
    ])
    // The relation is counted, never an error.
    expect(result.notImported).toEqual(new Map([['relation', 1]]))
    expect(result.value.map((span) => `${span.label} ${span.start}-${span.end} ${span.note ?? ''}`)).toEqual(['PERSON 8-18 ok', 'PLACE 0-4 ', 'ORG 0-4 ', 'ORG 8-18 '])
  })

  describe('accepts every T line brat accepts', () => {
    const news = 'Leyla met ISESCO in Bakı.'
    const spansOf = (ann: string) => {
      const result = parse(ann, news)
      expect(result.errors).toEqual([])
      return result.value.map((span) => `${span.label} ${JSON.stringify(span.text)}${span.note === undefined ? '' : ` note=${span.note}`}`)
    }

    it('keeps mixed-case and hyphenated types as they are', () => {
      expect(spansOf('T1\tPerson 0 5\tLeyla\nT2\tEntity-Type 10 16\tISESCO\nT3\tGene_expression 20 24\tBakı\n')).toEqual([
        'Person "Leyla"',
        'Entity-Type "ISESCO"',
        'Gene_expression "Bakı"'
      ])
    })

    it('takes ids such as T1-a, a T line without its text, text followed by a comment, and fragments out of order', () => {
      expect(spansOf('T1-a\tPerson 0 5\tLeyla\nT2\tOrganization 10 16\nT3\tGPE 20 24\tBakı\tchecked\nT4\tPerson 10 16;0 5\tISESCO Leyla\n')).toEqual([
        'Person "Leyla"',
        'Organization "ISESCO"',
        'GPE "Bakı"',
        'Person "Leyla"',
        'Person "ISESCO"'
      ])
    })

    it('imports a discontinuous span whose gap holds text as one span per fragment, and accepts brat 1.2 text joined without a space', () => {
      const result = parse('T1\tOrganization 0 5;10 16\tLeylaISESCO\n', news)
      expect(result.errors).toEqual([])
      expect(result.splitSpans).toBe(1)
      expect(result.value.map((span) => [span.start, span.end])).toEqual([
        [0, 5],
        [10, 16]
      ])
    })

    it('counts events, relations, attributes, equivalences, normalisations and notes on them without an error; triggers are spans', () => {
      const ann = [
        'T1\tPerson 0 5\tLeyla',
        'T2\tMeeting 6 9\tmet',
        'T3\tOrganization 10 16\tISESCO',
        'E1\tMeeting:T2 Participant:T1 Participant2:T3',
        'R1\tMember-of Arg1:T1 Arg2:T3\t',
        '*\tEquiv T1 T3',
        'A1\tNegation E1',
        'M1\tSpeculation E1',
        'N1\tReference R1 Wikidata:Q5\tperson',
        'N2\tReference T3 Wikidata:Q1630451\tICESCO',
        '#1\tAnnotatorNotes R1\tsince 2019',
        '#2\tAnnotatorNotes E1\tannual',
        '#3\tAnnotatorNotes T2\tin Bakı',
        '#4\tOther T1\tnot a note'
      ].join('\n')
      const result = parse(ann, news)
      expect(result.errors).toEqual([])
      expect(result.value.map((span) => `${span.label} ${span.text}${span.note === undefined ? '' : ` (${span.note})`}${span.entity === undefined ? '' : ` → ${span.entity.ref}`}`)).toEqual([
        'Person Leyla',
        'Meeting met (in Bakı)',
        'Organization ISESCO → Wikidata:Q1630451'
      ])
      expect(Object.fromEntries(result.notImported)).toEqual({ event: 1, relation: 1, equivalence: 1, attribute: 2, normalization: 1, note: 2, comment: 1 })
      expect(describeNotImported(result.notImported)).toBe(
        '1 event, 1 relation, 1 equivalence, 2 attributes, 1 normalization Quire cannot turn into an entity link, 2 AnnotatorNotes lines on events, relations or other non-entities and 1 comment other than AnnotatorNotes'
      )
    })
  })

  it('survives hostile input without hanging', () => {
    const hostile = ['T1\tORG 99999999999999999999 1\tx', `T2\t${'ORG '.repeat(250_000)}\tx`, `T3\tORG ${'0 1;'.repeat(100_000)}0 1\tx`, '__proto__\tx\ty'].join('\n')
    const { result, cpuMs } = withCpuTime(() => parse(hostile))
    expect(cpuMs).toBeLessThan(5_000)
    expect(result.errors.map((error) => error.line)).toEqual([1, 2, 3, 4])
    expect(result.value).toEqual([])
  })
})

describe('brat export read by Python', () => {
  let folder: string | undefined
  afterEach(async () => {
    if (folder !== undefined) await rm(folder, { recursive: true, force: true })
  })

  it('slicing each .txt by the code-point offsets of every T line gives the quoted text', async () => {
    folder = await mkdtemp(join(tmpdir(), 'quire-brat-'))
    const emojiText = 'Flags 🇦🇿🇫🇷 and e\u0301mojis 👩‍💻 — وزير التعليم\r\nCRLF line\nco-\noperation'
    const documents = [
      makeDocument('doc-1', text, [[...find(text, 'Amrullayev'), 'PERSON'], [...find(text, 'ISESCO'), 'ORG'], [find(text, 'co-')[0], find(text, 'operation')[1], 'EVENT']]),
      makeDocument('doc-2', emojiText, [[...find(emojiText, '🇫🇷 and e\u0301mojis'), 'ORG'], [...find(emojiText, 'وزير التعليم'), 'PERSON'], [find(emojiText, 'CRLF')[0], find(emojiText, 'co-')[1], 'PROGRAM']])
    ]
    const { files } = runExport(documents)
    for (const file of files) {
      await writeFile(join(folder, `${file.baseName}.txt`), file.txt, 'utf8')
      await writeFile(join(folder, `${file.baseName}.ann`), file.ann, 'utf8')
    }
    const script = `
import glob, os, sys
checked = 0
for ann_path in sorted(glob.glob(os.path.join(sys.argv[1], '*.ann'))):
    with open(ann_path[:-4] + '.txt', encoding='utf-8', newline='') as f:
        text = f.read()
    with open(ann_path, encoding='utf-8', newline='') as f:
        lines = f.read().split('\\n')
    for line in lines:
        if not line.startswith('T'):
            continue
        ident, type_offsets, quoted = line.split('\\t', 2)
        label, offsets = type_offsets.split(' ', 1)
        pieces = [text[int(s):int(e)] for s, e in (fragment.split(' ') for fragment in offsets.split(';'))]
        if ' '.join(pieces) != quoted:
            sys.exit('mismatch in %s %s: %r != %r' % (ann_path, ident, ' '.join(pieces), quoted))
        checked += 1
print(checked)
`
    const output = execFileSync('python3', ['-c', script, folder], { encoding: 'utf8' })
    expect(Number(output.trim())).toBe(6)
  })
})
