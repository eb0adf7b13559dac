// Importing texts into the open project: every file is decoded and checked on its own, so
// one bad file is reported and the rest of the batch still imports.
import { rm } from 'node:fs/promises'
import { documentIdFromName } from '../../core/ids'
import { decodeImportedText } from '../../core/text-decode'
import { STORE_SCHEMA_VERSION, type DocumentRecord, type ImportFile, type ImportReport } from '../../shared/model'
import { sha256Hex } from '../store/project-store'
import type { ProjectService } from './project-service'

export class ImportService {
  constructor(
    private readonly projects: Pick<ProjectService, 'requireProject'>,
    private readonly maxImportBytes: number
  ) {}

  /**
   * Imports each file as a new document. Refused files come back with the reason; a file
   * whose text (by SHA-256) is already in the project, or earlier in the same batch, is
   * reported as a duplicate and not imported again. Each accepted file is written completely
   * or not at all.
   */
  async importTexts(files: readonly ImportFile[], importedBy: string): Promise<ImportReport> {
    const store = this.projects.requireProject()
    const report: ImportReport = { imported: [], refused: [], duplicates: [] }
    await store.removeAbandonedImports()

    const documentsBySha = new Map<string, { id: string; name: string }>()
    for (const listing of await store.listDocuments()) {
      if ('record' in listing) documentsBySha.set(listing.record.sha256, { id: listing.record.id, name: listing.record.name })
    }
    const takenIds = new Set(await store.documentFolderNames())

    for (const file of files) {
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
      try {
        await store.addDocument(record, decoded.text)
      } catch (error) {
        // Nothing of a failed document may stay behind: it would look half-imported.
        await rm(store.documentFolder(id), { recursive: true, force: true }).catch(() => undefined)
        const why = error instanceof Error ? error.message : String(error)
        report.refused.push({ fileName, reason: `"${fileName}" could not be saved into the project: ${why}` })
        continue
      }
      documentsBySha.set(sha256, { id, name: record.name })
      report.imported.push({ fileName, documentId: id, name: record.name })
    }
    return report
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
