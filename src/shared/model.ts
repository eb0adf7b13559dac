// The domain vocabulary shared by main, preload, renderer, server and CLI.
// Pure types and constants: no Electron, no DOM, no fs.
import type { QuireErrorInfo } from './api'
import type { AgreementReport } from '../core/review/agreement'
import type { PositionKind } from '../core/review/compare'
import type { CompactComparison } from '../core/review/compact-comparison'
import type { RejectedSuggestion } from './finding-model'
import type { AnnotationImportFormat, ExportFormat } from './annotation-formats'

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

/**
 * Version of project.json and document.json. Bump with a migration. 2: texts can be edited;
 * document.json's sha256, length and sizeBytes describe text.txt as imported (the original,
 * never rewritten) and the current text is the original with the revisions in
 * documents/<id>/revisions/ applied. A Quire that reads only version 1 would take text.txt for
 * the current text, so it must refuse a version-2 project rather than misplace every span.
 */
export const STORE_SCHEMA_VERSION = 2
/**
 * Version of annotation files. 2 added review data: the layer's last change, review comments
 * and their resolutions, curation provenance and decisions. A Quire that reads only version 1
 * reports a version-2 file as written by a newer Quire and leaves it untouched. 3 anchored the
 * layer to a text revision (textRevision), and added spans lost in editing and the
 * "text changed — check" flag. 4 added the suggestions the annotator rejected
 * (rejectedSuggestions); a Quire that reads only version 3 would drop them on its next write.
 */
export const ANNOTATION_LAYER_SCHEMA_VERSION = 4

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
  /** For a tag made from a brat type by an import: that type, written back on brat export ("Gene_expression"). */
  bratType?: string
}

// Okabe–Ito hues, distinguishable under the common colour-vision deficiencies: the first four colours of the tag palette (src/core/colour-contrast.ts TAG_PALETTE), clear on
// both colour schemes. Projects made before issue 11 keep their own (#E69F00, #56B4E9, #CC79A7):
// the window draws those darker on light pages (tagInk), and the tag editor offers the palette.
export const DEFAULT_TAGS: readonly TagDefinition[] = [
  { id: 'PERSON', label: 'Person', shortLabel: 'PER', key: '1', color: '#C77C00' },
  { id: 'ORG', label: 'Organization', shortLabel: 'ORG', key: '2', color: '#2E8BC0' },
  { id: 'EVENT', label: 'Event', shortLabel: 'EVT', key: '3', color: '#009E73' },
  { id: 'PROGRAM', label: 'Program', shortLabel: 'PRG', key: '4', color: '#C4709F' }
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
/** How a status reads (lower-cased inside a sentence): one wording for the toolbar, the list, the layers, the dashboard and backups. */
export const DOCUMENT_STATUS_LABELS: Readonly<Record<DocumentStatus, string>> = { 'not-started': 'Not started', 'in-progress': 'In progress', done: 'Done' }

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

/**
 * How a span came to be: made by hand, imported, suggested, copied from a colleague's layer,
 * or settled during curation (the gold layer).
 */
export type AnnotationSource = 'manual' | 'import' | 'suggestion' | 'copy' | 'curation'
export const ANNOTATION_SOURCES: readonly AnnotationSource[] = ['manual', 'import', 'suggestion', 'copy', 'curation']

export interface Provenance {
  source: AnnotationSource
  /** e.g. the imported file and line, or the suggestion rule. */
  detail?: string
  /** 'curation': the annotators whose layers had this span; 'copy': the annotator it was copied from. */
  annotators?: string[]
  /** 'curation': who settled it into the gold layer. */
  curator?: string
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
  /**
   * Set when an edit of the source text changed the text this span covers ("text changed —
   * check"); cleared when someone confirms the span (the 'confirm-text' edit).
   */
  textCheck?: TextCheck
}

export interface TextCheck {
  /** What the span covered before the edit that changed it. */
  previousText: string
  /** The revision that changed it. */
  revision: string
}

/** The id of a document's text as imported (text.txt), the root of its revisions. */
export const ORIGINAL_REVISION = 'original'

/** CodeMirror's ChangeSet.toJSON(): lengths kept and [deleted length, ...inserted lines] replaced. */
export type ChangeSetJson = (number | [number, ...string[]])[]

export type CleanupStepId = 'undouble' | 'unwrap' | 'dehyphenate' | 'blank-lines' | 'spaces'
export const CLEANUP_STEPS: readonly CleanupStepId[] = ['undouble', 'unwrap', 'dehyphenate', 'blank-lines', 'spaces']

/** What made a revision. */
export type RevisionOrigin =
  | { kind: 'edit' }
  | { kind: 'clean'; steps: CleanupStepId[] }
  | { kind: 'undo'; undoes: string }

/**
 * documents/<id>/revisions/<id>.json: one saved edit of a document's text. Append-only, one
 * file per revision, so colleagues syncing a folder never write the same file.
 */
export interface TextRevision {
  format: 'quire-revision'
  schemaVersion: number
  id: string
  /** The revision this one changes (ORIGINAL_REVISION for the imported text). */
  parent: string
  /** 1 for the first edit of the original; parent's seq + 1 after. */
  seq: number
  author: string
  createdAt: string
  /** SHA-256 of the UTF-8 text before and after. */
  shaBefore: string
  shaAfter: string
  /** Lengths in UTF-16 code units before and after. */
  lengthBefore: number
  lengthAfter: number
  /** UTF-8 bytes of the text after (the document list shows sizes without reading texts). */
  sizeBytesAfter?: number
  changes: ChangeSetJson
  origin: RevisionOrigin
  /** One line for the history list, e.g. "3 lines undoubled, 12 lines unwrapped". */
  summary: string
}

/** A span whose whole text an edit deleted: out of its layer, kept here so undo brings it back. */
export interface LostSpan {
  annotation: Annotation
  /** The revision that deleted its text. */
  revision: string
}

/**
 * The layer a call reads or writes: one annotator's annotations on one document. Every API
 * call that touches a layer names it, so nothing depends on who the user is called *now*
 * (renaming yourself mid-session must not redirect edits already made).
 */
export interface LayerRef {
  documentId: string
  annotator: string
}

/** The annotator name of a document's gold layer, written during curation. No person may take it. */
export const CURATION_ANNOTATOR = 'curation'

export function isCurationLayer(annotator: string): boolean {
  return annotator === CURATION_ANNOTATOR
}

/** A reviewer's comment on a colleague's span, kept in the reviewer's own layer file. */
export interface ReviewComment {
  id: string
  /** Whose span it is about, and where it was when the comment was made. */
  target: { annotator: string; annotationId: string; start: Utf16Offset; end: Utf16Offset; tag: string; text: string }
  text: string
  createdAt: string
  updatedAt: string
}

/** What the window sends to save a comment: main sets its times. */
export type ReviewCommentInput = Omit<ReviewComment, 'createdAt' | 'updatedAt'>

/** A colleague's comment on one of your spans, and whether you marked it resolved. */
export interface CommentOnLayer {
  reviewer: string
  comment: ReviewComment
  resolvedAt: string | null
}

/** The comments that concern one layer: those its annotator wrote, and those others wrote on its spans. */
export interface LayerComments {
  written: ReviewComment[]
  onLayer: CommentOnLayer[]
}

/** A comment on one of this layer's spans that its annotator marked resolved (kept in the annotator's own file). */
export interface CommentResolution {
  commentId: string
  /** Who wrote the comment (the layer it is kept in). */
  reviewer: string
  resolvedAt: string
}

/** A curation decision that leaves no span behind: a disagreement the curator rejected. */
export interface CurationDecision {
  /** The compared position's key (src/core/review/compare.ts). */
  positionKey: string
  decision: 'rejected'
  curator: string
  decidedAt: string
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
  /** When anything in the layer last changed (absent in files written before version 2). */
  updatedAt?: string
  /** Comments this annotator wrote on colleagues' spans. */
  comments: ReviewComment[]
  /** Colleagues' comments on this layer's spans that this annotator marked resolved. */
  resolvedComments: CommentResolution[]
  /** Gold layer only: who curated it, in the order they started. */
  curators?: string[]
  /** Gold layer only: disagreements the curator rejected (settled with no span). */
  curationDecisions?: CurationDecision[]
  /**
   * The text revision the offsets refer to (ORIGINAL_REVISION before any edit). A layer
   * anchored to an older revision is mapped forward when read and written forward only by
   * its owner.
   */
  textRevision: string
  /** Spans whose whole text an edit deleted, newest last. */
  lostInEditing: LostSpan[]
  /** Suggestions this annotator rejected: not suggested in this layer again (they follow text edits like spans). */
  rejectedSuggestions: RejectedSuggestion[]
  /**
   * The layer's journal (".<file>.journal" beside the file: saves appended since the file was
   * last written) and the last of its entries this file includes. Absent before the first
   * journaled save. Entries of another journal id, or after a gap, do not belong to the file.
   */
  journal?: JournalPosition
}

export interface JournalPosition {
  /** Chosen when the layer's journal is started; kept by every later write of the file. */
  id: string
  /** Sequence number of the last journal entry folded into the file (0: none yet). */
  seq: number
}

export interface RecentProject {
  path: string
  name: string
  openedAt: string
}

/** The window's colours: follow the system's light or dark setting, or keep one. */
export type ColourSchemeChoice = 'system' | 'light' | 'dark'

export const COLOUR_SCHEME_CHOICES: readonly ColourSchemeChoice[] = ['system', 'light', 'dark']

export interface UserSettings {
  annotatorName: string | null
  recentProjects: RecentProject[]
  /** 'system' for settings files written before the choice existed. */
  colourScheme: ColourSchemeChoice
}

export interface ProjectSummary {
  path: string
  manifest: ProjectManifest
  readOnly: boolean
  /** Why the project is read-only (e.g. another Quire window holds it). */
  readOnlyReason?: string
}

/** One layer of a document as the layer list and the document list show it. */
export interface LayerSummary {
  annotator: string
  /** The annotation file (what a backup restore takes). */
  path: string
  status: DocumentStatus
  spans: number
  countsByTag: Record<string, number>
  /** When the layer last changed (its newest span change for files written before it was recorded); null when empty. */
  updatedAt: string | null
  /** Gold layer only: who curated it. */
  curators?: string[]
  /** Comments this annotator wrote on colleagues' spans. */
  comments: number
  /**
   * Set when the file cannot be read (damaged, half-synced, from a newer Quire): the layer is
   * listed so nothing silently disappears, and left untouched.
   */
  problem?: QuireErrorInfo
  /**
   * Set when the layer was read but part of its journal was dropped: the last entry was cut off
   * mid-write (Quire was stopped while saving, so that save was never confirmed). Everything
   * before it is kept.
   */
  warning?: string
}

/** A layer as saved, for reading (a colleague's layer, or one being compared). */
export interface LayerContent {
  annotator: string
  status: DocumentStatus
  updatedAt: string | null
  annotations: Annotation[]
  comments: ReviewComment[]
  resolvedComments: CommentResolution[]
  curators: string[]
  curationDecisions: CurationDecision[]
}

/** A document's state for its annotators and its curation, as the document list filters by it. */
export type DocumentReviewState = 'not-started' | 'in-progress' | 'annotated' | 'curation-in-progress' | 'curated'

/** Part of the document list (listDocumentPage). */
export interface DocumentListPage {
  documents: DocumentSummary[]
  /** How many documents the whole list has. */
  total: number
  /** Changes whenever documents are added, removed or renamed: pages of one version make one list. */
  version: number
}

/**
 * Documents per page when the window takes the list (about 200 KB packed). Small, because main
 * answers one call at a time between its tasks: a switch of documents clicked while the list is
 * still arriving waits behind the page being made (~100 ms for 10,000 documents, ~20 ms for
 * 2,000 on a quiet machine), and the window unpacks each page in one task.
 */
export const DOCUMENT_LIST_PAGE = 2_000

export interface DocumentSummary {
  id: string
  name: string
  sizeBytes: number
  length: number
  /** The status of the annotator the list was asked for ('not-started' when none). */
  status: DocumentStatus
  /** Counts of that annotator's annotations by tag id. */
  countsByTag: Record<string, number>
  total: number
  /** Every person's layer on the document (the gold layer is `curation`). */
  layers: { annotator: string; status: DocumentStatus; spans: number; problem?: boolean }[]
  /** The gold layer's status: in progress while curating, done when curated; null before curation. */
  curation: DocumentStatus | null
  /** Where the document stands for the whole team (see documentReviewState). */
  reviewState: DocumentReviewState
  /** The newest change of any of its layers (ISO time); null while no layer has a change. */
  lastChangedAt: string | null
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
  /** The layer this content holds (the one named in the call). */
  annotator: string
  annotations: Annotation[]
  /** Every layer of the document, this one included once it exists. */
  layers: LayerSummary[]
  /** Gold layer only: disagreements the curators rejected. */
  curationDecisions: CurationDecision[]
  /** Review comments written by this layer's annotator, and colleagues' comments on its spans. */
  comments: LayerComments
  /** The revision `text` is (and every offset here refers to). */
  revision: TextRevisionHead
  /** This layer's spans lost in editing (their text was deleted). */
  lostInEditing: LostSpan[]
  /**
   * Set when the text cannot be edited now: a damaged or missing revision file (the text shown
   * is the last revision that checks out), or two revisions with the same parent waiting to
   * be settled. Annotating stays possible only when textProblem is null.
   */
  textProblem: TextProblem | null
}

/** Where a document's text stands. */
export interface TextRevisionHead {
  id: string
  seq: number
  sha256: string
  length: number
}

export type TextProblem =
  | { kind: 'damaged'; message: string; path: string }
  | { kind: 'fork'; message: string; parent: string; candidates: TextRevisionSummary[] }

/** A revision as the history list shows it (no change set). */
export type TextRevisionSummary = Omit<TextRevision, 'format' | 'schemaVersion' | 'changes'> & {
  /** True when it was set aside while settling two revisions with the same parent. */
  setAside: boolean
}

export interface TextHistory {
  documentId: string
  head: TextRevisionHead
  /** Oldest first, set-aside revisions included. */
  revisions: TextRevisionSummary[]
  problem: TextProblem | null
}

/** A text edit from the window: a change set against `baseRevision`, which must be the head. */
export interface TextEditRequest {
  documentId: string
  /** Whose edit it is (a name held this session): the revision's author, and the layer written forward. */
  author: string
  baseRevision: string
  changes: ChangeSetJson
  /**
   * Whether the answer carries the whole document (text and every span) as the author's layer
   * now reads it. Edit mode's saves while typing leave it off: the editor already shows the
   * text and its spans, and an answer of 5 MB of text and 88,000 spans cost more than the save.
   * Default true.
   */
  withContent?: boolean
}

export interface CleanupRequest {
  documentId: string
  author: string
  baseRevision: string
  steps: CleanupStepId[]
}

/** One change a cleanup step would make, shown in its preview. */
export interface CleanupExample {
  from: number
  to: number
  before: string
  after: string
  /** Why (dehyphenate: which rule decided). */
  rule: string
}

export interface CleanupStepPreview {
  step: CleanupStepId
  /** How many places it changes. */
  count: number
  /** One line, e.g. "14 doubled lines halved, 2 repeated lines removed". */
  summary: string
  /** The first changes, for the preview list. */
  examples: CleanupExample[]
}

export interface CleanupPreview {
  documentId: string
  baseRevision: string
  /** Steps in the order they apply, each previewed on the text the previous ones leave. */
  steps: CleanupStepPreview[]
  /** Length of the text after all steps. */
  lengthAfter: number
}

export interface TextEditResult {
  /** The new revision (null when the edit changed nothing). */
  revision: TextRevisionSummary | null
  /** The document as the author's layer now reads it. */
  content: DocumentContent
  /** Where the text now stands (the new revision, or the head when nothing changed). */
  head: TextRevisionHead
  /** The author's spans lost in editing, as their layer now has them. */
  lostInEditing: LostSpan[]
  /** How many layers (every annotator's) the edit moved spans in. */
  layersMapped: number
}

/** What saveTextEdit answers: as TextEditResult, without the document when withContent was off. */
export type TextSaveResult = Omit<TextEditResult, 'content'> & { content: DocumentContent | null }

/** Files changed on disk by someone else (a synced folder), reported to the window. */
export interface ProjectChanges {
  /** Pass to the next call. */
  seq: number
  /** Documents whose layers (or description) changed. */
  documentIds: string[]
  /** A document was added or removed, or project.json changed: list documents again. */
  listChanged: boolean
  /** project.json changed (a colleague's synced tag set): read the project summary again and redraw with its tags. */
  projectFileChanged: boolean
  /** entities.json changed (a colleague's merge arriving through sync): list entities again. */
  entitiesChanged: boolean
  /**
   * Present while the project's document index is being made before the list can be answered
   * (a missing, damaged or newer index rebuilt; many documents added behind Quire's back; the
   * check after a crash): how far it is. Once it is absent again, list the documents.
   */
  indexProgress?: DocumentIndexProgress
}

/** How far the making of a project's document index is (see ProjectChanges.indexProgress). */
export interface DocumentIndexProgress {
  /** Building entries from the documents' files, or checking the entries against the disk. */
  stage: 'rebuild' | 'check'
  /** Documents done, of `total`. */
  done: number
  total: number
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
  /** Set when the import was cancelled: the files after the last whole batch were not imported. */
  cancelled?: { notImported: number }
}

/** Files one import call takes; the browser edition sends more in several calls. */
export const MAX_FILES_PER_IMPORT_CALL = 1_000

/** How far an import the window follows is (see QuireApiCalls.getImportProgress). */
export interface ImportProgress {
  /** Documents written so far (texts: files looked at). */
  done: number
  total: number
}

/** Changes the renderer asks main to make; main fills in text, annotator and times. */
export type AnnotationEdit =
  | { op: 'add'; annotation: { id: string; start: Utf16Offset; end: Utf16Offset; tag: string; note?: string; provenance?: Provenance } }
  | { op: 'update'; id: string; changes: { tag?: string; note?: string | null } }
  | { op: 'delete'; id: string }
  /** Undo of a delete: puts the exact record back. */
  | { op: 'restore'; annotation: Annotation }
  /** Gold layer: a disagreement settled with no span (rejected). */
  | { op: 'decide'; decision: CurationDecision }
  /** Undo of a decision. */
  | { op: 'undecide'; positionKey: string }
  /** Someone checked a span flagged "text changed — check": the flag goes. */
  | { op: 'confirm-text'; id: string }
  /**
   * A suggestion rejected: main fills in its text and time. `text` is given only by a layer's
   * journal, which replays without the document's text.
   */
  | { op: 'reject-suggestion'; suggestion: { tag: string; start: Utf16Offset; end: Utf16Offset; text?: string } }
  /** Undo of a rejection: the suggestion may be suggested again. */
  | { op: 'unreject-suggestion'; tag: string; start: Utf16Offset; end: Utf16Offset }

export interface AnnotationEditResult {
  /** Every annotation added, restored or updated, as now saved. */
  saved: Annotation[]
  deletedIds: string[]
  /**
   * The document's summary after the save, as the layer's annotator sees it in the list (main
   * sends it with every save: the list's row follows without a second call to main per tag).
   */
  summary?: DocumentSummary
}

/** How a gold layer is started: which annotators are compared, how it is pre-filled, who curates. */
export interface CurationRequest {
  annotators: string[]
  strategy: 'unanimous' | 'majority' | 'none'
  curator: string
}

export interface CurationStart {
  /** The gold layer, pre-filled (or as it was, when curation had already begun). */
  content: DocumentContent
  /** Spans the pre-fill added; 0 when the gold layer existed already. */
  prefilled: number
  /** True when this call created the gold layer. */
  created: boolean
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

/**
 * What the window needs to show its first screen, in one call: opening the app waited on three
 * round trips before (app info, settings and project; then the list; then the document).
 */
/** At most this many documents of the list come with the window's start: more than any screen shows. */
export const STARTUP_DOCUMENTS = 100

/**
 * The start of a long document's layer: its text cut after its first blocks (src/core/text-blocks.ts
 * firstBlocksEnd) and the layer's spans that end within it. Shown, never edited: the window takes
 * the whole content (getDocument) for that.
 */
export interface FirstScreen {
  /** As getDocument answers, but for `text` (the first blocks) and `annotations` (those within them). */
  content: DocumentContent
  /** The whole text's length in UTF-16 code units. */
  textLength: number
}

export interface StartupState {
  appInfo: AppInfo
  settings: UserSettings
  project: ProjectSummary | null
  /**
   * The first documents of the project's list (at most STARTUP_DOCUMENTS) as
   * listDocuments(settings.annotatorName) lists them; empty without a project. Only the first
   * screen: a list of 100,000 would hold the first document back by seconds (9.5 MB to pack,
   * send and unpack). The window asks for the rest after its first paint.
   */
  documents: DocumentSummary[]
  /** How many documents the project has; more than `documents` holds when the list was cut. */
  documentCount: number
  /**
   * The first document of that list with the user's layer, as getDocument answers; null without a
   * name or a document, or when it failed to open (the window then asks getDocument, which reports why).
   */
  firstDocument: DocumentContent | null
  /**
   * When the first document was left out of the start for its length (the browser edition sends
   * it on its own, src/main/startup-ahead.ts): its first screen, drawn while the whole of it comes.
   */
  firstScreen?: FirstScreen
  /**
   * The project's change count (getProjectChanges' seq) taken before the list and the first
   * document were read: the window asks for changes since then, so a colleague's file landing
   * while they were read or sent is not missed. 0 without a project.
   */
  changesSeq: number
  /**
   * Present when the document index was still being made after a moment (a rebuild of a large
   * project): `documents` is then empty and `firstDocument` null, and the window follows the
   * progress through getProjectChanges, listing the documents once it is done.
   */
  indexProgress?: DocumentIndexProgress
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
  | 'show-layers'
  | 'show-review'
  | 'agreement'
  | 'sync'
  | 'edit-tags'
  | 'show-dashboard'
  | 'go-to-document'
  | 'colour-scheme-system'
  | 'colour-scheme-light'
  | 'colour-scheme-dark'

// ---- Corpus export and annotation import (issue 3) ----

export { EXPORT_FORMATS, FOLDER_EXPORT_FORMATS, type ExportFormat } from './annotation-formats'

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

export {
  ANNOTATION_IMPORT_EXTENSIONS,
  ANNOTATION_IMPORT_FORMATS,
  annotationImportFormatOf,
  annotationImportFormatOfFile,
  type AnnotationImportFormat
} from './annotation-formats'

export interface AnnotationImportOptions {
  /** Absent: told from the files (src/shared/annotation-formats.ts). */
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
  /** The label as the file spells it. */
  tag: string
  /** The id the tag gets when the import adds it ("Gene_expression" → GENE_EXPRESSION). */
  newTagId: string
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
  /** Set when the import was cancelled: the documents after the last whole batch were not written. */
  cancelled?: { notImported: number }
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

// ---- Review: agreement figures and disagreement lists (issue 8) ----

export type { AgreementReport } from '../core/review/agreement'

/** Compare mode's comparison of one document's layers, in columns (src/core/review/compact-comparison.ts). */
export interface DocumentComparison extends CompactComparison {
  /** Chosen annotators with no layer on the document: they count as having no spans. */
  missing: string[]
  /** The gold layer is among the compared. */
  hasGold: boolean
}

export interface AgreementScope {
  /** 'all': every document of the project. */
  documentIds: string[] | 'all'
  /** 'all': every person with a layer in the chosen documents (the gold layer only when named). */
  annotators: string[] | 'all'
}

export interface AgreementOutcome {
  report: AgreementReport
  /** Files that could not be read: their layers count as missing. */
  problems: { path: string; message: string }[]
}

/** Which disagreements a cell of the agreement screen stands for. */
export interface DisagreementQuery extends AgreementScope {
  /** Compare only these two (a pair's cell); absent: all the chosen annotators. */
  pair?: [string, string]
  tag?: string
  kinds?: PositionKind[]
  /** Confusion cell: the pair's first annotator's label and the second's ('O' = no span there). */
  labels?: [string, string]
  /** At most this many items are returned (the total is counted anyway). */
  limit?: number
}

export interface DisagreementItem {
  documentId: string
  documentName: string
  positionId: string
  kind: PositionKind
  start: number
  end: number
  /** The text of the position, shortened, with a little context on each side. */
  before: string
  text: string
  after: string
  spans: { annotator: string; start: number; end: number; tag: string; text: string }[]
}

export interface DisagreementList {
  annotators: string[]
  items: DisagreementItem[]
  total: number
  problems: { path: string; message: string }[]
}


// ---- Team sync for projects that are git repositories (src/main/services/git-sync-service.ts) ----

export interface GitSyncStatus {
  /** git can be run on this computer. */
  available: boolean
  /** The project folder is inside a git work tree. */
  repository: boolean
  /** The checked-out branch; null when HEAD is detached (or there is no repository). */
  branch: string | null
  /** The branch it pulls from and pushes to, e.g. "origin/main"; null when none is set. */
  upstream: string | null
  /** Commits here and not upstream, as of the last fetch (no network is used). */
  ahead: number
  /** Commits upstream and not here, as of the last fetch. */
  behind: number
  /** Files a sync would commit for this annotator. */
  changedOwnFiles: number
  /** Changes that stop a sync (a colleague's file changed here, other tracked changes), relative to the repository's top folder. */
  otherChanges: string[]
  /** 'rebase', 'merge', 'cherry-pick', 'revert' or 'am' when git is in the middle of one. */
  operationInProgress: string | null
}

export interface GitSyncResult {
  /** Files committed, relative to the project folder. */
  committed: string[]
  /** Short hash of the commit made (after the pull replayed it), or null when nothing changed. */
  commit: string | null
  /** Commits received from the upstream branch. */
  pulled: number
  /** Whether commits were sent upstream. */
  pushed: boolean
  /** Project files the pull changed, relative to the project folder; reload them. */
  changedByOthers: string[]
  /** One plain sentence for the user. */
  message: string
}

