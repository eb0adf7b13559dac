import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { compareLayers, PositionIndex, type ReviewLayer } from '../../src/core/review/compare'
import { SpanIndex } from '../../src/core/span-index'

const TAGS = ['PERSON', 'ORG', 'EVENT']

const layerArbitrary = (annotator: string): fc.Arbitrary<ReviewLayer> =>
  fc
    .array(fc.record({ start: fc.integer({ min: 0, max: 60 }), length: fc.integer({ min: 0, max: 25 }), tag: fc.constantFrom(...TAGS) }), { maxLength: 25 })
    .map((spans) => ({ annotator, spans: spans.map((span, index) => ({ id: `${annotator}${index}`, start: span.start, end: span.start + span.length, tag: span.tag })) }))

describe('PositionIndex', () => {
  it('finds what a SpanIndex of the same positions finds, in the same order', () => {
    fc.assert(
      fc.property(layerArbitrary('a'), layerArbitrary('b'), layerArbitrary('c'), fc.array(fc.tuple(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 0, max: 30 })), { minLength: 1, maxLength: 20 }), (a, b, c, ranges) => {
        const { positions } = compareLayers([a, b, c])
        const index = new PositionIndex(positions)
        const reference = new SpanIndex(positions)
        expect(index.size).toBe(positions.length)
        for (const [from, length] of ranges) expect(index.overlapping(from, from + length)).toEqual(reference.overlapping(from, from + length))
      })
    )
  })

  it('answers an empty range with the positions covering that character', () => {
    const { positions } = compareLayers([
      { annotator: 'a', spans: [{ id: 'a1', start: 0, end: 10, tag: 'ORG' }, { id: 'a2', start: 2, end: 4, tag: 'PERSON' }] },
      { annotator: 'b', spans: [{ id: 'b1', start: 0, end: 10, tag: 'ORG' }] }
    ])
    const index = new PositionIndex(positions)
    expect(index.overlapping(3, 3).map((position) => position.id)).toEqual(['agreed@0-10:ORG', 'only-in-some@2-4:PERSON'])
    expect(index.overlapping(10, 10)).toEqual([])
    expect(new PositionIndex([]).overlapping(0, 100)).toEqual([])
  })

  it('refuses positions out of text order', () => {
    expect(() => new PositionIndex([{ id: 'x', start: 5, end: 6 }, { id: 'y', start: 1, end: 2 }])).toThrow(RangeError)
  })
})
