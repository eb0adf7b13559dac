// "co-⏎operation" becomes "cooperation" or "co-operation". The hyphen stays only when the
// hyphenated form occurs elsewhere in the project's texts and the joined form does not, and
// always next to a digit ("10-⏎12" is a range, not a broken word). Either way the line break
// (and the spaces around it) goes. Each change says which rule decided.
import { plural } from '../../quantities'
import { normalizeWord } from './hyphenation-evidence'
import { characterAt, characterBefore, hyphenatedBreakAt, isDigit, isWordCharacter, linesOf, trimmedStart, type TextLine } from './lines'
import type { CleanupContext, CleanupEdit, CleanupStep } from './types'

const JOINED = 'joined'
const KEPT = 'kept'

export const dehyphenateStep: CleanupStep = {
  id: 'dehyphenate',
  plan(text, context) {
    const edits: CleanupEdit[] = []
    const lines = linesOf(text)
    for (let index = 0; index + 1 < lines.length; index++) {
      const hyphen = hyphenatedBreakAt(text, (lines[index] as TextLine), (lines[index + 1] as TextLine))
      if (hyphen < 0) continue
      const nextWordStart = trimmedStart(text, (lines[index + 1] as TextLine))
      const decision = decide(text, hyphen, nextWordStart, context)
      edits.push(
        decision.keepHyphen
          ? { from: hyphen + 1, to: nextWordStart, insert: '', kind: KEPT, rule: decision.rule }
          : { from: hyphen, to: nextWordStart, insert: '', kind: JOINED, rule: decision.rule }
      )
    }
    return { edits, summary: summarize(edits) }
  }
}

function decide(text: string, hyphen: number, nextWordStart: number, context: CleanupContext): { keepHyphen: boolean; rule: string } {
  if (isDigit(characterBefore(text, hyphen)) || isDigit(characterAt(text, nextWordStart))) {
    return { keepHyphen: true, rule: 'a digit beside the hyphen: never joined' }
  }
  const left = wordBefore(text, hyphen)
  const right = wordAfter(text, nextWordStart)
  const joined = normalizeWord(left + right)
  const hyphenated = normalizeWord(`${left}-${right}`)
  const { words, hyphenated: hyphenatedForms } = context.hyphenation
  const joinedFound = words.has(joined)
  const hyphenatedFound = hyphenatedForms.has(hyphenated)
  if (hyphenatedFound && !joinedFound) {
    return { keepHyphen: true, rule: `“${hyphenated}” occurs elsewhere in the project and “${joined}” does not: hyphen kept` }
  }
  if (joinedFound && hyphenatedFound) {
    return { keepHyphen: false, rule: `both “${joined}” and “${hyphenated}” occur elsewhere in the project: joined` }
  }
  if (joinedFound) return { keepHyphen: false, rule: `“${joined}” occurs elsewhere in the project: joined` }
  return { keepHyphen: false, rule: `neither “${joined}” nor “${hyphenated}” occurs elsewhere in the project: joined` }
}

// The word the hyphen ends, inner hyphens included ("state-of-the" in "state-of-the-⏎art").
function wordBefore(text: string, hyphen: number): string {
  let start = hyphen
  for (;;) {
    const character = characterBefore(text, start)
    if (isWordCharacter(character)) start -= character.length
    else if ((character === '-' || character === '\u2010') && isWordCharacter(characterBefore(text, start - 1))) start -= 1
    else break
  }
  return text.slice(start, hyphen)
}

function wordAfter(text: string, start: number): string {
  let end = start
  for (;;) {
    const character = characterAt(text, end)
    if (isWordCharacter(character)) end += character.length
    else if ((character === '-' || character === '\u2010') && isWordCharacter(characterAt(text, end + 1))) end += 1
    else break
  }
  return text.slice(start, end)
}

function summarize(edits: readonly CleanupEdit[]): string {
  if (edits.length === 0) return 'No words hyphenated across a line break'
  const joined = edits.filter((edit) => edit.kind === JOINED).length
  const kept = edits.length - joined
  const parts: string[] = []
  if (joined > 0) parts.push(`${plural(joined, 'hyphenated word')} joined`)
  if (kept > 0) parts.push(`${plural(kept, 'hyphen')} kept`)
  return parts.join(', ')
}
