// A layer's journal: the saves made since its file was last written, one line each, appended
// and fsynced before the save is confirmed. A save then costs as much as its change, not a
// rewrite of the whole layer (see docs/ARCHITECTURE.md, "Saving a layer").
//
// documents/<id>/annotations/.<layer file>.journal, beside the layer file it belongs to. The
// leading dot keeps it out of everything that lists layers (they take visible *.json files),
// out of git sync's commits (an untracked dot file is skipped; the journal is folded into the
// layer file before a sync commits) and out of temp-file cleanup (which takes only *.tmp).
//
// A line is "<checksum> <json>\n": the checksum (16 hex digits of the JSON's SHA-256) tells a
// complete entry from one cut off or damaged. Entries are numbered from the layer file's
// journal position on: the file records the last entry it includes, so a crash between
// rewriting the file and removing the journal replays nothing twice.
import { createHash } from 'node:crypto'
import { rename } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import { QuireError } from '../../shared/api'
import { annotationEditSchema } from '../../shared/api-schemas'
import type { AnnotationEdit, JournalPosition } from '../../shared/model'

/** One save: the edits as resolved by the rules (adds as the records they made), at one time. */
export interface JournalEntry {
  seq: number
  /** The journal's id (the layer file's journal.id). */
  journal: string
  /** The save's time: the updatedAt of what it changed. */
  at: string
  edits: AnnotationEdit[]
}

/** An entry as read, with the line it is on (1-based) for messages. */
export interface ReadJournalEntry extends JournalEntry {
  line: number
}

export interface ParsedJournal {
  /** Entries the layer file does not include yet, in order. */
  pending: ReadJournalEntry[]
  /** The sequence number of the last complete entry (the file's seq when there is none after it). */
  lastSeq: number
  /** Bytes of complete entries: where the next entry goes (a torn tail is cut off first). */
  goodBytes: number
  /** The last entry, cut off or damaged by a crash mid-append: dropped. */
  torn: { line: number; bytes: number } | null
  /** Entries the layer file already includes (a crash came after compaction wrote it, before the journal went). */
  included: number
}

const JOURNAL_SUFFIX = '.journal'
const JOURNAL_NAME = /^\.([^/\\]+\.json)\.journal$/

/** The journal beside a layer file. */
export function journalPathOf(layerPath: string): string {
  return join(dirname(layerPath), `.${basename(layerPath)}${JOURNAL_SUFFIX}`)
}

/** The layer file a journal belongs to, or null when `path` is not a journal's. */
export function layerPathOfJournal(path: string): string | null {
  const match = JOURNAL_NAME.exec(basename(path))
  return match ? join(dirname(path), match[1] as string) : null
}

/**
 * Moves a layer's journal out of the way (to ".<file>.journal.<time>.aside", which nothing
 * reads) when the layer file is replaced by a backup: its saves were made on the file replaced.
 */
export async function setJournalAside(layerPath: string): Promise<void> {
  const journalPath = journalPathOf(layerPath)
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  await rename(journalPath, `${journalPath}.${stamp}.aside`).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  })
}

/** A new journal's id: random, so a journal is never taken for another file's. */
export function newJournalId(): string {
  return createHash('sha256').update(globalThis.crypto.randomUUID()).digest('hex').slice(0, 16)
}

/** The line that appends `entry`. */
export function encodeJournalEntry(entry: JournalEntry): string {
  const json = JSON.stringify({ seq: entry.seq, journal: entry.journal, at: entry.at, edits: entry.edits })
  return `${checksum(json)} ${json}\n`
}

const entrySchema = z.strictObject({
  seq: z.number().int().positive(),
  journal: z.string(),
  at: z.string().min(1).max(100),
  edits: z.array(annotationEditSchema).min(1)
})

/**
 * Reads a journal's bytes against the position its layer file records. A cut-off or damaged
 * last line is a save a crash interrupted (never confirmed): reported in `torn`, not
 * replayed. Anything wrong before the last line, entries of another journal, or a gap in the
 * numbering means the journal cannot be trusted: a corrupt-store error naming the file and
 * line, and the caller changes nothing.
 */
export function parseJournal(bytes: Uint8Array, path: string, position: JournalPosition | undefined): ParsedJournal {
  const corrupt = (line: number, why: string): QuireError =>
    new QuireError({
      code: 'corrupt-store',
      path,
      line,
      message:
        `The journal ${path} (the latest saves of its layer) cannot be read: line ${line} ${why}. ` +
        'Quire will not change it or its layer file; restore the layer from a backup, or remove the journal to go back to the layer as last written.'
    })
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const pending: ReadJournalEntry[] = []
  let lastSeq = position?.seq ?? 0
  let included = 0
  let offset = 0
  let line = 0
  while (offset < buffer.length) {
    line++
    const newline = buffer.indexOf(0x0a, offset)
    const next = newline === -1 ? buffer.length : newline + 1
    const entry = newline === -1 ? null : decodeLine(buffer.subarray(offset, newline))
    if (entry === null) {
      // Only the last line may be torn: every earlier one was confirmed after its fsync.
      if (next >= buffer.length) return { pending, lastSeq, goodBytes: offset, torn: { line, bytes: buffer.length - offset }, included }
      throw corrupt(line, 'is damaged (its checksum does not match, or it is not a journal entry)')
    }
    if (position === undefined) throw corrupt(line, 'belongs to no journal its layer file knows (the layer file records none)')
    if (entry.journal !== position.id) throw corrupt(line, `belongs to another journal (${entry.journal}, the layer file's is ${position.id})`)
    if (entry.seq <= position.seq) {
      // Already in the layer file (a crash came between writing the file and removing this).
      included++
    } else if (entry.seq !== lastSeq + 1) {
      throw corrupt(line, `is save ${entry.seq}, but save ${lastSeq + 1} was expected next (saves are missing)`)
    } else {
      pending.push({ ...entry, line })
      lastSeq = entry.seq
    }
    offset = next
  }
  return { pending, lastSeq, goodBytes: bytes.byteLength, torn: null, included }
}

/** What a reader tells the user about a torn last entry. */
export function describeTornEntry(path: string, torn: { line: number; bytes: number }): string {
  return (
    `The last save in ${path} (line ${torn.line}, ${torn.bytes} bytes) was cut off when Quire stopped while saving; ` +
    'it had not been confirmed and was dropped. Every earlier save is kept.'
  )
}

function decodeLine(bytes: Buffer): JournalEntry | null {
  if (bytes.length < 18 || bytes[16] !== 0x20) return null
  let json: string
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(17))
  } catch {
    return null
  }
  if (checksum(json) !== bytes.subarray(0, 16).toString('latin1')) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return null
  }
  const checked = entrySchema.safeParse(parsed)
  return checked.success ? (checked.data as JournalEntry) : null
}

function checksum(json: string): string {
  return createHash('sha256').update(json).digest('hex').slice(0, 16)
}
