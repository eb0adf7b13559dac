// The domain vocabulary shared by main, preload, renderer, server and CLI.
// Pure types and constants: no Electron, no DOM, no fs.
import type { QuireErrorInfo } from './api'

/**
 * Offsets inside the app are UTF-16 code units (what JS strings index by). The brand keeps
 * them from being mixed up with code-point or byte offsets, which only exist at export/import
 * boundaries (see src/core/offsets.ts).
 */
export type Utf16Offset = number & { readonly __unit: 'utf16' }
export type CodePointOffset = number & { readonly __unit: 'codepoint' }
export type Utf8Offset = number & { readonly __unit: 'utf8' }

export const asUtf16 = (n: number): Utf16Offset => n as Utf16Offset
export const asCodePoint = (n: number): CodePointOffset => n as CodePointOffset
export const asUtf8 = (n: number): Utf8Offset => n as Utf8Offset

/** Version of every JSON file Quire writes into a project folder. Bump with a migration. */
export const STORE_SCHEMA_VERSION = 1

export interface TagDefinition {
  /** Stable identifier written into annotations and exports, e.g. "PERSON". */
  id: string
  /** Human name shown on buttons, e.g. "Person". */
  label: string
  /** Short visible label drawn on highlights so colour is never the only cue, e.g. "PER". */
  shortLabel: string
  /** Keyboard key that applies the tag, e.g. "1". */
  key: string
  /** Highlight colour (CSS hex), from a colour-blind-safe palette. */
  color: string
}

/** Okabe–Ito colours: distinguishable under the common colour-vision deficiencies. */
export const DEFAULT_TAGS: readonly TagDefinition[] = [
  { id: 'PERSON', label: 'Person', shortLabel: 'PER', key: '1', color: '#E69F00' },
  { id: 'ORG', label: 'Organization', shortLabel: 'ORG', key: '2', color: '#56B4E9' },
  { id: 'EVENT', label: 'Event', shortLabel: 'EVT', key: '3', color: '#009E73' },
  { id: 'PROGRAM', label: 'Program', shortLabel: 'PRG', key: '4', color: '#CC79A7' }
]

/** project.json: the only file every collaborator shares. */
export interface ProjectManifest {
  format: 'quire-project'
  schemaVersion: number
  name: string
  createdAt: string
  tags: TagDefinition[]
}

export type DocumentStatus = 'not-started' | 'in-progress' | 'done'
export const DOCUMENT_STATUSES: readonly DocumentStatus[] = ['not-started', 'in-progress', 'done']

export type SourceEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le-bom' | 'utf-16be-bom'
export type LineEnding = 'lf' | 'crlf' | 'cr' | 'mixed' | 'none'

/** documents/<id>/document.json: written once at import, describes text.txt beside it. */
export interface DocumentRecord {
  format: 'quire-document'
  schemaVersion: number
  id: string
  /** Display name, the imported file name without its extension. */
  name: string
  /** The file name as imported. */
  originalFileName: string
  encoding: SourceEncoding
  lineEnding: LineEnding
  /** Size of text.txt (UTF-8) in bytes. */
  sizeBytes: number
  /** Length in UTF-16 code units, the unit of every in-app offset. */
  length: number
  /** SHA-256 (hex) of the UTF-8 text, so annotation layers and exports can prove which text they refer to. */
  sha256: string
  importedAt: string
  importedBy: string
}

export type AnnotationSource = 'manual' | 'import' | 'suggestion'

export interface Provenance {
  source: AnnotationSource
  /** e.g. the imported file and line, or the suggestion rule. */
  detail?: string
}

export interface Annotation {
  id: string
  start: Utf16Offset
  end: Utf16Offset
  tag: string
  /** The covered text, kept so a moved or edited source can be re-anchored and checked. */
  text: string
  annotator: string
  createdAt: string
  updatedAt: string
  note?: string
  provenance: Provenance
}

/**
 * documents/<id>/annotations/<annotator-file>.json: one annotator's layer on one document.
 * One file per document per annotator so a save rewrites one small file and colleagues who
 * sync the folder never write the same file.
 */
export interface AnnotationLayer {
  format: 'quire-annotations'
  schemaVersion: number
  documentId: string
  annotator: string
  status: DocumentStatus
  /** SHA-256 of the text the offsets refer to. */
  textSha256: string
  annotations: Annotation[]
}

export interface RecentProject {
  path: string
  name: string
  openedAt: string
}

export interface UserSettings {
  annotatorName: string | null
  recentProjects: RecentProject[]
}

export interface ProjectSummary {
  path: string
  manifest: ProjectManifest
  readOnly: boolean
  /** Why the project is read-only (e.g. another Quire window holds it). */
  readOnlyReason?: string
}

export interface DocumentSummary {
  id: string
  name: string
  sizeBytes: number
  length: number
  status: DocumentStatus
  /** Counts of the current annotator's annotations by tag id. */
  countsByTag: Record<string, number>
  total: number
  /**
   * Set when a file of this document (document.json or the annotator's annotation file)
   * cannot be read. The document is still listed so nothing silently disappears; opening it
   * reports the same error. Name, counts and sizes are then best-effort.
   */
  problem?: QuireErrorInfo
}

export interface DocumentContent {
  document: DocumentRecord
  text: string
  status: DocumentStatus
  annotator: string
  annotations: Annotation[]
}

export interface ImportFile {
  name: string
  bytes: Uint8Array
}

export interface ImportedDocument {
  fileName: string
  documentId: string
  name: string
}

export interface RefusedImport {
  fileName: string
  reason: string
}

export interface DuplicateImport {
  fileName: string
  /** The document (already in the project, or earlier in the same batch) with the same SHA-256. */
  existingDocumentId: string
  existingName: string
}

export interface ImportReport {
  imported: ImportedDocument[]
  refused: RefusedImport[]
  duplicates: DuplicateImport[]
}

/** Changes the renderer asks main to make; main fills in text, annotator and times. */
export type AnnotationEdit =
  | { op: 'add'; annotation: { id: string; start: Utf16Offset; end: Utf16Offset; tag: string; note?: string } }
  | { op: 'update'; id: string; changes: { tag?: string; note?: string | null } }
  | { op: 'delete'; id: string }
  /** Undo of a delete: puts the exact record back. */
  | { op: 'restore'; annotation: Annotation }

export interface AnnotationEditResult {
  /** Every annotation added, restored or updated, as now saved. */
  saved: Annotation[]
  deletedIds: string[]
}

export type AppEdition = 'desktop' | 'browser'

export interface AppInfo {
  edition: AppEdition
  version: string
  osUserName: string
  platform: string
  /** Size limit for imported texts, stated to the user. */
  maxImportBytes: number
}

export type MenuCommand =
  | 'new-project'
  | 'open-project'
  | 'import-texts'
  | 'import-annotations'
  | 'export'
  | 'undo'
  | 'redo'
  | 'open-sample-project'
  | 'close-project'

// ---- Corpus export and annotation import (issue 3) ----

/** Corpus formats Quire writes (src/core/formats). brat and TEI write a folder, the rest one file. */
export type ExportFormat = 'jsonl' | 'brat' | 'conll' | 'tei' | 'csv'
export const EXPORT_FORMATS: readonly ExportFormat[] = ['jsonl', 'brat', 'conll', 'tei', 'csv']
/** Formats whose destination is a folder (one file or file pair per document). */
export const FOLDER_EXPORT_FORMATS: readonly ExportFormat[] = ['brat', 'tei']

export type ConllSchemeName = 'IOB1' | 'IOB2' | 'BIOES'
export const CONLL_SCHEME_NAMES: readonly ConllSchemeName[] = ['IOB1', 'IOB2', 'BIOES']

/** Offset units an export can state: code points (the default), UTF-16 code units, UTF-8 bytes. */
export type ExportOffsetUnit = 'codepoint' | 'utf16' | 'utf8'
export const EXPORT_OFFSET_UNITS: readonly ExportOffsetUnit[] = ['codepoint', 'utf16', 'utf8']

export interface ExportRequest {
  format: ExportFormat
  /** A folder for brat and TEI, a file for CoNLL, JSONL and CSV. */
  outPath: string
  documentIds: string[] | 'all'
  annotators: string[] | 'all'
  /** CoNLL only; IOB2 when absent. */
  scheme?: ConllSchemeName
  /** JSONL only; code points when absent. */
  offsets?: ExportOffsetUnit
}

export interface ExportProgress {
  documentsDone: number
  documentsTotal: number
  spansWritten: number
}

export interface ExportWarningItem {
  documentId: string
  documentName: string
  message: string
}

export interface ExportResult {
  outPath: string
  files: string[]
  documents: number
  spans: number
  dropped: number
  adjusted: number
  warnings: ExportWarningItem[]
  cancelled: boolean
}

/** An export running in main, polled by the renderer (works the same over IPC and HTTP). */
export interface ExportJobStatus {
  jobId: string
  state: 'running' | 'finished' | 'failed'
  progress: ExportProgress
  /** Set when state is 'finished' (also after a cancel: result.cancelled). */
  result?: ExportResult
  /** Set when state is 'failed'. */
  error?: QuireErrorInfo
}

export interface AnnotatorSummary {
  name: string
  /** Documents with at least one of this annotator's spans. */
  documents: number
  spans: number
}

/** What the export dialog offers: the annotators present and a destination per format. */
export interface ExportChoices {
  annotators: AnnotatorSummary[]
  /** Beside the project folder, never inside it (exports are not project data). */
  suggestedOutPaths: Record<ExportFormat, string>
}

export type AnnotationImportFormat = 'brat' | 'conll' | 'jsonl'
export const ANNOTATION_IMPORT_FORMATS: readonly AnnotationImportFormat[] = ['brat', 'conll', 'jsonl']

const ANNOTATION_IMPORT_FORMAT_BY_EXTENSION: Readonly<Record<string, AnnotationImportFormat>> = {
  ann: 'brat',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  conll: 'conll',
  conll2003: 'conll',
  iob: 'conll',
  iob1: 'conll',
  iob2: 'conll',
  bio: 'conll',
  bioes: 'conll'
}

/** File extensions (without the dot) that name an annotation format. */
export const ANNOTATION_IMPORT_EXTENSIONS: readonly string[] = Object.keys(ANNOTATION_IMPORT_FORMAT_BY_EXTENSION)

/** The annotation format a file name says (main imports by it; the dialog shows it beforehand). */
export function annotationImportFormatOf(fileName: string): AnnotationImportFormat | null {
  const extension = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? ''
  return Object.hasOwn(ANNOTATION_IMPORT_FORMAT_BY_EXTENSION, extension) ? (ANNOTATION_IMPORT_FORMAT_BY_EXTENSION[extension] ?? null) : null
}

export interface AnnotationImportOptions {
  /** Absent: told from the file extensions (.ann brat, .conll/.iob/.bio CoNLL, .jsonl JSONL). */
  format?: AnnotationImportFormat
  /** Annotator recorded on spans that do not carry one; absent: the current annotator. */
  annotator?: string
  /** Add labels the project does not know as new tags instead of refusing the import. */
  addUnknownTags?: boolean
  /** CoNLL only; absent: detected from the file. */
  scheme?: ConllSchemeName
}

/** A problem located in an imported file. */
export interface ImportProblem {
  file: string
  /** 1-based; 0 when the problem concerns the whole file. */
  line: number
  message: string
  /** Set when the problem is only that the project lacks this tag (it can be added on request). */
  unknownTag?: string
}

export interface UnknownTag {
  tag: string
  /** Where it is first used. */
  file: string
  line: number
  /** Spans using it. */
  count: number
}

export interface ImportedAnnotationsDocument {
  documentId: string
  name: string
  /** The file its spans came from (the first one, when several did). */
  file: string
  /** True when the import created the document (its text came with the file), false when it matched one. */
  created: boolean
  spans: number
}

export interface AnnotationImportReport {
  /** True only when everything was written; on any error nothing was. */
  imported: boolean
  /** The format the files were read as; null when it could not be told. */
  format: AnnotationImportFormat | null
  /** Each with file and line. Unknown tags are errors too unless addUnknownTags was set. */
  errors: ImportProblem[]
  warnings: ImportProblem[]
  /** Labels the project does not define (added when addUnknownTags was set). */
  unknownTags: UnknownTag[]
  addedTags: string[]
  documents: ImportedAnnotationsDocument[]
  /** Spans added. */
  spans: number
  /** Spans already in their layer (same start, end, tag), not added twice. */
  spansAlreadyPresent: number
}

/** One backup of a project file (kept in the project's .quire/backups on this computer). */
export interface BackupSummary {
  /** The backup's name; what restoreBackup takes. */
  id: string
  /** When the backed-up version was saved (ISO 8601). */
  savedAt: string
  sizeBytes: number
  /** What it holds, e.g. "42 annotations, in progress". */
  description: string
}

export interface RestoredBackup {
  /** The project file that was put back. */
  path: string
  backupId: string
  savedAt: string
  /** Where the file it replaced was kept (never deleted); null when there was none. */
  keptAsidePath: string | null
}
