// manifest.json written beside an export: which documents (and which exact texts, by SHA-256)
// it holds, in which unit its offsets are. brat and CoNLL have nowhere to put a checksum, so
// for them this file is what proves which text the offsets refer to.
import type { OffsetUnit } from '../offsets'
import type { ExportDocument, ExportSummary } from './types'

export interface ExportManifestEntry {
  id: string
  name: string
  sha256: string
  /** The text revision the offsets refer to, when the exporter knew it. */
  revision?: string
  /** Length of the text in code points (Python len()). */
  codePoints: number
  /** File(s) holding this document, relative to the export folder, when it has its own. */
  files?: string[]
}

export interface ExportManifest {
  format: 'quire-export'
  schemaVersion: 1
  corpusFormat: string
  /** Unit of every offset in the export ("codepoint" unless asked otherwise; none for CoNLL/TEI). */
  offsets: OffsetUnit | 'none'
  exportedAt: string
  summary: ExportSummary
  documents: ExportManifestEntry[]
}

/** Collects one small entry per document as the export streams past. */
export class ExportManifestBuilder {
  private readonly entries: ExportManifestEntry[] = []

  add(document: ExportDocument, files?: string[]): void {
    this.addEntry(manifestEntry(document, files))
  }

  /** An entry made elsewhere (by an export worker, which has the document's text). */
  addEntry(entry: ExportManifestEntry): void {
    this.entries.push(entry)
  }

  build(corpusFormat: string, offsets: OffsetUnit | 'none', summary: ExportSummary, exportedAt: string): ExportManifest {
    return { format: 'quire-export', schemaVersion: 1, corpusFormat, offsets, exportedAt, summary, documents: [...this.entries] }
  }
}

export function manifestEntry(document: ExportDocument, files?: string[]): ExportManifestEntry {
  const entry: ExportManifestEntry = {
    id: document.id,
    name: document.name,
    sha256: document.sha256,
    codePoints: countCodePoints(document.text)
  }
  if (document.revision !== undefined) entry.revision = document.revision
  if (files !== undefined) entry.files = files
  return entry
}

function countCodePoints(text: string): number {
  let count = 0
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index)
    // A high surrogate followed by a low one is a single code point.
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1)
      if (next >= 0xdc00 && next <= 0xdfff) index++
    }
    count++
  }
  return count
}
