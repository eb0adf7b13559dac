// Applying the renderer's annotation edits to the layer the call names: all edits of a call
// are checked first and either all are saved or none.
import { QuireError } from '../../shared/api'
import { isCurationLayer, type Annotation, type AnnotationEdit, type AnnotationEditResult, type AnnotationLayer, type LayerRef } from '../../shared/model'
import type { ProjectService } from './project-service'

export class AnnotationService {
  constructor(private readonly projects: ProjectService) {}

  /**
   * Applies `edits` in order. If any edit is invalid against the text and the layer (as it
   * stands after the edits before it), nothing is applied and 'invalid-argument' says which
   * edit and why. Resolves only once the result is durably on disk.
   */
  async applyEdits({ documentId, annotator }: LayerRef, edits: readonly AnnotationEdit[]): Promise<AnnotationEditResult> {
    const store = this.projects.requireProject()
    const { record, text } = await store.textState(documentId)
    // Refused before any edit is checked: the whole document is read-only until its text is settled.
    store.assertTextSettled(documentId)
    const tagIds = new Set(store.manifest.tags.map((tag) => tag.id))
    const layer = await store.annotationLayer(record, annotator)
    return layer.update((draft) => applyToDraft(draft, edits, { text, tagIds, annotator, documentName: record.name }))
  }
}

interface EditContext {
  text: string
  tagIds: ReadonlySet<string>
  annotator: string
  documentName: string
}

/** Mutates `draft` (a copy); throws before the caller saves anything if an edit is invalid. */
export function applyToDraft(
  draft: AnnotationLayer,
  edits: readonly AnnotationEdit[],
  context: EditContext
): AnnotationEditResult {
  const now = new Date().toISOString()
  const touchedIds = new Set<string>()
  const deletedIds = new Set<string>()
  const indexOf = (id: string): number => draft.annotations.findIndex((annotation) => annotation.id === id)

  edits.forEach((edit, editIndex) => {
    const refuse = (why: string): never => {
      throw new QuireError({
        code: 'invalid-argument',
        message: `Nothing was saved: edit ${editIndex + 1} of ${edits.length} (${edit.op}) on "${context.documentName}" ${why}`
      })
    }
    switch (edit.op) {
      case 'add': {
        const { id, start, end, tag, note, provenance } = edit.annotation
        if (indexOf(id) !== -1) refuse(`uses the id ${id}, which another annotation already has`)
        checkSpan(start, end, context.text, refuse)
        if (!context.tagIds.has(tag)) refuse(`uses the tag ${tag}, which this project does not define`)
        const annotation: Annotation = {
          id,
          start,
          end,
          tag,
          text: context.text.slice(start, end),
          annotator: context.annotator,
          createdAt: now,
          updatedAt: now,
          provenance: provenance ? structuredClone(provenance) : { source: 'manual' }
        }
        if (note !== undefined && note !== '') annotation.note = note
        if (annotation.provenance.curator !== undefined) noteCurator(draft, annotation.provenance.curator)
        draft.annotations.push(annotation)
        touchedIds.add(id)
        deletedIds.delete(id)
        break
      }
      case 'update': {
        const index = indexOf(edit.id)
        const annotation = draft.annotations[index]
        if (!annotation) return refuse(`changes the annotation ${edit.id}, which does not exist (was it deleted?)`)
        const { tag, note } = edit.changes
        if (tag !== undefined) {
          if (!context.tagIds.has(tag)) refuse(`uses the tag ${tag}, which this project does not define`)
          annotation.tag = tag
        }
        if (note === null || note === '') delete annotation.note
        else if (note !== undefined) annotation.note = note
        annotation.updatedAt = now
        touchedIds.add(edit.id)
        break
      }
      case 'delete': {
        const index = indexOf(edit.id)
        if (index === -1) refuse(`deletes the annotation ${edit.id}, which does not exist`)
        draft.annotations.splice(index, 1)
        touchedIds.delete(edit.id)
        deletedIds.add(edit.id)
        break
      }
      case 'decide': {
        if (!isCurationLayer(context.annotator)) refuse(`records a curation decision in ${context.annotator}'s layer; only the gold layer holds them`)
        const decisions = (draft.curationDecisions ??= [])
        const index = decisions.findIndex((decision) => decision.positionKey === edit.decision.positionKey)
        if (index === -1) decisions.push(structuredClone(edit.decision))
        else decisions[index] = structuredClone(edit.decision)
        noteCurator(draft, edit.decision.curator)
        break
      }
      case 'undecide': {
        if (!isCurationLayer(context.annotator)) refuse(`undoes a curation decision in ${context.annotator}'s layer; only the gold layer holds them`)
        draft.curationDecisions = (draft.curationDecisions ?? []).filter((decision) => decision.positionKey !== edit.positionKey)
        break
      }
      case 'confirm-text': {
        const annotation = draft.annotations[indexOf(edit.id)]
        if (!annotation) return refuse(`confirms the annotation ${edit.id}, which does not exist (was it deleted?)`)
        delete annotation.textCheck
        annotation.updatedAt = now
        touchedIds.add(edit.id)
        break
      }
      case 'restore': {
        const annotation = edit.annotation
        if (indexOf(annotation.id) !== -1) refuse(`restores the annotation ${annotation.id}, which still exists`)
        checkSpan(annotation.start, annotation.end, context.text, refuse)
        if (context.text.slice(annotation.start, annotation.end) !== annotation.text) {
          refuse(`restores the annotation ${annotation.id}, whose text no longer matches the document at ${annotation.start}–${annotation.end}`)
        }
        if (annotation.annotator !== context.annotator) {
          refuse(`restores an annotation by ${annotation.annotator} into the layer of ${context.annotator}`)
        }
        if (!context.tagIds.has(annotation.tag)) refuse(`uses the tag ${annotation.tag}, which this project does not define`)
        draft.annotations.push(structuredClone(annotation))
        touchedIds.add(annotation.id)
        deletedIds.delete(annotation.id)
        break
      }
    }
  })

  draft.annotations.sort((a, b) => a.start - b.start || a.end - b.end || a.id.localeCompare(b.id))
  const saved = draft.annotations.filter((annotation) => touchedIds.has(annotation.id)).map((annotation) => structuredClone(annotation))
  return { saved, deletedIds: [...deletedIds] }
}

/** The gold layer lists everyone who curated it, in the order they started. */
function noteCurator(draft: AnnotationLayer, curator: string): void {
  if (!isCurationLayer(draft.annotator)) return
  const curators = (draft.curators ??= [])
  if (!curators.includes(curator)) curators.push(curator)
}

function checkSpan(start: number, end: number, text: string, refuse: (why: string) => never): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < 0) {
    refuse(`has offsets ${start}–${end}; offsets are whole numbers from 0`)
  }
  if (start >= end) refuse(`has an empty or reversed span ${start}–${end}: the start must be before the end`)
  if (end > text.length) refuse(`ends at ${end}, past the end of the text (length ${text.length})`)
  if (splitsSurrogatePair(text, start) || splitsSurrogatePair(text, end)) {
    refuse(`has a span ${start}–${end} that cuts a character in half`)
  }
}

function splitsSurrogatePair(text: string, offset: number): boolean {
  const before = text.charCodeAt(offset - 1)
  const after = text.charCodeAt(offset)
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff
}
