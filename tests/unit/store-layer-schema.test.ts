// Reading an annotation file checks it against its schema, and both ways of making that fast
// are compared here, on valid layers and on layers mutated in every field:
// - the schema checks offsets without a transform (a transform, even the identity asUtf16,
//   takes zod's compiled fast path away and made checking a layer four times as slow): it must
//   accept the same objects as the schema built with `.transform(asUtf16)` and give the same
//   data, and reject the same ones with the same issues (paths and messages);
// - the quick parser (annotation-layer-quick-parse.ts) checks the usual layer by hand: whatever
//   it accepts, the schema must accept with the same result (same values, same keys in the same
//   order); everything else goes to the schema, so a damaged file is reported in zod's words.
import fc from 'fast-check'
import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { quickLayerParser } from '../../src/main/store/annotation-layer-quick-parse'
import { ANNOTATION_FILE, annotationLayerSchemaWith } from '../../src/main/store/file-kinds'
import { parseStoredFile } from '../../src/main/store/json-store'
import { ANNOTATION_SOURCES, asUtf16, DOCUMENT_STATUSES } from '../../src/shared/model'

const SEED = 20_261_201
const withTransform = annotationLayerSchemaWith(z.number().int().nonnegative().transform(asUtf16))
const used = ANNOTATION_FILE.schema

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

function sameOutcome(value: unknown): void {
  const expected = withTransform.safeParse(value)
  const actual = used.safeParse(value)
  expect(actual.success).toBe(expected.success)
  if (expected.success && actual.success) expect(actual.data).toStrictEqual(expected.data)
  if (!expected.success && !actual.success) {
    const issues = (error: z.ZodError): unknown[] => error.issues.map(({ code, path, message }) => ({ code, path, message }))
    expect(issues(actual.error)).toEqual(issues(expected.error))
  }
}

const quickParse = ANNOTATION_FILE.quickParse as NonNullable<typeof ANNOTATION_FILE.quickParse>

/** Whether the quick parser took the value; when it did, the schema must give the very same. */
function quickAgrees(value: unknown): boolean {
  const quick = quickParse(value as Record<string, unknown>)
  if (quick === undefined) return false
  const checked = used.safeParse(value)
  expect(checked.success).toBe(true)
  if (checked.success) {
    expect(quick).toStrictEqual(checked.data)
    expect(JSON.stringify(quick)).toBe(JSON.stringify(checked.data))
  }
  return true
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0')

/** Timestamps as z.iso.datetime({ offset: true }) sees them: valid ones (leap days, fractions, offsets) and near misses. */
const timestampArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc
    .record({
      year: fc.integer({ min: 0, max: 9999 }),
      month: fc.integer({ min: 0, max: 13 }),
      day: fc.integer({ min: 0, max: 32 }),
      hour: fc.integer({ min: 0, max: 25 }),
      minute: fc.integer({ min: 0, max: 61 }),
      second: fc.integer({ min: 0, max: 61 }),
      fraction: fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }),
      zone: fc.oneof(fc.constant('Z'), fc.constant('z'), fc.constant(''), fc.constantFrom('+04:00', '-12:30', '+24:00', '+0400', '+04', '-00:00', '+23:59', '+05:60'))
    })
    .map(({ year, month, day, hour, minute, second, fraction, zone }) => `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction === undefined ? '' : `.${fraction}`}${zone}`),
  fc.constantFrom(
    '2024-02-29T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2000-02-29T12:00:00.000+01:00',
    '1900-02-29T12:00:00Z',
    '2026-01-01T00:00:00.000Z',
    '2026-01-01 00:00:00Z',
    '2026-01-01T00:00Z',
    '2026-01-01',
    ' 2026-01-01T00:00:00Z',
    '2026-01-01T00:00:00.Z'
  ),
  fc.string({ maxLength: 30 })
)

/** Timestamps that are valid: the layers before mutation mostly carry these. */
const validTimestampArbitrary: fc.Arbitrary<string> = fc
  .record({
    year: fc.integer({ min: 0, max: 9999 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.option(fc.stringMatching(/^[0-9]{1,9}$/), { nil: undefined }),
    zone: fc.constantFrom('Z', '+04:00', '-12:30', '+00:00')
  })
  .map(({ year, month, day, hour, minute, second, fraction, zone }) => `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction === undefined ? '' : `.${fraction}`}${zone}`)

/** What a layer's timestamps are before mutation: valid ones, sometimes anything. */
const layerTimestampArbitrary = fc.oneof({ weight: 30, arbitrary: validTimestampArbitrary }, { weight: 1, arbitrary: timestampArbitrary })

/** Values put in place of a field: right and wrong types, edge numbers, strings near the patterns. */
const replacementArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 1.5, 2 ** 31, 2 ** 53, 2 ** 53 + 2, Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY, -1e-9),
  fc.constantFrom(null, true, false, '', 'x', 'A', 'a b', 'PERSON', 'rejected', 'manual', 'done', 'quire-annotations', [], {}, undefined),
  fc.integer({ min: -5, max: 5000 }),
  fc.double(),
  timestampArbitrary,
  fc.string({ maxLength: 70 }),
  fc.stringMatching(/^[0-9a-f]{63,65}$/),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 })
)

const annotationIdArbitrary = fc.oneof({ weight: 20, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/) }, { weight: 1, arbitrary: fc.string({ maxLength: 5 }) })

const spanArbitrary = fc
  .record(
    {
      start: fc.integer({ min: 0, max: 1000 }),
      length: fc.integer({ min: 1, max: 40 }),
      tag: fc.constantFrom('PERSON', 'ORG', 'EVENT', 'PROGRAM', 'X_1'),
      text: fc.string({ maxLength: 12 }),
      annotator: fc.constantFrom('Aylin', 'Bora', 'curation'),
      createdAt: layerTimestampArbitrary,
      updatedAt: layerTimestampArbitrary,
      note: fc.string({ maxLength: 8 }),
      provenance: fc.record(
        {
          source: fc.constantFrom(...ANNOTATION_SOURCES),
          detail: fc.string({ maxLength: 6 }),
          annotators: fc.array(fc.constantFrom('Aylin', 'Bora'), { maxLength: 2 }),
          curator: fc.constant('Cem')
        },
        { requiredKeys: ['source'] }
      )
    },
    { requiredKeys: ['start', 'length', 'tag', 'text', 'annotator', 'createdAt', 'updatedAt'] }
  )
  .map(({ length, ...span }) => ({ ...span, end: span.start + length }))

const layerArbitrary = fc
  .record(
    {
      format: fc.constant('quire-annotations'),
      schemaVersion: fc.constantFrom(1, 2),
      documentId: fc.oneof(fc.constant('doc-00042'), fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/)),
      annotator: fc.constantFrom('Aylin Demir', 'Bora Kaya', ''),
      status: fc.constantFrom(...DOCUMENT_STATUSES),
      textSha256: fc.stringMatching(/^[0-9a-f]{64}$/),
      annotations: fc.array(spanArbitrary, { maxLength: 6 }),
      updatedAt: layerTimestampArbitrary,
      comments: fc.array(
        fc.record({
          id: annotationIdArbitrary,
          target: fc.record({
            annotator: fc.constant('Bora'),
            annotationId: annotationIdArbitrary,
            start: fc.integer({ min: 0, max: 50 }),
            end: fc.integer({ min: 0, max: 50 }),
            tag: fc.constant('ORG'),
            text: fc.string({ maxLength: 5 })
          }),
          text: fc.string({ maxLength: 10 }),
          createdAt: layerTimestampArbitrary,
          updatedAt: layerTimestampArbitrary
        }),
        { maxLength: 2 }
      ),
      resolvedComments: fc.array(fc.record({ commentId: annotationIdArbitrary, reviewer: fc.constant('Cem'), resolvedAt: layerTimestampArbitrary }), { maxLength: 2 }),
      curators: fc.array(fc.constant('Cem'), { maxLength: 2 }),
      curationDecisions: fc.array(
        fc.record({ positionKey: fc.string({ maxLength: 10 }), decision: fc.constant('rejected'), curator: fc.constant('Cem'), decidedAt: layerTimestampArbitrary }),
        { maxLength: 2 }
      )
    },
    { requiredKeys: ['format', 'schemaVersion', 'documentId', 'annotator', 'textSha256'] }
  )
  // Unique ids, as valid layers have them (the mutations below can still make two the same).
  .map(({ annotations, ...layer }) => (annotations === undefined ? layer : { ...layer, annotations: annotations.map((span, index) => ({ id: `a-${index}`, ...span })) }))

/** Every path to a value inside `value` (objects and arrays), the root excluded. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return []
  const keys: (string | number)[] = Array.isArray(value) ? value.map((_, index) => index) : Object.keys(value)
  return keys.flatMap((key) => [[...prefix, key], ...pathsOf((value as Record<string | number, unknown>)[key], [...prefix, key])])
}

type Mutation = { kind: 'replace'; value: unknown } | { kind: 'delete' } | { kind: 'add'; key: string; value: unknown } | { kind: 'copy-sibling' } | { kind: 'reverse-keys' }

/** The layer with one field replaced, deleted, given an extra key, or made equal to its neighbour (duplicate ids, start = end). */
function mutated(layer: Json, path: (string | number)[], mutation: Mutation): unknown {
  const copy = structuredClone(layer) as Record<string | number, unknown>
  let parent: Record<string | number, unknown> = copy
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
  const last = path.at(-1) as string | number
  switch (mutation.kind) {
    case 'replace':
      parent[last] = mutation.value
      break
    case 'delete':
      if (Array.isArray(parent)) parent.splice(last as number, 1)
      else delete parent[last]
      break
    case 'add': {
      const target = parent[last]
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) (target as Record<string, unknown>)[mutation.key] = mutation.value
      else parent[last] = mutation.value
      break
    }
    case 'copy-sibling': {
      const siblings = Object.keys(parent)
      const other = siblings[(siblings.indexOf(String(last)) + 1) % siblings.length] as string
      parent[last] = structuredClone(parent[other])
      break
    }
    case 'reverse-keys': {
      // The same object with its keys in the opposite order (a file written by another tool).
      const target = parent[last]
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
        parent[last] = Object.fromEntries(Object.entries(target).reverse())
      }
      break
    }
  }
  return copy
}

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: replacementArbitrary.map((value): Mutation => ({ kind: 'replace', value })) },
  { weight: 2, arbitrary: fc.constant<Mutation>({ kind: 'delete' }) },
  { weight: 1, arbitrary: fc.record({ key: fc.constantFrom('extra', '__proto__', 'start', 'constructor'), value: replacementArbitrary }).map((add): Mutation => ({ kind: 'add', ...add })) },
  { weight: 2, arbitrary: fc.constant<Mutation>({ kind: 'copy-sibling' }) },
  { weight: 1, arbitrary: fc.constant<Mutation>({ kind: 'reverse-keys' }) }
)

/** A layer and one of its paths with mutations to make there. */
const mutatedLayerArbitrary = layerArbitrary.chain((layer) =>
  fc.tuple(fc.constant(layer), fc.constantFrom(...pathsOf(layer)), fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }))
)

function applied([layer, path, mutations]: [Json, (string | number)[], Mutation[]]): unknown {
  let value: unknown = layer
  for (const mutation of mutations) value = mutated(value as Json, path, mutation)
  return value
}

describe('the annotation file schema without the offset transform', () => {
  it('accepts the same valid layers and gives the same data', () => {
    let accepted = 0
    fc.assert(
      fc.property(layerArbitrary, (layer) => {
        sameOutcome(layer)
        if (used.safeParse(layer).success) accepted++
      }),
      { seed: SEED, numRuns: 2000 }
    )
    expect(accepted).toBeGreaterThan(1000)
  })

  it('rejects the same mutated layers with the same issues, and accepts the same', () => {
    let rejected = 0
    let accepted = 0
    fc.assert(
      fc.property(
        mutatedLayerArbitrary,
        (example) => {
          const value = applied(example as [Json, (string | number)[], Mutation[]])
          sameOutcome(value)
          if (withTransform.safeParse(value).success) accepted++
          else rejected++
        }
      ),
      { seed: SEED, numRuns: 6000 }
    )
    // Both sides of the comparison are exercised.
    expect(rejected).toBeGreaterThan(1000)
    expect(accepted).toBeGreaterThan(300)
  })

  it('treats offsets alike at their edges', () => {
    const span = { id: 'a', tag: 'PERSON', text: 't', annotator: 'A', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' }
    const layer = (start: unknown, end: unknown): unknown => ({
      format: 'quire-annotations',
      schemaVersion: 2,
      documentId: 'doc-1',
      annotator: 'A',
      textSha256: 'a'.repeat(64),
      annotations: [{ ...span, start, end }]
    })
    for (const [start, end] of [[0, 1], [-0, 1], [-1, 1], [0, 0], [1, 0], [0.5, 1], [0, 2 ** 53], [0, Number.NaN], ['0', 1], [null, 1], [undefined, 1], [0, Number.POSITIVE_INFINITY]]) {
      sameOutcome(layer(start, end))
    }
  })
})

describe('the quick parser of annotation files', () => {
  it('takes every valid layer read from a file, with the schema’s result', () => {
    let valid = 0
    fc.assert(
      fc.property(layerArbitrary, (layer) => {
        // As JSON.parse gives it: no undefined values.
        const read = JSON.parse(JSON.stringify(layer)) as unknown
        const isValid = used.safeParse(read).success
        expect(quickAgrees(read)).toBe(isValid)
        if (isValid) valid++
      }),
      { seed: SEED, numRuns: 2000 }
    )
    expect(valid).toBeGreaterThan(1000)
  })

  it('takes only what the schema takes, with the same result, from layers mutated in every field', () => {
    let taken = 0
    let left = 0
    fc.assert(
      fc.property(mutatedLayerArbitrary, (example) => {
        const value = applied(example as [Json, (string | number)[], Mutation[]])
        // Both as built (undefined, NaN, -0, a replaced prototype) and as read back from a file.
        for (const candidate of [value, JSON.parse(JSON.stringify(value) ?? 'null') as unknown]) {
          if (quickAgrees(candidate)) taken++
          else left++
        }
      }),
      { seed: SEED, numRuns: 8000 }
    )
    expect(taken).toBeGreaterThan(1000)
    expect(left).toBeGreaterThan(3000)
  })

  it('leaves a damaged file to the schema: the same layer or the same message as without it', () => {
    const withoutQuick = { ...ANNOTATION_FILE, quickParse: undefined }
    const outcome = (bytes: Uint8Array, kind: typeof ANNOTATION_FILE): unknown => {
      try {
        return { layer: parseStoredFile(bytes, '/p/documents/d/annotations/a.json', kind) }
      } catch (error) {
        return { error: (error as Error).message }
      }
    }
    fc.assert(
      fc.property(mutatedLayerArbitrary, (example) => {
        const bytes = new TextEncoder().encode(JSON.stringify(applied(example as [Json, (string | number)[], Mutation[]]), null, 2) ?? '')
        expect(outcome(bytes, ANNOTATION_FILE)).toStrictEqual(outcome(bytes, withoutQuick))
      }),
      { seed: SEED, numRuns: 3000 }
    )
  })

  it('gives up on spans it does not know', () => {
    const span = z.object({ id: z.string(), start: z.number(), end: z.number(), extra: z.string() })
    const other = z.object({ format: z.literal('quire-annotations'), annotations: z.array(span).default([]) })
    const layer = { format: 'quire-annotations', annotations: [{ id: 'a', start: 0, end: 1, extra: 'x' }] }
    expect(other.safeParse(layer).success).toBe(true)
    expect(quickLayerParser(other, /^/)(layer)).toBeUndefined()
  })
})
