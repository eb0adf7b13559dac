// Checking an annotation file's spans is most of what reading it costs after JSON.parse: zod
// takes about 90 µs for a layer of 100 spans, and a project's agreement reads 30,000 layers.
// This checks the usual layer by hand and gives exactly what the schema gives (new objects,
// the schema's key order, defaults filled in, unknown keys dropped), or undefined for anything
// it is not sure of; the schema then decides, so a damaged file is reported in zod's words.
//
// Only the spans are checked by hand. The layer's other fields (a few per file) go to their own
// schemas in the layer's shape, and are placed in the result as zod's object parser places
// them. tests/unit/store-layer-schema.test.ts checks, on valid layers and on layers mutated
// in every field, that whatever this accepts the schema accepts with the same result.
import type { z } from 'zod'
import { ANNOTATION_ID_PATTERN } from '../../shared/api-schemas'
// An offset as the schema has it, z.number().int().nonnegative(), is a count.
import { isCount as isOffset, isObject } from '../../core/value-checks'
import { ANNOTATION_SOURCES, type AnnotationLayer } from '../../shared/model'

/** The span and provenance keys this checks, in the schema's order; any other shape turns it off. */
const SPAN_KEYS = ['id', 'start', 'end', 'tag', 'text', 'annotator', 'createdAt', 'updatedAt', 'note', 'provenance', 'textCheck']
const PROVENANCE_KEYS = ['source', 'detail', 'annotators', 'curator']

type Record_ = Record<string, unknown>
type AnySchema = z.ZodType & { _zod: { optin?: string; optout?: string } }

/**
 * The quick parser for annotation layers of this schema (whose spans are checked against
 * `timestamp`, the schema's pattern for createdAt and updatedAt). It gives up on everything
 * (always undefined) if the schema's spans are not the ones it knows.
 */
export function quickLayerParser(layerSchema: z.ZodObject, timestamp: RegExp): (data: unknown) => AnnotationLayer | undefined {
  const shape = layerSchema.shape as Record<string, AnySchema>
  if (!knowsSpansOf(shape)) return () => undefined
  const keys = Object.keys(shape)
  const sources = new Set<string>(ANNOTATION_SOURCES)

  function provenanceOf(input: unknown, seen: SameStrings): Record_ | undefined {
    if (!isObject(input)) return undefined
    const source = input.source
    if (typeof source !== 'string' || !sources.has(source)) return undefined
    let provenance: Record_
    if ('detail' in input) {
      if (typeof input.detail !== 'string') return undefined
      provenance = { source: seen.one(source), detail: seen.one(input.detail) }
    } else {
      provenance = { source: seen.one(source) }
    }
    if ('annotators' in input) {
      const annotators = input.annotators
      if (!Array.isArray(annotators)) return undefined
      for (const name of annotators) if (typeof name !== 'string') return undefined
      provenance.annotators = (annotators as string[]).map((name) => seen.one(name))
    }
    if ('curator' in input) {
      if (typeof input.curator !== 'string') return undefined
      provenance.curator = seen.one(input.curator)
    }
    return provenance
  }

  function spanOf(input: unknown, seen: SameStrings): Record_ | undefined {
    if (!isObject(input)) return undefined
    const { id, start, end, tag, text, annotator, createdAt, updatedAt } = input
    if (typeof id !== 'string' || !ANNOTATION_ID_PATTERN.test(id)) return undefined
    if (!isOffset(start) || !isOffset(end) || !(start < end)) return undefined
    if (typeof tag !== 'string' || tag.length === 0 || typeof text !== 'string' || typeof annotator !== 'string') return undefined
    if (typeof createdAt !== 'string' || !timestamp.test(createdAt) || typeof updatedAt !== 'string' || !timestamp.test(updatedAt)) return undefined
    const provenance = 'provenance' in input ? provenanceOf(input.provenance, seen) : { source: 'manual' }
    if (provenance === undefined) return undefined
    // Each key in one literal, so a span keeps its fields in the object itself (a key added
    // afterwards costs each of a long layer's spans a second, out-of-object array).
    let span: Record_
    if ('note' in input) {
      if (typeof input.note !== 'string') return undefined
      span = { id, start, end, tag: seen.one(tag), text, annotator: seen.one(annotator), createdAt, updatedAt, note: input.note, provenance }
    } else {
      span = { id, start, end, tag: seen.one(tag), text, annotator: seen.one(annotator), createdAt, updatedAt, provenance }
    }
    if ('textCheck' in input && input.textCheck !== undefined) {
      const check = input.textCheck
      if (!isObject(check) || typeof check.previousText !== 'string' || typeof check.revision !== 'string') return undefined
      if (check.revision.length === 0 || check.revision.length > 200) return undefined
      span.textCheck = { previousText: check.previousText, revision: check.revision }
    }
    return span
  }

  function spansOf(input: unknown): Record_[] | undefined {
    if (!Array.isArray(input)) return undefined
    const spans: Record_[] = []
    const ids = new Set<string>()
    const seen = new SameStrings()
    for (const item of input) {
      const span = spanOf(item, seen)
      if (span === undefined) return undefined
      ids.add(span.id as string)
      spans.push(span)
    }
    return ids.size === spans.length ? spans : undefined
  }

  return (data) => {
    if (!isObject(data)) return undefined
    const layer: Record_ = {}
    for (const key of keys) {
      const present = key in data
      const schema = shape[key] as AnySchema
      let value: unknown
      if (key === 'annotations') {
        value = present ? spansOf(data[key]) : []
        if (value === undefined) return undefined
      } else {
        const result = schema.safeParse(data[key])
        if (!result.success) return undefined
        value = result.data
      }
      // Where zod's object parser puts the value: an optional key only when given, a defaulted
      // one always, any other key must be there.
      const { optin, optout } = schema._zod
      if (optin === undefined) {
        if (!present) return undefined
        layer[key] = value
      } else if (optout === 'optional') {
        if (optin === 'optional' ? present : value !== undefined || present) layer[key] = value
      } else if (optin === 'defaulted' || value !== undefined || present) {
        layer[key] = value
      }
    }
    return layer as unknown as AnnotationLayer
  }
}

/**
 * One string object for each distinct value. JSON.parse makes a new string for every value, so
 * a layer of 88,000 spans held 88,000 copies each of its annotator's name, its tag names and its
 * provenance: 350,000 strings (9 MB) that main kept, and its garbage collector walked, per layer.
 */
class SameStrings {
  readonly #strings = new Map<string, string>()

  one(value: string): string {
    const known = this.#strings.get(value)
    if (known !== undefined) return known
    this.#strings.set(value, value)
    return value
  }
}

/** Whether the layer's spans are the ones spanOf checks: the same keys in the same order. */
function knowsSpansOf(shape: Record<string, AnySchema>): boolean {
  const annotations = shape.annotations as unknown as { def?: { innerType?: { element?: { shape?: Record<string, AnySchema> } } } }
  const spanShape = annotations?.def?.innerType?.element?.shape
  if (spanShape === undefined || Object.keys(spanShape).join() !== SPAN_KEYS.join()) return false
  const provenance = spanShape.provenance as unknown as { def?: { innerType?: { shape?: Record<string, unknown> } } }
  const provenanceShape = provenance?.def?.innerType?.shape
  return provenanceShape !== undefined && Object.keys(provenanceShape).join() === PROVENANCE_KEYS.join()
}
