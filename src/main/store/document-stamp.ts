// What a document's files are right now, in one string, from their names, sizes and modification
// times: document.json, text.txt, every file in annotations/ (layers and their journals) and in
// revisions/. Two equal stamps mean nothing the document list shows can have changed, so the
// document index (document-index-file.ts) is checked against the disk without reading a file.
//
// A second, cheaper stamp covers the document's folders: the change time (ctime) of the document
// folder, its annotations/ and its revisions/, and the size and time of each layer journal. A
// folder's ctime moves on Linux, macOS (APFS, HFS+) and Windows (NTFS) whenever a file in it is
// created, removed, renamed or replaced, and no program can set it back (unlike a modification
// time, which rsync -a and archive tools restore). Quire writes every file as a new file renamed
// into place, except journals, which it appends to; sync tools (git, Dropbox, Syncthing,
// OneDrive, rsync without --inplace) likewise write a new file and rename it. So equal folder
// stamps mean neither Quire nor a sync tool changed the document; only a program rewriting a
// file in place (an editor saving over document.json, rsync --inplace) goes unseen, which the
// files' stamp still finds (see DocumentIndex for which checks use which stamp).
//
// A folder stamp is only taken once the folders have settled: a change in the same tick of the
// file system's clock as the last one would leave the ctime as it was (a few milliseconds where
// times have sub-second precision, 2 s on file systems that keep whole seconds, like FAT).
//
// Synchronous on purpose: a stamp is half a dozen stat calls, which take microseconds each done
// in place but tens of microseconds each through the thread pool; the index checks 100,000
// documents in slices between turns of the event loop (see DocumentIndex).
import { createHash } from 'node:crypto'
import { readdirSync, statSync, type Stats } from 'node:fs'
import { join } from 'node:path'

export interface DocumentFileNames {
  document: string
  text: string
  annotations: string
  revisions: string
}

export interface DocumentStamps {
  /** The files' stamp (documentStamp). */
  files: string
  /** The folders' stamp, or undefined while a folder changed too recently to rely on it. */
  folders: string | undefined
}

/** Milliseconds a folder must be unchanged before its ctime is relied on, where times are precise (above Windows' 15.6 ms clock tick). */
const SETTLE_MS = 50
/** The same where times are whole seconds (FAT keeps 2 s). */
const SETTLE_WHOLE_SECONDS_MS = 2000
const JOURNAL = /^\.[^/\\]+\.json\.journal$/
/** No file name holds it, on any system. */
const SEPARATOR = '/'
const MISSING = '-'

export function documentStamp(folder: string, files: DocumentFileNames): string {
  return filesStamp(folder, files, null)
}

/** Both stamps of the document, the folders' taken first (a change in between makes the files' differ). */
export function documentStamps(folder: string, files: DocumentFileNames, now = Date.now()): DocumentStamps {
  const folders = folderTimes(folder, files)
  const journals: [string, Stats | undefined][] = []
  const stamp = filesStamp(folder, files, journals)
  const times = [...folders, ...journals.map(([, info]) => info)]
  const settled = times.every((info) => info === undefined || now - info.ctimeMs >= settleMs(info.ctimeMs))
  const parts = [...folders.map(folderPart), ...journals.map(([name, info]) => journalPart(name, info))]
  return { files: stamp, folders: settled ? parts.join(SEPARATOR) : undefined }
}

/**
 * Whether the document's folders (and journals) are as `recorded` (a `folders` of documentStamps)
 * says. `surveyed`: the first parts as folder-survey.ts took them a moment ago (the document
 * folder's and annotations/'); the rest are looked at here.
 */
export function foldersUnchanged(folder: string, files: DocumentFileNames, recorded: string, surveyed?: string): boolean {
  // The usual case, told without splitting either or joining a path (the loop below finds the
  // same): both folders surveyed as recorded, no revisions/ and no journal recorded. At 100,000
  // documents the split parts, the paths and their iterators were most of the check's garbage.
  if (surveyedAsRecorded(recorded, surveyed)) return true
  const parts = recorded.split(SEPARATOR)
  const seen = surveyed?.split(SEPARATOR)
  const subfolders = [files.annotations, files.revisions]
  for (let index = 0; index <= subfolders.length; index++) {
    // A revisions/ made since moved the document folder's ctime, checked first.
    if (parts[index] === MISSING && index === subfolders.length) continue
    const now = seen?.[index] ?? folderPart(statSync(index === 0 ? folder : join(folder, subfolders[index - 1] as string), { throwIfNoEntry: false }))
    if (parts[index] !== now) return false
  }
  for (const journal of parts.slice(subfolders.length + 1)) {
    const name = journal.slice(0, journal.lastIndexOf('='))
    if (journal !== journalPart(name, statSync(join(folder, files.annotations, name), { throwIfNoEntry: false }))) return false
  }
  return true
}

/**
 * The usual case of foldersUnchanged, told from the strings alone: both folders surveyed as
 * `recorded` says, and it recorded no revisions/ and no journal. False says nothing either way.
 */
export function surveyedAsRecorded(recorded: string, surveyed: string | undefined): boolean {
  return surveyed !== undefined && recorded.length === surveyed.length + NO_REVISIONS_TAIL.length && recorded.startsWith(surveyed) && recorded.endsWith(NO_REVISIONS_TAIL) && hasTwoParts(surveyed)
}

function filesStamp(folder: string, files: DocumentFileNames, journals: [string, Stats | undefined][] | null): string {
  const parts = [fileStamp(statSync(join(folder, files.document), { throwIfNoEntry: false })), fileStamp(statSync(join(folder, files.text), { throwIfNoEntry: false }))]
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
    for (const name of names.filter((candidate) => !candidate.endsWith('.tmp')).sort()) {
      const info = statSync(join(dir, name), { throwIfNoEntry: false })
      parts.push(`${name}=${fileStamp(info)}`)
      if (journals !== null && sub === files.annotations && JOURNAL.test(name)) journals.push([name, info])
    }
  }
  // Hashed: the index keeps one short stamp per document, not every file name.
  return createHash('sha1').update(parts.join('|')).digest('base64url')
}

/** The document folder, its annotations/ and its revisions/ (undefined: missing). */
function folderTimes(folder: string, files: DocumentFileNames): (Stats | undefined)[] {
  return folderPaths(folder, files).map((path) => statSync(path, { throwIfNoEntry: false }))
}

/** What a folders' stamp ends with when it recorded no revisions/ and no journal. */
const NO_REVISIONS_TAIL = SEPARATOR + MISSING

/** The survey's parts of a document folder and its annotations/, as surveyDocumentFolders takes them. */
function hasTwoParts(surveyed: string): boolean {
  const at = surveyed.indexOf(SEPARATOR)
  return at !== -1 && surveyed.indexOf(SEPARATOR, at + 1) === -1
}

function folderPaths(folder: string, files: DocumentFileNames): string[] {
  return [folder, join(folder, files.annotations), join(folder, files.revisions)]
}

function folderPart(info: Stats | undefined): string {
  return info ? `${info.ino}:${info.ctimeMs}` : MISSING
}

/**
 * The first parts of a folders' stamp as folder-survey.ts's workers take them: the folder's and
 * each of its `subfolders`' ("?" for one that cannot be looked at, which no stamp holds).
 */
export function surveyedFolderParts(folder: string, subfolders: readonly string[]): string {
  let parts = surveyedPart(folder)
  for (const sub of subfolders) parts += SEPARATOR + surveyedPart(join(folder, sub))
  return parts
}

function surveyedPart(path: string): string {
  try {
    return folderPart(statSync(path, { throwIfNoEntry: false }))
  } catch {
    return '?'
  }
}

/**
 * A folder's stamp (its inode and change time), or undefined while it changed too recently for
 * the change time to be relied on: a change in the same tick of the clock would leave it as it is.
 */
export function settledFolderStamp(info: Stats, now = Date.now()): string | undefined {
  return isFolderSettled(info, now) ? folderPart(info) : undefined
}

/** Whether a folder's change time can be relied on: it is old enough that a change now would move it. */
export function isFolderSettled(info: Stats, now = Date.now()): boolean {
  return now - info.ctimeMs >= settleMs(info.ctimeMs)
}

function journalPart(name: string, info: Stats | undefined): string {
  return `${name}=${info ? `${info.size}:${info.mtimeMs}:${info.ctimeMs}` : '-'}`
}

function fileStamp(info: Stats | undefined): string {
  return info ? `${info.size}:${info.mtimeMs}` : '-'
}

function settleMs(ctimeMs: number): number {
  return ctimeMs % 1000 === 0 ? SETTLE_WHOLE_SECONDS_MS : SETTLE_MS
}
