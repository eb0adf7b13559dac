// A document's document.json read and checked: what the store does for the app, and what an
// export worker does on its own thread (it has no ProjectStore), by one rule.
import { join } from 'node:path'
import { QuireError } from '../../shared/api'
import type { DocumentRecord } from '../../shared/model'
import { readFileIfExists } from './durable-file'
import { DOCUMENT_FILE } from './file-kinds'
import { parseStoredFile } from './json-store'

/** The file's name in a document folder. */
export const DOCUMENT_FILE_NAME = 'document.json'

/** The record in `folder`; null when the folder has no document.json (a half-finished import). Throws when it is damaged or names another id. */
export async function readDocumentRecordIfExists(folder: string, documentId: string): Promise<DocumentRecord | null> {
  const path = join(folder, DOCUMENT_FILE_NAME)
  const bytes = await readFileIfExists(path)
  if (bytes === null) return null
  const record = parseStoredFile(bytes, path, DOCUMENT_FILE)
  if (record.id !== documentId) {
    throw new QuireError({
      code: 'corrupt-store',
      path,
      message: `The document description ${path} says its id is "${record.id}" but it is in the folder "${documentId}"`
    })
  }
  return record
}
