// Argument schemas for every API call. Main parses each payload with these before any
// service sees it, whichever transport (IPC or HTTP) it came by.
import { z } from 'zod'
import type { ApiMethod } from './api'
import { DOCUMENT_STATUSES } from './model'

const MAX_NAME = 200
const MAX_PATH = 4096
const MAX_NOTE = 10_000
const MAX_EDITS = 10_000
const MAX_FILES = 1_000

export const documentIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'document ids are lowercase letters, digits and dashes')
  // Same rule as DOCUMENT_ID_PATTERN in src/core/ids.ts: names Windows reserves for devices.
  .refine((id) => !/^(?:con|prn|aux|nul|com\d|lpt\d)$/.test(id), 'that document id is a name Windows reserves (CON, NUL, COM1…)')

export const annotationIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'annotation ids are letters, digits, "_" and "-"')

const offsetSchema = z.number().int().nonnegative().max(2 ** 31)
const tagIdSchema = z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, 'tag ids are upper-case letters, digits and "_"')
const timestampSchema = z.iso.datetime()
const noteSchema = z.string().max(MAX_NOTE)
export const annotatorNameSchema = z
  .string()
  .trim()
  .min(1, 'the annotator name is empty')
  .max(MAX_NAME)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'the annotator name has control characters')

const pathSchema = z
  .string()
  .min(1)
  .max(MAX_PATH)
  .refine((s) => !s.includes('\u0000'), 'paths cannot contain NUL')

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
  provenance: z.strictObject({
    source: z.enum(['manual', 'import', 'suggestion']),
    detail: z.string().max(MAX_NOTE).optional()
  })
})

export const annotationEditSchema = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('add'),
    annotation: z.strictObject({
      id: annotationIdSchema,
      start: offsetSchema,
      end: offsetSchema,
      tag: tagIdSchema,
      note: noteSchema.optional()
    })
  }),
  z.strictObject({
    op: z.literal('update'),
    id: annotationIdSchema,
    changes: z.strictObject({ tag: tagIdSchema.optional(), note: noteSchema.nullable().optional() })
  }),
  z.strictObject({ op: z.literal('delete'), id: annotationIdSchema }),
  z.strictObject({ op: z.literal('restore'), annotation: annotationSchema })
])

export const importFileSchema = z.strictObject({
  name: z.string().min(1).max(1024),
  bytes: z.instanceof(Uint8Array)
})

/** One tuple schema per call: the call's arguments, in order. */
export const apiArgumentSchemas = {
  getAppInfo: z.tuple([]),
  getSettings: z.tuple([]),
  setAnnotatorName: z.tuple([annotatorNameSchema]),
  getCurrentProject: z.tuple([]),
  chooseProjectFolder: z.tuple([z.enum(['new', 'open'])]),
  createProject: z.tuple([pathSchema, z.string().trim().min(1).max(MAX_NAME).nullable()]),
  openProject: z.tuple([pathSchema]),
  openSampleProject: z.tuple([]),
  closeProject: z.tuple([]),
  listDocuments: z.tuple([]),
  getDocument: z.tuple([documentIdSchema]),
  setDocumentStatus: z.tuple([documentIdSchema, z.enum(DOCUMENT_STATUSES as [string, ...string[]])]),
  importTexts: z.tuple([z.array(importFileSchema).min(1).max(MAX_FILES)]),
  chooseAndImportTexts: z.tuple([]),
  applyAnnotationEdits: z.tuple([documentIdSchema, z.array(annotationEditSchema).min(1).max(MAX_EDITS)])
} satisfies Record<ApiMethod, z.ZodTuple>

export const API_METHODS = Object.keys(apiArgumentSchemas) as ApiMethod[]

export function isApiMethod(name: string): name is ApiMethod {
  return Object.prototype.hasOwnProperty.call(apiArgumentSchemas, name)
}

/** Human-readable summary of why a payload was refused. */
export function describeSchemaError(method: string, error: z.ZodError): string {
  const first = error.issues[0]
  const where = first && first.path.length > 0 ? ` at argument ${first.path.join('.')}` : ''
  return `Invalid arguments for ${method}${where}: ${first?.message ?? 'malformed payload'}`
}
