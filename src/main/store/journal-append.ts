// The disk side of a layer's journal: appending one entry durably, and cutting off a torn one.
import { open, truncate } from 'node:fs/promises'
import { dirname } from 'node:path'
import { syncDirectory } from './durable-file'

/** The steps of an append, named so a test can make any one of them fail (or tear the line). */
export type JournalAppendStep = 'open' | 'write' | 'sync' | 'sync-directory'

let injectedFault: ((step: JournalAppendStep, path: string, line: string) => void) | null = null

/**
 * Test seam, like injectDurableWriteFault: `fault` runs before each step of every append and
 * may throw (a full disk), or write part of the line itself first (a crash mid-append).
 */
export function injectJournalFault(fault: ((step: JournalAppendStep, path: string, line: string) => void) | null): void {
  injectedFault = fault
}

/**
 * Appends `line` to the journal and returns once it is on the disk (fsynced; the folder too
 * when the append created the file, or the new file's name may not survive a power cut).
 * Returns the bytes written.
 */
export async function appendToJournal(path: string, line: string, mayCreate: boolean): Promise<number> {
  const bytes = Buffer.from(line, 'utf8')
  injectedFault?.('open', path, line)
  const handle = await open(path, 'a')
  try {
    injectedFault?.('write', path, line)
    await handle.write(bytes, 0, bytes.length)
    injectedFault?.('sync', path, line)
    await handle.datasync()
  } finally {
    await handle.close()
  }
  if (mayCreate) {
    injectedFault?.('sync-directory', path, line)
    await syncDirectory(dirname(path))
  }
  return bytes.length
}

/** Cuts the journal back to its complete entries (a torn last one goes). */
export async function cutJournalTo(path: string, bytes: number): Promise<void> {
  await truncate(path, bytes)
}
