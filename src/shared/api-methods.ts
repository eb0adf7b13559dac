// The one list of API calls, in plain TypeScript (no zod) so the sandboxed preload can import
// it: the preload's bridge, the browser edition's HTTP client and main's IPC handlers are all
// generated from it. The compiler insists it names every call of QuireApiCalls, and no other.
import type { ApiMethod } from './api'

const METHOD_TABLE = {
  getStartup: true,
  getAppInfo: true,
  getSettings: true,
  setAnnotatorName: true,
  setColourScheme: true,
  getCurrentProject: true,
  chooseProjectFolder: true,
  createProject: true,
  openProject: true,
  openSampleProject: true,
  closeProject: true,
  listDocuments: true,
  listDocumentPage: true,
  getDocumentSummaries: true,
  getDocument: true,
  listLayers: true,
  getLayer: true,
  setDocumentStatus: true,
  getProjectChanges: true,
  importTexts: true,
  chooseAndImportTexts: true,
  getImportProgress: true,
  cancelImport: true,
  applyAnnotationEdits: true,
  getExportChoices: true,
  chooseExportDestination: true,
  startExport: true,
  getExportProgress: true,
  cancelExport: true,
  showExportInFolder: true,
  compareDocument: true,
  startCuration: true,
  computeAgreement: true,
  listDisagreements: true,
  getComments: true,
  saveReviewComment: true,
  deleteReviewComment: true,
  setCommentResolved: true,
  getSyncStatus: true,
  syncProject: true,
  getTextHistory: true,
  saveTextEdit: true,
  previewCleanup: true,
  applyCleanup: true,
  undoTextRevision: true,
  settleTextFork: true,
  importAnnotations: true,
  chooseAnnotationFiles: true,
  listBackups: true,
  restoreBackup: true,
  searchProject: true,
  previewTagAll: true,
  applyTagAll: true,
  getSuggestions: true,
  updateTagSet: true,
  getTagUsage: true,
  listEntities: true,
  listEntityMentions: true,
  mergeEntities: true,
  updateEntity: true,
  splitEntityAlias: true,
  getDashboard: true,
} as const satisfies Record<ApiMethod, true>

export const API_METHODS = Object.keys(METHOD_TABLE) as ApiMethod[]

/** The call that opens one layer of a document: what a window asks for after a start that left its long first document out. */
export const DOCUMENT_OPENING_CALL = 'getDocument' satisfies ApiMethod

/**
 * Calls that change nothing main reads (src/main/startup-ahead.ts): a start may be begun while one is answered, and what was
 * begun stays for the calls after it. The git status: a window asks for it on its own once its
 * opening has settled (src/shared/when-settled.ts) and git takes 30–90 ms, so a reload often came
 * while it ran and its start was read only when asked (measured: 2 of 8 bench openings). The
 * change feed: a window asks for it as soon as it has its start, before the long first document
 * the start left out (which it asks for once that document's first screen is painted). A call
 * joins this list only if it writes nothing at all.
 */
export const CALLS_THAT_CHANGE_NOTHING: ReadonlySet<ApiMethod> = new Set<ApiMethod>(['getSyncStatus', 'getProjectChanges'])
