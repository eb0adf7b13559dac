// How a document's annotations travel from main to the window, over IPC and over HTTP alike:
// in columns rather than one object per span. A 5 MB document's 88,000 spans were 27 MB of
// JSON, mostly keys, the covered text again and the same annotator, dates and provenance on
// every span; the window spent most of an opening parsing it. Here each repeated value is
// sent once (a table of distinct values, referred to by index), offsets as small numbers, and
// the covered text only where it is not simply the document's text at the span.
import { asUtf16, type Annotation, type TextCheck } from './model'

export const PACKED_ANNOTATIONS_FORMAT = 'quire-packed-annotations-1'

export interface PackedAnnotations {
  format: typeof PACKED_ANNOTATIONS_FORMAT
  count: number
  ids: string[]
  /** Each span's start minus the one before's (the first's minus 0): small numbers for spans in text order. */
  startDeltas: number[]
  lengths: number[]
  /** Each distinct tag, annotator, date and provenance (as JSON) once; the columns below index it. */
  values: string[]
  tags: number[]
  annotators: number[]
  createdAt: number[]
  updatedAt: number[]
  provenance: number[]
  /** [span index, covered text] where the text is not the document's text at the span. */
  texts: [number, string][]
  notes: [number, string][]
  textChecks: [number, TextCheck][]
}

/** The annotations in columns; `text` is the document text their offsets refer to. */
export function packAnnotations(annotations: readonly Annotation[], text: string): PackedAnnotations {
  const values: string[] = []
  const indexOfValue = new Map<string, number>()
  const valueIndex = (value: string): number => {
    let index = indexOfValue.get(value)
    if (index === undefined) {
      index = values.length
      values.push(value)
      indexOfValue.set(value, index)
    }
    return index
  }
  const packed: PackedAnnotations = {
    format: PACKED_ANNOTATIONS_FORMAT,
    count: annotations.length,
    ids: [],
    startDeltas: [],
    lengths: [],
    values,
    tags: [],
    annotators: [],
    createdAt: [],
    updatedAt: [],
    provenance: [],
    texts: [],
    notes: [],
    textChecks: []
  }
  // Runs for every span of a 5 MB document on each opening: nothing allocated per span that
  // is not sent (no JSON of a plain provenance, no copy of the covered text to compare).
  const provenanceKeys = new Map<string, string>()
  const provenanceKey = (provenance: Annotation['provenance']): string => {
    if (provenance.detail !== undefined || provenance.annotators !== undefined || provenance.curator !== undefined) return JSON.stringify(provenance)
    let key = provenanceKeys.get(provenance.source)
    if (key === undefined) provenanceKeys.set(provenance.source, (key = JSON.stringify(provenance)))
    return key
  }
  let previousStart = 0
  for (let index = 0; index < annotations.length; index++) {
    const annotation = annotations[index] as Annotation
    packed.ids.push(annotation.id)
    packed.startDeltas.push(annotation.start - previousStart)
    previousStart = annotation.start
    packed.lengths.push(annotation.end - annotation.start)
    packed.tags.push(valueIndex(annotation.tag))
    packed.annotators.push(valueIndex(annotation.annotator))
    packed.createdAt.push(valueIndex(annotation.createdAt))
    packed.updatedAt.push(valueIndex(annotation.updatedAt))
    packed.provenance.push(valueIndex(provenanceKey(annotation.provenance)))
    const covers = annotation.text.length === annotation.end - annotation.start && text.startsWith(annotation.text, annotation.start)
    if (!covers) packed.texts.push([index, annotation.text])
    if (annotation.note !== undefined) packed.notes.push([index, annotation.note])
    if (annotation.textCheck !== undefined) packed.textChecks.push([index, annotation.textCheck])
  }
  return packed
}

/**
 * The annotations back as objects, equal to those packed. Spans with the same provenance share
 * one provenance object (annotations are replaced, never changed in place), which keeps the
 * window's heap small.
 */
export function unpackAnnotations(packed: PackedAnnotations, text: string): Annotation[] {
  if (packed.format !== PACKED_ANNOTATIONS_FORMAT) throw new Error(`Unknown annotation packing "${String(packed.format)}"`)
  const provenances = new Map<number, Annotation['provenance']>()
  const provenanceAt = (valueIndex: number): Annotation['provenance'] => {
    let provenance = provenances.get(valueIndex)
    if (provenance === undefined) {
      provenance = JSON.parse(packed.values[valueIndex] as string) as Annotation['provenance']
      provenances.set(valueIndex, provenance)
    }
    return provenance
  }
  const values = packed.values
  const annotations: Annotation[] = new Array<Annotation>(packed.count)
  let start = 0
  for (let index = 0; index < packed.count; index++) {
    start += packed.startDeltas[index] as number
    const end = start + (packed.lengths[index] as number)
    annotations[index] = {
      id: packed.ids[index] as string,
      start: asUtf16(start),
      end: asUtf16(end),
      tag: values[packed.tags[index] as number] as string,
      text: text.slice(start, end),
      annotator: values[packed.annotators[index] as number] as string,
      createdAt: values[packed.createdAt[index] as number] as string,
      updatedAt: values[packed.updatedAt[index] as number] as string,
      provenance: provenanceAt(packed.provenance[index] as number)
    }
  }
  for (const [index, covered] of packed.texts) (annotations[index] as Annotation).text = covered
  for (const [index, note] of packed.notes) (annotations[index] as Annotation).note = note
  for (const [index, textCheck] of packed.textChecks) (annotations[index] as Annotation).textCheck = textCheck
  return annotations
}
