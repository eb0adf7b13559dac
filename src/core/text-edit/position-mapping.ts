// Maps many positions through one change set in a single sweep. ChangeSet.mapPos walks the
// change set from its start for every position, which for 88k spans (176k positions) through
// a change set of thousands of sections is hundreds of millions of steps; sorting the
// positions first lets one pass over the sections serve them all. The rule for each position
// is exactly ChangeSet.mapPos in MapMode.Simple (a property test holds the two together).
import type { ChangeSetJson } from '../../shared/model'

/** Which side of an insertion at the position it sticks to: -1 before, 1 after. */
export type Assoc = -1 | 1

interface Section {
  /** Length in the text before. */
  length: number
  /** Length inserted, or -1 for text kept. */
  inserted: number
}

function sectionsOf(changes: ChangeSetJson): Section[] {
  return changes.map((part) => {
    if (typeof part === 'number') return { length: part, inserted: -1 }
    let inserted = part.length > 1 ? part.length - 2 : 0
    for (let line = 1; line < part.length; line++) inserted += (part[line] as string).length
    return { length: part[0], inserted }
  })
}

/**
 * Each position mapped through `changes` (which must fit the text the positions are in;
 * changeSetOf checks that). `positions` and `assocs` run in parallel; the answer is in the
 * same order.
 */
export function mapPositions(changes: ChangeSetJson, positions: ArrayLike<number>, assocs: ArrayLike<Assoc>): Float64Array {
  const count = positions.length
  const mapped = new Float64Array(count)
  if (count === 0) return mapped
  const order = sortedOrder(positions, assocs)
  const sections = sectionsOf(changes)
  let section = 0
  let posA = 0
  let posB = 0
  for (let k = 0; k < count; k++) {
    const index = order[k] as number
    const pos = positions[index] as number
    const assoc = assocs[index] as Assoc
    let answer = -1
    while (section < sections.length) {
      const { length, inserted } = sections[section] as Section
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
      section++
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
