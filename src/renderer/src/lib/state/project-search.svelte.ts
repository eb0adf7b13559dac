// The Search panel (Ctrl/Cmd+Shift+F): a query with its options, the tag and "untagged only"
// filters, and the concordance lines main returns a page at a time (paging through main's kept
// search is cheap, so the panel never holds a whole project's matches).
import type { QuireApi } from '../../../../shared/api'
import { QuireError } from '../../../../shared/api'
import type { ProjectSearchResult, SearchOptions, SearchQuery } from '../../../../shared/finding-model'

export const SEARCH_PAGE_SIZE = 100
const COUNT_POLL_MS = 300

export type SearchTagFilter = { kind: 'any' } | { kind: 'untagged' } | { kind: 'tag'; tag: string }

export class ProjectSearchState {
  text = $state('')
  options = $state<SearchOptions>({ matchCase: false, matchDiacritics: false, wholeWord: false, regex: false })
  filter = $state<SearchTagFilter>({ kind: 'any' })
  result = $state.raw<ProjectSearchResult | null>(null)
  /** The first line of the page shown. */
  offset = $state(0)
  loading = $state(false)
  error = $state.raw<QuireError | null>(null)
  /** The query the result is for (the field may have changed since). */
  searched = $state.raw<SearchQuery | null>(null)
  readonly #search: QuireApi['searchProject']
  #serial = 0
  #countTimer: ReturnType<typeof setTimeout> | null = null

  constructor(search: QuireApi['searchProject'], initialText = '') {
    this.#search = search
    this.text = initialText
  }

  /** Why the query cannot run, said at the field: main's answer for an invalid expression. */
  get problem(): string | null {
    return this.result?.problem ?? null
  }

  get query(): SearchQuery {
    return { text: this.text, ...this.options }
  }

  get canPageBack(): boolean {
    return this.offset > 0 && !this.loading
  }

  get canPageOn(): boolean {
    return this.result !== null && this.offset + SEARCH_PAGE_SIZE < this.result.totalMatches && !this.loading
  }

  /** Searches from the first line (a new search: main searches again and keeps it for paging). */
  async run(): Promise<void> {
    if (this.text.trim() === '') {
      this.result = null
      this.searched = null
      return
    }
    await this.#load(0, true)
  }

  /** Stops asking for counts (the panel closed). */
  dispose(): void {
    this.#serial++
    if (this.#countTimer) clearTimeout(this.#countTimer)
  }

  #countLater(serial: number): void {
    if (this.#countTimer) clearTimeout(this.#countTimer)
    this.#countTimer = setTimeout(() => {
      if (serial === this.#serial) void this.#load(this.offset, false, true)
    }, COUNT_POLL_MS)
  }

  async pageOn(): Promise<void> {
    if (this.canPageOn) await this.#load(this.offset + SEARCH_PAGE_SIZE)
  }

  async pageBack(): Promise<void> {
    if (this.canPageBack) await this.#load(Math.max(0, this.offset - SEARCH_PAGE_SIZE))
  }

  setFilter(filter: SearchTagFilter): void {
    this.filter = filter
    if (this.searched) void this.#load(0, true)
  }

  async #load(offset: number, fresh = false, quietly = false): Promise<void> {
    const serial = ++this.#serial
    const query = fresh ? this.query : (this.searched ?? this.query)
    if (!quietly) this.loading = true
    this.error = null
    try {
      const result = await this.#search({
        query,
        offset,
        limit: SEARCH_PAGE_SIZE,
        ...(fresh ? { fresh: true } : {}),
        ...(this.filter.kind === 'untagged' ? { untaggedOnly: true } : {}),
        ...(this.filter.kind === 'tag' ? { tags: [this.filter.tag] } : {})
      })
      if (serial !== this.#serial) return
      this.result = result
      this.offset = offset
      this.searched = result.problem === null ? query : null
      // Main is still counting the project: ask for the counts again in a moment.
      if (result.counting) this.#countLater(serial)
    } catch (error) {
      if (serial === this.#serial) this.error = QuireError.from(error)
    } finally {
      if (serial === this.#serial) this.loading = false
    }
  }
}
