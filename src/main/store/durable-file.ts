// Every file Quire writes into a project or the settings folder goes through here.
import { randomBytes } from 'node:crypto'
import { readFile as readFileWithCallback } from 'node:fs'
import { open, readdir, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { QuireError } from '../../shared/api'

/** The steps of a durable write, named so a test can make any one of them fail. */
export type DurableWriteStep = 'open' | 'write' | 'sync' | 'rename' | 'sync-directory'

let injectedFault: ((step: DurableWriteStep, path: string) => void) | null = null

/**
 * Test seam: `fault` runs before each step of every durable write and may throw (e.g. an
 * ENOSPC error at 'sync'), standing in for a full disk or a read-only folder, which tests
 * cannot otherwise produce when they run as root. Pass null to remove it.
 */
export function injectDurableWriteFault(fault: ((step: DurableWriteStep, path: string) => void) | null): void {
  injectedFault = fault
}

/**
 * Replaces `path` with `data` so that a reader (another Quire, a sync client, a crash
 * recovery) sees either the old complete file or the new complete file, never a mix:
 * the bytes go to a temp file in the same directory, are fsynced, and only then is the
 * temp file renamed over the target. rename() within one directory is atomic on POSIX
 * and on NTFS, and the directory fsync makes the rename itself survive a power cut.
 * Data given as pieces is written a piece at a time, so a file of tens of megabytes (the
 * document index of 100,000 documents) never has to be one string in memory.
 */
export async function writeFileDurably(path: string, data: string | Uint8Array | Iterable<string | Uint8Array>): Promise<void> {
  const directory = dirname(path)
  const tempPath = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    injectedFault?.('open', path)
    const handle = await open(tempPath, 'wx')
    try {
      injectedFault?.('write', path)
      if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data)
      // writeFile, not write: it writes the whole chunk (write may write part of it).
      else for (const chunk of data) await handle.writeFile(chunk)
      injectedFault?.('sync', path)
      await handle.sync()
    } finally {
      await handle.close()
    }
    injectedFault?.('rename', path)
    await rename(tempPath, path)
  } catch (error) {
    await rm(tempPath, { force: true }).catch(() => undefined)
    throw describeWriteFailure(error, path)
  }
  try {
    injectedFault?.('sync-directory', path)
    await syncDirectory(directory)
  } catch (error) {
    // The new file is in place but its rename may not survive a power cut; say it was not
    // saved so the caller keeps the change and saves it again.
    throw describeWriteFailure(error, path)
  }
}

const WRITE_FAILURE_REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'your disk quota is used up',
  EACCES: 'permission denied (the folder or file is not writable for you)',
  EPERM: 'the operating system did not allow it (the file may be locked or read-only)',
  EROFS: 'the disk is read-only',
  EIO: 'the disk reported an input/output error',
  ENOENT: 'its folder no longer exists (was it moved, deleted, or its drive disconnected?)',
  EBUSY: 'the file is in use by another program'
}

/**
 * A failed write as the editor should read it: which file, why in plain words (with the
 * system's code for support), and that the previous version is unchanged. Errors that are
 * already QuireErrors pass through.
 */
export function describeWriteFailure(error: unknown, path: string): QuireError {
  if (error instanceof QuireError) return error
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
  const reason =
    (typeof code === 'string' ? WRITE_FAILURE_REASONS[code] : undefined) ?? (error instanceof Error ? error.message : String(error))
  return new WriteFailure(`${reason}${typeof code === 'string' ? ` (${code})` : ''}`, path)
}

/** A write that failed; `reason` is the plain-words why, for messages that name no file. */
export class WriteFailure extends QuireError {
  declare readonly reason: string

  constructor(reason: string, path: string) {
    super({ code: 'io', path, reason, message: `Could not save ${path}: ${reason}. The previous version of the file is unchanged` })
  }
}

// Matches the temp names writeFileDurably makes: .<target name>.<pid>.<12 hex>.tmp
const TEMP_FILE_NAME = /^\..+\.\d+\.[0-9a-f]{12}\.tmp$/

/**
 * A write that takes ten minutes has not happened; its temp file was left by a process that
 * crashed or was killed mid-write. Age, not the pid, decides: on a shared drive the pid may
 * belong to a live Quire on another computer. Returns how many were removed; never throws.
 */
export async function removeAbandonedTempFiles(directory: string, olderThanMs = 10 * 60_000): Promise<number> {
  let removed = 0
  try {
    for (const name of await readdir(directory)) {
      if (!TEMP_FILE_NAME.test(name)) continue
      const path = join(directory, name)
      const info = await stat(path).catch(() => null)
      if (!info?.isFile() || Date.now() - info.mtimeMs < olderThanMs) continue
      await rm(path, { force: true })
      removed++
    }
  } catch {
    // Tidying up is best effort: a folder that cannot be listed or written is reported when it matters.
  }
  return removed
}

/**
 * The file's bytes. fs.readFile with a callback, not the promise API's readFile, which reads
 * through a FileHandle at two to three times the CPU for a small file (reading a project's 10,000
 * document.json files: 1.6 s of CPU against 0.7 s; listing them took 1.3 s, now 0.8 s).
 */
export const readFileBytes: (path: string) => Promise<Buffer> = promisify(readFileWithCallback)

/**
 * A large file's bytes in one read where the system allows (else a few): fs.readFile reads 512 KB
 * at a time, each piece a trip to the thread pool and back through the event loop, so while the
 * loop was busy (a server opening a project) a 25 MB file took 300 ms where one read took 150.
 * Null when it does not exist.
 */
export async function readLargeFileIfExists(path: string): Promise<Buffer | null> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return null
    throw error
  }
  try {
    const { size } = await handle.stat()
    const bytes = Buffer.allocUnsafe(size)
    let filled = 0
    while (filled < size) {
      const { bytesRead } = await handle.read(bytes, filled, size - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    // A file that grew meanwhile is read as it was when asked; one that shrank, as far as it goes.
    return bytes.subarray(0, filled)
  } finally {
    await handle.close()
  }
}

/** The file's bytes, or null when it does not exist. Other errors (permissions…) propagate. */
export async function readFileIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFileBytes(path)
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return null
    throw error
  }
}

/** fsyncs a folder, so a file created or renamed in it survives a crash. */
export async function syncDirectory(directory: string): Promise<void> {
  let handle
  try {
    handle = await open(directory, 'r')
    await handle.sync()
  } catch (error) {
    // Windows cannot open a directory for fsync (EISDIR/EPERM) and some network file
    // systems refuse it (EINVAL); there the rename is as durable as the platform allows.
    if (!isErrnoCode(error, 'EISDIR') && !isErrnoCode(error, 'EPERM') && !isErrnoCode(error, 'EINVAL')) throw error
  } finally {
    await handle?.close()
  }
}

export function isErrnoCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code
}
