// Importing texts into the open project: every file is decoded and checked on its own, so
// one bad file is reported and the rest of the batch still imports.
import { documentIdFromName } from '../../core/ids'
import { decodeImportedText } from '../../core/text-decode'
import { STORE_SCHEMA_VERSION, type DocumentRecord, type ImportFile, type ImportReport, type ImportedAnnotationsDocument } from '../../shared/model'
import { sha256Hex } from '../store/project-store'
import type { NewDocument } from '../store/document-batch'
import type { ProjectStore } from '../store/project-store'
import type { DocumentIndexEntry } from '../../core/document-index/entry'
import type { ProjectService } from './project-service'

/** Documents written per batch: one durable write each (see store/document-batch.ts). */
export const IMPORT_BATCH_SIZE = 500

/** How a long import says how far it is, and how it is stopped. */
export interface ImportControl {
  /** Called after each batch with the files looked at so far and in all. */
  onProgress?: (done: number, total: number) => void
  /** Aborting stops the import after the batch being written: every batch is whole or absent. */
  signal?: AbortSignal
  /** Documents per batch (IMPORT_BATCH_SIZE); the crash torture makes them small to kill in many. */
  batchSize?: number
  /**
   * False: an annotation import's report lists no documents (`quire import` counts them with
   * onDocumentWritten instead), so a report of 100,000 documents does not grow with them.
   */
  listDocuments?: boolean
  /** Told each document an annotation import wrote, once its batch is whole. */
  onDocumentWritten?: (document: ImportedAnnotationsDocument) => void
}

export class ImportService {
  constructor(
    private readonly projects: Pick<ProjectService, 'requireProject'>,
    private readonly maxImportBytes: number,
    /**
     * The open project's document index (DocumentIndex.entries): duplicates are then found by
     * the texts' SHA-256 it keeps, not by reading every document.json. Without it, they are read.
     */
    private readonly indexedDocuments?: () => Promise<readonly DocumentIndexEntry[]>
  ) {}

  /**
   * Imports each file as a new document. Refused files come back with the reason; a file
   * whose text (by SHA-256) is already in the project, or earlier in the same import, is
   * reported as a duplicate and not imported again. Accepted files are written in batches of
   * IMPORT_BATCH_SIZE, each batch completely or not at all.
   */
  async importTexts(files: readonly ImportFile[], importedBy: string, control: ImportControl = {}): Promise<ImportReport> {
    const store = this.projects.requireProject()
    const report: ImportReport = { imported: [], refused: [], duplicates: [] }
    await store.removeAbandonedImports()

    const documentsBySha = await this.#documentsByTextSha(store)
    const takenIds = new Set(await store.documentFolderNames())
    let batch: { fileName: string; document: NewDocument }[] = []
    const writeBatch = async (): Promise<void> => {
      const written = batch
      batch = []
      try {
        await store.addDocuments(written.map((entry) => entry.document))
      } catch (error) {
        // The batch is whole or absent: none of its files was imported.
        const why = error instanceof Error ? error.message : String(error)
        for (const { fileName, document } of written) {
          documentsBySha.delete(document.record.sha256)
          report.refused.push({ fileName, reason: `"${fileName}" could not be saved into the project: ${why}` })
        }
        return
      }
      for (const { fileName, document } of written) report.imported.push({ fileName, documentId: document.record.id, name: document.record.name })
    }

    for (const [position, file] of files.entries()) {
      if (control.signal?.aborted) {
        report.cancelled = { notImported: files.length - position }
        break
      }
      const fileName = baseName(file.name)
      const decoded = decodeImportedText(file.bytes, fileName, this.maxImportBytes)
      if (!decoded.ok) {
        report.refused.push({ fileName, reason: decoded.reason })
        continue
      }
      const utf8 = new TextEncoder().encode(decoded.text)
      const sha256 = sha256Hex(utf8)
      const existing = documentsBySha.get(sha256)
      if (existing) {
        report.duplicates.push({ fileName, existingDocumentId: existing.id, existingName: existing.name })
        continue
      }
      const id = documentIdFromName(fileName, takenIds)
      takenIds.add(id)
      const record: DocumentRecord = {
        format: 'quire-document',
        schemaVersion: STORE_SCHEMA_VERSION,
        id,
        name: displayName(fileName),
        originalFileName: fileName,
        encoding: decoded.encoding,
        lineEnding: decoded.lineEnding,
        sizeBytes: utf8.length,
        length: decoded.text.length,
        sha256,
        importedAt: new Date().toISOString(),
        importedBy
      }
      documentsBySha.set(sha256, { id, name: record.name })
      batch.push({ fileName, document: { record, text: decoded.text, layers: [] } })
      if (batch.length >= (control.batchSize ?? IMPORT_BATCH_SIZE)) {
        await writeBatch()
        control.onProgress?.(position + 1, files.length)
      }
    }
    // A batch under way when cancelled is still written whole: its files were looked at.
    if (batch.length > 0) await writeBatch()
    control.onProgress?.(files.length - (report.cancelled?.notImported ?? 0), files.length)
    return report
  }

  /** The project's documents by the SHA-256 of their text as imported. */
  async #documentsByTextSha(store: ProjectStore): Promise<Map<string, { id: string; name: string }>> {
    const documentsBySha = new Map<string, { id: string; name: string }>()
    if (this.indexedDocuments === undefined) {
      for (const listing of await store.listDocuments()) {
        if ('record' in listing) documentsBySha.set(listing.record.sha256, { id: listing.record.id, name: listing.record.name })
      }
      return documentsBySha
    }
    for (const entry of await this.indexedDocuments()) {
      if (entry.problem) continue
      // An entry from an index written before the hash was kept: its document.json says it.
      const sha256 = entry.sha256 ?? (await store.readRecordIfExists(entry.id).catch(() => null))?.sha256
      if (sha256 !== undefined) documentsBySha.set(sha256, { id: entry.id, name: entry.name })
    }
    return documentsBySha
  }
}

/** Browsers and dialogs may hand over a path; only its last part names the document. */
function baseName(name: string): string {
  return name.split(/[\\/]/).filter(Boolean).pop() ?? name
}

function displayName(fileName: string): string {
  const withoutExtension = fileName.replace(/\.[^.]{1,8}$/, '')
  return withoutExtension.trim() || fileName
}
