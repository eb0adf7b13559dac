import { describe, expect, it } from 'vitest'
import { localNumber, shortNumber } from '../../src/renderer/src/lib/text/quantities'

describe('shortNumber (a count where about four characters fit)', () => {
  it('is exact below 10,000', () => {
    expect(shortNumber(0)).toBe('0')
    expect(shortNumber(9_999)).toBe(localNumber(9_999))
  })
  it('is compact from 10,000, never longer than five characters', () => {
    expect(shortNumber(22_006)).toMatch(/^22\s?K$/i)
    expect(shortNumber(88_021)).toMatch(/^88\s?K$/i)
    expect(shortNumber(1_234_567)).toMatch(/^1\.2\s?M$/i)
    for (const value of [10_000, 99_999, 123_456, 9_876_543]) expect(shortNumber(value).length).toBeLessThanOrEqual(5)
  })
  it('is compact from the threshold given, for a badge with less room (a side panel tab)', () => {
    expect(shortNumber(999, 1_000)).toBe('999')
    expect(shortNumber(1_686, 1_000)).toMatch(/^1\.7\s?K$/i)
    expect(shortNumber(1_686)).toBe(localNumber(1_686))
  })
})
