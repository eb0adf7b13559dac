// Reading a document's revisions folder (documents/<id>/revisions/): every revision file and
// set-aside note, parsed and checked, a damaged one kept as its problem. The same reading serves
// the project store (asynchronously) and the export and agreement workers (synchronously).
import { readdirSync, readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { QuireError } from '../../shared/api'
import { ORIGINAL_REVISION, type DocumentRecord } from '../../shared/model'
import { buildRevisionGraph, type RevisionFile, type RevisionGraph, type RevisionSetAside } from '../../core/text-revisions/revision-graph'
import { applyRevisionChain } from '../../core/text-revisions/apply-chain'
import { isErrnoCode, readFileBytes } from './durable-file'
import { REVISION_FILE, REVISION_SET_ASIDE_FILE } from './file-kinds'
import { parseStoredFile } from './json-store'

export const REVISIONS_FOLDER = 'revisions'
export const SET_ASIDE_SUFFIX = '.set-aside.json'

/** A file of the revisions folder as read from disk, not yet parsed. */
export type RevisionFolderRead = { name: string; path: string; bytes: Uint8Array } | { name: string; path: string; error: unknown }

/** Revision files and set-aside notes as Quire names them; temp files and litter start with a dot. */
export function isRevisionFolderEntry(name: string): boolean {
  return !name.startsWith('.') && name.endsWith('.json')
}

export function revisionFileName(revisionId: string): string {
  return `${revisionId}.json`
}

export function setAsideFileName(revisionId: string): string {
  return `${revisionId}${SET_ASIDE_SUFFIX}`
}

/** The revisions folder's files read now, or [] when the text was never edited. */
export async function readRevisionFolder(documentFolder: string): Promise<RevisionFolderRead[]> {
  const folder = join(documentFolder, REVISIONS_FOLDER)
  let names: string[]
  try {
    names = (await readdir(folder)).filter(isRevisionFolderEntry).sort()
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return []
    throw new QuireError({ code: 'io', path: folder, message: `The text revisions in ${folder} could not be listed: ${(error as Error).message}` })
  }
  return Promise.all(
    names.map((name) => {
      const path = join(folder, name)
      return readFileBytes(path).then(
        (bytes): RevisionFolderRead => ({ name, path, bytes }),
        (error: unknown): RevisionFolderRead => ({ name, path, error })
      )
    })
  )
}

export function readRevisionFolderSync(documentFolder: string): RevisionFolderRead[] {
  const folder = join(documentFolder, REVISIONS_FOLDER)
  let names: string[]
  try {
    names = readdirSync(folder).filter(isRevisionFolderEntry).sort()
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return []
    throw new QuireError({ code: 'io', path: folder, message: `The text revisions in ${folder} could not be listed: ${(error as Error).message}` })
  }
  return names.map((name): RevisionFolderRead => {
    const path = join(folder, name)
    try {
      return { name, path, bytes: readFileSync(path) }
    } catch (error) {
      return { name, path, error }
    }
  })
}

/** The document's revision graph from its folder's files (see buildRevisionGraph). */
export function revisionGraphOf(record: DocumentRecord, reads: readonly RevisionFolderRead[]): RevisionGraph {
  const files: RevisionFile[] = []
  const marks: RevisionSetAside[] = []
  for (const read of reads) {
    const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error))
    if ('error' in read) {
      files.push({ path: read.path, problem: `the revision file ${read.path} could not be read (${describe(read.error)})` })
      continue
    }
    try {
      if (read.name.endsWith(SET_ASIDE_SUFFIX)) {
        const mark = parseStoredFile(read.bytes, read.path, REVISION_SET_ASIDE_FILE)
        if (read.name !== setAsideFileName(mark.revision)) throw new Error(`the set-aside note ${read.path} is about ${mark.revision}, but its name is not ${setAsideFileName(mark.revision)}`)
        marks.push(mark)
        continue
      }
      const revision = parseStoredFile(read.bytes, read.path, REVISION_FILE)
      if (read.name !== revisionFileName(revision.id)) throw new Error(`the revision file ${read.path} holds the revision ${revision.id}, but its name is not ${revisionFileName(revision.id)}`)
      files.push({ path: read.path, revision })
    } catch (error) {
      // A message that already names the file reads best as it is, without its own first capital.
      const message = describe(error)
      files.push({ path: read.path, problem: message.charAt(0).toLowerCase() + message.slice(1) })
    }
  }
  return buildRevisionGraph({ sha256: record.sha256, length: record.length }, files, marks)
}

/**
 * The head's text from the original's bytes and the revisions (the graph updated when a revision
 * turns out not to apply). Throws when the original itself cannot be trusted.
 */
export function headTextFromOriginal(record: DocumentRecord, path: string, bytes: Uint8Array, graph: RevisionGraph, sha256: (data: string | Uint8Array) => string): { graph: RevisionGraph; text: string } {
  const text = decodeOriginal(record, path, bytes, sha256)
  if (graph.head.id === ORIGINAL_REVISION) return { graph, text }
  return applyRevisionChain(graph, { sha256: record.sha256, length: record.length, text }, (value) => sha256(value))
}

/** text.txt checked against the SHA-256 recorded at import, decoded. */
export function decodeOriginal(record: DocumentRecord, path: string, bytes: Uint8Array, sha256: (data: string | Uint8Array) => string): string {
  if (sha256(bytes) !== record.sha256) {
    throw new QuireError({
      code: 'corrupt-store',
      path,
      message:
        `The text of "${record.name}" (${path}) was changed after it was imported, so annotation offsets ` +
        'would point at the wrong words. Restore the original text.txt; Quire has not changed it (edits made in Quire are kept as revisions beside it).'
    })
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new QuireError({ code: 'corrupt-store', path, message: `The text of "${record.name}" (${path}) is not UTF-8` })
  }
}
