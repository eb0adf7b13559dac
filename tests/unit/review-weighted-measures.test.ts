import { describe, expect, it } from 'vitest'
import { CoincidenceMatrix, FleissAccumulator } from '../../src/core/review/agreement-measures'

// Token statistics add each distinct combination of labels once, with the number of tokens
// that had it: the sums must be exactly those of adding the tokens one at a time.
describe('measures fed identical items at once', () => {
  const units = [
    [3, 0, 0],
    [2, 1, 0],
    [0, 1, 2],
    [1, 1, 1]
  ]

  it('Fleiss: a subject added n times equals it added with a count of n', () => {
    const one = new FleissAccumulator(3, 3)
    const counted = new FleissAccumulator(3, 3)
    units.forEach((unit, index) => {
      for (let time = 0; time < index + 2; time++) one.addSubject(unit)
      counted.addSubject(unit, index + 2)
    })
    expect(counted.subjects).toBe(one.subjects)
    expect(counted.kappa()).toEqual(one.kappa())
    expect(() => counted.addSubject([3, 0, 0], 1.5)).toThrow(RangeError)
  })

  it('Krippendorff: a unit added n times equals it added with a count of n, exactly for two or three observers', () => {
    const one = new CoincidenceMatrix(3)
    const counted = new CoincidenceMatrix(3)
    for (const [index, unit] of [...units, [1, 1, 0], [0, 0, 2]].entries()) {
      for (let time = 0; time < 7 * (index + 1); time++) one.addUnit(unit)
      counted.addUnit(unit, 7 * (index + 1))
    }
    expect(counted.toRows()).toEqual(one.toRows())
    expect(counted.pairableUnits).toBe(one.pairableUnits)
    expect(counted.alphaNominal()).toEqual(one.alphaNominal())
    counted.addUnit([1, 0, 0], 5) // one value: no pairs, not counted
    expect(counted.pairableUnits).toBe(one.pairableUnits)
    expect(() => counted.addUnit([1, 1, 0], -1)).toThrow(RangeError)
  })
})
