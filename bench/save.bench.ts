// What one save costs on a big layer: the 5 MB document with about 88,000 spans, saved through
// QuireBackend as the window saves (applyAnnotationEdits), one new annotation at a time.
//
//   npm run bench -- save
//
// Setup as the reader bench's (bench/generate-corpus.ts, written through the real store).
// The services are those QuireBackend.applyAnnotationEdits calls (its own checks are a name
// lookup). Per save it measures the main process's own time — the event loop's active time while the
// save runs (performance.eventLoopUtilization), which leaves out the fsync the loop waits for
// in libuv's threads — and the total latency until the save is durable (the call resolving).
// Target: a new annotation < 10 ms of main-process time (median and 95th percentile). The
// journal's compaction (rewriting the whole layer file, as every save did before the journal)
// is timed too, for comparison; it runs once per megabyte of journal, on close and before a sync.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { AnnotationService } from '../src/main/services/annotation-service'
import { DocumentService } from '../src/main/services/document-service'
import { LayerService } from '../src/main/services/layer-service'
import { ProjectService } from '../src/main/services/project-service'
import { SettingsService } from '../src/main/services/settings-service'
import { asUtf16, type Annotation } from '../src/shared/model'
import { generateCorpus, wordsOfText, type WordRange } from './generate-corpus'
import { readSampleTexts, writeBenchProject } from './generate-project'
import { checkUnder, reportTargets } from './targets'

const ANNOTATOR = 'Bench Editor'
const SAVES = Number(process.env.QUIRE_SAVES ?? 60)
const MAIN_TARGET_MS = 10
const formatMs = (value: number): string => `${value.toFixed(1)} ms`

interface SaveTiming {
  mainMs: number
  totalMs: number
}

/** Times `run`: the event loop's active time (this process's main thread) and the wall time. */
async function timed(run: () => Promise<unknown>): Promise<SaveTiming> {
  const loopBefore = performance.eventLoopUtilization()
  const startedAt = performance.now()
  await run()
  const totalMs = performance.now() - startedAt
  const loop = performance.eventLoopUtilization(loopBefore)
  return { mainMs: loop.active, totalMs }
}

const percentile = (values: number[], share: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] as number
}
const median = (values: number[]): number => percentile(values, 0.5)

interface SaveBenchSetup {
  userDataDir: string
  projectDir: string
  documentId: string
  spanCount: number
  /** Words no bench span starts at, spread over the document: one per save. */
  freeWords: WordRange[]
}

/**
 * Generates the corpus and writes the project. In a function so that none of it stays reachable:
 * the app that saves did not generate its corpus, and a bench heap holding ~150 MB of its own
 * setup made V8's marking of it (100+ ms in steps) fall into the first saves.
 */
async function writeProject(root: string): Promise<SaveBenchSetup> {
  const corpus = generateCorpus(await readSampleTexts(), { targetBytes: 5 * 1024 * 1024, annotator: ANNOTATOR })
  console.log(`Save bench: a ${(Buffer.byteLength(corpus.text) / 2 ** 20).toFixed(1)} MB document with ${corpus.annotations.length} spans, ${SAVES} saves of one new annotation`)
  const written = await writeBenchProject(root, ANNOTATOR, [{ name: 'big', text: corpus.text, annotations: corpus.annotations }])
  const taken = new Set(corpus.annotations.map((annotation: Annotation) => annotation.start))
  const free = wordsOfText(corpus.text).filter((word) => !taken.has(asUtf16(word.start)))
  const freeWords = Array.from({ length: SAVES }, (_, index) => free[Math.floor(((index + 0.5) * free.length) / SAVES)]).filter((word) => word !== undefined)
  if (freeWords.length < SAVES) throw new Error('not enough free words to annotate')
  return {
    userDataDir: written.userDataDir,
    projectDir: written.projectDir,
    documentId: written.documentIds.get('big') as string,
    spanCount: corpus.annotations.length,
    freeWords
  }
}

const root = await mkdtemp(join(tmpdir(), 'quire-save-bench-'))
try {
  const setup = await writeProject(root)
  // The setup's garbage is the bench's, not the app's (run.ts starts benches with --expose-gc).
  globalThis.gc?.()
  const settings = await SettingsService.open(setup.userDataDir)
  const projects = new ProjectService(settings)
  const annotations = new AnnotationService(projects)
  const documents = new DocumentService(projects, new LayerService(projects))
  await projects.open(setup.projectDir)
  const layer = { documentId: setup.documentId, annotator: ANNOTATOR }
  // Opening the document loads the layer (not what is measured here; the reader bench times it).
  // Its answer is dropped at once, as main drops it once sent; what opening leaves is the app's.
  const openedSpans = (await documents.get(layer)).annotations.length
  if (openedSpans !== setup.spanCount) throw new Error(`the layer opened with ${openedSpans} spans, not ${setup.spanCount}`)

  const timings: SaveTiming[] = []
  for (const [index, word] of setup.freeWords.entries()) {
    const edit = { op: 'add' as const, annotation: { id: `save-bench-${index}`, start: asUtf16(word.start), end: asUtf16(word.end), tag: 'PERSON' } }
    timings.push(await timed(() => annotations.applyEdits(layer, [edit])))
  }
  if (process.env.QUIRE_BENCH_VERBOSE) console.log(timings.map((timing) => `${timing.mainMs.toFixed(1)}/${timing.totalMs.toFixed(1)}`).join(" "))
  const mainMs = timings.map((timing) => timing.mainMs)
  const totalMs = timings.map((timing) => timing.totalMs)

  // Folding the journal into the layer file (as before a sync, on close, past 1 MB of journal)
  // rewrites the whole layer: what every save cost before the journal.
  const compaction = await timed(() => projects.requireProject().settleWrites())
  await projects.close()
  const reopenedProjects = new ProjectService(await SettingsService.open(setup.userDataDir))
  await reopenedProjects.open(setup.projectDir)
  const fromDisk = await new DocumentService(reopenedProjects, new LayerService(reopenedProjects)).get(layer)
  await reopenedProjects.close()
  if (fromDisk.annotations.length !== setup.spanCount + SAVES) throw new Error(`reopened, the layer has ${fromDisk.annotations.length} spans, not ${setup.spanCount + SAVES}`)

  const medianVerdict = checkUnder('one new annotation, main-process time (median)', median(mainMs), MAIN_TARGET_MS, formatMs)
  const p95Verdict = checkUnder('one new annotation, main-process time (95th percentile)', percentile(mainMs, 0.95), MAIN_TARGET_MS, formatMs)
  console.log(`one new annotation, main-process time   median ${formatMs(median(mainMs))}  ${medianVerdict}, 95th percentile ${formatMs(percentile(mainMs, 0.95))}  ${p95Verdict}, max ${formatMs(Math.max(...mainMs))}   target < ${MAIN_TARGET_MS} ms`)
  console.log(`one new annotation, latency to durable  median ${formatMs(median(totalMs))}, max ${formatMs(Math.max(...totalMs))}   (includes the journal's fsync)`)
  console.log(`compaction (whole layer rewritten)      main ${formatMs(compaction.mainMs)}, total ${formatMs(compaction.totalMs)}   (what every save cost before the journal)`)
  console.log(`reopened: ${fromDisk.annotations.length} spans, every save there`)
} finally {
  await rm(root, { recursive: true, force: true })
}
process.exit(reportTargets())
