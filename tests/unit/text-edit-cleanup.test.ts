// The five PDF-extraction cleanup steps, each rule on its own (CRLF, lone CR, emoji, Arabic,
// empty text), their previews, and the sample isesco text cleaned with its spans kept.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { applyChanges, changeSetFromSpecs, describeSplitCharacter } from '../../src/core/text-edit/change-set'
import { summarizeCleanup, summarizeEdit } from '../../src/core/text-edit/summaries'
import { buildHyphenationEvidence, NO_HYPHENATION_EVIDENCE, planCleanup } from '../../src/core/text-edit/cleanup'
import { mapAnnotationsThrough } from '../../src/core/text-edit/span-mapping'
import { CLEANUP_STEPS, type Annotation, type CleanupStepId } from '../../src/shared/model'
import { describeBadSpans, spanOn, spanOnWords } from '../helpers/text-edit-fixtures'

const NONE = { hyphenation: NO_HYPHENATION_EVIDENCE }

function clean(text: string, step: CleanupStepId, evidenceTexts: string[] = []) {
  const plan = planCleanup(text, [step], { hyphenation: buildHyphenationEvidence(evidenceTexts) })
  expect(applyChanges(text, plan.changes)).toBe(plan.textAfter)
  expect(describeSplitCharacter(text, plan.changes)).toBeNull()
  return { text: plan.textAfter, preview: plan.previews[0] }
}

describe('undouble', () => {
  it('halves a line that is its first half twice', () => {
    const { text, preview } = clean('Emin metEmin met\nnext', 'undouble')
    expect(text).toBe('Emin met\nnext')
    expect(preview?.summary).toBe('1 doubled line halved')
    expect(preview?.examples[0]).toMatchObject({ before: 'Emin metEmin met⏎next', after: 'Emin met⏎next', rule: 'the line is its first half twice' })
  })

  it('removes a line that repeats the line before it, and a third copy too', () => {
    expect(clean('title\ntitle\ntitle\nbody', 'undouble')).toMatchObject({ text: 'title\nbody', preview: { count: 2, summary: '2 repeated lines removed' } })
  })

  it('looks past trailing spaces, leaving them to the spaces step', () => {
    expect(clean('metmet  \nmet \nx', 'undouble').text).toBe('met \nx')
    expect(clean('metmet  \nx', 'undouble').text).toBe('met  \nx')
  })

  it('removes a repeat of a halved line', () => {
    expect(clean('abcabc\r\nabc\r\nx', 'undouble').text).toBe('abc\r\nx')
  })

  it('keeps blank lines, rules like "----" and repeats separated by a blank line', () => {
    const text = '----\n\n\nword\n\nword\n  \n  '
    expect(clean(text, 'undouble')).toMatchObject({ text, preview: { count: 0, summary: 'No doubled or repeated lines' } })
  })

  it('works with CRLF, lone CR, emoji and Arabic', () => {
    expect(clean('😀a😀a\r\nسلامسلام\rx', 'undouble').text).toBe('😀a\r\nسلام\rx')
  })

  it('does nothing to an empty text', () => {
    expect(clean('', 'undouble')).toMatchObject({ text: '', preview: { count: 0 } })
  })
})

describe('unwrap', () => {
  it('joins hard-wrapped lines with one space; empty and whitespace-only lines end paragraphs', () => {
    const { text, preview } = clean('one\ntwo  \n three\n\nfour\n \t\nfive\nsix', 'unwrap')
    expect(text).toBe('one two three\n\nfour\n \t\nfive six')
    expect(preview?.summary).toBe('3 hard-wrapped lines joined')
  })

  it('joins CRLF and CR line breaks whole', () => {
    expect(clean('a\r\nb\rc\r\n\r\nd', 'unwrap').text).toBe('a b c\r\n\r\nd')
  })

  it('leaves a word broken by a hyphen to dehyphenate, and says so', () => {
    const { text, preview } = clean('co-\noperation\nand more', 'unwrap')
    expect(text).toBe('co-\noperation and more')
    expect(preview?.summary).toBe('1 hard-wrapped line joined, 1 hyphenated line end left for dehyphenate')
  })

  it('joins a line ending in a dash after a space like any other', () => {
    expect(clean('yes -\nno', 'unwrap').text).toBe('yes - no')
  })

  it('joins Arabic lines', () => {
    expect(clean('سالم بن\nمحمد', 'unwrap').text).toBe('سالم بن محمد')
  })

  it('has nothing to join in one line or an empty text', () => {
    expect(clean('', 'unwrap').preview?.summary).toBe('No hard-wrapped lines')
  })
})

describe('dehyphenate', () => {
  it('joins when the joined form occurs elsewhere', () => {
    const { text, preview } = clean('co-\noperation', 'dehyphenate', ['the cooperation of'])
    expect(text).toBe('cooperation')
    expect(preview?.examples[0]?.rule).toBe('“cooperation” occurs elsewhere in the project: joined')
    expect(preview?.summary).toBe('1 hyphenated word joined')
  })

  it('keeps the hyphen when only the hyphenated form occurs elsewhere', () => {
    const { text, preview } = clean('Co-\r\nOperation', 'dehyphenate', ['their co-operation'])
    expect(text).toBe('Co-Operation')
    expect(preview?.examples[0]?.rule).toBe('“co-operation” occurs elsewhere in the project and “cooperation” does not: hyphen kept')
    expect(preview?.summary).toBe('1 hyphen kept')
  })

  it('joins when both forms occur, or neither', () => {
    expect(clean('co-\noperation', 'dehyphenate', ['cooperation co-operation']).preview?.examples[0]?.rule).toBe(
      'both “cooperation” and “co-operation” occur elsewhere in the project: joined'
    )
    const neither = clean('exam-  \n  ple', 'dehyphenate')
    expect(neither.text).toBe('example')
    expect(neither.preview?.examples[0]?.rule).toBe('neither “example” nor “exam-ple” occurs elsewhere in the project: joined')
  })

  it('never joins next to a digit', () => {
    const { text, preview } = clean('pages 10-\n12 and COVID-\n19', 'dehyphenate', ['covid19'])
    expect(text).toBe('pages 10-12 and COVID-19')
    expect(preview?.examples.map((example) => example.rule)).toEqual(['a digit beside the hyphen: never joined', 'a digit beside the hyphen: never joined'])
    expect(preview?.summary).toBe('2 hyphens kept')
  })

  it('takes the whole compound before the hyphen', () => {
    expect(clean('state-of-the-\nart', 'dehyphenate', ['a state-of-the-art lab']).text).toBe('state-of-the-art')
  })

  it('leaves a hyphen that does not end a line, or that no word follows', () => {
    const text = 'well-known\nend -\nx\nend-\n\nnext'
    expect(clean(text, 'dehyphenate')).toMatchObject({ text, preview: { summary: 'No words hyphenated across a line break' } })
  })

  it('handles letters outside the Latin script and surrogate pairs', () => {
    expect(clean('𝒜𝒷-\n𝒸', 'dehyphenate').text).toBe('𝒜𝒷𝒸')
  })
})

describe('blank-lines', () => {
  it('empties whitespace-only lines and collapses runs of empty lines to one', () => {
    const { text, preview } = clean('a\n \t\nb\n\n  \n\nc', 'blank-lines')
    expect(text).toBe('a\n\nb\n\nc')
    expect(preview?.summary).toBe('1 whitespace-only line emptied, 2 empty lines removed')
  })

  it('drops empty lines before the first paragraph and after the last', () => {
    expect(clean('\n \n\nfirst\n\n\n', 'blank-lines').text).toBe('first\n')
    expect(clean('\r\n\r\nfirst\r\n\r\n\r\nsecond\r\n  ', 'blank-lines').text).toBe('first\r\n\r\nsecond\r\n')
  })

  it('empties a text of blank lines and leaves a tidy one alone', () => {
    expect(clean(' \n\n', 'blank-lines').text).toBe('')
    expect(clean('a\n\nb\n', 'blank-lines').preview?.summary).toBe('No blank lines to tidy')
    expect(clean('', 'blank-lines').text).toBe('')
  })
})

describe('spaces', () => {
  it('collapses runs of spaces and removes trailing spaces', () => {
    const { text, preview } = clean('a  b \t c   \nd \r\ne\t', 'spaces')
    expect(text).toBe('a b c\nd\r\ne')
    expect(preview?.summary).toBe('2 runs of spaces collapsed, trailing spaces removed from 3 lines')
  })

  it('leaves a single tab or no-break space between words', () => {
    const text = 'a\tb\u00a0c'
    expect(clean(text, 'spaces')).toMatchObject({ text, preview: { summary: 'No extra spaces' } })
  })
})

describe('planCleanup', () => {
  it('applies steps in their order whatever order they are asked in, each previewed on the text before it', () => {
    const text = 'abab\nabab\n\n\nx  y'
    const plan = planCleanup(text, ['spaces', 'blank-lines', 'undouble'], NONE)
    expect(plan.previews.map((preview) => preview.step)).toEqual(['undouble', 'blank-lines', 'spaces'])
    expect(plan.textAfter).toBe('ab\n\nx y')
    expect(applyChanges(text, plan.changes)).toBe(plan.textAfter)
    expect(plan.previews[1]?.examples[0]?.from).toBe(4)
  })

  it('never writes "(s)"', () => {
    const plan = planCleanup('aa\nbb  \n\n\n\nco-\nop  x', CLEANUP_STEPS, NONE)
    for (const preview of plan.previews) expect(preview.summary).not.toMatch(/\(s\)/)
  })

  it('lists at most 50 examples per step but counts them all', () => {
    const text = Array.from({ length: 80 }, (_, index) => `w${index}  x`).join('\n')
    const preview = planCleanup(text, ['spaces'], NONE).previews[0]
    expect(preview?.count).toBe(80)
    expect(preview?.examples).toHaveLength(50)
  })

  it('leaves an empty text empty, with a preview per step', () => {
    const plan = planCleanup('', CLEANUP_STEPS, NONE)
    expect(plan.textAfter).toBe('')
    expect(plan.changes).toEqual([])
    expect(plan.previews.map((preview) => preview.count)).toEqual([0, 0, 0, 0, 0])
  })

  it('cleans a CRLF text the same as its LF twin, line breaks kept as CRLF', () => {
    const lf = 'abab\nco-\noperation and\nmore  \n \n\n\nnext'
    const crlf = lf.replace(/\n/g, '\r\n')
    const context = { hyphenation: buildHyphenationEvidence(['cooperation']) }
    expect(planCleanup(crlf, CLEANUP_STEPS, context).textAfter).toBe(planCleanup(lf, CLEANUP_STEPS, context).textAfter.replace(/\n/g, '\r\n'))
    expect(planCleanup(lf, CLEANUP_STEPS, context).textAfter).toBe('ab cooperation and more\n\nnext')
  })

  it('refuses an unknown step by name', () => {
    expect(() => planCleanup('x', ['tidy' as CleanupStepId], NONE)).toThrow(/unknown cleanup step tidy/)
  })
})

describe('the sample isesco text', () => {
  const sampleDir = join(__dirname, '../../resources/sample-project')
  const raw = readFileSync(join(sampleDir, 'isesco-education-meeting.txt'), 'utf8')
  const other = readFileSync(join(sampleDir, 'icesco-science-cooperation.txt'), 'utf8')
  const plan = planCleanup(raw, CLEANUP_STEPS, { hyphenation: buildHyphenationEvidence([raw, other]) })

  it('reads as clean paragraphs after all five steps, the first one line', () => {
    const paragraphs = plan.textAfter.trimEnd().split('\n\n')
    expect(paragraphs[0]).toBe(
      'On October 4, Azerbaijani Science and Education Minister Emin Amrullayev met with a delegation from the Islamic World Education, Scientific, and Cultural Organization (ISESCO) led by Director General Salim bin Muhammad al-Malik.'
    )
    expect(paragraphs).toHaveLength(5)
    for (const paragraph of paragraphs) {
      expect(paragraph).not.toMatch(/\n|  | $|^ /)
    }
    expect(plan.textAfter).toContain('prospects of cooperation in the field')
    expect(plan.previews.find((preview) => preview.step === 'dehyphenate')?.examples[0]?.rule).toBe(
      '“cooperation” occurs elsewhere in the project: joined'
    )
  })

  it('keeps the spans of the sample annotations on their names', () => {
    const lines = readFileSync(join(sampleDir, 'annotations.jsonl'), 'utf8').trim().split('\n')
    const record = lines.map((line) => JSON.parse(line)).find((entry) => entry.id === 'isesco-education-meeting')
    expect(record.text).toBe(raw)
    expect(record.offsets).toBe('codepoint')
    // The text is ASCII, so code points are UTF-16 offsets.
    const spans: Annotation[] = record.spans.map((span: { start: number; end: number; label: string; text: string; annotator: string }, index: number) => ({
      ...spanOn(raw, `s${index}`, span.start, span.end, span.label),
      annotator: span.annotator
    }))
    spans.forEach((span, index) => expect(span.text).toBe(record.spans[index].text))
    const { annotations, lost } = mapAnnotationsThrough(spans, plan.changes, plan.textAfter, 'r1-000000000001')
    expect(describeBadSpans(plan.textAfter, annotations)).toEqual([])
    expect(annotations.filter((annotation) => annotation.textCheck !== undefined)).toEqual([])
    const original = new Map(spans.map((span) => [span.id, span]))
    for (const annotation of annotations) expect(annotation.text).toBe(original.get(annotation.id)?.text)
    // The spans lost were on the second copy of a doubled line; the first copy's span of the same name stays.
    for (const entry of lost) {
      const { annotation } = entry
      expect(annotations.some((kept) => kept.text === annotation.text && kept.annotator === annotation.annotator)).toBe(true)
    }
    expect(annotations.length + lost.length).toBe(spans.length)
    expect(annotations.length).toBeGreaterThanOrEqual(20)
  })

  it('cleaned step by step, one revision per step, reads the same and keeps the same spans', () => {
    const lines = readFileSync(join(sampleDir, 'annotations.jsonl'), 'utf8').trim().split('\n')
    const record = lines.map((line) => JSON.parse(line)).find((entry) => entry.id === 'isesco-education-meeting')
    const spans: Annotation[] = record.spans.map((span: { start: number; end: number; label: string }, index: number) => spanOn(raw, `s${index}`, span.start, span.end, span.label))
    const context = { hyphenation: buildHyphenationEvidence([raw, other]) }
    let text = raw
    let annotations = spans
    CLEANUP_STEPS.forEach((step, index) => {
      const stepPlan = planCleanup(text, [step], context)
      annotations = mapAnnotationsThrough(annotations, stepPlan.changes, stepPlan.textAfter, `r${index + 1}-00000000000${index}`).annotations
      text = stepPlan.textAfter
      expect(describeBadSpans(text, annotations)).toEqual([])
    })
    expect(text).toBe(plan.textAfter)
    const atOnce = mapAnnotationsThrough(spans, plan.changes, plan.textAfter, 'r1-000000000001').annotations
    expect(annotations.map(({ id, start, end, text }) => ({ id, start, end, text }))).toEqual(atOnce.map(({ id, start, end, text }) => ({ id, start, end, text })))
  })

  it('keeps spans made on the raw text across a hard wrap and a hyphenated word', () => {
    const undoubled = planCleanup(raw, ['undouble'], NONE).textAfter
    const rest = planCleanup(undoubled, ['unwrap', 'dehyphenate', 'blank-lines', 'spaces'], { hyphenation: buildHyphenationEvidence([raw, other]) })
    const organization = spanOnWords(undoubled, 'org', 'Islamic World Education, Scientific, and Cultural\nOrganization')
    const cooperation = spanOnWords(undoubled, 'coop', 'co-\noperation')
    const minister = spanOnWords(undoubled, 'min', 'Emin Amrullayev')
    const { annotations } = mapAnnotationsThrough([organization, cooperation, minister], rest.changes, rest.textAfter, 'r2-000000000002')
    expect(describeBadSpans(rest.textAfter, annotations)).toEqual([])
    expect(Object.fromEntries(annotations.map((annotation) => [annotation.id, [annotation.text, annotation.textCheck?.previousText]]))).toEqual({
      org: ['Islamic World Education, Scientific, and Cultural Organization', 'Islamic World Education, Scientific, and Cultural\nOrganization'],
      coop: ['cooperation', 'co-\noperation'],
      min: ['Emin Amrullayev', undefined]
    })
  })
})

describe('revision summaries', () => {
  it('summarizes a cleanup by the steps that changed something', () => {
    const plan = planCleanup('abab\nx  y\n\n\n', CLEANUP_STEPS, NONE)
    expect(summarizeCleanup(plan.previews)).toBe('1 doubled line halved, 1 hard-wrapped line joined, 2 empty lines removed, 1 run of spaces collapsed')
    expect(summarizeCleanup(planCleanup('tidy\n', CLEANUP_STEPS, NONE).previews)).toBe('Nothing to clean')
  })

  it('summarizes an edit with singular and plural words', () => {
    const text = 'Emin Amrullayev met'
    expect(summarizeEdit(changeSetFromSpecs(text, [{ from: 0, to: 0, insert: 'X' }]))).toBe('1 character inserted')
    expect(summarizeEdit(changeSetFromSpecs(text, [{ from: 0, to: 5, insert: '' }]))).toBe('5 characters deleted')
    expect(summarizeEdit(changeSetFromSpecs(text, [{ from: 0, to: 1, insert: 'ab' }, { from: 5, to: 6, insert: '' }]))).toBe(
      '2 characters inserted and 2 deleted in 2 places'
    )
    expect(summarizeEdit([text.length])).toBe('No change')
  })
})
