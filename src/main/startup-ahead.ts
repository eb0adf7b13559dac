// A window's start (getStartup: settings, project, the first page of the list and the first
// document, framed) begun as soon as its page is asked for, instead of when the page's script
// asks for it. Between the two the window fetches, compiles and runs its scripts (90 ms and
// more), and main would sit idle while it does: begun ahead, a 5 MB document is read and framed
// meanwhile, and the window's own call takes what was made (issue 12). Both transports (the
// browser edition's HTTP server, Electron's IPC) hand every call through here.
import type { QuireApiCalls } from '../shared/api'
import { dispatchApiCallToOutcome, type ApiCallOutcome } from './api-dispatch'

/** A start begun longer ago is not given: the page that was asked for went elsewhere. */
const LONGEST_WAIT_MS = 10_000

interface StartBegun {
  outcome: Promise<ApiCallOutcome>
  begunAt: number
}

export class ApiCallsWithStartAhead {
  #ahead: StartBegun | null = null
  #callsAnswering = 0

  constructor(
    private readonly backend: QuireApiCalls,
    private readonly now: () => number = () => performance.now()
  ) {}

  /**
   * A window's page is being served: its first call will be getStartup. Not begun while any call
   * is being answered: what the start reads could be what that call is changing.
   */
  beginStart(): void {
    if (this.#callsAnswering > 0) return
    if (this.#ahead && this.now() - this.#ahead.begunAt <= LONGEST_WAIT_MS) return
    const outcome = dispatchApiCallToOutcome(this.backend, 'getStartup', [])
    this.#ahead = { outcome, begunAt: this.now() }
  }

  /** A call from a window (dispatchApiCallToOutcome's contract): the start begun ahead when it is that and nothing came between. */
  dispatch(method: string, args: unknown, heldText: unknown = undefined): Promise<ApiCallOutcome> {
    const ahead = this.#ahead
    // Any call ends what was begun: the next start is read anew, after whatever this call does.
    this.#ahead = null
    if (ahead && method === 'getStartup' && Array.isArray(args) && args.length === 0 && heldText === undefined && this.now() - ahead.begunAt <= LONGEST_WAIT_MS) {
      return ahead.outcome
    }
    this.#callsAnswering++
    return dispatchApiCallToOutcome(this.backend, method, args, heldText).finally(() => this.#callsAnswering--)
  }
}
