// Chance-corrected agreement statistics: Cohen's κ, Fleiss' κ and Krippendorff's α (nominal).
// Each one is an accumulator of a few sums that can be fed one item at a time and merged, so
// a project of 10,000 documents is measured in memory that does not grow with it; the
// functions taking a whole table are thin wrappers over the accumulators.
// A figure that is undefined (no items, or nothing to disagree about) is returned as null
// with a reason the UI can print, never as NaN.

/** A statistic, or null with the reason it is undefined (e.g. "no tokens"). */
export type MeasureValue = { value: number; reason?: never } | { value: null; reason: string }

export const measured = (value: number): MeasureValue => ({ value })
export const unmeasured = (reason: string): MeasureValue => ({ value: null, reason })

/** How reasons name the things being rated, e.g. "tokens"; the default is "items". */
export interface MeasureWording {
  items: string
}

const DEFAULT_WORDING: MeasureWording = { items: 'items' }

/** A ConfusionMatrix as plain data: counts row by row. */
export interface ConfusionSums {
  size: number
  counts: Float64Array
}

/**
 * Counts of items by the label rater A gave (row) and the label rater B gave (column), over a
 * fixed list of labels: Cohen's κ state.
 */
export class ConfusionMatrix {
  readonly size: number
  readonly #counts: Float64Array

  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a confusion matrix needs at least one label, got ${size}`)
    this.size = size
    this.#counts = new Float64Array(size * size)
  }

  static fromRows(rows: readonly (readonly number[])[]): ConfusionMatrix {
    const matrix = new ConfusionMatrix(Math.max(1, rows.length))
    rows.forEach((row, rowIndex) => {
      if (row.length !== rows.length) throw new RangeError(`the confusion matrix must be square: row ${rowIndex} has ${row.length} cells, not ${rows.length}`)
      row.forEach((count, columnIndex) => matrix.add(rowIndex, columnIndex, count))
    })
    return matrix
  }

  add(row: number, column: number, count = 1): void {
    if (!(count >= 0)) throw new RangeError(`counts cannot be negative: ${count}`)
    const cell = this.#cell(row, column)
    this.#counts[cell] = (this.#counts[cell] as number) + count
  }

  get(row: number, column: number): number {
    return this.#counts[this.#cell(row, column)] as number
  }

  merge(other: ConfusionMatrix): void {
    if (other.size !== this.size) throw new RangeError(`cannot merge a ${other.size}-label confusion matrix into a ${this.size}-label one`)
    addInto(this.#counts, other.#counts)
  }

  /** The counts as plain data, which a worker thread can post (a class instance loses its fields). */
  toSums(): ConfusionSums {
    return { size: this.size, counts: this.#counts.slice() }
  }

  static fromSums(sums: ConfusionSums): ConfusionMatrix {
    const matrix = new ConfusionMatrix(sums.size)
    copyInto(matrix.#counts, sums.counts, 'confusion matrix')
    return matrix
  }

  total(): number {
    let total = 0
    for (const count of this.#counts) total += count
    return total
  }

  toRows(): number[][] {
    return Array.from({ length: this.size }, (_, row) => Array.from(this.#counts.subarray(row * this.size, (row + 1) * this.size)))
  }

  /** Cohen's κ = (p_o − p_e) / (1 − p_e), with p_e from each rater's own label distribution. */
  kappa(wording: MeasureWording = DEFAULT_WORDING): MeasureValue {
    const total = this.total()
    if (total === 0) return unmeasured(`no ${wording.items}`)
    let agreed = 0
    let chanceProducts = 0 // Σ_i rowTotal_i · columnTotal_i
    for (let label = 0; label < this.size; label++) {
      let rowTotal = 0
      let columnTotal = 0
      for (let other = 0; other < this.size; other++) {
        rowTotal += this.get(label, other)
        columnTotal += this.get(other, label)
      }
      // p_e = 1 exactly when both raters gave every item this one label; then p_o = 1 too and
      // κ is 0/0. Compared on the integer totals, not on p_e, so rounding cannot hide it.
      if (rowTotal === total && columnTotal === total) return unmeasured(`all ${wording.items} have the same label, κ is undefined`)
      agreed += this.get(label, label)
      chanceProducts += rowTotal * columnTotal
    }
    // (p_o − p_e) / (1 − p_e) multiplied through by total², so only one division rounds.
    return measured((total * agreed - chanceProducts) / (total * total - chanceProducts))
  }

  #cell(row: number, column: number): number {
    if (!Number.isInteger(row) || !Number.isInteger(column) || row < 0 || column < 0 || row >= this.size || column >= this.size) {
      throw new RangeError(`no cell (${row}, ${column}) in a ${this.size}-label confusion matrix`)
    }
    return row * this.size + column
  }
}

/** Cohen's κ of a square matrix of counts (rows: rater A's labels, columns: rater B's). */
export function cohenKappa(confusion: readonly (readonly number[])[], wording: MeasureWording = DEFAULT_WORDING): MeasureValue {
  if (confusion.length === 0) return unmeasured(`no ${wording.items}`)
  return ConfusionMatrix.fromRows(confusion).kappa(wording)
}

/** A FleissAccumulator as plain data. */
export interface FleissSums {
  categoryCount: number
  ratersPerSubject: number
  subjects: number
  sumOfSquaredCounts: number
  categoryTotals: Float64Array
}

/**
 * Fleiss' κ state: each subject (item) is rated by the same number of raters, and only the
 * number of raters per category matters. Keeps the subject count, the per-category totals and
 * Σ_i Σ_j n_ij² — that sum stands for the per-subject agreements P_i = (Σ_j n_ij² − n) / (n(n − 1)),
 * kept as an integer so that accumulating millions of subjects loses nothing to rounding.
 */
export class FleissAccumulator {
  readonly categoryCount: number
  readonly ratersPerSubject: number
  #subjects = 0
  #sumOfSquaredCounts = 0
  readonly #categoryTotals: Float64Array

  constructor(categoryCount: number, ratersPerSubject: number) {
    if (!Number.isInteger(categoryCount) || categoryCount < 1) throw new RangeError(`Fleiss' κ needs at least one category, got ${categoryCount}`)
    if (!Number.isInteger(ratersPerSubject) || ratersPerSubject < 0) throw new RangeError(`invalid number of raters: ${ratersPerSubject}`)
    this.categoryCount = categoryCount
    this.ratersPerSubject = ratersPerSubject
    this.#categoryTotals = new Float64Array(categoryCount)
  }

  get subjects(): number {
    return this.#subjects
  }

  /**
   * One subject: how many raters put it in each category (they must add up to ratersPerSubject).
   * `subjects`: that many subjects rated exactly so (token statistics add each distinct pattern once).
   */
  addSubject(countsByCategory: ArrayLike<number>, subjects = 1): void {
    if (!Number.isInteger(subjects) || subjects < 0) throw new RangeError(`the number of subjects must be a whole number ≥ 0, got ${subjects}`)
    if (countsByCategory.length !== this.categoryCount) throw new RangeError(`expected ${this.categoryCount} category counts, got ${countsByCategory.length}`)
    let raters = 0
    let squares = 0
    for (let category = 0; category < this.categoryCount; category++) {
      const count = countsByCategory[category] as number
      if (!Number.isInteger(count) || count < 0) throw new RangeError(`category counts must be whole numbers ≥ 0, got ${count}`)
      raters += count
      squares += count * count
    }
    if (raters !== this.ratersPerSubject) throw new RangeError(`every subject needs ${this.ratersPerSubject} ratings, this one has ${raters}`)
    for (let category = 0; category < this.categoryCount; category++) {
      this.#categoryTotals[category] = (this.#categoryTotals[category] as number) + (countsByCategory[category] as number) * subjects
    }
    this.#sumOfSquaredCounts += squares * subjects
    this.#subjects += subjects
  }

  merge(other: FleissAccumulator): void {
    if (other.categoryCount !== this.categoryCount || other.ratersPerSubject !== this.ratersPerSubject) {
      throw new RangeError('cannot merge Fleiss accumulators with different categories or raters')
    }
    this.#subjects += other.#subjects
    this.#sumOfSquaredCounts += other.#sumOfSquaredCounts
    addInto(this.#categoryTotals, other.#categoryTotals)
  }

  toSums(): FleissSums {
    return {
      categoryCount: this.categoryCount,
      ratersPerSubject: this.ratersPerSubject,
      subjects: this.#subjects,
      sumOfSquaredCounts: this.#sumOfSquaredCounts,
      categoryTotals: this.#categoryTotals.slice()
    }
  }

  static fromSums(sums: FleissSums): FleissAccumulator {
    const accumulator = new FleissAccumulator(sums.categoryCount, sums.ratersPerSubject)
    accumulator.#subjects = sums.subjects
    accumulator.#sumOfSquaredCounts = sums.sumOfSquaredCounts
    copyInto(accumulator.#categoryTotals, sums.categoryTotals, 'Fleiss accumulator')
    return accumulator
  }

  /** κ = (P̄ − P̄_e) / (1 − P̄_e), P̄ the mean of the P_i, P̄_e = Σ_j p_j² with p_j the share of all ratings in category j. */
  kappa(wording: MeasureWording = DEFAULT_WORDING): MeasureValue {
    const raters = this.ratersPerSubject
    if (raters < 2) return unmeasured(`each of the ${wording.items} needs ratings from at least two raters`)
    const subjects = this.#subjects
    if (subjects === 0) return unmeasured(`no ${wording.items}`)
    const ratings = subjects * raters
    let chanceAgreement = 0
    for (const total of this.#categoryTotals) {
      if (total === ratings) return unmeasured(`all ${wording.items} have the same label, κ is undefined`)
      chanceAgreement += (total / ratings) ** 2
    }
    const meanAgreement = (this.#sumOfSquaredCounts - ratings) / (ratings * (raters - 1))
    return measured((meanAgreement - chanceAgreement) / (1 - chanceAgreement))
  }
}

/** Fleiss' κ of a subjects × categories table of counts; every row must add up to the same n ≥ 2. */
export function fleissKappa(table: readonly (readonly number[])[], wording: MeasureWording = DEFAULT_WORDING): MeasureValue {
  const first = table[0]
  if (first === undefined) return unmeasured(`no ${wording.items}`)
  const raters = first.reduce((sum, count) => sum + count, 0)
  const accumulator = new FleissAccumulator(Math.max(1, first.length), raters)
  for (const row of table) accumulator.addSubject(row)
  return accumulator.kappa(wording)
}

/** A CoincidenceMatrix as plain data. */
export interface CoincidenceSums {
  categoryCount: number
  coincidences: Float64Array
  valuesByCategory: Float64Array
  units: number
}

/**
 * Krippendorff's coincidence matrix: o_ck sums, over units with m ≥ 2 values, the number of
 * ordered pairs of values (c, k) from different observers weighted by 1/(m − 1), so each unit
 * contributes exactly m pairable values whatever its number of observers. Units with fewer than
 * two values have no pairs and are left out, which is how α handles missing values.
 */
export class CoincidenceMatrix {
  readonly categoryCount: number
  readonly #coincidences: Float64Array
  /** n_c: pairable values per category (the row sums of the matrix, kept exactly as integers). */
  readonly #valuesByCategory: Float64Array
  #units = 0

  constructor(categoryCount: number) {
    if (!Number.isInteger(categoryCount) || categoryCount < 1) throw new RangeError(`a coincidence matrix needs at least one category, got ${categoryCount}`)
    this.categoryCount = categoryCount
    this.#coincidences = new Float64Array(categoryCount * categoryCount)
    this.#valuesByCategory = new Float64Array(categoryCount)
  }

  /** Units that had at least two values (the ones α counts). */
  get pairableUnits(): number {
    return this.#units
  }

  /** n: all values in pairable units. */
  get pairableValues(): number {
    let values = 0
    for (const count of this.#valuesByCategory) values += count
    return values
  }

  /**
   * One unit, as the number of observers who gave each category (missing values are simply not
   * counted). `units`: that many units with exactly these values.
   */
  addUnit(countsByCategory: ArrayLike<number>, units = 1): void {
    if (!Number.isInteger(units) || units < 0) throw new RangeError(`the number of units must be a whole number ≥ 0, got ${units}`)
    if (countsByCategory.length !== this.categoryCount) throw new RangeError(`expected ${this.categoryCount} category counts, got ${countsByCategory.length}`)
    let values = 0
    for (let category = 0; category < this.categoryCount; category++) {
      const count = countsByCategory[category] as number
      if (!Number.isInteger(count) || count < 0) throw new RangeError(`category counts must be whole numbers ≥ 0, got ${count}`)
      values += count
    }
    if (values < 2 || units === 0) return
    const pairWeight = 1 / (values - 1)
    for (let first = 0; first < this.categoryCount; first++) {
      const firstCount = countsByCategory[first] as number
      if (firstCount === 0) continue
      this.#valuesByCategory[first] = (this.#valuesByCategory[first] as number) + firstCount * units
      for (let second = 0; second < this.categoryCount; second++) {
        const secondCount = countsByCategory[second] as number
        if (secondCount === 0) continue
        // A value never pairs with itself: n_c(n_c − 1) pairs on the diagonal.
        const pairs = first === second ? firstCount * (firstCount - 1) : firstCount * secondCount
        const cell = first * this.categoryCount + second
        // pairs · units is a whole number, so with two or three observers (a weight of 1 or ½)
        // this adds exactly what adding the units one at a time would.
        if (pairs > 0) this.#coincidences[cell] = (this.#coincidences[cell] as number) + pairs * units * pairWeight
      }
    }
    this.#units += units
  }

  merge(other: CoincidenceMatrix): void {
    if (other.categoryCount !== this.categoryCount) throw new RangeError(`cannot merge a ${other.categoryCount}-category coincidence matrix into a ${this.categoryCount}-category one`)
    addInto(this.#coincidences, other.#coincidences)
    addInto(this.#valuesByCategory, other.#valuesByCategory)
    this.#units += other.#units
  }

  toSums(): CoincidenceSums {
    return {
      categoryCount: this.categoryCount,
      coincidences: this.#coincidences.slice(),
      valuesByCategory: this.#valuesByCategory.slice(),
      units: this.#units
    }
  }

  static fromSums(sums: CoincidenceSums): CoincidenceMatrix {
    const matrix = new CoincidenceMatrix(sums.categoryCount)
    copyInto(matrix.#coincidences, sums.coincidences, 'coincidence matrix')
    copyInto(matrix.#valuesByCategory, sums.valuesByCategory, 'coincidence matrix')
    matrix.#units = sums.units
    return matrix
  }

  get(first: number, second: number): number {
    if (first < 0 || second < 0 || first >= this.categoryCount || second >= this.categoryCount) throw new RangeError(`no cell (${first}, ${second})`)
    return this.#coincidences[first * this.categoryCount + second] as number
  }

  toRows(): number[][] {
    return Array.from({ length: this.categoryCount }, (_, row) => Array.from(this.#coincidences.subarray(row * this.categoryCount, (row + 1) * this.categoryCount)))
  }

  /**
   * Nominal α = 1 − D_o / D_e = 1 − (n − 1) · Σ_{c≠k} o_ck / Σ_{c≠k} n_c · n_k.
   * Written with the off-diagonal (disagreeing) sums so that perfect agreement gives exactly 1.
   */
  alphaNominal(wording: MeasureWording = DEFAULT_WORDING): MeasureValue {
    const values = this.pairableValues
    if (values === 0) return unmeasured(`no ${wording.items} with values from two observers`)
    let expectedDisagreements = 0 // Σ_{c≠k} n_c n_k = Σ_c n_c (n − n_c)
    for (const count of this.#valuesByCategory) {
      if (count === values) return unmeasured(`all ${wording.items} have the same label, α is undefined`)
      expectedDisagreements += count * (values - count)
    }
    let observedDisagreements = 0
    for (let first = 0; first < this.categoryCount; first++) {
      for (let second = 0; second < this.categoryCount; second++) {
        if (first !== second) observedDisagreements += this.#coincidences[first * this.categoryCount + second] as number
      }
    }
    return measured(1 - ((values - 1) * observedDisagreements) / expectedDisagreements)
  }
}

/**
 * Nominal Krippendorff's α of reliability data given unit by unit: units[u][o] is the value
 * observer o gave unit u, or null when missing. Units with fewer than two values are ignored.
 */
export function krippendorffAlphaNominal(units: readonly (readonly (string | null)[])[], wording: MeasureWording = DEFAULT_WORDING): MeasureValue {
  const categoryIndex = new Map<string, number>()
  for (const unit of units) for (const value of unit) if (value !== null && !categoryIndex.has(value)) categoryIndex.set(value, categoryIndex.size)
  const matrix = new CoincidenceMatrix(Math.max(1, categoryIndex.size))
  const counts = new Float64Array(matrix.categoryCount)
  for (const unit of units) {
    counts.fill(0)
    for (const value of unit) {
      if (value === null) continue
      const category = categoryIndex.get(value) as number
      counts[category] = (counts[category] as number) + 1
    }
    matrix.addUnit(counts)
  }
  return matrix.alphaNominal(wording)
}

function copyInto(target: Float64Array, source: ArrayLike<number>, what: string): void {
  if (source.length !== target.length) throw new RangeError(`the sums of a ${what} have ${source.length} cells, expected ${target.length}`)
  target.set(source)
}

function addInto(target: Float64Array, source: Float64Array): void {
  for (let index = 0; index < target.length; index++) target[index] = (target[index] as number) + (source[index] as number)
}
