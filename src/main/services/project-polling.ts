// Looking for colleagues' changes where file watches do not suffice (a project with more folders
// than the system's inotify watches, some network drives): every file that matters is stat'ed
// again and again, and the paths whose size or modification time changed (or that appeared or
// went) are handed to the change tracker.
//
// The looks run on a worker thread. At 100,000 documents one look is some 400,000 stat calls,
// each a Stats object with four Dates on the heap of whoever calls, and a map of every path kept
// to compare with the next look. Made on the main thread in slices between calls, the slices'
// garbage and their sweep through memory left each save after them with minor GCs and cold
// caches: a save cost ×1.7 what it cost in a ten-document project (issue 13's corpus bench),
// though no slice ran while a call was answered. On a thread of its own the look touches
// neither the main thread's heap nor its core's caches.
//
// Like folder-survey.ts, the worker is given as source with nothing to import but Node's own
// modules, so the command line's bundle, the app's build and the tests' loader all run it. It
// applies no rule of Quire's but which folders are documents (the pattern is passed in): which
// changed paths matter (journals, revisions, temp files) is decided by the tracker as before.
import { Worker } from 'node:worker_threads'
import { DOCUMENT_ID_PATTERN } from '../../core/ids'
import { ANNOTATIONS_FOLDER, DOCUMENT_FILE_NAME, DOCUMENTS_FOLDER, ENTITIES_FILE_NAME, PROJECT_FILE_NAME, TEXT_FILE_NAME } from '../store/project-store'
import { REVISIONS_FOLDER } from '../store/revision-files'

// Changed paths go out as one string joined by NULs (no path holds one): one copy between
// threads instead of a clone per path.
const POLLING_SOURCE = `
const { readdirSync, readlinkSync, statSync } = require('node:fs')
const { join } = require('node:path')
const { parentPort, workerData } = require('node:worker_threads')
const { dir, documentsFolder, projectFiles, documentFiles, subfolders, documentIdSource, documentIdFlags, pollMs, idleFactor } = workerData
const documentId = new RegExp(documentIdSource, documentIdFlags)

// On Linux a thread has a nice value of its own: this one gives way to the main thread and the
// thread pool (a save's fsync waking up) on a busy machine. Elsewhere it runs as the process does.
try {
  require('node:os').setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), 19)
} catch {
  // Not Linux, or not allowed: the looks still pause four times as long as they take.
}

function look() {
  const signatures = new Map()
  const note = (path) => {
    try {
      const info = statSync(path, { throwIfNoEntry: false })
      if (info) signatures.set(path, info.size + ':' + info.mtimeMs)
    } catch {
      // Not readable now: it shows as removed, and as changed once readable again.
    }
  }
  const names = (folder) => {
    try {
      return readdirSync(folder)
    } catch {
      return []
    }
  }
  for (const name of projectFiles) note(join(dir, name))
  const documents = join(dir, documentsFolder)
  let entries = []
  try {
    entries = readdirSync(documents, { withFileTypes: true })
  } catch {
    // No documents folder (yet): nothing in it to look at.
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || !documentId.test(entry.name)) continue
    const folder = join(documents, entry.name)
    for (const name of documentFiles) note(join(folder, name))
    for (const sub of subfolders) for (const name of names(join(folder, sub))) note(join(folder, sub, name))
  }
  return signatures
}

let last = null
function lookAgain(lastLookMs) {
  setTimeout(() => {
    const started = performance.now()
    const current = look()
    const changed = []
    for (const [path, signature] of current) if (last.get(path) !== signature) changed.push(path)
    for (const path of last.keys()) if (!current.has(path)) changed.push(path)
    last = current
    if (changed.length > 0) parentPort.postMessage(changed.join('\\0'))
    lookAgain(performance.now() - started)
  }, Math.max(pollMs, lastLookMs * idleFactor))
}
const started = performance.now()
last = look()
lookAgain(performance.now() - started)
`

export interface PollingOptions {
  /** The shortest pause between two looks. */
  pollMs: number
  /** The next look waits this many times as long as the last one took (a large project's look takes seconds). */
  idleFactor: number
}

/** Looks at the project's files in `dir` until stopped; `onChanged` is given the paths each look found changed, added or gone. */
export function pollProjectFiles(dir: string, options: PollingOptions, onChanged: (paths: string[]) => void): { stop(): void } {
  const worker = new Worker(POLLING_SOURCE, {
    eval: true,
    workerData: {
      dir,
      documentsFolder: DOCUMENTS_FOLDER,
      projectFiles: [PROJECT_FILE_NAME, ENTITIES_FILE_NAME],
      documentFiles: [DOCUMENT_FILE_NAME, TEXT_FILE_NAME],
      subfolders: [ANNOTATIONS_FOLDER, REVISIONS_FOLDER],
      documentIdSource: DOCUMENT_ID_PATTERN.source,
      documentIdFlags: DOCUMENT_ID_PATTERN.flags,
      pollMs: options.pollMs,
      idleFactor: options.idleFactor
    }
  })
  // Never what keeps a process running (a command, a test run).
  worker.unref()
  let stopped = false
  worker.on('message', (changed: string) => {
    if (!stopped) onChanged(changed.split('\0'))
  })
  worker.on('error', (error) => {
    if (!stopped) console.warn(`Quire: stopped looking for colleagues' changes in ${dir}: ${error.message}`)
  })
  return {
    stop: () => {
      stopped = true
      void worker.terminate()
    }
  }
}
