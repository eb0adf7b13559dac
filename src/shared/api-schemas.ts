// Argument schemas for every API call. Main parses each payload with these before any
// service sees it, whichever transport (IPC or HTTP) it came by.
import { z } from 'zod'
import type { ApiMethod } from './api'
import {
  ANNOTATION_IMPORT_FORMATS,
  ANNOTATION_SOURCES,
  CURATION_ANNOTATOR,
  COLOUR_SCHEME_CHOICES,
  CLEANUP_STEPS,
  type CleanupStepId,
  type AnnotationSource,
  CONLL_SCHEME_NAMES,
  MAX_FILES_PER_IMPORT_CALL,
  DOCUMENT_STATUSES,
  EXPORT_FORMATS,
  EXPORT_OFFSET_UNITS,
  type AnnotationImportFormat,
  type ConllSchemeName,
  type ExportFormat,
  type ExportOffsetUnit
} from './model'
import { MAX_QUERY_LENGTH } from '../core/search/find-matches'
import { SHA256_HEX_PATTERN } from './held-texts'

/** A text revision's id: ORIGINAL_REVISION or what newRevisionId makes (see src/core/text-edit). */
export function revisionIdSchema() {
  return z.string().regex(REVISION_ID_PATTERN, 'not a text revision id')
}

/** ORIGINAL_REVISION, or "r" + sequence number + "-" + 12 hex digits (one pattern, kept here). */
export const REVISION_ID_PATTERN = /^(?:original|r[0-9]{1,9}-[0-9a-f]{12})$/

const MAX_NAME = 200
const MAX_PATH = 4096
const MAX_NOTE = 10_000
const MAX_EDITS = 10_000
const MAX_FILES = MAX_FILES_PER_IMPORT_CALL
/** Summaries asked for at once (after a save: the documents it changed). */
const MAX_SUMMARIES_ASKED = 10_000

export const documentIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'document ids are lowercase letters, digits and dashes')
  // Same rule as DOCUMENT_ID_PATTERN in src/core/ids.ts: names Windows reserves for devices.
  .refine((id) => !/^(?:con|prn|aux|nul|com\d|lpt\d)$/.test(id), 'that document id is a name Windows reserves (CON, NUL, COM1…)')

/** What annotationIdSchema checks (also by hand, for annotation files: src/main/store/file-kinds.ts). */
export const ANNOTATION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export const annotationIdSchema = z.string().regex(ANNOTATION_ID_PATTERN, 'annotation ids are letters, digits, "_" and "-"')

const offsetSchema = z.number().int().nonnegative().max(2 ** 31)
/** A compared position's id (src/core/review/compare.ts), e.g. "tag-differs@30-40:EVENT+ORG". */
const positionKeySchema = z.string().min(1).max(400).refine((key) => !/[\u0000-\u001f]/.test(key), 'position keys have no control characters')
const tagIdSchema = z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, 'tag ids are upper-case letters, digits and "_"')
const timestampSchema = z.iso.datetime()
const noteSchema = z.string().max(MAX_NOTE)
export const annotatorNameSchema = z
  .string()
  .trim()
  .min(1, 'the annotator name is empty')
  .max(MAX_NAME)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'the annotator name has control characters')

/** A person's name as they give it: any layer name but the gold layer's, which no person may take. */
export const personNameSchema = annotatorNameSchema.refine(
  (name) => name.toLowerCase() !== CURATION_ANNOTATOR,
  `"${CURATION_ANNOTATOR}" is the name of the gold layer made during curation; choose your own name`
)

/** The layer a call reads or writes. */
export const layerRefSchema = z.strictObject({ documentId: documentIdSchema, annotator: annotatorNameSchema })

/** Absolute on POSIX or Windows (drive or UNC), or in the user's home (~). */
export function isFullPath(path: string): boolean {
  return /^(?:\/|~(?:$|[\\/])|[A-Za-z]:[\\/]|\\\\)/.test(path)
}

const pathSchema = z
  .string()
  .min(1)
  .max(MAX_PATH)
  .refine((s) => !s.includes('\u0000'), 'paths cannot contain NUL')
  // Main's working folder is no place the editor can see, so a relative path would land
  // somewhere unexpected: only full paths (or ~/…) cross the API.
  .refine(isFullPath, 'give the full path of the folder or file (e.g. /home/you/projects/interviews or ~/projects/interviews)')

const provenanceSchema = z.strictObject({
  source: z.enum(ANNOTATION_SOURCES as [AnnotationSource, ...AnnotationSource[]]),
  detail: z.string().max(MAX_NOTE).optional(),
  annotators: z.array(annotatorNameSchema).max(1000).optional(),
  curator: annotatorNameSchema.optional()
})

export const annotationSchema = z.strictObject({
  id: annotationIdSchema,
  start: offsetSchema,
  end: offsetSchema,
  tag: tagIdSchema,
  text: z.string(),
  annotator: annotatorNameSchema,
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  note: noteSchema.optional(),
  provenance: provenanceSchema,
  textCheck: z.strictObject({ previousText: z.string(), revision: revisionIdSchema() }).optional()
})

/** Longer texts are not suggested (see src/core/suggestions/lexicon.ts), so never rejected. */
const MAX_SUGGESTION_TEXT = 10_000

export const annotationEditSchema = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('add'),
    annotation: z.strictObject({
      id: annotationIdSchema,
      start: offsetSchema,
      end: offsetSchema,
      tag: tagIdSchema,
      note: noteSchema.optional(),
      provenance: provenanceSchema.optional()
    })
  }),
  z.strictObject({
    op: z.literal('update'),
    id: annotationIdSchema,
    changes: z.strictObject({ tag: tagIdSchema.optional(), note: noteSchema.nullable().optional() })
  }),
  z.strictObject({ op: z.literal('delete'), id: annotationIdSchema }),
  z.strictObject({ op: z.literal('restore'), annotation: annotationSchema }),
  z.strictObject({
    op: z.literal('decide'),
    decision: z.strictObject({
      positionKey: positionKeySchema,
      decision: z.literal('rejected'),
      curator: annotatorNameSchema,
      decidedAt: timestampSchema
    })
  }),
  z.strictObject({ op: z.literal('undecide'), positionKey: positionKeySchema }),
  z.strictObject({ op: z.literal('confirm-text'), id: annotationIdSchema }),
  z.strictObject({
    op: z.literal('reject-suggestion'),
    suggestion: z.strictObject({ tag: tagIdSchema, start: offsetSchema, end: offsetSchema, text: z.string().max(MAX_SUGGESTION_TEXT).optional() })
  }),
  z.strictObject({ op: z.literal('unreject-suggestion'), tag: tagIdSchema, start: offsetSchema, end: offsetSchema })
])

const changeSetJsonSchema = z
  .array(z.union([z.number().int().nonnegative(), z.tuple([z.number().int().nonnegative()]).rest(z.string())]))
  .max(2_000_000)

const cleanupStepSchema = z.enum(CLEANUP_STEPS as [CleanupStepId, ...CleanupStepId[]])
const cleanupStepsSchema = z.array(cleanupStepSchema).min(1, 'choose at least one cleanup step').max(CLEANUP_STEPS.length)

const textEditRequestSchema = z.strictObject({
  documentId: documentIdSchema,
  author: personNameSchema,
  baseRevision: revisionIdSchema(),
  changes: changeSetJsonSchema,
  withContent: z.boolean().optional()
})

export const cleanupRequestSchema = z.strictObject({
  documentId: documentIdSchema,
  author: personNameSchema,
  baseRevision: revisionIdSchema(),
  steps: cleanupStepsSchema
})

const agreementScopeShape = {
  documentIds: z.union([z.literal('all'), z.array(documentIdSchema).min(1, 'choose at least one document').max(1_000_000)]),
  annotators: z.union([z.literal('all'), z.array(annotatorNameSchema).min(1, 'choose at least one annotator').max(1000)])
}

export const agreementScopeSchema = z.strictObject(agreementScopeShape)

export const disagreementQuerySchema = z.strictObject({
  ...agreementScopeShape,
  pair: z.tuple([annotatorNameSchema, annotatorNameSchema]).optional(),
  tag: tagIdSchema.optional(),
  kinds: z.array(z.enum(['tag-differs', 'boundaries-differ', 'only-in-some'])).min(1).max(3).optional(),
  labels: z.tuple([z.union([tagIdSchema, z.literal('O')]), z.union([tagIdSchema, z.literal('O')])]).optional(),
  limit: z.number().int().min(1).max(10_000).optional()
})

export const reviewCommentInputSchema = z.strictObject({
  id: annotationIdSchema,
  target: z.strictObject({
    annotator: annotatorNameSchema,
    annotationId: annotationIdSchema,
    start: offsetSchema,
    end: offsetSchema,
    tag: tagIdSchema,
    text: z.string().max(MAX_NOTE)
  }),
  text: z.string().trim().min(1, 'the comment is empty').max(MAX_NOTE)
})

export const curationRequestSchema = z.strictObject({
  annotators: z.array(annotatorNameSchema).min(2, 'choose at least two annotators to compare').max(100),
  strategy: z.enum(['unanimous', 'majority', 'none']),
  curator: personNameSchema
})

export const importFileSchema = z.strictObject({
  name: z.string().min(1).max(1024),
  bytes: z.instanceof(Uint8Array)
})

const exportFormatSchema = z.enum(EXPORT_FORMATS as [ExportFormat, ...ExportFormat[]])
const conllSchemeSchema = z.enum(CONLL_SCHEME_NAMES as [ConllSchemeName, ...ConllSchemeName[]])
/** Job ids are generated by main (src/main/services/export-jobs.ts). */
const exportJobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'export job ids are letters, digits, "_" and "-"')

/** Import job ids are made by the window (lib/state/import-job.svelte.ts) and only name a running import. */
const importJobIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'import job ids are letters, digits, "_" and "-"')

export const exportRequestSchema = z.strictObject({
  format: exportFormatSchema,
  outPath: pathSchema,
  documentIds: z.union([z.literal('all'), z.array(documentIdSchema).min(1, 'choose at least one document').max(1_000_000)]),
  annotators: z.union([z.literal('all'), z.array(annotatorNameSchema).min(1, 'choose at least one annotator').max(10_000)]),
  scheme: conllSchemeSchema.optional(),
  offsets: z.enum(EXPORT_OFFSET_UNITS as [ExportOffsetUnit, ...ExportOffsetUnit[]]).optional()
})

export const annotationImportOptionsSchema = z.strictObject({
  format: z.enum(ANNOTATION_IMPORT_FORMATS as [AnnotationImportFormat, ...AnnotationImportFormat[]]).optional(),
  annotator: annotatorNameSchema.optional(),
  addUnknownTags: z.boolean().optional(),
  scheme: conllSchemeSchema.optional()
})

export const searchQuerySchema = z.strictObject({
  text: z.string().min(1, 'type something to find').max(MAX_QUERY_LENGTH, `searches are at most ${MAX_QUERY_LENGTH} characters`),
  matchCase: z.boolean(),
  matchDiacritics: z.boolean(),
  wholeWord: z.boolean(),
  regex: z.boolean()
})

export const projectSearchRequestSchema = z.strictObject({
  query: searchQuerySchema,
  documentIds: z.array(documentIdSchema).max(1_000_000).optional(),
  tags: z.array(tagIdSchema).max(100).optional(),
  untaggedOnly: z.boolean().optional(),
  offset: z.number().int().nonnegative().max(100_000_000),
  limit: z.number().int().min(1).max(10_000),
  fresh: z.boolean().optional()
})

export const tagAllRequestSchema = z.strictObject({
  query: searchQuerySchema,
  tag: tagIdSchema,
  annotator: personNameSchema,
  documentIds: z.union([z.literal('all'), z.array(documentIdSchema).min(1, 'choose at least one document').max(1_000_000)])
})

const tagAllChoiceSchema = z.strictObject({ documentId: documentIdSchema, start: offsetSchema, end: offsetSchema }).refine((choice) => choice.start < choice.end, 'an occurrence ends before it starts')

/** A tag as the editor saves it; the rules across tags (unique ids, labels, keys) are in src/core/tag-set.ts. */
export const tagDefinitionSchema = z.strictObject({
  id: tagIdSchema,
  label: z.string().trim().min(1, 'the tag name is empty').max(60),
  shortLabel: z.string().trim().min(1, 'the short label is empty').max(8),
  key: z.string().regex(/^[1-9]$/, 'tag keys are 1 to 9'),
  color: z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'colours are #RRGGBB')
})

export const tagSetChangeSchema = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('add'), tag: tagDefinitionSchema }),
  z.strictObject({
    op: z.literal('update'),
    id: tagIdSchema,
    changes: z.strictObject({
      label: tagDefinitionSchema.shape.label.optional(),
      shortLabel: tagDefinitionSchema.shape.shortLabel.optional(),
      key: tagDefinitionSchema.shape.key.optional(),
      color: tagDefinitionSchema.shape.color.optional()
    })
  }),
  z.strictObject({ op: z.literal('reorder'), ids: z.array(tagIdSchema).min(1).max(100) }),
  z.strictObject({ op: z.literal('delete'), id: tagIdSchema, moveTo: tagIdSchema.optional(), annotator: personNameSchema })
])

/** A saved entity's id, or "group:" + a grouping key for a group not yet saved. */
export const entityIdSchema = z.string().min(1).max(1000).refine((id) => !/[\u0000-\u001f]/.test(id), 'entity ids have no control characters')
const entityNameSchema = z.string().trim().min(1, 'the entity name is empty').max(500)
/** What the user types as an identifier, e.g. "Wikidata:Q1630451" or "Q1630451". */
export const entityRefSchema = z.string().trim().min(1, 'the identifier is empty').max(500).refine((ref) => !/[\s'"<>]/.test(ref), 'identifiers have no spaces, quotes or angle brackets')

export const entityMergeSchema = z.strictObject({
  ids: z.array(entityIdSchema).min(2, 'choose at least two entities to merge').max(10_000),
  name: entityNameSchema,
  ref: entityRefSchema.nullable()
})

/** One tuple schema per call: the call's arguments, in order. */
export const apiArgumentSchemas = {
  getStartup: z.tuple([]),
  getAppInfo: z.tuple([]),
  getSettings: z.tuple([]),
  setAnnotatorName: z.tuple([personNameSchema]),
  setColourScheme: z.tuple([z.enum(COLOUR_SCHEME_CHOICES)]),
  getCurrentProject: z.tuple([]),
  chooseProjectFolder: z.tuple([z.enum(['new', 'open'])]),
  createProject: z.tuple([pathSchema, z.string().trim().min(1).max(MAX_NAME).nullable()]),
  openProject: z.tuple([pathSchema]),
  openSampleProject: z.tuple([]),
  closeProject: z.tuple([]),
  listDocuments: z.tuple([annotatorNameSchema.nullable()]),
  listDocumentPage: z.tuple([annotatorNameSchema.nullable(), z.number().int().min(0), z.number().int().min(1).max(MAX_SUMMARIES_ASKED)]),
  getDocumentSummaries: z.tuple([annotatorNameSchema.nullable(), z.array(documentIdSchema).max(MAX_SUMMARIES_ASKED)]),
  getDocument: z.tuple([layerRefSchema]),
  listLayers: z.tuple([documentIdSchema]),
  getLayer: z.tuple([layerRefSchema]),
  setDocumentStatus: z.tuple([layerRefSchema, z.enum(DOCUMENT_STATUSES as [string, ...string[]])]),
  getProjectChanges: z.tuple([z.number().int().nonnegative()]),
  importTexts: z.tuple([z.array(importFileSchema).min(1).max(MAX_FILES), importJobIdSchema.optional()]),
  chooseAndImportTexts: z.tuple([importJobIdSchema.optional()]),
  getImportProgress: z.tuple([importJobIdSchema]),
  cancelImport: z.tuple([importJobIdSchema]),
  applyAnnotationEdits: z.tuple([layerRefSchema, z.array(annotationEditSchema).min(1).max(MAX_EDITS)]),
  getExportChoices: z.tuple([]),
  chooseExportDestination: z.tuple([exportFormatSchema, pathSchema]),
  startExport: z.tuple([exportRequestSchema]),
  getExportProgress: z.tuple([exportJobIdSchema]),
  cancelExport: z.tuple([exportJobIdSchema]),
  showExportInFolder: z.tuple([pathSchema]),
  compareDocument: z.tuple([documentIdSchema, z.array(annotatorNameSchema).min(2, 'choose at least two layers to compare').max(100)]),
  startCuration: z.tuple([documentIdSchema, curationRequestSchema]),
  computeAgreement: z.tuple([agreementScopeSchema]),
  listDisagreements: z.tuple([disagreementQuerySchema]),
  getComments: z.tuple([layerRefSchema]),
  saveReviewComment: z.tuple([layerRefSchema, reviewCommentInputSchema]),
  deleteReviewComment: z.tuple([layerRefSchema, annotationIdSchema]),
  setCommentResolved: z.tuple([layerRefSchema, annotationIdSchema, annotatorNameSchema, z.boolean()]),
  getSyncStatus: z.tuple([personNameSchema]),
  syncProject: z.tuple([personNameSchema]),
  getTextHistory: z.tuple([documentIdSchema]),
  saveTextEdit: z.tuple([textEditRequestSchema]),
  previewCleanup: z.tuple([documentIdSchema, cleanupStepsSchema]),
  applyCleanup: z.tuple([cleanupRequestSchema]),
  undoTextRevision: z.tuple([documentIdSchema, personNameSchema, revisionIdSchema()]),
  settleTextFork: z.tuple([documentIdSchema, personNameSchema, revisionIdSchema()]),
  importAnnotations: z.tuple([z.array(importFileSchema).min(1).max(MAX_FILES), annotationImportOptionsSchema, importJobIdSchema.optional()]),
  chooseAnnotationFiles: z.tuple([]),
  listBackups: z.tuple([pathSchema]),
  restoreBackup: z.tuple([pathSchema, z.string().regex(/^[0-9TZ-]{1,40}\.json$/, 'not the name of a Quire backup')]),
  searchProject: z.tuple([projectSearchRequestSchema]),
  previewTagAll: z.tuple([tagAllRequestSchema]),
  applyTagAll: z.tuple([tagAllRequestSchema, z.array(tagAllChoiceSchema).min(1, 'choose at least one occurrence').max(1_000_000)]),
  getSuggestions: z.tuple([layerRefSchema]),
  updateTagSet: z.tuple([z.array(tagSetChangeSchema).min(1).max(100)]),
  getTagUsage: z.tuple([]),
  listEntities: z.tuple([]),
  listEntityMentions: z.tuple([entityIdSchema]),
  mergeEntities: z.tuple([entityMergeSchema]),
  updateEntity: z.tuple([entityIdSchema, z.strictObject({ name: entityNameSchema.optional(), ref: entityRefSchema.nullable().optional() })]),
  splitEntityAlias: z.tuple([entityIdSchema, z.string().min(1).max(1000)]),
  getDashboard: z.tuple([])
} satisfies Record<ApiMethod, z.ZodTuple>


/** What a call for a document's content may say the window holds of it (src/shared/held-texts.ts), besides its arguments. */
export const heldTextHintSchema = z.strictObject({
  documentId: documentIdSchema,
  sha256: z.string().regex(SHA256_HEX_PATTERN, 'a SHA-256 as 64 lowercase hex digits')
})

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(apiArgumentSchemas, name)
}

/** Human-readable summary of why a payload was refused. */
export function describeSchemaError(method: string, error: z.ZodError): string {
  const first = error.issues[0]
  const where = first && first.path.length > 0 ? ` at argument ${first.path.join('.')}` : ''
  return `Invalid arguments for ${method}${where}: ${first?.message ?? 'malformed payload'}`
}
