import { describe, expect, it } from 'vitest'
import { keepNewestFirst } from '../../src/core/newest-first'

describe('keepNewestFirst', () => {
  it('puts the entry first and lets the oldest go beyond the count', () => {
    const list = ['b', 'a']
    keepNewestFirst(list, 'c', 2)
    expect(list).toEqual(['c', 'b'])
  })

  it('lets the oldest go beyond the size in all, but keeps the newest whatever its size', () => {
    const list = [3, 2, 1]
    keepNewestFirst(list, 4, 10, { of: (size) => size, max: 8 })
    expect(list).toEqual([4, 3]) // 4 + 3 = 7; with 2 it would be 9
    keepNewestFirst(list, 20, 10, { of: (size) => size, max: 8 })
    expect(list).toEqual([20])
  })
})
