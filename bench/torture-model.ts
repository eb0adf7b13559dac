// What the torture parent believes each annotation file holds: a seeded stream of valid
// changes, and the state after any prefix of them, so a file read after a kill can be matched
// against "every acknowledged change, plus some of the in-flight ones, whole".
import { spansAddedBy, statusAfterSpansAdded } from '../src/core/layer-status'
import { asUtf16, DEFAULT_TAGS, DOCUMENT_STATUSES, type AnnotationEdit, type DocumentStatus } from '../src/shared/model'

export type TortureChange =
  | { kind: 'edits'; edits: AnnotationEdit[] }
  | { kind: 'status'; status: DocumentStatus }
  /** What a git sync does first: settle every save and fold each journal into its layer file. */
  | { kind: 'settle' }

/** One command the parent sends to the child, one JSON line each. */
export interface TortureCommand {
  id: number
  annotator: string
  documentId: string
  change: TortureChange
}

export interface SpanState {
  start: number
  end: number
  tag: string
  note: string | null
}

export interface LayerState {
  status: DocumentStatus
  spans: ReadonlyMap<string, SpanState>
}

export const EMPTY_LAYER: LayerState = { status: 'not-started', spans: new Map() }

const TAG_IDS = DEFAULT_TAGS.map((tag) => tag.id)

/** mulberry32: small, fast and the same on every platform, so a seed replays a run exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function applyChange(state: LayerState, change: TortureChange): LayerState {
  if (change.kind === 'status') return { status: change.status, spans: state.spans }
  if (change.kind === 'settle') return state
  const spans = new Map(state.spans)
  for (const edit of change.edits) {
    switch (edit.op) {
      case 'add':
        spans.set(edit.annotation.id, {
          start: edit.annotation.start,
          end: edit.annotation.end,
          tag: edit.annotation.tag,
          note: edit.annotation.note ?? null
        })
        break
      case 'update': {
        const span = spans.get(edit.id)
        if (!span) throw new Error(`torture model: update of missing ${edit.id}`)
        const next = { ...span }
        if (edit.changes.tag !== undefined) next.tag = edit.changes.tag
        if (edit.changes.note !== undefined) next.note = edit.changes.note === '' ? null : edit.changes.note
        spans.set(edit.id, next)
        break
      }
      case 'delete':
        spans.delete(edit.id)
        break
      case 'restore':
        throw new Error('torture model: restore is not generated')
    }
  }
  // The store moves a layer not started into progress with its first span, as the app does.
  return { status: statusAfterSpansAdded(state.status, spansAddedBy(change.edits)), spans }
}

/** A canonical string of a state, for comparing what is on disk with what the model allows. */
export function fingerprint(state: LayerState): string {
  const spans = [...state.spans.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return JSON.stringify([state.status, spans.map(([id, span]) => [id, span.start, span.end, span.tag, span.note])])
}

const NOTE_WORDS = ['check', 'spelling', 'alias', 'see p. 4', 'ambiguous', 'nested', 'ask Leyla', 'ü ñ ə ğ']

/**
 * A random valid change to a layer in `state`: mostly small batches of adds, retags, notes and
 * deletes, sometimes a big batch (a paste or an undo of many), sometimes a status change
 * (which rewrites the layer file), sometimes a settle (which compacts every journal).
 */
export function randomChange(random: () => number, state: LayerState, textLength: number, nextId: () => string): TortureChange {
  const roll = random()
  if (roll < 0.03) return { kind: 'settle' }
  if (roll < 0.07) return { kind: 'status', status: pick(random, DOCUMENT_STATUSES) }
  const batchSize = roll < 0.1 ? 25 : 1 + Math.floor(random() * 3)
  let working = state
  const edits: AnnotationEdit[] = []
  for (let index = 0; index < batchSize; index++) {
    const edit = randomEdit(random, working, textLength, nextId, batchSize > 3)
    edits.push(edit)
    working = applyChange(working, { kind: 'edits', edits: [edit] })
  }
  return { kind: 'edits', edits }
}

function randomEdit(random: () => number, state: LayerState, textLength: number, nextId: () => string, onlyAdds: boolean): AnnotationEdit {
  const ids = [...state.spans.keys()]
  const roll = onlyAdds || ids.length === 0 ? 0 : random()
  if (roll < 0.5) {
    const start = Math.floor(random() * (textLength - 20))
    const end = start + 1 + Math.floor(random() * 15)
    const annotation: { id: string; start: ReturnType<typeof asUtf16>; end: ReturnType<typeof asUtf16>; tag: string; note?: string } = {
      id: nextId(),
      start: asUtf16(start),
      end: asUtf16(end),
      tag: pick(random, TAG_IDS)
    }
    if (random() < 0.2) annotation.note = pick(random, NOTE_WORDS)
    return { op: 'add', annotation }
  }
  const id = pick(random, ids)
  const span = state.spans.get(id) as SpanState
  if (roll < 0.7) return { op: 'update', id, changes: { tag: pick(random, TAG_IDS.filter((tag) => tag !== span.tag)) } }
  if (roll < 0.85) return { op: 'update', id, changes: { note: random() < 0.3 ? null : pick(random, NOTE_WORDS) } }
  return { op: 'delete', id }
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T
}

/** Plain ASCII words: every offset is a valid boundary, so any random span is a valid edit. */
export function randomText(random: () => number, length: number): string {
  const words = ['Emin', 'Amrullayev', 'Baku', 'State', 'University', 'met', 'the', 'committee', 'on', 'Erasmus', 'programme', 'in', 'May']
  let text = ''
  while (text.length < length) text += `${pick(random, words)}${random() < 0.1 ? '.\n' : ' '}`
  return text.slice(0, length)
}
