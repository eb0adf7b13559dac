// The first parts of every document's folders' stamp (document-stamp.ts: the inode and change
// time of the document folder and of its annotations/) taken by a worker thread, while the main
// thread reads and parses the document index. At 100,000 documents these are 200,000 stat calls:
// a quarter of `quire stats` when made on the main thread before the comparison could start, and
// each made through the thread pool would cost main tens of microseconds of its own. revisions/
// is left to the comparison: most documents have none, and one made since moved the document
// folder's change time.
//
// The worker is given as source, with nothing to import but Node's own modules, so the command
// line's bundle, the app's build and the tests' TypeScript loader all run it without an entry
// of its own. Its parts are formatted exactly as document-stamp.ts's folderPart formats them.
import { Worker } from 'node:worker_threads'

const SURVEY_SOURCE = `
const { statSync } = require('node:fs')
const { join } = require('node:path')
const { parentPort, workerData } = require('node:worker_threads')
const { documentsDir, names, subfolders } = workerData
function part(path) {
  try {
    const info = statSync(path, { throwIfNoEntry: false })
    return info ? info.ino + ':' + info.ctimeMs : '-'
  } catch {
    return '?'
  }
}
parentPort.postMessage(names.map((name) => {
  const folder = join(documentsDir, name)
  return [part(folder), ...subfolders.map((sub) => part(join(folder, sub)))].join('/')
}))
`

export interface FolderSurvey {
  /** Each surveyed folder's parts joined by "/" (the first three parts of a folders' stamp), by folder name. */
  readonly parts: Promise<Map<string, string>>
  /** Stops the worker when its answer is no longer wanted (the index is being rebuilt). */
  cancel(): void
}

/**
 * Starts surveying the folders `names` under `documentsDir` with their `subfolders` (annotations/
 * and revisions/), in a worker thread. A worker that fails leaves the map empty: every document is
 * then checked in place, as without a survey.
 */
export function surveyDocumentFolders(documentsDir: string, names: readonly string[], subfolders: readonly string[]): FolderSurvey {
  const worker = new Worker(SURVEY_SOURCE, { eval: true, workerData: { documentsDir, names, subfolders } })
  const parts = new Promise<Map<string, string>>((resolve) => {
    worker.once('message', (surveyed: string[]) => {
      resolve(new Map(names.map((name, index) => [name, surveyed[index] as string])))
      void worker.terminate()
    })
    worker.once('error', () => resolve(new Map()))
    worker.once('exit', () => resolve(new Map()))
  })
  return {
    parts,
    cancel: () => void worker.terminate()
  }
}
