// Counts for a project: documents, spans by tag and by annotator, each annotator's progress.
// Reads one document's layers at a time (the next few fetched ahead), so it runs in flat memory
// on large projects and lets other calls in between. The dashboard shows all of it;
// `quire stats` prints the part CorpusStats names. Both count through one ProjectTally.
import { setImmediate as nextTurn } from 'node:timers/promises'
import { ProjectTally } from '../../core/dashboard/project-tally'
import type { ProjectDashboard } from '../../shared/dashboard-model'
import type { DocumentRecord } from '../../shared/model'
import type { ProjectStore } from '../store/project-store'
import { CorpusPrefetcher, listDocumentsInParallel, parseCorpusDocument } from './corpus-reader'
import { documentIndexOf } from './document-index'

export type CorpusStats = Pick<
  ProjectDashboard,
  'projectName' | 'documents' | 'spans' | 'spansByTag' | 'spansByAnnotator' | 'spansByAnnotatorAndTag' | 'statusByAnnotator' | 'problems'
>

/** Documents read between turns of the event loop, so a big project never stalls other calls. */
const DOCUMENTS_PER_TURN = 20

export async function computeProjectDashboard(store: ProjectStore): Promise<ProjectDashboard> {
  const tally = new ProjectTally(store.manifest.tags.map((tag) => tag.id))
  const records: DocumentRecord[] = []
  for (const listing of await listDocumentsInParallel(store)) {
    if ('problem' in listing) tally.addProblem({ path: listing.problem.path ?? listing.id, message: listing.problem.message })
    else records.push(listing.record)
  }
  // Without their texts: the layers are all that is counted (a text with revisions is still
  // read, to place layers anchored to an earlier revision).
  const prefetcher = new CorpusPrefetcher(store, records, false)
  for (let index = 0; index < records.length; index++) {
    await prefetcher.prepare(index)
    const document = parseCorpusDocument(prefetcher.take(index), (problem) => tally.addProblem(problem))
    tally.addDocument(document?.layers ?? [])
    if ((index + 1) % DOCUMENTS_PER_TURN === 0) await nextTurn()
  }
  return tally.result(store.manifest.name)
}

/**
 * The counts `quire stats` prints, from the project's document index (checked against the
 * disk first, by each document's folders after a clean close; see document-index.ts): no
 * layer is read unless it changed since the index last saw it.
 */
export async function computeCorpusStats(store: ProjectStore): Promise<CorpusStats> {
  const index = documentIndexOf(store, { readsOnly: true })
  await index.foldersChecked()
  const tally = new ProjectTally(store.manifest.tags.map((tag) => tag.id))
  for (const entry of await index.entries()) {
    if (entry.problem) {
      tally.addProblem({ path: entry.problem.path ?? entry.id, message: entry.problem.message })
      continue
    }
    for (const layer of entry.layers) if (layer.problem) tally.addProblem({ path: layer.problem.path ?? entry.id, message: `${layer.problem.message} Its spans are left out.` })
    tally.addDocumentCounts(entry.layers.filter((layer) => !layer.problem))
  }
  const { projectName, documents, spans, spansByTag, spansByAnnotator, spansByAnnotatorAndTag, statusByAnnotator, problems } = tally.result(store.manifest.name)
  return { projectName, documents, spans, spansByTag, spansByAnnotator, spansByAnnotatorAndTag, statusByAnnotator, problems }
}
