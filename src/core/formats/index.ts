// The corpus formats, one module each; import from here.
export type {
  ExportDocument,
  ExportGenerator,
  ExportOptions,
  ExportSpan,
  ExportSummary,
  ExportWarning,
  FormatError,
  ParsedSpan,
  ParseResult
} from './types'
export { collectExport, ExportTally } from './export-tally'
export { exportJsonl, parseJsonl, parseJsonlLine, type JsonlExportOptions, type JsonlParseOptions, type ParsedJsonlDocument } from './jsonl'
export { bratAnnotationConf, exportBrat, parseBratAnn, type BratDocumentFiles, type BratParseOptions } from './brat'
export {
  CONLL_SCHEMES,
  DOCSTART_LINE,
  exportConll,
  parseConll,
  type ConllExportOptions,
  type ConllParseOptions,
  type ConllScheme,
  type ConllTargetDocument,
  type ParsedConllDocument
} from './conll'
export { exportTeiCorpus, exportTeiDocument, TEI_NAMESPACE, type TeiExportOptions } from './tei'
export { CSV_COLUMNS, exportCsv, type CsvExportOptions } from './csv'
export { ExportManifestBuilder, manifestEntry, type ExportManifest, type ExportManifestEntry } from './manifest'

export type CorpusFormat = 'jsonl' | 'brat' | 'conll' | 'tei' | 'csv'

/** File extension of each format's output (brat writes a .txt/.ann pair per document). */
export const CORPUS_FORMAT_EXTENSIONS: Readonly<Record<CorpusFormat, string>> = {
  jsonl: '.jsonl',
  brat: '.ann',
  conll: '.conll',
  tei: '.xml',
  csv: '.csv'
}
