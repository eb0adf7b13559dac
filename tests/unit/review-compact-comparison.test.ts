// A comparison sent in columns and expanded in the window must be the same comparison.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compactComparison, expandComparison } from '../../src/core/review/compact-comparison'
import { compareLayers, type ReviewLayer, type ReviewPosition, type ReviewSpan } from '../../src/core/review/compare'

const TEXT = 'Emin 😀 Amrullayev met the ISESCO delegation\r\nin Baku and Shusha on Monday.'
const TAGS = ['PERSON', 'ORG', 'EVENT']

/** What a position says, without span ids (the window makes its own). */
function meaning(position: ReviewPosition): unknown {
  return {
    id: position.id,
    kind: position.kind,
    start: position.start,
    end: position.end,
    tags: position.tags,
    spans: position.spansByAnnotator.map((entry) => [entry.annotator, entry.spans.map((span) => [span.start, span.end, span.tag])])
  }
}

const layersArbitrary: fc.Arbitrary<ReviewLayer[]> = fc
  .integer({ min: 2, max: 4 })
  .chain((count) =>
    fc.tuple(
      ...Array.from({ length: count }, (_, layerIndex) =>
        fc
          .array(fc.record({ start: fc.integer({ min: 0, max: 60 }), length: fc.integer({ min: 1, max: 12 }), tag: fc.constantFrom(...TAGS) }), { maxLength: 14 })
          .map((items) => items.map(({ start, length, tag }, index): ReviewSpan => ({ id: `L${layerIndex}-${index}`, start, end: Math.min(TEXT.length, start + length), tag })))
      )
    )
  )
  .map((layers) => layers.map((spans, index) => ({ annotator: `annotator ${index}`, spans })))

describe('compact comparison', () => {
  it('expands to the same positions, kinds, tags and spans, with the spans’ text taken from the document', () => {
    fc.assert(
      fc.property(layersArbitrary, (layers) => {
        const comparison = compareLayers(layers)
        const expanded = expandComparison(JSON.parse(JSON.stringify(compactComparison(comparison))), TEXT)
        expect(expanded.annotators).toEqual(comparison.annotators)
        expect(expanded.counts).toEqual(comparison.counts)
        expect(expanded.positions.map(meaning)).toEqual(comparison.positions.map(meaning))
        for (const position of expanded.positions) {
          for (const entry of position.spansByAnnotator) for (const span of entry.spans) expect(span.text).toBe(TEXT.slice(span.start, span.end))
        }
      }),
      { numRuns: 300 }
    )
  })

  it('sends no spans for agreed positions every annotator made once, and keeps an annotator’s duplicate', () => {
    const spanAt = (id: string, tag = 'PERSON'): ReviewSpan => ({ id, start: 0, end: 4, tag })
    const plain = compactComparison(compareLayers([{ annotator: 'a', spans: [spanAt('a1')] }, { annotator: 'b', spans: [spanAt('b1')] }]))
    expect(plain.spans).toEqual([])
    expect(plain.spanOffsets).toEqual([0, 0])
    const doubled = compareLayers([{ annotator: 'a', spans: [spanAt('a1'), spanAt('a2')] }, { annotator: 'b', spans: [spanAt('b1')] }])
    const expanded = expandComparison(compactComparison(doubled), TEXT)
    expect(expanded.positions.map(meaning)).toEqual(doubled.positions.map(meaning))
  })

  it('is a fraction of the layers’ size for a long document', () => {
    const layers = ['a', 'b', 'c'].map((annotator, layerIndex) => ({
      annotator,
      spans: Array.from({ length: 20_000 }, (_, index): ReviewSpan => ({ id: `${annotator}${index}`, start: index * 10, end: index * 10 + 5 + (index % 7 === layerIndex ? 1 : 0), tag: 'ORG' }))
    }))
    const compact = JSON.stringify(compactComparison(compareLayers(layers)))
    // Three layers of 20,000 spans as the app saves them are some 12 MB; the comparison far less.
    expect(compact.length).toBeLessThan(1_500_000)
  })
})
