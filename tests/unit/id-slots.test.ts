import { describe, expect, it } from 'vitest'
import { IdSlots } from '../../src/core/id-slots'

// Small deterministic generator so a failure can be replayed.
function seededRandom(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
}

describe('IdSlots', () => {
  it('finds each id in the slot it was given, through growth, overwrites and deletions, as a Map would', () => {
    const random = seededRandom(7)
    // Slot numbers index `idsInSlots`, as SpanIndex's slots index its items.
    const idsInSlots: string[] = []
    const table = new IdSlots((slot) => idsInSlots[slot] as string)
    const expected = new Map<string, number>()
    // Few distinct ids, so the same one is set, deleted and set again, and probes run into one another.
    const names = Array.from({ length: 300 }, (_, index) => `id-${index.toString(36)}`)
    for (let step = 0; step < 20_000; step++) {
      const id = names[Math.floor(random() * names.length)] as string
      if (random() < 0.4) {
        expect(table.delete(id)).toBe(expected.delete(id))
      } else {
        const slot = idsInSlots.length
        idsInSlots.push(id)
        table.set(id, slot)
        expected.set(id, slot)
      }
      if (step % 97 === 0) {
        expect(table.size).toBe(expected.size)
        for (const name of names) expect(table.get(name)).toBe(expected.get(name))
      }
    }
    for (const name of names) expect(table.has(name)).toBe(expected.has(name))
  })

  it('keeps every id findable when deletions leave gaps in a long probe run', () => {
    const idsInSlots = Array.from({ length: 2000 }, (_, index) => `bench-${index.toString(36)}`)
    const table = new IdSlots((slot) => idsInSlots[slot] as string)
    table.reserve(idsInSlots.length)
    idsInSlots.forEach((id, slot) => table.set(id, slot))
    for (let slot = 0; slot < idsInSlots.length; slot += 3) expect(table.delete(idsInSlots[slot] as string)).toBe(true)
    idsInSlots.forEach((id, slot) => expect(table.get(id)).toBe(slot % 3 === 0 ? undefined : slot))
    expect(table.size).toBe(idsInSlots.length - Math.ceil(idsInSlots.length / 3))
    table.clear()
    expect(table.size).toBe(0)
    expect(table.get('bench-1')).toBeUndefined()
  })
})
