// Span-level agreement between two layers as nervaluate (github.com/MantisAI/nervaluate,
// after SemEval-2013 task 9.1) scores a prediction against a reference:
//   strict  — a span is correct when start, end and tag are all the same;
//   overlap — nervaluate's "ent_type": correct when the tag is the same and the spans share
//             at least one UTF-16 code unit.
// Counts, per scheme: COR(rect), INC(orrect), MIS(sed), SPU(rious); nervaluate's PAR(tial) is
// always 0 in these two schemes and is left out. possible = COR + INC + MIS (the reference's
// spans), actual = COR + INC + SPU (the prediction's spans), precision = COR / actual,
// recall = COR / possible. Counts add up across documents; precision, recall and F1 are
// computed once, from the summed counts.
//
// Matching, as nervaluate does it: spans taken in text order (start, end, tag); each
// prediction in turn claims the first reference not yet claimed that it overlaps (an exact
// match is an overlap too). Under strict the pair is COR when identical and INC otherwise;
// under overlap COR when the tags agree and INC otherwise. References nobody claimed are MIS,
// predictions that claimed nothing SPU. So a prediction overlapping two references is paired
// with the first; the second stays MIS unless another prediction claims it.
//
// One departure: before that, identical spans (same start, end and tag) are paired with each
// other. nervaluate's input (BIO tags) cannot nest spans, and without nesting an identical pair
// overlaps nothing else, so this changes no count there. With nesting it keeps a span both
// layers have from being paired with a longer span around it that comes first: in "Foundation
// of Heydar Aliyev", a PERSON both marked would otherwise be paired, as INC, with the ORG only
// one of them marked. nervaluate also has a minimum overlap (1% of the reference by
// default, counted in tokens); here any shared code unit is an overlap.
//
// Symmetry (asked because nervaluate's overlap scheme reads as if it were not): both passes
// pair each prediction with the earliest free reference, both sides in one fixed order, and
// such a greedy matching does not depend on which side chooses. Let p be the first prediction
// that overlaps any reference and r the first reference it overlaps: p takes r. With the sides
// swapped, no reference before r overlaps p, so p is still free when r chooses, and p is the
// first prediction r overlaps (none before p overlaps anything): r takes p. Remove the pair
// and repeat. So swapping the layers gives the same pairs: COR and INC stay, MIS and SPU
// trade places, precision and recall trade places and F1 is unchanged, under both schemes;
// nothing needs averaging. (tests/unit/review-span-f1.test.ts checks it on random layers.)
import { unmeasured, measured, type MeasureValue } from './agreement-measures'
import type { TaggedSpan } from './tokens'

export interface SpanMatchCounts {
  correct: number
  incorrect: number
  missed: number
  spurious: number
}

/** The counts of both schemes for one comparison (they share one matching). */
export interface SpanComparison {
  strict: SpanMatchCounts
  overlap: SpanMatchCounts
}

export const emptySpanMatchCounts = (): SpanMatchCounts => ({ correct: 0, incorrect: 0, missed: 0, spurious: 0 })
export const emptySpanComparison = (): SpanComparison => ({ strict: emptySpanMatchCounts(), overlap: emptySpanMatchCounts() })

export function addSpanMatchCounts(into: SpanMatchCounts, from: SpanMatchCounts): void {
  into.correct += from.correct
  into.incorrect += from.incorrect
  into.missed += from.missed
  into.spurious += from.spurious
}

export function addSpanComparison(into: SpanComparison, from: SpanComparison): void {
  addSpanMatchCounts(into.strict, from.strict)
  addSpanMatchCounts(into.overlap, from.overlap)
}

/**
 * Scores the prediction against the reference under both schemes. Empty spans (end ≤ start)
 * are left out of both layers; duplicates count as separate spans.
 */
export function compareSpans(reference: readonly TaggedSpan[], prediction: readonly TaggedSpan[]): SpanComparison {
  const references = sortedNonEmpty(reference)
  const predictions = sortedNonEmpty(prediction)

  // Pass 1: identical spans, by merging the two sorted lists.
  const referenceTaken = new Uint8Array(references.length)
  const predictionTaken = new Uint8Array(predictions.length)
  let identical = 0
  for (let r = 0, p = 0; r < references.length && p < predictions.length; ) {
    const order = compareTextOrder(references[r] as TaggedSpan, predictions[p] as TaggedSpan)
    if (order < 0) r++
    else if (order > 0) p++
    else {
      referenceTaken[r++] = 1
      predictionTaken[p++] = 1
      identical++
    }
  }

  // Pass 2: every other prediction claims the first free reference it overlaps.
  const open = references.filter((_, index) => referenceTaken[index] === 0)
  const openStarts = Float64Array.from(open, (span) => span.start)
  const free = new FirstOverlapFinder(Float64Array.from(open, (span) => span.end))
  let sameTag = 0
  let otherTag = 0
  let spurious = 0
  predictions.forEach((span, index) => {
    if (predictionTaken[index] === 1) return
    // References starting before this span ends are a prefix of `open`; among them, the first
    // free one ending after this span starts overlaps it.
    const claimed = free.claimFirst(countBelow(openStarts, span.end), span.start)
    if (claimed < 0) spurious++
    else if ((open[claimed] as TaggedSpan).tag === span.tag) sameTag++
    else otherTag++
  })
  const missed = open.length - sameTag - otherTag
  return {
    strict: { correct: identical, incorrect: sameTag + otherTag, missed, spurious },
    overlap: { correct: identical + sameTag, incorrect: otherTag, missed, spurious }
  }
}

/**
 * nervaluate's per-entity-type results: for each tag, both layers cut down to that tag's spans
 * and compared again (so these are not a breakdown of the all-tag counts: a PERSON/ORG mismatch
 * is INC overall, but an ORG MIS and a PERSON SPU per tag). Spans of other tags are ignored.
 */
export function compareSpansByTag(reference: readonly TaggedSpan[], prediction: readonly TaggedSpan[], tags: readonly string[]): Map<string, SpanComparison> {
  const byTag = new Map<string, SpanComparison>()
  const referenceByTag = groupByTag(reference)
  const predictionByTag = groupByTag(prediction)
  for (const tag of tags) byTag.set(tag, compareSpans(referenceByTag.get(tag) ?? [], predictionByTag.get(tag) ?? []))
  return byTag
}

export interface SpanScores {
  /** COR + INC + MIS: the reference's spans. */
  possible: number
  /** COR + INC + SPU: the prediction's spans. */
  actual: number
  precision: MeasureValue
  recall: MeasureValue
  f1: MeasureValue
}

/** Who is who, for the reasons of undefined scores. */
export interface SpanScoreWording {
  reference: string
  prediction: string
}

/**
 * Precision, recall and F1 from (summed) counts. F1 = 2·COR / (possible + actual), which is
 * the harmonic mean of precision and recall and stays defined (as 0) when only one of them is.
 */
export function spanScores(counts: SpanMatchCounts, wording: SpanScoreWording = { reference: 'the reference', prediction: 'the prediction' }): SpanScores {
  const possible = counts.correct + counts.incorrect + counts.missed
  const actual = counts.correct + counts.incorrect + counts.spurious
  return {
    possible,
    actual,
    precision: actual === 0 ? unmeasured(`${wording.prediction} marked no spans`) : measured(counts.correct / actual),
    recall: possible === 0 ? unmeasured(`${wording.reference} marked no spans`) : measured(counts.correct / possible),
    f1: possible + actual === 0 ? unmeasured(`neither ${wording.reference} nor ${wording.prediction} marked a span`) : measured((2 * counts.correct) / (possible + actual))
  }
}

/** The non-empty spans in text order; spans already so (the agreement accumulator sorts them once) are used as they are. */
function sortedNonEmpty(spans: readonly TaggedSpan[]): readonly TaggedSpan[] {
  let ready = true
  for (let index = 0; index < spans.length && ready; index++) {
    const span = spans[index] as TaggedSpan
    ready = span.end > span.start && (index === 0 || compareTextOrder(spans[index - 1] as TaggedSpan, span) <= 0)
  }
  return ready ? spans : spans.filter((span) => span.end > span.start).sort(compareTextOrder)
}

/** Start, then end, then tag id in code-unit order. */
function compareTextOrder(a: TaggedSpan, b: TaggedSpan): number {
  if (a.start !== b.start) return a.start - b.start
  if (a.end !== b.end) return a.end - b.end
  return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0
}

function groupByTag(spans: readonly TaggedSpan[]): Map<string, TaggedSpan[]> {
  const byTag = new Map<string, TaggedSpan[]>()
  for (const span of spans) {
    const group = byTag.get(span.tag)
    if (group) group.push(span)
    else byTag.set(span.tag, [span])
  }
  return byTag
}

/** How many of the ascending values are < limit. */
function countBelow(ascending: Float64Array, limit: number): number {
  let low = 0
  let high = ascending.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((ascending[middle] as number) < limit) low = middle + 1
    else high = middle
  }
  return low
}

/**
 * Free references by their end offsets, in text order: finds and claims the first one, among
 * the first `prefix`, that ends after a given offset. A max-tree over the ends (a claimed one
 * counts as −∞) answers in O(log n), so a document with 88,000 spans a layer is not quadratic.
 */
class FirstOverlapFinder {
  readonly #leaves: number
  readonly #maxEnd: Float64Array

  constructor(ends: Float64Array) {
    let leaves = 1
    while (leaves < ends.length) leaves *= 2
    this.#leaves = leaves
    this.#maxEnd = new Float64Array(2 * leaves).fill(Number.NEGATIVE_INFINITY)
    this.#maxEnd.set(ends, leaves)
    for (let node = leaves - 1; node >= 1; node--) this.#maxEnd[node] = Math.max(this.#maxEnd[2 * node] as number, this.#maxEnd[2 * node + 1] as number)
  }

  /** Index of the claimed reference, or −1 when none of the first `prefix` free ones ends after `after`. */
  claimFirst(prefix: number, after: number): number {
    const found = this.#find(1, 0, this.#leaves, prefix, after)
    if (found >= 0) {
      let node = this.#leaves + found
      this.#maxEnd[node] = Number.NEGATIVE_INFINITY
      for (node >>= 1; node >= 1; node >>= 1) this.#maxEnd[node] = Math.max(this.#maxEnd[2 * node] as number, this.#maxEnd[2 * node + 1] as number)
    }
    return found
  }

  #find(node: number, from: number, to: number, prefix: number, after: number): number {
    if (from >= prefix || (this.#maxEnd[node] as number) <= after) return -1
    if (node >= this.#leaves) return from
    const middle = (from + to) >>> 1
    const left = this.#find(2 * node, from, middle, prefix, after)
    return left >= 0 ? left : this.#find(2 * node + 1, middle, to, prefix, after)
  }
}
