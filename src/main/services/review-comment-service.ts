// Review comments: a reviewer's comment on a colleague's span is kept in the reviewer's own
// layer file, and the colleague's "resolved" in theirs, so Quire never writes anyone else's file
// and a synced folder never sees two people write one file.
import { QuireError } from '../../shared/api'
import { readFile } from 'node:fs/promises'
import type { AnnotationLayer, CommentOnLayer, DocumentRecord, LayerComments, LayerRef, ReviewComment, ReviewCommentInput } from '../../shared/model'
import { ANNOTATION_FILE } from '../store/file-kinds'
import { parseStoredFile } from '../store/json-store'
import { placeOnCurrentText } from './layer-service'
import { parsedLayers } from './parsed-layer-cache'
import type { ProjectStore } from '../store/project-store'
import type { ProjectService } from './project-service'

export class ReviewCommentService {
  constructor(private readonly projects: Pick<ProjectService, 'requireProject'>) {}

  async get(layer: LayerRef): Promise<LayerComments> {
    const store = this.projects.requireProject()
    return commentsFor(store, await store.readRecord(layer.documentId), layer.annotator)
  }

  /** Adds or changes a comment in the reviewer's own layer (`layer`). */
  async save(layer: LayerRef, input: ReviewCommentInput): Promise<LayerComments> {
    const store = this.projects.requireProject()
    const record = await store.readRecord(layer.documentId)
    if (input.target.annotator === layer.annotator) {
      throw new QuireError({ code: 'invalid-argument', message: 'A review comment is for a colleague’s span; use the span’s note for your own' })
    }
    if (input.text.trim() === '') throw new QuireError({ code: 'invalid-argument', message: 'The comment is empty' })
    const file = await store.annotationLayer(record, layer.annotator)
    await file.update((draft) => {
      const now = new Date().toISOString()
      const existing = draft.comments.find((comment) => comment.id === input.id)
      if (existing) {
        existing.text = input.text.trim()
        existing.updatedAt = now
      } else {
        draft.comments.push({ ...structuredClone(input), text: input.text.trim(), createdAt: now, updatedAt: now })
      }
    })
    return commentsFor(store, record, layer.annotator)
  }

  async delete(layer: LayerRef, commentId: string): Promise<LayerComments> {
    const store = this.projects.requireProject()
    const record = await store.readRecord(layer.documentId)
    const file = await store.annotationLayer(record, layer.annotator)
    if (!file.current.comments.some((comment) => comment.id === commentId)) {
      throw new QuireError({ code: 'not-found', message: `There is no comment ${commentId} of ${layer.annotator} on "${record.name}"` })
    }
    await file.update((draft) => {
      draft.comments = draft.comments.filter((comment) => comment.id !== commentId)
    })
    return commentsFor(store, record, layer.annotator)
  }

  /** Marks a colleague's comment on one of your spans resolved (or open again), in your own layer. */
  async setResolved(layer: LayerRef, commentId: string, reviewer: string, resolved: boolean): Promise<LayerComments> {
    const store = this.projects.requireProject()
    const record = await store.readRecord(layer.documentId)
    const file = await store.annotationLayer(record, layer.annotator)
    await file.update((draft) => {
      draft.resolvedComments = draft.resolvedComments.filter((resolution) => !(resolution.commentId === commentId && resolution.reviewer === reviewer))
      if (resolved) draft.resolvedComments.push({ commentId, reviewer, resolvedAt: new Date().toISOString() })
    })
    return commentsFor(store, record, layer.annotator)
  }
}

/**
 * A colleague's layer with only its comments, placed on the current text: read as the layer list
 * read it (parsedLayers) or from the file, never loaded into the store (which keeps the layers
 * this process writes), and without mapping its spans, which comments do not need.
 */
async function colleagueComments(store: ProjectStore, record: DocumentRecord, path: string): Promise<AnnotationLayer> {
  const layer = store.loadedLayer(path)?.current ?? (await parsedLayers.getIfUnchanged(path)) ?? parseStoredFile(await readFile(path), path, ANNOTATION_FILE)
  return placeOnCurrentText(store, record, { ...layer, annotations: [], lostInEditing: [] }, path)
}

/**
 * The comments `annotator` wrote, and those colleagues wrote on `annotator`'s spans (read from
 * every other layer file of the document; an unreadable one is skipped, the layer list names it).
 */
export async function commentsFor(store: ProjectStore, record: DocumentRecord, annotator: string): Promise<LayerComments> {
  const own = (await store.annotationLayer(record, annotator)).current
  const resolvedAt = new Map(own.resolvedComments.map((resolution) => [`${resolution.reviewer}\u0000${resolution.commentId}`, resolution.resolvedAt]))
  const onLayer: CommentOnLayer[] = []
  const ownPath = store.layerPath(record.id, annotator)
  for (const path of await store.layerFilePaths(record.id)) {
    if (path === ownPath) continue
    let comments: ReviewComment[]
    let reviewer: string
    try {
      const layer = await colleagueComments(store, record, path)
      comments = layer.comments
      reviewer = layer.annotator
    } catch {
      continue
    }
    for (const comment of comments) {
      if (comment.target.annotator !== annotator) continue
      onLayer.push({ reviewer, comment: structuredClone(comment), resolvedAt: resolvedAt.get(`${reviewer}\u0000${comment.id}`) ?? null })
    }
  }
  onLayer.sort((a, b) => a.comment.createdAt.localeCompare(b.comment.createdAt))
  return { written: structuredClone(own.comments), onLayer }
}
