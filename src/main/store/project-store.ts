// The project folder on disk (see docs/ARCHITECTURE.md, "Project folder"). Every path inside
// a project is built here and nowhere else.
import { createHash } from 'node:crypto'
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { annotatorFileName, DOCUMENT_ID_PATTERN } from '../../core/ids'
import { QuireError } from '../../shared/api'
import {
  DEFAULT_TAGS,
  STORE_SCHEMA_VERSION,
  type DocumentRecord,
  type ProjectManifest,
  type TagDefinition
} from '../../shared/model'
import { describeWriteFailure, isErrnoCode, readFileIfExists, removeAbandonedTempFiles, writeFileDurably, WriteFailure } from './durable-file'
import { ANNOTATION_FILE, DOCUMENT_FILE, ENTITIES_FILE, PROJECT_FILE } from './file-kinds'
import { DurableJsonFile, openJsonFile, parseStoredFile } from './json-store'
import { ProjectLock, type LockOutcome } from './project-lock'
import { BackupStore, type StoredBackup } from './backups'
import type { StoredFileKind } from './json-store'
import { AnnotationLayerFile, emptyAnnotationLayer } from './annotation-layer-file'
import { OwnWrites } from './own-writes'
import { BackgroundWork } from './background-work'
import { DocumentTexts, textAtOf, type DocumentText } from './document-texts'
import { placeLayerOnHead } from './layer-anchoring'
import { REVISIONS_FOLDER } from './revision-files'
import { setJournalAside } from './layer-journal'
import { finishInterruptedBatch, writeDocumentBatch, type BatchPaths, type NewDocument } from './document-batch'

export const PROJECT_FILE_NAME = 'project.json'
/** Saved entities (see entities-file.ts). */
export const ENTITIES_FILE_NAME = 'entities.json'
export const DOCUMENTS_FOLDER = 'documents'
export const LOCAL_STATE_FOLDER = '.quire'
export const TEXT_FILE_NAME = 'text.txt'
export const DOCUMENT_FILE_NAME = 'document.json'
export const ANNOTATIONS_FOLDER = 'annotations'

// Files operating systems drop into folders on their own; a folder holding only these is empty.
const SYSTEM_LITTER = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini'])

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/** A document folder as found when listing: its record, or why it could not be read. */
export type DocumentListing = { id: string; record: DocumentRecord } | { id: string; problem: QuireError }

export class ProjectStore {
  private readonly recordsById = new Map<string, DocumentRecord>()
  private readonly layersByPath = new Map<string, Promise<AnnotationLayerFile>>()
  /** Layer writes under way, by layer path, from the moment they are asked for (see whileLayerCall). */
  private readonly layerCalls = new Map<string, Set<Promise<unknown>>>()
  /** The same layers once loaded, to ask whether saves are queued without awaiting. */
  private readonly loadedLayers = new Map<string, AnnotationLayerFile>()
  /** Work a save started after its answer (see background-work.ts); closing waits for it. */
  readonly background = new BackgroundWork()
  /** Each document's current text: the original with its revisions applied (see document-texts.ts). */
  readonly texts: DocumentTexts
  /** Backups of this project's JSON files in .quire/backups (see backups.ts for the policy). */
  readonly backups: BackupStore
  /** What this process wrote last to each file, so a watcher can tell a colleague's change from our own save. */
  readonly ownWrites = new OwnWrites()
  /** Told of every document whose files changed or may have (see onDocumentChanged). */
  readonly #documentListeners = new Set<(documentId: string) => void>()
  readonly #addedListeners = new Set<(documents: readonly NewDocument[]) => void>()
  /** Run as the project closes, after every save has landed (the document index writes itself). */
  readonly #closeHooks: (() => Promise<void>)[] = []
  #closing = false

  private constructor(
    readonly dir: string,
    readonly manifest: ProjectManifest,
    private readonly lock: ProjectLock | null,
    /** Why the project is read-only; null when this process may write it. */
    readonly readOnlyReason: string | null
  ) {
    this.backups = new BackupStore(dir, join(dir, LOCAL_STATE_FOLDER))
    this.texts = new DocumentTexts({
      localStateDir: join(dir, LOCAL_STATE_FOLDER),
      ownWrites: this.ownWrites,
      readOnly: readOnlyReason !== null,
      documentFolder: (documentId) => this.documentFolder(documentId),
      originalTextPath: (documentId) => join(this.documentFolder(documentId), TEXT_FILE_NAME),
      readRecord: (documentId) => this.readRecord(documentId),
      sha256: sha256Hex,
      background: this.background,
      forgotten: (documentId) => this.noteDocumentChanged(documentId)
    })
  }

  /**
   * Calls `listener` with the id of each document whose files this store wrote (a new document,
   * a text revision, a restored backup) or was told changed on disk (forgetFile). Layer saves
   * are not told one by one: a loaded layer's `revision` says when it changed.
   */
  onDocumentChanged(listener: (documentId: string) => void): () => void {
    this.#documentListeners.add(listener)
    return () => this.#documentListeners.delete(listener)
  }

  /** Runs `hook` when the project closes, once every save has landed and before the lock goes. */
  beforeClose(hook: () => Promise<void>): void {
    this.#closeHooks.push(hook)
  }

  /** Calls `listener` with each batch of new documents once it is written (the document index takes them as they are). */
  onDocumentsAdded(listener: (documents: readonly NewDocument[]) => void): () => void {
    this.#addedListeners.add(listener)
    return () => this.#addedListeners.delete(listener)
  }

  noteDocumentChanged(documentId: string): void {
    for (const listener of this.#documentListeners) listener(documentId)
  }

  get readOnly(): boolean {
    return this.readOnlyReason !== null
  }

  /**
   * True from the moment the project begins to close: background work (a cache written when a
   * read finishes) must then write nothing more, since the lock is about to go.
   */
  get closing(): boolean {
    return this.#closing
  }

  /** Lets another Quire open the project for editing. The store must not be used afterwards. */
  async close(): Promise<void> {
    this.#closing = true
    // Layers written forward after a text edit and copies of texts are saved after the answer;
    // then journals are folded in, so the next Quire (or a sync tool) finds each layer in one file.
    await this.settleWrites().catch((error: unknown) => console.warn(`Quire: ${(error as Error).message}`))
    for (const hook of this.#closeHooks) await hook().catch((error: unknown) => console.warn(`Quire: ${(error as Error).message}`))
    if (!this.readOnly) await this.backups.flush()
    await this.lock?.release()
  }

  /** Creates a project in `dir`, which must be missing or empty. */
  static async create(dir: string, name: string): Promise<ProjectStore> {
    const existing = await listFolderIfExists(dir)
    if (existing === 'not-a-folder') {
      throw new QuireError({ code: 'invalid-argument', path: dir, message: `${dir} is a file, not a folder` })
    }
    if (existing?.includes(PROJECT_FILE_NAME)) {
      throw new QuireError({
        code: 'invalid-argument',
        path: dir,
        message: `${dir} already holds a Quire project; open it instead of creating a new one`
      })
    }
    const contents = (existing ?? []).filter((entry) => !SYSTEM_LITTER.has(entry))
    if (contents.length > 0) {
      throw new QuireError({
        code: 'invalid-argument',
        path: dir,
        message:
          `${dir} is not empty (it holds ${describeEntries(contents)}) and is not a Quire project; ` +
          'choose an empty or new folder'
      })
    }
    await mkdir(dir, { recursive: true })
    const manifest: ProjectManifest = {
      format: 'quire-project',
      schemaVersion: STORE_SCHEMA_VERSION,
      name: name.trim(),
      createdAt: new Date().toISOString(),
      tags: DEFAULT_TAGS.map((tag) => ({ ...tag }))
    }
    // project.json goes first: a crash after it leaves a valid (empty) project, and open()
    // creates whatever folder is missing.
    const manifestPath = join(dir, PROJECT_FILE_NAME)
    const backups = new BackupStore(dir, join(dir, LOCAL_STATE_FOLDER))
    await new DurableJsonFile(manifestPath, PROJECT_FILE, (written) => backups.recordVersion(manifestPath, written)).write(manifest)
    return ProjectStore.open(dir)
  }

  static async open(dir: string): Promise<ProjectStore> {
    const existing = await listFolderIfExists(dir)
    if (existing === null) throw new QuireError({ code: 'not-found', path: dir, message: `There is no folder at ${dir}` })
    if (existing === 'not-a-folder') {
      throw new QuireError({ code: 'invalid-argument', path: dir, message: `${dir} is a file, not a project folder` })
    }
    const manifestPath = join(dir, PROJECT_FILE_NAME)
    const manifest = await new DurableJsonFile(manifestPath, PROJECT_FILE).read()
    if (manifest === null) {
      throw new QuireError({
        code: 'not-found',
        path: manifestPath,
        message: `${dir} is not a Quire project: there is no ${PROJECT_FILE_NAME} in it`
      })
    }
    let lock: LockOutcome
    try {
      await mkdir(join(dir, DOCUMENTS_FOLDER), { recursive: true })
      await mkdir(join(dir, LOCAL_STATE_FOLDER), { recursive: true })
      // Keeps machine-local state out of git for teams who version the project folder.
      const ignoreFile = join(dir, LOCAL_STATE_FOLDER, '.gitignore')
      if ((await readFileIfExists(ignoreFile)) === null) await writeFileDurably(ignoreFile, '*\n')
      lock = await ProjectLock.acquire(join(dir, LOCAL_STATE_FOLDER))
      if (lock.acquired) {
        await removeAbandonedTempFiles(dir)
        await removeAbandonedTempFiles(join(dir, LOCAL_STATE_FOLDER))
      }
    } catch (error) {
      // A folder this user may only read (a colleague's share, a read-only disk) can still be
      // read and reviewed; every save is then refused with this reason instead of failing later.
      const failure = describeWriteFailure(error, join(dir, LOCAL_STATE_FOLDER))
      const reason = failure instanceof WriteFailure ? failure.reason : failure.message
      return new ProjectStore(dir, manifest, null, `Quire cannot write in this project folder: ${reason}. It is open read-only here.`)
    }
    if (!lock.acquired) return new ProjectStore(dir, manifest, null, lock.reason)
    const store = new ProjectStore(dir, manifest, lock.lock, null)
    // An import batch a crash interrupted after its commit is written whole before anything reads the documents.
    await finishInterruptedBatch(store, store.#batchPaths())
    return store
  }

  /**
   * Writes new documents (with their layers, if any) as one batch, all of them or none even
   * through a crash, with one durable write for the batch (see document-batch.ts).
   */
  async addDocuments(documents: readonly NewDocument[]): Promise<void> {
    // Their records are not cached: read when first asked for, as after a restart, so an
    // import of 100,000 documents does not keep them all.
    await writeDocumentBatch(this, this.#batchPaths(), documents)
    if (this.#addedListeners.size === 0) for (const document of documents) this.noteDocumentChanged(document.record.id)
    for (const listener of this.#addedListeners) listener(documents)
  }

  #batchPaths(): BatchPaths {
    return {
      localStateDir: join(this.dir, LOCAL_STATE_FOLDER),
      documentFolder: (documentId) => this.documentFolder(documentId),
      textFileName: TEXT_FILE_NAME,
      documentFileName: DOCUMENT_FILE_NAME,
      annotationsFolder: ANNOTATIONS_FOLDER,
      layerFileName: (annotator) => annotatorFileName(annotator, (name) => sha256Hex(name))
    }
  }

  documentFolder(documentId: string): string {
    if (!DOCUMENT_ID_PATTERN.test(documentId)) {
      throw new QuireError({ code: 'invalid-argument', message: `"${documentId}" is not a valid document id` })
    }
    return join(this.dir, DOCUMENTS_FOLDER, documentId)
  }

  /**
   * Every document folder that has a document.json, sorted by name. A folder whose
   * document.json cannot be read is listed with its problem rather than failing the whole
   * list: one damaged file must not hide the rest of the project. Folders without a
   * document.json are half-finished imports and are skipped.
   */
  async listDocuments(): Promise<DocumentListing[]> {
    const listings: DocumentListing[] = []
    for (const id of await this.documentFolderNames()) {
      try {
        const record = await this.readRecordIfExists(id)
        if (record) listings.push({ id, record })
      } catch (error) {
        listings.push({ id, problem: QuireError.from(error) })
      }
    }
    return listings.sort(compareListings)
  }

  async readRecord(documentId: string): Promise<DocumentRecord> {
    const record = await this.readRecordIfExists(documentId)
    if (!record) {
      throw new QuireError({
        code: 'not-found',
        path: this.documentFolder(documentId),
        message: `There is no document "${documentId}" in the project ${this.manifest.name}`
      })
    }
    return record
  }

  /**
   * The document's current text: text.txt (checked against the SHA-256 recorded at import) with
   * the document's revisions applied, up to the last one that checks out.
   */
  async readText(documentId: string): Promise<string> {
    return (await this.texts.current(documentId)).text
  }

  /** The document's current text with its record and revision history. */
  textState(documentId: string): Promise<DocumentText> {
    return this.texts.current(documentId)
  }

  /**
   * Writes a new document's folder: text first, document.json last, so a crash leaves
   * either a complete document or a folder with no document.json, which listing ignores and
   * the next import removes.
   */
  async addDocument(
    record: DocumentRecord,
    text: string,
    /** Runs after the text is written and before document.json makes the document visible (annotation import writes its layers here). */
    beforeVisible?: () => Promise<void>
  ): Promise<void> {
    this.assertWritable()
    const folder = this.documentFolder(record.id)
    try {
      await mkdir(folder)
    } catch (error) {
      if (isErrnoCode(error, 'EEXIST')) {
        throw new QuireError({ code: 'internal', path: folder, message: `The document folder ${folder} already exists` })
      }
      throw error
    }
    const textPath = join(folder, TEXT_FILE_NAME)
    this.ownWrites.record(textPath, text)
    await writeFileDurably(textPath, text)
    await beforeVisible?.()
    const recordPath = join(folder, DOCUMENT_FILE_NAME)
    await new DurableJsonFile(
      recordPath,
      DOCUMENT_FILE,
      (written) => this.backups.recordVersion(recordPath, written),
      (written) => this.ownWrites.record(recordPath, written)
    ).write(record)
    this.recordsById.set(record.id, record)
    this.noteDocumentChanged(record.id)
  }

  /** Appends tags to project.json (durably) and to this store's manifest. */
  async addTags(tags: readonly TagDefinition[]): Promise<void> {
    this.assertWritable()
    if (tags.length === 0) return
    const manifestPath = join(this.dir, PROJECT_FILE_NAME)
    const file = new DurableJsonFile(manifestPath, PROJECT_FILE, null, (written) => this.ownWrites.record(manifestPath, written))
    const current = await file.read()
    if (current === null) throw new QuireError({ code: 'not-found', path: file.path, message: `${file.path} is missing` })
    const known = new Set(current.tags.map((tag) => tag.id))
    const updated = { ...current, tags: [...current.tags, ...tags.filter((tag) => !known.has(tag.id))] }
    await file.write(updated)
    this.manifest.tags = updated.tags.map((tag) => ({ ...tag }))
  }

  /**
   * Replaces the tag set in project.json (durably; the rest of the file, schemaVersion included,
   * is kept) and in this store's manifest. `basedOn` is the set the new one was made from: when
   * the file holds another (a colleague's change arrived meanwhile), nothing is written.
   */
  async replaceTags(tags: readonly TagDefinition[], basedOn: readonly TagDefinition[]): Promise<void> {
    this.assertWritable()
    const manifestPath = join(this.dir, PROJECT_FILE_NAME)
    const file = new DurableJsonFile(
      manifestPath,
      PROJECT_FILE,
      (written) => this.backups.recordVersion(manifestPath, written),
      (written) => this.ownWrites.record(manifestPath, written)
    )
    const current = await file.read()
    if (current === null) throw new QuireError({ code: 'not-found', path: file.path, message: `${file.path} is missing` })
    if (JSON.stringify(current.tags) !== JSON.stringify(basedOn)) {
      Object.assign(this.manifest, current)
      throw new QuireError({
        code: 'conflict',
        path: file.path,
        message: `The tag set was not changed: ${file.path} changed meanwhile (a colleague's synced change); look at the tags again and redo your change`
      })
    }
    const updated = { ...current, tags: tags.map((tag) => ({ ...tag })) }
    await file.write(updated)
    this.manifest.tags = updated.tags.map((tag) => ({ ...tag }))
  }

  /**
   * Removes document folders left by an interrupted import: no document.json and nothing but
   * the text (which still exists in the file the user imported). A folder holding anything
   * else, annotations above all, is left alone. Returns the removed ids.
   */
  async removeAbandonedImports(): Promise<string[]> {
    this.assertWritable()
    const removed: string[] = []
    for (const id of await this.documentFolderNames()) {
      const folder = join(this.dir, DOCUMENTS_FOLDER, id)
      const entries = await readdir(folder)
      if (entries.includes(DOCUMENT_FILE_NAME)) continue
      const onlyText = entries.every((entry) => entry === TEXT_FILE_NAME || /^\..*\.tmp$/.test(entry))
      if (!onlyText) continue
      await rm(folder, { recursive: true, force: true })
      removed.push(id)
    }
    return removed
  }

  /** Folder names under documents/ that could be document ids. */
  documentFolderNames(): Promise<string[]> {
    return documentFolderNamesIn(this.dir)
  }

  /** The file holding one annotator's layer on one document (it may not exist yet). */
  /**
   * Runs a write to the layer at `layerPath`, known from its start: restoreBackup waits for it
   * even while it is still reading the text, before it has reached the layer's save queue.
   */
  whileLayerCall<T>(layerPath: string, call: () => Promise<T>): Promise<T> {
    const running = call()
    let calls = this.layerCalls.get(layerPath)
    if (!calls) this.layerCalls.set(layerPath, (calls = new Set()))
    calls.add(running)
    const forget = (): void => {
      calls.delete(running)
      if (calls.size === 0 && this.layerCalls.get(layerPath) === calls) this.layerCalls.delete(layerPath)
    }
    running.then(forget, forget)
    return running
  }

  layerPath(documentId: string, annotator: string): string {
    return join(this.documentFolder(documentId), ANNOTATIONS_FOLDER, annotatorFileName(annotator, (name) => sha256Hex(name)))
  }

  /**
   * One annotator's layer on one document. Kept open after a successful read so edits are
   * serialized through one queue; a layer that failed to read is not kept, so the next call
   * reads the file again (after the user repaired it).
   */
  annotationLayer(record: DocumentRecord, annotator: string): Promise<AnnotationLayerFile> {
    return this.layerAt(record, this.layerPath(record.id, annotator), annotator)
  }

  /**
   * The layer in an existing annotation file of the document, whoever it belongs to (listing a
   * document's layers finds files, not names). Cached like annotationLayer.
   */
  annotationLayerAt(record: DocumentRecord, path: string): Promise<AnnotationLayerFile> {
    return this.layerAt(record, path, null)
  }

  /**
   * Resolves once every save queued on any loaded layer has finished and each layer's journal
   * is folded into its file (before a git sync commits, which takes layer files, not journals).
   */
  async settleWrites(): Promise<void> {
    await this.background.settled()
    await Promise.all([...this.loadedLayers.values()].map((layer) => layer.settled()))
    if (this.readOnly) return
    await Promise.all([...this.loadedLayers.values()].map((layer) => layer.compact()))
  }

  /** The layer in `path` if this store has it loaded (its in-memory state is then the newest). */
  loadedLayer(path: string): AnnotationLayerFile | undefined {
    return this.loadedLayers.get(path)
  }

  /** The files of every layer this store has loaded. */
  loadedLayerPaths(): string[] {
    return [...this.loadedLayers.keys()]
  }

  /** The annotation files in a document's folder, sorted by file name. */
  async layerFilePaths(documentId: string): Promise<string[]> {
    const folder = join(this.documentFolder(documentId), ANNOTATIONS_FOLDER)
    let names: string[]
    try {
      names = await readdir(folder)
    } catch (error) {
      if (isErrnoCode(error, 'ENOENT') || isErrnoCode(error, 'ENOTDIR')) return []
      throw error
    }
    // Temp files (".name.json.123.tmp") and sync tools' litter start with a dot or do not end in .json.
    return names
      .filter((name) => ANNOTATION_FILE_NAME.test(name))
      .sort()
      .map((name) => join(folder, name))
  }

  /**
   * Forgets what was read of a file that changed on disk (a colleague's layer arriving through
   * sync), so the next read sees the new version. A layer with saves still queued is kept: its
   * queue, not the disk, is the truth until it has written. Returns false when it was kept.
   */
  forgetFile(path: string): boolean {
    if (this.layersByPath.has(path)) {
      if (this.loadedLayers.get(path)?.busy) return false
      this.layersByPath.delete(path)
      this.loadedLayers.delete(path)
    }
    const [folder, documentId, file] = relative(this.dir, path).split(sep)
    if (folder === DOCUMENTS_FOLDER && documentId !== undefined) {
      this.noteDocumentChanged(documentId)
      if (file === DOCUMENT_FILE_NAME || file === undefined) this.recordsById.delete(documentId)
      if (file === TEXT_FILE_NAME || file === REVISIONS_FOLDER || file === DOCUMENT_FILE_NAME || file === undefined) this.texts.forget(documentId)
    }
    return true
  }

  /** Reads project.json again (a colleague added a tag and it arrived through sync). */
  async reloadManifest(): Promise<void> {
    const manifest = await new DurableJsonFile(join(this.dir, PROJECT_FILE_NAME), PROJECT_FILE).read()
    if (manifest) Object.assign(this.manifest, manifest)
  }

  private layerAt(record: DocumentRecord, path: string, expectedAnnotator: string | null): Promise<AnnotationLayerFile> {
    // The promise is cached, not the loaded layer: two calls arriving together must share
    // one layer (and its write queue), or one's save would overwrite the other's.
    const cached = this.layersByPath.get(path)
    if (cached) {
      return cached.then(async (layer) => {
        if (expectedAnnotator !== null) assertLayerOwner(layer, path, record, expectedAnnotator)
        await this.followTextHead(layer, record, path)
        return layer
      })
    }
    const loading = this.loadLayer(path, record, expectedAnnotator)
    this.layersByPath.set(path, loading)
    loading.then(
      (layer) => {
        if (this.layersByPath.get(path) === loading) this.loadedLayers.set(path, layer)
      },
      () => {
        if (this.layersByPath.get(path) === loading) this.layersByPath.delete(path)
      }
    )
    return loading
  }

  private async loadLayer(path: string, record: DocumentRecord, expectedAnnotator: string | null): Promise<AnnotationLayerFile> {
    // A file found by listing is never missing; the placeholder name is replaced by the file's own.
    const emptyLayer = emptyAnnotationLayer(record, expectedAnnotator ?? '')
    const afterWrite = (written: string): Promise<void> => this.backups.recordVersion(path, written)
    const beforeWrite = (written: string): void => this.ownWrites.record(path, written)
    const layer = new AnnotationLayerFile(path, openJsonFile(path, ANNOTATION_FILE, emptyLayer, afterWrite, beforeWrite), (purpose) => {
      this.assertWritable()
      if (purpose === 'save') this.assertTextSettled(record.id)
    })
    await layer.load()
    if (expectedAnnotator === null && layer.current.annotator === '') {
      throw new QuireError({ code: 'not-found', path, message: `The annotation file ${path} does not exist` })
    }
    if (!this.readOnly) await removeAbandonedTempFiles(dirname(path))
    assertLayerOwner(layer, path, record, expectedAnnotator ?? layer.current.annotator)
    // Checked on its own text whatever its anchor (no span past the end), then placed on the head.
    const graph = await this.texts.graph(record.id, record)
    if (layer.current.textRevision === graph.head.id) placeLayerOnHead(layer.current, record, graph, () => '', path)
    else await this.followTextHead(layer, record, path)
    return layer
  }

  /**
   * A loaded layer anchored to an older revision than the head (it was loaded before the text
   * was edited, or its file was) is mapped forward in memory; it is written forward (the whole
   * file, never through its journal) when its owner next saves it.
   */
  private async followTextHead(layer: AnnotationLayerFile, record: DocumentRecord, path: string): Promise<void> {
    const graph = await this.texts.graph(record.id, record)
    if (layer.current.textRevision === graph.head.id && layer.current.textSha256 === graph.head.sha256) return
    const state = await this.texts.current(record.id)
    const { head } = state.graph
    // Queued behind the layer's saves, which were made on the text before this one.
    await layer.placeInMemory((current) =>
      current.textRevision === head.id && current.textSha256 === head.sha256 ? current : placeLayerOnHead(current, state.record, state.graph, () => state.text, path, textAtOf(state))
    )
  }

  /** Backups of one of this project's JSON files that read back, newest first. */
  async listBackups(filePath: string): Promise<StoredBackup<unknown>[]> {
    return this.backups.list(filePath, storedFileKindAt(this.dir, filePath))
  }

  /**
   * Puts a backup back as `filePath` (the current file is kept aside, see BackupStore.restore)
   * and forgets what this store had read of it, so the next use reads the restored file.
   */
  async restoreBackup(filePath: string, backupId: string): Promise<{ backup: StoredBackup<unknown>; keptAsidePath: string | null }> {
    this.assertWritable()
    const kind = storedFileKindAt(this.dir, filePath)
    if (kind === PROJECT_FILE) {
      throw new QuireError({
        code: 'invalid-argument',
        path: filePath,
        message: 'The project file of an open project is in use; close the project, then restore its backup'
      })
    }
    // A save asked for before the restore lands before it, even one still reading its text.
    await Promise.allSettled([...(this.layerCalls.get(filePath) ?? [])])
    const loaded = this.layersByPath.get(filePath)
    if (loaded) {
      // Let saves already queued on the file finish first, so none lands on the restored file;
      // its journal is folded into the file, which the restore keeps aside.
      await loaded.then((layer) => layer.compact()).catch(() => undefined)
      this.layersByPath.delete(filePath)
      this.loadedLayers.delete(filePath)
    }
    // A journal still there (its layer could not be read) belongs to the file kept aside, not the backup.
    if (kind === ANNOTATION_FILE) await setJournalAside(filePath)
    const restored = await this.backups.restore(filePath, backupId, kind)
    const documentId = documentIdOfPath(this.dir, filePath)
    if (documentId !== null) {
      this.recordsById.delete(documentId)
      this.texts.forget(documentId)
      this.noteDocumentChanged(documentId)
    }
    return restored
  }

  /**
   * Throws 'read-only' while the document's text has a problem (a fork waiting to be settled, a
   * damaged revision): a layer saved now would be anchored to a text about to change under it.
   */
  assertTextSettled(documentId: string): void {
    const problem = this.texts.knownProblem(documentId)
    if (problem === null) return
    throw new QuireError({ code: 'read-only', ...(problem.kind === 'damaged' ? { path: problem.path } : {}), message: `Not saved: ${problem.message}` })
  }

  /** Throws 'read-only' when another Quire holds the project. */
  assertWritable(): void {
    if (this.readOnlyReason !== null) {
      throw new QuireError({ code: 'read-only', path: this.dir, message: `Not saved: ${this.readOnlyReason}` })
    }
  }

  /** The document's record; null when its folder has no document.json (a half-finished import). */
  async readRecordIfExists(documentId: string): Promise<DocumentRecord | null> {
    const cached = this.recordsById.get(documentId)
    if (cached) return cached
    const path = join(this.documentFolder(documentId), DOCUMENT_FILE_NAME)
    const bytes = await readFileIfExists(path)
    if (bytes === null) return null
    const record = parseDocumentFile(bytes, path, documentId)
    this.recordsById.set(documentId, record)
    return record
  }
}

/** The record in document.json's bytes; throws a corrupt-store QuireError when it is damaged or names another folder. */
export function parseDocumentFile(bytes: Uint8Array, path: string, documentId: string): DocumentRecord {
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

/** The order documents are listed in: by name, then id; a folder whose record cannot be read by its id. */
export function compareListings(a: DocumentListing, b: DocumentListing): number {
  const sortName = (listing: DocumentListing): string => ('record' in listing ? listing.record.name : listing.id)
  return sortName(a).localeCompare(sortName(b)) || a.id.localeCompare(b.id)
}

/** Annotation file names as Quire writes them (annotatorFileName): no temp files, no hidden files. */
const ANNOTATION_FILE_NAME = /^[^.][^/\\]*\.json$/

/** Whether a name in a document's annotations/ is a layer file (not a temp file, a journal or a sync tool's litter). */
export function isLayerFileName(name: string): boolean {
  return ANNOTATION_FILE_NAME.test(name)
}

function assertLayerOwner(layer: AnnotationLayerFile, path: string, record: DocumentRecord, annotator: string): void {
  if (layer.current.annotator !== annotator || layer.current.documentId !== record.id) {
    throw new QuireError({
      code: 'corrupt-store',
      path,
      message: `The annotation file ${path} belongs to ${layer.current.annotator} on document ${layer.current.documentId}, not to ${annotator} on ${record.id}; Quire will not change it`
    })
  }
}

/** The document whose folder holds `path` (documents/<id>/…), or null for a path outside every document's folder. */
export function documentIdOfPath(projectDir: string, path: string): string | null {
  const [folder, documentId] = relative(projectDir, path).split(sep)
  return folder === DOCUMENTS_FOLDER && documentId !== undefined ? documentId : null
}

/**
 * The kind of stored JSON file at `filePath` judged by its place in the project folder:
 * project.json, entities.json, documents/<id>/document.json or documents/<id>/annotations/<name>.json.
 * Anything else is refused, so backups can only ever be restored over Quire's own files.
 */
export function storedFileKindAt(projectDir: string, filePath: string): StoredFileKind<unknown> {
  const parts = relative(projectDir, filePath).split(sep)
  const isDocumentId = (id: string | undefined): boolean => id !== undefined && DOCUMENT_ID_PATTERN.test(id)
  if (parts.length === 1 && parts[0] === PROJECT_FILE_NAME) return PROJECT_FILE as StoredFileKind<unknown>
  if (parts.length === 1 && parts[0] === ENTITIES_FILE_NAME) return ENTITIES_FILE as StoredFileKind<unknown>
  if (parts.length === 3 && parts[0] === DOCUMENTS_FOLDER && isDocumentId(parts[1]) && parts[2] === DOCUMENT_FILE_NAME) {
    return DOCUMENT_FILE as StoredFileKind<unknown>
  }
  if (parts.length === 4 && parts[0] === DOCUMENTS_FOLDER && isDocumentId(parts[1]) && parts[2] === ANNOTATIONS_FOLDER && ANNOTATION_FILE_NAME.test(parts[3] ?? '')) {
    return ANNOTATION_FILE as StoredFileKind<unknown>
  }
  throw new QuireError({
    code: 'invalid-argument',
    path: filePath,
    message: `${filePath} is not one of the project's files that Quire backs up (project.json, entities.json, a document.json or an annotation file)`
  })
}

/** True when `dir` does not exist or holds nothing but files the OS drops into folders. */
export async function folderIsMissingOrEmpty(dir: string): Promise<boolean> {
  const entries = await listFolderIfExists(dir)
  if (entries === 'not-a-folder') return false
  return entries === null || entries.every((entry) => SYSTEM_LITTER.has(entry))
}

async function listFolderIfExists(dir: string): Promise<string[] | null | 'not-a-folder'> {
  try {
    const info = await stat(dir)
    if (!info.isDirectory()) return 'not-a-folder'
    return await readdir(dir)
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return null
    throw error
  }
}

function describeEntries(entries: string[]): string {
  const shown = entries.slice(0, 3).map((entry) => `"${entry}"`).join(', ')
  return entries.length > 3 ? `${shown} and ${entries.length - 3} more` : shown
}

/** Folder names under the documents/ of the project at `projectDir` that could be document ids (none when it has no documents/). */
export async function documentFolderNamesIn(projectDir: string): Promise<string[]> {
  let entries
  try {
    entries = await readdir(join(projectDir, DOCUMENTS_FOLDER), { withFileTypes: true })
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return []
    throw error
  }
  return entries.filter((entry) => entry.isDirectory() && DOCUMENT_ID_PATTERN.test(entry.name)).map((entry) => entry.name)
}
