// What a read layer keeps in memory. Main holds each open layer for its saves, and its garbage
// collector walks every object in it: JSON.parse gives each span its own copy of the annotator's
// name, its tag and its provenance, and the reader keeps one string per distinct value instead.
// Measured against the same layer with every such value distinct (so nothing can be shared), with
// the collector run by hand before each reading of the heap.
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { parseLayerWithJournal } from '../../src/main/store/layer-on-disk'

setFlagsFromString('--expose-gc')
const collectGarbage = runInNewContext('gc') as () => void

const SPANS = 20_000
const TAGS = ['PERSON', 'ORGANIZATION', 'EVENT', 'PROGRAM']

/** A layer file's bytes; `distinct` gives every span an annotator, tag and provenance of its own (same lengths). */
function layerBytes(distinct: boolean): Uint8Array {
  const value = (shared: string, index: number): string => (distinct ? `${shared.slice(0, -6)}${String(index).padStart(6, '0')}` : shared)
  const annotations = Array.from({ length: SPANS }, (_, index) => ({
    id: `a-${String(index).padStart(8, '0')}-0000-4000-8000-000000000000`,
    start: index * 10,
    end: index * 10 + 5,
    tag: value((TAGS[index % TAGS.length] as string).padEnd(12, 'X'), index),
    text: 'words',
    annotator: value('Leyla Mammadova', index),
    createdAt: '2026-01-05T09:00:05.965Z',
    updatedAt: '2026-01-05T09:00:05.965Z',
    provenance: { source: 'import', detail: value('imported from brat', index) }
  }))
  const layer = { format: 'quire-annotations', schemaVersion: 2, documentId: 'doc-1', annotator: 'Leyla Mammadova', textSha256: 'a'.repeat(64), annotations }
  return new TextEncoder().encode(JSON.stringify(layer))
}

/** Heap bytes the parsed layer keeps, after the collector has run. */
function keptByParsing(bytes: Uint8Array): number {
  collectGarbage()
  const before = process.memoryUsage().heapUsed
  const read = parseLayerWithJournal(bytes, null, '/project/documents/doc-1/annotations/leyla.json')
  collectGarbage()
  const kept = process.memoryUsage().heapUsed - before
  expect(read.layer.annotations).toHaveLength(SPANS)
  return kept
}

describe('a layer read from its file', () => {
  it('keeps one string for each annotator, tag and provenance value, however many spans repeat it', () => {
    const repeated = layerBytes(false)
    const distinct = layerBytes(true)
    const keptRepeated = keptByParsing(repeated)
    const keptDistinct = keptByParsing(distinct)
    // Three strings of 12–18 characters per span (each 24 bytes or more on the heap) are shared:
    // the repeated layer keeps over 64 bytes a span less. Copied per span, the two are alike.
    expect(keptDistinct - keptRepeated).toBeGreaterThan(SPANS * 64)
  })

  it('reads the spans with their values as written', () => {
    const read = parseLayerWithJournal(layerBytes(false), null, '/project/documents/doc-1/annotations/leyla.json')
    const last = read.layer.annotations[SPANS - 1]
    expect(last).toEqual({
      id: `a-${String(SPANS - 1).padStart(8, '0')}-0000-4000-8000-000000000000`,
      start: (SPANS - 1) * 10,
      end: (SPANS - 1) * 10 + 5,
      tag: 'PROGRAMXXXXX',
      text: 'words',
      annotator: 'Leyla Mammadova',
      createdAt: '2026-01-05T09:00:05.965Z',
      updatedAt: '2026-01-05T09:00:05.965Z',
      provenance: { source: 'import', detail: 'imported from brat' }
    })
  })
})
