// Undo/redo as stored inverse edits. Each entry holds the edits that revert a change; applying
// them yields the edits that revert *that*, which go on the other stack. So one entry type
// serves both directions and the inverse is always computed from the state it is applied to.
import type { AnnotationEdit } from '../../../../shared/model'

export interface HistoryEntry {
  /** What the change was, for button titles, e.g. "Add Person". */
  label: string
  /** Edits that revert the change. */
  revert: AnnotationEdit[]
}

/** Applies edits and returns the edits that would revert them. */
export type ApplyEdits = (edits: AnnotationEdit[]) => AnnotationEdit[]

export class EditHistory {
  #undoStack: HistoryEntry[] = []
  #redoStack: HistoryEntry[] = []
  readonly #limit: number

  constructor(limit = 1000) {
    this.#limit = limit
  }

  get canUndo(): boolean {
    return this.#undoStack.length > 0
  }

  get canRedo(): boolean {
    return this.#redoStack.length > 0
  }

  get undoLabel(): string | null {
    return this.#undoStack.at(-1)?.label ?? null
  }

  get redoLabel(): string | null {
    return this.#redoStack.at(-1)?.label ?? null
  }

  /** Records a change just made; a new change makes the redo stack meaningless. */
  record(label: string, revert: AnnotationEdit[]): void {
    if (revert.length === 0) return
    this.#undoStack.push({ label, revert })
    if (this.#undoStack.length > this.#limit) this.#undoStack.shift()
    this.#redoStack = []
  }

  /** Reverts the last change; returns its label, or null when there is nothing to undo. */
  undo(apply: ApplyEdits): string | null {
    return this.#move(this.#undoStack, this.#redoStack, apply)
  }

  redo(apply: ApplyEdits): string | null {
    return this.#move(this.#redoStack, this.#undoStack, apply)
  }

  clear(): void {
    this.#undoStack = []
    this.#redoStack = []
  }

  #move(from: HistoryEntry[], to: HistoryEntry[], apply: ApplyEdits): string | null {
    const entry = from.pop()
    if (!entry) return null
    const revert = apply(entry.revert)
    to.push({ label: entry.label, revert })
    return entry.label
  }
}
