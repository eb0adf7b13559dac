// The rules for applying AnnotationEdits to a layer, in one place: main's annotation service,
// the renderer (which paints an edit before main has saved it), the replay of a layer's
// journal and the component tests' fake API all plan edits here, so a hostile or stale edit
// is refused the same way everywhere.
//
// Planning changes nothing: it reads the layer through LayerLookup and returns what the
// batch does (the final state of each touched annotation and decision, the edits that revert
// it). A caller applies the plan only once it knows the batch is saved (main) or wants it
// painted (renderer), so a batch is applied whole or not at all.
import { isCurationLayer, type Annotation, type AnnotationEdit, type CurationDecision } from '../shared/model'
import type { RejectedSuggestion } from '../shared/finding-model'
import { suggestionKey } from './suggestions/suggestion-key'
import { firstNotBeforeBy } from './span-index'

/** Read access to a layer as it stands before the batch. */
export interface LayerLookup {
  annotation(id: string): Annotation | undefined
  decision(positionKey: string): CurationDecision | undefined
  /** The rejected suggestion under this key (suggestionKey), if the layer rejected it. */
  rejection(key: string): RejectedSuggestion | undefined
  /** Gold layer: who curated it so far. */
  readonly curators: readonly string[] | undefined
}

export interface AnnotationEditContext {
  /**
   * The document's text. Null when replaying a layer's own journal: its entries were checked
   * against the text when they were saved, and the layer's offsets are checked against the
   * document when it is loaded, as for the layer file itself.
   */
  text: string | null
  /** The project's tag ids; null when replaying (a layer file's tags are not checked either). */
  tagIds: ReadonlySet<string> | null
  /** Whose layer the edits are applied to. */
  annotator: string
  /** The document's name, for messages. */
  documentName: string
  /** The batch's time: the createdAt/updatedAt of what it adds or changes. */
  now: string
}

export interface PlannedEdits {
  /** The final state of each annotation the batch touched (null: deleted), in first-touch order. */
  annotations: Map<string, Annotation | null>
  /** Gold layer: the final state of each decision the batch touched (null: undecided). */
  decisions: Map<string, CurationDecision | null>
  /** The final state of each rejected suggestion the batch touched (null: no longer rejected), by suggestionKey. */
  rejections: Map<string, RejectedSuggestion | null>
  /** Gold layer: curators to add to its list, in order. */
  newCurators: string[]
  /** Edits that revert the batch, in the order they must be applied. */
  revert: AnnotationEdit[]
  /** Where the rendering changed: old and new place of each touched annotation. */
  touchedRanges: { start: number; end: number }[]
  /**
   * The batch as a journal keeps it: each add resolved to the restore of the record it made,
   * so replaying it (at the same `now`, without the text) makes exactly the same layer.
   */
  resolved: AnnotationEdit[]
}

/** An edit the rules refuse; nothing of its batch applies. */
export class AnnotationEditRefusal extends Error {
  override name = 'AnnotationEditRefusal'
  constructor(
    /** 0-based index of the refused edit in its batch. */
    readonly editIndex: number,
    readonly editCount: number,
    readonly op: AnnotationEdit['op'],
    readonly documentName: string,
    /** Why, as the end of a sentence naming the edit ("deletes the annotation x, which does not exist"). */
    readonly why: string
  ) {
    super(`edit ${editIndex + 1} of ${editCount} (${op}) on "${documentName}" ${why}`)
  }
}

/** True when the plan changes nothing (every edit was a no-op, e.g. an update to the same tag). */
export function planIsEmpty(plan: PlannedEdits): boolean {
  return plan.annotations.size === 0 && plan.decisions.size === 0 && plan.rejections.size === 0 && plan.newCurators.length === 0
}

/** Plans `edits` in order against `layer`; throws AnnotationEditRefusal at the first edit that cannot apply. */
export function planEdits(layer: LayerLookup, edits: readonly AnnotationEdit[], context: AnnotationEditContext): PlannedEdits {
  const { now } = context
  const annotations = new Map<string, Annotation | null>()
  const decisions = new Map<string, CurationDecision | null>()
  const rejections = new Map<string, RejectedSuggestion | null>()
  const newCurators: string[] = []
  const revert: AnnotationEdit[] = []
  const touchedRanges: { start: number; end: number }[] = []
  const resolved: AnnotationEdit[] = []
  const current = (id: string): Annotation | undefined => {
    const planned = annotations.get(id)
    return planned === undefined ? layer.annotation(id) : (planned ?? undefined)
  }
  const currentDecision = (key: string): CurationDecision | undefined => {
    const planned = decisions.get(key)
    return planned === undefined ? layer.decision(key) : (planned ?? undefined)
  }
  const currentRejection = (key: string): RejectedSuggestion | undefined => {
    const planned = rejections.get(key)
    return planned === undefined ? layer.rejection(key) : (planned ?? undefined)
  }
  const noteCurator = (curator: string | undefined): void => {
    if (curator === undefined || !isCurationLayer(context.annotator)) return
    if (layer.curators?.includes(curator) || newCurators.includes(curator)) return
    newCurators.push(curator)
  }

  edits.forEach((edit, editIndex) => {
    const refuse = (why: string): never => {
      throw new AnnotationEditRefusal(editIndex, edits.length, edit.op, context.documentName, why)
    }
    const checkTag = (tag: string): void => {
      if (context.tagIds && !context.tagIds.has(tag)) refuse(`uses the tag ${tag}, which this project does not define`)
    }
    switch (edit.op) {
      case 'add': {
        const { id, start, end, tag, note, provenance } = edit.annotation
        // A journal keeps adds as the records they made (restores): an add needs the text.
        if (context.text === null) return refuse('adds a span without the text to take its words from')
        if (current(id)) refuse(`uses the id ${id}, which another annotation already has`)
        checkSpan(start, end, context.text, refuse)
        checkTag(tag)
        const record: Annotation = {
          id,
          start,
          end,
          tag,
          text: context.text.slice(start, end),
          annotator: context.annotator,
          createdAt: now,
          updatedAt: now,
          provenance: provenance ? structuredClone(provenance) : { source: 'manual' }
        }
        if (note !== undefined && note !== '') record.note = note
        noteCurator(record.provenance.curator)
        annotations.set(id, record)
        revert.unshift({ op: 'delete', id })
        touchedRanges.push({ start, end })
        resolved.push({ op: 'restore', annotation: record })
        break
      }
      case 'restore': {
        const annotation = edit.annotation
        if (current(annotation.id)) refuse(`restores the annotation ${annotation.id}, which still exists`)
        checkSpan(annotation.start, annotation.end, context.text, refuse)
        if (context.text !== null && context.text.slice(annotation.start, annotation.end) !== annotation.text) {
          refuse(`restores the annotation ${annotation.id}, whose text no longer matches the document at ${annotation.start}–${annotation.end}`)
        }
        if (annotation.annotator !== context.annotator) {
          refuse(`restores an annotation by ${annotation.annotator} into the layer of ${context.annotator}`)
        }
        checkTag(annotation.tag)
        const record = structuredClone(annotation)
        noteCurator(record.provenance.curator)
        annotations.set(record.id, record)
        revert.unshift({ op: 'delete', id: record.id })
        touchedRanges.push({ start: record.start, end: record.end })
        resolved.push(edit)
        break
      }
      case 'update': {
        const existing = current(edit.id)
        if (!existing) return refuse(`changes the annotation ${edit.id}, which does not exist (was it deleted?)`)
        const { tag, note } = edit.changes
        const updated: Annotation = { ...existing, updatedAt: now }
        const previous: { tag?: string; note?: string | null } = {}
        if (tag !== undefined) {
          checkTag(tag)
          if (tag !== existing.tag) {
            previous.tag = existing.tag
            updated.tag = tag
          }
        }
        if (note !== undefined && (note ?? '') !== (existing.note ?? '')) {
          previous.note = existing.note ?? null
          if (note === null || note === '') delete updated.note
          else updated.note = note
        }
        // An update that changes nothing is no change: nothing to save, nothing to undo.
        if (Object.keys(previous).length === 0) break
        annotations.set(edit.id, updated)
        revert.unshift({ op: 'update', id: edit.id, changes: previous })
        touchedRanges.push({ start: existing.start, end: existing.end })
        resolved.push(edit)
        break
      }
      case 'delete': {
        const existing = current(edit.id)
        if (!existing) return refuse(`deletes the annotation ${edit.id}, which does not exist`)
        annotations.set(edit.id, null)
        revert.unshift({ op: 'restore', annotation: existing })
        touchedRanges.push({ start: existing.start, end: existing.end })
        resolved.push(edit)
        break
      }
      case 'confirm-text': {
        const existing = current(edit.id)
        if (!existing) return refuse(`confirms the text of the annotation ${edit.id}, which does not exist`)
        if (existing.textCheck === undefined) break
        const confirmed: Annotation = { ...existing, updatedAt: now }
        delete confirmed.textCheck
        annotations.set(edit.id, confirmed)
        // Undoing a confirmation puts the flag back: the span is restored as it was.
        revert.unshift({ op: 'delete', id: edit.id }, { op: 'restore', annotation: existing })
        touchedRanges.push({ start: existing.start, end: existing.end })
        resolved.push(edit)
        break
      }
      case 'decide': {
        if (!isCurationLayer(context.annotator)) refuse(`records a curation decision in ${context.annotator}'s layer; only the gold layer holds them`)
        const previous = currentDecision(edit.decision.positionKey)
        decisions.set(edit.decision.positionKey, structuredClone(edit.decision))
        noteCurator(edit.decision.curator)
        revert.unshift(previous ? { op: 'decide', decision: previous } : { op: 'undecide', positionKey: edit.decision.positionKey })
        resolved.push(edit)
        break
      }
      case 'undecide': {
        if (!isCurationLayer(context.annotator)) refuse(`undoes a curation decision in ${context.annotator}'s layer; only the gold layer holds them`)
        const previous = currentDecision(edit.positionKey)
        if (!previous) break
        decisions.set(edit.positionKey, null)
        revert.unshift({ op: 'decide', decision: previous })
        resolved.push(edit)
        break
      }
      case 'reject-suggestion': {
        const { tag, start, end } = edit.suggestion
        checkSpan(start, end, context.text, refuse)
        checkTag(tag)
        let text = edit.suggestion.text
        if (context.text !== null) {
          const covered = context.text.slice(start, end)
          if (text !== undefined && text !== covered) refuse(`rejects a suggestion of "${text}" at ${start}–${end}, where the text is "${covered}"`)
          text = covered
        }
        if (text === undefined) return refuse('rejects a suggestion without the text to take its words from')
        const key = suggestionKey(tag, start, end)
        // Rejecting twice is one rejection: the first one's time stays.
        if (currentRejection(key)) break
        rejections.set(key, { tag, start, end, text, rejectedAt: now })
        revert.unshift({ op: 'unreject-suggestion', tag, start, end })
        touchedRanges.push({ start, end })
        resolved.push({ op: 'reject-suggestion', suggestion: { tag, start, end, text } })
        break
      }
      case 'unreject-suggestion': {
        const key = suggestionKey(edit.tag, edit.start, edit.end)
        const previous = currentRejection(key)
        if (!previous) break
        rejections.set(key, null)
        revert.unshift({ op: 'reject-suggestion', suggestion: { tag: previous.tag, start: previous.start, end: previous.end, text: previous.text } })
        touchedRanges.push({ start: previous.start, end: previous.end })
        resolved.push(edit)
        break
      }
    }
  })
  return { annotations, decisions, rejections, newCurators, revert, touchedRanges, resolved }
}

/** Layer order: by start, then end, then id (the order files are written in). */
export function compareAnnotations(a: Annotation, b: Annotation): number {
  return a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
}

/**
 * Applies a plan to a layer held as a sorted array (main, the fake API), in place: a record
 * is found by binary search on its position, so one edit costs a few comparisons and one
 * splice, whatever the layer's size. `byId` is the array's id index, kept in step.
 */
export function applyPlanToSortedLayer(
  plan: PlannedEdits,
  target: { annotations: Annotation[]; curationDecisions?: CurationDecision[]; curators?: string[]; rejectedSuggestions?: RejectedSuggestion[] },
  byId: Map<string, Annotation>
): void {
  const sorted = target.annotations
  for (const [id, record] of plan.annotations) {
    const existing = byId.get(id)
    if (existing) {
      const index = indexOfRecord(sorted, existing)
      sorted.splice(index, 1)
      byId.delete(id)
    }
    if (record) {
      sorted.splice(insertionIndex(sorted, record), 0, record)
      byId.set(id, record)
    }
  }
  if (plan.decisions.size > 0) {
    const kept = (target.curationDecisions ?? []).filter((decision) => !plan.decisions.has(decision.positionKey))
    for (const decision of plan.decisions.values()) if (decision) kept.push(decision)
    // Decisions keep their order; a changed one takes its old place when it had one.
    const order = new Map((target.curationDecisions ?? []).map((decision, index) => [decision.positionKey, index]))
    kept.sort((a, b) => (order.get(a.positionKey) ?? Infinity) - (order.get(b.positionKey) ?? Infinity))
    target.curationDecisions = kept
  }
  if (plan.rejections.size > 0) {
    // Rejections keep their order (oldest first); a new one goes last.
    const kept = (target.rejectedSuggestions ?? []).filter((rejection) => !plan.rejections.has(suggestionKey(rejection.tag, rejection.start, rejection.end)))
    for (const rejection of plan.rejections.values()) if (rejection) kept.push(rejection)
    target.rejectedSuggestions = kept
  }
  if (plan.newCurators.length > 0) target.curators = [...(target.curators ?? []), ...plan.newCurators]
}

/** The saved records and deleted ids of a plan, as AnnotationEditResult reports them (records in layer order). */
export function planOutcome(plan: PlannedEdits): { saved: Annotation[]; deletedIds: string[] } {
  const saved: Annotation[] = []
  const deletedIds: string[] = []
  for (const [id, record] of plan.annotations) {
    if (record) saved.push(structuredClone(record))
    else deletedIds.push(id)
  }
  return { saved: saved.sort(compareAnnotations), deletedIds }
}

/** A LayerLookup over a sorted layer array and its id index. */
export function sortedLayerLookup(
  layer: { curationDecisions?: CurationDecision[]; curators?: string[]; rejectedSuggestions?: RejectedSuggestion[] },
  byId: ReadonlyMap<string, Annotation>
): LayerLookup {
  let decisionsByKey: Map<string, CurationDecision> | null = null
  let rejectionsByKey: Map<string, RejectedSuggestion> | null = null
  return {
    annotation: (id) => byId.get(id),
    decision: (key) => (decisionsByKey ??= new Map((layer.curationDecisions ?? []).map((decision) => [decision.positionKey, decision]))).get(key),
    rejection: (key) => (rejectionsByKey ??= rejectionIndex(layer.rejectedSuggestions ?? [])).get(key),
    curators: layer.curators
  }
}

/** True when the array is in layer order (a file written by hand or by another tool may not be). */
export function isInLayerOrder(annotations: readonly Annotation[]): boolean {
  for (let index = 1; index < annotations.length; index++) {
    if (compareAnnotations(annotations[index - 1] as Annotation, annotations[index] as Annotation) > 0) return false
  }
  return true
}

/** Rejected suggestions by suggestionKey. */
export function rejectionIndex(rejections: readonly RejectedSuggestion[]): Map<string, RejectedSuggestion> {
  return new Map(rejections.map((rejection) => [suggestionKey(rejection.tag, rejection.start, rejection.end), rejection]))
}

function indexOfRecord(sorted: readonly Annotation[], record: Annotation): number {
  const index = insertionIndex(sorted, record)
  if (sorted[index] === record) return index
  // Not where its order says (the id index and the array disagree): look everywhere.
  const found = sorted.indexOf(record)
  if (found === -1) throw new Error(`annotation ${record.id} is not in its layer`)
  return found
}

function insertionIndex(sorted: readonly Annotation[], record: Annotation): number {
  return firstNotBeforeBy(sorted, record, compareAnnotations)
}

function checkSpan(start: number, end: number, text: string | null, refuse: (why: string) => never): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < 0) {
    refuse(`has offsets ${start}–${end}; offsets are whole numbers from 0`)
  }
  if (start >= end) refuse(`has an empty or reversed span ${start}–${end}: the start must be before the end`)
  if (text === null) return
  if (end > text.length) refuse(`ends at ${end}, past the end of the text (length ${text.length})`)
  if (splitsSurrogatePair(text, start) || splitsSurrogatePair(text, end)) {
    refuse(`has a span ${start}–${end} that cuts a character in half`)
  }
}

function splitsSurrogatePair(text: string, offset: number): boolean {
  const before = text.charCodeAt(offset - 1)
  const after = text.charCodeAt(offset)
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff
}
