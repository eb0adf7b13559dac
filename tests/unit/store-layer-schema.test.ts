// The annotation file's schema checks offsets without a transform (a transform, even the
// identity asUtf16, takes zod's compiled fast path away and made checking a layer four times
// as slow). Here it is compared, on valid layers and on layers mutated in every field, with
// the same schema built with `.transform(asUtf16)`: both must accept the same objects and give
// the same data, and reject the same ones with the same issues (paths and messages), so a
// damaged file is reported in exactly the same words.
import fc from 'fast-check'
import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { ANNOTATION_FILE, annotationLayerSchemaWith } from '../../src/main/store/file-kinds'
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

type Mutation = { kind: 'replace'; value: unknown } | { kind: 'delete' } | { kind: 'add'; key: string; value: unknown } | { kind: 'copy-sibling' }

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
  }
  return copy
}

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: replacementArbitrary.map((value): Mutation => ({ kind: 'replace', value })) },
  { weight: 2, arbitrary: fc.constant<Mutation>({ kind: 'delete' }) },
  { weight: 1, arbitrary: fc.record({ key: fc.constantFrom('extra', '__proto__', 'start', 'constructor'), value: replacementArbitrary }).map((add): Mutation => ({ kind: 'add', ...add })) },
  { weight: 2, arbitrary: fc.constant<Mutation>({ kind: 'copy-sibling' }) }
)

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
        layerArbitrary.chain((layer) => fc.tuple(fc.constant(layer), fc.constantFrom(...pathsOf(layer)), fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }))),
        ([layer, path, mutations]) => {
          let value: unknown = layer
          for (const mutation of mutations) value = mutated(value as Json, path, mutation)
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
