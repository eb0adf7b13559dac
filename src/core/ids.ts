// Identifiers that become folder and file names inside a project folder, so they must be
// safe on every file system and stable across machines that share the folder.

/**
 * Document ids as accepted by the API (src/shared/api-schemas.ts documentIdSchema): no dots,
 * slashes or spaces, so never "..", an absolute path or a name Windows trims; and not a name
 * Windows reserves for a device (a folder "documents/con" cannot be opened there).
 */
export const DOCUMENT_ID_PATTERN = /^(?!(?:con|prn|aux|nul|com\d|lpt\d)$)[a-z0-9][a-z0-9-]{0,99}$/

const MAX_SLUG_LENGTH = 60

// Letters NFKD does not decompose into an ASCII base letter plus marks.
const TRANSLITERATIONS: Record<string, string> = {
  ə: 'e',
  Ə: 'e',
  ı: 'i',
  ß: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  ł: 'l',
  Ł: 'l',
  þ: 'th',
  Þ: 'th',
  ħ: 'h',
  Ħ: 'h'
}

/**
 * Lower-case ASCII letters, digits and single dashes; '' when nothing Latin survives
 * (e.g. an Arabic-only name). Best effort: the display name keeps the original spelling.
 */
export function asciiSlug(text: string): string {
  const transliterated = Array.from(text, (character) => TRANSLITERATIONS[character] ?? character).join('')
  return transliterated
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '')
}

/**
 * A new document id: the name's slug plus a random suffix. The suffix is added even when the
 * slug alone is free, because colleagues importing "report.txt" on two machines into a
 * synced folder must not both create documents/report/.
 */
export function documentIdFromName(name: string, taken: Pick<ReadonlySet<string>, 'has'>): string {
  const slug = asciiSlug(name.replace(/\.[A-Za-z0-9]{1,8}$/, '')) || 'document'
  for (let attempt = 0; attempt < 1000; attempt++) {
    const candidate = `${slug}-${randomHex(attempt < 100 ? 4 : 8)}`
    if (!taken.has(candidate) && DOCUMENT_ID_PATTERN.test(candidate)) return candidate
  }
  throw new Error(`could not find a free document id for "${name}"`)
}

/**
 * The file (without folder) holding one annotator's layer. The hash of the exact name keeps
 * "José" and "Jose", whose slugs agree, in separate files; the slug keeps it readable.
 * The hash function is passed in so this module stays free of Node APIs.
 */
export function annotatorFileName(annotator: string, sha256Hex: (text: string) => string): string {
  const slug = asciiSlug(annotator).slice(0, 40).replace(/-+$/, '') || 'annotator'
  return `${slug}-${sha256Hex(annotator).slice(0, 8)}.json`
}

/** A fresh annotation id, unique without coordination between machines. */
export function newAnnotationId(): string {
  return `a-${globalThis.crypto.randomUUID()}`
}

function randomHex(length: number): string {
  const bytes = new Uint8Array(Math.ceil(length / 2))
  globalThis.crypto.getRandomValues(bytes)
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0'))
    .join('')
    .slice(0, length)
}
