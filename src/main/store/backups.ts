// Machine-local backups of a project's JSON files, under .quire/backups/ (which the project's
// .quire/.gitignore keeps out of git and sharing). A file damaged by a sync conflict, a disk
// error or a hand edit can then be put back to its last good version.
//
// Policy: after a successful write, the new version is copied to
// .quire/backups/<path of the file>/<time>.json unless the newest backup of that file is less
// than BACKUP_INTERVAL_MS old; a version skipped that way is written when the project is
// closed. So a burst of saves costs one extra write per minute per file, and the newest backup
// is at most a minute behind (exactly current after a normal close). The BACKUPS_KEPT newest
// are kept; files put aside by a restore (replaced-<time>.json) are never deleted.
import { mkdirSync, writeFileSync } from 'node:fs'
import { mkdir, readdir, rm } from 'node:fs/promises'
import { isAbsolute, join, relative, sep } from 'node:path'
import { QuireError } from '../../shared/api'
import { isErrnoCode, readFileIfExists, writeFileDurably } from './durable-file'
import type { StoredFileKind } from './json-store'
import { parseStoredFile } from './json-store'

export const BACKUPS_KEPT = 5
export const BACKUP_INTERVAL_MS = 60_000
export const BACKUPS_FOLDER = 'backups'

const BACKUP_NAME = /^(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z)(?:-(\d+))?\.json$/

/** One stored backup of one file, as found on disk and checked. */
export interface StoredBackup<T> {
  /** The backup's file name; what restore() takes. */
  id: string
  savedAt: string
  sizeBytes: number
  data: T
}

export class BackupStore {
  /** When this process last wrote a backup of each file (saves read no folder listing). */
  private readonly lastBackupAt = new Map<string, number>()
  /** The newest version of each file whose backup the interval postponed, written by flush(). */
  private readonly postponed = new Map<string, string>()

  constructor(
    readonly projectDir: string,
    readonly localStateDir: string,
    private readonly now: () => number = Date.now
  ) {}

  /** The folder holding backups of `filePath`, mirroring its place in the project. */
  folderFor(filePath: string): string {
    const inProject = relative(this.projectDir, filePath)
    if (inProject === '' || inProject.startsWith('..') || isAbsolute(inProject)) {
      throw new QuireError({ code: 'invalid-argument', path: filePath, message: `${filePath} is not a file of the project ${this.projectDir}` })
    }
    return join(this.localStateDir, BACKUPS_FOLDER, ...inProject.split(sep))
  }

  /**
   * Called after `filePath` was durably written with `content`. Never throws: the save itself
   * succeeded, and a failing backup must not make the editor think it did not.
   */
  async recordVersion(filePath: string, content: string): Promise<void> {
    try {
      const last = this.lastBackupAt.get(filePath) ?? (await this.newestBackupTime(filePath))
      if (last !== null && this.now() - last < BACKUP_INTERVAL_MS) {
        this.postponed.set(filePath, content)
        this.lastBackupAt.set(filePath, last)
        return
      }
      await this.writeBackup(filePath, content)
    } catch (error) {
      console.warn(`Quire: could not back up ${filePath}: ${(error as Error).message}`)
    }
  }

  /**
   * The first backup of a file a bulk import just created (it has none yet): written in place
   * without fsync, like the import's own folders, whose batch file is what makes them durable.
   */
  recordFirstVersionNow(filePath: string, content: string): void {
    const folder = this.folderFor(filePath)
    const time = this.now()
    try {
      mkdirSync(folder, { recursive: true })
      // Its time is not remembered in lastBackupAt: an import of 100,000 documents would keep
      // 200,000 paths. A save within the interval finds this backup's time in its name instead.
      writeFileSync(join(folder, `${timeStamp(time)}.json`), content, { flag: 'wx' })
    } catch (error) {
      console.warn(`Quire: could not back up ${filePath}: ${(error as Error).message}`)
    }
  }

  /** Writes the postponed backups (when the project is closed). Never throws. */
  async flush(): Promise<void> {
    for (const [filePath, content] of [...this.postponed]) {
      try {
        await this.writeBackup(filePath, content)
      } catch (error) {
        console.warn(`Quire: could not back up ${filePath}: ${(error as Error).message}`)
      }
    }
  }

  /** Backups of `filePath` that parse and validate as `kind`, newest first. Damaged backups are left out. */
  async list<T>(filePath: string, kind: StoredFileKind<T>): Promise<StoredBackup<T>[]> {
    const folder = this.folderFor(filePath)
    const backups: StoredBackup<T>[] = []
    for (const name of await this.backupNames(folder)) {
      const bytes = await readFileIfExists(join(folder, name))
      if (bytes === null) continue
      try {
        backups.push({ id: name, savedAt: savedAtOf(name), sizeBytes: bytes.length, data: parseStoredFile(bytes, join(folder, name), kind) })
      } catch {
        // A backup that does not read back is no use to restore; the others still are.
      }
    }
    return backups
  }

  /**
   * Puts backup `backupId` back as `filePath`. The current file, damaged or not, is first
   * copied aside into the backup folder (replaced-<time>.json) and never deleted; the backup is
   * checked before anything is written. Returns where the old file was kept (null if there was none).
   */
  async restore<T>(filePath: string, backupId: string, kind: StoredFileKind<T>): Promise<{ backup: StoredBackup<T>; keptAsidePath: string | null }> {
    if (!BACKUP_NAME.test(backupId)) {
      throw new QuireError({ code: 'invalid-argument', message: `"${backupId.slice(0, 80)}" is not the name of a Quire backup` })
    }
    const folder = this.folderFor(filePath)
    const backupPath = join(folder, backupId)
    const bytes = await readFileIfExists(backupPath)
    if (bytes === null) {
      throw new QuireError({ code: 'not-found', path: backupPath, message: `There is no backup ${backupId} of ${filePath}` })
    }
    const data = parseStoredFile(bytes, backupPath, kind)
    const current = await readFileIfExists(filePath)
    let keptAsidePath: string | null = null
    if (current !== null) {
      // Copied, not moved: until the backup is in place, the original stays where it was.
      const stamp = timeStamp(this.now())
      keptAsidePath = join(folder, `replaced-${stamp}.json`)
      for (let suffix = 2; (await readFileIfExists(keptAsidePath)) !== null; suffix++) keptAsidePath = join(folder, `replaced-${stamp}-${suffix}.json`)
      await mkdir(folder, { recursive: true })
      await writeFileDurably(keptAsidePath, current)
    }
    await writeFileDurably(filePath, bytes)
    this.postponed.delete(filePath)
    return { backup: { id: backupId, savedAt: savedAtOf(backupId), sizeBytes: bytes.length, data }, keptAsidePath }
  }

  private async writeBackup(filePath: string, content: string): Promise<void> {
    const folder = this.folderFor(filePath)
    const time = this.now()
    const names = await this.backupNames(folder)
    let name = `${timeStamp(time)}.json`
    // Two backups in one millisecond (a clock step back, a flush right after a save) get a suffix.
    for (let suffix = 2; names.includes(name); suffix++) name = `${timeStamp(time)}-${suffix}.json`
    await mkdir(folder, { recursive: true })
    await writeFileDurably(join(folder, name), content)
    this.lastBackupAt.set(filePath, time)
    this.postponed.delete(filePath)
    for (const old of [name, ...names].sort(newestFirst).slice(BACKUPS_KEPT)) await rm(join(folder, old), { force: true })
  }

  private async newestBackupTime(filePath: string): Promise<number | null> {
    const newest = (await this.backupNames(this.folderFor(filePath)))[0]
    return newest === undefined ? null : Date.parse(savedAtOf(newest))
  }

  /** Backup file names in `folder`, newest first. */
  private async backupNames(folder: string): Promise<string[]> {
    try {
      return (await readdir(folder)).filter((name) => BACKUP_NAME.test(name)).sort(newestFirst)
    } catch (error) {
      if (isErrnoCode(error, 'ENOENT')) return []
      throw error
    }
  }
}

function timeStamp(time: number): string {
  return new Date(time).toISOString().replace(/:/g, '-').replace('.', '-')
}

function savedAtOf(name: string): string {
  const stamp = BACKUP_NAME.exec(name)?.[1] ?? ''
  // 2026-11-23T16-51-14-123Z -> 2026-11-23T16:51:14.123Z
  return stamp.replace(/T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/, 'T$1:$2:$3.$4Z')
}

function newestFirst(a: string, b: string): number {
  const [, timeA = '', suffixA = '1'] = BACKUP_NAME.exec(a) ?? []
  const [, timeB = '', suffixB = '1'] = BACKUP_NAME.exec(b) ?? []
  return timeA === timeB ? Number(suffixB) - Number(suffixA) : timeA < timeB ? 1 : -1
}
