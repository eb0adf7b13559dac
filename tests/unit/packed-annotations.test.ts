import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { packApiAnswer, unpackApiAnswer, unpackApiAnswerInSlices } from '../../src/shared/api-payloads'
import { asUtf16, type Annotation, type DocumentContent, type Provenance } from '../../src/shared/model'
import { packAnnotations, unpackAnnotations, type PackedAnnotations } from '../../src/shared/packed-annotations'
import { decodeContentFrame, encodeContentFrame, isContentFrame } from '../../src/shared/content-frame'

const TEXT = 'Nizami Ganjavi met ISESCO in Baku. 😀 Ümid and İlkin came too.'

function span(start: number, end: number, extra: Partial<Annotation> = {}): Annotation {
  return {
    id: `a-${start}-${end}`,
    start: asUtf16(start),
    end: asUtf16(end),
    tag: 'PERSON',
    text: TEXT.slice(start, end),
    annotator: 'Ayla',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    provenance: { source: 'manual' },
    ...extra
  }
}

/** As the packing travels in an answer's content frame, over structured clone (IPC) and back. */
function overTheWire(packed: PackedAnnotations, text: string): PackedAnnotations {
  const { columns, ...rest } = packed
  const frame = structuredClone(encodeContentFrame({ answer: JSON.parse(JSON.stringify({ ...rest, columns: null })), text, numbers: columns, columnLength: packed.count }))
  const parts = decodeContentFrame(frame)
  expect(parts.text).toBe(text)
  return { ...(parts.answer as PackedAnnotations), columns: parts.numbers }
}

describe('packed annotations', () => {
  it('unpacks to exactly the annotations packed: notes, text checks, stale texts and provenance details included', () => {
    const annotations = [
      span(0, 14),
      span(0, 6, { tag: 'EVENT', note: 'first name only' }),
      span(19, 25, { tag: 'ORG', provenance: { source: 'import', detail: 'in.ann:3' } }),
      span(29, 33, { text: 'Bakı', textCheck: { previousText: 'Bakı', revision: 'r1' } }),
      span(35, 37, { annotator: 'Bora', provenance: { source: 'curation', annotators: ['Ayla', 'Bora'], curator: 'Cem' } }),
      span(10, 12, { createdAt: '2026-02-01T00:00:00.000Z', updatedAt: '2026-02-02T00:00:00.000Z' })
    ]
    const unpacked = unpackAnnotations(packAnnotations(annotations, TEXT), TEXT)
    expect(unpacked).toStrictEqual(annotations)
  })

  it('sends repeated values once and the covered text only where it differs from the document', () => {
    const annotations = Array.from({ length: 50 }, (_, index) => span(index % 10, (index % 10) + 4))
    annotations[7] = { ...(annotations[7] as Annotation), text: 'stale' }
    const packed = packAnnotations(annotations, TEXT)
    expect(packed.values).toEqual(['PERSON', 'Ayla', '{"source":"manual"}']) // the dates travel as times
    expect(packed.texts).toEqual([[7, 'stale']])
    // On the wire the columns are bytes (content-frame.ts): each span's 16 numbers take 1 to 4 bytes.
    const { columns, ...rest } = packed
    const frame = encodeContentFrame({ answer: { ...rest, columns: null }, text: '', numbers: columns, columnLength: packed.count })
    expect(frame.byteLength).toBeLessThan(JSON.stringify(annotations).length / 3)
  })

  it('sends dates written as toISOString writes them as times, any other as text, and gives each back exactly', () => {
    const made = Date.parse('2026-03-04T05:06:07.123Z')
    const editorsDates = Array.from({ length: 40 }, (_, index) => {
      const createdAt = new Date(made + index * 7_301).toISOString()
      return span(index % 10, (index % 10) + 4, { id: `a-${index}`, createdAt, updatedAt: index % 3 === 0 ? new Date(made + index * 7_301 + 90 * 86_400_000).toISOString() : createdAt })
    })
    const odd = [
      '2026-03-04T05:06:07Z', // no milliseconds
      '2026-03-04T05:06:07.123+02:00',
      '2026-02-30T00:00:00.000Z', // no such day
      '2026-03-04T24:00:00.000Z',
      '0999-12-31T23:59:59.999Z', // Date.UTC reads years below 100 as 19xx; below 1000 stays text
      '+012026-03-04T05:06:07.123Z',
      'yesterday',
      ''
    ]
    const annotations = [
      ...editorsDates,
      ...odd.map((date, index) => span(index, index + 3, { id: `odd-${index}`, createdAt: date, updatedAt: odd[(index + 1) % odd.length] as string })),
      // Before 1970, and 60 years after: still seconds in 32 bits.
      span(0, 4, { id: 'old', createdAt: '1969-07-20T20:17:40.000Z', updatedAt: '2029-07-20T20:17:40.001Z' })
    ]
    const packed = packAnnotations(annotations, TEXT)
    expect(packed.values.filter((value) => /\d{4}-/.test(value) || value === 'yesterday' || value === '').sort()).toEqual([...odd].sort())
    expect(unpackAnnotations(packed, TEXT)).toStrictEqual(annotations)
    expect(unpackAnnotations(overTheWire(packed, TEXT), TEXT)).toStrictEqual(annotations)
    expect(() => unpackAnnotations({ ...packed, dateBase: Number.NaN }, TEXT)).toThrow(/count their dates from "NaN"/)
  })

  it('sends dates 68 years or more after the earliest as text', () => {
    const annotations = [span(0, 4, { id: 'first', createdAt: '1950-01-01T00:00:00.000Z' }), span(5, 9, { id: 'late', createdAt: '2030-01-01T00:00:00.500Z' })]
    const packed = packAnnotations(annotations, TEXT)
    expect(packed.values).toContain('2030-01-01T00:00:00.500Z')
    expect(unpackAnnotations(overTheWire(packed, TEXT), TEXT)).toStrictEqual(annotations)
  })

  it("sends the app's ids as numbers and any other id as text, and gives each back exactly", () => {
    const annotations = [
      span(0, 6, { id: 'a-0f1e2d3c-4b5a-4697-8877-665544332211' }),
      span(7, 14, { id: '0f1e2d3c-4b5a-4697-8877-ffeeddccbbaa' }),
      span(19, 25, { id: 'A-0F1E2D3C-4B5A-4697-8877-665544332211' }),
      span(29, 33, { id: 'a-0f1e2d3c-4b5a-4697-8877-66554433221' }),
      span(35, 37, { id: 'imported_7' })
    ]
    const packed = packAnnotations(annotations, TEXT)
    expect(packed.ids).toBe('  A-0F1E2D3C-4B5A-4697-8877-665544332211 a-0f1e2d3c-4b5a-4697-8877-66554433221 imported_7')
    expect(unpackAnnotations(packed, TEXT)).toStrictEqual(annotations)
    expect(unpackAnnotations(overTheWire(packed, TEXT), TEXT)).toStrictEqual(annotations)
    // 88,000 such ids: 3.4 MB as text, 1.4 MB as numbers.
    expect(packed.ids.length).toBeLessThan(annotations.map((annotation) => annotation.id).join(' ').length - 70)
  })

  it('refuses ids that are neither text nor numbers, or both', () => {
    const packed = packAnnotations([span(0, 6, { id: 'a-0f1e2d3c-4b5a-4697-8877-665544332211' }), span(7, 14, { id: 'plain' })], TEXT)
    expect(() => unpackAnnotations({ ...packed, ids: 'x plain' }, TEXT)).toThrow('both an id and its numbers for span 0')
    expect(() => unpackAnnotations({ ...packed, ids: ' ' }, TEXT)).toThrow('an empty id for span 1')
  })

  it('survives a content frame (IPC and HTTP alike) and keeps an empty layer empty', () => {
    const annotations = [span(0, 6), span(7, 14)]
    expect(unpackAnnotations(overTheWire(packAnnotations(annotations, TEXT), TEXT), TEXT)).toStrictEqual(annotations)
    expect(unpackAnnotations(overTheWire(packAnnotations([], TEXT), TEXT), TEXT)).toStrictEqual([])
  })

  it('refuses to pack an id that would break the list of ids, and packings whose columns do not match their count', () => {
    expect(() => packAnnotations([span(0, 6, { id: 'two words' })], TEXT)).toThrow(/Annotation id "two words" cannot be sent/)
    const packed = packAnnotations([span(0, 6), span(7, 14)], TEXT)
    expect(() => unpackAnnotations({ ...packed, count: 3 }, TEXT)).toThrow(/hold 32 numbers for 3 spans/)
    expect(() => unpackAnnotations({ ...packed, ids: 'a-0-6' }, TEXT)).toThrow(/hold 1 ids for 2 spans/)
  })

  it('refuses a packing it does not know', () => {
    const packed = { ...packAnnotations([span(0, 6)], TEXT), format: 'quire-packed-annotations-9' }
    expect(() => unpackAnnotations(packed as unknown as ReturnType<typeof packAnnotations>, TEXT)).toThrow(/Unknown annotation packing/)
  })

  it('round-trips any layer over any text (property)', () => {
    const provenance: fc.Arbitrary<Provenance> = fc.oneof(
      fc.constant<Provenance>({ source: 'manual' }),
      // Plain objects, as JSON.parse makes them (fast-check may otherwise give null prototypes).
      fc.record({ source: fc.constantFrom('import' as const, 'suggestion' as const), detail: fc.string() }, { noNullPrototype: true }),
      fc.record({ source: fc.constant('curation' as const), annotators: fc.array(fc.string(), { maxLength: 3 }), curator: fc.string() }, { noNullPrototype: true })
    )
    const layer = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }).chain((text) =>
      fc.tuple(
        fc.constant(text),
        fc.array(
          fc.record(
            {
              from: fc.nat({ max: text.length }),
              length: fc.nat({ max: 12 }),
              tag: fc.constantFrom('PERSON', 'ORG', 'EVENT', 'PROGRAM'),
              annotator: fc.constantFrom('Ayla', 'Bora', 'gold'),
              createdAt: fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-03-04T05:06:07.000Z'),
              updatedAt: fc.constantFrom('2026-01-01T00:00:00.000Z', '2026-03-04T05:06:07.000Z'),
              provenance,
              note: fc.string(),
              staleText: fc.string(),
              textCheck: fc.record({ previousText: fc.string(), revision: fc.string() }, { noNullPrototype: true })
            },
            { requiredKeys: ['from', 'length', 'tag', 'annotator', 'createdAt', 'updatedAt', 'provenance'] }
          ),
          { maxLength: 30 }
        )
      )
    )
    fc.assert(
      fc.property(layer, ([text, drafts]) => {
        // Any order: a layer being edited is not always sorted, and deltas may be negative.
        const annotations: Annotation[] = drafts.map((draft, index) => {
          const start = Math.min(draft.from, text.length)
          const end = Math.min(start + draft.length, text.length)
          const annotation: Annotation = {
            id: `s${index}`,
            start: asUtf16(start),
            end: asUtf16(end),
            tag: draft.tag,
            text: draft.staleText ?? text.slice(start, end),
            annotator: draft.annotator,
            createdAt: draft.createdAt,
            updatedAt: draft.updatedAt,
            provenance: draft.provenance
          }
          if (draft.note !== undefined) annotation.note = draft.note
          if (draft.textCheck !== undefined) annotation.textCheck = draft.textCheck
          return annotation
        })
        expect(unpackAnnotations(overTheWire(packAnnotations(annotations, text), text), text)).toStrictEqual(annotations)
      })
    )
  })
})

describe('API answers on the wire', () => {
  const content = { text: TEXT, annotations: [span(0, 6)], annotator: 'Ayla' } as unknown as DocumentContent

  it('packs and unpacks getDocument and the text edits that answer with content', () => {
    const packed = packApiAnswer('getDocument', content)
    expect(isContentFrame(packed)).toBe(true)
    expect(unpackApiAnswer('getDocument', structuredClone(packed))).toStrictEqual(content)
    const edit = { head: { id: 'r1' }, content }
    expect(unpackApiAnswer('saveTextEdit', structuredClone(packApiAnswer('saveTextEdit', edit)))).toStrictEqual(edit)
    const withoutContent = { head: { id: 'r1' }, content: null }
    expect(packApiAnswer('saveTextEdit', withoutContent)).toBe(withoutContent)
  })

  it("packs and unpacks the start's first document and document list, and a start without a document", () => {
    const startup = { appInfo: { edition: 'browser' }, documents: [], firstDocument: content }
    const packed = structuredClone(packApiAnswer('getStartup', startup)) as Uint8Array
    const { answer } = decodeContentFrame(packed) as { answer: { firstDocument: { annotations: unknown }; documents: unknown } }
    expect(Array.isArray(answer.firstDocument.annotations)).toBe(false)
    expect(Array.isArray(answer.documents)).toBe(false)
    expect(unpackApiAnswer('getStartup', packed)).toStrictEqual(startup)
    const withoutDocument = { ...startup, firstDocument: null }
    expect(unpackApiAnswer('getStartup', JSON.parse(JSON.stringify(packApiAnswer('getStartup', withoutDocument))))).toStrictEqual(withoutDocument)
  })

  it('keeps a leading byte order mark, and a text with a lone surrogate (which UTF-8 cannot hold) travels in the JSON', () => {
    for (const text of ['\uFEFFNizami Ganjavi', 'Nizami \uD800 Ganjavi', 'Nizami Ganjavi \uDC00']) {
      const withText = { ...content, text, annotations: [{ ...span(0, 6), text: text.slice(0, 6) }] }
      expect(unpackApiAnswer('getDocument', structuredClone(packApiAnswer('getDocument', withText)))).toStrictEqual(withText)
    }
  })

  it('refuses a frame cut short', () => {
    const frame = packApiAnswer('getDocument', content) as Uint8Array
    expect(() => unpackApiAnswer('getDocument', frame.slice(0, frame.length - 1))).toThrow(/says it holds/)
  })

  it('unpacks in slices, pausing between them, to the same answer (what the window does with a long document)', async () => {
    const text = 'Baku '.repeat(20_000)
    const annotations = Array.from({ length: 20_000 }, (_, word) => ({ ...span(0, 4), id: `w${word}`, start: asUtf16(word * 5), end: asUtf16(word * 5 + 4), text: 'Baku' }))
    const long = { ...content, text, annotations }
    let pauses = 0
    const pause = async (): Promise<void> => {
      pauses++
      // Long enough that the next slice must pause again.
      const until = performance.now() + 1
      while (performance.now() < until);
    }
    const sliced = await unpackApiAnswerInSlices('getDocument', structuredClone(packApiAnswer('getDocument', long)), pause, 0)
    expect(sliced).toStrictEqual(long)
    expect(pauses).toBeGreaterThan(5)
    const startup = { appInfo: { edition: 'browser' }, documents: [], firstDocument: content }
    expect(await unpackApiAnswerInSlices('getStartup', structuredClone(packApiAnswer('getStartup', startup)), pause, 8)).toStrictEqual(startup)
    const withoutDocument = { ...startup, firstDocument: null }
    expect(await unpackApiAnswerInSlices('getStartup', packApiAnswer('getStartup', withoutDocument), pause, 8)).toStrictEqual(withoutDocument)
    expect(await unpackApiAnswerInSlices('listDocuments', [], pause, 8)).toStrictEqual([])
  })

  it('gives the same annotation objects again for a layer arriving again unchanged, and new ones once anything in it changed', async () => {
    const pause = (): Promise<void> => Promise.resolve()
    const annotations = [span(0, 14), span(19, 25, { tag: 'ORG', note: 'the organisation' })]
    const other = { ...content, document: { ...content.document, id: 'other' }, text: 'Another text.', annotations: [] }
    const open = async (answer: DocumentContent): Promise<DocumentContent> =>
      (await unpackApiAnswerInSlices('getDocument', structuredClone(packApiAnswer('getDocument', answer)), pause, 8)) as DocumentContent
    const first = await open({ ...content, annotations })
    await open(other)
    const again = await open({ ...content, annotations })
    expect(again.annotations).toBe(first.annotations)
    expect(again.text).toBe(first.text)
    expect(again).toStrictEqual({ ...content, annotations })
    const changes: Annotation[][] = [
      [span(0, 14), span(19, 25, { tag: 'EVENT', note: 'the organisation' })],
      [span(0, 14), span(19, 25, { tag: 'ORG', note: 'another note' })],
      [span(0, 14, { id: 'renamed' }), span(19, 25, { tag: 'ORG', note: 'the organisation' })],
      [span(0, 13), span(19, 25, { tag: 'ORG', note: 'the organisation' })]
    ]
    for (const changed of changes) {
      const reopened = await open({ ...content, annotations: changed })
      expect(reopened.annotations).not.toBe(first.annotations)
      expect(reopened.annotations).toStrictEqual(changed)
    }
    const otherText = TEXT.replace('Baku', 'Bakı')
    const onOtherText = await open({ ...content, text: otherText, annotations: [span(0, 14)] })
    const onFirstText = await open({ ...content, annotations: [span(0, 14)] })
    expect(onOtherText.annotations).not.toBe(onFirstText.annotations)
    expect(onOtherText.text).toBe(otherText)
  })

  it('leaves every other answer as it is', () => {
    const layer = { annotator: 'Ayla', annotations: [span(0, 6)] }
    expect(packApiAnswer('getLayer', layer)).toBe(layer)
    expect(unpackApiAnswer('listDocuments', [])).toStrictEqual([])
  })
})
