// The project's document index being made before the list can be shown (a missing, damaged or
// newer index rebuilt from the documents; the check after a crash): one calm line over the list.
// Its numbers follow every answer of the change feed on screen, but a screen reader is told at
// most every ANNOUNCE_EVERY_MS: a sentence a second would drown whatever else it reads.
import type { DocumentIndexProgress } from '../../../../shared/model'
import { localNumber } from '../text/quantities'

/** Least time between two progress sentences read out (the first is read at once). */
export const ANNOUNCE_EVERY_MS = 10_000

/** "Rebuilding the document index: 12,000 of 100,000 documents". */
export function describeIndexProgress(progress: DocumentIndexProgress): string {
  const doing = progress.stage === 'rebuild' ? 'Rebuilding' : 'Checking'
  const unit = progress.total === 1 ? 'document' : 'documents'
  return `${doing} the document index: ${localNumber(progress.done)} of ${localNumber(progress.total)} ${unit}`
}

export class IndexProgressState {
  /** How far the index is; null when the list waits for no index. */
  progress = $state.raw<DocumentIndexProgress | null>(null)
  /** What the live region says: the progress as it was at the last announcement. */
  spoken = $state('')
  readonly #clock: () => number
  #spokenAt = Number.NEGATIVE_INFINITY

  constructor(clock: () => number = () => Date.now()) {
    this.#clock = clock
  }

  /** The index is made and the list it held back is on its way: the line says so until the list is here. */
  listing = $state(false)

  readonly text = $derived(this.progress === null ? '' : this.listing ? `Listing ${localNumber(this.progress.total)} documents…` : describeIndexProgress(this.progress))

  /** Takes the progress main reported (null: the index is made). */
  show(progress: DocumentIndexProgress | null): void {
    this.progress = progress
    if (progress === null) {
      this.listing = false
      this.spoken = ''
      this.#spokenAt = Number.NEGATIVE_INFINITY
      return
    }
    const now = this.#clock()
    if (now - this.#spokenAt >= ANNOUNCE_EVERY_MS) {
      this.spoken = describeIndexProgress(progress)
      this.#spokenAt = now
    }
  }

  /** The index is made; the line stays, full, saying the list is coming (show(null) ends it). */
  showListing(): void {
    if (this.progress === null) return
    this.progress = { ...this.progress, done: this.progress.total }
    this.listing = true
  }
}
