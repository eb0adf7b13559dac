import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  CoincidenceMatrix,
  ConfusionMatrix,
  FleissAccumulator,
  cohenKappa,
  fleissKappa,
  krippendorffAlphaNominal,
  type MeasureValue
} from '../../src/core/review/agreement-measures'

const valueOf = (measure: MeasureValue): number => {
  if (measure.value === null) throw new Error(`expected a value, got null: ${measure.reason}`)
  return measure.value
}

// Fleiss (1971) via Wikipedia "Fleiss' kappa": 10 subjects, 14 raters, 5 categories.
const WIKIPEDIA_FLEISS_TABLE = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7]
]

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers ×
// 12 units, '.' missing; nominal α = 0.743.
const KRIPPENDORFF_OBSERVERS = ['1 2 3 3 2 1 4 1 2 . . .', '1 2 3 3 2 2 4 1 2 5 . 3', '. 3 3 3 2 3 4 2 2 5 1 .', '1 2 3 3 2 4 4 1 2 5 1 .'].map((row) =>
  row.split(' ').map((value) => (value === '.' ? null : value))
)
const KRIPPENDORFF_UNITS = (KRIPPENDORFF_OBSERVERS[0] as (string | null)[]).map((_, unit) => KRIPPENDORFF_OBSERVERS.map((observer) => observer[unit] as string | null))

describe('published reference values', () => {
  it("Cohen's κ of [[0,4,1],[0,8,0],[0,1,5]] is 0.4842", () => {
    expect(valueOf(cohenKappa([[0, 4, 1], [0, 8, 0], [0, 1, 5]]))).toBeCloseTo(0.4842, 4)
  })

  it("Fleiss' κ of the Wikipedia example is 0.210", () => {
    expect(valueOf(fleissKappa(WIKIPEDIA_FLEISS_TABLE))).toBeCloseTo(0.21, 3)
  })

  it("Krippendorff's nominal α of Krippendorff's (2011) reliability data is 0.743", () => {
    expect(valueOf(krippendorffAlphaNominal(KRIPPENDORFF_UNITS))).toBeCloseTo(0.743, 3)
  })

  it('builds the coincidence matrix of that example as the paper does (unit 12 has one value and is left out)', () => {
    const values = ['1', '2', '3', '4', '5']
    const matrix = new CoincidenceMatrix(values.length)
    for (const unit of KRIPPENDORFF_UNITS) {
      matrix.addUnit(values.map((value) => unit.filter((given) => given === value).length))
    }
    expect(matrix.pairableUnits).toBe(11)
    expect(matrix.pairableValues).toBe(40)
    // The paper's row sums n_c: 9, 13, 10, 5, 3.
    expect(matrix.toRows().map((row) => row.reduce((sum, cell) => sum + cell, 0))).toEqual([9, 13, 10, 5, 3].map((n) => expect.closeTo(n, 10)))
    expect(matrix.get(0, 0)).toBeCloseTo(7, 10)
    expect(matrix.get(0, 1)).toBeCloseTo(4 / 3, 10)
    expect(valueOf(matrix.alphaNominal())).toBeCloseTo(0.743, 3)
  })
})

describe('undefined figures are null with a reason, never NaN', () => {
  it("Cohen's κ", () => {
    expect(cohenKappa([])).toEqual({ value: null, reason: 'no items' })
    expect(cohenKappa([[0, 0], [0, 0]], { items: 'tokens' })).toEqual({ value: null, reason: 'no tokens' })
    expect(cohenKappa([[0, 0], [0, 7]], { items: 'tokens' })).toEqual({ value: null, reason: 'all tokens have the same label, κ is undefined' })
    expect(cohenKappa([[3, 0], [0, 4]])).toEqual({ value: 1 })
    // Both raters always disagree in a two-label world: κ = −1.
    expect(valueOf(cohenKappa([[0, 5], [5, 0]]))).toBeCloseTo(-1, 12)
    // One rater constant, the other not: p_e = p_o, so κ = 0 (defined).
    expect(valueOf(cohenKappa([[3, 4], [0, 0]]))).toBeCloseTo(0, 12)
  })

  it("Fleiss' κ", () => {
    expect(fleissKappa([])).toEqual({ value: null, reason: 'no items' })
    expect(fleissKappa([[1, 0], [0, 1]])).toEqual({ value: null, reason: 'each of the items needs ratings from at least two raters' })
    expect(fleissKappa([[3, 0], [3, 0]], { items: 'tokens' })).toEqual({ value: null, reason: 'all tokens have the same label, κ is undefined' })
    expect(new FleissAccumulator(3, 2).kappa({ items: 'tokens' })).toEqual({ value: null, reason: 'no tokens' })
    expect(fleissKappa([[2, 0], [0, 2]])).toEqual({ value: 1 })
  })

  it("Krippendorff's α", () => {
    expect(krippendorffAlphaNominal([])).toEqual({ value: null, reason: 'no items with values from two observers' })
    expect(krippendorffAlphaNominal([['a', null], [null, 'b']])).toEqual({ value: null, reason: 'no items with values from two observers' })
    expect(krippendorffAlphaNominal([['a', 'a'], ['a', null, 'a']], { items: 'tokens' })).toEqual({ value: null, reason: 'all tokens have the same label, α is undefined' })
    // Perfect agreement is exactly 1, not 0.9999999999999998.
    expect(krippendorffAlphaNominal([['a', 'a', 'a'], ['b', 'b', null], ['c', null, 'c']])).toEqual({ value: 1 })
  })

  it('refuses malformed input rather than computing nonsense', () => {
    expect(() => cohenKappa([[1, 2], [3]])).toThrow(/square/)
    expect(() => fleissKappa([[1, 1], [2, 1]])).toThrow(/2 ratings/)
    expect(() => new FleissAccumulator(2, 3).addSubject([1, 1, 1])).toThrow(/2 category counts/)
    expect(() => new CoincidenceMatrix(2).addUnit([-1, 3])).toThrow(/whole numbers/)
    expect(() => new ConfusionMatrix(2).merge(new ConfusionMatrix(3))).toThrow(/merge/)
  })
})

/** Splits a list into consecutive chunks at the given cut points (fractions of its length). */
function chunksOf<T>(items: readonly T[], cuts: readonly number[]): T[][] {
  const positions = [...new Set(cuts.map((cut) => Math.floor(cut * items.length)))].sort((a, b) => a - b)
  const chunks: T[][] = []
  let from = 0
  for (const position of [...positions, items.length]) {
    chunks.push(items.slice(from, position))
    from = position
  }
  return chunks
}

const cutPoints = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 })

/** Both null with the same reason, or both numbers equal to 10 decimals. */
function expectSameMeasure(actual: MeasureValue, expected: MeasureValue): void {
  if (expected.value === null || actual.value === null) expect(actual).toEqual(expected)
  else expect(actual.value).toBeCloseTo(expected.value, 10)
}

describe('streaming accumulation equals the one-shot computation', () => {
  it("Cohen's κ: confusion matrices of chunks, merged", () => {
    const labelCount = 4
    const pairs = fc.array(fc.tuple(fc.nat(labelCount - 1), fc.nat(labelCount - 1)), { maxLength: 200 })
    fc.assert(
      fc.property(pairs, cutPoints, (items, cuts) => {
        const oneShot = Array.from({ length: labelCount }, () => new Array<number>(labelCount).fill(0))
        for (const [a, b] of items) {
          const row = oneShot[a] as number[]
          row[b] = (row[b] as number) + 1
        }
        const merged = new ConfusionMatrix(labelCount)
        for (const chunk of chunksOf(items, cuts)) {
          const part = new ConfusionMatrix(labelCount)
          for (const [a, b] of chunk) part.add(a, b)
          merged.merge(part)
        }
        expectSameMeasure(merged.kappa(), cohenKappa(oneShot))
        expect(merged.toRows()).toEqual(oneShot)
      })
    )
  })

  it("Fleiss' κ: sums of chunks, merged, equal the table's κ and the textbook formula", () => {
    const raters = 3
    const categories = 3
    const subject = fc.array(fc.nat(categories - 1), { minLength: raters, maxLength: raters }).map((ratings) => {
      const counts = new Array<number>(categories).fill(0)
      for (const rating of ratings) counts[rating] = (counts[rating] as number) + 1
      return counts
    })
    fc.assert(
      fc.property(fc.array(subject, { maxLength: 60 }), cutPoints, (table, cuts) => {
        const merged = new FleissAccumulator(categories, raters)
        for (const chunk of chunksOf(table, cuts)) {
          const part = new FleissAccumulator(categories, raters)
          for (const counts of chunk) part.addSubject(counts)
          merged.merge(part)
        }
        const oneShot = fleissKappa(table)
        expectSameMeasure(merged.kappa(), oneShot)
        if (oneShot.value !== null) expect(oneShot.value).toBeCloseTo(textbookFleiss(table), 10)
      })
    )
  })

  it("Krippendorff's α: coincidence matrices of chunks, merged, equal the one-shot α and a pair-by-pair count", () => {
    const unit = fc.array(fc.option(fc.constantFrom('PERSON', 'ORG', 'O'), { nil: null }), { minLength: 1, maxLength: 4 })
    const categories = ['PERSON', 'ORG', 'O']
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 60 }), cutPoints, (units, cuts) => {
        const merged = new CoincidenceMatrix(categories.length)
        for (const chunk of chunksOf(units, cuts)) {
          const part = new CoincidenceMatrix(categories.length)
          for (const values of chunk) part.addUnit(categories.map((category) => values.filter((value) => value === category).length))
          merged.merge(part)
        }
        const oneShot = krippendorffAlphaNominal(units)
        expectSameMeasure(merged.alphaNominal(), oneShot)
        if (oneShot.value !== null) expect(oneShot.value).toBeCloseTo(pairByPairAlpha(units), 10)
      })
    )
  })
})

/** Fleiss' κ as Wikipedia writes it: the mean of the per-subject P_i against Σ p_j². */
function textbookFleiss(table: number[][]): number {
  const n = (table[0] as number[]).reduce((sum, count) => sum + count, 0)
  const perSubject = table.map((row) => (row.reduce((sum, count) => sum + count * count, 0) - n) / (n * (n - 1)))
  const meanAgreement = perSubject.reduce((sum, p) => sum + p, 0) / table.length
  const shares = (table[0] as number[]).map((_, category) => table.reduce((sum, row) => sum + (row[category] as number), 0) / (table.length * n))
  const chanceAgreement = shares.reduce((sum, share) => sum + share * share, 0)
  return (meanAgreement - chanceAgreement) / (1 - chanceAgreement)
}

/**
 * α = 1 − D_o / D_e from its definition, without a coincidence matrix: D_o averages the
 * disagreement of the ordered pairs of values within each unit (weighted 1/(m_u − 1)), D_e that
 * of all ordered pairs of pairable values in the whole data.
 */
function pairByPairAlpha(units: (string | null)[][]): number {
  const pairable = units.map((unit) => unit.filter((value): value is string => value !== null)).filter((values) => values.length >= 2)
  const all = pairable.flat()
  const n = all.length
  let observed = 0
  for (const values of pairable) {
    for (let i = 0; i < values.length; i++) for (let j = 0; j < values.length; j++) if (i !== j && values[i] !== values[j]) observed += 1 / (values.length - 1)
  }
  let expected = 0
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j && all[i] !== all[j]) expected++
  return 1 - (observed / n) / (expected / (n * (n - 1)))
}
