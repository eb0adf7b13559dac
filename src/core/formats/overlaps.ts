// For formats that cannot represent overlapping spans (CoNLL): keep the longest span of each
// overlapping group; ties go to the earliest start, then to the tag order.
import { compareLabels, DEFAULT_LABEL_ORDER } from './prepared-spans'

interface Range {
  start: number
  end: number
  label: string
}

export function keepLongestNonOverlapping<T extends Range>(
  spans: readonly T[],
  labelOrder: readonly string[] = DEFAULT_LABEL_ORDER
): { kept: T[]; dropped: T[] } {
  const byLabel = compareLabels(labelOrder)
  const byPreference = [...spans].sort(
    (a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || byLabel(a.label, b.label)
  )
  // Kept spans never overlap, so sorted by start their ends are sorted too: one binary search
  // finds the only neighbours a candidate could collide with.
  const kept: T[] = []
  const dropped: T[] = []
  for (const candidate of byPreference) {
    let low = 0
    let high = kept.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((kept[middle] as T).start < candidate.start) low = middle + 1
      else high = middle
    }
    const before = kept[low - 1]
    const after = kept[low]
    const overlaps =
      (before !== undefined && before.end > candidate.start) || (after !== undefined && after.start < candidate.end)
    if (overlaps) dropped.push(candidate)
    else kept.splice(low, 0, candidate)
  }
  return { kept, dropped }
}
