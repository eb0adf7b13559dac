// The one line a text edit's revision shows in the history list.
import type { ChangeSetJson } from '../../shared/model'

/** E.g. "Edited 2 places: 14 characters typed, 3 deleted". */
export function describeChanges(changes: ChangeSetJson): string {
  let places = 0
  let inserted = 0
  let deleted = 0
  for (const section of changes) {
    if (typeof section === 'number') continue
    const [removed, ...lines] = section
    places++
    deleted += removed
    // Inserted lines are joined by line breaks: one character each between them.
    inserted += lines.reduce((sum, line) => sum + line.length, 0) + Math.max(0, lines.length - 1)
  }
  const parts: string[] = []
  if (inserted > 0) parts.push(`${count(inserted, 'character')} typed`)
  if (deleted > 0) parts.push(`${inserted > 0 ? deleted : count(deleted, 'character')} deleted`)
  return `Edited ${count(places, 'place')}${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
