// New documents written a batch at a time (a bulk import of 10,000 texts): one durable write
// per batch instead of one per file. The whole batch (records, texts, layers) first goes into
// .quire/import-batch.json, written durably (temp file, fsync, rename, fsync of the folder): that
// write is the batch's commit. Its documents' folders are then written without fsync, each
// document.json last, and the batch file removed. A crash before the commit leaves nothing of
// the batch (only a temp file, removed on opening); a crash after it leaves the batch file,
// from which opening writes the batch's folders again, whole. So each batch is all or nothing.
//
// What this gives up against writing each file durably: after a power cut (not a crash of
// Quire) within the system's write-back delay (about 30 s on Linux) a batch whose file was
// already removed may have lost folders; a folder without document.json is ignored and cleaned
// up by the next import, and a text that lost its bytes fails its SHA-256 check when opened.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { QuireError } from '../../shared/api'
import type { AnnotationLayer, DocumentRecord } from '../../shared/model'
import { readFileIfExists, writeFileDurably } from './durable-file'
import { ANNOTATION_FILE, DOCUMENT_FILE } from './file-kinds'
import { parseStoredFile } from './json-store'
import type { ProjectStore } from './project-store'

export const IMPORT_BATCH_FILE_NAME = 'import-batch.json'
const IMPORT_BATCH_FORMAT = 'quire-import-batch'

export interface NewDocument {
  record: DocumentRecord
  text: string
  /** Layers to create with the document (an annotation import's spans); may be empty. */
  layers: AnnotationLayer[]
}

/** A document as the batch file holds it: every file's path in its folder and exact content. */
interface BatchDocument {
  id: string
  /** [file name relative to the document folder, content], document.json last. */
  files: [string, string][]
}

interface BatchFile {
  format: typeof IMPORT_BATCH_FORMAT
  documents: BatchDocument[]
}

/** Where a store keeps its batch file and how it names a document's files. */
export interface BatchPaths {
  localStateDir: string
  documentFolder(documentId: string): string
  textFileName: string
  documentFileName: string
  annotationsFolder: string
  layerFileName(annotator: string): string
}

/**
 * Writes `documents` (new ids, folders that do not exist) as one batch. Every file is checked
 * as the store would read it back before anything is written; a bad one refuses the batch.
 */
export async function writeDocumentBatch(store: ProjectStore, paths: BatchPaths, documents: readonly NewDocument[]): Promise<void> {
  store.assertWritable()
  if (documents.length === 0) return
  const batch: BatchFile = { format: IMPORT_BATCH_FORMAT, documents: documents.map((document) => batchDocument(paths, document)) }
  for (const document of batch.documents) {
    const folder = paths.documentFolder(document.id)
    if (existsSync(folder)) throw new QuireError({ code: 'internal', path: folder, message: `The document folder ${folder} already exists` })
  }
  const batchPath = join(paths.localStateDir, IMPORT_BATCH_FILE_NAME)
  await writeFileDurably(batchPath, JSON.stringify(batch))
  writeBatchFolders(store, paths, batch, false)
  await rm(batchPath, { force: true })
}

/** Finishes a batch a crash interrupted after its commit (opening a project calls this). Returns the ids written. */
export async function finishInterruptedBatch(store: ProjectStore, paths: BatchPaths): Promise<string[]> {
  const batchPath = join(paths.localStateDir, IMPORT_BATCH_FILE_NAME)
  const bytes = await readFileIfExists(batchPath)
  if (bytes === null) return []
  let batch: BatchFile
  try {
    batch = JSON.parse(bytes.toString('utf8')) as BatchFile
    if (batch.format !== IMPORT_BATCH_FORMAT || !Array.isArray(batch.documents)) throw new Error('not an import batch')
  } catch (error) {
    // Renamed into place only once complete: a file that does not parse was not written by Quire.
    console.warn(`Quire: ${batchPath} is not an import batch Quire can finish (${(error as Error).message}); it is left as it is`)
    return []
  }
  writeBatchFolders(store, paths, batch, true)
  await rm(batchPath, { force: true })
  return batch.documents.map((document) => document.id)
}

function batchDocument(paths: BatchPaths, document: NewDocument): BatchDocument {
  const { record } = document
  const folder = paths.documentFolder(record.id)
  const files: [string, string][] = [[paths.textFileName, document.text]]
  for (const layer of document.layers) {
    const name = join(paths.annotationsFolder, paths.layerFileName(layer.annotator))
    files.push([name, checkedJson(layer, join(folder, name), ANNOTATION_FILE)])
  }
  files.push([paths.documentFileName, checkedJson(record, join(folder, paths.documentFileName), DOCUMENT_FILE)])
  return { id: record.id, files }
}

/** The file's text as the store writes it, once it reads back as `kind`. */
function checkedJson<T>(data: T, path: string, kind: Parameters<typeof parseStoredFile<T>>[2]): string {
  const text = `${JSON.stringify(data, null, 2)}\n`
  parseStoredFile(new TextEncoder().encode(text), path, kind)
  return text
}

/**
 * Each document's folder written afresh (a replay replaces what an interrupted run left), its
 * document.json last. Synchronous: a few small files a document, far quicker done in place
 * than through the thread pool; a batch holds the event loop for tens of milliseconds.
 */
function writeBatchFolders(store: ProjectStore, paths: BatchPaths, batch: BatchFile, replay: boolean): void {
  for (const document of batch.documents) {
    const folder = paths.documentFolder(document.id)
    try {
      if (replay) rmSync(folder, { recursive: true, force: true })
      mkdirSync(folder)
      if (document.files.length > 2) mkdirSync(join(folder, paths.annotationsFolder))
      for (const [name, content] of document.files) {
        const path = join(folder, name)
        store.ownWrites.record(path, content)
        writeFileSync(path, content)
        if (name.endsWith('.json')) store.backups.recordFirstVersionNow(path, content)
      }
    } catch (error) {
      throw new QuireError({ code: 'io', path: folder, message: `The document folder ${folder} could not be written: ${(error as Error).message}` })
    }
    // A replay's documents were never announced; new ones are, by the store, once the batch is whole.
    if (replay) store.noteDocumentChanged(document.id)
  }
}
