// The whole document list, taken a page at a time: at 100,000 documents one answer would be
// 9.5 MB, a second or more of main's time during which nothing else is answered (a switch of
// documents waits behind it), and one long task in the window to unpack. Pages keep every
// task short. Pages must come from the same list: when documents are added, removed or renamed
// between two pages, the list's version changes and the pages are taken again.
import type { QuireApi } from '../../../../shared/api'
import { DOCUMENT_LIST_PAGE, type DocumentSummary } from '../../../../shared/model'

/** Tries with the list changing under every one of them before the whole list is asked for in one answer. */
const PAGED_TRIES = 3

/**
 * `beforeEachPage` is waited for before each page is asked for: the window holds the pages back
 * while a document opens (AppState), because main answers a page between each of the opening's
 * file reads, and a switch clicked while the list arrived waited behind several pages.
 */
export async function listEveryDocument(
  api: Pick<QuireApi, 'listDocumentPage' | 'listDocuments'>,
  annotator: string | null,
  pageSize = DOCUMENT_LIST_PAGE,
  beforeEachPage: () => Promise<void> = () => Promise.resolve()
): Promise<DocumentSummary[]> {
  for (let attempt = 0; attempt < PAGED_TRIES; attempt++) {
    await beforeEachPage()
    const first = await api.listDocumentPage(annotator, 0, pageSize)
    const pages = [first.documents]
    let taken = first.documents.length
    while (taken < first.total) {
      await beforeEachPage()
      const page = await api.listDocumentPage(annotator, taken, pageSize)
      if (page.version !== first.version || page.documents.length === 0) break
      pages.push(page.documents)
      taken += page.documents.length
    }
    if (taken >= first.total) return pages.length === 1 ? first.documents : pages.flat()
  }
  return api.listDocuments(annotator)
}
