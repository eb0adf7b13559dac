// The one way Quire reads and writes its JSON files: versioned, migrated, validated on
// read, written durably, and never overwritten when it could not be read.
import { Low, type Adapter } from 'lowdb'
import type { z } from 'zod'
import { QuireError } from '../../shared/api'
import { readFileIfExists, writeFileDurably } from './durable-file'
import { findJsonSyntaxError } from './json-syntax-error'

type JsonObject = Record<string, unknown>

/** Describes one kind of stored file: its `format` tag, current version, schema and migrations. */
export interface StoredFileKind<T> {
  format: string
  /** How the user would call it, e.g. "project file". */
  description: string
  currentVersion: number
  /** Validates the current version; fills defaults and drops unknown keys. */
  schema: z.ZodType<T>
  /** migrations[n] turns a version-n object into a version n+1 object. */
  migrations: Readonly<Record<number, (data: JsonObject) => JsonObject>>
  /**
   * The schema's result for the usual file, checked by hand where zod is too slow for the
   * numbers (annotation files); undefined leaves the file to the schema, which alone says what
   * is wrong with it.
   */
  quickParse?: (data: JsonObject) => T | undefined
}

/**
 * A lowdb adapter over one JSON file. Reading a file that cannot be parsed or validated
 * throws a QuireError and from then on this adapter refuses every write, so a file the user
 * may still repair (or recover from sync history) is never replaced. A new adapter (reopening)
 * reads it afresh.
 */
export class DurableJsonFile<T extends { format: string; schemaVersion: number }> implements Adapter<T> {
  private refusal: QuireError | null = null
  private hasRead = false

  constructor(
    readonly path: string,
    readonly kind: StoredFileKind<T>,
    /** Runs after each successful write with the text written (the project's backups). */
    private readonly afterWrite: ((text: string) => Promise<void>) | null = null,
    /** Runs with the text about to be written, before it appears on disk (a file watcher must know it is ours). */
    private readonly beforeWrite: ((text: string) => void) | null = null
  ) {}

  async read(): Promise<T | null> {
    if (this.refusal) throw this.refusal
    const bytes = await readFileIfExists(this.path)
    try {
      const data = bytes === null ? null : parseStoredFile(bytes, this.path, this.kind)
      this.hasRead = true
      return data
    } catch (error) {
      this.refusal = error instanceof QuireError ? error : QuireError.from(error)
      throw this.refusal
    }
  }

  async write(data: T): Promise<void> {
    // A write before any read would replace a file nobody has checked; read it first so a
    // damaged file found this way is refused like any other.
    if (!this.hasRead && !this.refusal) await this.read()
    if (this.refusal) {
      throw new QuireError({
        code: this.refusal.code,
        path: this.path,
        ...(this.refusal.line !== undefined ? { line: this.refusal.line } : {}),
        message: `Not saved: ${this.refusal.message}`
      })
    }
    // Checking what we write guarantees we can read it back: by the quick parser where the kind
    // has one (a 30 MB layer's schema check alone takes most of a second), else by the schema.
    const quick = this.kind.quickParse?.(data as unknown as JsonObject)
    const checked = quick !== undefined ? { success: true as const, data: quick } : this.kind.schema.safeParse(data)
    if (!checked.success) {
      throw new QuireError({
        code: 'internal',
        path: this.path,
        message: `Refused to write an invalid ${this.kind.description} ${this.path}: ${describeIssue(checked.error)}`
      })
    }
    const text = `${JSON.stringify(checked.data, null, 2)}\n`
    this.beforeWrite?.(text)
    await writeFileDurably(this.path, text)
    await this.afterWrite?.(text)
  }
}

/** A lowdb database over one durable JSON file. Call `read()` before use. */
export function openJsonFile<T extends { format: string; schemaVersion: number }>(
  path: string,
  kind: StoredFileKind<T>,
  defaultData: T,
  afterWrite: ((text: string) => Promise<void>) | null = null,
  beforeWrite: ((text: string) => void) | null = null
): Low<T> {
  return new Low<T>(new DurableJsonFile(path, kind, afterWrite, beforeWrite), defaultData)
}

/** Parses, migrates and validates one stored file's bytes; throws QuireError saying what is wrong. */
export function parseStoredFile<T>(bytes: Uint8Array, path: string, kind: StoredFileKind<T>): T {
  const unreadable = (message: string, line?: number): QuireError =>
    new QuireError({
      code: 'corrupt-store',
      path,
      ...(line !== undefined ? { line } : {}),
      reason: message,
      message:
        `The ${kind.description} ${path} cannot be read: ${message}. ` +
        'Quire will not change this file; repair it or restore it from a backup or your sync history, then reopen.'
    })

  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw unreadable('it is not UTF-8 text')
  }
  if (text.trim() === '') throw unreadable('it is empty')

  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    const problem = findJsonSyntaxError(text)
    if (problem) throw unreadable(`line ${problem.line}, column ${problem.column}: ${problem.message}`, problem.line)
    throw unreadable(`it is not valid JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw unreadable('it does not hold a JSON object')
  }

  let data = parsed as JsonObject
  if (data.format !== kind.format) {
    throw unreadable(
      `its "format" is ${JSON.stringify(data.format) ?? 'missing'}, expected "${kind.format}" (is it a Quire ${kind.description}?)`
    )
  }
  const version = data.schemaVersion
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw unreadable(`its "schemaVersion" is ${JSON.stringify(version) ?? 'missing'}, expected a whole number from 1`)
  }
  if (version > kind.currentVersion) {
    throw new QuireError({
      code: 'unsupported-version',
      path,
      message:
        `The ${kind.description} ${path} was written by a newer version of Quire (schema version ${version}; ` +
        `this version reads up to ${kind.currentVersion}). Update Quire to open it; the file is left unchanged.`
    })
  }
  for (let from = version; from < kind.currentVersion; from++) {
    const migrate = kind.migrations[from]
    if (!migrate) throw unreadable(`no migration from schema version ${from}`)
    data = { ...migrate(data), schemaVersion: from + 1 }
  }

  const quick = kind.quickParse?.(data)
  if (quick !== undefined) return quick
  const validated = kind.schema.safeParse(data)
  if (!validated.success) throw unreadable(describeIssue(validated.error))
  return validated.data
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  if (!issue) return 'it does not match the expected structure'
  const field = issue.path.length > 0 ? `field "${issue.path.map(String).join('.')}"` : 'the top level'
  return `${field}: ${issue.message}`
}
