// Text revisions for the fake API, in memory, with the core's own rules: change sets applied
// and checked, every layer's spans mapped (lost spans kept, changed ones flagged), undo as a new
// revision bringing lost spans back, cleanup planned by the core, forks settled by choosing.
import { QuireError } from '../../src/shared/api'
import type {
  Annotation,
  AnnotationLayer,
  ChangeSetJson,
  CleanupPreview,
  CleanupStepId,
  LostSpan,
  RevisionOrigin,
  TextHistory,
  TextProblem,
  TextRevisionHead,
  TextRevisionSummary
} from '../../src/shared/model'
import { ORIGINAL_REVISION } from '../../src/shared/model'
import { applyChanges, describeSplitCharacter, invertChanges, newRevisionId } from '../../src/core/text-edit/change-set'
import { mapAnnotationsThrough, restoreLostSpans } from '../../src/core/text-edit/span-mapping'
import { buildHyphenationEvidence, planCleanup } from '../../src/core/text-edit/cleanup/index'

/** The layers of one document as the fake keeps them: annotations by annotator, read and written through these. */
export interface FakeTextLayers {
  annotators(): string[]
  annotations(annotator: string): Annotation[]
  setAnnotations(annotator: string, annotations: Annotation[]): void
}

interface StoredRevision extends TextRevisionSummary {
  changes: ChangeSetJson
  textBefore: string
}

interface DocumentRevisions {
  revisions: StoredRevision[]
  lost: Map<string, LostSpan[]>
  problem: TextProblem | null
}

export class FakeTextRevisions {
  readonly #documents = new Map<string, DocumentRevisions>()
  now: () => string = () => new Date().toISOString()

  #of(documentId: string): DocumentRevisions {
    let found = this.#documents.get(documentId)
    if (!found) this.#documents.set(documentId, (found = { revisions: [], lost: new Map(), problem: null }))
    return found
  }

  /** Plants a problem (a damaged revision file, a fork) for the next reads of the document. */
  setProblem(documentId: string, problem: TextProblem | null): void {
    this.#of(documentId).problem = problem
  }

  problem(documentId: string): TextProblem | null {
    return this.#of(documentId).problem
  }

  head(documentId: string, text: string): TextRevisionHead {
    const last = this.#of(documentId).revisions.filter((revision) => !revision.setAside).at(-1)
    return { id: last?.id ?? ORIGINAL_REVISION, seq: last?.seq ?? 0, sha256: last?.shaAfter ?? '0'.repeat(64), length: text.length }
  }

  lostInEditing(documentId: string, annotator: string): LostSpan[] {
    return structuredClone(this.#of(documentId).lost.get(annotator) ?? [])
  }

  history(documentId: string, text: string): TextHistory {
    const state = this.#of(documentId)
    return {
      documentId,
      head: this.head(documentId, text),
      revisions: state.revisions.map(({ changes: _changes, textBefore: _textBefore, ...summary }) => structuredClone(summary)),
      problem: state.problem
    }
  }

  /** Applies `changes` to `text` as a new revision; returns the text after it and the revision. */
  save(
    documentId: string,
    text: string,
    layers: FakeTextLayers,
    request: { author: string; baseRevision: string; changes: ChangeSetJson; origin: RevisionOrigin; summary?: string }
  ): { text: string; revision: TextRevisionSummary | null; layersMapped: number } {
    const state = this.#of(documentId)
    if (state.problem) throw new QuireError({ code: 'read-only', message: `The text cannot be edited: ${state.problem.message}` })
    const head = this.head(documentId, text)
    if (request.baseRevision !== head.id) {
      throw new QuireError({ code: 'invalid-argument', message: `The text changed meanwhile (revision ${head.id}); your edit was made on ${request.baseRevision}` })
    }
    const split = describeSplitCharacter(text, request.changes)
    if (split) throw new QuireError({ code: 'invalid-argument', message: split })
    const after = applyChanges(text, request.changes)
    if (after === text) return { text, revision: null, layersMapped: 0 }
    const id = newRevisionId(head.seq + 1)
    let layersMapped = 0
    for (const annotator of layers.annotators()) {
      const mapped = mapAnnotationsThrough(layers.annotations(annotator), request.changes, after, id)
      if (mapped.lost.length > 0 || mapped.flagged > 0 || mapped.annotations.some((a, i) => a.start !== layers.annotations(annotator)[i]?.start)) layersMapped++
      layers.setAnnotations(annotator, mapped.annotations)
      if (mapped.lost.length > 0) state.lost.set(annotator, [...(state.lost.get(annotator) ?? []), ...mapped.lost])
    }
    const revision: StoredRevision = {
      id,
      parent: head.id,
      seq: head.seq + 1,
      author: request.author,
      createdAt: this.now(),
      shaBefore: head.sha256,
      shaAfter: id.padEnd(64, '0').slice(0, 64),
      lengthBefore: text.length,
      lengthAfter: after.length,
      origin: request.origin,
      summary: request.summary ?? `${after.length - text.length >= 0 ? '+' : ''}${after.length - text.length} characters`,
      setAside: false,
      changes: request.changes,
      textBefore: text
    }
    state.revisions.push(revision)
    const { changes: _changes, textBefore: _textBefore, ...summary } = revision
    return { text: after, revision: structuredClone(summary), layersMapped }
  }

  /** Undoes the head revision with a new one; spans it deleted come back. */
  undo(documentId: string, text: string, layers: FakeTextLayers, author: string, revisionId: string) {
    const state = this.#of(documentId)
    const undone = state.revisions.filter((revision) => !revision.setAside).at(-1)
    if (!undone || undone.id !== revisionId) throw new QuireError({ code: 'invalid-argument', message: `${revisionId} is not the newest revision` })
    const result = this.save(documentId, text, layers, {
      author,
      baseRevision: revisionId,
      changes: invertChanges(undone.changes, undone.textBefore),
      origin: { kind: 'undo', undoes: revisionId },
      summary: `Undo: ${undone.summary}`
    })
    for (const annotator of layers.annotators()) {
      const lost = state.lost.get(annotator) ?? []
      const restored = restoreLostSpans({ annotations: layers.annotations(annotator), lostInEditing: lost } as AnnotationLayer, revisionId, result.text)
      layers.setAnnotations(annotator, restored.layer.annotations)
      state.lost.set(annotator, restored.layer.lostInEditing)
    }
    return result
  }

  preview(documentId: string, text: string, steps: CleanupStepId[], projectTexts: string[]): CleanupPreview {
    const plan = planCleanup(text, steps, { hyphenation: buildHyphenationEvidence(projectTexts) })
    return { documentId, baseRevision: this.head(documentId, text).id, steps: plan.previews, lengthAfter: plan.textAfter.length }
  }

  clean(documentId: string, text: string, layers: FakeTextLayers, author: string, baseRevision: string, steps: CleanupStepId[], projectTexts: string[]) {
    const plan = planCleanup(text, steps, { hyphenation: buildHyphenationEvidence(projectTexts) })
    return this.save(documentId, text, layers, {
      author,
      baseRevision,
      changes: plan.changes,
      origin: { kind: 'clean', steps },
      summary: plan.previews.map((preview) => preview.summary).join('; ')
    })
  }

  /** Settles a planted fork: the problem goes and `keep` is named in the history. */
  settle(documentId: string, keep: string): void {
    const state = this.#of(documentId)
    const problem = state.problem
    if (problem?.kind !== 'fork' || !problem.candidates.some((candidate) => candidate.id === keep)) {
      throw new QuireError({ code: 'invalid-argument', message: `no fork to settle with ${keep}` })
    }
    state.problem = null
  }
}
