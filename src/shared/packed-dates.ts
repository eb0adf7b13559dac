// Annotation dates as they travel in a packed layer (packed-annotations.ts). Each span carries
// when it was made and last changed, and an editor's spans are made at different moments: sent
// as strings (each distinct one once, in the answer's JSON), a 5 MB document's 88,000 spans with
// dates as an editor leaves them brought 106,000 distinct dates, 2.9 MB of JSON for the window to
// parse in one task (21 ms in Node here), and the frame grew from 7.5 to 10.8 MB. A date written
// as toISOString writes it travels as numbers instead: seconds since the layer's earliest such
// date and the milliseconds, in columns of their own; any other string travels as itself.

/** A date column's number when the date travels as a time; any other number is its index in the values, plus one. */
export const DATE_AS_TIME = 0

/** Seconds since the layer's earliest date fit a column of 32-bit numbers up to here (68 years). */
const MAX_SECONDS = 0x7fffffff

const ISO_DATE_LENGTH = 24 // 2026-03-04T05:06:07.123Z
const SEPARATORS: ReadonlyArray<[number, number]> = [
  [4, 0x2d], // -
  [7, 0x2d],
  [10, 0x54], // T
  [13, 0x3a], // :
  [16, 0x3a],
  [19, 0x2e], // .
  [23, 0x5a] // Z
]

/**
 * The instant `value` names when it is written exactly as Date.prototype.toISOString writes it,
 * for years 1000–9999 (so that isoDateOf gives back the very same string), else null.
 */
export function instantOfIsoDate(value: string): number | null {
  if (value.length !== ISO_DATE_LENGTH) return null
  for (const [at, code] of SEPARATORS) if (value.charCodeAt(at) !== code) return null
  const year = digits(value, 0, 4)
  const month = digits(value, 5, 2)
  const day = digits(value, 8, 2)
  const hour = digits(value, 11, 2)
  const minute = digits(value, 14, 2)
  const second = digits(value, 17, 2)
  const millisecond = digits(value, 20, 3)
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59 || millisecond < 0) return null
  return Date.UTC(year, month - 1, day, hour, minute, second, millisecond)
}

/** The date of `instant` as toISOString writes it. */
export function isoDateOf(instant: number): string {
  return new Date(instant).toISOString()
}

/** The base a layer's dates are counted from: the earliest instant's whole second (so the milliseconds are the instant's own). */
export function dateBaseOf(instants: Float64Array): number {
  let earliest = Infinity
  for (const instant of instants) if (instant < earliest) earliest = instant
  return earliest === Infinity ? 0 : Math.floor(earliest / 1000) * 1000
}

/** Whether `instant` can travel as seconds since `base`. */
export function fitsAfter(base: number, instant: number): boolean {
  return !Number.isNaN(instant) && (instant - base) / 1000 <= MAX_SECONDS
}

/**
 * Reads dates back, a string per call; the same instant asked for again in a row (a span's
 * last change is most often its making) gives the same string without formatting it again.
 */
export function dateReader(base: number): (seconds: number, milliseconds: number) => string {
  let lastInstant = NaN
  let lastDate = ''
  return (seconds, milliseconds) => {
    const instant = base + seconds * 1000 + milliseconds
    if (instant !== lastInstant) {
      lastDate = isoDateOf(instant)
      lastInstant = instant
    }
    return lastDate
  }
}

/** The number written in `length` ASCII digits from `from`, or -1 if one is not a digit. */
function digits(value: string, from: number, length: number): number {
  let number = 0
  for (let at = from; at < from + length; at++) {
    const digit = value.charCodeAt(at) - 0x30
    if (digit < 0 || digit > 9) return -1
    number = number * 10 + digit
  }
  return number
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}
