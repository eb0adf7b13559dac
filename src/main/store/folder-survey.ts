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
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'

// Names in and parts out as one string each, joined by a line feed (no folder name holds one):
// one string crosses between threads at the cost of a copy, 100,000 cost one clone each.
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
parentPort.postMessage(names.split('\\n').map((name) => {
  const folder = join(documentsDir, name)
  return [part(folder), ...subfolders.map((sub) => part(join(folder, sub)))].join('/')
}).join('\\n'))
`

/** Workers at most: the stat calls wait on the file system more than on a core. */
const MOST_WORKERS = 4

export interface FolderSurvey {
  /** Each surveyed folder's parts joined by "/" (the first parts of a folders' stamp), by folder name. */
  readonly parts: Promise<Map<string, string>>
  /** Stops the workers when their answer is no longer wanted (the index is being rebuilt). */
  cancel(): void
}

/**
 * Starts surveying the folders `names` under `documentsDir` with their `subfolders`, in worker
 * threads (one per core but one, up to MOST_WORKERS), each taking a share of the names. A worker that
 * fails leaves its share out of the map: those documents are then checked in place, as without
 * a survey.
 */
export function surveyDocumentFolders(documentsDir: string, names: readonly string[], subfolders: readonly string[]): FolderSurvey {
  // One core is left to the main thread, which parses the index meanwhile (a third thread on two
  // cores slowed the parse as much as it sped the survey).
  const count = Math.max(1, Math.min(MOST_WORKERS, availableParallelism() - 1, names.length))
  const share = Math.ceil(names.length / count)
  const workers: Worker[] = []
  const shares = Array.from({ length: count }, (_, position) => {
    const shareNames = names.slice(position * share, (position + 1) * share)
    const worker = new Worker(SURVEY_SOURCE, { eval: true, workerData: { documentsDir, names: shareNames.join('\n'), subfolders } })
    workers.push(worker)
    return new Promise<[readonly string[], string[]]>((resolve) => {
      worker.once('message', (surveyed: string) => {
        resolve([shareNames, surveyed.split('\n')])
        void worker.terminate()
      })
      worker.once('error', () => resolve([[], []]))
      worker.once('exit', () => resolve([[], []]))
    })
  })
  const parts = Promise.all(shares).then((answers) => {
    const byName = new Map<string, string>()
    for (const [shareNames, surveyed] of answers) for (const [position, name] of shareNames.entries()) byName.set(name, surveyed[position] as string)
    return byName
  })
  return {
    parts,
    cancel: () => {
      for (const worker of workers) void worker.terminate()
    }
  }
}
