// Project search: every match of a query in every document (or the chosen ones) as concordance
// lines, with the spans over each match (whose, which tag), filtered by tag or "untagged only",
// a page at a time. The run itself is project-search-runner.ts (workers, time limit).
//
// A search runs on in the background once its first screen is answered (project search over
// 10,000 documents answers in well under its whole run), and is kept: asking again gives the
// counts so far, and later pages come from the kept matches without searching again; the
// Search button asks for a fresh one, which sees every save since. Context
// is cut from each page's documents' texts when the page is asked for, so a search of a word
// found a million times keeps only offsets.
import { compileSearch } from '../../core/search/find-matches'
import { concordanceContext, passesTagFilters } from '../../core/search/concordance'
import type { ConcordanceLine, ProjectSearchRequest, ProjectSearchResult } from '../../shared/finding-model'
import { asUtf16 } from '../../shared/model'
import type { ProjectStore } from '../store/project-store'
import type { LayerService } from './layer-service'
import type { DocumentMatches } from './project-search-batch'
import { recordsOf, runSearch, searchedIds, type SearchRunOptions } from './project-search-runner'
import type { ProjectService } from './project-service'

/** A search running or run: its matches so far, and who waits for more of them. */
/** Documents searched on this thread first, for the first screen of a large search. */
const FIRST_SCREEN_DOCUMENTS = 50

interface KeptSearch {
  store: ProjectStore
  key: string
  documents: DocumentMatches[]
  /** The matches that pass the filters: document index and match index, pairwise. */
  passing: number[]
  documentsWithMatches: number
  documentsSearched: number
  timedOut: boolean
  done: boolean
  failure: { error: unknown } | null
  stopped: boolean
  /** Called whenever matches arrive or the run ends. */
  listeners: Set<() => void>
}

export class ProjectSearchService {
  #kept: KeptSearch | null = null

  constructor(
    private readonly projects: Pick<ProjectService, 'requireProject'>,
    private readonly layers: LayerService,
    private readonly options: SearchRunOptions = {}
  ) {}

  /**
   * The page asked for, as soon as its lines are known: a first screen does not wait for the
   * whole project to be counted (`counting` says the counts are still growing). The same search
   * asked again (for the counts, or another page) is answered from the kept run; `fresh`, or
   * another query or filter, searches again.
   */
  async search(request: ProjectSearchRequest): Promise<ProjectSearchResult> {
    const compiled = compileSearch(request.query)
    if (!compiled.ok) return { lines: [], totalMatches: 0, documentsWithMatches: 0, documentsSearched: 0, timedOut: false, problem: compiled.problem, counting: false }
    const store = this.projects.requireProject()
    const key = searchKey(request)
    const kept = this.#kept
    const reuse = kept !== null && kept.store === store && kept.key === key && !kept.failure && request.fresh !== true
    let search = reuse ? kept : this.#start(store, key, request)
    await untilLines(search, request.offset + request.limit)
    let lines = await pageLines(store, search, request.offset, request.limit)
    // A page's text changed since the search: its offsets are stale, so search again.
    if (lines === null) {
      search = this.#start(store, key, request)
      await untilLines(search, request.offset + request.limit)
      lines = (await pageLines(store, search, request.offset, request.limit)) ?? []
    }
    return {
      lines,
      totalMatches: search.passing.length / 2,
      documentsWithMatches: search.documentsWithMatches,
      documentsSearched: search.documentsSearched,
      timedOut: search.timedOut,
      problem: null,
      counting: !search.done
    }
  }

  /** Stops and forgets the kept search (the project closed). */
  forget(): void {
    if (this.#kept) this.#kept.stopped = true
    this.#kept = null
  }

  #start(store: ProjectStore, key: string, request: ProjectSearchRequest): KeptSearch {
    this.forget()
    const search: KeptSearch = {
      store,
      key,
      documents: [],
      passing: [],
      documentsWithMatches: 0,
      documentsSearched: 0,
      timedOut: false,
      done: false,
      failure: null,
      stopped: false,
      listeners: new Set()
    }
    this.#kept = search
    const notify = (): void => {
      for (const listener of search.listeners) listener()
    }
    const onBatch = (documents: readonly DocumentMatches[], documentsSearched: number): void => {
      for (const document of documents) {
        const documentIndex = search.documents.push(document) - 1
        let any = false
        for (let index = 0; index < document.tagging.length; index++) {
          if (!passesTagFilters(document.tagging[index] ?? null, request)) continue
          search.passing.push(documentIndex, index)
          any = true
        }
        if (any) search.documentsWithMatches++
      }
      search.documentsSearched = documentsSearched
      notify()
    }
    void (async () => {
      try {
        const ids = await searchedIds(store, request.documentIds)
        const strict = request.documentIds !== undefined
        // Plain text: the first documents are searched here at once, while the records of the
        // rest are read (10,000 document.json files take seconds) and the workers start.
        const firstIds = request.query.regex ? [] : ids.slice(0, FIRST_SCREEN_DOCUMENTS)
        let searchedBefore = 0
        const stopped = (): boolean => search.stopped
        for (const part of [firstIds, ids.slice(firstIds.length)]) {
          if (part.length === 0 || search.stopped) continue
          const { records } = await recordsOf(store, part, strict)
          const base = searchedBefore
          const options = part === firstIds ? { ...this.options, workerThreads: 0 } : this.options
          const run = await runSearch(store, this.layers, records, request.query, false, options, { onBatch: (documents, searched) => onBatch(documents, base + searched), stopped })
          searchedBefore += run.documentsSearched
          search.timedOut ||= run.timedOut
          if (run.timedOut) break
        }
      } catch (error) {
        search.failure = { error }
      } finally {
        search.done = true
        notify()
      }
    })()
    return search
  }
}

/** Resolves once the search has `lines` passing matches or has ended; throws what ended it badly. */
function untilLines(search: KeptSearch, lines: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const check = (): void => {
      if (search.failure) reject(search.failure.error)
      else if (search.done || search.passing.length / 2 >= lines) resolve()
      else return
      search.listeners.delete(check)
    }
    search.listeners.add(check)
    check()
  })
}

function searchKey(request: ProjectSearchRequest): string {
  const { query, documentIds, tags, untaggedOnly } = request
  return JSON.stringify([query.text, query.matchCase, query.matchDiacritics, query.wholeWord, query.regex, documentIds ?? null, tags ?? null, untaggedOnly ?? false])
}

/** The page's lines with their context, or null when a document's text changed since the search. */
async function pageLines(store: ProjectStore, search: KeptSearch, offset: number, limit: number): Promise<ConcordanceLine[] | null> {
  const lines: ConcordanceLine[] = []
  const texts = new Map<number, string>()
  const end = Math.min(search.passing.length / 2, offset + limit)
  for (let line = offset; line < end; line++) {
    const documentIndex = search.passing[line * 2] as number
    const matchIndex = search.passing[line * 2 + 1] as number
    const document = search.documents[documentIndex] as DocumentMatches
    let text = texts.get(documentIndex)
    if (text === undefined) {
      const state = await store.textState(document.documentId)
      if (state.graph.head.id !== document.revision) return null
      text = state.text
      texts.set(documentIndex, text)
    }
    const start = document.offsets[matchIndex * 2] as number
    const matchEnd = document.offsets[matchIndex * 2 + 1] as number
    lines.push({
      documentId: document.documentId,
      documentName: document.documentName,
      start: asUtf16(start),
      end: asUtf16(matchEnd),
      ...concordanceContext(text, start, matchEnd),
      taggedBy: document.tagging[matchIndex] ?? []
    })
  }
  return lines
}
