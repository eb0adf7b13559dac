// "Go to document" (Ctrl/Cmd+P): the best few names for what was typed. A name containing the
// typed text ranks first (at its start, then at a word's start, then anywhere); then names that
// hold its letters in order ("nws21" finds "news-2021-03"), the tighter the better. One pass over
// the lower-cased names, keeping only the best few, so it answers per keystroke at 100,000.

export interface NameMatch {
  /** The document's position in the list the names came from. */
  position: number
  /** Lower is better. */
  score: number
}

const WORD_START = /[\s\-_.,;:/\\()[\]]/u

/** How well a name matches, lower better; null when it does not. `query` is lower-cased. */
export function scoreName(lowerName: string, query: string): number | null {
  if (query === '') return 0
  const at = lowerName.indexOf(query)
  if (at === 0) return 0
  if (at > 0) {
    // The typed text at some word's start, not only the first occurrence.
    for (let from = at; from !== -1; from = lowerName.indexOf(query, from + 1)) {
      if (WORD_START.test(lowerName[from - 1]!)) return 1
    }
    return 2
  }
  // Letters in order: the score grows with the gaps between them.
  let gaps = 0
  let last = -1
  for (const char of query) {
    const found = lowerName.indexOf(char, last + 1)
    if (found === -1) return null
    if (last !== -1) gaps += found - last - 1
    last = found
  }
  return 3 + gaps / (gaps + 10)
}

/** The `limit` best matches, best first; ties keep the names' order. */
export function bestNameMatches(lowerNames: readonly string[], typed: string, limit: number): NameMatch[] {
  const query = typed.trim().toLowerCase()
  const best: NameMatch[] = []
  for (let position = 0; position < lowerNames.length; position++) {
    const score = scoreName(lowerNames[position]!, query)
    if (score === null) continue
    if (best.length === limit && score >= best[best.length - 1]!.score) continue
    // Insert after every match with the same or a better score, so ties stay in order.
    let place = best.length
    while (place > 0 && best[place - 1]!.score > score) place--
    best.splice(place, 0, { position, score })
    if (best.length > limit) best.pop()
  }
  return best
}
