// One annotator's annotation file on one document, with its changes applied one at a time.
//
// Annotation edits (the window's saves) are appended to the layer's journal and applied in
// place: a save costs its own size, not the layer's. Other changes (status, comments, imports,
// starting curation) rewrite the file, which folds the journal into it; so do compaction (the
// journal grew past a size, the project closes, a sync is about to commit).
import { mkdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Low } from 'lowdb'
import {
  ANNOTATION_LAYER_SCHEMA_VERSION,
  ORIGINAL_REVISION,
  type Annotation,
  type AnnotationEdit,
  type AnnotationEditResult,
  type AnnotationLayer,
  type DocumentRecord
} from '../../shared/model'
import {
  applyPlanToSortedLayer,
  compareAnnotations,
  isInLayerOrder,
  planEdits,
  planIsEmpty,
  planOutcome,
  sortedLayerLookup,
  type AnnotationEditContext,
  type PlannedEdits
} from '../../core/annotation-edits'
import { describeWriteFailure, readFileIfExists } from './durable-file'
import { appendToJournal, cutJournalTo } from './journal-append'
import { encodeJournalEntry, journalPathOf, newJournalId } from './layer-journal'
import { readLayerFromDisk, withJournal } from './layer-on-disk'
import { spansAddedBy, statusAfterSpansAdded } from '../../core/layer-status'

/** Returned by an update's change to write nothing (the layer is kept as it is). */
export const KEEP_AS_IS: unique symbol = Symbol('keep the layer as it is')

/** A journal past this size is folded into the layer file (about 3,000 new spans). */
export const DEFAULT_JOURNAL_LIMIT_BYTES = 1024 * 1024

let journalLimitForNewLayers = DEFAULT_JOURNAL_LIMIT_BYTES

/** Bench and torture seam: layers opened from now on compact past `bytes` of journal. */
export function setJournalLimitBytes(bytes: number): void {
  journalLimitForNewLayers = bytes
}

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
    lostInEditing: [],
    rejectedSuggestions: []
  }
}

/** What an annotation edit is checked against, besides the layer. */
export type EditRules = Omit<AnnotationEditContext, 'annotator' | 'now'>

export class AnnotationLayerFile {
  private queue: Promise<unknown> = Promise.resolve()
  private pendingChanges = 0
  /** Bumped by every save: what was computed from the layer (a comparison) is stale once it moves. */
  revision = 0
  /** The journal's last save was cut off by a crash and dropped (said once, on the layer list). */
  journalWarning: string | null = null
  /** Whether the file exists on disk (a journal needs a file that records its position). */
  private fileExists = false
  /** Bytes of complete entries in the journal: where the next one goes. */
  private journalBytes = 0
  /** The journal holds bytes past journalBytes (a torn entry) to cut off before appending. */
  private journalHasTail = false
  /** Sequence number of the journal's last entry (the file's position when there is none). */
  private journalSeq = 0
  /** The journal size past which the next save starts a compaction. */
  private compactPastBytes: number
  /** Set by rewriteOnNextSave; cleared by the next rewrite of the file. */
  private mustRewrite = false
  /** The layer's annotations by id, kept in step with every change. */
  private byId: Map<string, Annotation> | null = null

  constructor(
    readonly path: string,
    private readonly database: Low<AnnotationLayer>,
    /** Throws when the layer may not be written now; a fold (compaction) changes no anchor, so a text waiting to be settled does not stop it. */
    private readonly assertWritable: (purpose: 'save' | 'fold') => void,
    private readonly journalLimitBytes = journalLimitForNewLayers
  ) {
    this.compactPastBytes = journalLimitBytes
  }

  get journalPath(): string {
    return journalPathOf(this.path)
  }

  async load(): Promise<void> {
    await this.database.read()
    this.fileExists = await stat(this.path).then(
      () => true,
      () => false
    )
    const read = withJournal(this.database.data, await readFileIfExists(this.journalPath), this.path)
    this.journalWarning = read.warning
    this.journalSeq = read.layer.journal?.seq ?? 0
    this.journalBytes = read.journal?.goodBytes ?? 0
    this.journalHasTail = read.journal !== null && read.journal.torn !== null
    // Edits insert by position: keep the array in layer order (a hand-written file may not be).
    if (!isInLayerOrder(this.database.data.annotations)) this.database.data.annotations.sort(compareAnnotations)
    // Built here, with the reading, so the first save does not pay for it (85 ms for 88,000 spans).
    this.byId = indexById(this.database.data.annotations)
  }

  /** True while changes are queued or being written: the file must not be reread under them. */
  get busy(): boolean {
    return this.pendingChanges > 0
  }

  /** Resolves once every change queued so far has finished (saved or failed). */
  settled(): Promise<void> {
    return this.queue.then(() => undefined)
  }

  /** The layer as last saved. Treat as read-only; change it through applyEdits() or update(). */
  get current(): AnnotationLayer {
    return this.database.data
  }

  /**
   * Puts the layer on a newer text (mapped forward through revisions) in memory only, after the
   * changes queued before it: the file and its journal keep their anchor until the owner's next
   * save, which rewrites the whole file (a journal never holds offsets of two revisions).
   * `place` returns the layer as it is when there is nothing to map.
   */
  placeInMemory(place: (current: AnnotationLayer) => AnnotationLayer): Promise<void> {
    return this.enqueue(async () => {
      const current = this.database.data
      const placed = place(current)
      if (placed === current) return
      if (!isInLayerOrder(placed.annotations)) placed.annotations.sort(compareAnnotations)
      this.database.data = placed
      // Built again by the next save that needs it, not inside the text edit that moved the layer.
      this.byId = null
      this.rewriteOnNextSave()
      this.revision++
    })
  }

  /**
   * Makes the next annotation edit rewrite the whole file instead of appending to the journal:
   * for a layer changed in memory after it was read (mapped forward to a newer text revision),
   * whose journal entries would otherwise be replayed onto the file as it was.
   */
  rewriteOnNextSave(): void {
    this.mustRewrite = true
  }

  /** True when saves sit in the journal, not yet folded into the file. */
  get hasJournal(): boolean {
    return this.journalBytes > 0 || this.journalHasTail
  }

  /**
   * Applies annotation edits by the rules of src/core/annotation-edits.ts: all of them or, when
   * one is refused (AnnotationEditRefusal), none. The batch is appended to the journal and
   * fsynced before it is applied in memory and the call resolves; a failed append leaves the
   * layer in memory as it is on disk.
   */
  applyEdits(edits: readonly AnnotationEdit[], rules: EditRules): Promise<AnnotationEditResult> {
    return this.enqueue(async () => {
      this.assertWritable('save')
      const layer = this.database.data
      const byId = (this.byId ??= indexById(layer.annotations))
      const now = new Date().toISOString()
      const plan = planEdits(sortedLayerLookup(layer, byId), edits, { ...rules, annotator: layer.annotator, now })
      const outcome = planOutcome(plan)
      if (planIsEmpty(plan)) return outcome
      const status = statusAfterSpansAdded(layer.status, spansAddedBy(plan.resolved))
      // A journal entry holds edits only: the save that moves the status rewrites the file, once per layer.
      if (!this.fileExists || layer.journal === undefined || this.mustRewrite || status !== layer.status) {
        // The first save makes the file that records where its journal starts.
        await this.writeWhole({ ...withPlanApplied(layer, plan, now), status })
        return outcome
      }
      const seq = this.journalSeq + 1
      const line = encodeJournalEntry({ seq, journal: layer.journal.id, at: now, edits: plan.resolved })
      await this.append(line)
      this.journalSeq = seq
      applyPlanToSortedLayer(plan, layer, byId)
      layer.updatedAt = now
      this.revision++
      if (this.journalBytes > this.compactPastBytes) {
        // A compaction that fails (a full disk) is tried again only after as much again is journaled.
        this.compactPastBytes = this.journalBytes + this.journalLimitBytes
        void this.compact().catch(() => undefined)
      }
      return outcome
    })
  }

  /**
   * Applies `change` to a copy of the layer and rewrites the file (folding the journal in).
   * Changes run strictly one after another, and each resolves only once its write is durable;
   * a change whose write fails leaves the layer in memory as it is on disk.
   */
  update<Result>(change: (draft: AnnotationLayer) => Result): Promise<Result> {
    return this.enqueue(async () => {
      this.assertWritable('save')
      const draft = structuredClone(this.database.data)
      const result = change(draft)
      // A change that finds nothing to do (decided inside the queue, so no race) writes nothing.
      if (result === KEEP_AS_IS) return result
      draft.updatedAt = new Date().toISOString()
      // The change may have put spans anywhere (an import appends them): back in layer order.
      if (!isInLayerOrder(draft.annotations)) draft.annotations.sort(compareAnnotations)
      await this.writeWhole(draft)
      return result
    })
  }

  /** Folds the journal into the layer file and removes it (nothing to do without a journal). */
  compact(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.hasJournal || !this.fileExists) return
      this.assertWritable('fold')
      if (this.mustRewrite) {
        await this.foldJournalOnDisk()
        return
      }
      // The layer in memory is the file with the journal applied; written as it is, no copy.
      await this.writeWhole(this.database.data, { inPlace: true })
    })
  }

  /**
   * Compaction of a layer placed on a newer text in memory (placeInMemory): the file is rewritten
   * with its journal replayed, in the file's own revision. Writing the mapped layer would write it
   * forward, which only its owner's save does.
   */
  private async foldJournalOnDisk(): Promise<void> {
    const onDisk = await readLayerFromDisk(this.path)
    if (onDisk === null) return
    const inMemory = this.database.data
    onDisk.layer.schemaVersion = ANNOTATION_LAYER_SCHEMA_VERSION
    this.database.data = onDisk.layer
    try {
      await this.database.write()
    } finally {
      this.database.data = inMemory
    }
    try {
      await rm(this.journalPath, { force: true })
      this.journalBytes = 0
      this.journalHasTail = false
      this.compactPastBytes = this.journalLimitBytes
    } catch {
      // Left in place, its entries are ones the file records as included: replay skips them.
    }
  }

  private enqueue<Result>(task: () => Promise<Result>): Promise<Result> {
    this.pendingChanges++
    const run = this.queue.then(task)
    const finished = (): void => {
      this.pendingChanges--
    }
    run.then(finished, finished)
    this.queue = run.catch(() => undefined)
    return run
  }

  private async append(line: string): Promise<void> {
    const journalPath = this.journalPath
    if (this.journalHasTail) {
      await cutJournalTo(journalPath, this.journalBytes)
      this.journalHasTail = false
    }
    try {
      this.journalBytes += await appendToJournal(journalPath, line, this.journalBytes === 0)
    } catch (error) {
      // Part of the line may be on disk: cut it off now, or before the next append (a reader
      // meanwhile drops it as torn).
      const undo = this.journalBytes === 0 ? rm(journalPath, { force: true }) : cutJournalTo(journalPath, this.journalBytes)
      await undo.catch(() => {
        this.journalHasTail = true
      })
      throw describeWriteFailure(error, journalPath)
    }
  }

  /**
   * Writes `next` as the layer file, recording that it includes every journal entry so far,
   * then removes the journal. A crash in between leaves entries the file records as included,
   * which replay skips.
   */
  private async writeWhole(next: AnnotationLayer, options: { inPlace?: boolean } = {}): Promise<void> {
    const saved = this.database.data
    const journal = { id: saved.journal?.id ?? newJournalId(), seq: this.journalSeq }
    const previousJournal = saved.journal
    const previousSchema = saved.schemaVersion
    next.journal = journal
    next.schemaVersion = ANNOTATION_LAYER_SCHEMA_VERSION
    await mkdir(join(this.path, '..'), { recursive: true }).catch((error: unknown) => {
      throw describeWriteFailure(error, this.path)
    })
    this.database.data = next
    try {
      await this.database.write()
    } catch (error) {
      this.database.data = saved
      if (options.inPlace) {
        if (previousJournal) saved.journal = previousJournal
        else delete saved.journal
        saved.schemaVersion = previousSchema
      }
      throw error
    }
    this.fileExists = true
    this.mustRewrite = false
    this.revision++
    // A rewrite may have changed spans anywhere: index them again (a status change, an import).
    if (!options.inPlace) this.byId = indexById(next.annotations)
    if (this.hasJournal) {
      try {
        await rm(this.journalPath, { force: true })
        this.journalBytes = 0
        this.journalHasTail = false
        this.compactPastBytes = this.journalLimitBytes
      } catch {
        // Left in place, its entries are ones the file records as included: replay skips them.
      }
    }
  }
}

function indexById(annotations: readonly Annotation[]): Map<string, Annotation> {
  return new Map(annotations.map((annotation) => [annotation.id, annotation]))
}

/** The layer with a plan applied, as a new object (arrays copied, records shared). */
function withPlanApplied(layer: AnnotationLayer, plan: PlannedEdits, now: string): AnnotationLayer {
  const next: AnnotationLayer = { ...layer, annotations: [...layer.annotations], updatedAt: now }
  if (layer.curationDecisions) next.curationDecisions = [...layer.curationDecisions]
  if (layer.curators) next.curators = [...layer.curators]
  applyPlanToSortedLayer(plan, next, indexById(next.annotations))
  return next
}
