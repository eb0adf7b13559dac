// What the project's texts say about hyphenated words: which words and which hyphenated forms
// occur. Dehyphenate keeps a hyphen split over a line break only when the hyphenated form is
// found and the joined form is not. Only distinct lower-cased words are kept (a vocabulary,
// which grows far slower than the texts), so building it over many texts stays small.

/** Lower-cased words and hyphenated forms found in the project's texts. */
export interface HyphenationEvidence {
  /** Words without a hyphen, e.g. "cooperation". */
  words: ReadonlySet<string>
  /** Words with inner hyphens, e.g. "co-operation". */
  hyphenated: ReadonlySet<string>
}

const WORD = /[\p{L}\p{M}\p{N}]+(?:[-\u2010][\p{L}\p{M}\p{N}]+)*/gu

/** The words and hyphenated forms of every text, read one text at a time. */
export function buildHyphenationEvidence(texts: Iterable<string>): HyphenationEvidence {
  const words = new Set<string>()
  const hyphenated = new Set<string>()
  for (const text of texts) {
    for (const match of text.matchAll(WORD)) {
      const word = normalizeWord(match[0])
      if (word.includes('-')) hyphenated.add(word)
      else words.add(word)
    }
  }
  return { words, hyphenated }
}

/** Lower case, U+2010 hyphens written "-", so forms compare alike. */
export function normalizeWord(word: string): string {
  return word.replace(/\u2010/g, '-').toLowerCase()
}

/** Evidence from no texts: every hyphenated line end is joined. */
export const NO_HYPHENATION_EVIDENCE: HyphenationEvidence = { words: new Set(), hyphenated: new Set() }
