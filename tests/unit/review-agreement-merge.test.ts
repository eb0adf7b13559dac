// A project's agreement is measured in batches of documents on worker threads, each batch in an
// accumulator of its own whose sums are posted back (structured clone) and merged. The merged
// report must be the report of one accumulator over every document — to the last digit with
// two or three annotators, whatever the batches.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AgreementAccumulator, type AgreementDocument, type AgreementReport } from '../../src/core/review/agreement'
import type { MeasureValue } from '../../src/core/review/agreement-measures'
import type { TaggedSpan } from '../../src/core/review/tokens'

const SEED = 8_2026
const TAGS = ['PERSON', 'ORG', 'EVENT']
const WORDS = ['Emin', 'Əmrullayev', 'met', 'ISESCO', 'in', 'Bakı', 'on', '14,', 'café', 'وزير', '2026', '😀', 'al-Malik', "O'Neill", '.']

/** A document of words, and per annotator a layer of spans over them (or null: no layer). */
function documentArbitrary(annotators: readonly string[]): fc.Arbitrary<AgreementDocument> {
  return fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 40 }).chain((words) => {
    const text = words.join(' ')
    const span = fc
      .record({ start: fc.nat({ max: text.length }), length: fc.integer({ min: -1, max: 20 }), tag: fc.constantFrom(...TAGS, 'UNKNOWN') })
      .map(({ start, length, tag }): TaggedSpan => ({ start, end: Math.min(text.length, start + length), tag }))
    const layer = fc.option(fc.array(span, { maxLength: 12 }), { nil: null, freq: 5 })
    return fc.tuple(...annotators.map(() => layer)).map((layers) => ({ text, layers: new Map(annotators.map((annotator, index) => [annotator, layers[index] ?? null])) }))
  })
}

function reportOver(annotators: readonly string[], documents: readonly AgreementDocument[]): AgreementReport {
  const accumulator = new AgreementAccumulator({ annotators, tags: TAGS })
  for (const document of documents) accumulator.addDocument(document)
  return accumulator.report()
}

/** The documents cut at `cuts`, each batch in its own accumulator, merged as the service merges them (sums cloned as postMessage clones them). */
function mergedReport(annotators: readonly string[], documents: readonly AgreementDocument[], cuts: readonly number[]): AgreementReport {
  const boundaries = [...new Set([0, ...cuts.map((cut) => cut % (documents.length + 1)), documents.length])].sort((a, b) => a - b)
  const merged = new AgreementAccumulator({ annotators, tags: TAGS })
  for (let index = 1; index < boundaries.length; index++) {
    const batch = new AgreementAccumulator({ annotators, tags: TAGS })
    for (const document of documents.slice(boundaries[index - 1], boundaries[index])) batch.addDocument(document)
    merged.addSums(structuredClone(batch.toSums()))
  }
  return merged.report()
}

describe('merging agreement accumulators', () => {
  for (const annotators of [['Aylin', 'Bora'], ['Aylin', 'Bora', 'Cem']]) {
    it(`gives exactly the report of one accumulator over all documents (${annotators.length} annotators)`, () => {
      fc.assert(
        fc.property(fc.array(documentArbitrary(annotators), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 5 }), (documents, cuts) => {
          expect(mergedReport(annotators, documents, cuts)).toStrictEqual(reportOver(annotators, documents))
        }),
        { seed: SEED, numRuns: 300 }
      )
    })
  }

  it('merges accumulators themselves, and an empty one changes nothing', () => {
    const annotators = ['Aylin', 'Bora', 'Cem']
    const documents = fc.sample(documentArbitrary(annotators), { seed: SEED, numRuns: 20 })
    const first = new AgreementAccumulator({ annotators, tags: TAGS })
    const second = new AgreementAccumulator({ annotators, tags: TAGS })
    documents.forEach((document, index) => (index % 3 === 0 ? first : second).addDocument(document))
    first.merge(second)
    first.merge(new AgreementAccumulator({ annotators, tags: TAGS }))
    const expected = reportOver(annotators, documents)
    expect(first.report()).toStrictEqual(expected)
    expect(AgreementAccumulator.fromSums(structuredClone(first.toSums())).report()).toStrictEqual(expected)
    expect(expected.documents).toBe(20)
  })

  it('with four annotators agrees up to rounding', () => {
    const annotators = ['Aylin', 'Bora', 'Cem', 'Dana']
    fc.assert(
      fc.property(fc.array(documentArbitrary(annotators), { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 4 }), (documents, cuts) => {
        const merged = mergedReport(annotators, documents, cuts)
        const whole = reportOver(annotators, documents)
        // Every count is exact; only α's coincidences (weighted by ⅓) may round differently.
        expect({ ...merged, overall: null, perTag: null }).toStrictEqual({ ...whole, overall: null, perTag: null })
        const alphas = (report: AgreementReport): MeasureValue[] => [report.overall, ...report.perTag].map((group) => group.krippendorffAlpha)
        alphas(merged).forEach((alpha, index) => {
          const expected = alphas(whole)[index] as MeasureValue
          if (alpha.value === null || expected.value === null) expect(alpha).toStrictEqual(expected)
          else expect(alpha.value).toBeCloseTo(expected.value, 12)
        })
        expect(merged.overall.fleissKappa).toStrictEqual(whole.overall.fleissKappa)
      }),
      { seed: SEED, numRuns: 100 }
    )
  })

  it('refuses sums over other annotators or tags', () => {
    const accumulator = new AgreementAccumulator({ annotators: ['Aylin', 'Bora'], tags: TAGS })
    expect(() => accumulator.addSums(new AgreementAccumulator({ annotators: ['Bora', 'Aylin'], tags: TAGS }).toSums())).toThrow(RangeError)
    expect(() => accumulator.merge(new AgreementAccumulator({ annotators: ['Aylin', 'Bora'], tags: ['ORG'] }))).toThrow(/cannot merge/)
  })
})
