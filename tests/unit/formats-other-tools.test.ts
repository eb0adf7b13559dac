// Readers and writers of other tools' formats, on fixtures written from each tool's documented
// format (tests/fixtures/formats/other-tools): doccano JSONL, Label Studio JSON, INCEpTION /
// WebAnno TSV 3 and Prodigy JSONL. Every span must land on the same characters as in the tool,
// astral characters (emoji, mathematical letters) included, and every bad input is named by line.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { exportDoccano, parseDoccano } from '../../src/core/formats/doccano'
import { collectExport } from '../../src/core/formats/export-tally'
import { resolveImportedLabels } from '../../src/core/formats/imported-tags'
import { parseJsonWithPositions } from '../../src/core/formats/json-positions'
import { annotatorName, exportLabelStudio, parseLabelStudio } from '../../src/core/formats/label-studio'
import { parseProdigy } from '../../src/core/formats/prodigy'
import type { ParsedSpan } from '../../src/core/formats/types'
import { parseWebannoTsv, unescapeText32, unescapeValue } from '../../src/core/formats/webanno-tsv'
import { DEFAULT_TAGS } from '../../src/shared/model'
import { documentArbitrary, find, makeDocument } from '../fixtures/formats/documents'

const fixture = (name: string): string => readFileSync(join(__dirname, '../fixtures/formats/other-tools', name), 'utf8')
const spansOf = (spans: readonly ParsedSpan[]) => spans.map((span) => [span.text, span.label, span.line, span.annotator])

describe('doccano JSONL', () => {
  it('reads the classic [start, end, label] form in code points, astral characters included', () => {
    const parsed = parseDoccano(fixture('doccano.jsonl'), { file: 'doccano.jsonl' })
    expect(parsed.errors).toEqual([])
    expect(parsed.value.map((document) => document.name)).toEqual(['doccano 1', 'doccano 2'])
    expect(spansOf(parsed.value[1]?.spans ?? [])).toEqual([
      ['Emin 😀 Əmrullayev', 'Person', 2, undefined],
      ['ISESCO 𝐃𝐞𝐥𝐞𝐠𝐚𝐭𝐢𝐨𝐧', 'organization', 2, undefined],
      ['Bakı', 'LOC', 2, undefined]
    ])
  })

  it('reads the entities form and says relations are left out', () => {
    const parsed = parseDoccano(fixture('doccano-relations.jsonl'), { file: 'd.jsonl' })
    expect(parsed.errors).toEqual([])
    expect(spansOf(parsed.value[0]?.spans ?? [])).toEqual([
      ['Youth Program', 'Program', 1, undefined],
      ['ISESCO', 'ORGANIZATION', 1, undefined]
    ])
    expect(parsed.warnings).toEqual([{ file: 'd.jsonl', line: 1, message: '1 relation is not imported (Quire has spans only)' }])
  })

  it.each([
    ['{"text": "abc", "label": [[0, 9, "X"]]}', /label 1: "end" 9: Code-point offset 9 is past the end/],
    ['{"text": "abc", "label": [[2, 1, "X"]]}', /label 1: the end 1 must be greater than the start 2/],
    ['{"text": "abc", "label": [[0, 1]]}', /label 1: expected \[start, end, "TAG"\]/],
    ['{"text": "abc", "label": ["positive"]}', /text classification export/],
    ['{"text": "abc", "entities": [{"start_offset": 0, "end_offset": 1}]}', /entity 1: the label must be a non-empty string/],
    ['{"text": "", "label": [], "id": 7}', /document "in 7" has an empty text/],
    ['{"label": []}', /"text" must be a string/],
    ['{"text": "a", "label": [], "entities": []}', /both "label" and "entities"/],
    ['{"text": "a", ', /invalid JSON/]
  ])('refuses %s, naming the line', (line, message) => {
    const parsed = parseDoccano(`{"text": "fine", "label": []}\n${line}\n`, { file: 'in.jsonl' })
    expect(parsed.errors).toEqual([{ file: 'in.jsonl', line: 2, message: expect.stringMatching(message) }])
    expect(parsed.value).toHaveLength(1)
  })

  it('round-trips exactly: export, then read back the same spans, annotators and names', () => {
    fc.assert(
      fc.property(fc.array(documentArbitrary, { minLength: 1, maxLength: 4 }), (documents) => {
        const { output } = collectExport(exportDoccano(documents))
        const parsed = parseDoccano(output, { file: 'x.jsonl' })
        expect(parsed.errors).toEqual([])
        const read = parsed.value.flatMap((document) => document.spans.map((span) => `${document.name}|${document.annotator}|${span.start}|${span.end}|${span.label}`))
        const written = documents.flatMap((document) =>
          document.spans.filter((span) => span.end > span.start).map((span) => `${document.name}|${span.annotator}|${span.start}|${span.end}|${span.label}`)
        )
        expect(read.sort()).toEqual(written.sort())
      })
    )
  })

  it('writes code points, one line per document and annotator, a document without spans once', () => {
    const text = '😀 Leyla met Rashad'
    const document = makeDocument('d', text, [
      [...find(text, 'Leyla'), 'PERSON', { annotator: 'b' }],
      [...find(text, 'Rashad'), 'PERSON', { annotator: 'a' }]
    ])
    const lines = collectExport(exportDoccano([document, makeDocument('e', 'x', [])])).output.trim().split('\n').map((line) => JSON.parse(line))
    expect(lines).toEqual([
      { text, label: [[12, 18, 'PERSON']], name: 'd', annotator: 'a' },
      { text, label: [[2, 7, 'PERSON']], name: 'd', annotator: 'b' },
      { text: 'x', label: [], name: 'e' }
    ])
  })
})

describe('Label Studio JSON', () => {
  it('reads each annotation as its annotator\'s layer, skipping cancelled ones, predictions and other result types', () => {
    const parsed = parseLabelStudio(fixture('label-studio.json'), { file: 'ls.json' })
    expect(parsed.errors).toEqual([])
    const [first, second] = parsed.value
    expect(first?.spans.map((span) => [span.text, span.label, span.annotator])).toEqual([
      ['Emin 😀 Əmrullayev', 'Person', 'leyla@example.org'],
      ['ISESCO 𝐃𝐞𝐥𝐞𝐠𝐚𝐭𝐢𝐨𝐧', 'Organization', 'leyla@example.org'],
      ['Emin 😀 Əmrullayev', 'Person', 'Label Studio user 2']
    ])
    expect(second?.spans.map((span) => [span.text, span.label])).toEqual([
      ['Youth Program', 'Program'],
      ['Rabat', 'Location']
    ])
    expect(first?.name).toBe('ls 101')
    expect(parsed.warnings.map((warning) => warning.message)).toEqual([
      '1 cancelled (skipped) annotation is not imported',
      '1 prediction is not imported (only annotations are)',
      '1 result of type "choices" is not imported (only "labels" regions are)'
    ])
  })

  it('names the line of the region at fault in an indented export', () => {
    const content = fixture('label-studio.json').replace('"end": 17,', '"end": 16,')
    const parsed = parseLabelStudio(content, { file: 'ls.json' })
    // The region's object starts two lines above its "end" (at "value": {, its own line is the "{" before).
    const line = content.split('\n').findIndex((text) => text.includes('"end": 16,')) + 1
    expect(parsed.errors).toEqual([{ file: 'ls.json', line: line - 3, message: expect.stringMatching(/task 101, annotation 1, result 1: "text" "Emin 😀 Əmrullayev" does not match the text at 0-16/) }])
    expect(parsed.value).toEqual([])
  })

  it('reads UTF-16 offsets of Label Studio before 1.6 when only they match the region text, and says so', () => {
    const text = '😀 Leyla'
    const task = { data: { text }, annotations: [{ result: [{ type: 'labels', value: { start: 3, end: 8, text: 'Leyla', labels: ['PER'] } }] }] }
    const parsed = parseLabelStudio(JSON.stringify([task], null, 1), { file: 'old.json' })
    expect(parsed.errors).toEqual([])
    expect(parsed.value[0]?.spans.map((span) => [span.start, span.end, span.text])).toEqual([[3, 8, 'Leyla']])
    expect(parsed.warnings[0]?.message).toMatch(/1 region counts offsets in UTF-16 code units/)
  })

  it.each([
    ['{"data": {"text": "abc"}}', /a list of tasks/],
    ['[{"data": {"text": "abc", "title": "x"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 1, "labels": []}}]}]}]', /"labels" must be a non-empty list/],
    ['[{"data": {"a": "abc", "b": "x"}, "annotations": []}]', /cannot tell which field of "data" holds the text \("a", "b"\)/],
    ['[{"data": {"text": ""}, "annotations": []}]', /has an empty text/],
    ['[{"id": 3, "text": "abc", "label": [{"start": 0, "end": 1, "text": "a", "labels": ["X"]}], "annotator": 1}]', /task 3: this is Label Studio's JSON-MIN export/],
    ['[{"data": {"text": "abc"}, "annotations": [{"completed_by": "x", "result": []}]}]', /"completed_by" must be a user id/],
    ['[{"data": {"text": "abc"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 9, "labels": ["X"]}}]}]}]', /"end" 9: Code-point offset 9 is past the end/],
    ['[\n{"data": {"text": "abc"}\n"annotations": []}]', /invalid JSON: expected "," or "}"/]
  ])('refuses %s', (content, message) => {
    const parsed = parseLabelStudio(content, { file: 'in.json' })
    expect(parsed.errors).toEqual([expect.objectContaining({ file: 'in.json', message: expect.stringMatching(message) })])
    expect(parsed.value).toEqual([])
  })

  it('takes the only text field of "data", or the one the results name', () => {
    const only = parseLabelStudio('[{"data": {"body": "Leyla"}, "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 5, "labels": ["P"]}}]}]}]', { file: 'a.json' })
    expect(only.value[0]?.text).toBe('Leyla')
    const named = parseLabelStudio('[{"data": {"body": "Leyla", "note": "x"}, "annotations": [{"result": [{"to_name": "body", "type": "labels", "value": {"start": 0, "end": 5, "labels": ["P"]}}]}]}]', { file: 'a.json' })
    expect(named.value[0]?.text).toBe('Leyla')
  })

  it('maps completed_by to a name: e-mail, else first and last name, else the user id', () => {
    expect(annotatorName(3)).toBe('Label Studio user 3')
    expect(annotatorName({ id: 3, email: ' a@b.org ' })).toBe('a@b.org')
    expect(annotatorName({ id: 3, email: '', first_name: 'Leyla', last_name: 'M' })).toBe('Leyla M')
    expect(annotatorName({ id: 4 })).toBe('Label Studio user 4')
    expect(annotatorName(undefined)).toBeUndefined()
  })

  it('round-trips exactly: export, then read back the same spans, annotators and names', () => {
    fc.assert(
      fc.property(fc.array(documentArbitrary, { maxLength: 4 }), (documents) => {
        const { output, summary } = collectExport(exportLabelStudio(documents))
        expect(() => JSON.parse(output)).not.toThrow()
        const parsed = parseLabelStudio(output, { file: 'x.json' })
        expect(parsed.errors).toEqual([])
        const read = parsed.value.flatMap((document) => document.spans.map((span) => `${document.name}|${span.annotator}|${span.start}|${span.end}|${span.label}`))
        const written = documents.flatMap((document) =>
          document.spans.filter((span) => span.end > span.start).map((span) => `${document.name}|${span.annotator}|${span.start}|${span.end}|${span.label}`)
        )
        expect(read.sort()).toEqual(written.sort())
        expect(summary.documents).toBe(documents.length)
      })
    )
  })
})

describe('WebAnno TSV 3', () => {
  const parsed = parseWebannoTsv(fixture('inception.tsv'), { file: 'inception.tsv' })

  it('rebuilds the text as INCEpTION does: multi-line sentences, escapes, padding between sentences', () => {
    expect(parsed.errors).toEqual([])
    expect(parsed.value[0]?.text).toBe(fixture('inception.expected.txt'))
    expect(parsed.value[0]?.name).toBe('inception')
  })

  it('reads multi-token, stacked and sub-token entities in UTF-16 offsets, and leaves out entities without a value', () => {
    expect(spansOf(parsed.value[0]?.spans ?? [])).toEqual([
      ['Ms. Haag', 'PER', 8, undefined],
      ['Ms.', 'Title', 8, undefined],
      ['Bell', 'Org_Unit', 17, undefined],
      ['Los Angeles', 'LOC', 21, undefined],
      ['good', 'MISC', 26, undefined],
      ['𝐀𝐥𝐢', 'PER', 32, undefined]
    ])
    expect(parsed.warnings.map((warning) => warning.message)).toEqual([
      'only named entities are imported; the layers POS, Dependency are not',
      '1 named entity has no value (shown as "*") and is not imported'
    ])
  })

  it.each([
    ['#FORMAT=WebAnno TSV 2\n', 1, /not a WebAnno TSV file/],
    ['#FORMAT=WebAnno TSV 2.0\n', 1, /WebAnno TSV 2.0 is not read/],
    ['#FORMAT=WebAnno TSV 3.3\n#T_SP=webanno.custom.Thing|label\n\n\n#Text=a\n1-1\t0-1\ta\tX\n', 2, /no named-entity layer/],
    [`#FORMAT=WebAnno TSV 3.3\n#T_SP=${'de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity'}|value\n\n\n#Text=ab c\n1-1\t0-2\tab\tPER\n1-2\t3-5\tc\t_\n`, 7, /the offsets 3-5 are not inside the sentence/],
    [`#FORMAT=WebAnno TSV 3.3\n#T_SP=${'de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity'}|value\n\n\n#Text=ab c\n1-1\t0-2\tax\tPER\n`, 6, /the token "ax" at 0-2 does not match the sentence text there, which reads "ab"/],
    [`#FORMAT=WebAnno TSV 3.3\n#T_SP=${'de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity'}|value\n\n\n1-1\t0-2\tab\tPER\n`, 5, /before any "#Text=" line/],
    [`#FORMAT=WebAnno TSV 3.3\n#T_SP=${'de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity'}|identifier|value\n\n\n#Text=ab\n1-1\t0-2\tab\tPER\n`, 6, /the token line has 4 columns; the header declares 5/],
    [`#FORMAT=WebAnno TSV 3.3\n#T_SP=${'de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity'}|value\n\n\n#Text=ab\n1-1\tzero-2\tab\tPER\n`, 6, /malformed token line/]
  ])('refuses %j at line %i', (content, line, message) => {
    const result = parseWebannoTsv(content, { file: 'x.tsv' })
    expect(result.errors).toEqual([{ file: 'x.tsv', line, message: expect.stringMatching(message) }])
    expect(result.value).toEqual([])
  })

  it('unescapes text and feature values as INCEpTION writes them', () => {
    expect(unescapeText32('a\\tb\\nc\\\\d\\[e')).toBe('a\tb\nc\\d\\[e')
    expect(unescapeValue('A\\_B\\|C\\[1\\]\\->D\\\\')).toBe('A_B|C[1]->D\\')
  })
})

describe('Prodigy / spaCy JSONL', () => {
  it('imports accepted tasks (and lines without an answer), not rejected or ignored ones, checking tokens', () => {
    const parsed = parseProdigy(fixture('prodigy.jsonl'), { file: 'news.jsonl' })
    expect(parsed.errors).toEqual([])
    expect(parsed.value.map((document) => spansOf(document.spans))).toEqual([
      [
        ['Leyla', 'PERSON', 1, 'news-rashad'],
        ['ICESCO', 'ORG', 1, 'news-rashad']
      ],
      [['EU', 'ORG', 4, undefined]]
    ])
    expect(parsed.warnings).toEqual([{ file: 'news.jsonl', line: 2, message: '1 rejected and 1 ignored tasks are not imported: only accepted answers are annotations' }])
  })

  it.each([
    ['{"text": "😀 ab", "spans": [{"start": 2, "end": 4, "label": "X", "text": "a"}]}', /span 1: "text" "a" does not match the text at 2-4 \(code points\), which reads "ab"/],
    ['{"text": "ab cd", "tokens": [{"start": 0, "end": 2}, {"start": 3, "end": 5}], "spans": [{"start": 0, "end": 5, "label": "X", "token_start": 0, "token_end": 0}]}', /"token_end" 0 is a token whose end is 2, but the span's end is 5/],
    ['{"text": "ab", "spans": [{"start": 0, "end": 2, "label": "X", "token_start": 4}], "tokens": []}', /"token_start" 4 is not the index of a token/],
    ['{"text": "ab", "spans": [], "answer": "maybe"}', /"answer" must be "accept", "reject" or "ignore"/],
    ['{"text": "ab", "spans": [{"start": 0, "end": 2}]}', /span 1: "label" must be a non-empty string/]
  ])('refuses %s', (line, message) => {
    const parsed = parseProdigy(`${line}\n`, { file: 'p.jsonl' })
    expect(parsed.errors).toEqual([{ file: 'p.jsonl', line: 1, message: expect.stringMatching(message) }])
  })
})

describe('labels of other tools', () => {
  // One rule for every format (src/core/formats/imported-tags.ts): by id or label ignoring case, else a new tag.
  it('match a tag by id or label, ignoring case; others get a safe, unique id and keep their spelling as label', () => {
    const labels = resolveImportedLabels(['Person', 'organization', 'org', 'Location', 'location', 'Loc-ation', 'Gene_expression', '2nd wave', '😀'], DEFAULT_TAGS)
    expect(Object.fromEntries(labels.tagIdByLabel)).toMatchObject({ Person: 'PERSON', organization: 'ORG', org: 'ORG', Location: 'LOCATION', location: 'LOCATION' })
    expect(labels.newTags).toEqual([
      { id: 'LOCATION', label: 'Location' },
      { id: 'LOC_ATION', label: 'Loc-ation' },
      { id: 'GENE_EXPRESSION', label: 'Gene_expression' },
      { id: 'T_2ND_WAVE', label: '2nd wave' },
      { id: 'TAG', label: '😀' }
    ])
  })
})

describe('JSON with positions', () => {
  it('parses as JSON.parse does and knows where each object starts', () => {
    const text = '[\n  {"a": [1, 2.5e3, "x\\u00e9"],\n   "b": {"c": null}},\n  true\n]'
    const parsed = parseJsonWithPositions(text)
    expect(parsed.value).toEqual(JSON.parse(text))
    const [first] = parsed.value as [{ b: object }]
    expect(parsed.lineOf(parsed.value)).toBe(1)
    expect(parsed.lineOf(first)).toBe(2)
    expect(parsed.lineOf(first.b)).toBe(3)
  })

  it('keeps "__proto__" an own property, as JSON.parse does', () => {
    const value = parseJsonWithPositions('{"__proto__": {"polluted": true}}').value as object
    expect(Object.hasOwn(value, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('agrees with JSON.parse on any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value, null, 1)
        expect(parseJsonWithPositions(text).value).toEqual(JSON.parse(text))
      })
    )
  })
})
