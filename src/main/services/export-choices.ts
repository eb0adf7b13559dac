// What the export dialog offers: every annotator with spans in the project (so the user can
// choose whose work to export) and a destination per format beside the project folder.
import { basename, dirname, join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { AnnotatorSummary, ExportChoices, ExportFormat } from '../../shared/model'
import type { ProjectStore } from '../store/project-store'
import { readCorpusDocumentSync } from './corpus-reader'

/** Reads documents between turns of the event loop so a large project never stalls other calls. */
const DOCUMENTS_PER_TURN = 50

export async function readExportChoices(store: ProjectStore): Promise<ExportChoices> {
  return { annotators: await summarizeAnnotators(store), suggestedOutPaths: suggestOutPaths(store.dir) }
}

export async function summarizeAnnotators(store: ProjectStore): Promise<AnnotatorSummary[]> {
  const byName = new Map<string, AnnotatorSummary>()
  let sinceTurn = 0
  for (const listing of await store.listDocuments()) {
    if (!('record' in listing)) continue
    // Unreadable layers are left out here; the export itself reports them as warnings.
    const read = readCorpusDocumentSync(store, listing.record, { withText: false, onProblem: () => undefined })
    for (const layer of read?.layers ?? []) {
      if (layer.annotations.length === 0) continue
      const summary = byName.get(layer.annotator) ?? { name: layer.annotator, documents: 0, spans: 0 }
      summary.documents++
      summary.spans += layer.annotations.length
      byName.set(layer.annotator, summary)
    }
    if (++sinceTurn >= DOCUMENTS_PER_TURN) {
      sinceTurn = 0
      await nextTurn()
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))
}

/** Beside the project folder, never inside it: an export is not project data and must not be synced as such. */
export function suggestOutPaths(projectDir: string): Record<ExportFormat, string> {
  const parent = dirname(projectDir)
  const stem = `${basename(projectDir) || 'quire'}-export`
  return {
    jsonl: join(parent, `${stem}.jsonl`),
    brat: join(parent, `${stem}-brat`),
    conll: join(parent, `${stem}.conll`),
    tei: join(parent, `${stem}-tei`),
    csv: join(parent, `${stem}.csv`),
    doccano: join(parent, `${stem}-doccano.jsonl`),
    'label-studio': join(parent, `${stem}-label-studio.json`)
  }
}
