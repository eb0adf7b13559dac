// The one list of annotation formats Quire reads and writes, with what main, the renderer, the
// CLI and the tests say about each: its name, whether it is another tool's, and how a file is
// recognised. (Each format's offset unit is in its reader, src/core/formats, and the README.)
// Extensions decide, except .jsonl, which three tools write: the first line's keys tell
// Quire's own JSONL ("id" and "spans"), Prodigy's ("spans" with "answer" or Prodigy's hashes,
// or no "id") and doccano's ("label" or "entities") apart.

export type AnnotationImportFormat = 'brat' | 'conll' | 'jsonl' | 'doccano' | 'label-studio' | 'webanno-tsv' | 'prodigy'
export const ANNOTATION_IMPORT_FORMATS: readonly AnnotationImportFormat[] = ['brat', 'conll', 'jsonl', 'doccano', 'label-studio', 'webanno-tsv', 'prodigy']

export interface AnnotationFormatInfo {
  /** Short name: file lists, CLI messages. */
  name: string
  /** What the format chooser says. */
  description: string
  /** Another tool's export: its texts are placed on documents by annotation-import-foreign.ts. */
  foreign: boolean
}

export const ANNOTATION_FORMAT_INFO: Readonly<Record<AnnotationImportFormat, AnnotationFormatInfo>> = {
  brat: { name: 'brat', description: 'brat standoff (.ann with its .txt)', foreign: false },
  conll: { name: 'CoNLL', description: 'CoNLL (IOB1, IOB2 or BIOES)', foreign: false },
  jsonl: { name: 'JSONL', description: 'Quire JSONL', foreign: false },
  doccano: { name: 'doccano', description: 'doccano JSONL (.jsonl)', foreign: true },
  'label-studio': { name: 'Label Studio', description: 'Label Studio JSON export (.json)', foreign: true },
  'webanno-tsv': { name: 'WebAnno TSV', description: 'INCEpTION / WebAnno TSV 3 (.tsv)', foreign: true },
  prodigy: { name: 'Prodigy', description: 'Prodigy / spaCy JSONL (.jsonl)', foreign: true }
}

const ANNOTATION_IMPORT_FORMAT_BY_EXTENSION: Readonly<Record<string, AnnotationImportFormat>> = {
  ann: 'brat',
  jsonl: 'jsonl',
  ndjson: 'jsonl',
  conll: 'conll',
  conll2003: 'conll',
  iob: 'conll',
  iob1: 'conll',
  iob2: 'conll',
  bio: 'conll',
  bioes: 'conll',
  json: 'label-studio',
  tsv: 'webanno-tsv'
}

/** File extensions (without the dot) that name an annotation format. */
export const ANNOTATION_IMPORT_EXTENSIONS: readonly string[] = Object.keys(ANNOTATION_IMPORT_FORMAT_BY_EXTENSION)

/** The annotation format a file name says; a Quire export's manifest.json names none (it travels with brat and CoNLL exports). */
export function annotationImportFormatOf(fileName: string): AnnotationImportFormat | null {
  if (/(^|[./\\])manifest\.json$/i.test(fileName)) return null
  const extension = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? ''
  return Object.hasOwn(ANNOTATION_IMPORT_FORMAT_BY_EXTENSION, extension) ? (ANNOTATION_IMPORT_FORMAT_BY_EXTENSION[extension] ?? null) : null
}

/** The format of a file by its name and, for JSON Lines, its first line (main imports by this; the dialog shows it beforehand). */
export function annotationImportFormatOfFile(file: { name: string; bytes: Uint8Array }): AnnotationImportFormat | null {
  const byName = annotationImportFormatOf(file.name)
  return byName === 'jsonl' ? jsonLinesFormat(file.bytes) : byName
}

const PRODIGY_KEYS = ['answer', '_input_hash', '_task_hash', '_annotator_id', '_session_id', 'tokens']

function jsonLinesFormat(bytes: Uint8Array): AnnotationImportFormat {
  let record: unknown
  try {
    const content = new TextDecoder('utf-8').decode(bytes.subarray(0, firstLineEnd(bytes)))
    record = JSON.parse(content.replace(/^\uFEFF/, ''))
  } catch {
    return 'jsonl'
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return 'jsonl'
  const has = (key: string): boolean => Object.hasOwn(record, key)
  if (has('spans')) return PRODIGY_KEYS.some(has) || !has('id') ? 'prodigy' : 'jsonl'
  if (has('label') || has('entities')) return 'doccano'
  return 'jsonl'
}

/** Where the first non-blank line ends. */
function firstLineEnd(bytes: Uint8Array): number {
  let start = 0
  for (;;) {
    const end = bytes.indexOf(0x0a, start)
    if (end === -1) return bytes.length
    for (let index = start; index < end; index++) {
      const byte = bytes[index] as number
      if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return end
    }
    start = end + 1
  }
}

/** Corpus formats Quire writes (src/core/formats). brat and TEI write a folder, the rest one file. */
export type ExportFormat = 'jsonl' | 'brat' | 'conll' | 'tei' | 'csv' | 'doccano' | 'label-studio'
export const EXPORT_FORMATS: readonly ExportFormat[] = ['jsonl', 'brat', 'conll', 'tei', 'csv', 'doccano', 'label-studio']
/** Formats whose destination is a folder (one file or file pair per document). */
export const FOLDER_EXPORT_FORMATS: readonly ExportFormat[] = ['brat', 'tei']
/** The extension of each format's output file (brat and TEI: of the files in the folder). */
export const EXPORT_FORMAT_EXTENSIONS: Readonly<Record<ExportFormat, string>> = {
  jsonl: '.jsonl',
  brat: '.ann',
  conll: '.conll',
  tei: '.xml',
  csv: '.csv',
  doccano: '.jsonl',
  'label-studio': '.json'
}
