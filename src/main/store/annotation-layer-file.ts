// One annotator's annotation file on one document, with its changes applied one at a time.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Low } from 'lowdb'
import { ANNOTATION_LAYER_SCHEMA_VERSION, ORIGINAL_REVISION, type AnnotationLayer, type DocumentRecord } from '../../shared/model'
import { describeWriteFailure } from './durable-file'

/** Returned by an update's change to write nothing (the layer is kept as it is). */
export const KEEP_AS_IS: unique symbol = Symbol('keep the layer as it is')

/** The layer an annotator has before their first save. */
export function emptyAnnotationLayer(record: DocumentRecord, annotator: string): AnnotationLayer {
  return {
    format: 'quire-annotations',
    schemaVersion: ANNOTATION_LAYER_SCHEMA_VERSION,
    documentId: record.id,
    annotator,
    status: 'not-started',
    textSha256: record.sha256,
    annotations: [],
    comments: [],
    resolvedComments: [],
    textRevision: ORIGINAL_REVISION,
    lostInEditing: []
  }
}

export class AnnotationLayerFile {
  private queue: Promise<unknown> = Promise.resolve()
  private pendingChanges = 0
  /** Bumped by every save: what was computed from the layer (a comparison) is stale once it moves. */
  revision = 0

  constructor(
    readonly path: string,
    private readonly database: Low<AnnotationLayer>,
    private readonly assertWritable: () => void
  ) {}

  async load(): Promise<void> {
    await this.database.read()
  }

  /** True while changes are queued or being written: the file must not be reread under them. */
  get busy(): boolean {
    return this.pendingChanges > 0
  }

  /** Resolves once every change queued so far has finished (saved or failed). */
  settled(): Promise<void> {
    return this.queue.then(() => undefined)
  }

  /** The layer as last saved. Treat as read-only; change it through update(). */
  get current(): AnnotationLayer {
    return this.database.data
  }

  /**
   * The layer put on a newer text (mapped forward through revisions), in memory only: the file
   * keeps its anchor until the layer's owner next saves, which writes the mapped layer.
   */
  replaceInMemory(layer: AnnotationLayer): void {
    this.database.data = layer
    this.revision++
  }

  /**
   * Applies `change` to a copy of the layer and saves it. Changes run strictly one after
   * another, and each resolves only once its write is durable; a change whose write fails
   * leaves the layer in memory as it is on disk.
   */
  update<Result>(change: (draft: AnnotationLayer) => Result): Promise<Result> {
    this.pendingChanges++
    const run = this.queue.then(async () => {
      this.assertWritable()
      const saved = this.database.data
      const draft = structuredClone(saved)
      const result = change(draft)
      // A change that finds nothing to do (decided inside the queue, so no race) writes nothing.
      if (result === KEEP_AS_IS) return result
      draft.updatedAt = new Date().toISOString()
      draft.schemaVersion = ANNOTATION_LAYER_SCHEMA_VERSION
      await mkdir(join(this.path, '..'), { recursive: true }).catch((error: unknown) => {
        throw describeWriteFailure(error, this.path)
      })
      this.database.data = draft
      try {
        await this.database.write()
      } catch (error) {
        this.database.data = saved
        throw error
      }
      this.revision++
      return result
    })
    const finished = (): void => {
      this.pendingChanges--
    }
    run.then(finished, finished)
    this.queue = run.catch(() => undefined)
    return run
  }
}
