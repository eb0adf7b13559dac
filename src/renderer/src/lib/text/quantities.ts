// The renderer's way to the one copy of how counts and sizes read (src/core/quantities.ts).
export { count, formatSize, plural } from '../../../../core/quantities'

// Number#toLocaleString() builds a new formatter on each call in Chromium (about 0.1–0.3 ms):
// too slow for text that changes with every selection and key press. One formatter, same output.
const localNumbers = new Intl.NumberFormat()

/** A number as the window's locale writes it, e.g. "12,345" (what toLocaleString() gives). */
export function localNumber(value: number): string {
  return localNumbers.format(value)
}

// Room for about four characters (a tag's count on a list row, a tab's badge): 22,006 reads as
// 22K there, with the exact figure beside it in a heading or in the element's title.
const shortNumbers = new Intl.NumberFormat(undefined, { notation: 'compact' })

/**
 * A count in at most about four characters: exact below `exactBelow` (10,000 by default), then
 * "22K", "1.2M". Where even "1,686" does not fit (a side panel tab's badge), exact below 1,000.
 */
export function shortNumber(value: number, exactBelow = 10_000): string {
  return value < exactBelow ? localNumbers.format(value) : shortNumbers.format(value)
}
