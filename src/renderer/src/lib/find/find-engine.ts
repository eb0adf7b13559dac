// What the find worker does, as a plain class so a test can run it in the window's thread: it
// keeps one document's text and its folded forms (folding 5 MB takes longer than searching
// it, so each form is made once per text and reused for every query typed).
import { compileSearch, findMatches, searchFolding, type SearchQuery } from '../../../../core/search/find-matches'
import { foldText, type FoldedText, type FoldOptions } from '../../../../core/search/fold'
import { MAX_FIND_MATCHES, type FromFindWorker, type ToFindWorker } from './find-protocol'

/** The form most searches use (neither case nor diacritics matter), made as soon as a text arrives. */
const USUAL_FOLDING: FoldOptions = { matchCase: false, matchDiacritics: false }

export class FindEngine {
  #textId = -1
  #text = ''
  readonly #folded = new Map<string, FoldedText>()

  /** Handles one message; returns the answer to post, if any. */
  handle(message: ToFindWorker): FromFindWorker | null {
    if (message.kind === 'text') {
      this.#textId = message.textId
      this.#text = message.text
      this.#folded.clear()
      this.#foldedFor(USUAL_FOLDING)
      return null
    }
    if (message.textId !== this.#textId) return { kind: 'problem', requestId: message.requestId, problem: 'The document changed; searching again' }
    return this.find(message.requestId, message.query)
  }

  find(requestId: number, query: SearchQuery): FromFindWorker {
    const compiled = compileSearch(query)
    if (!compiled.ok) return { kind: 'problem', requestId, problem: compiled.problem }
    const folded = this.#foldedFor(searchFolding(query))
    const result = findMatches(this.#text, compiled, { folded, limit: MAX_FIND_MATCHES })
    // An exact-size copy: its buffer is transferred whole to the window.
    return { kind: 'found', requestId, offsets: result.offsets.slice(), count: result.count, truncated: result.truncated }
  }

  #foldedFor(options: FoldOptions): FoldedText {
    const key = `${options.matchCase}:${options.matchDiacritics}`
    let folded = this.#folded.get(key)
    if (!folded) {
      folded = foldText(this.#text, options)
      this.#folded.set(key, folded)
    }
    return folded
  }
}
