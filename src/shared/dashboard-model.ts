// The project dashboard's numbers, as main computes them (src/core/dashboard/project-tally.ts)
// and the window draws them. `quire stats` prints a subset of the same tally.
import type { DocumentStatus } from './model'

export type StatusCounts = Record<DocumentStatus, number>

/** One UTC day on which an annotator's layers gained spans, with the running total up to its end. */
export interface ProgressPoint {
  /** YYYY-MM-DD, in UTC: the same day wherever the annotators and the reader are. */
  day: string
  /** Spans made on this day, by their creation time. */
  added: number
  /** Spans made up to the end of this day. */
  total: number
}

export interface AnnotatorProgress {
  annotator: string
  /** Only the days something was made, oldest first. */
  points: ProgressPoint[]
  /** Spans whose creation time cannot be read: counted in the totals, on no day. */
  undated: number
}

export interface ProjectDashboard {
  projectName: string
  /** Documents whose record could be read (a document whose text could not be read still counts). */
  documents: number
  /** Spans in every layer, the gold layer's included. */
  spans: number
  /** The project's tag ids in their order, then any other tag found in the layers. */
  tags: string[]
  /** Every tag of the project (zero when unused), then any other tag found; every layer, the gold layer's included. */
  spansByTag: Record<string, number>
  /** The same as spansByTag, counting people's layers only (the gold layer repeats their spans). */
  spansByTagInPeopleLayers: Record<string, number>
  spansByAnnotator: Record<string, number>
  spansByAnnotatorAndTag: Record<string, Record<string, number>>
  /**
   * One status per document, from the people's layers on it (the gold layer is a later stage,
   * counted in its own row): done when every person with a layer marked it done, not started
   * when no one has a layer or every layer is not started, in progress otherwise.
   */
  statusOverall: StatusCounts
  /** How many documents each annotator has in each status (documents without their layer are not counted). */
  statusByAnnotator: Record<string, StatusCounts>
  /** People with a layer, by name, then the gold layer ('curation') when there is one. */
  annotators: string[]
  /** Each annotator's spans by the UTC day they were made (spans deleted since are not counted). */
  progress: AnnotatorProgress[]
  /** Documents two or more people have a layer on: what an agreement measure can compare. */
  sharedDocuments: number
  /** Files that could not be read; their spans are not counted. */
  problems: { path: string; message: string }[]
}
