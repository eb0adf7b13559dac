// Messages between the window and the find worker (find-worker.ts). The worker holds the
// document's text, sent once per opened document (or text revision), and answers each query
// with the matches' offsets in a transferred Int32Array, so even 100,000 matches cost the
// window no copying and no parsing.
import type { SearchQuery } from '../../../../core/search/find-matches'

export type ToFindWorker =
  | { kind: 'text'; textId: number; text: string }
  | { kind: 'find'; requestId: number; textId: number; query: SearchQuery }

export type FromFindWorker =
  | {
      kind: 'found'
      requestId: number
      /** start0, end0, start1, end1, … in UTF-16 offsets of the text. */
      offsets: Int32Array
      count: number
      /** Stopped at MAX_FIND_MATCHES before the end of the text. */
      truncated: boolean
    }
  | { kind: 'problem'; requestId: number; problem: string }

/** More matches than anyone steps through; counting stops there ("500,000+"). */
export const MAX_FIND_MATCHES = 500_000
