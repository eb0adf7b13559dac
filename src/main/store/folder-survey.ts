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
import { join } from 'node:path'
import { documentStamp, surveyedFolderParts, type DocumentFileNames } from './document-stamp'
import { PAUSE_AFTER_BURST_SOURCE } from '../services/work-in-bursts'

// Names in as one string joined by a line feed (no folder name holds one), parts out as one
// string per chunk: one string crosses between threads at the cost of a copy, 100,000 cost one
// clone each. Each source defines what one name gives (`one`); CLAIMING runs it over the chunks.
const SURVEY_SOURCE = `
const { statSync } = require('node:fs')
const { sep } = require('node:path')
const { parentPort, workerData } = require('node:worker_threads')
const { documentsDir, subfolders } = workerData
function part(path) {
  try {
    const info = statSync(path, { throwIfNoEntry: false })
    return info ? info.ino + ':' + info.ctimeMs : '-'
  } catch {
    return '?'
  }
}
function one(name) {
  const folder = documentsDir + sep + name
  let parts = part(folder)
  for (const sub of subfolders) parts += '/' + part(folder + sep + sub)
  return parts
}
`

// The files' stamp of each document (document-stamp.ts's documentStamp, made the same way to the
// character, which a test holds), for the files' check after opening: at 100,000 documents some
// 400,000 stat calls and 200,000 listings. Made on the main thread in slices between calls, their
// garbage (a Stats object with four Dates per call in Node 20) and their sweep through memory
// made each save during the check dearer, though no slice ran while a call was answered. A
// document that cannot be looked at gets "?", which no stamp is: it is summarised again.
const FILES_STAMP_SOURCE = `
const { readdirSync, statSync } = require('node:fs')
const { createHash } = require('node:crypto')
const { join } = require('node:path')
const { parentPort, workerData } = require('node:worker_threads')
const { documentsDir, files } = workerData
function fileStamp(info) {
  return info ? info.size + ':' + info.mtimeMs : '-'
}
function filesStamp(folder) {
  const parts = [fileStamp(statSync(join(folder, files.document), { throwIfNoEntry: false })), fileStamp(statSync(join(folder, files.text), { throwIfNoEntry: false }))]
  for (const sub of [files.annotations, files.revisions]) {
    const dir = join(folder, sub)
    let listed
    try {
      listed = readdirSync(dir)
    } catch {
      parts.push(sub + ':none')
      continue
    }
    for (const name of listed.filter((candidate) => !candidate.endsWith('.tmp')).sort()) parts.push(name + '=' + fileStamp(statSync(join(dir, name), { throwIfNoEntry: false })))
  }
  return createHash('sha1').update(parts.join('|')).digest('base64url')
}
function one(name) {
  try {
    return filesStamp(join(documentsDir, name))
  } catch {
    return '?'
  }
}
`

/** Names a worker (or the thread waiting for the survey) takes at a time. */
const CHUNK_NAMES = 256

/**
 * The workers' loop: each claims the next chunk of names from a counter they share (with the
 * thread that started them, which may help: FolderSurvey.helpedParts), so a thread that is
 * slowed takes fewer chunks instead of holding up the answer with its share.
 */
const CLAIMING = `
if (workerData.background) {
  // On Linux a thread has a nice value of its own: work nobody waits for gives way to the main
  // thread, the thread pool and the window (on two cores a survey at full speed made the list's
  // scrolling stutter).
  try {
    require('node:os').setPriority(Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop()), 19)
  } catch {
    // Not Linux, or not allowed.
  }
}
${PAUSE_AFTER_BURST_SOURCE}
const claims = new Int32Array(workerData.claims)
const names = workerData.count === 0 ? [] : workerData.names.split('\\n')
const chunks = []
const parts = []
for (;;) {
  const chunk = Atomics.add(claims, 0, 1)
  const from = chunk * ${CHUNK_NAMES}
  if (from >= names.length) break
  chunks.push(chunk)
  // Nobody waits for a check in the background: it goes in bursts (work-in-bursts.ts).
  parts.push(names.slice(from, from + ${CHUNK_NAMES}).map((name) => {
    const part = one(name)
    if (workerData.background) pauseAfterBurst()
    return part
  }).join('\\n'))
}
parentPort.postMessage({ chunks, parts })
`

/** Workers at most: the stat calls wait on the file system more than on a core. */
const MOST_WORKERS = 4

export interface FolderSurvey {
  /** What was found of each surveyed folder (the first parts of its folders' stamp joined by "/", or its files' stamp), by folder name. */
  readonly parts: Promise<Map<string, string>>
  /**
   * The same, this thread taking chunks of the folders left too until none is: for a session
   * that only waits for the survey (`quire stats`), whose thread would otherwise sit idle
   * while the workers finish (it blocks the thread meanwhile).
   */
  helpedParts(): Promise<Map<string, string>>
  /** Stops the workers when their answer is no longer wanted (the index is being rebuilt). */
  cancel(): void
}

/**
 * Starts surveying the folders `names` under `documentsDir` with their `subfolders`, in worker
 * threads (one per core but one, up to MOST_WORKERS), taking chunks of the names in turn. A worker that
 * fails leaves its chunks out of the map: those documents are then checked in place, as without
 * a survey. `background`: nobody waits for it (the app's check after a clean opening): on Linux
 * the workers run at the lowest priority.
 */
export function surveyDocumentFolders(documentsDir: string, names: readonly string[], subfolders: readonly string[], background = false): FolderSurvey {
  return survey(SURVEY_SOURCE, { documentsDir, subfolders, background }, names, background, (name) => surveyedFolderParts(join(documentsDir, name), subfolders))
}

/**
 * The files' stamp (document-stamp.ts's documentStamp) of each folder `names` under
 * `documentsDir`, taken by worker threads as surveyDocumentFolders takes the folders' parts.
 * `background`: on Linux the workers run at the lowest priority (nobody waits for them).
 */
export function surveyFilesStamps(documentsDir: string, names: readonly string[], files: DocumentFileNames, background: boolean): FolderSurvey {
  return survey(FILES_STAMP_SOURCE, { documentsDir, files, background }, names, background, (name) => {
    try {
      return documentStamp(join(documentsDir, name), files)
    } catch {
      return '?'
    }
  })
}

/**
 * `background`: the workers do not keep the process running (a window closing the project meanwhile).
 * `inPlace`: what one name gives, made on this thread as the workers make it (helpedParts).
 */
function survey(source: string, workerData: object, names: readonly string[], background: boolean, inPlace: (name: string) => string): FolderSurvey {
  // One core is left to the main thread, which parses the index meanwhile (a third thread on two
  // cores slowed the parse as much as it sped the survey).
  const count = Math.max(1, Math.min(MOST_WORKERS, availableParallelism() - 1, names.length))
  const claims = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT))
  const byName = new Map<string, string>()
  const joined = names.join('\n')
  const workers: Worker[] = []
  const answers = Array.from({ length: count }, () => {
    const worker = new Worker(source + CLAIMING, { eval: true, workerData: { ...workerData, names: joined, count: names.length, claims: claims.buffer } })
    if (background) worker.unref()
    workers.push(worker)
    return new Promise<void>((resolve) => {
      worker.once('message', ({ chunks, parts }: { chunks: number[]; parts: string[] }) => {
        for (const [position, chunk] of chunks.entries()) {
          const from = chunk * CHUNK_NAMES
          for (const [offset, part] of (parts[position] as string).split('\n').entries()) byName.set(names[from + offset] as string, part)
        }
        resolve()
        void worker.terminate()
      })
      worker.once('error', () => resolve())
      worker.once('exit', () => resolve())
    })
  })
  const parts = Promise.all(answers).then(() => byName)
  return {
    parts,
    helpedParts: () => {
      for (;;) {
        const from = Atomics.add(claims, 0, 1) * CHUNK_NAMES
        if (from >= names.length) break
        for (const name of names.slice(from, from + CHUNK_NAMES)) byName.set(name, inPlace(name))
      }
      return parts
    },
    cancel: () => {
      for (const worker of workers) void worker.terminate()
    }
  }
}
