// Colleagues' work arriving in the open project folder (a shared drive, Syncthing, Dropbox, a
// git pull): a watcher notes which project files changed, tells them from Quire's own saves,
// makes the store forget what it had read of them, and numbers the changes so the window can
// ask "what changed since N" (getProjectChanges) — the same call over IPC and HTTP.
import { opendirSync, readFileSync, watch, type FSWatcher } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import type { ProjectChanges } from '../../shared/model'
import { layerPathOfJournal } from '../store/layer-journal'
import { ANNOTATIONS_FOLDER, DOCUMENT_FILE_NAME, DOCUMENTS_FOLDER, ENTITIES_FILE_NAME, PROJECT_FILE_NAME, TEXT_FILE_NAME, type ProjectStore } from '../store/project-store'
import type { ProjectService } from './project-service'
import { DOCUMENT_ID_PATTERN } from '../../core/ids'
import { isRevisionFolderEntry, REVISIONS_FOLDER } from '../store/revision-files'
import { lookerOnThisThread, WorkerLooker, type ProjectLooker } from './poll-looker'

/**
 * On Linux, Node follows a folder tree with one inotify watch per folder (about three per
 * document). A tree that runs out of watches half-way leaves the watches made so far behind,
 * unreachable, and they fail later on a folder removed meanwhile, stopping the process: so a
 * tree that would take more than half of the system's watches is never watched, only looked at.
 * False only when that is known; elsewhere (macOS, Windows: one watch per tree) true.
 */
function linuxWatchesSuffice(documentsFolder: string): boolean {
  if (process.platform !== 'linux') return true
  try {
    const watchLimit = Number.parseInt(readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8'), 10)
    // Counted only as far as the answer needs: listing 100,000 names took 0.1-0.25 s of the
    // opening (more than the count itself), before the server could print its link.
    return watchesSuffice(countEntriesUpTo(documentsFolder, mostWatchedDocuments(watchLimit) + 1), watchLimit)
  } catch {
    // No such limit to read, or no documents folder yet: watching says what is wrong, if anything.
    return true
  }
}

/** Whether `documents` folders fit in half of `watchLimit` inotify watches (an unknown limit fits). */
export function watchesSuffice(documents: number, watchLimit: number): boolean {
  if (!Number.isFinite(watchLimit) || watchLimit <= 0) return true
  return documents * FOLDERS_PER_DOCUMENT <= watchLimit / 2
}

/** The most documents whose folders fit in half of `watchLimit` inotify watches (an unknown limit: any number). */
function mostWatchedDocuments(watchLimit: number): number {
  if (!Number.isFinite(watchLimit) || watchLimit <= 0) return Number.POSITIVE_INFINITY
  return Math.floor(watchLimit / 2 / FOLDERS_PER_DOCUMENT)
}

/** How many entries `folder` has, counting no further than `most`. */
export function countEntriesUpTo(folder: string, most: number): number {
  const listing = opendirSync(folder, { bufferSize: 1024 })
  try {
    let count = 0
    while (count < most && listing.readSync() !== null) count++
    return count
  } finally {
    listing.closeSync()
  }
}

/** A document's folder, its annotations folder and its revisions folder. */
const FOLDERS_PER_DOCUMENT = 3

/** Sync tools write a file in several steps; wait for the burst to end before reading it. */
const SETTLE_MS = 150
/** Without file events (an exhausted inotify limit, some network drives), look this often. */
const POLL_MS = 1500
/**
 * Looking at every file of a large project takes seconds (100,000 documents: some 300,000
 * files), where the system's file watches run out: the next look waits this many times as long
 * as the last one kept a core busy, so looking never takes more than a fifth of a core (in the
 * app, a worker's at the lowest priority, in bursts: poll-looker.ts).
 */
const POLL_IDLE_FACTOR = 4
/** Older changes are summarised as "list everything again". */
const KEPT_CHANGES = 2000

type Change =
  | {
      seq: number
      /** null: the document list itself changed. */
      documentId: string | null
      /** project.json changed (its tags, its name). */
      projectFile?: true
    }
  | { seq: number; entities: true }

export interface ProjectChangeTrackerOptions {
  settleMs?: number
  pollMs?: number
  /** Tests force the polling fallback with false. */
  useFileEvents?: boolean
  /**
   * The polling fallback's first look (seconds of stat calls at 100,000 documents) waits for
   * this: the app's waits for the document index to be read and the window's first answer given.
   */
  firstLookAfter?: () => Promise<void>
  /** The polling's looks are made by a worker thread at the lowest priority (poll-looker.ts): the app's. */
  pollOnWorker?: boolean
}

export class ProjectChangeTracker {
  /**
   * Starts at the clock, not 0: a window that kept its number across a restart of main asks
   * from a number the new tracker never gave, and gets a full refresh instead of a partial one.
   */
  #seq = Date.now()
  #changes: Change[] = []
  #store: ProjectStore | null = null
  #watchers: FSWatcher[] = []
  #pollTimer: ReturnType<typeof setTimeout> | null = null
  /** What makes the polling's looks and keeps what they found (a new one each time polling starts). */
  #looker: ProjectLooker | null = null
  #settleTimer: ReturnType<typeof setTimeout> | null = null
  #pendingPaths = new Set<string>()
  #processing: Promise<void> = Promise.resolve()
  readonly #options: Required<ProjectChangeTrackerOptions>

  constructor(projects: ProjectService, options: ProjectChangeTrackerOptions = {}) {
    this.#options = { settleMs: SETTLE_MS, pollMs: POLL_MS, useFileEvents: true, firstLookAfter: () => Promise.resolve(), pollOnWorker: false, ...options }
    projects.onProjectChanged((store) => this.#follow(store))
    if (projects.current) this.#follow(projects.current)
  }

  /** Changes after `since`; a `since` older than what is kept (or from another project) asks for a full refresh. */
  async since(since: number): Promise<ProjectChanges> {
    await this.settled()
    const oldestKept = this.#changes[0]?.seq ?? this.#seq + 1
    if (since > this.#seq || (since < oldestKept - 1 && since < this.#seq)) {
      return { seq: this.#seq, documentIds: [], listChanged: since !== this.#seq, projectFileChanged: since !== this.#seq, entitiesChanged: since !== this.#seq }
    }
    const newer = this.#changes.filter((change) => change.seq > since)
    const documentIds = [...new Set(newer.flatMap((change) => ('documentId' in change && change.documentId !== null ? [change.documentId] : [])))]
    return {
      seq: this.#seq,
      documentIds,
      listChanged: newer.some((change) => 'documentId' in change && change.documentId === null),
      projectFileChanged: newer.some((change) => 'projectFile' in change && change.projectFile === true),
      entitiesChanged: newer.some((change) => 'entities' in change)
    }
  }

  /** Resolves once every file event received so far has been looked at (tests, and `since`). */
  async settled(): Promise<void> {
    if (this.#settleTimer !== null) {
      clearTimeout(this.#settleTimer)
      this.#settleTimer = null
      this.#processPending()
    }
    await this.#processing
  }

  /** Files known to have changed (a git pull): looked at now rather than when their events arrive. */
  async noticeChanged(paths: readonly string[]): Promise<void> {
    for (const path of paths) this.#pendingPaths.add(path)
    this.#processPending()
    await this.#processing
  }

  /** Documents found changed on disk by other means than watching (the document index's check after opening). */
  noteDocumentsChanged(documentIds: readonly string[]): void {
    if (documentIds.length === 0) return
    for (const documentId of documentIds) this.#changes.push({ seq: ++this.#seq, documentId })
    this.#changes.push({ seq: ++this.#seq, documentId: null })
    if (this.#changes.length > KEPT_CHANGES) this.#changes = this.#changes.slice(-KEPT_CHANGES)
  }

  stop(): void {
    for (const watcher of this.#watchers) watcher.close()
    this.#watchers = []
    if (this.#pollTimer !== null) clearTimeout(this.#pollTimer)
    this.#pollTimer = null
    // A look under way ends at its next slice (or with its worker).
    this.#looker?.close()
    this.#looker = null
    if (this.#settleTimer !== null) clearTimeout(this.#settleTimer)
    this.#settleTimer = null
    this.#pendingPaths.clear()
  }

  #follow(store: ProjectStore | null): void {
    this.stop()
    this.#store = store
    // A new project starts a new numbering: whatever the window knew is stale.
    this.#changes = []
    this.#seq += 1
    this.#changes.push({ seq: this.#seq, documentId: null, projectFile: true })
    this.#changes.push({ seq: this.#seq, entities: true })
    if (!store) return
    store.ownWrites.startRemembering()
    if (this.#options.useFileEvents && this.#watchFolder(store)) return
    void this.#startPolling(store)
  }

  #watchFolder(store: ProjectStore): boolean {
    if (!linuxWatchesSuffice(join(store.dir, DOCUMENTS_FOLDER))) {
      console.warn(`Quire: ${store.dir} has more folders than this system's file watches can follow; checking for colleagues' changes by looking instead`)
      return false
    }
    try {
      const documents = watch(join(store.dir, DOCUMENTS_FOLDER), { recursive: true }, (_event, name) => {
        if (name !== null) this.#noticed(join(store.dir, DOCUMENTS_FOLDER, name.toString()))
      })
      const top = watch(store.dir, (_event, name) => {
        const changed = name?.toString()
        if (changed === PROJECT_FILE_NAME || changed === ENTITIES_FILE_NAME) this.#noticed(join(store.dir, changed))
      })
      for (const watcher of [documents, top]) {
        watcher.on('error', () => {
          // The folder went away or the system ran out of watches: keep going by looking.
          if (this.#store === store && this.#pollTimer === null) {
            for (const other of this.#watchers) other.close()
            this.#watchers = []
            void this.#startPolling(store)
          }
        })
      }
      this.#watchers = [documents, top]
      return true
    } catch (error) {
      console.warn(`Quire: not watching ${store.dir} for colleagues' changes (${(error as Error).message}); checking every ${this.#options.pollMs / 1000} s instead`)
      return false
    }
  }

  async #startPolling(store: ProjectStore): Promise<void> {
    await this.#options.firstLookAfter()
    if (this.#store !== store) return
    const looker = this.#options.pollOnWorker ? new WorkerLooker(store) : lookerOnThisThread(store)
    this.#looker = looker
    const following = (): boolean => this.#store === store && this.#looker === looker
    const noticed = (path: string): void => {
      if (following()) this.#noticed(path)
    }
    let started = performance.now()
    if (!(await looker.look(noticed, following))) return
    const lookAgain = (lastLookMs: number): void => {
      const timer = setTimeout(() => {
        started = performance.now()
        void looker.look(noticed, following).then((done) => {
          // Stopped, or another project (or another round of polling) took over meanwhile.
          if (!done || this.#pollTimer !== timer || !following()) return
          lookAgain(performance.now() - started)
        })
      }, Math.max(this.#options.pollMs, lastLookMs * looker.shareOfACore * POLL_IDLE_FACTOR))
      this.#pollTimer = timer
    }
    lookAgain(performance.now() - started)
  }

  #noticed(path: string): void {
    this.#pendingPaths.add(path)
    if (this.#settleTimer !== null) clearTimeout(this.#settleTimer)
    this.#settleTimer = setTimeout(() => {
      this.#settleTimer = null
      this.#processPending()
    }, this.#options.settleMs)
  }

  #processPending(): void {
    const paths = [...this.#pendingPaths]
    this.#pendingPaths.clear()
    const store = this.#store
    if (!store || paths.length === 0) return
    this.#processing = this.#processing.then(() => this.#process(store, paths)).catch((error: unknown) => {
      console.warn('Quire: could not look at changed project files:', error)
    })
  }

  async #process(store: ProjectStore, paths: string[]): Promise<void> {
    let listChanged = false
    let projectFileChanged = false
    let entitiesChanged = false
    const documentIds = new Set<string>()
    for (const noticed of paths) {
      // A layer's journal changing is its layer changing (a colleague's saves, through a synced
      // folder); our own layer's journal is written only by us, and is not a change to report.
      const journalOf = layerPathOfJournal(noticed)
      if (journalOf !== null && store.loadedLayer(journalOf)) continue
      const path = journalOf ?? noticed
      const parts = relative(store.dir, path).split(sep)
      if (parts.length === 1 && parts[0] === PROJECT_FILE_NAME) {
        if (await this.#isOwnWrite(store, path)) continue
        await store.reloadManifest().catch((error: unknown) => console.warn(`Quire: ${(error as Error).message}`))
        listChanged = true
        projectFileChanged = true
        continue
      }
      if (parts.length === 1 && parts[0] === ENTITIES_FILE_NAME) {
        // Read afresh on every use; only the window needs telling.
        if (!(await this.#isOwnWrite(store, path))) entitiesChanged = true
        continue
      }
      const [folder, documentId, file, layerFile] = parts
      if (folder !== DOCUMENTS_FOLDER || documentId === undefined || !DOCUMENT_ID_PATTERN.test(documentId)) continue
      // Temp files of a save in progress (ours or a sync tool's) are not changes yet.
      const name = parts.at(-1) ?? ''
      if (name.startsWith('.') || name.endsWith('.tmp')) continue
      if (file === ANNOTATIONS_FOLDER && layerFile !== undefined) {
        if (!layerFile.endsWith('.json') || (journalOf === null && (await this.#isOwnWrite(store, path)))) continue
        // Saves queued on the layer are written first; then the file is looked at again (if a
        // colleague wrote it too — a shared gold layer — their version is reported, or ours wins).
        if (!store.forgetFile(path)) {
          void store.loadedLayer(path)?.settled().then(() => this.#noticed(path))
          continue
        }
        documentIds.add(documentId)
        // A layer appearing or going changes the document list's badges too.
        listChanged = true
        continue
      }
      // A colleague's text revision (or set-aside note) changes the document's current text:
      // the store forgets the text, and every layer is placed on the new head when next read.
      if (file === REVISIONS_FOLDER && layerFile !== undefined) {
        if (!isRevisionFolderEntry(layerFile) || (await this.#isOwnWrite(store, path))) continue
        store.forgetFile(path)
        documentIds.add(documentId)
        listChanged = true
        continue
      }
      if (file === undefined || file === DOCUMENT_FILE_NAME || file === TEXT_FILE_NAME) {
        if (file !== undefined && (await this.#isOwnWrite(store, path))) continue
        store.forgetFile(path)
        documentIds.add(documentId)
        listChanged = true
      }
    }
    if (store !== this.#store) return
    for (const documentId of documentIds) this.#changes.push({ seq: ++this.#seq, documentId })
    if (listChanged) this.#changes.push({ seq: ++this.#seq, documentId: null, ...(projectFileChanged ? { projectFile: true as const } : {}) })
    if (entitiesChanged) this.#changes.push({ seq: ++this.#seq, entities: true })
    if (this.#changes.length > KEPT_CHANGES) this.#changes = this.#changes.slice(-KEPT_CHANGES)
  }

  async #isOwnWrite(store: ProjectStore, path: string): Promise<boolean> {
    try {
      return store.ownWrites.isOwn(path, await readFile(path))
    } catch {
      // Removed, a folder, or not readable yet: not something we just wrote.
      return false
    }
  }
}
