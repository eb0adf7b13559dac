// Counts for a project: documents, spans by tag and by annotator, each annotator's progress.
// Reads one document's layers at a time, so it runs in flat memory on large projects.
import type { DocumentStatus } from '../../shared/model'
import type { ProjectStore } from '../store/project-store'
import { listDocumentsInParallel, readCorpusDocumentSync } from './corpus-reader'

export interface CorpusStats {
  projectName: string
  documents: number
  spans: number
  /** Every tag of the project (zero when unused), then any other tag found in the layers. */
  spansByTag: Record<string, number>
  spansByAnnotator: Record<string, number>
  spansByAnnotatorAndTag: Record<string, Record<string, number>>
  /** How many documents each annotator has in each status (documents without a layer are not counted). */
  statusByAnnotator: Record<string, Record<DocumentStatus, number>>
  /** Files that could not be read; their spans are not counted. */
  problems: { path: string; message: string }[]
}

export async function computeCorpusStats(store: ProjectStore): Promise<CorpusStats> {
  const stats: CorpusStats = {
    projectName: store.manifest.name,
    documents: 0,
    spans: 0,
    spansByTag: Object.fromEntries(store.manifest.tags.map((tag) => [tag.id, 0])),
    spansByAnnotator: {},
    spansByAnnotatorAndTag: {},
    statusByAnnotator: {},
    problems: []
  }
  for (const listing of await listDocumentsInParallel(store)) {
    if ('problem' in listing) {
      stats.problems.push({ path: listing.problem.path ?? listing.id, message: listing.problem.message })
      continue
    }
    stats.documents++
    const document = readCorpusDocumentSync(store, listing.record, {
      withText: false,
      onProblem: (problem) => stats.problems.push({ path: problem.path, message: problem.message })
    })
    for (const layer of document?.layers ?? []) {
      const byStatus = (stats.statusByAnnotator[layer.annotator] ??= { 'not-started': 0, 'in-progress': 0, done: 0 })
      byStatus[layer.status]++
      const byTag = (stats.spansByAnnotatorAndTag[layer.annotator] ??= {})
      for (const annotation of layer.annotations) {
        stats.spans++
        stats.spansByTag[annotation.tag] = (stats.spansByTag[annotation.tag] ?? 0) + 1
        stats.spansByAnnotator[layer.annotator] = (stats.spansByAnnotator[layer.annotator] ?? 0) + 1
        byTag[annotation.tag] = (byTag[annotation.tag] ?? 0) + 1
      }
    }
  }
  return stats
}
