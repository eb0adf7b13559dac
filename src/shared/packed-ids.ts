// Annotation ids as they travel in a packed layer. Quire's own ids are "a-" and a UUID
// (newAnnotationId), 38 characters; a 5 MB document's 88,000 of them were 3.4 MB of the
// answer's JSON, as much to send, parse and hold as a fifth of its text. An id in that form (or a
// bare UUID, as windows before stop 33 made them) travels as its 16 bytes in four 32-bit numbers
// of the packed columns, and is made a string again only when asked for; any other id travels
// as itself.

/** How an id travels: as itself (in the ids string), or as a UUID's 16 bytes, with or without "a-". */
export const ID_AS_TEXT = 0
const ID_AS_PREFIXED_UUID = 1
const ID_AS_BARE_UUID = 2

const UUID_ID = /^(a-)?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/

/** The id's form and, for a UUID, its four 32-bit words (big-endian groups of 8 hex digits); null words for an id sent as text. */
export function idAsNumbers(id: string): { form: number; words: [number, number, number, number] } | null {
  const match = UUID_ID.exec(id)
  if (!match) return null
  const [, prefix, a, b, c, d, e] = match as unknown as [string, string | undefined, string, string, string, string, string]
  const hex = a + b + c + d + e
  const word = (at: number): number => parseInt(hex.slice(at, at + 8), 16) | 0
  return { form: prefix ? ID_AS_PREFIXED_UUID : ID_AS_BARE_UUID, words: [word(0), word(8), word(16), word(24)] }
}

/** The id of `form` from its four words (the inverse of idAsNumbers). */
export function idFromNumbers(form: number, w0: number, w1: number, w2: number, w3: number): string {
  if (form !== ID_AS_PREFIXED_UUID && form !== ID_AS_BARE_UUID) throw new Error(`Packed annotations hold an id of unknown form ${form}`)
  const codes = form === ID_AS_PREFIXED_UUID ? PREFIXED_CODES : BARE_CODES
  let at = form === ID_AS_PREFIXED_UUID ? 2 : 0
  at = writeHex(codes, at, w0, 8)
  codes[at++] = DASH
  at = writeHex(codes, at, w1 >>> 16, 4)
  codes[at++] = DASH
  at = writeHex(codes, at, w1, 4)
  codes[at++] = DASH
  at = writeHex(codes, at, w2 >>> 16, 4)
  codes[at++] = DASH
  at = writeHex(codes, at, w2, 4)
  writeHex(codes, at, w3, 8)
  return String.fromCharCode.apply(null, codes)
}

// The id's characters are written into one of two reused buffers and made a string in one
// step: built by joining pieces, each id was some twenty strings on the way (a scroll through a
// long layer's reader made megabytes of them a second: a sixth of what it allocated).
const DASH = 0x2d
const HEX_DIGITS = Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0))
// Plain arrays of small numbers, not typed arrays: applying a typed array copies it into a new
// list first, six times the garbage of the string made from it.
const PREFIXED_CODES: number[] = Array.from('a-', (character) => character.charCodeAt(0)).concat(Array.from({ length: 36 }, () => DASH))
const BARE_CODES: number[] = Array.from({ length: 36 }, () => DASH)

/** Writes the low `digits` hex digits of `value` at `at`, most significant first; returns where they end. */
function writeHex(codes: number[], at: number, value: number, digits: number): number {
  for (let index = digits - 1; index >= 0; index--) {
    codes[at + index] = HEX_DIGITS[value & 15] as number
    value >>>= 4
  }
  return at + digits
}
