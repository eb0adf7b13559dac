import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import '../fast-check-seed'
import { asUtf16, type Annotation } from '../../src/shared/model'
import { packAnnotations } from '../../src/shared/packed-annotations'
import { LayerColumns, type SpanToDraw } from '../../src/shared/layer-columns'
import { LayerSpans } from '../../src/shared/layer-spans'
import { SpanIndex } from '../../src/core/span-index'

const TEXT = 'Nizami Ganjavi met ISESCO in Baku. 😀 Ümid and İlkin came too, with the Erasmus+ programme.'
const TAGS = ['PERSON', 'ORG', 'EVENT']

function span(id: string, start: number, end: number, tag = 'PERSON', extra: Partial<Annotation> = {}): Annotation {
  return {
    id,
    start: asUtf16(start),
    end: asUtf16(end),
    tag,
    text: TEXT.slice(start, end),
    annotator: 'Ayla',
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    provenance: { source: 'manual' },
    ...extra
  }
}

/** What the reader draws of a span (SpanToDraw), as a plain object to compare. */
function drawn({ id, start, end, tag, annotator, note, textCheck }: SpanToDraw): SpanToDraw {
  return { id, start, end, tag, annotator, ...(note === undefined ? {} : { note }), ...(textCheck === undefined ? {} : { textCheck }) }
}

function columnsOf(annotations: Annotation[]): LayerColumns {
  return LayerColumns.read(packAnnotations(annotations, TEXT), TEXT)
}

const spanArbitrary = fc
  .tuple(fc.nat({ max: TEXT.length - 1 }), fc.oneof(fc.nat({ max: 12 }), fc.nat({ max: TEXT.length })), fc.constantFrom(...TAGS), fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'))
  .map(([start, length, tag, letter]) => ({ start, end: Math.min(TEXT.length, start + length), tag, letter }))

type Change = { op: 'set'; at: number; start: number; end: number; tag: string } | { op: 'delete'; at: number } | { op: 'add'; start: number; end: number; tag: string }

const changeArbitrary: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), start: fc.nat({ max: TEXT.length - 1 }), end: fc.nat({ max: TEXT.length }), tag: fc.constantFrom(...TAGS) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('add' as const), start: fc.nat({ max: TEXT.length - 1 }), end: fc.nat({ max: TEXT.length }), tag: fc.constantFrom(...TAGS) })
)

describe('LayerColumns', () => {
  it('gives each span back as the object packed, in compareSpans order, whatever order it was packed in', () => {
    const annotations = [
      span('b', 19, 25, 'ORG', { note: 'the organisation', provenance: { source: 'import', detail: 'in.ann:3' } }),
      span('a', 0, 14),
      span('c', 0, 6, 'EVENT', { text: 'stale', textCheck: { previousText: 'Nizam', revision: 'r1' } }),
      span('z', 29, 33),
      span('y', 29, 33)
    ]
    const columns = columnsOf(annotations)
    const inOrder = Array.from({ length: columns.count }, (_, rank) => columns.annotationAt(rank))
    expect(inOrder.map((annotation) => annotation.id)).toEqual(['a', 'c', 'b', 'y', 'z'])
    expect(inOrder).toStrictEqual(new SpanIndex(annotations).all())
    expect(columns.rankOf('b')).toBe(2)
    expect(columns.rankOf('nobody')).toBeUndefined()
    expect(columns.ranksOfTag('PERSON')).toEqual(new Int32Array([0, 3, 4]))
  })

  it('refuses packings whose ids or numbers do not add up', () => {
    const packed = packAnnotations([span('a', 0, 6), span('b', 7, 14)], TEXT)
    expect(() => LayerColumns.read({ ...packed, ids: 'a' }, TEXT)).toThrow('1 ids for 2 spans')
    expect(() => LayerColumns.read({ ...packed, ids: 'a b c' }, TEXT)).toThrow('3 ids for 2 spans')
    expect(() => LayerColumns.read({ ...packed, ids: 'a ' }, TEXT)).toThrow('an empty id')
    expect(() => LayerColumns.read({ ...packed, columns: packed.columns.subarray(1) }, TEXT)).toThrow('31 numbers for 2 spans')
  })

  it('gives each span its dates exactly, whether they travelled as times or as text', () => {
    const annotations = [
      span('a', 0, 6, 'PERSON', { createdAt: '2026-03-04T05:06:07.123Z', updatedAt: '2026-06-01T00:00:00.999Z' }),
      span('b', 7, 14, 'ORG', { createdAt: '2026-03-04T05:06:07Z', updatedAt: '2026-03-04T05:06:07.124Z' }),
      span('c', 15, 18, 'EVENT', { createdAt: '2025-12-31T23:59:59.000Z', updatedAt: 'not a date' })
    ]
    const layer = columnsOf(annotations)
    expect(Array.from({ length: layer.count }, (_, rank) => layer.annotationAt(rank))).toStrictEqual(annotations)
    const packed = packAnnotations(annotations, TEXT)
    expect(() => LayerColumns.read({ ...packed, dateBase: Number.POSITIVE_INFINITY }, TEXT)).toThrow('count their dates from "Infinity"')
  })

  it.each(['x', 'a-0f1e2d3c-4b5a-4697-8877-665544332211'])('keeps the later of two spans with the same id %s (a damaged layer), as an index by id would', (id) => {
    const layer = LayerSpans.fromPacked(columnsOf([span(id, 0, 6), span(id, 7, 14, 'ORG')]))
    expect(layer.overlapping(0, TEXT.length)).toHaveLength(2)
    let told = 0
    layer.onShadowedGone = () => told++
    while (!layer.learnIdsStep());
    expect(told).toBe(1)
    expect(layer.overlapping(0, TEXT.length).map((annotation) => annotation.tag)).toEqual(['ORG'])
    expect(layer.size).toBe(1)
    expect(layer.get(id)?.start).toBe(7)
  })
})

describe('LayerSpans', () => {
  it('answers as one index of the same spans would, through any changes, packed or not', () => {
    fc.assert(
      fc.property(fc.array(spanArbitrary, { maxLength: 40 }), fc.array(changeArbitrary, { maxLength: 25 }), fc.boolean(), fc.boolean(), (spans, changes, packed, uuids) => {
        // Ids as the app makes them travel as numbers (packed-ids.ts); others as text; both sort as strings.
        const idOf = (shape: { letter: string }, index: number): string =>
          uuids && index % 3 !== 0 ? `${index % 2 ? 'a-' : ''}${shape.letter.repeat(8).replace(/[g-z]/g, 'f')}-0000-4000-8000-${String(index).padStart(12, '0')}` : `${shape.letter}${index}`
        const annotations = spans.map((shape, index) => span(idOf(shape, index), shape.start, shape.end, shape.tag, index % 5 === 1 ? { note: `note ${index}` } : {}))
        const layer = packed ? LayerSpans.fromPacked(columnsOf(annotations)) : LayerSpans.fromAnnotations(annotations, TEXT)
        const reference = new SpanIndex<Annotation>(annotations)
        let added = 0
        for (const change of changes) {
          const ids = reference.all().map((annotation) => annotation.id)
          if (change.op === 'add') {
            const next = span(`new${added++}`, Math.min(change.start, change.end), Math.max(change.start, change.end), change.tag)
            layer.set(next)
            reference.add(next)
          } else if (ids.length > 0) {
            const id = ids[change.at % ids.length] as string
            if (change.op === 'delete') {
              expect(layer.delete(id)).toBe(true)
              reference.remove(id)
            } else {
              const next = { ...(reference.get(id) as Annotation), start: asUtf16(Math.min(change.start, change.end)), end: asUtf16(Math.max(change.start, change.end)), tag: change.tag }
              layer.set(next)
              reference.add(next)
            }
          }
        }
        expect(layer.delete('never-there')).toBe(false)
        const all = reference.all()
        expect(layer.all()).toStrictEqual(all)
        expect(layer.size).toBe(all.length)
        // The ranges alone, in no set order: the same spans' start, end and tag.
        const ranges: string[] = []
        layer.forEachRange((start, end, tag) => ranges.push(`${start}:${end}:${tag}`))
        expect(ranges.sort()).toEqual(all.map(({ start, end, tag }) => `${start}:${end}:${tag}`).sort())
        for (const annotation of all) expect(layer.get(annotation.id)).toStrictEqual(annotation)
        for (let from = 0; from < TEXT.length; from += 7) {
          expect(layer.overlapping(from, from + 9)).toStrictEqual(reference.overlapping(from, from + 9))
          expect(layer.overlapping(from, from)).toStrictEqual(reference.overlapping(from, from))
          expect(layer.anyOverlapping(from, from + 9)).toBe(reference.overlapping(from, from + 9).length > 0)
          expect(layer.overlappingToDraw(from, from + 9).map(drawn)).toStrictEqual(reference.overlapping(from, from + 9).map(drawn))
        }
        for (const tag of TAGS) {
          const group = all.filter((annotation) => annotation.tag === tag)
          expect(layer.tagCount(tag)).toBe(group.length)
          expect(layer.tagSlice(tag, 0, 5)).toStrictEqual(group.slice(0, 5))
          expect(layer.tagSlice(tag, 3, 100)).toStrictEqual(group.slice(3, 100))
        }
        expect(new Set(layer.tags())).toEqual(new Set(TAGS.filter((tag) => all.some((annotation) => annotation.tag === tag))))
        if (changes.length === 0) expect(layer.unchangedSinceLoad).toBe(true)
      }),
      { numRuns: 300 }
    )
  })

  it('hands a tag’s rows out as the same objects until a change touches them, so the panel redraws only those', () => {
    const spans = [span('a', 0, 6), span('b', 19, 25, 'ORG'), span('c', 29, 33), span('d', 37, 41), span('e', 46, 51, 'ORG')]
    const layer = LayerSpans.fromPacked(columnsOf(spans))
    const people = layer.tagSlice('PERSON', 0, 10)
    const organisations = layer.tagSlice('ORG', 0, 10)
    layer.set({ ...span('c', 29, 33), tag: 'ORG' })
    const peopleAfter = layer.tagSlice('PERSON', 0, 10)
    expect(peopleAfter.map((annotation) => annotation.id)).toEqual(['a', 'd'])
    expect(peopleAfter[0]).toBe(people[0])
    expect(peopleAfter[1]).toBe(people[2])
    const organisationsAfter = layer.tagSlice('ORG', 0, 10)
    expect(organisationsAfter.map((annotation) => annotation.id)).toEqual(['b', 'c', 'e'])
    expect(organisationsAfter[0]).toBe(organisations[0])
    expect(organisationsAfter[2]).toBe(organisations[1])
    // A slice further on makes the rows it had not made before, and keeps giving the ones it had.
    expect(layer.tagSlice('ORG', 1, 3)[1]).toBe(organisations[1])
  })

  it('holds a long layer in columns however it was made, and a short one as objects', () => {
    const many = Array.from({ length: 6000 }, (_, index) => span(`s${index}`, index % 80, (index % 80) + 3))
    expect(LayerSpans.fromAnnotations(many, TEXT).packed).not.toBeNull()
    expect(LayerSpans.fromAnnotations(many.slice(0, 10), TEXT).packed).toBeNull()
  })
})
