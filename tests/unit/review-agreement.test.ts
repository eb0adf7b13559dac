import { describe, expect, it } from 'vitest'
import { AgreementAccumulator, MISSING_LABEL, type AgreementDocument, type AgreementReport, type PairAgreement } from '../../src/core/review/agreement'
import { krippendorffAlphaNominal, type MeasureValue } from '../../src/core/review/agreement-measures'
import type { TaggedSpan } from '../../src/core/review/tokens'

const TAGS = ['ORG', 'PERSON']

/** The span of the words `phrase` in `text` (first occurrence). */
function spanOf(text: string, phrase: string, tag: string): TaggedSpan {
  const start = text.indexOf(phrase)
  if (start < 0) throw new Error(`"${phrase}" is not in "${text}"`)
  return { start, end: start + phrase.length, tag }
}

function documentOf(text: string, layers: Record<string, [string, string][] | null>): AgreementDocument {
  return {
    text,
    layers: new Map(Object.entries(layers).map(([annotator, spans]) => [annotator, spans === null ? null : spans.map(([phrase, tag]) => spanOf(text, phrase, tag))]))
  }
}

function reportOf(annotators: string[], documents: AgreementDocument[]): AgreementReport {
  const accumulator = new AgreementAccumulator({ annotators, tags: TAGS })
  for (const document of documents) accumulator.addDocument(document)
  return accumulator.report()
}

const valueOf = (measure: MeasureValue): number => {
  if (measure.value === null) throw new Error(`expected a value, got null: ${measure.reason}`)
  return measure.value
}

const pairOf = (report: { pairs: PairAgreement[] }, a: string, b: string): PairAgreement => {
  const pair = report.pairs.find((candidate) => candidate.annotators[0] === a && candidate.annotators[1] === b)
  if (!pair) throw new Error(`no pair ${a}–${b}`)
  return pair
}

// Two annotators, four documents (see each comment); computed by hand in the tests below.
const TWO_ANNOTATOR_PROJECT = [
  // Both annotated: ann marked Alice, Bob and "Acme Corp"; ben marked Alice and only "Acme".
  documentOf('Alice met Bob at Acme Corp today', {
    ann: [['Alice', 'PERSON'], ['Bob', 'PERSON'], ['Acme Corp', 'ORG']],
    ben: [['Alice', 'PERSON'], ['Acme', 'ORG']]
  }),
  // Only ann has a layer (empty: both tokens O for her); ben's is missing.
  documentOf('Nothing here.', { ann: [], ben: null }),
  // Only ben has a layer (ann has no entry at all: missing too).
  documentOf('Zed works.', { ben: [['Zed', 'PERSON']] }),
  // Both have empty layers: two tokens both call O.
  documentOf('Only text', { ann: [], ben: [] })
]

describe('AgreementAccumulator, two annotators', () => {
  const report = reportOf(['ann', 'ben'], TWO_ANNOTATOR_PROJECT)
  const pair = pairOf(report, 'ann', 'ben')

  it('counts documents, tokens and layers', () => {
    expect(report.documents).toBe(4)
    expect(report.tokens).toBe(7 + 2 + 2 + 2)
    expect(report.documentsByAnnotator).toEqual({ ann: 3, ben: 3 })
    expect(report.labels).toEqual(['ORG', 'PERSON', 'O'])
    expect(pair.documents).toBe(2)
    expect(pair.tokens).toBe(9)
  })

  it('builds the token confusion matrix, with a missing row and column for documents only one annotated', () => {
    // Rows ann, columns ben. Agreed: Alice, Acme, met/at/today and both "Only text" tokens;
    // Bob is PERSON/O and Corp ORG/O. "Nothing here." is O/missing; "Zed works." missing/PERSON, missing/O.
    expect(pair.confusion).toEqual({
      labels: ['ORG', 'PERSON', 'O', MISSING_LABEL],
      counts: [
        [1, 0, 1, 0],
        [0, 1, 1, 0],
        [0, 0, 5, 2],
        [0, 1, 1, 0]
      ]
    })
  })

  it("computes Cohen's κ over the tokens of documents both annotated", () => {
    // n = 9, p_o = 7/9; row totals 2, 2, 5 and column totals 1, 1, 7: κ = (9·7 − 39) / (81 − 39) = 4/7.
    expect(valueOf(pair.cohenKappa)).toBeCloseTo(4 / 7, 12)
  })

  it('computes strict and overlap F1 from the spans of documents both annotated', () => {
    // Alice identical (COR); ben's "Acme" overlaps ann's "Acme Corp" (strict INC, overlap COR); ann's Bob missed.
    expect(pair.strict.counts).toEqual({ correct: 1, incorrect: 1, missed: 1, spurious: 0 })
    expect(pair.overlap.counts).toEqual({ correct: 2, incorrect: 0, missed: 1, spurious: 0 })
    expect(valueOf(pair.strict.precision)).toBeCloseTo(1 / 2, 12)
    expect(valueOf(pair.strict.recall)).toBeCloseTo(1 / 3, 12)
    expect(valueOf(pair.strict.f1)).toBeCloseTo(2 / 5, 12)
    expect(valueOf(pair.overlap.f1)).toBeCloseTo(4 / 5, 12)
    // ben's PERSON on "Zed works." is not spurious: ann has no layer there.
    expect(report.overall.meanStrictF1).toEqual(pair.strict.f1)
    expect(report.overall.meanOverlapF1).toEqual(pair.overlap.f1)
  })

  it("computes Fleiss' κ and Krippendorff's α for the group", () => {
    // With two annotators both count the same 9 tokens. Fleiss: Σn² = 7·4 + 2·2 = 32, P̄ = (32 − 18)/18 = 7/9;
    // category shares 3/18, 3/18, 12/18, P̄e = 1/2; κ = (7/9 − 1/2) / (1/2) = 5/9.
    expect(report.overall.fleissDocuments).toBe(2)
    expect(report.overall.fleissTokens).toBe(9)
    expect(valueOf(report.overall.fleissKappa)).toBeCloseTo(5 / 9, 12)
    // α: n = 18 values, 4 disagreeing ordered pairs, Σ n_c(n − n_c) = 3·15 + 3·15 + 12·6 = 162: α = 1 − 17·4/162.
    expect(report.overall.alphaDocuments).toBe(2)
    expect(report.overall.alphaTokens).toBe(9)
    expect(valueOf(report.overall.krippendorffAlpha)).toBeCloseTo(1 - (17 * 4) / 162, 12)
  })

  it('gives each tag its own figures, from that tag’s spans alone', () => {
    const person = report.perTag.find((tag) => tag.tag === 'PERSON')!
    const personPair = pairOf(person, 'ann', 'ben')
    // Tokens: Alice PERSON/PERSON, Bob PERSON/O, 7 O/O. κ = (9·8 − 58) / (81 − 58) = 14/23.
    expect(personPair.confusion).toEqual({
      labels: ['PERSON', 'O', MISSING_LABEL],
      counts: [
        [1, 1, 0],
        [0, 7, 2],
        [1, 1, 0]
      ]
    })
    expect(valueOf(personPair.cohenKappa)).toBeCloseTo(14 / 23, 12)
    expect(personPair.strict.counts).toEqual({ correct: 1, incorrect: 0, missed: 1, spurious: 0 })
    expect(valueOf(personPair.strict.f1)).toBeCloseTo(2 / 3, 12)
    // α on PERSON vs not: n = 18, n_PERSON = 3, 2 disagreeing pairs: 1 − 17·2 / (3·15 + 15·3).
    expect(valueOf(person.krippendorffAlpha)).toBeCloseTo(1 - (17 * 2) / 90, 12)

    const org = pairOf(report.perTag.find((tag) => tag.tag === 'ORG')!, 'ann', 'ben')
    expect(valueOf(org.strict.f1)).toBe(0) // "Acme" ≠ "Acme Corp"
    expect(valueOf(org.overlap.f1)).toBe(1)
    expect(valueOf(org.cohenKappa)).toBeCloseTo(14 / 23, 12) // Acme ORG/ORG, Corp ORG/O, 7 O/O
  })

  it('tells a missing layer from an empty one', () => {
    // The same document with ben's layer empty instead of missing: his "no spans" now counts.
    const withEmpty = reportOf(['ann', 'ben'], [documentOf('Alice met Bob', { ann: [['Alice', 'PERSON']], ben: [] })])
    const withMissing = reportOf(['ann', 'ben'], [documentOf('Alice met Bob', { ann: [['Alice', 'PERSON']], ben: null })])
    const empty = pairOf(withEmpty, 'ann', 'ben')
    const missing = pairOf(withMissing, 'ann', 'ben')
    expect(empty.documents).toBe(1)
    expect(empty.strict.counts).toEqual({ correct: 0, incorrect: 0, missed: 1, spurious: 0 })
    expect(empty.strict.f1).toEqual({ value: 0 })
    expect(empty.cohenKappa).toEqual({ value: 0 }) // ben is constant: p_o = p_e
    expect(missing.documents).toBe(0)
    expect(missing.strict.counts).toEqual({ correct: 0, incorrect: 0, missed: 0, spurious: 0 })
    expect(missing.strict.f1).toEqual({ value: null, reason: 'no document has layers by both ann and ben' })
    expect(missing.cohenKappa).toEqual({ value: null, reason: 'no document has layers by both ann and ben' })
    // ann's tokens against ben's missing layer: Alice PERSON, met and Bob O.
    expect(missing.confusion.counts.map((row) => row[3])).toEqual([0, 1, 2, 0])
    expect(withMissing.overall.krippendorffAlpha).toEqual({ value: null, reason: 'no document has layers by two or more annotators' })
  })

  it('shows how token κ (which counts O) and span F1 (which counts spans) differ', () => {
    const text = 'Yesterday Alice Bob and the rest of the committee met in the city hall for hours'
    // Same tokens, different spans: ann marked "Alice Bob" as one PERSON, ben as two.
    // Every token has the same label in both layers, so κ = 1; no span matches exactly, so strict F1 = 0.
    const split = pairOf(
      reportOf(['ann', 'ben'], [documentOf(text, { ann: [['Alice Bob', 'PERSON']], ben: [['Alice', 'PERSON'], ['Bob', 'PERSON']] })]),
      'ann',
      'ben'
    )
    expect(split.cohenKappa).toEqual({ value: 1 })
    expect(split.strict.f1).toEqual({ value: 0 })
    expect(valueOf(split.overlap.f1)).toBeCloseTo(2 / 3, 12) // ben's Alice pairs with ann's span; his Bob is spurious
    // Conversely one disagreeing token among many O tokens: strict F1 0, yet κ well above 0,
    // because the many O/O tokens count as agreement and F1 ignores them.
    const boundary = pairOf(
      reportOf(['ann', 'ben'], [documentOf(text, { ann: [['city hall', 'ORG'], ['Alice', 'PERSON']], ben: [['city', 'ORG'], ['Alice', 'PERSON']] })]),
      'ann',
      'ben'
    )
    expect(valueOf(boundary.strict.f1)).toBeCloseTo(1 / 2, 12)
    expect(valueOf(boundary.cohenKappa)).toBeGreaterThan(0.7)
  })

  it('ignores spans with tags outside the list and empty spans, and counts them', () => {
    const accumulator = new AgreementAccumulator({ annotators: ['ann', 'ben'], tags: TAGS })
    accumulator.addDocument({
      text: 'Alice went to Paris',
      layers: new Map([
        ['ann', [{ start: 0, end: 5, tag: 'PERSON' }, { start: 14, end: 19, tag: 'LOCATION' }, { start: 3, end: 3, tag: 'ORG' }]],
        ['ben', [{ start: 0, end: 5, tag: 'PERSON' }]]
      ])
    })
    const report = accumulator.report()
    expect(report.ignoredSpans).toBe(2)
    expect(pairOf(report, 'ann', 'ben').strict.f1).toEqual({ value: 1 })
  })
})

describe('AgreementAccumulator, three annotators', () => {
  const report = reportOf(
    ['ann', 'ben', 'cem'],
    [
      documentOf('Alice met Bob', { ann: [['Alice', 'PERSON'], ['Bob', 'PERSON']], ben: [['Alice', 'PERSON']], cem: [['Alice', 'PERSON'], ['Bob', 'PERSON']] }),
      documentOf('Acme hired Zed', { ann: [['Acme', 'ORG'], ['Zed', 'PERSON']], ben: [['Acme', 'ORG']], cem: null })
    ]
  )

  it('forms every pair, each over the documents both annotated', () => {
    expect(report.pairs.map((pair) => [...pair.annotators, pair.documents])).toEqual([
      ['ann', 'ben', 2],
      ['ann', 'cem', 1],
      ['ben', 'cem', 1]
    ])
    expect(valueOf(pairOf(report, 'ann', 'ben').strict.f1)).toBeCloseTo(2 / 3, 12) // 2 COR of 4 + 2 spans
    expect(valueOf(pairOf(report, 'ann', 'cem').strict.f1)).toBe(1)
    expect(valueOf(pairOf(report, 'ben', 'cem').strict.f1)).toBeCloseTo(2 / 3, 12)
    expect(valueOf(report.overall.meanStrictF1)).toBeCloseTo((2 / 3 + 1 + 2 / 3) / 3, 12)
    // ann's tokens of the document cem did not annotate: ORG, O, PERSON against missing.
    expect(pairOf(report, 'ann', 'cem').confusion.counts.map((row) => row[3])).toEqual([1, 1, 1, 0])
  })

  it("counts Fleiss' κ only where all three annotated, and α wherever two did", () => {
    // Fleiss over "Alice met Bob": counts [0,3,0], [0,0,3], [0,2,1]; P̄ = (23 − 9)/18 = 7/9,
    // P̄e = (5/9)² + (4/9)² = 41/81; κ = (63 − 41)/(81 − 41) = 0.55.
    expect(report.overall.fleissDocuments).toBe(1)
    expect(report.overall.fleissTokens).toBe(3)
    expect(valueOf(report.overall.fleissKappa)).toBeCloseTo(0.55, 12)
    // α over all six tokens, cem's values missing on the second document.
    const units = [
      ['PERSON', 'PERSON', 'PERSON'],
      ['O', 'O', 'O'],
      ['PERSON', 'O', 'PERSON'],
      ['ORG', 'ORG', null],
      ['O', 'O', null],
      ['PERSON', 'O', null]
    ]
    expect(report.overall.alphaDocuments).toBe(2)
    expect(report.overall.alphaTokens).toBe(6)
    expect(valueOf(report.overall.krippendorffAlpha)).toBeCloseTo(valueOf(krippendorffAlphaNominal(units)), 12)
    expect(valueOf(report.overall.krippendorffAlpha)).toBeCloseTo(1 - (14 * 4) / 136, 12) // by hand: n = 15, 4 disagreeing pairs
  })
})

describe('AgreementAccumulator, degenerate projects', () => {
  it('says "needs two annotators" with fewer than two', () => {
    const report = reportOf(['ann'], TWO_ANNOTATOR_PROJECT)
    expect(report.pairs).toEqual([])
    expect(report.overall.fleissKappa).toEqual({ value: null, reason: 'needs two annotators' })
    expect(report.overall.krippendorffAlpha).toEqual({ value: null, reason: 'needs two annotators' })
    expect(report.overall.meanStrictF1).toEqual({ value: null, reason: 'needs two annotators' })
    expect(report.perTag[0]?.fleissKappa).toEqual({ value: null, reason: 'needs two annotators' })
  })

  it('says why when there are no tokens, no spans, or one label everywhere', () => {
    const noTokens = pairOf(reportOf(['ann', 'ben'], [documentOf('… — !', { ann: [], ben: [] })]), 'ann', 'ben')
    expect(noTokens.cohenKappa).toEqual({ value: null, reason: 'no tokens' })
    expect(noTokens.strict.f1).toEqual({ value: null, reason: 'neither ann nor ben marked a span' })
    const allO = reportOf(['ann', 'ben', 'cem'], [documentOf('Plain words only', { ann: [], ben: [], cem: [] })])
    expect(pairOf(allO, 'ann', 'ben').cohenKappa).toEqual({ value: null, reason: 'all tokens have the same label, κ is undefined' })
    expect(allO.overall.fleissKappa).toEqual({ value: null, reason: 'all tokens have the same label, κ is undefined' })
    expect(allO.overall.krippendorffAlpha).toEqual({ value: null, reason: 'all tokens have the same label, α is undefined' })
    expect(allO.overall.meanStrictF1).toEqual({ value: null, reason: 'no pair of annotators has an F1 (neither ann nor ben marked a span)' })
    const noneComplete = reportOf(['ann', 'ben', 'cem'], [documentOf('Alice met Bob', { ann: [['Alice', 'PERSON']], ben: [], cem: null })])
    expect(noneComplete.overall.fleissKappa).toEqual({ value: null, reason: 'no document has layers by all 3 annotators' })
    expect(noneComplete.overall.krippendorffAlpha.value).not.toBeNull()
  })

  it('refuses an annotator or tag listed twice', () => {
    expect(() => new AgreementAccumulator({ annotators: ['ann', 'ann'], tags: TAGS })).toThrow(/twice/)
    expect(() => new AgreementAccumulator({ annotators: ['ann'], tags: ['ORG', 'ORG'] })).toThrow(/twice/)
  })
})

describe('AgreementAccumulator at project scale', () => {
  it('takes 10,000 small documents × 3 annotators in one pass, keeping only sums', () => {
    const text = 'On Monday the Heydar Aliyev Foundation and Baku State University opened the Youth Programme, said Leyla Əliyeva.'
    const documentOfIndex = (index: number): AgreementDocument =>
      documentOf(text, {
        ann: [['Heydar Aliyev Foundation', 'ORG'], ['Heydar Aliyev', 'PERSON'], ['Baku State University', 'ORG'], ['Leyla Əliyeva', 'PERSON']],
        ben: index % 3 === 0 ? null : [['Heydar Aliyev Foundation', 'ORG'], ['Baku State', 'ORG'], ['Leyla Əliyeva', 'PERSON']],
        cem: index % 5 === 0 ? [] : [['Heydar Aliyev', 'PERSON'], ['Baku State University', 'ORG'], ['Leyla', 'PERSON'], ['Youth Programme', 'ORG']]
      })
    const documents = 10_000
    const accumulator = new AgreementAccumulator({ annotators: ['ann', 'ben', 'cem'], tags: TAGS })
    for (let index = 0; index < documents; index++) accumulator.addDocument(documentOfIndex(index))
    const report = accumulator.report()
    const tokensPerDocument = report.tokens / documents
    expect(tokensPerDocument).toBe(17)
    expect(report.documents).toBe(documents)
    expect(pairOf(report, 'ann', 'ben').documents).toBe(documents - Math.ceil(documents / 3))
    expect(report.overall.fleissDocuments).toBe(documents - Math.ceil(documents / 3))
    expect(report.overall.alphaDocuments).toBe(documents)

    // Nothing of a document is kept but its sums: the counts are those of the 15 kinds of
    // document (index mod 15), each computed alone, times how often each kind occurs.
    const pairCounts = new Map<string, number[][]>()
    for (let kind = 0; kind < 15; kind++) {
      const occurrences = Math.floor((documents - 1 - kind) / 15) + 1
      const single = reportOf(['ann', 'ben', 'cem'], [documentOfIndex(kind)])
      for (const pair of single.pairs) {
        const key = pair.annotators.join('–')
        const sum = pairCounts.get(key) ?? pair.confusion.counts.map((row) => row.map(() => 0))
        pair.confusion.counts.forEach((row, r) => row.forEach((count, c) => ((sum[r] as number[])[c] = ((sum[r] as number[])[c] as number) + count * occurrences)))
        pairCounts.set(key, sum)
      }
    }
    for (const pair of report.pairs) expect(pair.confusion.counts).toEqual(pairCounts.get(pair.annotators.join('–')))
    expect(valueOf(report.overall.krippendorffAlpha)).toBeGreaterThan(0)
  })
})
