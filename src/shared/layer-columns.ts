// A long layer kept in the window as it arrived packed (packed-annotations.ts): offsets and tags
// in typed arrays, the ids as they came (numbers, packed-ids.ts, or text), and an Annotation object made only
// for a span someone asks for (the reader's blocks on screen, the panel's first rows, an edit).
// A 5 MB document's 88,000 spans made objects (each with its id and covered text) were ~8 MB of
// young objects in the window; the next minor GC copied all of them in one pause of ~45 ms on a
// slow machine, landing in whatever task came next: the opening's longest freeze. Typed arrays
// live outside the JS heap, and objects made for a screen of spans die young, which costs a
// minor GC nothing.
import { asUtf16, type Annotation, type TextCheck } from './model'
import { CREATED_AT, idOfNumbers, PACKED_ANNOTATIONS_FORMAT, PACKED_COLUMNS, packedDateReader, UPDATED_AT, type PackedAnnotations } from './packed-annotations'
import { ID_AS_TEXT, idAsNumbers } from './packed-ids'
import { IdSlots } from '../core/id-slots'
import { firstNotBeforeWhere } from '../core/span-index'
import { runToEnd } from '../core/stepwise'

/** From this many spans a layer arriving packed stays in columns in the window (a 300 KB text's spans). */
export const LAYER_IN_COLUMNS_FROM = 5000

const START_DELTAS = PACKED_COLUMNS.indexOf('startDeltas')
const LENGTHS = PACKED_COLUMNS.indexOf('lengths')
const TAGS = PACKED_COLUMNS.indexOf('tags')
const ANNOTATORS = PACKED_COLUMNS.indexOf('annotators')
const PROVENANCE = PACKED_COLUMNS.indexOf('provenance')
const ID_FORMS = PACKED_COLUMNS.indexOf('idForms')
const ID_WORD_0 = PACKED_COLUMNS.indexOf('idWord0')

/** Spans handled between two chances to stop while a layer is read (~1 ms of work). */
const STEP_SPANS = 8192
/** Spans per block of the range query: a block whose spans all end before a range is skipped whole. */
const BLOCK_BITS = 5

/** What the reader draws of a span (an Annotation is one too). */
export type SpanToDraw = Pick<Annotation, 'id' | 'start' | 'end' | 'tag' | 'annotator' | 'note' | 'textCheck'>

/**
 * A layer's spans in compareSpans order (by start, the longer first, then by id), each known
 * by its rank in that order. Read-only: a session's changes are kept beside it (layer-spans.ts).
 */
export class LayerColumns {
  readonly count: number
  /** The text the offsets refer to. */
  readonly text: string
  readonly #packed: PackedAnnotations
  readonly #dateAt: (at: number, place: number) => string
  /** Each rank's start and end. */
  readonly #starts: Int32Array
  readonly #ends: Int32Array
  /** Each rank's place in the packed columns; null when the layer arrived in order (rank = place). */
  readonly #places: Int32Array | null
  /** Where each place's id begins in `packed.ids` (one more entry: the end of the string plus one). */
  readonly #idFrom: Int32Array
  /** The largest end in each block of 2^BLOCK_BITS ranks. */
  readonly #blockMaxEnds: Int32Array
  /** The longest span's length: no span starting before a range's start minus this reaches it. */
  readonly #longest: number
  /** The ranks of each tag's spans, in order; tags in the order first met. */
  readonly #ranksByTag: Map<string, Int32Array>
  readonly #texts: Map<number, string>
  readonly #notes: Map<number, string>
  readonly #textChecks: Map<number, TextCheck>
  readonly #provenances = new Map<number, Annotation['provenance']>()
  /** Each id's rank: built after the first screen is painted (idsInSteps), or at the first call that needs it. */
  #rankById: IdTables | null = null
  #idsBuild: Generator<void, IdTables> | null = null
  /** Ranks whose id a later span of the layer repeats (a damaged layer): the later one counts, as a map by id would keep it. */
  #shadowed: number[] = []

  private constructor(fields: {
    packed: PackedAnnotations
    text: string
    starts: Int32Array
    ends: Int32Array
    places: Int32Array | null
    idFrom: Int32Array
    blockMaxEnds: Int32Array
    longest: number
    ranksByTag: Map<string, Int32Array>
  }) {
    this.#packed = fields.packed
    this.#dateAt = packedDateReader(fields.packed)
    this.count = fields.packed.count
    this.text = fields.text
    this.#starts = fields.starts
    this.#ends = fields.ends
    this.#places = fields.places
    this.#idFrom = fields.idFrom
    this.#blockMaxEnds = fields.blockMaxEnds
    this.#longest = fields.longest
    this.#ranksByTag = fields.ranksByTag
    this.#texts = new Map(fields.packed.texts)
    this.#notes = new Map(fields.packed.notes)
    this.#textChecks = new Map(fields.packed.textChecks)
  }

  /** A packed layer read at once (see readInSteps). */
  static read(packed: PackedAnnotations, text: string): LayerColumns {
    return runToEnd(LayerColumns.readInSteps(packed, text))
  }

  /** Reads a packed layer a slice at a time; throws, as unpacking does, on columns that do not add up. */
  static *readInSteps(packed: PackedAnnotations, text: string): Generator<void, LayerColumns> {
    if (packed.format !== PACKED_ANNOTATIONS_FORMAT) throw new Error(`Unknown annotation packing "${String(packed.format)}"`)
    const count = packed.count
    const columns = packed.columns
    if (columns.length !== count * PACKED_COLUMNS.length) throw new Error(`Packed annotations hold ${columns.length} numbers for ${count} spans`)
    const idFrom = new Int32Array(count + 1)
    const ids = packed.ids
    let at = 0
    for (let place = 0; place < count; place++) {
      idFrom[place] = at
      const space = ids.indexOf(' ', at)
      if (space < 0 ? place !== count - 1 : place === count - 1) throw new Error(`Packed annotations hold ${countIds(ids)} ids for ${count} spans`)
      // Empty where the id travels as numbers (packed-ids.ts), and only there.
      const empty = space === at || (space < 0 && at >= ids.length)
      if (empty !== ((columns[ID_FORMS * count + place] as number) !== ID_AS_TEXT)) throw new Error(`Packed annotations hold ${empty ? 'an empty id' : 'both an id and its numbers'} for span ${place}`)
      at = space < 0 ? ids.length + 1 : space + 1
      if (place % STEP_SPANS === STEP_SPANS - 1) yield
    }
    idFrom[count] = count === 0 ? 0 : ids.length + 1
    if (count === 0 && ids !== '') throw new Error(`Packed annotations hold ids for no spans`)
    const starts = new Int32Array(count)
    const ends = new Int32Array(count)
    const idOfPlace = (place: number): string => idAtPlace(packed, idFrom, place)
    let start = 0
    let inOrder = true
    for (let place = 0; place < count; place++) {
      start += columns[START_DELTAS * count + place] as number
      const length = columns[LENGTHS * count + place] as number
      if (length < 0 || start < 0) throw new RangeError(`span "${ids.slice(idFrom[place], (idFrom[place + 1] as number) - 1)}" has invalid offsets ${start}..${start + length}`)
      starts[place] = start
      ends[place] = start + length
      if (inOrder && place > 0) inOrder = compareAt(starts, ends, idOfPlace, place - 1, place) <= 0
      if (place % STEP_SPANS === STEP_SPANS - 1) yield
    }
    let places: Int32Array | null = null
    let rankStarts = starts
    let rankEnds = ends
    if (!inOrder) {
      // A stored layer is nearly in order; a layer from elsewhere may not be. One sort, rare.
      const order = Array.from({ length: count }, (_, place) => place).sort((a, b) => compareAt(starts, ends, idOfPlace, a, b))
      places = Int32Array.from(order)
      rankStarts = new Int32Array(count)
      rankEnds = new Int32Array(count)
      for (let rank = 0; rank < count; rank++) {
        rankStarts[rank] = starts[places[rank] as number] as number
        rankEnds[rank] = ends[places[rank] as number] as number
      }
      yield
    }
    const blockMaxEnds = new Int32Array((count >> BLOCK_BITS) + 1)
    let longest = 0
    for (let rank = 0; rank < count; rank++) {
      const block = rank >> BLOCK_BITS
      const end = rankEnds[rank] as number
      if (end > (blockMaxEnds[block] as number)) blockMaxEnds[block] = end
      if (end - (rankStarts[rank] as number) > longest) longest = end - (rankStarts[rank] as number)
    }
    // Each tag's ranks: counted, then placed, in rank order (so each list is in order too).
    const tagCounts = new Int32Array(packed.values.length)
    const tagOfRank = (rank: number): number => columns[TAGS * count + (places === null ? rank : (places[rank] as number))] as number
    for (let rank = 0; rank < count; rank++) {
      const tag = tagOfRank(rank)
      tagCounts[tag] = (tagCounts[tag] as number) + 1
    }
    const lists = new Map<number, { ranks: Int32Array; filled: number }>()
    for (let rank = 0; rank < count; rank++) {
      const tag = tagOfRank(rank)
      let list = lists.get(tag)
      if (!list) lists.set(tag, (list = { ranks: new Int32Array(tagCounts[tag] as number), filled: 0 }))
      list.ranks[list.filled++] = rank
      if (rank % STEP_SPANS === STEP_SPANS - 1) yield
    }
    const ranksByTag = new Map<string, Int32Array>()
    for (const [tag, list] of lists) ranksByTag.set(packed.values[tag] as string, list.ranks)
    return new LayerColumns({ packed, text, starts: rankStarts, ends: rankEnds, places, idFrom, blockMaxEnds, longest, ranksByTag })
  }

  startAt(rank: number): number {
    return this.#starts[rank] as number
  }

  endAt(rank: number): number {
    return this.#ends[rank] as number
  }

  idAt(rank: number): string {
    return idAtPlace(this.#packed, this.#idFrom, this.#placeOf(rank))
  }

  tagAt(rank: number): string {
    return this.#packed.values[this.#packed.columns[TAGS * this.count + this.#placeOf(rank)] as number] as string
  }

  /** The span at `rank` as an Annotation: a new object on each call (annotations are replaced, never changed in place). */
  annotationAt(rank: number): Annotation {
    const place = this.#placeOf(rank)
    const { columns, values } = this.#packed
    const count = this.count
    const start = this.#starts[rank] as number
    const end = this.#ends[rank] as number
    const annotation: Annotation = {
      id: this.idAt(rank),
      start: asUtf16(start),
      end: asUtf16(end),
      tag: values[columns[TAGS * count + place] as number] as string,
      text: this.#texts.get(place) ?? this.text.slice(start, end),
      annotator: values[columns[ANNOTATORS * count + place] as number] as string,
      createdAt: this.#dateAt(CREATED_AT, place),
      updatedAt: this.#dateAt(UPDATED_AT, place),
      provenance: this.#provenanceAt(columns[PROVENANCE * count + place] as number)
    }
    return this.#withNoteAndCheck(annotation, place)
  }

  /**
   * The span at `rank` with what the reader draws of it: no text, dates or provenance. A scroll
   * through a long layer makes one for every span it brings into view; annotationAt's dates,
   * text and larger object were some 3 of the 54 MB such a scroll allocated.
   */
  spanToDrawAt(rank: number): SpanToDraw {
    const place = this.#placeOf(rank)
    const { columns, values } = this.#packed
    const count = this.count
    const span: SpanToDraw = {
      id: this.idAt(rank),
      start: asUtf16(this.#starts[rank] as number),
      end: asUtf16(this.#ends[rank] as number),
      tag: values[columns[TAGS * count + place] as number] as string,
      annotator: values[columns[ANNOTATORS * count + place] as number] as string
    }
    return this.#withNoteAndCheck(span, place)
  }

  /** The span with the note and text check packed at `place`, when it has them (absent otherwise, not undefined). */
  #withNoteAndCheck<T extends SpanToDraw>(span: T, place: number): T {
    const note = this.#notes.get(place)
    if (note !== undefined) span.note = note
    const textCheck = this.#textChecks.get(place)
    if (textCheck !== undefined) span.textCheck = textCheck
    return span
  }

  /** Every span as an object, in order: for a pass over the whole layer. */
  annotations(): Annotation[] {
    return Array.from({ length: this.count }, (_, rank) => this.annotationAt(rank))
  }

  /** The ranks of the spans sharing a character with [from, to) (an empty range: covering `from`), in order. */
  ranksOverlapping(from: number, to: number): number[] {
    const rangeEnd = Math.max(to, from + 1)
    const ends = this.#ends
    // From the first rank that can reach the range (none is longer than the longest) to the
    // first starting at or after its end; in between, a block of spans all ending before the
    // range is skipped whole.
    const first = this.#firstStartingFrom(from - this.#longest)
    const last = this.#firstStartingFrom(rangeEnd)
    const found: number[] = []
    const blockMaxEnds = this.#blockMaxEnds
    for (let block = first >> BLOCK_BITS; block << BLOCK_BITS < last; block++) {
      if ((blockMaxEnds[block] as number) <= from) continue
      const blockEnd = Math.min(last, (block + 1) << BLOCK_BITS)
      for (let rank = Math.max(first, block << BLOCK_BITS); rank < blockEnd; rank++) if ((ends[rank] as number) > from) found.push(rank)
    }
    return found
  }

  /** The first rank whose span starts at or after `offset` (count when none does). */
  #firstStartingFrom(offset: number): number {
    return firstNotBeforeWhere(this.#starts, (start) => start < offset)
  }

  /** Each tag with spans, in the order first met in the layer. */
  tags(): string[] {
    return [...this.#ranksByTag.keys()]
  }

  /** The ranks of the tag's spans, in order (read, never change). */
  ranksOfTag(tag: string): Int32Array {
    return this.#ranksByTag.get(tag) ?? EMPTY_RANKS
  }

  /** The rank of the span with this id (the last one, in a damaged layer repeating it). */
  rankOf(id: string): number | undefined {
    const tables = this.#ids()
    const numbers = idAsNumbers(id)
    return numbers ? tables.numbers.get(numbers.form, numbers.words) : tables.text.get(id)
  }

  /** Ranks another span of the layer repeats the id of (a damaged layer); known once the ids are (idsInSteps). */
  get shadowedRanks(): readonly number[] {
    this.#ids()
    return this.#shadowed
  }

  /** True once every id's rank is known. */
  get idsKnown(): boolean {
    return this.#rankById !== null
  }

  /**
   * Learns every id's rank a slice at a time; true once done. Ids are looked up only for a
   * change or a click, so a long layer's first screen is painted before this runs.
   */
  learnIdsStep(): boolean {
    if (this.#rankById) return true
    this.#idsBuild ??= this.#idsInSteps()
    const step = this.#idsBuild.next()
    if (step.done) this.#rankById = step.value
    return step.done === true
  }

  #ids(): IdTables {
    while (!this.learnIdsStep());
    return this.#rankById as IdTables
  }

  *#idsInSteps(): Generator<void, IdTables> {
    const { columns, count } = this.#packed
    const forms = columns.subarray(ID_FORMS * count, (ID_FORMS + 1) * count)
    let textIds = 0
    for (let place = 0; place < count; place++) if (forms[place] === ID_AS_TEXT) textIds++
    const slots = new IdSlots((rank) => this.idAt(rank))
    slots.reserve(textIds)
    const numbers = new NumberIds(columns, count, count - textIds, (rank) => this.#placeOf(rank))
    // In the packed order: a repeated id goes to the span packed later, as a map filled in that order keeps it.
    const places = this.#places
    const rankOfPlace = places === null ? null : new Int32Array(this.count)
    if (places !== null && rankOfPlace !== null) for (let rank = 0; rank < this.count; rank++) rankOfPlace[places[rank] as number] = rank
    for (let place = 0; place < this.count; place++) {
      const rank = rankOfPlace === null ? place : (rankOfPlace[place] as number)
      let earlier: number | undefined
      if (forms[place] === ID_AS_TEXT) {
        const id = this.idAt(rank)
        earlier = slots.get(id)
        slots.set(id, rank)
      } else earlier = numbers.set(rank)
      if (earlier !== undefined) this.#shadowed.push(earlier)
      if (place % STEP_SPANS === STEP_SPANS - 1) yield
    }
    return { text: slots, numbers }
  }

  #placeOf(rank: number): number {
    return this.#places === null ? rank : (this.#places[rank] as number)
  }

  #provenanceAt(valueIndex: number): Annotation['provenance'] {
    let provenance = this.#provenances.get(valueIndex)
    if (provenance === undefined) {
      provenance = JSON.parse(this.#packed.values[valueIndex] as string) as Annotation['provenance']
      this.#provenances.set(valueIndex, provenance)
    }
    return provenance
  }
}

const EMPTY_RANKS = new Int32Array(0)

/** A layer's ids by rank: those sent as text, and those sent as numbers (packed-ids.ts). */
interface IdTables {
  text: IdSlots
  numbers: NumberIds
}

/**
 * The ranks of the spans whose ids travelled as numbers, by those numbers: an open-addressing
 * table of ranks in one Int32Array, the numbers read from the packed columns. No id is made a
 * string to learn them (a string per id was ~10 short-lived strings of formatting each).
 */
class NumberIds {
  readonly #columns: Int32Array
  readonly #count: number
  readonly #placeOf: (rank: number) => number
  readonly #places: Int32Array
  readonly #mask: number

  constructor(columns: Int32Array, count: number, capacity: number, placeOf: (rank: number) => number) {
    this.#columns = columns
    this.#count = count
    this.#placeOf = placeOf
    let size = 16
    while (size < capacity * 2) size *= 2
    this.#places = new Int32Array(size).fill(-1)
    this.#mask = size - 1
  }

  /**
   * Adds the rank's id; returns the rank that had the same id (now replaced), if any. The words
   * go to #find one by one, not as an array: an array per span was half of what a 5 MB opening
   * allocated (5 MB of its 10.7, in a sampling heap profile), garbage the young generation's
   * collections then stopped the window for while the layer's ids were learnt.
   */
  set(rank: number): number | undefined {
    const place = this.#placeOf(rank)
    const at = this.#find(
      this.#word(ID_FORMS, place),
      this.#word(ID_WORD_0, place),
      this.#word(ID_WORD_0 + 1, place),
      this.#word(ID_WORD_0 + 2, place),
      this.#word(ID_WORD_0 + 3, place)
    )
    const earlier = this.#places[at] as number
    this.#places[at] = rank
    return earlier === -1 ? undefined : earlier
  }

  get(form: number, words: readonly [number, number, number, number]): number | undefined {
    const rank = this.#places[this.#find(form, words[0], words[1], words[2], words[3])] as number
    return rank === -1 ? undefined : rank
  }

  /** The table place holding this id's rank, or the empty place where it would go. */
  #find(form: number, word0: number, word1: number, word2: number, word3: number): number {
    let at = (Math.imul(word0 ^ Math.imul(word1, 0x9e3779b1) ^ Math.imul(word2, 0x85ebca6b) ^ Math.imul(word3, 0xc2b2ae35), 0x27d4eb2f) ^ form) & this.#mask
    for (;;) {
      const rank = this.#places[at] as number
      if (rank === -1) return at
      const place = this.#placeOf(rank)
      if (
        this.#word(ID_FORMS, place) === form &&
        this.#word(ID_WORD_0, place) === word0 &&
        this.#word(ID_WORD_0 + 1, place) === word1 &&
        this.#word(ID_WORD_0 + 2, place) === word2 &&
        this.#word(ID_WORD_0 + 3, place) === word3
      )
        return at
      at = (at + 1) & this.#mask
    }
  }

  #word(column: number, place: number): number {
    return this.#columns[column * this.#count + place] as number
  }
}

function countIds(ids: string): number {
  return ids === '' ? 0 : ids.split(' ').length
}

/** The id at a place of the packed columns: from the ids string, or made from its numbers. */
function idAtPlace(packed: PackedAnnotations, idFrom: Int32Array, place: number): string {
  const form = packed.columns[ID_FORMS * packed.count + place] as number
  if (form !== ID_AS_TEXT) return idOfNumbers(packed.columns, packed.count, place, form)
  return packed.ids.slice(idFrom[place], (idFrom[place + 1] as number) - 1)
}

/** compareSpans for two places of the packed columns; the ids (made strings) only for spans with the same offsets. */
function compareAt(starts: Int32Array, ends: Int32Array, idAt: (place: number) => string, a: number, b: number): number {
  const startA = starts[a] as number
  const startB = starts[b] as number
  if (startA !== startB) return startA - startB
  const endA = ends[a] as number
  const endB = ends[b] as number
  if (endA !== endB) return endB - endA
  const idA = idAt(a)
  const idB = idAt(b)
  return idA < idB ? -1 : idA > idB ? 1 : 0
}
