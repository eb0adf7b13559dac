// The small "last few" lists the app keeps (texts framed, texts held, blocks cut, layers
// unpacked): one rule for putting an entry first and letting the oldest go.

/**
 * Puts `entry` first in `list` (remove an older entry for the same thing before) and drops the
 * oldest beyond `count` entries, and, with `size`, beyond `size.max` in all: the newest entry
 * is kept whatever its own size.
 */
export function keepNewestFirst<T>(list: T[], entry: T, count: number, size?: { of: (kept: T) => number; max: number }): void {
  list.unshift(entry)
  let total = 0
  const over = size ? list.findIndex((kept, index) => (total += size.of(kept)) > size.max && index > 0) : -1
  list.length = Math.min(list.length, count, over >= 0 ? over : count)
}
