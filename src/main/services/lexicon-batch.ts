// The suggestions' lexicon's first reading of a large project (suggestion-service.ts), made by a
// worker thread at the lowest priority (lexicon-worker.ts): each document's layers are read and
// turned into what the lexicon takes from them, in the shape the lexicon file saves
// (SavedDocument), which the main thread then takes as it takes a saved document.
//
// At 100,000 documents the reading made on the main thread, in slices with its reads on the
// thread pool, took 73 s and 60 s of CPU (34 s of it in the system, the thread pool's handoffs),
// while the window had one core left on a two-core machine: the document list's scrolling
// stuttered. Here the reads are synchronous, on one thread that gives way to everything else.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { Lexicon } from '../../core/suggestions/lexicon'
import { settledFolderStamp } from '../store/document-stamp'
import { layerStampText, parseLayerWithJournal, readJournalSyncIfExists } from '../store/layer-on-disk'
import type { SavedDocument, SavedLayer } from '../store/lexicon-file'
import { ANNOTATIONS_FOLDER, DOCUMENTS_FOLDER, isLayerFileName } from '../store/project-store'

/** Stamp of an annotations/ folder that does not exist. */
const NO_FOLDER = '-'

export interface LexiconBatchSettings {
  projectDir: string
}

export interface LexiconBatchJob {
  batchIndex: number
  documentIds: string[]
}

export interface LexiconBatchOutput {
  batchIndex: number
  /**
   * Each document's part of the lexicon; null where the main thread reads the document itself
   * (its folder changed too recently to stamp, or a layer could not be read: the main thread's
   * reading leaves such a layer out and names it unsaved).
   */
  documents: [string, SavedDocument | null][]
}

/** The annotations/ folder's stamp (NO_FOLDER when there is none), or undefined while it changed too recently to be relied on. */
export function annotationsFolderStamp(folder: string): string | undefined {
  const info = statSync(folder, { throwIfNoEntry: false })
  return info ? settledFolderStamp(info) : NO_FOLDER
}

export function readLexiconBatch(settings: LexiconBatchSettings, job: LexiconBatchJob): LexiconBatchOutput {
  // One lexicon for the batch, each layer taken and given back: it turns spans into taggings
  // exactly as the main thread's lexicon does.
  const scratch = new Lexicon()
  return {
    batchIndex: job.batchIndex,
    documents: job.documentIds.map((documentId) => {
      try {
        return [documentId, documentPart(join(settings.projectDir, DOCUMENTS_FOLDER, documentId, ANNOTATIONS_FOLDER), scratch)]
      } catch {
        return [documentId, null]
      }
    })
  }
}

function documentPart(folder: string, scratch: Lexicon): SavedDocument | null {
  // Stamps are taken before the files are read: a change in between shows as a stamp that moved.
  const annotationsFolder = annotationsFolderStamp(folder)
  if (annotationsFolder === undefined) return null
  if (annotationsFolder === NO_FOLDER) return { annotationsFolder, layers: [] }
  const layers: SavedLayer[] = []
  for (const name of readdirSync(folder).filter(isLayerFileName).sort()) {
    const path = join(folder, name)
    const stamp = layerStampText(path)
    if (stamp === undefined) return null
    const { layer } = parseLayerWithJournal(readFileSync(path), readJournalSyncIfExists(path), path)
    scratch.setSource(path, layer.annotator, layer.annotations)
    const taken = scratch.sourceTaggings(path)
    scratch.removeSource(path)
    if (!taken) return null
    layers.push({ name, stamp, annotator: taken.annotator, taggings: taken.taggings })
  }
  return { annotationsFolder, layers }
}
