// Applies AnnotationEdits to an in-memory annotation map exactly as main will apply them to
// the file, and computes the inverse of each, so the UI can paint first and undo anything.
import type { Annotation, AnnotationEdit, CurationDecision } from '../../../../shared/model'
import { asUtf16 } from '../../../../shared/model'

export interface EditContext {
  text: string
  annotator: string
  now: () => string
  /** The gold layer's curation decisions by position key (changed in place like the annotations). */
  decisions?: Map<string, CurationDecision>
}

export interface AppliedEdits {
  /** Edits that revert the applied ones, in the order they must be applied. */
  revert: AnnotationEdit[]
  /** Ranges whose rendering changed (old and new position of each touched annotation). */
  touchedRanges: { start: number; end: number }[]
  changed: Annotation[]
  removedIds: string[]
}

export class EditConflictError extends Error {
  override name = 'EditConflictError'
}

/** Mutates `annotations` (id → record). Throws EditConflictError, changing nothing, when an edit cannot apply. */
export function applyEditsToMap(annotations: Map<string, Annotation>, edits: AnnotationEdit[], context: EditContext): AppliedEdits {
  const working = new Map<string, Annotation | undefined>()
  const current = (id: string): Annotation | undefined => (working.has(id) ? working.get(id) : annotations.get(id))
  const revert: AnnotationEdit[] = []
  const touchedRanges: { start: number; end: number }[] = []
  // Decisions change only once every edit is known to apply, like the annotations.
  const pendingDecisions: (() => void)[] = []

  for (const edit of edits) {
    switch (edit.op) {
      case 'add': {
        const { id, start, end, tag, note, provenance } = edit.annotation
        if (current(id)) throw new EditConflictError(`annotation ${id} already exists`)
        if (!(start >= 0 && end > start && end <= context.text.length)) {
          throw new EditConflictError(`offsets ${start}..${end} are outside the text (length ${context.text.length})`)
        }
        const time = context.now()
        const record: Annotation = {
          id,
          start: asUtf16(start),
          end: asUtf16(end),
          tag,
          text: context.text.slice(start, end),
          annotator: context.annotator,
          createdAt: time,
          updatedAt: time,
          provenance: provenance ? structuredClone(provenance) : { source: 'manual' }
        }
        if (note !== undefined && note !== '') record.note = note
        working.set(id, record)
        revert.unshift({ op: 'delete', id })
        touchedRanges.push({ start, end })
        break
      }
      case 'restore': {
        if (current(edit.annotation.id)) throw new EditConflictError(`annotation ${edit.annotation.id} already exists`)
        working.set(edit.annotation.id, { ...edit.annotation })
        revert.unshift({ op: 'delete', id: edit.annotation.id })
        touchedRanges.push({ start: edit.annotation.start, end: edit.annotation.end })
        break
      }
      case 'delete': {
        const existing = current(edit.id)
        if (!existing) throw new EditConflictError(`annotation ${edit.id} does not exist`)
        working.set(edit.id, undefined)
        revert.unshift({ op: 'restore', annotation: existing })
        touchedRanges.push({ start: existing.start, end: existing.end })
        break
      }
      case 'decide': {
        const decisions = context.decisions
        if (!decisions) throw new EditConflictError('only the gold layer records curation decisions')
        const previous = decisions.get(edit.decision.positionKey)
        pendingDecisions.push(() => decisions.set(edit.decision.positionKey, edit.decision))
        revert.unshift(previous ? { op: 'decide', decision: previous } : { op: 'undecide', positionKey: edit.decision.positionKey })
        break
      }
      case 'undecide': {
        const decisions = context.decisions
        const previous = decisions?.get(edit.positionKey)
        if (!decisions || !previous) break
        pendingDecisions.push(() => decisions.delete(edit.positionKey))
        revert.unshift({ op: 'decide', decision: previous })
        break
      }
      case 'confirm-text': {
        const existing = current(edit.id)
        if (!existing) throw new EditConflictError(`annotation ${edit.id} does not exist`)
        if (!existing.textCheck) break
        const confirmed: Annotation = { ...existing, updatedAt: context.now() }
        delete confirmed.textCheck
        working.set(edit.id, confirmed)
        // Undone by putting the flagged record back as it was.
        revert.unshift({ op: 'delete', id: edit.id }, { op: 'restore', annotation: existing })
        touchedRanges.push({ start: existing.start, end: existing.end })
        break
      }
      case 'update': {
        const existing = current(edit.id)
        if (!existing) throw new EditConflictError(`annotation ${edit.id} does not exist`)
        const updated: Annotation = { ...existing, updatedAt: context.now() }
        const previous: { tag?: string; note?: string | null } = {}
        if (edit.changes.tag !== undefined && edit.changes.tag !== existing.tag) {
          previous.tag = existing.tag
          updated.tag = edit.changes.tag
        }
        if (edit.changes.note !== undefined && (edit.changes.note ?? '') !== (existing.note ?? '')) {
          previous.note = existing.note ?? null
          if (edit.changes.note === null || edit.changes.note === '') delete updated.note
          else updated.note = edit.changes.note
        }
        if (Object.keys(previous).length === 0) break
        working.set(edit.id, updated)
        revert.unshift({ op: 'update', id: edit.id, changes: previous })
        touchedRanges.push({ start: existing.start, end: existing.end })
        break
      }
    }
  }

  for (const apply of pendingDecisions) apply()
  const changed: Annotation[] = []
  const removedIds: string[] = []
  for (const [id, record] of working) {
    if (record) {
      annotations.set(id, record)
      changed.push(record)
    } else if (annotations.delete(id)) {
      removedIds.push(id)
    }
  }
  return { revert, touchedRanges, changed, removedIds }
}

/** A short human description of a change, for undo/redo button titles. */
export function describeEdits(edits: AnnotationEdit[], tagLabel: (tagId: string) => string): string {
  const first = edits[0]
  if (!first) return 'Change'
  const suffix = edits.length > 1 ? ` (${edits.length} changes)` : ''
  switch (first.op) {
    case 'add':
      return `Add ${tagLabel(first.annotation.tag)}${suffix}`
    case 'restore':
      return `Restore ${tagLabel(first.annotation.tag)}${suffix}`
    case 'delete':
      return `Delete annotation${suffix}`
    case 'update':
      return first.changes.tag !== undefined ? `Change tag to ${tagLabel(first.changes.tag)}${suffix}` : `Edit note${suffix}`
    case 'decide':
      return `Reject a disagreement${suffix}`
    case 'undecide':
      return `Reopen a disagreement${suffix}`
    case 'confirm-text':
      return `Confirm a span's text${suffix}`
  }
}
