// The one way a layer is read from disk: its file, with its journal's saves replayed by the
// same rules that made them (src/core/annotation-edits.ts). Every reader of a layer — the
// store loading the annotator's own, the layer list and comparison reading colleagues',
// exports, statistics and agreement in workers — goes through here, so none of them sees a
// layer without its latest saves.
import { readFileSync, statSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { QuireError } from '../../shared/api'
import type { Annotation, AnnotationLayer } from '../../shared/model'
import { AnnotationEditRefusal, applyPlanToSortedLayer, compareAnnotations, isInLayerOrder, planEdits, sortedLayerLookup } from '../../core/annotation-edits'
import { isErrnoCode, readFileIfExists } from './durable-file'
import { ANNOTATION_FILE } from './file-kinds'
import { parseStoredFile } from './json-store'
import { describeTornEntry, journalPathOf, parseJournal, type ParsedJournal } from './layer-journal'

export interface LayerRead {
  layer: AnnotationLayer
  /** The journal as read (null: there is none); where the next save is appended. */
  journal: ParsedJournal | null
  /** What the user should know: the journal's last save was cut off and dropped. */
  warning: string | null
}

/** What identifies the version of a layer on disk: its file's and its journal's size and modification time. */
export interface LayerStamp {
  mtimeMs: number
  size: number
  /** "size:mtime" of the journal, or "none". */
  journal: string
}

/**
 * Replays `journalBytes` (the layer's journal, or null) onto `layer` as parsed from its file,
 * in place. Throws a corrupt-store QuireError when the journal cannot be trusted.
 */
export function withJournal(layer: AnnotationLayer, journalBytes: Uint8Array | null, layerPath: string): LayerRead {
  if (journalBytes === null || journalBytes.byteLength === 0) return { layer, journal: null, warning: null }
  const journalPath = journalPathOf(layerPath)
  const journal = parseJournal(journalBytes, journalPath, layer.journal)
  if (journal.pending.length > 0) {
    // Saves keep the layer in order; a file written by another tool may not be.
    if (!isInLayerOrder(layer.annotations)) layer.annotations.sort(compareAnnotations)
    const byId = new Map<string, Annotation>(layer.annotations.map((annotation) => [annotation.id, annotation]))
    for (const entry of journal.pending) {
      let plan
      try {
        plan = planEdits(sortedLayerLookup(layer, byId), entry.edits, {
          text: null,
          tagIds: null,
          annotator: layer.annotator,
          documentName: layer.documentId,
          now: entry.at
        })
      } catch (error) {
        if (!(error instanceof AnnotationEditRefusal)) throw error
        throw new QuireError({
          code: 'corrupt-store',
          path: journalPath,
          line: entry.line,
          message:
            `The journal ${journalPath} cannot be replayed onto its layer file: line ${entry.line} ${error.why}. ` +
            'Quire will not change it or its layer file; restore the layer from a backup, or remove the journal to go back to the layer as last written.'
        })
      }
      applyPlanToSortedLayer(plan, layer, byId)
      layer.updatedAt = entry.at
    }
    layer.journal = { id: (layer.journal as { id: string }).id, seq: journal.lastSeq }
  }
  return { layer, journal, warning: journal.torn ? describeTornEntry(journalPath, journal.torn) : null }
}

/** Parses a layer file's bytes and replays its journal's (as read beside it). */
export function parseLayerWithJournal(layerBytes: Uint8Array, journalBytes: Uint8Array | null, layerPath: string): LayerRead {
  return withJournal(parseStoredFile(layerBytes, layerPath, ANNOTATION_FILE), journalBytes, layerPath)
}

/** The layer in `layerPath` with its journal, or null when there is no layer file. */
export async function readLayerFromDisk(layerPath: string): Promise<LayerRead | null> {
  // The journal before the file: a compaction between the two reads then only repeats entries
  // the new file records as included (replay skips them); the other order could miss saves.
  const journalBytes = await readFileIfExists(journalPathOf(layerPath))
  const layerBytes = await readFileIfExists(layerPath)
  if (layerBytes === null) return null
  return parseLayerWithJournal(layerBytes, journalBytes, layerPath)
}

/** The journal's bytes beside a layer file (null: none), for readers that fetch files themselves. */
export function readJournalSyncIfExists(layerPath: string): Buffer | null {
  return readSyncIfExists(journalPathOf(layerPath))
}

export function readJournalIfExists(layerPath: string): Promise<Buffer | null> {
  return readFileIfExists(journalPathOf(layerPath))
}

/** The layer's stamp; throws ENOENT when the layer file is missing, like stat. */
export async function layerStamp(layerPath: string): Promise<LayerStamp> {
  const info = await stat(layerPath)
  const journal = await stat(journalPathOf(layerPath)).then(
    (journalInfo) => `${journalInfo.size}:${journalInfo.mtimeMs}`,
    (error: unknown) => {
      if (isErrnoCode(error, 'ENOENT')) return 'none'
      throw error
    }
  )
  return { mtimeMs: info.mtimeMs, size: info.size, journal }
}

/**
 * The layer's stamp as one string (file and journal, size and modification time), or undefined
 * when the file is missing. Synchronous: a check of every layer of a project takes one each.
 */
export function layerStampText(layerPath: string): string | undefined {
  const info = statSync(layerPath, { throwIfNoEntry: false })
  if (!info) return undefined
  const journal = statSync(journalPathOf(layerPath), { throwIfNoEntry: false })
  return `${info.size}:${info.mtimeMs}/${journal ? `${journal.size}:${journal.mtimeMs}` : 'none'}`
}

export function sameLayerStamp(a: LayerStamp, b: LayerStamp): boolean {
  return a.mtimeMs === b.mtimeMs && a.size === b.size && a.journal === b.journal
}

function readSyncIfExists(path: string): Buffer | null {
  try {
    return readFileSync(path)
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return null
    throw error
  }
}
