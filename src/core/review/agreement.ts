// Inter-annotator agreement over a project, one document at a time: span F1 per pair of
// annotators, and token-level Cohen's κ (per pair), Fleiss' κ and Krippendorff's α (all
// annotators) — for all tags together and for each tag alone. Only sums are kept, so memory
// depends on the numbers of annotators and tags, never on the number of documents.
// docs/AGREEMENT.md states for editors exactly what is counted; keep the two in step.
import { CoincidenceMatrix, ConfusionMatrix, FleissAccumulator, measured, unmeasured, type MeasureValue, type MeasureWording } from './agreement-measures'
import { addSpanComparison, compareSpans, emptySpanComparison, spanScores, type SpanComparison, type SpanMatchCounts, type SpanScores } from './span-f1'
import { OUTSIDE_LABEL, labelTokens, wordTokens, type TaggedSpan, type TokenOffsets } from './tokens'

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
    // Per annotator: the spans kept, by tag (null: no layer).
    const spansByTag = this.#annotators.map((annotator, index) => {
      const layer = document.layers.get(annotator)
      if (layer === null || layer === undefined) return null
      this.#documentsByAnnotator[index] = (this.#documentsByAnnotator[index] as number) + 1
      return this.#keptSpansByTag(layer)
    })
    const allSpans = spansByTag.map((byTag) => (byTag === null ? null : byTag.flat()))

    this.#allTags.addDocument(
      allSpans.map((spans) => (spans === null ? null : labelTokens(tokens, spans, this.#tags))),
      tokens
    )
    this.#tags.forEach((tag, tagIndex) => {
      const tagOnly = [tag]
      this.#byTag[tagIndex]?.addDocument(
        spansByTag.map((byTag) => (byTag === null ? null : labelTokens(tokens, byTag[tagIndex] as TaggedSpan[], tagOnly))),
        tokens
      )
    })

    this.#pairs.forEach(([first, second], pairIndex) => {
      const firstSpans = spansByTag[first]
      const secondSpans = spansByTag[second]
      if (!firstSpans || !secondSpans) return
      addSpanComparison(this.#spansByPair[pairIndex] as SpanComparison, compareSpans(allSpans[first] as TaggedSpan[], allSpans[second] as TaggedSpan[]))
      this.#tags.forEach((_, tagIndex) => {
        const comparison = compareSpans(firstSpans[tagIndex] as TaggedSpan[], secondSpans[tagIndex] as TaggedSpan[])
        addSpanComparison(this.#spansByPairAndTag[pairIndex]?.[tagIndex] as SpanComparison, comparison)
      })
    })
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

  /** The layer's usable spans split by tag (in `tags` order); the rest are counted as ignored. */
  #keptSpansByTag(layer: readonly TaggedSpan[]): TaggedSpan[][] {
    const byTag = this.#tags.map((): TaggedSpan[] => [])
    for (const span of layer) {
      const index = this.#tagIndex.get(span.tag)
      if (index === undefined || !(span.end > span.start)) this.#ignoredSpans++
      else byTag[index]?.push(span)
    }
    return byTag
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

  /** One document: each annotator's token labels, null where the annotator has no layer. */
  addDocument(labelsByAnnotator: readonly (Int32Array | null)[], tokens: TokenOffsets): void {
    const tokenCount = tokens.count
    this.#pairs.forEach(([first, second], pairIndex) => {
      const firstLabels = labelsByAnnotator[first]
      const secondLabels = labelsByAnnotator[second]
      if (firstLabels && secondLabels) {
        const confusion = this.pairConfusions[pairIndex] as ConfusionMatrix
        for (let token = 0; token < tokenCount; token++) confusion.add(firstLabels[token] as number, secondLabels[token] as number)
        this.pairDocuments[pairIndex] = (this.pairDocuments[pairIndex] as number) + 1
        this.pairTokens[pairIndex] = (this.pairTokens[pairIndex] as number) + tokenCount
      } else if (firstLabels || secondLabels) {
        const missing = (firstLabels ? this.#secondMissing[pairIndex] : this.#firstMissing[pairIndex]) as Float64Array
        const present = (firstLabels ?? secondLabels) as Int32Array
        for (let token = 0; token < tokenCount; token++) {
          const label = present[token] as number
          missing[label] = (missing[label] as number) + 1
        }
      }
    })

    const present = labelsByAnnotator.filter((labels): labels is Int32Array => labels !== null)
    if (present.length < 2) return
    const everyone = present.length === this.#annotatorCount
    const counts = this.#countsByLabel
    for (let token = 0; token < tokenCount; token++) {
      counts.fill(0)
      for (const labels of present) {
        const label = labels[token] as number
        counts[label] = (counts[label] as number) + 1
      }
      this.coincidences.addUnit(counts)
      if (everyone) this.fleiss?.addSubject(counts)
    }
    this.alphaDocuments++
    this.alphaTokens += tokenCount
    if (everyone) {
      this.fleissDocuments++
      this.fleissTokens += tokenCount
    }
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
