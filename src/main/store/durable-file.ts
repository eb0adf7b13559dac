// Every file Quire writes into a project or the settings folder goes through here.
import { randomBytes } from 'node:crypto'
import { open, readFile, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Replaces `path` with `data` so that a reader (another Quire, a sync client, a crash
 * recovery) sees either the old complete file or the new complete file, never a mix:
 * the bytes go to a temp file in the same directory, are fsynced, and only then is the
 * temp file renamed over the target. rename() within one directory is atomic on POSIX
 * and on NTFS, and the directory fsync makes the rename itself survive a power cut.
 */
export async function writeFileDurably(path: string, data: string | Uint8Array): Promise<void> {
  const directory = dirname(path)
  const tempPath = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    const handle = await open(tempPath, 'wx')
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(tempPath, path)
  } catch (error) {
    await rm(tempPath, { force: true }).catch(() => undefined)
    throw error
  }
  await syncDirectory(directory)
}

/** The file's bytes, or null when it does not exist. Other errors (permissions…) propagate. */
export async function readFileIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path)
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return null
    throw error
  }
}

async function syncDirectory(directory: string): Promise<void> {
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
