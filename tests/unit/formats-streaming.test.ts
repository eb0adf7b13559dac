import { describe, expect, it } from 'vitest'
import { exportBrat } from '../../src/core/formats/brat'
import { exportConll } from '../../src/core/formats/conll'
import { exportCsv } from '../../src/core/formats/csv'
import { exportJsonl } from '../../src/core/formats/jsonl'
import { exportTeiCorpus } from '../../src/core/formats/tei'
import type { ExportDocument } from '../../src/core/formats/types'
import { asUtf16 } from '../../src/shared/model'
import { sha256 } from '../fixtures/formats/documents'

const paragraph = 'Minister Emin Amrullayev met ISESCO 😀 in Bakı on October 4.\n'
const paragraphSha = sha256(paragraph.repeat(4))

/** Documents made on demand, counting how many the exporter has pulled. */
function* lazyDocuments(count: number, spansPerDocument: number, pulled: { count: number }): Generator<ExportDocument> {
  const text = paragraph.repeat(Math.ceil(spansPerDocument / 4))
  for (let index = 0; index < count; index++) {
    pulled.count++
    const spans = Array.from({ length: spansPerDocument }, (_, spanIndex) => {
      const start = Math.floor(spanIndex / 4) * paragraph.length + [9, 14, 29, 44][spanIndex % 4]!
      const end = start + [4, 10, 6, 4][spanIndex % 4]!
      return { start: asUtf16(start), end: asUtf16(end), label: ['PERSON', 'PERSON', 'ORG', 'EVENT'][spanIndex % 4]!, text: text.slice(start, end), annotator: 'ayla' }
    })
    yield { id: `doc-${index}`, name: `Document ${index}`, text, sha256: paragraphSha, spans }
  }
}

const exporters = {
  jsonl: (documents: Iterable<ExportDocument>) => exportJsonl(documents),
  csv: (documents: Iterable<ExportDocument>) => exportCsv(documents),
  conll: (documents: Iterable<ExportDocument>) => exportConll(documents),
  tei: (documents: Iterable<ExportDocument>) => exportTeiCorpus(documents),
  brat: (documents: Iterable<ExportDocument>) => exportBrat(documents)
}

describe('streaming exports', () => {
  for (const [format, exporter] of Object.entries(exporters)) {
    it(`${format} pulls one document at a time and yields before reading the next`, () => {
      const pulled = { count: 0 }
      const generator = exporter(lazyDocuments(1_000_000, 8, pulled))
      // The header chunk (CSV, TEI) needs no document; after that each chunk needs exactly one.
      let chunks = 0
      while (pulled.count < 3) {
        generator.next()
        chunks++
        expect(pulled.count).toBeLessThanOrEqual(chunks)
      }
      generator.return(undefined as never)
      expect(pulled.count).toBe(3)
    })
  }

  it('exports 10,000 documents with 1,000,000 spans as JSONL and counts them', () => {
    const pulled = { count: 0 }
    const generator = exportJsonl(lazyDocuments(10_000, 100, pulled))
    let bytes = 0
    let lines = 0
    for (;;) {
      const step = generator.next()
      if (step.done) {
        expect(step.value).toEqual({ documents: 10_000, spans: 1_000_000, dropped: 0, adjusted: 0, warnings: 0 })
        break
      }
      bytes += step.value.length
      lines++
    }
    expect(lines).toBe(10_000)
    expect(bytes).toBeGreaterThan(10_000 * 100 * 50)
  })
})
