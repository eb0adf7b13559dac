// One-line summaries for a revision (TextRevision.summary, shown in the history list).
import type { ChangeSetJson, CleanupStepPreview } from '../../shared/model'
import { sectionsOf } from './change-set'
import { count, plural } from '../quantities'

/** "16 doubled lines halved, 10 hard-wrapped lines joined": the steps that changed something. */
export function summarizeCleanup(previews: readonly CleanupStepPreview[]): string {
  const parts = previews.filter((preview) => preview.count > 0).map((preview) => preview.summary)
  if (parts.length === 0) return 'Nothing to clean'
  const line = parts.join(', ')
  return line.charAt(0).toUpperCase() + line.slice(1)
}

/** "12 characters inserted and 3 deleted in 2 places", counted in UTF-16 code units. */
export function summarizeEdit(changes: ChangeSetJson): string {
  const sections = sectionsOf(changes)
  let inserted = 0
  let deleted = 0
  let places = 0
  for (let index = 0; index < sections.length; index += 2) {
    const length = sections[index] as number
    const insertedHere = sections[index + 1] as number
    if (insertedHere < 0) continue
    places++
    inserted += insertedHere
    deleted += length
  }
  if (places === 0) return 'No change'
  const what =
    inserted > 0 && deleted > 0
      ? `${plural(inserted, 'character')} inserted and ${count(deleted)} deleted`
      : inserted > 0
        ? `${plural(inserted, 'character')} inserted`
        : `${plural(deleted, 'character')} deleted`
  return places === 1 ? what : `${what} in ${places} places`
}
