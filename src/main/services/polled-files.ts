// What the polling for colleagues' changes (project-changes.ts, for projects too large for file
// watches) remembers of a project's files between two looks, and the look itself.
//
// A look stats every file that matters (some 500,000 stat calls at 100,000 documents) and
// compares each with what it was, in place: sizes, modification times and folder stamps are
// kept as plain numbers per document, and the folder listings are reused while the folder's
// stamp holds. It used to build a Map of every path and "size:mtime" string each look (95 MB at
// 100,000 documents, all of it alive until the look ended): V8 copied the growing map's new
// entries out of its young generation at every minor GC, 69 GCs of ~3 ms per look, and a save
// that met one paid for it. Now a look's garbage (paths, Stats objects) dies young, and there is
// less of it: the paths stat'ed are concatenated, not joined (join normalises, through several
// strings a path), and a path is joined only to be reported, as the store knows its files.
import { readdirSync, statSync, type Stats } from 'node:fs'
import { join, sep } from 'node:path'
import { ANNOTATIONS_FOLDER, DOCUMENT_FILE_NAME, DOCUMENTS_FOLDER, ENTITIES_FILE_NAME, PROJECT_FILE_NAME, TEXT_FILE_NAME, type ProjectStore } from '../store/project-store'
import { isRevisionFolderEntry, REVISIONS_FOLDER } from '../store/revision-files'
import { layerPathOfJournal } from '../store/layer-journal'
import { isFolderSettled } from '../store/document-stamp'
import { betweenCalls, eachInSlices } from './calls-in-progress'
import { eachInBursts } from './work-in-bursts'

/** One look is made in slices of this many milliseconds of synchronous stat calls (see project-changes.ts). */
const POLL_SLICE_MS = 8

/** A size or time of a file that does not exist. */
const MISSING = -1
/** A folder time never equal to a folder's: its listing is read again at the next look. */
const UNSETTLED = Number.NaN

/**
 * What a look found of one document. `numbers` holds, two numbers each: the stamps (inode,
 * change time) of annotations/ and revisions/, then the size and modification time of
 * document.json, text.txt, each of `annotationFiles` and each of `revisionFiles`.
 */
interface PolledDocument {
  numbers: number[]
  annotationFiles: readonly string[]
  revisionFiles: readonly string[]
}

/** What a look needs of the project's store. */
export type PolledProject = Pick<ProjectStore, 'dir' | 'documentFolderNames'>

/** How a look shares its thread: when it may start, and how it goes through the documents. */
export interface LookPacing {
  start(): Promise<void>
  /** Calls `look` with each id until done (true) or `goOn` says to stop (false). */
  each(ids: readonly string[], look: (id: string) => void, goOn: () => boolean): Promise<boolean>
}

/** On the main thread: in slices, each waiting for a pause in the window's calls (see calls-in-progress.ts). */
export const BETWEEN_CALLS: LookPacing = {
  start: betweenCalls,
  each: (ids, look, goOn) => eachInSlices(ids, look, { sliceMs: POLL_SLICE_MS, goOn })
}

/** On a thread of its own (poll-worker.ts), in bursts with pauses between (work-in-bursts.ts). */
export const IN_BURSTS: LookPacing = {
  start: () => Promise.resolve(),
  each: (ids, look, goOn) => eachInBursts(ids, look, goOn)
}

const FOLDER_NUMBERS = 4
const FILES_AT = FOLDER_NUMBERS
const LISTED_AT = FILES_AT + 4
const NO_NAMES: readonly string[] = []

export class PolledFiles {
  readonly #documents = new Map<string, PolledDocument>()
  /** project.json's and entities.json's size and modification time. */
  readonly #top = [MISSING, MISSING, MISSING, MISSING]
  /** The document folders' names at the last look, and the documents folder's stamp then. */
  #folders = { ino: MISSING, ctimeMs: UNSETTLED, ids: NO_NAMES }
  #looked = false

  constructor(private readonly pacing: LookPacing = BETWEEN_CALLS) {}

  /**
   * Looks at every file; from the second look on, `changed` is told the path of each file that
   * appeared, went, or changed size or modification time since the last. False once `goOn`
   * says the project is no longer followed (the look is then left unfinished).
   */
  async look(store: PolledProject, changed: (path: string) => void, goOn: () => boolean): Promise<boolean> {
    const report = this.#looked ? changed : (): void => undefined
    // Like each slice, the look's start waits for a pause in the calls: listing 100,000 document
    // folders (its first look, or after the documents folder changed) ends in a few milliseconds
    // of making their entries, which would otherwise land amid a burst of calls.
    await this.pacing.start()
    if (!goOn()) return false
    const now = Date.now()
    compareFile(store.dir, PROJECT_FILE_NAME, this.#top, 0, report)
    compareFile(store.dir, ENTITIES_FILE_NAME, this.#top, 2, report)
    const documentsFolder = join(store.dir, DOCUMENTS_FOLDER)
    const ids = await this.#documentIds(store, documentsFolder, now, report)
    const done = await this.pacing.each(ids, (id) => this.#lookAtDocument(documentsFolder + sep + id, id, now, report), goOn)
    if (done) this.#looked = true
    return done
  }

  /** The document folders' names: those of the last look while the documents folder's stamp holds. Documents gone are reported. */
  async #documentIds(store: PolledProject, documentsFolder: string, now: number, report: (path: string) => void): Promise<readonly string[]> {
    const info = statQuietly(documentsFolder)
    const known = this.#folders
    if (info && info.ino === known.ino && info.ctimeMs === known.ctimeMs) return known.ids
    const ids = await store.documentFolderNames()
    this.#folders = { ino: info?.ino ?? MISSING, ctimeMs: info && isFolderSettled(info, now) ? info.ctimeMs : UNSETTLED, ids }
    const present = new Set(ids)
    for (const [id, document] of this.#documents) {
      if (present.has(id)) continue
      this.#documents.delete(id)
      reportEveryFile(join(documentsFolder, id), document, report)
    }
    return ids
  }

  #lookAtDocument(folder: string, id: string, now: number, report: (path: string) => void): void {
    const known = this.#documents.get(id)
    const annotationsFolder = folder + sep + ANNOTATIONS_FOLDER
    const revisionsFolder = folder + sep + REVISIONS_FOLDER
    const annotationsInfo = statQuietly(annotationsFolder)
    const revisionsInfo = statQuietly(revisionsFolder)
    let document = known
    const annotationFiles = known && sameFolder(known.numbers, 0, annotationsInfo) ? known.annotationFiles : listed(annotationsFolder, isPolledLayerFile)
    const revisionFiles = known && sameFolder(known.numbers, 2, revisionsInfo) ? known.revisionFiles : listed(revisionsFolder, isRevisionFolderEntry)
    if (!document || annotationFiles !== document.annotationFiles || revisionFiles !== document.revisionFiles) {
      document = relisted(folder, known, annotationFiles, revisionFiles, report)
      this.#documents.set(id, document)
    }
    const { numbers } = document
    setFolder(numbers, 0, annotationsInfo, now)
    setFolder(numbers, 2, revisionsInfo, now)
    compareFile(folder, DOCUMENT_FILE_NAME, numbers, FILES_AT, report)
    compareFile(folder, TEXT_FILE_NAME, numbers, FILES_AT + 2, report)
    let at = LISTED_AT
    for (const name of annotationFiles) {
      compareFile(annotationsFolder, name, numbers, at, report)
      at += 2
    }
    for (const name of revisionFiles) {
      compareFile(revisionsFolder, name, numbers, at, report)
      at += 2
    }
  }
}

/** Layer files and their journals (other dot files are a save's temp files). */
function isPolledLayerFile(name: string): boolean {
  return !name.startsWith('.') || layerPathOfJournal(name) !== null
}

function statQuietly(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false })
  } catch {
    // Not readable now: it shows as gone, and as changed once readable again.
    return undefined
  }
}

/** Compares a file with the size and time at `numbers[at]`, reports it if they differ and keeps the new ones. */
function compareFile(folder: string, name: string, numbers: number[], at: number, report: (path: string) => void): void {
  const info = statQuietly(folder + sep + name)
  const size = info ? info.size : MISSING
  const modified = info ? info.mtimeMs : MISSING
  if (numbers[at] === size && numbers[at + 1] === modified) return
  numbers[at] = size
  numbers[at + 1] = modified
  report(join(folder, name))
}

function sameFolder(numbers: readonly number[], at: number, info: Stats | undefined): boolean {
  return info ? numbers[at] === info.ino && numbers[at + 1] === info.ctimeMs : numbers[at] === MISSING
}

/** Keeps a folder's stamp; one that changed too recently to rely on is listed again next time. */
function setFolder(numbers: number[], at: number, info: Stats | undefined, now: number): void {
  numbers[at] = info ? info.ino : MISSING
  numbers[at + 1] = info ? (isFolderSettled(info, now) ? info.ctimeMs : UNSETTLED) : MISSING
}

function listed(folder: string, wanted: (name: string) => boolean): readonly string[] {
  try {
    const names = readdirSync(folder).filter(wanted)
    return names.length === 0 ? NO_NAMES : names
  } catch {
    return NO_NAMES
  }
}

/**
 * The document with new listings: the sizes and times of files still listed are kept, files no
 * longer listed are reported, new ones start as missing (so the look reports them once stat'ed).
 */
function relisted(folder: string, known: PolledDocument | undefined, annotationFiles: readonly string[], revisionFiles: readonly string[], report: (path: string) => void): PolledDocument {
  const numbers = new Array<number>(LISTED_AT + 2 * (annotationFiles.length + revisionFiles.length)).fill(MISSING)
  if (known) {
    for (let at = 0; at < LISTED_AT; at++) numbers[at] = known.numbers[at] as number
    carryOver(join(folder, ANNOTATIONS_FOLDER), known.numbers, LISTED_AT, known.annotationFiles, numbers, LISTED_AT, annotationFiles, report)
    const knownRevisionsAt = LISTED_AT + 2 * known.annotationFiles.length
    carryOver(join(folder, REVISIONS_FOLDER), known.numbers, knownRevisionsAt, known.revisionFiles, numbers, LISTED_AT + 2 * annotationFiles.length, revisionFiles, report)
  }
  return { numbers, annotationFiles, revisionFiles }
}

function carryOver(folder: string, from: readonly number[], fromAt: number, fromNames: readonly string[], to: number[], toAt: number, toNames: readonly string[], report: (path: string) => void): void {
  const placeOf = new Map(toNames.map((name, index) => [name, toAt + 2 * index]))
  for (const [index, name] of fromNames.entries()) {
    const place = placeOf.get(name)
    const at = fromAt + 2 * index
    if (place === undefined) {
      if (from[at] !== MISSING) report(join(folder, name))
      continue
    }
    to[place] = from[at] as number
    to[place + 1] = from[at + 1] as number
  }
}

/** Every file known of a document that went. */
function reportEveryFile(folder: string, document: PolledDocument, report: (path: string) => void): void {
  const { numbers } = document
  if (numbers[FILES_AT] !== MISSING) report(join(folder, DOCUMENT_FILE_NAME))
  if (numbers[FILES_AT + 2] !== MISSING) report(join(folder, TEXT_FILE_NAME))
  let at = LISTED_AT
  for (const name of document.annotationFiles) {
    if (numbers[at] !== MISSING) report(join(folder, ANNOTATIONS_FOLDER, name))
    at += 2
  }
  for (const name of document.revisionFiles) {
    if (numbers[at] !== MISSING) report(join(folder, REVISIONS_FOLDER, name))
    at += 2
  }
}
