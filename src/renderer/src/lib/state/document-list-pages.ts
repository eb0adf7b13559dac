// The whole document list, taken a page at a time: at 100,000 documents one answer would be
// 9.5 MB, a second or more of main's time during which nothing else is answered (a switch of
// documents waits behind it), and one long task in the window to unpack. Pages keep every
// task short. Pages must come from the same list: when documents are added, removed or renamed
// between two pages, the list's version changes and the pages are taken again.
import type { QuireApi } from '../../../../shared/api'
import { DOCUMENT_LIST_PAGE, type DocumentSummary } from '../../../../shared/model'

/** Tries with the list changing under every one of them before the whole list is asked for in one answer. */
const PAGED_TRIES = 3

export async function listEveryDocument(api: Pick<QuireApi, 'listDocumentPage' | 'listDocuments'>, annotator: string | null, pageSize = DOCUMENT_LIST_PAGE): Promise<DocumentSummary[]> {
  for (let attempt = 0; attempt < PAGED_TRIES; attempt++) {
    const first = await api.listDocumentPage(annotator, 0, pageSize)
    const pages = [first.documents]
    let taken = first.documents.length
    while (taken < first.total) {
      const page = await api.listDocumentPage(annotator, taken, pageSize)
      if (page.version !== first.version || page.documents.length === 0) break
      pages.push(page.documents)
      taken += page.documents.length
    }
    if (taken >= first.total) return pages.length === 1 ? first.documents : pages.flat()
  }
  return api.listDocuments(annotator)
}
