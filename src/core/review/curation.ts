// Curation: building a gold layer from the compared layers (see compare.ts for the positions).
//
// Pre-filling proposes the spans enough annotators made exactly (same start, end and tag):
// - 'unanimous': every chosen annotator made it (exactly the agreed positions);
// - 'majority': strictly more than half of the chosen annotators made it. With two annotators
//   that is both of them, so majority is the same as unanimous;
// - 'none': nothing.
//
// Settling a position proposes the spans to add for it: one annotator's spans there, or all
// distinct spans there, or nothing (a reject). A disagreement position is settled when
// 1. the curator rejected it: its id is among the rejected position ids the caller keeps
//    (settlePosition says which id to record); or
// 2. the gold layer has a span with exactly the start, end and tag of one of the position's
//    spans (the curator took it, or pre-filling did); or
// 3. the gold layer has a span that overlaps the position and has the start, end and tag of no
//    compared annotator's span (the curator drew it by hand over the position).
// Merely overlapping is not enough for a gold span copied from an annotator: an agreed span
// taken by pre-filling must not settle a different disagreement nested inside or beside it.
import { chosenAnnotators, spanKey, type ReviewLayer, type ReviewPosition, type ReviewSpan } from './compare'
import { UnsettledPositions, type GoldSpans } from './unsettled-positions'

export type PrefillStrategy = 'unanimous' | 'majority' | 'none'
export const PREFILL_STRATEGIES: readonly PrefillStrategy[] = ['unanimous', 'majority', 'none']

/** A span proposed for the gold layer, with the annotators who made exactly this span. */
export interface GoldSpanProposal<S extends ReviewSpan = ReviewSpan> {
  start: S['start']
  end: S['end']
  tag: string
  /** In the order of the compared layers. */
  annotators: string[]
}

/** The curator's decision on one position. */
export type SettleChoice = { take: 'annotator'; annotator: string } | { take: 'all' } | { reject: true }

export interface Settlement<S extends ReviewSpan = ReviewSpan> {
  /** Gold spans to add, by start, then end, then tag. */
  add: GoldSpanProposal<S>[]
  /**
   * Set when nothing is added (a reject, or taking an annotator who has nothing here): the id
   * to keep among the rejected position ids, since no gold span will show the decision.
   */
  rejectedPositionId: string | null
}

/** Gold span proposals by start, then end, then tag. Throws like compareLayers on bad layers. */
export function prefillGold<S extends ReviewSpan>(
  layers: readonly ReviewLayer<S>[],
  strategy: PrefillStrategy
): GoldSpanProposal<S>[] {
  chosenAnnotators(layers)
  if (strategy === 'none') return []
  const needed = strategy === 'unanimous' ? layers.length : Math.floor(layers.length / 2) + 1
  const byKey = new Map<string, GoldSpanProposal<S>>()
  for (const { annotator, spans } of layers) {
    for (const span of spans) {
      const key = spanKey(span)
      const proposal = byKey.get(key)
      if (!proposal) byKey.set(key, { start: span.start, end: span.end, tag: span.tag, annotators: [annotator] })
      // An annotator's duplicate of the same span counts once.
      else if (proposal.annotators.at(-1) !== annotator) proposal.annotators.push(annotator)
    }
  }
  const proposals = [...byKey.values()].filter((proposal) => proposal.annotators.length >= needed)
  return proposals.sort(compareProposals)
}

/** Throws a RangeError when the annotator to take is not one of the position's annotators. */
export function settlePosition<S extends ReviewSpan>(position: ReviewPosition<S>, choice: SettleChoice): Settlement<S> {
  let taken: S[]
  if ('reject' in choice) {
    taken = []
  } else if (choice.take === 'all') {
    taken = position.spansByAnnotator.flatMap(({ spans }) => spans)
  } else {
    const entry = position.spansByAnnotator.find(({ annotator }) => annotator === choice.annotator)
    if (!entry) throw new RangeError(`"${choice.annotator}" is not one of the compared annotators.`)
    taken = entry.spans
  }
  const takenKeys = new Set(taken.map(spanKey))
  const byKey = new Map<string, GoldSpanProposal<S>>()
  for (const { annotator, spans } of position.spansByAnnotator) {
    for (const span of spans) {
      const key = spanKey(span)
      if (!takenKeys.has(key)) continue
      const proposal = byKey.get(key)
      if (!proposal) byKey.set(key, { start: span.start, end: span.end, tag: span.tag, annotators: [annotator] })
      else if (proposal.annotators.at(-1) !== annotator) proposal.annotators.push(annotator)
    }
  }
  const add = [...byKey.values()].sort(compareProposals)
  return { add, rejectedPositionId: add.length === 0 ? position.id : null }
}

/**
 * The disagreement positions not yet settled (see the rules at the top), in text order.
 * Pass every position of the comparison, agreed ones included, in text order: a gold span copied
 * from an agreed span is then known not to be hand-drawn. The gold spans may come in any order.
 * A curator's window keeps the answer up to date change by change (UnsettledPositions).
 */
export function remainingPositions<S extends ReviewSpan>(
  positions: readonly ReviewPosition<S>[],
  goldSpans: GoldSpans,
  rejectedPositionIds: Iterable<string> = []
): ReviewPosition<S>[] {
  return new UnsettledPositions(positions, goldSpans).remaining(new Set(rejectedPositionIds))
}

function compareProposals(a: GoldSpanProposal, b: GoldSpanProposal): number {
  return a.start - b.start || a.end - b.end || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0)
}
