// "Go to document" (Ctrl/Cmd+P): a name typed, the best matches listed as it is typed, arrows
// to choose, Enter to open. The ranking is src/core/document-list/go-to-document.ts over the
// list's lower-cased names, computed once per list and shared with the document list.
import { documentListIndex } from '../../../../core/document-list/document-list-query'
import { bestNameMatches } from '../../../../core/document-list/go-to-document'
import type { DocumentSummary } from '../../../../shared/model'

/** Enough to choose from by keyboard; more is a sign to type more. */
export const GO_TO_LIMIT = 50

export class GoToDocumentState {
  query = $state('')
  /** The chosen match's place in the list shown. */
  active = $state(0)

  readonly #documents: readonly DocumentSummary[]
  readonly #open: (documentId: string) => void

  constructor(documents: readonly DocumentSummary[], open: (documentId: string) => void) {
    this.#documents = documents
    this.#open = open
  }

  #matchesNow(): DocumentSummary[] {
    const index = documentListIndex(this.#documents)
    return bestNameMatches(index.lowerNames, this.query, GO_TO_LIMIT).map((match) => index.documents[match.position]!)
  }

  readonly matches: DocumentSummary[] = $derived(this.#matchesNow())

  setQuery(query: string): void {
    this.query = query
    this.active = 0
  }

  move(step: 1 | -1 | 'first' | 'last'): void {
    const count = this.matches.length
    if (count === 0) return
    if (step === 'first') this.active = 0
    else if (step === 'last') this.active = count - 1
    else this.active = (this.active + step + count) % count
  }

  /** Opens the chosen match; false when nothing matches. */
  openActive(): boolean {
    const chosen = this.matches[this.active]
    if (!chosen) return false
    this.#open(chosen.id)
    return true
  }
}
