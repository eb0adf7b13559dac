// The corpus formats, one module each; import from here.
import { EXPORT_FORMAT_EXTENSIONS, type ExportFormat } from '../../shared/annotation-formats'
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

export { exportDoccano, parseDoccano, type DoccanoParseOptions, type ParsedDoccanoDocument } from './doccano'
export { exportLabelStudio, parseLabelStudio, type LabelStudioParseOptions } from './label-studio'
export { parseProdigy, type ProdigyParseOptions } from './prodigy'
export { parseWebannoTsv, type ParsedTsvDocument, type TsvParseOptions } from './webanno-tsv'
export type { ForeignDocument } from './foreign-document'

/** The formats Quire writes: the API's own list (src/shared/annotation-formats.ts). */
export type CorpusFormat = ExportFormat

/** File extension of each format's output (brat writes a .txt/.ann pair per document). */
export const CORPUS_FORMAT_EXTENSIONS: Readonly<Record<CorpusFormat, string>> = EXPORT_FORMAT_EXTENSIONS
