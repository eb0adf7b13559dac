// A disagreement as its list shows it: the position's text on one line (shortened past
// EXCERPT_CHARS), a little context either side, and an ellipsis only where that context stops
// short of the text's start or end. Main's list (agreement-service.ts) and the component tests'
// fake API both make it here.
import { concordanceContext } from '../search/concordance'
import { isHighSurrogate } from '../surrogates'

const CONTEXT_CHARS = 40
const EXCERPT_CHARS = 120

export function disagreementExcerpt(text: string, start: number, end: number): { before: string; text: string; after: string } {
  const { left, match, right } = concordanceContext(text, start, end, { chars: CONTEXT_CHARS, markCuts: true })
  if (match.length <= EXCERPT_CHARS) return { before: left, text: match, after: right }
  // Never half of a character written as a surrogate pair (an emoji, a rare letter).
  const cut = isHighSurrogate(match.charCodeAt(EXCERPT_CHARS - 2)) ? EXCERPT_CHARS - 2 : EXCERPT_CHARS - 1
  return { before: left, text: `${match.slice(0, cut)}…`, after: right }
}
