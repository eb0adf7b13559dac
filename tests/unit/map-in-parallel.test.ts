import { describe, expect, it } from 'vitest'
import { mapInParallel } from '../../src/main/services/map-in-parallel'

const after = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('mapInParallel', () => {
  it('gives the results in the order of the items, whichever finishes first, with no more than its limit at once', async () => {
    let running = 0
    let most = 0
    const results = await mapInParallel([30, 5, 20, 1, 10, 2, 8], 3, async (ms) => {
      running++
      most = Math.max(most, running)
      await after(ms)
      running--
      return ms * 2
    })
    expect(results).toEqual([60, 10, 40, 2, 20, 4, 16])
    expect(most).toBe(3)
  })

  it('rejects with the first failure', async () => {
    await expect(mapInParallel([1, 2, 3], 2, async (item) => (item === 2 ? Promise.reject(new Error('unreadable')) : item))).rejects.toThrow('unreadable')
  })

  it('maps no items to none', async () => {
    expect(await mapInParallel([], 4, async () => 1)).toEqual([])
  })
})
