import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { addSpanComparison, compareSpans, compareSpansByTag, emptySpanComparison, spanScores, type SpanMatchCounts } from '../../src/core/review/span-f1'
import type { TaggedSpan } from '../../src/core/review/tokens'

const span = (start: number, end: number, tag: string): TaggedSpan => ({ start, end, tag })
const counts = (correct: number, incorrect: number, missed: number, spurious: number): SpanMatchCounts => ({ correct, incorrect, missed, spurious })

describe('compareSpans (reference first, prediction second)', () => {
  it('counts identical spans as correct under both schemes', () => {
    const layer = [span(0, 5, 'PERSON'), span(10, 20, 'ORG')]
    expect(compareSpans(layer, [...layer].reverse())).toEqual({ strict: counts(2, 0, 0, 0), overlap: counts(2, 0, 0, 0) })
  })

  it('counts a reference nobody matched as missed and a prediction matching nothing as spurious', () => {
    expect(compareSpans([span(0, 5, 'PERSON')], [span(6, 9, 'PERSON')])).toEqual({ strict: counts(0, 0, 1, 1), overlap: counts(0, 0, 1, 1) })
    // Touching is not overlapping: [0, 5) and [5, 9) share no code unit.
    expect(compareSpans([span(0, 5, 'PERSON')], [span(5, 9, 'PERSON')])).toEqual({ strict: counts(0, 0, 1, 1), overlap: counts(0, 0, 1, 1) })
  })

  it('counts a partial overlap with the same tag as strict INC but overlap COR, and a wrong tag as INC in both', () => {
    expect(compareSpans([span(0, 10, 'ORG')], [span(4, 12, 'ORG')])).toEqual({ strict: counts(0, 1, 0, 0), overlap: counts(1, 0, 0, 0) })
    expect(compareSpans([span(0, 10, 'ORG')], [span(0, 10, 'EVENT')])).toEqual({ strict: counts(0, 1, 0, 0), overlap: counts(0, 1, 0, 0) })
    expect(compareSpans([span(0, 10, 'ORG')], [span(9, 15, 'EVENT')])).toEqual({ strict: counts(0, 1, 0, 0), overlap: counts(0, 1, 0, 0) })
  })

  it('pairs a prediction overlapping two references with the first one; the second is missed', () => {
    // "Baku State University Library": B marked one span over A's two.
    const reference = [span(0, 21, 'ORG'), span(22, 29, 'PROGRAM')]
    expect(compareSpans(reference, [span(0, 29, 'ORG')])).toEqual({ strict: counts(0, 1, 1, 0), overlap: counts(1, 0, 1, 0) })
    // The first reference decides even when its tag differs and the second's would have matched.
    expect(compareSpans(reference, [span(0, 29, 'PROGRAM')])).toEqual({ strict: counts(0, 1, 1, 0), overlap: counts(0, 1, 1, 0) })
    // Swapped, the one reference is claimed by the first prediction; the second is spurious.
    expect(compareSpans([span(0, 29, 'ORG')], reference)).toEqual({ strict: counts(0, 1, 0, 1), overlap: counts(1, 0, 0, 1) })
  })

  it('pairs identical spans first, so a nested span both marked is correct even beside a longer span in one layer', () => {
    // "Foundation of Heydar Aliyev": A marked the ORG and the PERSON inside it; B only the PERSON.
    const a = [span(0, 27, 'ORG'), span(14, 27, 'PERSON')]
    const b = [span(14, 27, 'PERSON')]
    expect(compareSpans(a, b)).toEqual({ strict: counts(1, 0, 1, 0), overlap: counts(1, 0, 1, 0) })
    expect(compareSpans(b, a)).toEqual({ strict: counts(1, 0, 0, 1), overlap: counts(1, 0, 0, 1) })
    // nervaluate's loop alone pairs B's PERSON with the ORG, the first reference it overlaps:
    expect(nervaluateLoop(a, b)).toEqual({ strict: counts(0, 1, 1, 0), overlap: counts(0, 1, 1, 0) })
  })

  it('ignores empty spans and counts duplicates separately', () => {
    expect(compareSpans([span(3, 3, 'ORG'), span(0, 5, 'ORG'), span(0, 5, 'ORG')], [span(0, 5, 'ORG')])).toEqual({ strict: counts(1, 0, 1, 0), overlap: counts(1, 0, 1, 0) })
  })

  it("reproduces nervaluate's README example (strict 2 COR 3 INC; ent_type 5 COR) and its per-tag strict table", () => {
    // Token offsets, end exclusive, from the README's BIO lists.
    const true1 = [span(1, 3, 'PER'), span(6, 8, 'ORG')]
    const pred1 = [span(2, 4, 'PER'), span(6, 8, 'ORG')]
    const true2 = [span(1, 2, 'LOC'), span(2, 4, 'PER'), span(6, 7, 'DATE')]
    const pred2 = [span(1, 3, 'LOC'), span(3, 4, 'PER'), span(6, 7, 'DATE')]
    const total = emptySpanComparison()
    addSpanComparison(total, compareSpans(true1, pred1))
    addSpanComparison(total, compareSpans(true2, pred2))
    expect(total).toEqual({ strict: counts(2, 3, 0, 0), overlap: counts(5, 0, 0, 0) })
    expect(spanScores(total.strict).f1).toEqual({ value: 0.4 })

    const tags = ['PER', 'ORG', 'LOC', 'DATE']
    const byTag = new Map(tags.map((tag) => [tag, emptySpanComparison()]))
    for (const [reference, prediction] of [[true1, pred1], [true2, pred2]] as const) {
      for (const [tag, comparison] of compareSpansByTag(reference, prediction, tags)) addSpanComparison(byTag.get(tag)!, comparison)
    }
    expect(Object.fromEntries([...byTag].map(([tag, comparison]) => [tag, comparison.strict]))).toEqual({
      DATE: counts(1, 0, 0, 0),
      LOC: counts(0, 1, 0, 0),
      ORG: counts(1, 0, 0, 0),
      PER: counts(0, 2, 0, 0)
    })
  })

  it('compares each tag on its own: a PERSON/ORG mix-up is one INC overall, but an ORG missed and a PERSON spurious per tag', () => {
    const reference = [span(0, 10, 'ORG'), span(20, 25, 'PERSON')]
    const prediction = [span(0, 10, 'PERSON'), span(20, 25, 'PERSON')]
    expect(compareSpans(reference, prediction).strict).toEqual(counts(1, 1, 0, 0))
    const byTag = compareSpansByTag(reference, prediction, ['PERSON', 'ORG', 'EVENT'])
    expect(byTag.get('ORG')).toEqual({ strict: counts(0, 0, 1, 0), overlap: counts(0, 0, 1, 0) })
    expect(byTag.get('PERSON')).toEqual({ strict: counts(1, 0, 0, 1), overlap: counts(1, 0, 0, 1) })
    expect(byTag.get('EVENT')).toEqual({ strict: counts(0, 0, 0, 0), overlap: counts(0, 0, 0, 0) })
  })
})

describe('spanScores', () => {
  it('computes precision = COR/actual, recall = COR/possible and F1 from the counts', () => {
    const scores = spanScores(counts(3, 1, 2, 4))
    expect(scores.possible).toBe(6)
    expect(scores.actual).toBe(8)
    expect(scores.precision.value).toBeCloseTo(3 / 8, 12)
    expect(scores.recall.value).toBeCloseTo(3 / 6, 12)
    expect(scores.f1.value).toBeCloseTo((2 * (3 / 8) * (3 / 6)) / (3 / 8 + 3 / 6), 12)
  })

  it('says why a score is undefined instead of returning 0 or NaN', () => {
    const names = { reference: 'alice', prediction: 'bob' }
    expect(spanScores(counts(0, 0, 0, 0), names)).toEqual({
      possible: 0,
      actual: 0,
      precision: { value: null, reason: 'bob marked no spans' },
      recall: { value: null, reason: 'alice marked no spans' },
      f1: { value: null, reason: 'neither alice nor bob marked a span' }
    })
    // Only alice marked spans: recall 0, precision undefined, F1 0.
    const oneSided = spanScores(counts(0, 0, 3, 0), names)
    expect(oneSided.precision).toEqual({ value: null, reason: 'bob marked no spans' })
    expect(oneSided.recall).toEqual({ value: 0 })
    expect(oneSided.f1).toEqual({ value: 0 })
  })

  it('scores summed counts, not the mean of per-document scores', () => {
    const documentA = compareSpans([span(0, 5, 'ORG')], [span(0, 5, 'ORG')]) // F1 1
    const documentB = compareSpans([span(0, 5, 'ORG'), span(6, 9, 'ORG'), span(10, 12, 'ORG')], []) // F1 0
    const total = emptySpanComparison()
    addSpanComparison(total, documentA)
    addSpanComparison(total, documentB)
    expect(spanScores(total.strict).f1.value).toBeCloseTo(2 / 5, 12) // 2·1 / (4 + 1), not (1 + 0) / 2
  })
})

/**
 * nervaluate's StrictEvaluation / EntityTypeEvaluation loop, restated for end-exclusive
 * offsets (with spans shorter than 100 units its 1% minimum overlap is any overlap): each
 * prediction in order takes the first unclaimed reference that matches exactly or overlaps.
 */
function nervaluateLoop(reference: TaggedSpan[], prediction: TaggedSpan[]): { strict: SpanMatchCounts; overlap: SpanMatchCounts } {
  const order = (a: TaggedSpan, b: TaggedSpan): number => a.start - b.start || a.end - b.end || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0)
  const references = [...reference].sort(order)
  const predictions = [...prediction].sort(order)
  const run = (correctWhen: (p: TaggedSpan, r: TaggedSpan) => boolean): SpanMatchCounts => {
    const claimed = new Set<number>()
    const result = counts(0, 0, 0, 0)
    for (const p of predictions) {
      const index = references.findIndex((r, i) => !claimed.has(i) && p.start < r.end && r.start < p.end)
      if (index < 0) result.spurious++
      else {
        claimed.add(index)
        if (correctWhen(p, references[index] as TaggedSpan)) result.correct++
        else result.incorrect++
      }
    }
    result.missed = references.length - claimed.size
    return result
  }
  return { strict: run((p, r) => p.start === r.start && p.end === r.end && p.tag === r.tag), overlap: run((p, r) => p.tag === r.tag) }
}

const tagArbitrary = fc.constantFrom('PERSON', 'ORG', 'EVENT')

/** A layer whose spans do not overlap each other, as BIO input gives nervaluate. */
const flatLayer = fc.array(fc.tuple(fc.nat(4), fc.integer({ min: 1, max: 6 }), tagArbitrary), { maxLength: 10 }).map((pieces) => {
  const spans: TaggedSpan[] = []
  let position = 0
  for (const [gap, length, tag] of pieces) {
    position += gap
    spans.push(span(position, position + length, tag))
    position += length
  }
  return spans
})

/** A layer with nesting, overlaps and duplicates. */
const tangledLayer = fc.array(fc.tuple(fc.nat(30), fc.integer({ min: 0, max: 12 }), tagArbitrary), { maxLength: 12 }).map((pieces) =>
  pieces.map(([start, length, tag]) => span(start, start + length, tag))
)

describe('properties', () => {
  it("equals nervaluate's loop whenever neither layer has overlapping spans", () => {
    fc.assert(
      fc.property(flatLayer, flatLayer, (reference, prediction) => {
        expect(compareSpans(reference, prediction)).toEqual(nervaluateLoop(reference, prediction))
      })
    )
  })

  it('is symmetric: swapping the layers keeps COR and INC and trades MIS for SPU, under both schemes', () => {
    fc.assert(
      fc.property(tangledLayer, tangledLayer, (a, b) => {
        const forward = compareSpans(a, b)
        const backward = compareSpans(b, a)
        for (const scheme of ['strict', 'overlap'] as const) {
          expect(backward[scheme]).toEqual({ correct: forward[scheme].correct, incorrect: forward[scheme].incorrect, missed: forward[scheme].spurious, spurious: forward[scheme].missed })
        }
      })
    )
  })

  it('counts every span once: possible is the reference size, actual the prediction size, and overlap COR ≥ strict COR', () => {
    fc.assert(
      fc.property(tangledLayer, tangledLayer, (reference, prediction) => {
        const { strict, overlap } = compareSpans(reference, prediction)
        const nonEmpty = (spans: TaggedSpan[]): number => spans.filter((s) => s.end > s.start).length
        for (const scheme of [strict, overlap]) {
          expect(spanScores(scheme).possible).toBe(nonEmpty(reference))
          expect(spanScores(scheme).actual).toBe(nonEmpty(prediction))
        }
        expect(overlap.correct).toBeGreaterThanOrEqual(strict.correct)
      })
    )
  })

  it('compares two layers of 88,000 overlapping spans without pairing every span with every other', () => {
    // Every prediction overlaps thousands of references; a scan of the references per
    // prediction would take billions of steps.
    const reference: TaggedSpan[] = []
    const prediction: TaggedSpan[] = []
    for (let index = 0; index < 88_000; index++) {
      reference.push(span(index * 10, index * 10 + 40_000, index % 2 === 0 ? 'ORG' : 'PERSON'))
      prediction.push(span(index * 10 + 3, index * 10 + 40_003, 'ORG'))
    }
    const { strict, overlap } = compareSpans(reference, prediction)
    expect(strict).toEqual(counts(0, 88_000, 0, 0))
    expect(overlap.correct + overlap.incorrect).toBe(88_000)
  })
})
