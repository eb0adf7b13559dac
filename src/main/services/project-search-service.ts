// Project search: every match of a query in every document (or the chosen ones) as concordance
// lines, with the spans over each match (whose, which tag), filtered by tag or "untagged only",
// a page at a time. The run itself is project-search-runner.ts (workers, time limit).
//
// The last search's matches are kept: a request for a later page of the same search (same
// query, documents and filters, offset > 0) pages through them without searching again; a
// request from the first line always searches, so a new search sees every save since. Context
// is cut from each page's documents' texts when the page is asked for, so a search of a word
// found a million times keeps only offsets.
import { compileSearch } from '../../core/search/find-matches'
import { concordanceContext, passesTagFilters } from '../../core/search/concordance'
import type { ConcordanceLine, ProjectSearchRequest, ProjectSearchResult } from '../../shared/finding-model'
import { asUtf16 } from '../../shared/model'
import type { ProjectStore } from '../store/project-store'
import type { LayerService } from './layer-service'
import type { DocumentMatches } from './project-search-batch'
import { runSearch, searchedRecords, type SearchRunOptions } from './project-search-runner'
import type { ProjectService } from './project-service'

interface KeptSearch {
  store: ProjectStore
  key: string
  documents: DocumentMatches[]
  /** The matches that pass the filters: document index and match index, pairwise. */
  passing: Int32Array
  totalMatches: number
  documentsWithMatches: number
  documentsSearched: number
  timedOut: boolean
}

export class ProjectSearchService {
  #kept: KeptSearch | null = null

  constructor(
    private readonly projects: Pick<ProjectService, 'requireProject'>,
    private readonly layers: LayerService,
    private readonly options: SearchRunOptions = {}
  ) {}

  async search(request: ProjectSearchRequest): Promise<ProjectSearchResult> {
    const compiled = compileSearch(request.query)
    if (!compiled.ok) return { lines: [], totalMatches: 0, documentsWithMatches: 0, documentsSearched: 0, timedOut: false, problem: compiled.problem }
    const store = this.projects.requireProject()
    const key = searchKey(request)
    const kept = this.#kept
    let search = request.offset > 0 && kept && kept.store === store && kept.key === key ? kept : await this.#run(store, key, request)
    let lines = await pageLines(store, search, request.offset, request.limit)
    // A page's text changed since the search: its offsets are stale, so search again.
    if (lines === null) {
      search = await this.#run(store, key, request)
      lines = (await pageLines(store, search, request.offset, request.limit)) ?? []
    }
    return {
      lines,
      totalMatches: search.totalMatches,
      documentsWithMatches: search.documentsWithMatches,
      documentsSearched: search.documentsSearched,
      timedOut: search.timedOut,
      problem: null
    }
  }

  /** Forgets the kept search (the project closed). */
  forget(): void {
    this.#kept = null
  }

  async #run(store: ProjectStore, key: string, request: ProjectSearchRequest): Promise<KeptSearch> {
    const { records } = await searchedRecords(store, request.documentIds)
    const run = await runSearch(store, this.layers, records, request.query, false, this.options)
    const passing: number[] = []
    const withMatches = new Set<number>()
    run.documents.forEach((document, documentIndex) => {
      for (let index = 0; index < document.tagging.length; index++) {
        if (!passesTagFilters(document.tagging[index] ?? null, request)) continue
        passing.push(documentIndex, index)
        withMatches.add(documentIndex)
      }
    })
    const search: KeptSearch = {
      store,
      key,
      documents: run.documents,
      passing: Int32Array.from(passing),
      totalMatches: passing.length / 2,
      documentsWithMatches: withMatches.size,
      documentsSearched: run.documentsSearched,
      timedOut: run.timedOut
    }
    this.#kept = search
    return search
  }
}

function searchKey(request: ProjectSearchRequest): string {
  const { query, documentIds, tags, untaggedOnly } = request
  return JSON.stringify([query.text, query.matchCase, query.matchDiacritics, query.wholeWord, query.regex, documentIds ?? null, tags ?? null, untaggedOnly ?? false])
}

/** The page's lines with their context, or null when a document's text changed since the search. */
async function pageLines(store: ProjectStore, search: KeptSearch, offset: number, limit: number): Promise<ConcordanceLine[] | null> {
  const lines: ConcordanceLine[] = []
  const texts = new Map<number, string>()
  const end = Math.min(search.totalMatches, offset + limit)
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
