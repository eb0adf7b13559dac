import { describe, expect, it } from 'vitest'
import { listEveryDocument } from '../../src/renderer/src/lib/state/document-list-pages'
import { WorkInFlight } from '../../src/renderer/src/lib/state/work-in-flight'
import type { DocumentListPage, DocumentSummary } from '../../src/shared/model'

const summary = (name: string): DocumentSummary => ({
  id: name,
  name,
  sizeBytes: 1,
  length: 1,
  status: 'not-started',
  countsByTag: {},
  total: 0,
  layers: [],
  curation: null,
  reviewState: 'not-started',
  lastChangedAt: null
})

/** A main process whose list is `names`, and which may change it after the `changeAfter`th page. */
function listing(names: string[], change?: { after: number; to: string[]; times?: number }) {
  let list = names
  let version = 1
  let pages = 0
  let changes = 0
  const asked: string[] = []
  const api = {
    async listDocumentPage(_annotator: string | null, from: number, count: number): Promise<DocumentListPage> {
      asked.push(`page ${from}+${count}`)
      const answer = { documents: list.slice(from, from + count).map(summary), total: list.length, version }
      pages++
      if (change && pages === change.after && changes < (change.times ?? 1)) {
        list = change.to
        version++
        changes++
        pages = 0
      }
      return answer
    },
    async listDocuments(): Promise<DocumentSummary[]> {
      asked.push('whole list')
      return list.map(summary)
    }
  }
  return { api, asked }
}

const names = (count: number, prefix = 'doc'): string[] => Array.from({ length: count }, (_, index) => `${prefix}-${String(index).padStart(3, '0')}`)

describe('listEveryDocument', () => {
  it('takes the list a page at a time, in order, and a short list in one page', async () => {
    const { api, asked } = listing(names(25))
    expect((await listEveryDocument(api, 'Ayla', 10)).map((doc) => doc.name)).toEqual(names(25))
    expect(asked).toEqual(['page 0+10', 'page 10+10', 'page 20+10'])
    const short = listing(names(3))
    expect((await listEveryDocument(short.api, 'Ayla', 10)).map((doc) => doc.name)).toEqual(names(3))
    expect(short.asked).toEqual(['page 0+10'])
  })

  it('starts again when the list changed between pages, so no document is missed or listed twice', async () => {
    const grown = ['doc-000a', ...names(25)]
    const { api, asked } = listing(names(25), { after: 2, to: grown })
    expect((await listEveryDocument(api, 'Ayla', 10)).map((doc) => doc.name)).toEqual(grown)
    expect(asked).toEqual(['page 0+10', 'page 10+10', 'page 20+10', 'page 0+10', 'page 10+10', 'page 20+10'])
  })

  it('asks for the whole list at once when it keeps changing under the pages', async () => {
    const { api, asked } = listing(names(25), { after: 2, to: names(30, 'new'), times: 10 })
    expect((await listEveryDocument(api, 'Ayla', 10)).length).toBe(30)
    expect(asked.at(-1)).toBe('whole list')
  })

  it('asks for no page while a document is being opened, and goes on once it is', async () => {
    const { api, asked } = listing(names(25))
    const openings = new WorkInFlight()
    let openDocument!: () => void
    const opening = openings.during(() => new Promise<void>((resolve) => (openDocument = resolve)))
    const listed = listEveryDocument(api, 'Ayla', 10, () => openings.idle())
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(asked).toEqual([])
    openDocument()
    await opening
    expect((await listed).map((doc) => doc.name)).toEqual(names(25))
    expect(asked).toEqual(['page 0+10', 'page 10+10', 'page 20+10'])
  })

  it('holds the next page back while an opening starts between two pages', async () => {
    const openings = new WorkInFlight()
    const { api, asked } = listing(names(25))
    let openDocument!: () => void
    const pagedApi = {
      ...api,
      async listDocumentPage(annotator: string | null, from: number, count: number): Promise<DocumentListPage> {
        const page = await api.listDocumentPage(annotator, from, count)
        // A click on a document while the first page was on its way.
        if (from === 0) void openings.during(() => new Promise<void>((resolve) => (openDocument = resolve)))
        return page
      }
    }
    const listed = listEveryDocument(pagedApi, 'Ayla', 10, () => openings.idle())
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(asked).toEqual(['page 0+10'])
    openDocument()
    expect((await listed).map((doc) => doc.name)).toEqual(names(25))
    expect(asked).toEqual(['page 0+10', 'page 10+10', 'page 20+10'])
  })
})
