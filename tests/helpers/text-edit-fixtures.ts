// Annotations, layers and revisions for the text-edit tests, built the way the store holds them.
import { createHash } from 'node:crypto'
import {
  ANNOTATION_LAYER_SCHEMA_VERSION,
  asUtf16,
  ORIGINAL_REVISION,
  type Annotation,
  type AnnotationLayer,
  type ChangeSetJson,
  type RevisionOrigin,
  type TextRevision
} from '../../src/shared/model'
import { applyChanges } from '../../src/core/text-edit/change-set'

const TIME = '2026-12-01T12:00:00.000Z'

export function spanOn(text: string, id: string, start: number, end: number, tag = 'PERSON'): Annotation {
  return {
    id,
    start: asUtf16(start),
    end: asUtf16(end),
    tag,
    text: text.slice(start, end),
    annotator: 'leyla',
    createdAt: TIME,
    updatedAt: TIME,
    provenance: { source: 'manual' }
  }
}

/** A span on the first occurrence of `words` (at or after `from`). */
export function spanOnWords(text: string, id: string, words: string, from = 0): Annotation {
  const start = text.indexOf(words, from)
  if (start < 0) throw new Error(`"${words}" is not in the text`)
  return spanOn(text, id, start, start + words.length)
}

export function layerOn(text: string, annotations: Annotation[], textRevision = ORIGINAL_REVISION): AnnotationLayer {
  return {
    format: 'quire-annotations',
    schemaVersion: ANNOTATION_LAYER_SCHEMA_VERSION,
    documentId: 'doc',
    annotator: 'leyla',
    status: 'in-progress',
    textSha256: sha256(text),
    annotations,
    comments: [],
    resolvedComments: [],
    textRevision,
    lostInEditing: [],
    rejectedSuggestions: []
  }
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex')

/** Builds a chain of revisions from `text`, returning each revision with the text after it. */
export class RevisionChain {
  readonly revisions: TextRevision[] = []
  readonly texts: string[]

  constructor(original: string) {
    this.texts = [original]
  }

  get head(): string {
    return this.texts[this.texts.length - 1] as string
  }

  get headId(): string {
    return this.revisions.length === 0 ? ORIGINAL_REVISION : (this.revisions[this.revisions.length - 1] as TextRevision).id
  }

  add(changes: ChangeSetJson, origin: RevisionOrigin = { kind: 'edit' }): TextRevision {
    const before = this.head
    const after = applyChanges(before, changes)
    const seq = this.revisions.length + 1
    const revision: TextRevision = {
      format: 'quire-revision',
      schemaVersion: 1,
      id: `r${seq}-${seq.toString(16).padStart(12, '0')}`,
      parent: this.headId,
      seq,
      author: 'rashad',
      createdAt: TIME,
      shaBefore: sha256(before),
      shaAfter: sha256(after),
      lengthBefore: before.length,
      lengthAfter: after.length,
      changes,
      origin,
      summary: origin.kind
    }
    this.revisions.push(revision)
    this.texts.push(after)
    return revision
  }

  /** The revisions after `revisionId` (ORIGINAL_REVISION for all), oldest first. */
  after(revisionId: string): TextRevision[] {
    if (revisionId === ORIGINAL_REVISION) return [...this.revisions]
    const index = this.revisions.findIndex((revision) => revision.id === revisionId)
    return this.revisions.slice(index + 1)
  }
}

/** Every annotation's stored text equals the text it covers, and it lies inside the text. */
export function describeBadSpans(text: string, annotations: readonly Annotation[]): string[] {
  return annotations
    .filter((a) => !(0 <= a.start && a.start < a.end && a.end <= text.length && text.slice(a.start, a.end) === a.text))
    .map((a) => `${a.id} ${a.start}–${a.end} "${a.text}" covers "${text.slice(a.start, a.end)}"`)
}
