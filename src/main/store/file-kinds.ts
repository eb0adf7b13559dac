// Schemas of the JSON files Quire keeps on disk. Objects are non-strict on purpose: a file
// written by a colleague's newer minor build with an extra key is read, the key dropped.
import { z } from 'zod'
import { annotationIdSchema, annotatorNameSchema, documentIdSchema } from '../../shared/api-schemas'
import {
  asUtf16,
  DEFAULT_TAGS,
  DOCUMENT_STATUSES,
  STORE_SCHEMA_VERSION,
  type AnnotationLayer,
  type DocumentRecord,
  type DocumentStatus,
  type ProjectManifest,
  type UserSettings
} from '../../shared/model'
import type { StoredFileKind } from './json-store'

const timestamp = z.iso.datetime({ offset: true })
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits')
const utf16Offset = z.number().int().nonnegative().transform(asUtf16)

const tagDefinitionSchema = z.object({
  id: z.string().regex(/^[A-Z][A-Z0-9_]{0,31}$/, 'tag ids are upper-case letters, digits and "_"'),
  label: z.string().min(1),
  shortLabel: z.string().min(1),
  key: z.string(),
  color: z.string().regex(/^#[0-9A-Fa-f]{6}$/, 'expected a colour like #E69F00')
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

const storedAnnotationSchema = z
  .object({
    id: annotationIdSchema,
    start: utf16Offset,
    end: utf16Offset,
    tag: z.string().min(1),
    text: z.string(),
    annotator: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
    note: z.string().optional(),
    provenance: z
      .object({ source: z.enum(['manual', 'import', 'suggestion']), detail: z.string().optional() })
      .default({ source: 'manual' })
  })
  .refine((annotation) => annotation.start < annotation.end, 'an annotation ends before it starts')

const annotationLayerSchema = z.object({
  format: z.literal('quire-annotations'),
  schemaVersion: z.number().int(),
  documentId: documentIdSchema,
  annotator: z.string(),
  status: z.enum(DOCUMENT_STATUSES as [DocumentStatus, ...DocumentStatus[]]).default('not-started'),
  textSha256: sha256Hex,
  annotations: z
    .array(storedAnnotationSchema)
    .default([])
    .refine((list) => new Set(list.map((annotation) => annotation.id)).size === list.length, 'two annotations have the same id')
}) satisfies z.ZodType<AnnotationLayer>

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
    .default([])
}) satisfies z.ZodType<SettingsFile>

// No migrations yet: every file is at version 1. A version bump adds `1: (v1) => v2` here
// together with a test that reads a stored version-1 fixture.
export const PROJECT_FILE: StoredFileKind<ProjectManifest> = {
  format: 'quire-project',
  description: 'project file',
  currentVersion: STORE_SCHEMA_VERSION,
  schema: projectManifestSchema,
  migrations: {}
}

export const DOCUMENT_FILE: StoredFileKind<DocumentRecord> = {
  format: 'quire-document',
  description: 'document description',
  currentVersion: STORE_SCHEMA_VERSION,
  schema: documentRecordSchema,
  migrations: {}
}

export const ANNOTATION_FILE: StoredFileKind<AnnotationLayer> = {
  format: 'quire-annotations',
  description: 'annotation file',
  currentVersion: STORE_SCHEMA_VERSION,
  schema: annotationLayerSchema,
  migrations: {}
}

export const SETTINGS_FILE: StoredFileKind<SettingsFile> = {
  format: 'quire-settings',
  description: 'settings file',
  currentVersion: 1,
  schema: settingsSchema,
  migrations: {}
}
