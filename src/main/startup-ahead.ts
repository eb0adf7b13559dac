// A window's start (getStartup: settings, project, the first page of the list and the first
// document, framed) begun as soon as its page is asked for, instead of when the page's script
// asks for it. Between the two the window fetches, compiles and runs its scripts (90 ms and
// more), and main would sit idle while it does: begun ahead, a 5 MB document is read and framed
// meanwhile, and the window's own call takes what was made (issue 12). Likewise the large first
// document a start left out (src/server/http-server.ts), which the page asks for next, once its
// request worker has started. Both transports (the browser edition's HTTP server, Electron's
// IPC) hand every call through here.
import type { QuireApiCalls } from '../shared/api'
import { dispatchApiCallToOutcome, type ApiCallOutcome } from './api-dispatch'

/** A call begun longer ago is not given: the page that was asked for went elsewhere. */
const LONGEST_WAIT_MS = 10_000

interface CallBegun {
  method: string
  /** The call's arguments as JSON: the call that takes it must ask for the same. */
  args: string
  outcome: Promise<ApiCallOutcome>
  begunAt: number
}

export class ApiCallsWithStartAhead {
  #ahead: CallBegun | null = null
  #callsAnswering = 0

  constructor(
    private readonly backend: QuireApiCalls,
    private readonly now: () => number = () => performance.now()
  ) {}

  /** A window's page is being served: its first call will be getStartup. */
  beginStart(): void {
    this.begin('getStartup', [])
  }

  /**
   * Begins the call a window is about to make (its start; the first document its start left out,
   * src/server/http-server.ts). Not begun while any call is being answered: what it reads could be
   * what that call is changing. A call already begun and still fresh stays.
   */
  begin(method: string, args: unknown[]): void {
    if (this.#callsAnswering > 0) return
    if (this.#ahead && this.now() - this.#ahead.begunAt <= LONGEST_WAIT_MS) return
    this.#ahead = { method, args: JSON.stringify(args), outcome: dispatchApiCallToOutcome(this.backend, method, args), begunAt: this.now() }
  }

  /** A call from a window (dispatchApiCallToOutcome's contract): the call begun ahead when it is that one and nothing came between. */
  dispatch(method: string, args: unknown, heldText: unknown = undefined): Promise<ApiCallOutcome> {
    const ahead = this.#ahead
    // Any call ends what was begun: the next is read anew, after whatever this call does.
    this.#ahead = null
    if (ahead && method === ahead.method && heldText === undefined && JSON.stringify(args) === ahead.args && this.now() - ahead.begunAt <= LONGEST_WAIT_MS) {
      return ahead.outcome
    }
    this.#callsAnswering++
    return dispatchApiCallToOutcome(this.backend, method, args, heldText).finally(() => this.#callsAnswering--)
  }
}
