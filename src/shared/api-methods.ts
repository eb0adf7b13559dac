// The one list of API calls, in plain TypeScript (no zod) so the sandboxed preload can import
// it: the preload's bridge, the browser edition's HTTP client and main's IPC handlers are all
// generated from it. The compiler insists it names every call of QuireApiCalls, and no other.
import type { ApiMethod } from './api'

const METHOD_TABLE = {
  getAppInfo: true,
  getSettings: true,
  setAnnotatorName: true,
  getCurrentProject: true,
  chooseProjectFolder: true,
  createProject: true,
  openProject: true,
  openSampleProject: true,
  closeProject: true,
  listDocuments: true,
  getDocument: true,
  listLayers: true,
  getLayer: true,
  setDocumentStatus: true,
  getProjectChanges: true,
  importTexts: true,
  chooseAndImportTexts: true,
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
  importAnnotations: true,
  chooseAnnotationFiles: true,
  listBackups: true,
  restoreBackup: true,
} as const satisfies Record<ApiMethod, true>

export const API_METHODS = Object.keys(METHOD_TABLE) as ApiMethod[]
