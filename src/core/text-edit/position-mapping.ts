// Maps many positions through one change set in a single sweep. ChangeSet.mapPos walks the
// change set from its start for every position, which for 88k spans (176k positions) through
// a change set of thousands of sections is hundreds of millions of steps; sorting the
// positions first lets one pass over the sections serve them all. The rule for each position
// is exactly ChangeSet.mapPos in MapMode.Simple (a property test holds the two together).

/** Which side of an insertion at the position it sticks to: -1 before, 1 after. */
export type Assoc = -1 | 1

/**
 * Each position mapped through the change set whose sections (ChangeDesc.toJSON(), or
 * sectionsOf for a change set's JSON) are given; they must fit the text the positions are in.
 * `positions` and `assocs` run in parallel; the answer is in the same order.
 */
export function mapPositions(sections: readonly number[], positions: ArrayLike<number>, assocs: ArrayLike<Assoc>): Float64Array {
  const count = positions.length
  const mapped = new Float64Array(count)
  if (count === 0) return mapped
  const order = sortedOrder(positions, assocs)
  let section = 0
  let posA = 0
  let posB = 0
  for (let k = 0; k < count; k++) {
    const index = order[k] as number
    const pos = positions[index] as number
    const assoc = assocs[index] as Assoc
    let answer = -1
    while (section < sections.length) {
      const length = sections[section] as number
      const inserted = sections[section + 1] as number
      const endA = posA + length
      if (inserted < 0) {
        if (endA > pos) {
          answer = posB + (pos - posA)
          break
        }
        posB += length
      } else {
        if (endA > pos || (endA === pos && assoc < 0 && length === 0)) {
          answer = pos === posA || assoc < 0 ? posB : posB + inserted
          break
        }
        posB += inserted
      }
      posA = endA
      section += 2
    }
    if (answer < 0) {
      if (pos > posA) throw new RangeError(`Position ${pos} is out of range for a change set of length ${posA}`)
      answer = posB
    }
    mapped[index] = answer
  }
  return mapped
}

// Sorted by position, then assoc (-1 first): the order in which a sweep meets them. Packing
// position, assoc and index into one float lets a typed-array sort (numeric, no comparator
// calls) do it; past 2^21 positions a comparator sort takes over.
function sortedOrder(positions: ArrayLike<number>, assocs: ArrayLike<Assoc>): ArrayLike<number> {
  const count = positions.length
  const indexBits = 2 ** 21
  if (count < indexBits) {
    const keys = new Float64Array(count)
    for (let index = 0; index < count; index++) {
      keys[index] = ((positions[index] as number) * 2 + ((assocs[index] as Assoc) > 0 ? 1 : 0)) * indexBits + index
    }
    keys.sort()
    const order = new Uint32Array(count)
    for (let k = 0; k < count; k++) order[k] = (keys[k] as number) % indexBits
    return order
  }
  const order = Array.from({ length: count }, (_, index) => index)
  order.sort((a, b) => (positions[a] as number) - (positions[b] as number) || (assocs[a] as Assoc) - (assocs[b] as Assoc))
  return order
}

/**
 * ChangeDesc.mapPos in O(log sections): for the many single positions an undo looks up (each a
 * binary search of its own) through a change set of 100,000 sections, where mapPos walks them all.
 */
export class SectionIndex {
  readonly #lengths: number[] = []
  readonly #inserted: number[] = []
  readonly #startsA: number[] = []
  readonly #startsB: number[] = []
  readonly #endA: number
  readonly #endB: number

  constructor(sections: readonly number[]) {
    let posA = 0
    let posB = 0
    for (let index = 0; index < sections.length; index += 2) {
      const length = sections[index] as number
      const inserted = sections[index + 1] as number
      this.#lengths.push(length)
      this.#inserted.push(inserted)
      this.#startsA.push(posA)
      this.#startsB.push(posB)
      posA += length
      posB += inserted < 0 ? length : inserted
    }
    this.#endA = posA
    this.#endB = posB
  }

  /**
   * The text from–to had before these changes, read from `textAfter` (the text after them;
   * text inserted inside is left out). What a change deleted or replaced cannot be read: each
   * such character comes back as `hole` when one is given, else the answer is null.
   */
  textBefore(textAfter: string, from: number, to: number, hole?: string): string | null {
    const count = this.#lengths.length
    let low = 0
    let high = count
    while (low < high) {
      const middle = (low + high) >> 1
      if ((this.#startsA[middle] as number) + (this.#lengths[middle] as number) <= from) low = middle + 1
      else high = middle
    }
    let text = ''
    for (let index = low; index < count; index++) {
      const posA = this.#startsA[index] as number
      if (posA >= to) break
      const length = this.#lengths[index] as number
      if ((this.#inserted[index] as number) >= 0) {
        if (length === 0) continue
        if (hole === undefined) return null
        text += hole.repeat(Math.min(to, posA + length) - Math.max(from, posA))
        continue
      }
      const posB = this.#startsB[index] as number
      text += textAfter.slice(posB + Math.max(from, posA) - posA, posB + Math.min(to, posA + length) - posA)
    }
    return text.length === to - from ? text : null
  }

  /** Exactly ChangeDesc.mapPos(pos, assoc) in MapMode.Simple. */
  mapPos(pos: number, assoc: Assoc): number {
    const count = this.#lengths.length
    // The first section ending at or after pos; mapPos stops there or a few sections on.
    let low = 0
    let high = count
    while (low < high) {
      const middle = (low + high) >> 1
      if ((this.#startsA[middle] as number) + (this.#lengths[middle] as number) < pos) low = middle + 1
      else high = middle
    }
    for (let index = low; index < count; index++) {
      const length = this.#lengths[index] as number
      const inserted = this.#inserted[index] as number
      const posA = this.#startsA[index] as number
      const posB = this.#startsB[index] as number
      const endA = posA + length
      if (inserted < 0) {
        if (endA > pos) return posB + (pos - posA)
      } else if (endA > pos || (endA === pos && assoc < 0 && length === 0)) {
        return pos === posA || assoc < 0 ? posB : posB + inserted
      }
    }
    if (pos > this.#endA) throw new RangeError(`Position ${pos} is out of range for a change set of length ${this.#endA}`)
    return this.#endB
  }
}
