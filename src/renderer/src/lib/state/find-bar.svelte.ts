// The find bar (Ctrl/Cmd+F in the reader): its query and options, the matches over the whole
// text (found in a worker, see find/match-runner.ts) and which one is current. The current
// match is the reader's selection, so the tag keys tag it; the reader draws every match.
import type { SearchQuery } from '../../../../core/search/find-matches'
import { MatchRunner, type FindOutcome } from '../find/match-runner'
import { count } from '../text/quantities'
import type { DocumentSession } from './document-session.svelte'

export type FindOption = 'matchCase' | 'matchDiacritics' | 'wholeWord' | 'regex'

/** What the reader draws: every match, the current one apart. */
export interface FindHighlightView {
  offsets: Int32Array
  count: number
  current: number
}

/** Where the window's side of matching comes from (a worker in the app, a fake in tests). */
export type MatchRunnerFactory = () => MatchRunner

const EMPTY = new Int32Array(0)

export class FindBarState {
  open = $state(false)
  text = $state('')
  matchCase = $state(false)
  matchDiacritics = $state(false)
  wholeWord = $state(false)
  regex = $state(false)
  /** start0, end0, start1, end1, … of every match. */
  matches = $state.raw<Int32Array>(EMPTY)
  count = $state(0)
  truncated = $state(false)
  /** Index of the current match, -1 when none. */
  current = $state(-1)
  /** Why the query cannot run (an invalid expression), said at the field. */
  problem = $state<string | null>(null)
  /** The last query ran past the time limit. */
  stoppedAfterMs = $state<number | null>(null)
  searching = $state(false)
  /** The query text the matches shown were found for (the field may be ahead of it while typing). */
  shownText = $state('')
  /** Bumped when the field should take focus (the bar opened, or Ctrl+F again). */
  focusRequest = $state(0)

  readonly #createRunner: MatchRunnerFactory
  #runner: MatchRunner | null = null
  #session: DocumentSession | null = null
  #serial = 0
  /** Matches at or after this offset come first: where the reader's selection was. */
  #origin = 0
  /** The matches shown are for this query key (so a reopened bar does not search again). */
  #shownKey = ''

  constructor(createRunner: MatchRunnerFactory) {
    this.#createRunner = createRunner
  }

  /** The document the bar searches; null in edit mode or with no document open. */
  attach(session: DocumentSession | null): void {
    if (session === this.#session) return
    this.#session = session
    // Another document: its matches are looked for from its start.
    this.#origin = 0
    this.#serial++
    this.#clearMatches()
    this.#shownKey = ''
    if (!session) return
    // The text goes to the worker when the bar opens (or now, when it is open): opening a long
    // document does not pay for copying it, and it is folded while the first query is typed.
    const runner = this.#runnerReady()
    runner.setText(session.text, !this.open)
    if (this.open && this.text !== '') void this.search()
  }

  show(): void {
    const selection = this.#session?.selectedRange
    if (!this.open) this.#origin = selection ? selection.start : 0
    this.open = true
    this.focusRequest++
    this.#runner?.prepare()
    if (this.text !== '' && this.#shownKey !== this.#queryKey()) void this.search()
  }

  /** Closes the bar; the query stays for next time, the current match stays selected. */
  close(): void {
    this.open = false
  }

  setText(text: string): void {
    this.text = text
    void this.search()
  }

  setOption(option: FindOption, on: boolean): void {
    this[option] = on
    void this.search()
  }

  /** The status beside the field: "3 of 120", "No matches", or nothing while there is no query or a problem. */
  get status(): string {
    if (this.text === '' || this.problem !== null || this.stoppedAfterMs !== null) return ''
    if (this.count === 0) return this.searching ? '' : 'No matches'
    const total = `${count(this.count)}${this.truncated ? '+' : ''}`
    return this.current >= 0 ? `${count(this.current + 1)} of ${total}` : `${total} matches`
  }

  /** Said under the field: why the query cannot run, or that it ran too long and was stopped. */
  get notice(): string | null {
    if (this.stoppedAfterMs !== null) return `Stopped after ${Math.round(this.stoppedAfterMs / 1000)} s: the expression takes too long`
    return this.problem
  }

  /** What the reader draws, or null while the bar is closed. */
  get highlights(): FindHighlightView | null {
    if (!this.open || this.count === 0) return null
    return { offsets: this.matches, count: this.count, current: this.current }
  }

  next(): void {
    this.#step(1)
  }

  previous(): void {
    this.#step(-1)
  }

  dispose(): void {
    this.#runner?.dispose()
    this.#runner = null
  }

  async search(): Promise<void> {
    const serial = ++this.#serial
    const session = this.#session
    if (!session || this.text === '') {
      this.#clearMatches()
      this.problem = null
      this.stoppedAfterMs = null
      this.shownText = ''
      this.#shownKey = this.#queryKey()
      return
    }
    this.searching = true
    const key = this.#queryKey()
    const outcome: FindOutcome = await this.#runnerReady().find(this.#query())
    if (serial !== this.#serial) return
    this.searching = false
    switch (outcome.kind) {
      case 'superseded':
        return
      case 'problem':
        // Nothing else changes: the matches of the last valid query stay.
        this.problem = outcome.problem
        this.stoppedAfterMs = null
        return
      case 'stopped':
        this.problem = null
        this.stoppedAfterMs = outcome.afterMs
        this.#clearMatches()
        this.#shownKey = key
        return
      case 'found':
        this.problem = null
        this.stoppedAfterMs = null
        this.matches = outcome.offsets
        this.count = outcome.count
        this.truncated = outcome.truncated
        this.shownText = this.text
        this.#shownKey = key
        this.#makeCurrent(this.count === 0 ? -1 : this.#firstAtOrAfter(this.#origin))
    }
  }

  #step(direction: 1 | -1): void {
    if (this.count === 0) return
    const index = this.current < 0 ? (direction === 1 ? this.#firstAtOrAfter(this.#origin) : this.#firstAtOrAfter(this.#origin) - 1) : this.current + direction
    this.#makeCurrent((index + this.count) % this.count)
    this.#origin = this.matches[this.current * 2] ?? 0
  }

  #makeCurrent(index: number): void {
    this.current = index
    const session = this.#session
    if (index < 0 || !session) return
    const start = this.matches[index * 2] ?? 0
    const end = this.matches[index * 2 + 1] ?? start
    // Exact: a tag key tags the match itself, not the words around it.
    session.setSelection(start, end, true)
    session.scrollTo(start, { onlyIfHidden: true })
  }

  /** The first match starting at or after `offset`, wrapping to the first. */
  #firstAtOrAfter(offset: number): number {
    let low = 0
    let high = this.count
    while (low < high) {
      const middle = (low + high) >> 1
      if ((this.matches[middle * 2] ?? 0) < offset) low = middle + 1
      else high = middle
    }
    return low < this.count ? low : 0
  }

  #clearMatches(): void {
    this.matches = EMPTY
    this.count = 0
    this.truncated = false
    this.current = -1
    this.searching = false
  }

  #query(): SearchQuery {
    return { text: this.text, matchCase: this.matchCase, matchDiacritics: this.matchDiacritics, wholeWord: this.wholeWord, regex: this.regex }
  }

  #queryKey(): string {
    return JSON.stringify(this.#query())
  }

  #runnerReady(): MatchRunner {
    this.#runner ??= this.#createRunner()
    return this.#runner
  }
}
