// Schemas of the JSON files Quire keeps on disk. Objects are non-strict on purpose: a file
// written by a colleague's newer minor build with an extra key is read, the key dropped.
import { z } from 'zod'
import { annotationIdSchema, annotatorNameSchema, documentIdSchema, revisionIdSchema } from '../../shared/api-schemas'
import type { RevisionSetAside } from '../../core/text-revisions/revision-graph'
import {
  COLOUR_SCHEME_CHOICES,
  ANNOTATION_LAYER_SCHEMA_VERSION,
  ANNOTATION_SOURCES,
  DEFAULT_TAGS,
  DOCUMENT_STATUSES,
  STORE_SCHEMA_VERSION,
  ORIGINAL_REVISION,
  type AnnotationLayer,
  type AnnotationSource,
  type DocumentRecord,
  type DocumentStatus,
  type ProjectManifest,
  type RevisionOrigin,
  type TextRevision,
  type UserSettings,
  type Utf16Offset
} from '../../shared/model'
import type { EntityFile } from '../../shared/finding-model'
import { entityIdSchema, entityRefSchema } from '../../shared/api-schemas'
import { ENTITY_FILE_FORMAT, ENTITY_FILE_SCHEMA_VERSION, entityFileProblem } from '../../core/entities/entity-set'
import { quickLayerParser } from './annotation-layer-quick-parse'
import type { StoredFileKind } from './json-store'

const timestamp = z.iso.datetime({ offset: true })
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits')
// An offset is a plain number on disk and in memory; the Utf16Offset brand exists only for the
// type checker, so it is given by a cast. A `.transform(asUtf16)` would say the same, but any
// transform takes zod's compiled fast path away from the objects around it: it made checking a
// layer of 100 spans four times as slow (0.39 ms of CPU instead of 0.09 ms; some 9 s over the
// 30,000 layers of a 10,000-document project's agreement). tests/unit/store-layer-schema.test.ts
// checks that the schema accepts, gives and rejects exactly what it did with the transform.
const utf16Offset = z.number().int().nonnegative() as unknown as z.ZodType<Utf16Offset, number>

const tagDefinitionSchema = z.object({
  id: z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, 'tag ids are upper-case letters, digits and "_"'),
  label: z.string().min(1),
  shortLabel: z.string().min(1),
  key: z.string(),
  color: z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'expected a colour like #E69F00'),
  bratType: z.string().min(1).optional()
})

const projectManifestSchema = z.object({
  format: z.literal('quire-project'),
  schemaVersion: z.number().int(),
  name: z.string().trim().min(1, 'the project name is empty'),
  createdAt: timestamp,
  tags: z
    .array(tagDefinitionSchema)
    .default(() => DEFAULT_TAGS.map((tag) => ({ ...tag })))
    .refine((tags) => new Set(tags.map((tag) => tag.id)).size === tags.length, 'two tags have the same id')
}) satisfies z.ZodType<ProjectManifest>

const documentRecordSchema = z.object({
  format: z.literal('quire-document'),
  schemaVersion: z.number().int(),
  id: documentIdSchema,
  name: z.string(),
  originalFileName: z.string(),
  encoding: z.enum(['utf-8', 'utf-8-bom', 'utf-16le-bom', 'utf-16be-bom']),
  lineEnding: z.enum(['lf', 'crlf', 'cr', 'mixed', 'none']),
  sizeBytes: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  sha256: sha256Hex,
  importedAt: timestamp,
  importedBy: z.string()
}) satisfies z.ZodType<DocumentRecord>

const commentResolutionSchema = z.object({ commentId: annotationIdSchema, reviewer: z.string(), resolvedAt: timestamp })

const curationDecisionSchema = z.object({
  positionKey: z.string().min(1).max(200),
  decision: z.literal('rejected'),
  curator: z.string(),
  decidedAt: timestamp
})

/**
 * The annotation file's schema with `offset` checking every UTF-16 offset. Only utf16Offset is
 * ever used; tests/unit/store-layer-schema.test.ts builds it with the identity transform it
 * avoids and checks that both accept, produce and reject the same.
 */
export function annotationLayerSchemaWith(offset: z.ZodType<Utf16Offset, number>) {
  const storedAnnotationSchema = z
    .object({
      id: annotationIdSchema,
      start: offset,
      end: offset,
      tag: z.string().min(1),
      text: z.string(),
      annotator: z.string(),
      createdAt: timestamp,
      updatedAt: timestamp,
      note: z.string().optional(),
      provenance: z
        .object({
          source: z.enum(ANNOTATION_SOURCES as [AnnotationSource, ...AnnotationSource[]]),
          detail: z.string().optional(),
          annotators: z.array(z.string()).optional(),
          curator: z.string().optional()
        })
        .default({ source: 'manual' }),
      textCheck: z.object({ previousText: z.string(), revision: z.string().min(1).max(200) }).optional()
    })
    .refine((annotation) => annotation.start < annotation.end, 'an annotation ends before it starts')

  const reviewCommentSchema = z
    .object({
      id: annotationIdSchema,
      target: z.object({
        annotator: z.string(),
        annotationId: annotationIdSchema,
        start: offset,
        end: offset,
        tag: z.string().min(1),
        text: z.string()
      }),
      text: z.string(),
      createdAt: timestamp,
      updatedAt: timestamp
    })

  const rejectedSuggestionSchema = z
    .object({ tag: z.string().min(1), start: offset, end: offset, text: z.string(), rejectedAt: timestamp })
    .refine((rejection) => rejection.start < rejection.end, 'a rejected suggestion ends before it starts')

  return z.object({
    format: z.literal('quire-annotations'),
    schemaVersion: z.number().int(),
    documentId: documentIdSchema,
    annotator: z.string(),
    status: z.enum(DOCUMENT_STATUSES as [DocumentStatus, ...DocumentStatus[]]).default('not-started'),
    textSha256: sha256Hex,
    annotations: z
      .array(storedAnnotationSchema)
      .default([])
      .refine((list) => new Set(list.map((annotation) => annotation.id)).size === list.length, 'two annotations have the same id'),
    updatedAt: timestamp.optional(),
    comments: z.array(reviewCommentSchema).default([]),
    resolvedComments: z.array(commentResolutionSchema).default([]),
    curators: z.array(z.string()).optional(),
    curationDecisions: z.array(curationDecisionSchema).optional(),
    textRevision: z.string().min(1).max(200).default(ORIGINAL_REVISION),
    lostInEditing: z.array(z.object({ annotation: storedAnnotationSchema, revision: z.string().min(1).max(200) })).default([]),
    rejectedSuggestions: z.array(rejectedSuggestionSchema).default([]),
    journal: z.object({ id: z.string().regex(/^[0-9a-f]{16}$/), seq: z.number().int().nonnegative() }).optional()
  })
}

const annotationLayerSchema = annotationLayerSchemaWith(utf16Offset) satisfies z.ZodType<AnnotationLayer>

// A revision's changes are CodeMirror's ChangeSet JSON; whether they fit the text is checked when
// they are applied (src/core/text-revisions/apply-chain.ts), which names the file.
const changeSetJsonSchema = z.array(z.union([z.number().int().nonnegative(), z.tuple([z.number().int().nonnegative()]).rest(z.string())]))

const revisionOriginSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('edit') }),
  z.object({ kind: z.literal('clean'), steps: z.array(z.enum(['undouble', 'unwrap', 'dehyphenate', 'blank-lines', 'spaces'])).min(1) }),
  z.object({ kind: z.literal('undo'), undoes: revisionIdSchema() })
]) satisfies z.ZodType<RevisionOrigin>

const textRevisionSchema = z
  .object({
    format: z.literal('quire-revision'),
    schemaVersion: z.number().int(),
    id: revisionIdSchema().refine((id) => id !== ORIGINAL_REVISION, 'a revision cannot be called "original"'),
    parent: revisionIdSchema(),
    seq: z.number().int().positive(),
    author: z.string().min(1),
    createdAt: timestamp,
    shaBefore: sha256Hex,
    shaAfter: sha256Hex,
    lengthBefore: z.number().int().nonnegative(),
    lengthAfter: z.number().int().nonnegative(),
    sizeBytesAfter: z.number().int().nonnegative().optional(),
    changes: changeSetJsonSchema,
    origin: revisionOriginSchema,
    summary: z.string()
  })
  .refine((revision) => revision.id.startsWith(`r${revision.seq}-`), 'the id does not carry the revision\'s sequence number') satisfies z.ZodType<TextRevision>

const revisionSetAsideSchema = z.object({
  format: z.literal('quire-revision-set-aside'),
  schemaVersion: z.number().int(),
  revision: revisionIdSchema(),
  kept: revisionIdSchema(),
  author: z.string().min(1),
  setAsideAt: timestamp
}) satisfies z.ZodType<RevisionSetAside>

const entityRecordSchema = z.object({
  id: entityIdSchema.refine((id) => !id.startsWith('group:') && !/\s/.test(id), 'entity ids have no spaces and do not start with "group:"'),
  name: z.string().trim().min(1, 'the entity name is empty').max(500),
  ref: entityRefSchema.optional(),
  aliases: z.array(z.string().min(1).max(1000)).min(1, 'an entity has at least one alias'),
  createdAt: timestamp,
  updatedAt: timestamp
})

const entityFileSchema = z
  .object({
    format: z.literal(ENTITY_FILE_FORMAT),
    schemaVersion: z.number().int(),
    entities: z.array(entityRecordSchema).default([])
  })
  .superRefine((file, context) => {
    const problem = entityFileProblem(file.entities)
    if (problem !== null) context.addIssue({ code: 'custom', message: problem, path: ['entities'] })
  }) satisfies z.ZodType<EntityFile>

/** settings.json in the user-data folder. */
export interface SettingsFile extends UserSettings {
  format: 'quire-settings'
  schemaVersion: number
}

const settingsSchema = z.object({
  format: z.literal('quire-settings'),
  schemaVersion: z.number().int(),
  annotatorName: annotatorNameSchema.nullable().default(null),
  recentProjects: z
    .array(z.object({ path: z.string().min(1), name: z.string(), openedAt: timestamp }))
    .default([]),
  // Not a version bump: a file without it reads as 'system', and older Quires ignore it.
  colourScheme: z.enum(COLOUR_SCHEME_CHOICES).default('system')
}) satisfies z.ZodType<SettingsFile>

// A version bump adds `n: (vn) => vn+1` here together with a test that reads a stored
// version-n fixture.
export const PROJECT_FILE: StoredFileKind<ProjectManifest> = {
  format: 'quire-project',
  description: 'project file',
  currentVersion: STORE_SCHEMA_VERSION,
  schema: projectManifestSchema,
  // Version 2 changed no field: it tells a Quire that cannot apply text revisions to stay out.
  migrations: { 1: (manifest) => manifest }
}

export const DOCUMENT_FILE: StoredFileKind<DocumentRecord> = {
  format: 'quire-document',
  description: 'document description',
  currentVersion: STORE_SCHEMA_VERSION,
  schema: documentRecordSchema,
  // Version 1 had no revisions, so its sha256, length and sizeBytes already describe the original.
  migrations: { 1: (record) => record }
}

export const ANNOTATION_FILE: StoredFileKind<AnnotationLayer> = {
  format: 'quire-annotations',
  description: 'annotation file',
  currentVersion: ANNOTATION_LAYER_SCHEMA_VERSION,
  schema: annotationLayerSchema,
  // Version 2 only added fields (review comments, curation); a version-1 layer has none of them.
  migrations: {
    1: (layer) => ({ ...layer, comments: [], resolvedComments: [] }),
    // Before version 3 no text could be edited: every layer refers to the original.
    2: (layer) => ({ ...layer, textRevision: ORIGINAL_REVISION, lostInEditing: [] }),
    // Before version 4 no suggestion could be rejected.
    3: (layer) => ({ ...layer, rejectedSuggestions: [] })
  },
  quickParse: quickLayerParser(annotationLayerSchema, timestamp._zod.pattern)
}

/** documents/<id>/revisions/<revision>.json: written once, never changed (see TextRevision). */
export const REVISION_FILE: StoredFileKind<TextRevision> = {
  format: 'quire-revision',
  description: 'text revision file',
  currentVersion: 1,
  schema: textRevisionSchema,
  migrations: {}
}

/** documents/<id>/revisions/<revision>.set-aside.json: a revision set aside when a fork was settled. */
export const REVISION_SET_ASIDE_FILE: StoredFileKind<RevisionSetAside> = {
  format: 'quire-revision-set-aside',
  description: 'set-aside note',
  currentVersion: 1,
  schema: revisionSetAsideSchema,
  migrations: {}
}

export const SETTINGS_FILE: StoredFileKind<SettingsFile> = {
  format: 'quire-settings',
  description: 'settings file',
  currentVersion: 1,
  schema: settingsSchema,
  migrations: {}
}

/** entities.json at the project root: aliases merged into entities, with names and identifiers. */
export const ENTITIES_FILE: StoredFileKind<EntityFile> = {
  format: ENTITY_FILE_FORMAT,
  description: 'entities file',
  currentVersion: ENTITY_FILE_SCHEMA_VERSION,
  schema: entityFileSchema,
  migrations: {}
}
