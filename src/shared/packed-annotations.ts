// How a document's annotations travel from main to the window, over IPC and over HTTP alike:
// in columns rather than one object per span. A 5 MB document's 88,000 spans were 27 MB of
// JSON, mostly keys, the covered text again and the same annotator, dates and provenance on
// every span; the window spent most of an opening parsing it. Here each repeated value is
// sent once (a table of distinct values, referred to by index), offsets as small numbers, and
// the covered text only where it is not simply the document's text at the span. The numbers
// are one Int32Array, so an answer can carry them as bytes (src/shared/content-frame.ts): no
// JSON to write in main nor to parse in the window for 88,000 spans.
import { asUtf16, type Annotation, type TextCheck } from './model'
import { runToEnd } from '../core/stepwise'
import { StringTable } from './string-table'
import { ID_AS_TEXT, idAsNumbers, idFromNumbers } from './packed-ids'
import { DATE_AS_TIME, dateBaseOf, dateReader, fitsAfter, instantOfIsoDate } from './packed-dates'

export const PACKED_ANNOTATIONS_FORMAT = 'quire-packed-annotations-4'

/** The numbers kept per span, in this order, each column `count` long in `PackedAnnotations.columns`. */
export const PACKED_COLUMNS = [
  'startDeltas',
  'lengths',
  'tags',
  'annotators',
  // Each date in three (packed-dates.ts): its index in the values plus one when it travels as
  // text (0 when it travels as a time), then its seconds since dateBase and its milliseconds.
  'createdAt',
  'createdSeconds',
  'createdMilliseconds',
  'updatedAt',
  'updatedSeconds',
  'updatedMilliseconds',
  'provenance',
  'idForms',
  'idWord0',
  'idWord1',
  'idWord2',
  'idWord3'
] as const
const START_DELTAS = PACKED_COLUMNS.indexOf('startDeltas')
const LENGTHS = PACKED_COLUMNS.indexOf('lengths')
const TAGS = PACKED_COLUMNS.indexOf('tags')
const ANNOTATORS = PACKED_COLUMNS.indexOf('annotators')
/** Where each date's three columns begin. */
export const CREATED_AT = PACKED_COLUMNS.indexOf('createdAt')
export const UPDATED_AT = PACKED_COLUMNS.indexOf('updatedAt')
const PROVENANCE = PACKED_COLUMNS.indexOf('provenance')
const ID_FORMS = PACKED_COLUMNS.indexOf('idForms')
const ID_WORD_0 = PACKED_COLUMNS.indexOf('idWord0')

/** Separates the ids in `PackedAnnotations.ids`: annotation ids never hold it (ANNOTATION_ID_PATTERN in api-schemas.ts). */
const ID_SEPARATOR = ' '

export interface PackedAnnotations {
  format: typeof PACKED_ANNOTATIONS_FORMAT
  count: number
  /**
   * The ids in one string, separated by a space: one string to send and one split to read. An id
   * sent as numbers (a UUID: the idForms and idWord columns, packed-ids.ts) is empty here.
   */
  ids: string
  /**
   * PACKED_COLUMNS one after the other, `count` numbers each: each span's start minus the one
   * before's (the first's minus 0, small numbers for spans in text order; negative when out of
   * order), its length, then for its tag, annotator, dates and provenance an index into `values`,
   * then how its id travels and, for a UUID, the id's four 32-bit words (packed-ids.ts).
   */
  columns: Int32Array
  /** Each distinct tag, annotator, date sent as text and provenance (as JSON) once; the columns index it. */
  values: string[]
  /** The instant (ms since 1970) the dates sent as times count from (packed-dates.ts). */
  dateBase: number
  /** [span index, covered text] where the text is not the document's text at the span. */
  texts: [number, string][]
  notes: [number, string][]
  textChecks: [number, TextCheck][]
}

/** The annotations in columns; `text` is the document text their offsets refer to. */
export function packAnnotations(annotations: readonly Annotation[], text: string): PackedAnnotations {
  const table = new StringTable()
  const values = table.values
  const valueIndex = (value: string): number => table.index(value)
  const count = annotations.length
  const columns = new Int32Array(count * PACKED_COLUMNS.length)
  const ids = new Array<string>(count)
  const texts: PackedAnnotations['texts'] = []
  const notes: PackedAnnotations['notes'] = []
  const textChecks: PackedAnnotations['textChecks'] = []
  // Runs for every span of a 5 MB document on each opening: nothing allocated per span that
  // is not sent (no JSON of a plain provenance, no copy of the covered text to compare).
  const provenanceKeys = new Map<string, string>()
  const provenanceKey = (provenance: Annotation['provenance']): string => {
    if (provenance.detail !== undefined || provenance.annotators !== undefined || provenance.curator !== undefined) return JSON.stringify(provenance)
    let key = provenanceKeys.get(provenance.source)
    if (key === undefined) provenanceKeys.set(provenance.source, (key = JSON.stringify(provenance)))
    return key
  }
  // Each span's two instants (NaN for a date that is not written as toISOString writes it), to find the base first.
  const instants = new Float64Array(count * 2)
  for (let index = 0; index < count; index++) {
    const annotation = annotations[index] as Annotation
    instants[index * 2] = instantOfIsoDate(annotation.createdAt) ?? NaN
    instants[index * 2 + 1] = instantOfIsoDate(annotation.updatedAt) ?? NaN
  }
  const dateBase = dateBaseOf(instants.filter((instant) => !Number.isNaN(instant)))
  const packDate = (at: number, index: number, date: string, instant: number): void => {
    if (!fitsAfter(dateBase, instant)) {
      columns[at * count + index] = valueIndex(date) + 1
      return
    }
    const sinceBase = instant - dateBase
    columns[(at + 1) * count + index] = Math.floor(sinceBase / 1000)
    columns[(at + 2) * count + index] = sinceBase % 1000
  }
  let previousStart = 0
  for (let index = 0; index < annotations.length; index++) {
    const annotation = annotations[index] as Annotation
    if (annotation.id.includes(ID_SEPARATOR) || annotation.id === '') throw new Error(`Annotation id "${annotation.id}" cannot be sent: ids are letters, digits, "_" and "-"`)
    const idNumbers = idAsNumbers(annotation.id)
    if (idNumbers) {
      ids[index] = ''
      columns[ID_FORMS * count + index] = idNumbers.form
      for (let word = 0; word < 4; word++) columns[(ID_WORD_0 + word) * count + index] = idNumbers.words[word] as number
    } else ids[index] = annotation.id
    columns[START_DELTAS * count + index] = annotation.start - previousStart
    previousStart = annotation.start
    columns[LENGTHS * count + index] = annotation.end - annotation.start
    columns[TAGS * count + index] = valueIndex(annotation.tag)
    columns[ANNOTATORS * count + index] = valueIndex(annotation.annotator)
    packDate(CREATED_AT, index, annotation.createdAt, instants[index * 2] as number)
    packDate(UPDATED_AT, index, annotation.updatedAt, instants[index * 2 + 1] as number)
    columns[PROVENANCE * count + index] = valueIndex(provenanceKey(annotation.provenance))
    const covers = annotation.text.length === annotation.end - annotation.start && text.startsWith(annotation.text, annotation.start)
    if (!covers) texts.push([index, annotation.text])
    if (annotation.note !== undefined) notes.push([index, annotation.note])
    if (annotation.textCheck !== undefined) textChecks.push([index, annotation.textCheck])
  }
  return { format: PACKED_ANNOTATIONS_FORMAT, count, ids: ids.join(ID_SEPARATOR), columns, values, dateBase, texts, notes, textChecks }
}

/**
 * The annotations back as objects, equal to those packed. Spans with the same provenance share
 * one provenance object (annotations are replaced, never changed in place), which keeps the
 * window's heap small.
 */
export function unpackAnnotations(packed: PackedAnnotations, text: string): Annotation[] {
  return runToEnd(unpackAnnotationsInSteps(packed, text))
}

/**
 * How many spans unpackAnnotationsInSteps makes between two chances to stop: a few milliseconds
 * while the code is still cold at an open (at 2,048, the 100 KB start's 1,741 spans were one task
 * of 20–40 ms, the open's longest freeze).
 */
const UNPACK_STEP_SPANS = 256

/**
 * unpackAnnotations a slice at a time: yields after every UNPACK_STEP_SPANS spans, so the window
 * can unpack a layer (one under LAYER_IN_COLUMNS_FROM spans; longer ones stay in columns) in tasks short enough not to freeze it.
 */
export function* unpackAnnotationsInSteps(packed: PackedAnnotations, text: string): Generator<void, Annotation[]> {
  if (packed.format !== PACKED_ANNOTATIONS_FORMAT) throw new Error(`Unknown annotation packing "${String(packed.format)}"`)
  const count = packed.count
  const { columns } = packed
  if (columns.length !== count * PACKED_COLUMNS.length) throw new Error(`Packed annotations hold ${columns.length} numbers for ${count} spans`)
  const ids = count === 0 ? [] : packed.ids.split(ID_SEPARATOR)
  if (ids.length !== count) throw new Error(`Packed annotations hold ${ids.length} ids for ${count} spans`)
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
  const dateAt = packedDateReader(packed)
  const annotations: Annotation[] = new Array<Annotation>(count)
  let start = 0
  for (let index = 0; index < count; index++) {
    start += columns[START_DELTAS * count + index] as number
    const end = start + (columns[LENGTHS * count + index] as number)
    const form = columns[ID_FORMS * count + index] as number
    annotations[index] = {
      id: form === ID_AS_TEXT ? (ids[index] as string) : idOfNumbers(columns, count, index, form),
      start: asUtf16(start),
      end: asUtf16(end),
      tag: values[columns[TAGS * count + index] as number] as string,
      text: text.slice(start, end),
      annotator: values[columns[ANNOTATORS * count + index] as number] as string,
      createdAt: dateAt(CREATED_AT, index),
      updatedAt: dateAt(UPDATED_AT, index),
      provenance: provenanceAt(columns[PROVENANCE * count + index] as number)
    }
    if (index % UNPACK_STEP_SPANS === UNPACK_STEP_SPANS - 1) yield
  }
  for (let index = 0; index < count; index++) {
    const form = columns[ID_FORMS * count + index] as number
    if ((form === ID_AS_TEXT) !== ((ids[index] as string) !== '')) throw new Error(`Packed annotations hold ${form === ID_AS_TEXT ? 'an empty id' : 'both an id and its numbers'} for span ${index}`)
  }
  for (const [index, covered] of packed.texts) (annotations[index] as Annotation).text = covered
  for (const [index, note] of packed.notes) (annotations[index] as Annotation).note = note
  for (const [index, textCheck] of packed.textChecks) (annotations[index] as Annotation).textCheck = textCheck
  return annotations
}

/**
 * Reads span `place`'s date from the three columns starting at CREATED_AT or UPDATED_AT, as it
 * was packed; throws on a packing whose dates cannot be read.
 */
export function packedDateReader(packed: PackedAnnotations): (at: number, place: number) => string {
  if (typeof packed.dateBase !== 'number' || !Number.isFinite(packed.dateBase)) throw new Error(`Packed annotations count their dates from "${String(packed.dateBase)}"`)
  const { columns, count, values } = packed
  const readTime = dateReader(packed.dateBase)
  return (at, place) => {
    const asText = columns[at * count + place] as number
    if (asText === DATE_AS_TIME) return readTime(columns[(at + 1) * count + place] as number, columns[(at + 2) * count + place] as number)
    const date = values[asText - 1]
    if (date === undefined) throw new Error(`Packed annotations name date ${asText - 1} of ${values.length} values for span ${place}`)
    return date
  }
}

/** The id of span `index` sent as numbers (packed-ids.ts). */
export function idOfNumbers(columns: Int32Array, count: number, index: number, form: number): string {
  // The four words read in place: a reader drawing a scroll's spans makes thousands of ids a second.
  const at = ID_WORD_0 * count + index
  return idFromNumbers(form, columns[at] as number, columns[at + count] as number, columns[at + 2 * count] as number, columns[at + 3 * count] as number)
}
