// Project files for the large benches (export, review, search, entities), written the way the
// app writes them (durably, validated) but without the store's layer cache, which would keep
// every annotation of a 10,000-document corpus in the generator's memory.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { annotatorFileName } from '../src/core/ids'
import { ANNOTATION_FILE } from '../src/main/store/file-kinds'
import { DurableJsonFile } from '../src/main/store/json-store'
import { ANNOTATIONS_FOLDER, sha256Hex, type ProjectStore } from '../src/main/store/project-store'
import { ANNOTATION_LAYER_SCHEMA_VERSION, ORIGINAL_REVISION, STORE_SCHEMA_VERSION, type Annotation, type DocumentRecord, type LineEnding } from '../src/shared/model'

/** Document `index` of a bench corpus: id doc-00042, name "Document 00042". */
export function benchDocumentRecord(index: number, text: string, imported: { at: string; by: string; lineEnding: LineEnding }): DocumentRecord {
  const bytes = new TextEncoder().encode(text)
  const number = String(index).padStart(5, '0')
  const id = `doc-${number}`
  return {
    format: 'quire-document',
    schemaVersion: STORE_SCHEMA_VERSION,
    id,
    name: `Document ${number}`,
    originalFileName: `${id}.txt`,
    encoding: 'utf-8',
    lineEnding: imported.lineEnding,
    sizeBytes: bytes.length,
    length: text.length,
    sha256: sha256Hex(bytes),
    importedAt: imported.at,
    importedBy: imported.by
  }
}

/** Writes `annotator`'s layer of a document being added (inside store.addDocument's callback). */
export async function writeBenchLayer(store: ProjectStore, record: DocumentRecord, annotator: string, annotations: Annotation[]): Promise<void> {
  const folder = join(store.documentFolder(record.id), ANNOTATIONS_FOLDER)
  await mkdir(folder, { recursive: true })
  await new DurableJsonFile(join(folder, annotatorFileName(annotator, sha256Hex)), ANNOTATION_FILE).write({
    format: 'quire-annotations',
    schemaVersion: ANNOTATION_LAYER_SCHEMA_VERSION,
    documentId: record.id,
    annotator,
    status: 'in-progress',
    textSha256: record.sha256,
    textRevision: ORIGINAL_REVISION,
    lostInEditing: [],
    rejectedSuggestions: [],
    annotations,
    comments: [],
    resolvedComments: []
  })
}
