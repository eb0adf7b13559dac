// Which documents the document list shows, and in what order: a name filter, review-state and
// annotator-progress filters, and five sorts. Built for 100,000 documents: everything that does
// not depend on the query (lower-cased names, each sort's order) is computed once per list, so
// a keystroke in the filter is one pass over precomputed strings and no sort.
import { isCurationLayer, type DocumentReviewState, type DocumentStatus, type DocumentSummary } from '../../shared/model'
import { runInSlices, runToEnd } from '../stepwise'

export type DocumentSortKey = 'name' | 'size' | 'status' | 'last-change' | 'spans'
export const DOCUMENT_SORT_KEYS: readonly DocumentSortKey[] = ['name', 'size', 'status', 'last-change', 'spans']

/** Each sort's natural direction: names A–Z, the rest with what needs attention or is biggest first. */
export const DOCUMENT_SORT_LABELS: Readonly<Record<DocumentSortKey, string>> = {
  name: 'Name (A–Z)',
  size: 'Size (largest first)',
  status: 'Your status (in progress first)',
  'last-change': 'Last change (newest first)',
  spans: 'Your spans (most first)'
}

/** The same sorts reversed: the choice says the order the list shows, with the ⇅ button pressed or not. */
export const REVERSED_DOCUMENT_SORT_LABELS: Readonly<Record<DocumentSortKey, string>> = {
  name: 'Name (Z–A)',
  size: 'Size (smallest first)',
  status: 'Your status (done first)',
  'last-change': 'Last change (oldest first)',
  spans: 'Your spans (fewest first)'
}

/** One annotator's progress on a document; a document without their layer is not started. */
export interface AnnotatorProgressFilter {
  annotator: string
  status: DocumentStatus
}

export interface DocumentListQuery {
  /** Words that must all appear in the name, in any case. */
  name: string
  reviewState: DocumentReviewState | 'all'
  progress: AnnotatorProgressFilter | null
  sort: DocumentSortKey
  /** The sort's natural direction turned round. */
  reversed: boolean
  /** A document kept listed though the state or progress filter would hide it (the open one: its status changes as you work). */
  keepId: string | null
}

export const EMPTY_DOCUMENT_QUERY: DocumentListQuery = { name: '', reviewState: 'all', progress: null, sort: 'name', reversed: false, keepId: null }

/** Your status, in the order the status sort lists it: work under way, then not started, then done. */
const STATUS_RANK: Readonly<Record<DocumentStatus, number>> = { 'in-progress': 0, 'not-started': 1, done: 2 }

const nameCollator = new Intl.Collator(undefined, { sensitivity: 'variant' })

/** What a list of documents needs for any query, computed once per list. */
export class DocumentListIndex {
  readonly documents: readonly DocumentSummary[]
  /** Each document's name, lower-cased, by position. */
  readonly lowerNames: readonly string[]
  /** Everyone with a layer on some document (not the gold layer), A–Z. */
  readonly annotators: readonly string[]
  /** Documents whose status for the list's annotator is done. */
  readonly doneCount: number
  readonly #orders = new Map<DocumentSortKey, Int32Array>()
  #nameRank: Int32Array | null = null
  #positionById: Map<string, number> | null = null

  /**
   * `previous`: the list this one replaces. A save sends the whole list again with the same
   * documents in the same order, so when ids and names are unchanged the names' work (lower
   * case, the name order, the id lookup) is taken over instead of redone: after every save.
   * `prepared`: that work done already, in slices (prepareDocumentListIndex).
   */
  constructor(documents: readonly DocumentSummary[], previous: DocumentListIndex | null = null, prepared: PreparedNames | null = null) {
    this.documents = documents
    const sameNames = prepared === null && previous !== null && haveSameNames(previous.documents, documents)
    if (sameNames) {
      // Only the summaries that are new objects are looked at (after a save, one of 100,000).
      let done = previous.doneCount
      let sameAnnotators = true
      for (let index = 0; index < documents.length; index++) {
        const was = previous.documents[index]!
        const is = documents[index]!
        if (was === is) continue
        done += (is.status === 'done' ? 1 : 0) - (was.status === 'done' ? 1 : 0)
        if (sameAnnotators && !haveSameAnnotators(was, is)) sameAnnotators = false
      }
      this.lowerNames = previous.lowerNames
      this.annotators = sameAnnotators ? previous.annotators : annotatorsOf(documents)
      this.doneCount = done
      const byName = previous.#orders.get('name')
      if (byName) this.#orders.set('name', byName)
      this.#nameRank = previous.#nameRank
      this.#positionById = previous.#positionById
      return
    }
    const names = prepared ?? runToEnd(namesInSlices(documents))
    this.lowerNames = names.lowerNames
    this.annotators = names.annotators
    this.doneCount = names.doneCount
    if (names.byName) this.#orders.set('name', names.byName)
  }

  /** Where a document is in the list, -1 when it is not. */
  positionOf(documentId: string): number {
    if (!this.#positionById) this.#positionById = new Map(this.documents.map((doc, position) => [doc.id, position]))
    return this.#positionById.get(documentId) ?? -1
  }

  /** Positions in the sort's natural order; built the first time that sort is asked for. */
  order(sort: DocumentSortKey): Int32Array {
    let order = this.#orders.get(sort)
    if (!order) {
      order = sort === 'name' ? this.#byName() : this.#byKey(sortKeyOf(sort))
      this.#orders.set(sort, order)
    }
    return order
  }

  #byName(): Int32Array {
    return runToEnd(nameOrderInSlices(this.documents))
  }

  /**
   * A key (a whole number ≥ 0), highest first, names A–Z within a tie. The key and the name's
   * rank are packed into one number, so the typed array sorts natively instead of calling a
   * comparator two million times (a new sort is one task, and it must stay short).
   */
  #byKey(key: (doc: DocumentSummary) => number): Int32Array {
    const docs = this.documents
    const count = docs.length
    const rank = this.#rankByName()
    const byName = this.order('name')
    const keys = new Float64Array(count)
    let highest = 0
    for (let index = 0; index < count; index++) {
      const value = Math.max(0, Math.floor(key(docs[index]!)))
      keys[index] = value
      if (value > highest) highest = value
    }
    if ((highest + 1) * count > Number.MAX_SAFE_INTEGER) {
      return Int32Array.from({ length: count }, (_, index) => index).sort((a, b) => keys[b]! - keys[a]! || rank[a]! - rank[b]!)
    }
    const packed = new Float64Array(count)
    for (let index = 0; index < count; index++) packed[index] = (highest - keys[index]!) * count + rank[index]!
    packed.sort()
    const order = new Int32Array(count)
    for (let place = 0; place < count; place++) order[place] = byName[packed[place]! % count]!
    return order
  }

  #rankByName(): Int32Array {
    if (!this.#nameRank) {
      const byName = this.order('name')
      this.#nameRank = new Int32Array(byName.length)
      for (let place = 0; place < byName.length; place++) this.#nameRank[byName[place]!] = place
    }
    return this.#nameRank
  }
}

/** The names' part of an index: what every query needs and does not depend on the query. */
export interface PreparedNames {
  lowerNames: readonly string[]
  annotators: readonly string[]
  doneCount: number
  /** The name order, when worked out already. */
  byName: Int32Array | null
}

/**
 * Documents gone through between two pauses when an index is prepared in slices: at 100,000
 * documents a slice is a few milliseconds of the window's time, the whole a few hundred.
 */
const SLICE = 5000

/** Lower-cased names, annotators and the done count; yields after each slice of documents. */
function* namesInSlices(documents: readonly DocumentSummary[]): Generator<void, PreparedNames> {
  const lowerNames = new Array<string>(documents.length)
  const annotators = new Set<string>()
  let done = 0
  for (let index = 0; index < documents.length; index++) {
    const doc = documents[index]!
    lowerNames[index] = doc.name.toLowerCase()
    if (doc.status === 'done') done++
    addAnnotators(doc, annotators)
    if ((index + 1) % SLICE === 0) yield
  }
  return { lowerNames, annotators: byNameAZ(annotators), doneCount: done, byName: null }
}

/**
 * Positions by name (ties by id). Main sends the list by name already (it usually does), so this
 * is mostly a check of each neighbour, in slices; a list out of order is sorted in one go.
 */
function* nameOrderInSlices(documents: readonly DocumentSummary[]): Generator<void, Int32Array> {
  const compare = (a: number, b: number): number => {
    const first = documents[a]!
    const second = documents[b]!
    return nameCollator.compare(first.name, second.name) || (first.id < second.id ? -1 : first.id > second.id ? 1 : 0)
  }
  const order = Int32Array.from({ length: documents.length }, (_, index) => index)
  for (let index = 1; index < order.length; index++) {
    if (compare(index - 1, index) > 0) return order.sort(compare)
    if (index % SLICE === 0) yield
  }
  return order
}

/** The same documents, by id and name, at the same places. */
function haveSameNames(before: readonly DocumentSummary[], after: readonly DocumentSummary[]): boolean {
  if (before.length !== after.length) return false
  for (let index = 0; index < after.length; index++) {
    const was = before[index]!
    const is = after[index]!
    if (was !== is && (was.id !== is.id || was.name !== is.name)) return false
  }
  return true
}

/** Everyone with a layer on some document (not the gold layer), A–Z. */
function annotatorsOf(documents: readonly DocumentSummary[]): string[] {
  const annotators = new Set<string>()
  for (const doc of documents) addAnnotators(doc, annotators)
  return byNameAZ(annotators)
}

function addAnnotators(doc: DocumentSummary, annotators: Set<string>): void {
  for (const layer of doc.layers) if (!isCurationLayer(layer.annotator)) annotators.add(layer.annotator)
}

const byNameAZ = (names: Iterable<string>): string[] => [...names].sort((a, b) => nameCollator.compare(a, b))

/** The same annotators' layers, in the same order (a save changes counts, rarely who has a layer). */
function haveSameAnnotators(was: DocumentSummary, is: DocumentSummary): boolean {
  if (was.layers.length !== is.layers.length) return false
  return is.layers.every((layer, position) => layer.annotator === was.layers[position]!.annotator)
}

/** Whole numbers ≥ 0, higher sorts first. */
function sortKeyOf(sort: Exclude<DocumentSortKey, 'name'>): (doc: DocumentSummary) => number {
  switch (sort) {
    case 'size':
      return (doc) => doc.sizeBytes
    case 'status':
      return (doc) => 2 - STATUS_RANK[doc.status]
    case 'last-change':
      // Seconds are fine enough to order changes; never changed (0) sorts after every change.
      return (doc) => (doc.lastChangedAt === null ? 0 : isoSeconds(doc.lastChangedAt))
    case 'spans':
      return (doc) => doc.total
  }
}

const digits = (text: string, from: number, count: number): number => {
  let value = 0
  for (let at = from; at < from + count; at++) value = value * 10 + text.charCodeAt(at) - 48
  return value
}
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/

/** Seconds since 1970 of an ISO time; the times Quire writes (toISOString) without Date.parse, which is slow at 100,000. */
function isoSeconds(iso: string): number {
  if (!ISO_UTC.test(iso)) return Date.parse(iso) / 1000 || 0
  return Date.UTC(digits(iso, 0, 4), digits(iso, 5, 2) - 1, digits(iso, 8, 2), digits(iso, 11, 2), digits(iso, 14, 2), digits(iso, 17, 2)) / 1000
}

/** An annotator's status on a document: not started without a layer. */
export function annotatorStatus(doc: DocumentSummary, annotator: string): DocumentStatus {
  for (const layer of doc.layers) if (layer.annotator === annotator) return layer.status
  return 'not-started'
}

/** The name filter's words, lower-cased: every one must appear in a name. */
export function nameTerms(filter: string): string[] {
  return filter.toLowerCase().split(/\s+/u).filter((term) => term !== '')
}

/** A query's answer, kept so that the next keystroke can narrow it (queryDocuments' `previous`). */
export interface DocumentQueryAnswer {
  index: DocumentListIndex
  query: DocumentListQuery
  /** Positions of the documents shown, in order. */
  shown: Int32Array
}

/**
 * True when every document `query` lets through is among those `previous` let through, in the
 * same order: the same list, sort and filters, and every earlier word inside one of the new
 * words (a name holding the new word holds the earlier one). Typing on in the filter does this.
 */
export function narrows(previous: DocumentQueryAnswer, index: DocumentListIndex, query: DocumentListQuery): boolean {
  const before = previous.query
  if (previous.index !== index || before.sort !== query.sort || before.reversed !== query.reversed) return false
  if (before.reviewState !== query.reviewState || before.progress !== query.progress || before.keepId !== query.keepId) return false
  const newTerms = nameTerms(query.name)
  return nameTerms(before.name).every((term) => newTerms.some((newTerm) => newTerm.includes(term)))
}

/**
 * Positions of the documents the query lets through, in its order. One pass over the sort's
 * precomputed order (no document is copied and nothing is sorted per keystroke), or only over
 * `previous`'s rows when the query narrows it (a letter typed at the end of the filter).
 */
export function queryDocuments(index: DocumentListIndex, query: DocumentListQuery, previous: DocumentQueryAnswer | null = null): Int32Array {
  const narrowing = previous !== null && narrows(previous, index, query)
  const order = narrowing ? previous.shown : index.order(query.sort)
  const reversed = query.reversed && !narrowing
  const terms = nameTerms(query.name)
  const { documents, lowerNames } = index
  const { reviewState, progress, keepId } = query
  const shown = new Int32Array(order.length)
  let count = 0
  for (let step = 0; step < order.length; step++) {
    const position = order[reversed ? order.length - 1 - step : step]!
    const name = lowerNames[position]!
    let matches = true
    for (const term of terms) {
      if (!name.includes(term)) {
        matches = false
        break
      }
    }
    if (!matches) continue
    if (narrowing) {
      // Its state and progress passed already.
      shown[count++] = position
      continue
    }
    const doc = documents[position]!
    const passesState = reviewState === 'all' || doc.reviewState === reviewState
    const passesProgress = progress === null || annotatorStatus(doc, progress.annotator) === progress.status
    if ((passesState && passesProgress) || doc.id === keepId) shown[count++] = position
  }
  return shown.subarray(0, count)
}

/** True when the query hides any document (the summary then says how many are shown). */
export function isFiltered(query: DocumentListQuery): boolean {
  return nameTerms(query.name).length > 0 || query.reviewState !== 'all' || query.progress !== null
}

const indexes = new WeakMap<readonly DocumentSummary[], DocumentListIndex>()
let newest: DocumentListIndex | null = null

/**
 * The index of a list, built once however many views (the list, Go to document) ask for it,
 * and from the newest one before it when only the counts changed.
 */
export function documentListIndex(documents: readonly DocumentSummary[]): DocumentListIndex {
  let index = indexes.get(documents)
  if (!index) {
    index = new DocumentListIndex(documents, newest)
    indexes.set(documents, index)
    newest = index
  }
  return index
}

/**
 * The index of a list made before the list is shown, pausing (`pause`) between slices of its
 * work, so a list of 100,000 documents arriving is many short tasks instead of one long one
 * (which froze the window for 100–400 ms). documentListIndex then finds it ready. A list whose
 * names are those of the newest index (a save, a colleague's change) takes that one's work over
 * without pausing: a look at each name, no lower-casing and no collation.
 */
export async function prepareDocumentListIndex(documents: readonly DocumentSummary[], pause: () => Promise<void>): Promise<DocumentListIndex> {
  const ready = indexes.get(documents)
  if (ready) return ready
  if (newest !== null && haveSameNames(newest.documents, documents)) return documentListIndex(documents)
  const names = await runInSlices(namesInSlices(documents), pause)
  const byName = await runInSlices(nameOrderInSlices(documents), pause)
  // Another caller may have asked for it meanwhile (the list shown before this was ready).
  const meanwhile = indexes.get(documents)
  if (meanwhile) return meanwhile
  const index = new DocumentListIndex(documents, null, { ...names, byName })
  indexes.set(documents, index)
  newest = index
  return index
}
