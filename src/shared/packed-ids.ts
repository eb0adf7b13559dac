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
  const h1 = hex8(w1)
  const h2 = hex8(w2)
  const uuid = `${hex8(w0)}-${h1.slice(0, 4)}-${h1.slice(4)}-${h2.slice(0, 4)}-${h2.slice(4)}${hex8(w3)}`
  return form === ID_AS_PREFIXED_UUID ? `a-${uuid}` : uuid
}

/** Two hex digits of each byte: a word's eight from four lookups, half the time of toString(16) and padStart (a window makes thousands at an open). */
const HEX_OF_BYTE = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

function hex8(word: number): string {
  return (HEX_OF_BYTE[word >>> 24] as string) + (HEX_OF_BYTE[(word >>> 16) & 255] as string) + (HEX_OF_BYTE[(word >>> 8) & 255] as string) + (HEX_OF_BYTE[word & 255] as string)
}
