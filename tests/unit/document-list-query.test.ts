// The document list's filtering and sorting (src/core/document-list): names by words in any
// case, review state and annotator progress, five sorts each way with names breaking ties, the
// open document kept; and "Go to document" ranking.
import { describe, expect, it } from 'vitest'
import { annotatorStatus, DocumentListIndex, documentListIndex, EMPTY_DOCUMENT_QUERY, isFiltered, narrows, prepareDocumentListIndex, queryDocuments, type DocumentListQuery, type DocumentQueryAnswer } from '../../src/core/document-list/document-list-query'
import { bestNameMatches, scoreName } from '../../src/core/document-list/go-to-document'
import { CURATION_ANNOTATOR, type DocumentStatus, type DocumentSummary } from '../../src/shared/model'

function doc(name: string, extra: Partial<DocumentSummary> = {}): DocumentSummary {
  return {
    id: name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    name,
    sizeBytes: 100,
    length: 100,
    status: 'not-started',
    countsByTag: {},
    total: 0,
    layers: [],
    curation: null,
    reviewState: 'not-started',
    lastChangedAt: null,
    ...extra
  }
}

const layer = (annotator: string, status: DocumentStatus, spans = 1): DocumentSummary['layers'][number] => ({ annotator, status, spans })

const DOCS = [
  doc('Alpha news 2021', { sizeBytes: 300, status: 'done', total: 5, lastChangedAt: '2026-01-02T10:00:00.000Z', layers: [layer('Ayla', 'done'), layer('Leyla', 'in-progress')], reviewState: 'in-progress' }),
  doc('beta report', { sizeBytes: 900, status: 'in-progress', total: 2, lastChangedAt: '2026-01-05T10:00:00.000Z', layers: [layer('Ayla', 'in-progress')], reviewState: 'in-progress' }),
  doc('Gamma News 2022', { sizeBytes: 50, total: 9, layers: [layer('Leyla', 'done'), layer(CURATION_ANNOTATOR, 'done')], reviewState: 'curated' }),
  doc('delta', { sizeBytes: 900 })
]

const names = (index: DocumentListIndex, query: Partial<DocumentListQuery>): string[] => [...queryDocuments(index, { ...EMPTY_DOCUMENT_QUERY, ...query })].map((position) => index.documents[position]!.name)

describe('DocumentListIndex', () => {
  const index = new DocumentListIndex(DOCS)

  it('counts your done documents and lists the annotators, without the gold layer', () => {
    expect(index.doneCount).toBe(1)
    expect(index.annotators).toEqual(['Ayla', 'Leyla'])
  })

  it('sorts by name whatever order the list came in', () => {
    expect(names(index, {})).toEqual(['Alpha news 2021', 'beta report', 'delta', 'Gamma News 2022'])
    expect(names(new DocumentListIndex([...DOCS].reverse()), {})).toEqual(['Alpha news 2021', 'beta report', 'delta', 'Gamma News 2022'])
  })

  it('sorts by size, status, last change and spans, names breaking ties, and reverses', () => {
    expect(names(index, { sort: 'size' })).toEqual(['beta report', 'delta', 'Alpha news 2021', 'Gamma News 2022'])
    expect(names(index, { sort: 'size', reversed: true })).toEqual(['Gamma News 2022', 'Alpha news 2021', 'delta', 'beta report'])
    expect(names(index, { sort: 'status' })).toEqual(['beta report', 'delta', 'Gamma News 2022', 'Alpha news 2021'])
    expect(names(index, { sort: 'last-change' })).toEqual(['beta report', 'Alpha news 2021', 'delta', 'Gamma News 2022'])
    expect(names(index, { sort: 'spans' })).toEqual(['Gamma News 2022', 'Alpha news 2021', 'beta report', 'delta'])
  })
})

describe('documentListIndex', () => {
  it('takes over the names’ work from the list before when only the counts changed, and redoes it when a name changed', () => {
    const first = documentListIndex([...DOCS].reverse())
    const byName = first.order('name')
    const saved = documentListIndex([...DOCS].reverse().map((summary) => ({ ...summary, total: summary.total + 1 })))
    expect(saved).not.toBe(first)
    expect(saved.order('name')).toBe(byName)
    expect(saved.lowerNames).toBe(first.lowerNames)
    expect(names(saved, { sort: 'spans' })).toEqual(['Gamma News 2022', 'Alpha news 2021', 'beta report', 'delta'])
    const renamed = documentListIndex([...DOCS].reverse().map((summary) => (summary.name === 'delta' ? { ...summary, name: 'aardvark' } : summary)))
    expect(renamed.order('name')).not.toBe(byName)
    expect(names(renamed, {})).toEqual(['aardvark', 'Alpha news 2021', 'beta report', 'Gamma News 2022'])
  })
})

describe('prepareDocumentListIndex', () => {
  /** A corpus-like list of `count` documents, every seventh done, every third with Leyla's layer too. */
  const corpus = (count: number): DocumentSummary[] =>
    Array.from({ length: count }, (_, index) =>
      doc(`News-${String(index).padStart(6, '0')}`, {
        status: index % 7 === 0 ? 'done' : 'not-started',
        layers: index % 3 === 0 ? [layer('Ayla', 'done'), layer('Leyla', 'in-progress')] : [layer('Ayla', 'in-progress')],
        sizeBytes: 500 + (index % 97)
      })
    )

  it('pauses between slices of a long list and makes the same index as in one go, which the list then finds ready', async () => {
    const documents = corpus(12_000)
    let pauses = 0
    const prepared = await prepareDocumentListIndex(documents, async () => void pauses++)
    expect(pauses).toBeGreaterThanOrEqual(4)
    expect(documentListIndex(documents)).toBe(prepared)
    const inOneGo = new DocumentListIndex(documents)
    expect(prepared.lowerNames).toEqual(inOneGo.lowerNames)
    expect([prepared.doneCount, prepared.annotators]).toEqual([inOneGo.doneCount, inOneGo.annotators])
    expect([...prepared.order('name')]).toEqual([...inOneGo.order('name')])
    const query = { ...EMPTY_DOCUMENT_QUERY, name: 'news-0012', sort: 'size' as const }
    expect([...queryDocuments(prepared, query)]).toEqual([...queryDocuments(inOneGo, query)])
  })

  it('sorts a list that came out of name order', async () => {
    const documents = corpus(12_000).reverse()
    const prepared = await prepareDocumentListIndex(documents, async () => undefined)
    expect(names(prepared, {}).slice(0, 2)).toEqual(['News-000000', 'News-000001'])
    expect([...prepared.order('name')]).toEqual([...new DocumentListIndex(documents).order('name')])
  })

  it('takes the names’ work over from the newest index without pausing when only counts changed', async () => {
    const documents = corpus(12_000)
    const first = await prepareDocumentListIndex(documents, async () => undefined)
    const saved = documents.map((summary, position) => (position === 5 ? { ...summary, status: 'done' as const } : summary))
    let pauses = 0
    const after = await prepareDocumentListIndex(saved, async () => void pauses++)
    expect(pauses).toBe(0)
    expect(after.lowerNames).toBe(first.lowerNames)
    expect(after.order('name')).toBe(first.order('name'))
    expect(after.doneCount).toBe(first.doneCount + 1)
  })
})

describe('a list after a save', () => {
  it('counts done documents and annotators again from the summaries that changed', () => {
    const before = new DocumentListIndex(DOCS)
    const savedBeta = DOCS.map((summary) => (summary.name === 'beta report' ? { ...summary, status: 'done' as const, layers: [layer('Ayla', 'done')] } : summary))
    const afterBeta = new DocumentListIndex(savedBeta, before)
    expect(afterBeta.doneCount).toBe(2)
    expect(afterBeta.annotators).toBe(before.annotators)
    const zaur = savedBeta.map((summary) => (summary.name === 'delta' ? { ...summary, layers: [layer('Zaur', 'done')] } : summary))
    const afterZaur = new DocumentListIndex(zaur, afterBeta)
    expect(afterZaur.annotators).toEqual(['Ayla', 'Leyla', 'Zaur'])
    expect(afterZaur.doneCount).toBe(2)
    const fresh = new DocumentListIndex(zaur)
    expect([afterZaur.doneCount, afterZaur.annotators]).toEqual([fresh.doneCount, fresh.annotators])
  })
})

describe('queryDocuments', () => {
  const index = new DocumentListIndex(DOCS)

  it('keeps names holding every typed word, in any case', () => {
    expect(names(index, { name: 'NEWS' })).toEqual(['Alpha news 2021', 'Gamma News 2022'])
    expect(names(index, { name: ' news  2022 ' })).toEqual(['Gamma News 2022'])
    expect(names(index, { name: 'news report' })).toEqual([])
  })

  it('filters by review state and by an annotator’s progress, a missing layer being not started', () => {
    expect(names(index, { reviewState: 'curated' })).toEqual(['Gamma News 2022'])
    expect(names(index, { progress: { annotator: 'Leyla', status: 'done' } })).toEqual(['Gamma News 2022'])
    expect(names(index, { progress: { annotator: 'Leyla', status: 'not-started' } })).toEqual(['beta report', 'delta'])
    expect(names(index, { progress: { annotator: 'Ayla', status: 'in-progress' }, sort: 'size', reversed: true })).toEqual(['beta report'])
    expect(annotatorStatus(DOCS[3]!, 'Ayla')).toBe('not-started')
  })

  it('keeps the open document through the state filters, but not through the name filter', () => {
    expect(names(index, { reviewState: 'curated', keepId: 'delta' })).toEqual(['delta', 'Gamma News 2022'])
    expect(names(index, { name: 'news', keepId: 'delta' })).toEqual(['Alpha news 2021', 'Gamma News 2022'])
  })

  it('narrows the last answer when words are typed on, and goes through the list again when they are not', () => {
    const reversed: DocumentListQuery = { ...EMPTY_DOCUMENT_QUERY, reversed: true, sort: 'size' }
    const answerFor = (query: DocumentListQuery, previous: DocumentQueryAnswer | null = null): DocumentQueryAnswer => ({ index, query, shown: queryDocuments(index, query, previous) })
    const fresh = (query: DocumentListQuery): string[] => [...queryDocuments(index, query)].map((position) => index.documents[position]!.name)
    const shownNames = (answer: DocumentQueryAnswer): string[] => [...answer.shown].map((position) => index.documents[position]!.name)
    let answer = answerFor({ ...reversed, name: 'a' })
    for (const name of ['a ', 'a n', 'a ne', 'al ne', 'al new 20']) {
      const query = { ...reversed, name }
      expect(narrows(answer, index, query)).toBe(true)
      answer = answerFor(query, answer)
      expect(shownNames(answer)).toEqual(fresh(query))
    }
    expect(shownNames(answer)).toEqual(['Alpha news 2021'])
    // A word taken back, another sort, another list or a state filter: not a narrowing.
    expect(narrows(answer, index, { ...reversed, name: 'new 20 alp' })).toBe(true)
    expect(narrows(answer, index, { ...reversed, name: 'al new 2' })).toBe(false)
    expect(narrows(answer, index, { ...reversed, name: 'al new 20', reversed: false })).toBe(false)
    expect(narrows(answer, index, { ...reversed, name: 'al new 20', reviewState: 'curated' })).toBe(false)
    expect(narrows(answer, new DocumentListIndex(DOCS), { ...reversed, name: 'al new 20' })).toBe(false)
    const widened = { ...reversed, name: 'a' }
    expect(shownNames(answerFor(widened, answer))).toEqual(fresh(widened))
  })

  it('says when anything is filtered', () => {
    expect(isFiltered(EMPTY_DOCUMENT_QUERY)).toBe(false)
    expect(isFiltered({ ...EMPTY_DOCUMENT_QUERY, name: '  ', sort: 'size' })).toBe(false)
    expect(isFiltered({ ...EMPTY_DOCUMENT_QUERY, name: 'a' })).toBe(true)
    expect(isFiltered({ ...EMPTY_DOCUMENT_QUERY, reviewState: 'curated' })).toBe(true)
  })

  it('sorts keys too large to pack with the name rank the slow way, in the same order', () => {
    const huge = new DocumentListIndex([doc('b', { sizeBytes: 2 ** 51 }), doc('a', { sizeBytes: 2 ** 51 }), doc('c', { sizeBytes: 2 ** 52 })])
    expect(names(huge, { sort: 'size' })).toEqual(['c', 'a', 'b'])
  })

  it('handles an empty project', () => {
    expect(names(new DocumentListIndex([]), { name: 'x', sort: 'spans' })).toEqual([])
  })
})

describe('Go to document', () => {
  it('ranks a start before a word start before anywhere before letters in order', () => {
    expect(scoreName('news-2021', 'news')).toBe(0)
    expect(scoreName('old-news', 'news')).toBe(1)
    expect(scoreName('oldnews', 'news')).toBe(2)
    expect(scoreName('new-items-2021', 'nws')).toBeGreaterThan(3)
    expect(scoreName('news', 'xyz')).toBeNull()
    // Letters close together beat letters far apart.
    expect(scoreName('nwes-x', 'nws')!).toBeLessThan(scoreName('n-e-w-x-s', 'nws')!)
  })

  it('keeps the best few, best first, ties in the list’s order', () => {
    const lowerNames = ['oldnews', 'news-b', 'old-news', 'news-a', 'n-e-w-s', 'report']
    expect(bestNameMatches(lowerNames, 'News', 10).map((match) => lowerNames[match.position])).toEqual(['news-b', 'news-a', 'old-news', 'oldnews', 'n-e-w-s'])
    expect(bestNameMatches(lowerNames, 'news', 2).map((match) => lowerNames[match.position])).toEqual(['news-b', 'news-a'])
    expect(bestNameMatches(lowerNames, '', 3).map((match) => match.position)).toEqual([0, 1, 2])
  })
})
