import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { idAsNumbers, idFromNumbers } from '../../src/shared/packed-ids'

function roundTrip(id: string): string | null {
  const numbers = idAsNumbers(id)
  return numbers && idFromNumbers(numbers.form, ...numbers.words)
}

describe('annotation ids as numbers', () => {
  it('gives back every UUID id, with or without the "a-" prefix, byte for byte', () => {
    const edges = ['00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '80000000-0000-0080-0000-00007fffffff', '0000000f-f000-0f0f-00ff-0a0b0c0d0e0f']
    for (const uuid of [...edges, ...Array.from({ length: 2000 }, () => randomUUID())]) {
      expect(roundTrip(uuid)).toBe(uuid)
      expect(roundTrip(`a-${uuid}`)).toBe(`a-${uuid}`)
    }
  })

  it('leaves any other id to travel as text', () => {
    for (const id of ['ann-1', 'A-00000000-0000-0000-0000-000000000000', 'a-FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', 'T12', 'a-00000000-0000-0000-0000-00000000000', '']) expect(idAsNumbers(id)).toBeNull()
  })

  it('refuses numbers of an unknown form', () => {
    expect(() => idFromNumbers(7, 1, 2, 3, 4)).toThrow(/unknown form 7/)
  })
})
