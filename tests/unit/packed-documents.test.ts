import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { packApiAnswer, unpackApiAnswer } from '../../src/shared/api-payloads'
import { DOCUMENT_STATUSES, type DocumentSummary } from '../../src/shared/model'
import { packDocumentSummaries, unpackDocumentSummaries } from '../../src/shared/packed-documents'

const status = fc.constantFrom(...DOCUMENT_STATUSES)
const summary: fc.Arbitrary<DocumentSummary> = fc.record(
  {
    id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
    name: fc.string(),
    sizeBytes: fc.nat(),
    length: fc.nat(),
    status,
    countsByTag: fc.dictionary(fc.constantFrom('PERSON', 'ORG', 'EVENT', 'PROGRAM', 'LOC'), fc.nat()),
    total: fc.nat(),
    layers: fc.array(fc.record({ annotator: fc.constantFrom('Ayla', 'Rashad', 'curation', 'Zaur'), status, spans: fc.nat(), problem: fc.constant(true) }, { requiredKeys: ['annotator', 'status', 'spans'] }), { maxLength: 4 }),
    curation: fc.option(status, { nil: null }),
    reviewState: fc.constantFrom('not-started', 'in-progress', 'annotated', 'curation-in-progress', 'curated'),
    lastChangedAt: fc.option(fc.constant('2026-12-01T10:00:00.000Z'), { nil: null }),
    problem: fc.record({ code: fc.constant('corrupt-store' as const), message: fc.string(), path: fc.string() })
  },
  { requiredKeys: ['id', 'name', 'sizeBytes', 'length', 'status', 'countsByTag', 'total', 'layers', 'curation', 'reviewState', 'lastChangedAt'] }
)

describe('packed document summaries', () => {
  it('unpack to exactly the summaries packed, through JSON as on the wire', () => {
    fc.assert(
      fc.property(fc.array(summary, { maxLength: 30 }), (summaries) => {
        const wire = JSON.parse(JSON.stringify(packApiAnswer('listDocuments', summaries)))
        expect(unpackApiAnswer('listDocuments', wire)).toEqual(summaries)
      })
    )
  })

  it('are a fraction of the objects-per-document JSON for a large list', () => {
    const summaries: DocumentSummary[] = Array.from({ length: 10_000 }, (_, index) => ({
      id: `news-${index}`,
      name: `news ${index}`,
      sizeBytes: 600,
      length: 600,
      status: 'not-started',
      countsByTag: { PERSON: 1, ORG: 1, EVENT: 1, PROGRAM: 0 },
      total: 3,
      layers: [{ annotator: 'Ayla', status: 'in-progress', spans: 3 }],
      curation: null,
      reviewState: 'in-progress',
      lastChangedAt: '2026-12-01T10:00:00.000Z'
    }))
    const packed = JSON.stringify(packDocumentSummaries(summaries)).length
    const plain = JSON.stringify(summaries).length
    expect(packed).toBeLessThan(plain / 2.5)
    expect(unpackDocumentSummaries(JSON.parse(JSON.stringify(packDocumentSummaries(summaries))))).toEqual(summaries)
  })
})
