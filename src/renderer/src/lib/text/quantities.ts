// The renderer's way to the one copy of how counts and sizes read (src/core/quantities.ts).
export { count, formatSize, plural } from '../../../../core/quantities'

// Number#toLocaleString() builds a new formatter on each call in Chromium (about 0.1–0.3 ms):
// too slow for text that changes with every selection and key press. One formatter, same output.
const localNumbers = new Intl.NumberFormat()

/** A number as the window's locale writes it, e.g. "12,345" (what toLocaleString() gives). */
export function localNumber(value: number): string {
  return localNumbers.format(value)
}
