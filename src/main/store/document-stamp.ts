// What a document's files are right now, in one string, from their names, sizes and modification
// times: document.json, text.txt, every file in annotations/ (layers and their journals) and in
// revisions/. Two equal stamps mean nothing the document list shows can have changed, so the
// document index (document-index-file.ts) is checked against the disk without reading a file.
//
// Synchronous on purpose: a stamp is half a dozen stat calls, which take microseconds each done
// in place but tens of microseconds each through the thread pool; the index checks 100,000
// documents in slices between turns of the event loop (see DocumentIndex).
import { createHash } from 'node:crypto'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

export function documentStamp(folder: string, files: { document: string; text: string; annotations: string; revisions: string }): string {
  const parts = [fileStamp(join(folder, files.document)), fileStamp(join(folder, files.text))]
  for (const sub of [files.annotations, files.revisions]) {
    const dir = join(folder, sub)
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      parts.push(`${sub}:none`)
      continue
    }
    // Temp files of a save under way come and go; the file they become is what counts.
    for (const name of names.filter((candidate) => !candidate.endsWith('.tmp')).sort()) parts.push(`${name}=${fileStamp(join(dir, name))}`)
  }
  // Hashed: the index keeps one short stamp per document, not every file name.
  return createHash('sha1').update(parts.join('|')).digest('base64url')
}

function fileStamp(path: string): string {
  const info = statSync(path, { throwIfNoEntry: false })
  return info ? `${info.size}:${info.mtimeMs}` : '-'
}
