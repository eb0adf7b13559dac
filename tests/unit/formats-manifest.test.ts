import { describe, expect, it } from 'vitest'
import { collectExport } from '../../src/core/formats/export-tally'
import { exportJsonl } from '../../src/core/formats/jsonl'
import { ExportManifestBuilder } from '../../src/core/formats/manifest'
import { makeDocument, sha256 } from '../fixtures/formats/documents'

describe('ExportManifestBuilder', () => {
  it('lists each document with its SHA-256, code-point length and files', () => {
    const documents = [makeDocument('doc-1', 'Bakı 🇦🇿\r\n', [[0, 4, 'ORG']]), makeDocument('doc-2', 'e\u0301', [])]
    const builder = new ExportManifestBuilder()
    const { summary } = collectExport(exportJsonl(documents))
    documents.forEach((document, index) => builder.add(document, index === 0 ? ['doc-1.txt', 'doc-1.ann'] : undefined))
    const manifest = builder.build('brat', 'codepoint', summary, '2026-01-01T00:00:00.000Z')
    expect(manifest).toEqual({
      format: 'quire-export',
      schemaVersion: 1,
      corpusFormat: 'brat',
      offsets: 'codepoint',
      exportedAt: '2026-01-01T00:00:00.000Z',
      summary: { documents: 2, spans: 1, dropped: 0, adjusted: 0, warnings: 0 },
      documents: [
        { id: 'doc-1', name: 'doc-1', sha256: sha256('Bakı 🇦🇿\r\n'), codePoints: 9, files: ['doc-1.txt', 'doc-1.ann'] },
        { id: 'doc-2', name: 'doc-2', sha256: sha256('e\u0301'), codePoints: 2 }
      ]
    })
  })
})
