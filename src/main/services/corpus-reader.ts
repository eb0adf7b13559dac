// Reads one document of a project at a time for exports and statistics: its text (checked
// against the SHA-256 recorded at import) and every annotator's layer.
//
// The reads are synchronous on purpose. Exporters are synchronous generators that pull the
// next document when they need it (src/core/formats), so the document must be at hand the
// moment it is pulled; reading it synchronously keeps only one document in memory, which is
// what keeps an export's memory flat however large the project. Each read is a few small
// files, and the export loop yields to the event loop between chunks.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { QuireError } from '../../shared/api'
import type { AnnotationLayer, DocumentRecord } from '../../shared/model'
import { isErrnoCode } from '../store/durable-file'
import { ANNOTATION_FILE } from '../store/file-kinds'
import { parseStoredFile } from '../store/json-store'
import { ANNOTATIONS_FOLDER, sha256Hex, TEXT_FILE_NAME, type ProjectStore } from '../store/project-store'

export interface CorpusDocument {
  record: DocumentRecord
  /** Null when only the layers were asked for. */
  text: string | null
  layers: AnnotationLayer[]
}

/** A file of the document that could not be read; the rest of the document is still returned. */
export interface CorpusReadProblem {
  documentId: string
  documentName: string
  path: string
  message: string
}

/**
 * The document's text and layers. A text that cannot be read or no longer matches its
 * SHA-256 makes the whole document unusable (offsets would point at the wrong words): the
 * problem is reported and null returned. A layer that cannot be read is reported and left out.
 */
export function readCorpusDocumentSync(
  store: ProjectStore,
  record: DocumentRecord,
  options: { withText: boolean; onProblem: (problem: CorpusReadProblem) => void }
): CorpusDocument | null {
  const folder = store.documentFolder(record.id)
  const report = (path: string, message: string): void =>
    options.onProblem({ documentId: record.id, documentName: record.name, path, message })
  let text: string | null = null
  if (options.withText) {
    const path = join(folder, TEXT_FILE_NAME)
    try {
      const bytes = readFileSync(path)
      if (sha256Hex(bytes) !== record.sha256) {
        report(path, `the text of "${record.name}" (${path}) was changed after it was imported, so its offsets cannot be trusted; document left out`)
        return null
      }
      // Decoded exactly as ProjectStore.readText decodes it, so offsets agree with the app's.
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch (error) {
      report(path, `the text of "${record.name}" could not be read (${describeError(error)}); document left out`)
      return null
    }
  }
  return { record, text, layers: readLayers(folder, record, report) }
}

function readLayers(folder: string, record: DocumentRecord, report: (path: string, message: string) => void): AnnotationLayer[] {
  const annotationsFolder = join(folder, ANNOTATIONS_FOLDER)
  let names: string[]
  try {
    names = readdirSync(annotationsFolder)
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return []
    report(annotationsFolder, `the annotations of "${record.name}" could not be listed (${describeError(error)})`)
    return []
  }
  const layers: AnnotationLayer[] = []
  // Temp files of an interrupted save start with "."; they are never a layer.
  for (const name of names.filter((entry) => entry.endsWith('.json') && !entry.startsWith('.')).sort()) {
    const path = join(annotationsFolder, name)
    try {
      const layer = parseStoredFile(readFileSync(path), path, ANNOTATION_FILE)
      if (layer.documentId !== record.id || layer.textSha256 !== record.sha256) {
        report(path, `the annotation file ${path} belongs to another document or another version of the text of "${record.name}"; its spans are left out`)
        continue
      }
      layers.push(layer)
    } catch (error) {
      report(path, `${describeError(error)} Its spans are left out.`)
    }
  }
  return layers
}

function describeError(error: unknown): string {
  return error instanceof QuireError || error instanceof Error ? error.message : String(error)
}
