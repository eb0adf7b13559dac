// Reading other tools' exports (doccano, Label Studio, Prodigy, INCEpTION/WebAnno TSV 3) into
// an ImportPlan. Each file carries its texts: a text is matched to the project's document with
// the same SHA-256, else becomes a new document. A WebAnno TSV file carries its sentences but
// not what lies between them, so it first goes to a project document holding every sentence at
// its offset (the document it was exported from), else to the text INCEpTION itself rebuilds.
import { parseDoccano } from '../../core/formats/doccano'
import type { ForeignDocument } from '../../core/formats/foreign-document'
import { parseLabelStudio } from '../../core/formats/label-studio'
import { parseProdigy } from '../../core/formats/prodigy'
import type { ParseResult } from '../../core/formats/types'
import { parseWebannoTsv, type TsvSentence } from '../../core/formats/webanno-tsv'
import { fileStem } from '../../core/formats/foreign-document'
import type { DocumentRecord } from '../../shared/model'
import { ANNOTATION_FORMAT_INFO, type AnnotationImportFormat } from '../../shared/annotation-formats'
import type { ImportPlan } from './annotation-import-plan'
import { addSpans, decodeAnnotationFile, type NamedBytes } from './annotation-import-readers'

export type ForeignImportFormat = Extract<AnnotationImportFormat, 'doccano' | 'label-studio' | 'prodigy' | 'webanno-tsv'>

export function isForeignImportFormat(format: AnnotationImportFormat): format is ForeignImportFormat {
  return ANNOTATION_FORMAT_INFO[format].foreign
}

/** The project's documents with their texts, read once per import when a TSV file needs them. */
export type ProjectTexts = () => Promise<{ record: DocumentRecord; text: string }[]>

export async function readForeignFile(
  plan: ImportPlan,
  format: ForeignImportFormat,
  file: NamedBytes,
  context: { defaultAnnotator: string; projectTexts: ProjectTexts }
): Promise<void> {
  const content = decodeAnnotationFile(plan, file)
  if (content === null) return
  if (format === 'webanno-tsv') {
    await readWebannoTsv(plan, file, content, context)
    return
  }
  const parsed: ParseResult<(ForeignDocument & { annotator?: string })[]> =
    format === 'doccano' ? parseDoccano(content, { file: file.name }) : format === 'label-studio' ? parseLabelStudio(content, { file: file.name }) : parseProdigy(content, { file: file.name })
  report(plan, parsed)
  for (const document of parsed.value) {
    const planned = await plan.documentForText(document.text, { name: document.name, originalFileName: file.name, encoding: 'utf-8' }, file.name, document.line)
    if (planned !== null) addSpans(plan, planned, document.spans, file.name, document.annotator ?? context.defaultAnnotator)
  }
}

function report(plan: ImportPlan, parsed: ParseResult<unknown>): void {
  for (const error of parsed.errors) plan.error(error.file, error.line, error.message)
  for (const warning of parsed.warnings) plan.warn(warning.file, warning.line, warning.message)
}

async function readWebannoTsv(plan: ImportPlan, file: NamedBytes, content: string, context: { defaultAnnotator: string; projectTexts: ProjectTexts }): Promise<void> {
  const parsed = parseWebannoTsv(content, { file: file.name })
  report(plan, parsed)
  const document = parsed.value[0]
  if (document === undefined) return
  const holders = (await context.projectTexts()).filter(({ text }) => holdsSentences(text, document.sentences))
  // Several documents may hold the same sentences (a text and a longer version of it): the one named like the file wins.
  const stem = fileStem(file.name)
  const match = holders.length === 1 ? holders[0] : holders.find(({ record }) => record.name === stem)
  const planned =
    match !== undefined
      ? await plan.existingDocument(match.record, file.name)
      : await plan.documentForText(document.text, { name: document.name, originalFileName: file.name, encoding: 'utf-8' }, file.name, 1)
  if (planned === null) return
  if (match !== undefined) {
    // The spans' offsets are those of the project's text, which holds every sentence where the file says.
    addSpans(plan, planned, document.spans.map((span) => ({ ...span, text: planned.text.slice(span.start, span.end) })), file.name, context.defaultAnnotator)
  } else addSpans(plan, planned, document.spans, file.name, context.defaultAnnotator)
}

function holdsSentences(text: string, sentences: readonly TsvSentence[]): boolean {
  return sentences.every((sentence) => text.startsWith(sentence.text, sentence.start))
}
