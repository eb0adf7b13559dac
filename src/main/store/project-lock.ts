// Keeps two Quire processes on one computer from editing the same project at once: each
// keeps annotation files in memory, so two writers of one file would silently drop each
// other's saves. The second opener gets the project read-only instead.
import { hostname } from 'node:os'
import { join } from 'node:path'
import { rm } from 'node:fs/promises'
import { isErrnoCode, readFileIfExists, writeFileDurably } from './durable-file'

interface LockOwner {
  pid: number
  hostname: string
  openedAt: string
}

export type LockOutcome = { acquired: true; lock: ProjectLock } | { acquired: false; reason: string }

export class ProjectLock {
  private constructor(private readonly path: string) {}

  /**
   * Takes the lock in `localStateDir` unless another live process on this computer holds it.
   * The file is named after the computer because a project on a shared drive carries its
   * .quire folder along, and a process on another machine cannot be checked for life.
   * A lock whose process has died (a crash) is taken over.
   */
  static async acquire(localStateDir: string): Promise<LockOutcome> {
    const host = hostname()
    const path = join(localStateDir, `lock-${host.replace(/[^A-Za-z0-9.-]/g, '_')}.json`)
    const bytes = await readFileIfExists(path)
    const owner = bytes === null ? null : parseOwner(bytes.toString('utf8'))
    if (owner && owner.pid !== process.pid && isProcessAlive(owner.pid)) {
      return {
        acquired: false,
        reason:
          `Another Quire (process ${owner.pid}) on this computer has had this project open since ` +
          `${describeTime(owner.openedAt)}. It is opened read-only here so neither overwrites the other's work; ` +
          'close it there and reopen the project to edit.'
      }
    }
    const mine: LockOwner = { pid: process.pid, hostname: host, openedAt: new Date().toISOString() }
    await writeFileDurably(path, `${JSON.stringify(mine, null, 2)}\n`)
    return { acquired: true, lock: new ProjectLock(path) }
  }

  /** Removes the lock if it is still ours (a later process may have taken over a stale one). */
  async release(): Promise<void> {
    const bytes = await readFileIfExists(this.path)
    const owner = bytes === null ? null : parseOwner(bytes.toString('utf8'))
    if (owner?.pid === process.pid) await rm(this.path, { force: true })
  }
}

/** "23 Nov 2026, 17:16" in this computer's time zone; the raw text if it is not a time. */
function describeTime(iso: string): string {
  const time = new Date(iso)
  return Number.isNaN(time.getTime()) ? iso : time.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })
}

function parseOwner(text: string): LockOwner | null {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>
    if (typeof value.pid !== 'number' || !Number.isInteger(value.pid) || value.pid <= 0) return null
    return { pid: value.pid, hostname: String(value.hostname), openedAt: String(value.openedAt) }
  } catch {
    // A damaged lock protects nothing; it is replaced.
    return null
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return isErrnoCode(error, 'EPERM')
  }
}
