// The words around a mention, for the entity panel's list: the search's concordance context
// (src/core/search/concordance.ts), shorter, with an ellipsis where the text goes on.
import { concordanceContext } from '../search/concordance'

const CONTEXT_CHARACTERS = 40

export function mentionContext(text: string, start: number, end: number): { left: string; right: string } {
  const { left, right } = concordanceContext(text, start, end, { chars: CONTEXT_CHARACTERS, markCuts: true })
  return { left, right }
}
