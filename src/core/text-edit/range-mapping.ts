// Spans' start and end offsets through a change set: starts with assoc 1, ends with -1.
import type { ChangeDesc } from '@codemirror/state'
import type { ChangeSetJson } from '../../shared/model'
import { changeDescOf, TextEditError } from './change-set'
import { mapPositions, type Assoc } from './position-mapping'

/** The change set's description, checked to make a text of textAfter's length. */
export function descEndingAt(changes: ChangeSetJson, textAfter: string): ChangeDesc {
  const lengthBefore = changes.reduce<number>((sum, part) => sum + (typeof part === 'number' ? part : part[0]), 0)
  const desc = changeDescOf(changes, lengthBefore)
  if (desc.newLength !== textAfter.length) {
    throw new TextEditError(`the change set makes a text of ${desc.newLength} characters, but the text after it has ${textAfter.length}`)
  }
  return desc
}

// Starts map with assoc 1, ends with -1; answers interleaved (start, end, start, end, ...).
// Ranges wholly before the first change keep their offsets and those wholly after the last one
// shift by the change in length, so a keystroke's revision sweeps (and sorts) only the spans
// near it.
export function mapRanges(desc: ChangeDesc, ranges: readonly { start: number; end: number }[]): Float64Array {
  return mapRangesNear(desc, ranges).mapped
}

/** mapRanges, also saying which ranges lay near a change (1); the others' text is as it was. */
export function mapRangesNear(desc: ChangeDesc, ranges: readonly { start: number; end: number }[]): { mapped: Float64Array; near: Uint8Array } {
  const textLength = desc.length
  const sections = desc.toJSON()
  const { firstChange, lastChangeEnd } = changedExtent(sections)
  const shift = desc.newLength - textLength
  const mapped = new Float64Array(ranges.length * 2)
  const isNear = new Uint8Array(ranges.length)
  const near: number[] = []
  ranges.forEach((range, index) => {
    if (!(range.start >= 0 && range.end <= textLength)) {
      throw new TextEditError(`a span at ${range.start}–${range.end} lies outside the text of ${textLength} characters`)
    }
    if (range.end < firstChange) {
      mapped[2 * index] = range.start
      mapped[2 * index + 1] = range.end
    } else if (range.start > lastChangeEnd) {
      mapped[2 * index] = range.start + shift
      mapped[2 * index + 1] = range.end + shift
    } else {
      near.push(index)
      isNear[index] = 1
    }
  })
  if (near.length === 0) return { mapped, near: isNear }
  const positions = new Float64Array(near.length * 2)
  const assocs = new Int8Array(near.length * 2) as unknown as Assoc[]
  near.forEach((index, k) => {
    const range = ranges[index] as { start: number; end: number }
    positions[2 * k] = range.start
    assocs[2 * k] = 1
    positions[2 * k + 1] = range.end
    assocs[2 * k + 1] = -1
  })
  const swept = mapPositions(sections, positions, assocs)
  near.forEach((index, k) => {
    mapped[2 * index] = swept[2 * k] as number
    mapped[2 * index + 1] = swept[2 * k + 1] as number
  })
  return { mapped, near: isNear }
}

/** Where the first change starts and the last one ends, in the text before (Infinity and -1 when nothing changes). */
function changedExtent(sections: readonly number[]): { firstChange: number; lastChangeEnd: number } {
  let firstChange = Number.POSITIVE_INFINITY
  let lastChangeEnd = -1
  let pos = 0
  for (let index = 0; index < sections.length; index += 2) {
    const length = sections[index] as number
    if ((sections[index + 1] as number) >= 0) {
      if (firstChange === Number.POSITIVE_INFINITY) firstChange = pos
      lastChangeEnd = pos + length
    }
    pos += length
  }
  return { firstChange, lastChangeEnd }
}

/** Below this many span × section steps, ChangeSet.mapPos per position is cheaper than a sorted sweep. */
export const SWEEP_THRESHOLD = 200_000

export function mapRangesDirectly(set: ChangeDesc, ranges: readonly { start: number; end: number }[]): Float64Array {
  const mapped = new Float64Array(ranges.length * 2)
  ranges.forEach((range, index) => {
    mapped[2 * index] = set.mapPos(range.start, 1)
    mapped[2 * index + 1] = set.mapPos(range.end, -1)
  })
  return mapped
}

/** A change set's changed ranges in the text before, in order: [fromA, toA] pairs. */
export function changedRanges(set: ChangeDesc): number[] {
  const ranges: number[] = []
  set.iterChangedRanges((fromA, toA) => {
    ranges.push(fromA, toA)
  })
  return ranges
}

/** True when a change deletes some of start–end or inserts strictly inside it (at an edge changes no covered text). */
export function changesInside(ranges: readonly number[], start: number, end: number): boolean {
  let low = 0
  let high = ranges.length / 2
  while (low < high) {
    const middle = (low + high) >> 1
    if ((ranges[2 * middle + 1] as number) <= start) low = middle + 1
    else high = middle
  }
  if (low >= ranges.length / 2) return false
  const fromA = ranges[2 * low] as number
  const toA = ranges[2 * low + 1] as number
  return fromA < end && (fromA < toA || fromA > start)
}
