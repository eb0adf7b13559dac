// Inter-annotator agreement over a project, one document at a time: span F1 per pair of
// annotators, and token-level Cohen's κ (per pair), Fleiss' κ and Krippendorff's α (all
// annotators) — for all tags together and for each tag alone. Only sums are kept, so memory
// depends on the numbers of annotators and tags, never on the number of documents.
// docs/AGREEMENT.md states for editors exactly what is counted; keep the two in step.
import {
  CoincidenceMatrix,
  ConfusionMatrix,
  FleissAccumulator,
  measured,
  unmeasured,
  type CoincidenceSums,
  type ConfusionSums,
  type FleissSums,
  type MeasureValue,
  type MeasureWording
} from './agreement-measures'
import { addSpanComparison, compareSpans, emptySpanComparison, spanScores, type SpanComparison, type SpanMatchCounts, type SpanScores } from './span-f1'
import { OUTSIDE_LABEL, paintLabels, tagCoverage, tokenRangesOf, wordTokens, type SpanTokenRanges, type TaggedSpan } from './tokens'

/** Column and row of a pair's confusion matrix for tokens of documents only the other annotator has a layer on. */
export const MISSING_LABEL = 'missing'

export interface AgreementOptions {
  /** The annotators to compare, in the order pairs are formed (the first of a pair is its reference). */
  annotators: readonly string[]
  /** Tag ids; spans with any other tag are ignored (and counted in ignoredSpans). */
  tags: readonly string[]
}

export interface AgreementDocument {
  text: string
  /**
   * Each annotator's spans on this document; null, or no entry, when the annotator has no layer
   * on it (missing — not the same as an empty layer, which says every token is O).
   */
  layers: ReadonlyMap<string, readonly TaggedSpan[] | null>
}

export interface SpanF1Figures extends SpanScores {
  counts: SpanMatchCounts
}

/** Token counts by the first annotator's label (row) and the second's (column). */
export interface TokenConfusion {
  /** Row and column names: the labels, then MISSING_LABEL. */
  labels: string[]
  counts: number[][]
}

export interface PairAgreement {
  /** [reference, compared]: precision is the share of the second's spans the first also has, recall the converse. */
  annotators: [string, string]
  /** Documents both have a layer on: the ones span F1 and κ count. */
  documents: number
  /** Word tokens of those documents. */
  tokens: number
  strict: SpanF1Figures
  /** nervaluate's ent_type: same tag, any overlap. */
  overlap: SpanF1Figures
  cohenKappa: MeasureValue
  confusion: TokenConfusion
}

export interface GroupAgreement {
  fleissKappa: MeasureValue
  /** Documents every chosen annotator has a layer on, and their tokens: what Fleiss' κ counts. */
  fleissDocuments: number
  fleissTokens: number
  krippendorffAlpha: MeasureValue
  /** Documents at least two annotators have a layer on, and their tokens: what α counts. */
  alphaDocuments: number
  alphaTokens: number
  /** Mean over the pairs whose F1 is defined. */
  meanStrictF1: MeasureValue
  meanOverlapF1: MeasureValue
}

/** The figures for one tag alone: spans of other tags dropped, tokens labelled this tag or O. */
export interface TagAgreement extends GroupAgreement {
  tag: string
  pairs: PairAgreement[]
}

export interface AgreementReport {
  annotators: string[]
  tags: string[]
  /** Token labels: the tags, then OUTSIDE_LABEL. */
  labels: string[]
  /** Documents added. */
  documents: number
  /** Word tokens of all documents added. */
  tokens: number
  /** Documents each annotator has a layer on. */
  documentsByAnnotator: Record<string, number>
  /** Spans left out: empty (end ≤ start) or with a tag not in `tags`. */
  ignoredSpans: number
  pairs: PairAgreement[]
  overall: GroupAgreement
  perTag: TagAgreement[]
}

/**
 * An accumulator's sums as plain data (numbers, typed arrays, plain objects): what a worker
 * thread measuring a batch of documents posts back, to be merged into the main accumulator.
 */
export interface AgreementSums {
  annotators: string[]
  tags: string[]
  documents: number
  tokens: number
  ignoredSpans: number
  documentsByAnnotator: number[]
  allTags: TokenStatisticsSums
  byTag: TokenStatisticsSums[]
  spansByPair: SpanComparison[]
  spansByPairAndTag: SpanComparison[][]
}

export interface TokenStatisticsSums {
  pairConfusions: ConfusionSums[]
  secondMissing: Float64Array[]
  firstMissing: Float64Array[]
  pairDocuments: number[]
  pairTokens: number[]
  fleiss: FleissSums | null
  fleissDocuments: number
  fleissTokens: number
  coincidences: CoincidenceSums
  alphaDocuments: number
  alphaTokens: number
}

const TOKENS: MeasureWording = { items: 'tokens' }
const NEEDS_TWO_ANNOTATORS = 'needs two annotators'

export class AgreementAccumulator {
  readonly #annotators: readonly string[]
  readonly #tags: readonly string[]
  readonly #tagIndex: ReadonlyMap<string, number>
  /** Index pairs (first < second) in annotator order. */
  readonly #pairs: readonly (readonly [number, number])[]
  readonly #allTags: TokenStatistics
  readonly #byTag: TokenStatistics[]
  readonly #spansByPair: SpanComparison[]
  /** [pair][tag] */
  readonly #spansByPairAndTag: SpanComparison[][]
  readonly #documentsByAnnotator: number[]
  #documents = 0
  #tokens = 0
  #ignoredSpans = 0

  constructor(options: AgreementOptions) {
    assertDistinct(options.annotators, 'annotator')
    assertDistinct(options.tags, 'tag')
    this.#annotators = [...options.annotators]
    this.#tags = [...options.tags]
    this.#tagIndex = new Map(this.#tags.map((tag, index) => [tag, index]))
    const pairs: [number, number][] = []
    for (let first = 0; first < this.#annotators.length; first++) {
      for (let second = first + 1; second < this.#annotators.length; second++) pairs.push([first, second])
    }
    this.#pairs = pairs
    this.#allTags = new TokenStatistics(this.#tags.length + 1, this.#annotators.length, pairs)
    this.#byTag = this.#tags.map(() => new TokenStatistics(2, this.#annotators.length, pairs))
    this.#spansByPair = pairs.map(() => emptySpanComparison())
    this.#spansByPairAndTag = pairs.map(() => this.#tags.map(() => emptySpanComparison()))
    this.#documentsByAnnotator = this.#annotators.map(() => 0)
  }

  addDocument(document: AgreementDocument): void {
    const tokens = wordTokens(document.text)
    this.#documents++
    this.#tokens += tokens.count
    // Per annotator the spans kept, in text order, with what labelling needs (null: no layer).
    // Sorted once here, every comparison below gets its spans already in order.
    const kept = this.#annotators.map((annotator, index): KeptSpans | null => {
      const layer = document.layers.get(annotator)
      if (layer === null || layer === undefined) return null
      this.#documentsByAnnotator[index] = (this.#documentsByAnnotator[index] as number) + 1
      const spans = this.#keptSpans(layer)
      const tagIndexes = new Int32Array(spans.length)
      const byTag = this.#tags.map((): TaggedSpan[] => [])
      for (let spanIndex = 0; spanIndex < spans.length; spanIndex++) {
        const span = spans[spanIndex] as TaggedSpan
        const tagIndex = this.#tagIndex.get(span.tag) as number
        tagIndexes[spanIndex] = tagIndex
        ;(byTag[tagIndex] as TaggedSpan[]).push(span)
      }
      return { spans, tagIndexes, ranges: tokenRangesOf(tokens, spans), byTag }
    })

    const outside = this.#tags.length
    this.#allTags.addDocument(
      kept.map((layer) => {
        if (layer === null) return null
        const labels = new Int32Array(tokens.count).fill(outside)
        paintLabels(layer.spans, layer.tagIndexes, layer.ranges, labels)
        return labels
      }),
      tokens.count
    )
    // One tag alone: a token is that tag's when a span of it touches the token (no priorities
    // among spans of one tag), else O.
    this.#tags.forEach((_, tagIndex) => {
      this.#byTag[tagIndex]?.addDocument(
        kept.map((layer) => {
          if (layer === null) return null
          const labels = new Uint8Array(tokens.count)
          tagCoverage(layer.spans, layer.tagIndexes, layer.ranges, tagIndex, labels)
          return labels
        }),
        tokens.count
      )
    })

    this.#pairs.forEach(([first, second], pairIndex) => {
      const firstLayer = kept[first]
      const secondLayer = kept[second]
      if (!firstLayer || !secondLayer) return
      addSpanComparison(this.#spansByPair[pairIndex] as SpanComparison, compareSpans(firstLayer.spans, secondLayer.spans))
      this.#tags.forEach((_, tagIndex) => {
        const comparison = compareSpans(firstLayer.byTag[tagIndex] as TaggedSpan[], secondLayer.byTag[tagIndex] as TaggedSpan[])
        addSpanComparison(this.#spansByPairAndTag[pairIndex]?.[tagIndex] as SpanComparison, comparison)
      })
    })
  }

  /** The sums so far as plain data (see AgreementSums). */
  toSums(): AgreementSums {
    return {
      annotators: [...this.#annotators],
      tags: [...this.#tags],
      documents: this.#documents,
      tokens: this.#tokens,
      ignoredSpans: this.#ignoredSpans,
      documentsByAnnotator: [...this.#documentsByAnnotator],
      allTags: this.#allTags.toSums(),
      byTag: this.#byTag.map((statistics) => statistics.toSums()),
      spansByPair: this.#spansByPair.map(copySpanComparison),
      spansByPairAndTag: this.#spansByPairAndTag.map((byTag) => byTag.map(copySpanComparison))
    }
  }

  /** An accumulator holding these sums, as the one they were taken from. */
  static fromSums(sums: AgreementSums): AgreementAccumulator {
    const accumulator = new AgreementAccumulator({ annotators: sums.annotators, tags: sums.tags })
    accumulator.addSums(sums)
    return accumulator
  }

  /**
   * Adds another accumulator's documents to this one's, as if they had been added here: the
   * documents of a project measured in batches (on worker threads) and merged give the report
   * of one accumulator over all of them. Every sum is a whole number (or, for Krippendorff's
   * coincidences with two or three annotators, a multiple of ½), so the merged report is the
   * same to the last digit whatever the batches; with four or more annotators a coincidence
   * can differ in its last binary digits, as adding the same documents in another order would.
   */
  merge(other: AgreementAccumulator): void {
    this.addSums(other.toSums())
  }

  /** merge, for sums posted by a worker thread. Annotators and tags must be the same, in the same order. */
  addSums(sums: AgreementSums): void {
    if (!sameList(sums.annotators, this.#annotators) || !sameList(sums.tags, this.#tags)) {
      throw new RangeError(
        `cannot merge the agreement of ${sums.annotators.join(', ')} over ${sums.tags.join(', ')} into that of ${this.#annotators.join(', ')} over ${this.#tags.join(', ')}`
      )
    }
    this.#documents += sums.documents
    this.#tokens += sums.tokens
    this.#ignoredSpans += sums.ignoredSpans
    sums.documentsByAnnotator.forEach((count, index) => {
      this.#documentsByAnnotator[index] = (this.#documentsByAnnotator[index] as number) + count
    })
    this.#allTags.addSums(sums.allTags)
    this.#byTag.forEach((statistics, tagIndex) => statistics.addSums(sums.byTag[tagIndex] as TokenStatisticsSums))
    this.#spansByPair.forEach((counts, pairIndex) => addSpanComparison(counts, sums.spansByPair[pairIndex] as SpanComparison))
    this.#spansByPairAndTag.forEach((byTag, pairIndex) =>
      byTag.forEach((counts, tagIndex) => addSpanComparison(counts, sums.spansByPairAndTag[pairIndex]?.[tagIndex] as SpanComparison))
    )
  }

  report(): AgreementReport {
    const labels = [...this.#tags, OUTSIDE_LABEL]
    const pairs = this.#pairReports(this.#allTags, labels, (pairIndex) => this.#spansByPair[pairIndex] as SpanComparison)
    const perTag = this.#tags.map((tag, tagIndex): TagAgreement => {
      const statistics = this.#byTag[tagIndex] as TokenStatistics
      const tagPairs = this.#pairReports(statistics, [tag, OUTSIDE_LABEL], (pairIndex) => this.#spansByPairAndTag[pairIndex]?.[tagIndex] as SpanComparison)
      return { tag, pairs: tagPairs, ...this.#groupReport(statistics, tagPairs) }
    })
    return {
      annotators: [...this.#annotators],
      tags: [...this.#tags],
      labels,
      documents: this.#documents,
      tokens: this.#tokens,
      documentsByAnnotator: Object.fromEntries(this.#annotators.map((annotator, index) => [annotator, this.#documentsByAnnotator[index] as number])),
      ignoredSpans: this.#ignoredSpans,
      pairs,
      overall: this.#groupReport(this.#allTags, pairs),
      perTag
    }
  }

  /** The layer's usable spans in text order (start, end, tag); the rest are counted as ignored. */
  #keptSpans(layer: readonly TaggedSpan[]): TaggedSpan[] {
    const spans: TaggedSpan[] = []
    for (const span of layer) {
      if (!this.#tagIndex.has(span.tag) || !(span.end > span.start)) this.#ignoredSpans++
      else spans.push(span)
    }
    return inTextOrder(spans)
  }

  #pairReports(statistics: TokenStatistics, labels: string[], spanCounts: (pairIndex: number) => SpanComparison): PairAgreement[] {
    return this.#pairs.map(([first, second], pairIndex): PairAgreement => {
      const names: [string, string] = [this.#annotators[first] as string, this.#annotators[second] as string]
      const documents = statistics.pairDocuments[pairIndex] as number
      const noCommonDocument = `no document has layers by both ${names[0]} and ${names[1]}`
      const spans = spanCounts(pairIndex)
      return {
        annotators: names,
        documents,
        tokens: statistics.pairTokens[pairIndex] as number,
        strict: spanFigures(spans.strict, names, documents === 0 ? noCommonDocument : null),
        overlap: spanFigures(spans.overlap, names, documents === 0 ? noCommonDocument : null),
        cohenKappa: documents === 0 ? unmeasured(noCommonDocument) : (statistics.pairConfusions[pairIndex] as ConfusionMatrix).kappa(TOKENS),
        confusion: { labels: [...labels, MISSING_LABEL], counts: statistics.confusionWithMissing(pairIndex) }
      }
    })
  }

  #groupReport(statistics: TokenStatistics, pairs: readonly PairAgreement[]): GroupAgreement {
    const annotatorCount = this.#annotators.length
    const fleissKappa =
      annotatorCount < 2
        ? unmeasured(NEEDS_TWO_ANNOTATORS)
        : statistics.fleissDocuments === 0
          ? unmeasured(`no document has layers by all ${annotatorCount} annotators`)
          : (statistics.fleiss as FleissAccumulator).kappa(TOKENS)
    const krippendorffAlpha =
      annotatorCount < 2
        ? unmeasured(NEEDS_TWO_ANNOTATORS)
        : statistics.alphaDocuments === 0
          ? unmeasured('no document has layers by two or more annotators')
          : statistics.coincidences.alphaNominal(TOKENS)
    return {
      fleissKappa,
      fleissDocuments: statistics.fleissDocuments,
      fleissTokens: statistics.fleissTokens,
      krippendorffAlpha,
      alphaDocuments: statistics.alphaDocuments,
      alphaTokens: statistics.alphaTokens,
      meanStrictF1: meanOfDefined(pairs.map((pair) => pair.strict.f1)),
      meanOverlapF1: meanOfDefined(pairs.map((pair) => pair.overlap.f1))
    }
  }
}

/**
 * Token-level sums over one label set (all tags and O, or one tag and O): per pair a confusion
 * matrix and the tokens only one of the two labelled; for the group Fleiss' and Krippendorff's
 * accumulators.
 */
class TokenStatistics {
  readonly pairConfusions: ConfusionMatrix[]
  /** [pair][label]: tokens the first annotator gave this label on documents the second has no layer on. */
  readonly #secondMissing: Float64Array[]
  /** [pair][label]: the converse. */
  readonly #firstMissing: Float64Array[]
  readonly pairDocuments: number[]
  readonly pairTokens: number[]
  /** null with fewer than two annotators (Fleiss' κ needs two ratings a token). */
  readonly fleiss: FleissAccumulator | null
  fleissDocuments = 0
  fleissTokens = 0
  readonly coincidences: CoincidenceMatrix
  alphaDocuments = 0
  alphaTokens = 0
  readonly #labelCount: number
  readonly #annotatorCount: number
  readonly #pairs: readonly (readonly [number, number])[]
  /** Scratch: how many annotators gave each label to the current token. */
  readonly #countsByLabel: Int32Array
  #combinationScratch = new Float64Array(0)

  constructor(labelCount: number, annotatorCount: number, pairs: readonly (readonly [number, number])[]) {
    this.#labelCount = labelCount
    this.#annotatorCount = annotatorCount
    this.#pairs = pairs
    this.pairConfusions = pairs.map(() => new ConfusionMatrix(labelCount))
    this.#secondMissing = pairs.map(() => new Float64Array(labelCount))
    this.#firstMissing = pairs.map(() => new Float64Array(labelCount))
    this.pairDocuments = pairs.map(() => 0)
    this.pairTokens = pairs.map(() => 0)
    this.fleiss = annotatorCount >= 2 ? new FleissAccumulator(labelCount, annotatorCount) : null
    this.coincidences = new CoincidenceMatrix(labelCount)
    this.#countsByLabel = new Int32Array(labelCount)
  }

  /**
   * One document: each annotator's token labels, null where the annotator has no layer. The
   * tokens are first counted by the labels they got (one count per combination of the present
   * annotators' labels: 125 of them for three annotators and five labels), and each combination
   * is added to the sums once with its count, so the cost per token is a few array reads.
   */
  addDocument(labelsByAnnotator: readonly (TokenLabels | null)[], tokenCount: number): void {
    const present: number[] = []
    labelsByAnnotator.forEach((labels, annotator) => {
      if (labels !== null) present.push(annotator)
    })
    if (present.length === 0) return
    const combinations = this.#labelCount ** present.length
    if (combinations > MAX_LABEL_COMBINATIONS) {
      this.#addTokenByToken(labelsByAnnotator, present, tokenCount)
      return
    }
    const counts = this.#combinationCounts(combinations)
    countCombinations(labelsByAnnotator, present, this.#labelCount, tokenCount, counts)
    const labelOf = new Int32Array(this.#annotatorCount) // the current combination's label for each present annotator
    const labelCounts = this.#countsByLabel
    const everyone = present.length === this.#annotatorCount
    for (let combination = 0; combination < combinations; combination++) {
      const tokens = counts[combination] as number
      if (tokens === 0) continue
      let rest = combination
      for (const annotator of present) {
        labelOf[annotator] = rest % this.#labelCount
        rest = Math.floor(rest / this.#labelCount)
      }
      this.#pairs.forEach(([first, second], pairIndex) => {
        const firstPresent = labelsByAnnotator[first] !== null
        const secondPresent = labelsByAnnotator[second] !== null
        if (firstPresent && secondPresent) {
          ;(this.pairConfusions[pairIndex] as ConfusionMatrix).add(labelOf[first] as number, labelOf[second] as number, tokens)
        } else if (firstPresent || secondPresent) {
          const missing = (firstPresent ? this.#secondMissing[pairIndex] : this.#firstMissing[pairIndex]) as Float64Array
          const label = labelOf[firstPresent ? first : second] as number
          missing[label] = (missing[label] as number) + tokens
        }
      })
      if (present.length < 2) continue
      labelCounts.fill(0)
      for (const annotator of present) labelCounts[labelOf[annotator] as number] = (labelCounts[labelOf[annotator] as number] as number) + 1
      this.coincidences.addUnit(labelCounts, tokens)
      if (everyone) this.fleiss?.addSubject(labelCounts, tokens)
    }
    this.#countDocument(labelsByAnnotator, present.length, tokenCount)
  }

  /** Scratch for the combination counts, zeroed. */
  #combinationCounts(combinations: number): Float64Array {
    if (this.#combinationScratch.length < combinations) this.#combinationScratch = new Float64Array(combinations)
    const counts = this.#combinationScratch.subarray(0, combinations)
    counts.fill(0)
    return counts
  }

  /** The same sums, one token at a time: for so many annotators that their label combinations would not fit in a table. */
  #addTokenByToken(labelsByAnnotator: readonly (TokenLabels | null)[], present: readonly number[], tokenCount: number): void {
    this.#pairs.forEach(([first, second], pairIndex) => {
      const firstLabels = labelsByAnnotator[first]
      const secondLabels = labelsByAnnotator[second]
      if (firstLabels && secondLabels) {
        const confusion = this.pairConfusions[pairIndex] as ConfusionMatrix
        for (let token = 0; token < tokenCount; token++) confusion.add(firstLabels[token] as number, secondLabels[token] as number)
      } else if (firstLabels || secondLabels) {
        const missing = (firstLabels ? this.#secondMissing[pairIndex] : this.#firstMissing[pairIndex]) as Float64Array
        const labels = (firstLabels ?? secondLabels) as TokenLabels
        for (let token = 0; token < tokenCount; token++) {
          const label = labels[token] as number
          missing[label] = (missing[label] as number) + 1
        }
      }
    })
    if (present.length >= 2) {
      const everyone = present.length === this.#annotatorCount
      const counts = this.#countsByLabel
      for (let token = 0; token < tokenCount; token++) {
        counts.fill(0)
        for (const annotator of present) {
          const label = (labelsByAnnotator[annotator] as TokenLabels)[token] as number
          counts[label] = (counts[label] as number) + 1
        }
        this.coincidences.addUnit(counts)
        if (everyone) this.fleiss?.addSubject(counts)
      }
    }
    this.#countDocument(labelsByAnnotator, present.length, tokenCount)
  }

  #countDocument(labelsByAnnotator: readonly (TokenLabels | null)[], presentCount: number, tokenCount: number): void {
    this.#pairs.forEach(([first, second], pairIndex) => {
      if (labelsByAnnotator[first] && labelsByAnnotator[second]) {
        this.pairDocuments[pairIndex] = (this.pairDocuments[pairIndex] as number) + 1
        this.pairTokens[pairIndex] = (this.pairTokens[pairIndex] as number) + tokenCount
      }
    })
    if (presentCount < 2) return
    this.alphaDocuments++
    this.alphaTokens += tokenCount
    if (presentCount === this.#annotatorCount) {
      this.fleissDocuments++
      this.fleissTokens += tokenCount
    }
  }

  toSums(): TokenStatisticsSums {
    return {
      pairConfusions: this.pairConfusions.map((confusion) => confusion.toSums()),
      secondMissing: this.#secondMissing.map((counts) => counts.slice()),
      firstMissing: this.#firstMissing.map((counts) => counts.slice()),
      pairDocuments: [...this.pairDocuments],
      pairTokens: [...this.pairTokens],
      fleiss: this.fleiss?.toSums() ?? null,
      fleissDocuments: this.fleissDocuments,
      fleissTokens: this.fleissTokens,
      coincidences: this.coincidences.toSums(),
      alphaDocuments: this.alphaDocuments,
      alphaTokens: this.alphaTokens
    }
  }

  /** Adds sums taken from statistics over the same labels and annotators. */
  addSums(sums: TokenStatisticsSums): void {
    this.#pairs.forEach((_, pairIndex) => {
      ;(this.pairConfusions[pairIndex] as ConfusionMatrix).merge(ConfusionMatrix.fromSums(sums.pairConfusions[pairIndex] as ConfusionSums))
      addCounts(this.#secondMissing[pairIndex] as Float64Array, sums.secondMissing[pairIndex] as Float64Array)
      addCounts(this.#firstMissing[pairIndex] as Float64Array, sums.firstMissing[pairIndex] as Float64Array)
      this.pairDocuments[pairIndex] = (this.pairDocuments[pairIndex] as number) + (sums.pairDocuments[pairIndex] as number)
      this.pairTokens[pairIndex] = (this.pairTokens[pairIndex] as number) + (sums.pairTokens[pairIndex] as number)
    })
    if (this.fleiss !== null && sums.fleiss !== null) this.fleiss.merge(FleissAccumulator.fromSums(sums.fleiss))
    this.fleissDocuments += sums.fleissDocuments
    this.fleissTokens += sums.fleissTokens
    this.coincidences.merge(CoincidenceMatrix.fromSums(sums.coincidences))
    this.alphaDocuments += sums.alphaDocuments
    this.alphaTokens += sums.alphaTokens
  }

  /** The pair's confusion matrix with a last row and column for tokens the other annotator has no layer on. */
  confusionWithMissing(pairIndex: number): number[][] {
    const rows = (this.pairConfusions[pairIndex] as ConfusionMatrix).toRows()
    const secondMissing = this.#secondMissing[pairIndex] as Float64Array
    const firstMissing = this.#firstMissing[pairIndex] as Float64Array
    rows.forEach((row, label) => row.push(secondMissing[label] as number))
    rows.push([...Array.from(firstMissing), 0])
    return rows
  }
}

/** A token's label by annotator: an index into the label list. */
type TokenLabels = Int32Array | Uint8Array

/** Above this many combinations of labels (labels ^ annotators present), tokens are added one by one. */
const MAX_LABEL_COMBINATIONS = 1 << 16

interface KeptSpans {
  /** Usable spans in text order. */
  spans: TaggedSpan[]
  /** Each span's tag, as its index in the tag list. */
  tagIndexes: Int32Array
  ranges: SpanTokenRanges
  /** The same spans by tag (in tag-list order), each list in text order. */
  byTag: TaggedSpan[][]
}

/** counts[c] += 1 for each token, c = Σ label · labelCount^k over the present annotators (k-th present). */
function countCombinations(labelsByAnnotator: readonly (TokenLabels | null)[], present: readonly number[], labelCount: number, tokenCount: number, counts: Float64Array): void {
  if (present.length === 3) {
    // The usual case, unrolled.
    const a = labelsByAnnotator[present[0] as number] as TokenLabels
    const b = labelsByAnnotator[present[1] as number] as TokenLabels
    const c = labelsByAnnotator[present[2] as number] as TokenLabels
    const square = labelCount * labelCount
    for (let token = 0; token < tokenCount; token++) {
      const combination = (a[token] as number) + (b[token] as number) * labelCount + (c[token] as number) * square
      counts[combination] = (counts[combination] as number) + 1
    }
    return
  }
  const combination = new Float64Array(tokenCount)
  let weight = 1
  for (const annotator of present) {
    const labels = labelsByAnnotator[annotator] as TokenLabels
    for (let token = 0; token < tokenCount; token++) combination[token] = (combination[token] as number) + (labels[token] as number) * weight
    weight *= labelCount
  }
  for (let token = 0; token < tokenCount; token++) {
    const index = combination[token] as number
    counts[index] = (counts[index] as number) + 1
  }
}

function addCounts(target: Float64Array, source: ArrayLike<number>): void {
  if (source.length !== target.length) throw new RangeError(`expected ${target.length} counts, got ${source.length}`)
  for (let index = 0; index < target.length; index++) target[index] = (target[index] as number) + (source[index] as number)
}

function copySpanComparison(counts: SpanComparison): SpanComparison {
  const copy = emptySpanComparison()
  addSpanComparison(copy, counts)
  return copy
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index])
}

/** Spans by start, then end, then tag id (compareSpans' order); a sorted list is returned as it is. */
function inTextOrder(spans: TaggedSpan[]): TaggedSpan[] {
  for (let index = 1; index < spans.length; index++) {
    if (compareTextOrder(spans[index - 1] as TaggedSpan, spans[index] as TaggedSpan) > 0) return spans.sort(compareTextOrder)
  }
  return spans
}

function compareTextOrder(a: TaggedSpan, b: TaggedSpan): number {
  if (a.start !== b.start) return a.start - b.start
  if (a.end !== b.end) return a.end - b.end
  return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0
}

function spanFigures(counts: SpanMatchCounts, [reference, compared]: [string, string], undefinedBecause: string | null): SpanF1Figures {
  const scores = spanScores(counts, { reference, prediction: compared })
  if (undefinedBecause === null) return { ...scores, counts: { ...counts } }
  const none = unmeasured(undefinedBecause)
  return { ...scores, precision: none, recall: none, f1: none, counts: { ...counts } }
}

function meanOfDefined(values: readonly MeasureValue[]): MeasureValue {
  if (values.length === 0) return unmeasured(NEEDS_TWO_ANNOTATORS)
  const defined = values.filter((value): value is { value: number } => value.value !== null)
  if (defined.length === 0) return unmeasured(`no pair of annotators has an F1 (${values[0]?.reason})`)
  return measured(defined.reduce((sum, value) => sum + value.value, 0) / defined.length)
}

function assertDistinct(names: readonly string[], what: string): void {
  const seen = new Set<string>()
  for (const name of names) {
    if (seen.has(name)) throw new RangeError(`the ${what} "${name}" is listed twice`)
    seen.add(name)
  }
}
