// A window's start (getStartup: settings, project, the first page of the list and the first
// document, framed) begun as soon as its page is asked for, instead of when the page's script
// asks for it. Between the two the window fetches, compiles and runs its scripts (90 ms and
// more), and main would sit idle while it does: begun ahead, a 5 MB document is read and framed
// meanwhile, and the window's own call takes what was made (issue 12). Likewise the large first
// document a start left out (src/server/http-server.ts): such a start carries its first screen
// instead (first-screen.ts), and the page asks for the whole once it has painted that; the whole
// is framed from the content the start read, as soon as the start is made, so it is ready before
// the page has even asked for its start. Both transports (the browser edition's HTTP server,
// Electron's IPC) hand every call through here.
import type { ApiMethod, QuireApiCalls } from '../shared/api'
import { CALLS_THAT_CHANGE_NOTHING, DOCUMENT_OPENING_CALL } from '../shared/api-methods'
import type { DocumentContent, LayerRef, StartupState } from '../shared/model'
import { dispatchApiCallToOutcome, outcomeOfAnswer, type ApiCallOutcome } from './api-dispatch'
import { windowTookItsStart } from './services/calls-in-progress'
import { firstScreenOf } from './first-screen'

/** An outcome, and for a start that left its first document out (`startDocumentMaxCharacters`), that document's layer. */
export type OutcomeOfCall = ApiCallOutcome & { leftOut?: LayerRef }

export interface CallsOptions {
  now?: () => number
  /**
   * A start whose first document's text is longer goes without it (a transport that takes large
   * bodies in elsewhere, src/server/http-server.ts); its outcome names the layer left out.
   */
  startDocumentMaxCharacters?: number
}

/** A call begun longer ago is not given: the page that was asked for went elsewhere. */
const LONGEST_WAIT_MS = 10_000

interface CallBegun {
  method: string
  /** The call's arguments as JSON: the call that takes it must ask for the same. */
  args: string
  outcome: Promise<OutcomeOfCall>
  begunAt: number
}

export class ApiCallsWithStartAhead {
  /** Calls begun for a window, in the order it will make them: its start, then the long first document that start left out. */
  #ahead: CallBegun[] = []
  #callsAnswering = 0
  /** The calls windows made that took nothing begun: content read before one of them may be what it changed. */
  #callsMade = 0

  readonly #now: () => number
  readonly #startDocumentMaxCharacters: number

  constructor(
    private readonly backend: QuireApiCalls,
    options: CallsOptions = {}
  ) {
    this.#now = options.now ?? (() => performance.now())
    this.#startDocumentMaxCharacters = options.startDocumentMaxCharacters ?? Infinity
  }

  /** A window's page is being served: its first call will be getStartup. */
  beginStart(): void {
    this.begin('getStartup', [])
  }

  /**
   * Begins the call a window is about to make. Not begun while a call that may change something
   * is being answered: what it reads could be what that call is changing. A call already begun
   * and still fresh stays.
   */
  begin(method: string, args: unknown[]): void {
    if (this.#callsAnswering > 0) return
    const next = this.#ahead[0]
    if (next && this.#now() - next.begunAt <= LONGEST_WAIT_MS) return
    this.#ahead = [{ method, args: JSON.stringify(args), outcome: this.#outcome(method, args, undefined), begunAt: this.#now() }]
  }

  /** A call from a window (dispatchApiCallToOutcome's contract): the call begun ahead when it is that one and nothing came between. */
  dispatch(method: string, args: unknown, heldText: unknown = undefined): Promise<OutcomeOfCall> {
    const outcome = this.#dispatch(method, args, heldText)
    // Once its answer is written (the transport writes it as the outcome resolves, before the next turn).
    if (method === 'getStartup') void outcome.finally(() => setImmediate(windowTookItsStart)).catch(() => undefined)
    return outcome
  }

  #dispatch(method: string, args: unknown, heldText: unknown): Promise<OutcomeOfCall> {
    if (CALLS_THAT_CHANGE_NOTHING.has(method as ApiMethod)) return this.#outcome(method, args, heldText)
    const [next, ...after] = this.#ahead
    // Any other call ends what was begun: the next is read anew, after whatever this call does.
    this.#ahead = []
    if (next && method === next.method && heldText === undefined && JSON.stringify(args) === next.args && this.#now() - next.begunAt <= LONGEST_WAIT_MS) {
      this.#ahead = after
      return next.outcome
    }
    this.#callsMade++
    this.#callsAnswering++
    return this.#outcome(method, args, heldText).finally(() => this.#callsAnswering--)
  }

  #outcome(method: string, args: unknown, heldText: unknown): Promise<OutcomeOfCall> {
    if (method !== 'getStartup') return dispatchApiCallToOutcome(this.backend, method, args, heldText)
    const callsMadeBefore = this.#callsMade
    let leftOut: DocumentContent | undefined
    const withoutLongDocument = (answer: unknown): unknown => {
      const start = answer as StartupState
      const first = start.firstDocument
      if (!first || first.text.length <= this.#startDocumentMaxCharacters) return start
      leftOut = first
      return { ...start, firstDocument: null, firstScreen: firstScreenOf(first) }
    }
    return dispatchApiCallToOutcome(this.backend, method, args, heldText, withoutLongDocument).then((outcome) => {
      if (!leftOut || !outcome.ok) return outcome
      const layer: LayerRef = { documentId: leftOut.document.id, annotator: leftOut.annotator }
      this.#beginLeftOut(layer, leftOut, callsMadeBefore)
      return { ...outcome, leftOut: layer }
    })
  }

  /**
   * Frames the document a start left out from the content that start read, once the start's
   * answer is written (a window waiting for it is answered first). Not when a call came since
   * the start was begun (it may have changed that content: the window's call reads it anew),
   * nor when something other than that start is ahead.
   */
  #beginLeftOut(layer: LayerRef, content: DocumentContent, callsMadeBefore: number): void {
    const begunAt = this.#now()
    const aheadThen = this.#ahead[0]
    setImmediate(() => {
      if (this.#callsMade !== callsMadeBefore || this.#callsAnswering > 0) return
      const next = this.#ahead[0]
      const startStillAhead = next !== undefined && next === aheadThen && next.method === 'getStartup'
      if (next !== undefined && !startStillAhead) return
      const document: CallBegun = { method: DOCUMENT_OPENING_CALL, args: JSON.stringify([layer]), outcome: Promise.resolve(outcomeOfAnswer(DOCUMENT_OPENING_CALL, content)), begunAt }
      this.#ahead = startStillAhead ? [next, document] : [document]
    })
  }
}
