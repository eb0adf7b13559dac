// Applying the renderer's annotation edits to the layer the call names: all edits of a call
// are checked first (by the rules in src/core/annotation-edits.ts) and either all are saved
// or none.
import { QuireError } from '../../shared/api'
import type { AnnotationEdit, AnnotationEditResult, LayerRef } from '../../shared/model'
import { AnnotationEditRefusal } from '../../core/annotation-edits'
import type { ProjectService } from './project-service'
import type { ProjectStore } from '../store/project-store'

export class AnnotationService {
  constructor(private readonly projects: ProjectService) {}

  /**
   * Applies `edits` in order. If any edit is invalid against the text and the layer (as it
   * stands after the edits before it), nothing is applied and 'invalid-argument' says which
   * edit and why. Resolves only once the result is durably on disk. `tagsAboutToExist` are
   * tags a tag set change adds in the same call (spans move to them before project.json lists them).
   */
  async applyEdits({ documentId, annotator }: LayerRef, edits: readonly AnnotationEdit[], tagsAboutToExist: readonly string[] = []): Promise<AnnotationEditResult> {
    const store = this.projects.requireProject()
    // Known to the store from the call's start, so a backup restored meanwhile waits for it.
    return store.whileLayerCall(store.layerPath(documentId, annotator), () => this.#apply(store, { documentId, annotator }, edits, tagsAboutToExist))
  }

  async #apply(store: ProjectStore, { documentId, annotator }: LayerRef, edits: readonly AnnotationEdit[], tagsAboutToExist: readonly string[]): Promise<AnnotationEditResult> {
    const { record, text } = await store.textState(documentId)
    // Refused before any edit is checked: the whole document is read-only until its text is settled.
    store.assertTextSettled(documentId)
    const tagIds = new Set([...store.manifest.tags.map((tag) => tag.id), ...tagsAboutToExist])
    const layer = await store.annotationLayer(record, annotator)
    try {
      return await layer.applyEdits(edits, { text, tagIds, documentName: record.name })
    } catch (error) {
      throw error instanceof AnnotationEditRefusal ? refusalError(error) : error
    }
  }
}

/** The rules' refusal as the window reads it: nothing of the call was saved. */
export function refusalError(refusal: AnnotationEditRefusal): QuireError {
  return new QuireError({ code: 'invalid-argument', message: `Nothing was saved: ${refusal.message}` })
}
