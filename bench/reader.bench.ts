// `npm run bench -- reader`: the reader on long documents, in the browser edition in headless
// Chromium. Generates 100 KB, 1 MB and 5 MB documents from the sample texts with about one
// annotation per 60 characters, writes them as a real project, and prints per size: the time
// from clicking the document to its visible highlights painted, the live JS heap, the time
// from a tag key press to the new highlight painted, and the longest task and frame gap while
// scrolling from top to bottom. A missed target fails the run after the summary has listed it
// (bench/targets.ts); so does a broken measurement (nothing painted, wrong text, lost edits).
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { ensureBuilt, RENDERER_BUILD } from '../src/server/app-build'
import { collectPageProblems, launchChromium } from '../tests/helpers/quire'
import { startBrowserEditionProcess, type BrowserEditionProcess } from './browser-edition-process'
import { HIDE_SUGGESTIONS_SCRIPT } from '../src/shared/suggestions-preference'
import { readLayerFromDisk } from '../src/main/store/layer-on-disk'
import { BrokenMeasurement, check, formatMs, measurePageMemory, median, type PageMemory } from './browser-metrics'
import { PAGE_PROBE_SCRIPT, type OpenTiming, type ScrollReport, type TagTiming, type VisibleBlockCheck, type WordTarget } from './browser-probe'
import { coveredCharacters, generateCorpus, type GeneratedCorpus } from './generate-corpus'
import { readSampleTexts, writeBenchProject, type BenchDocument } from './generate-project'
import { checkUnder, reportTargets } from './targets'

const ANNOTATOR = 'Bench Editor'
const COVER_NAME = 'A short note'
const OPEN_RUNS = 3
const TAG_PRESSES = 12
const SCROLL_MAX_STEPS = 300
const FRAME_MS = 16
const TAG_LIMIT_MS = 50
const LONG_TASK_MS = 50
const OUTPUT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'output')

interface SizeSpec {
  label: string
  bytes: number
  /** Opening target, ms; null where the issue sets none. */
  openLimitMs: number | null
  screenshot: string | null
}

const SIZES: SizeSpec[] = [
  { label: '100 KB', bytes: 100 * 1024, openLimitMs: null, screenshot: 'reader-100kb.png' },
  { label: '1 MB', bytes: 1024 * 1024, openLimitMs: 300, screenshot: null },
  { label: '5 MB', bytes: 5 * 1024 * 1024, openLimitMs: 1000, screenshot: 'reader-5mb.png' }
]

interface SizeResult {
  spec: SizeSpec
  corpus: GeneratedCorpus
  openMs: number[]
  memory: PageMemory
  tag: TagLatencies
  scroll: ScrollReport
}

const documentName = (spec: SizeSpec): string => `Bench ${spec.label}`

async function main(): Promise<void> {
  const rootDir = await mkdtemp(join(tmpdir(), 'quire-bench-reader-'))
  let edition: BrowserEditionProcess | null = null
  let browser: Browser | null = null
  try {
    const sources = await readSampleTexts()
    const corpora = SIZES.map((spec, index) => generateCorpus(sources, { targetBytes: spec.bytes, annotator: ANNOTATOR, seed: 1000 + index }))
    const documents: BenchDocument[] = [
      // Opened when the page loads, so every measured open starts from a settled page.
      { name: COVER_NAME, text: sources[0] ?? 'Quire reader bench.', annotations: [] },
      ...SIZES.map((spec, index) => ({ name: documentName(spec), text: (corpora[index] as GeneratedCorpus).text, annotations: (corpora[index] as GeneratedCorpus).annotations }))
    ]
    const generationStarted = performance.now()
    const project = await writeBenchProject(rootDir, ANNOTATOR, documents)
    console.log(`Project written through the store in ${formatMs(performance.now() - generationStarted)}: ${project.projectDir}`)
    for (const [index, spec] of SIZES.entries()) {
      const corpus = corpora[index] as GeneratedCorpus
      const id = project.documentIds.get(documentName(spec)) as string
      const layerDir = join(project.projectDir, 'documents', id)
      const textBytes = (await stat(join(layerDir, 'text.txt'))).size
      console.log(
        `  ${spec.label.padEnd(7)} ${textBytes.toLocaleString('en')} bytes, ${corpus.annotations.length.toLocaleString('en')} annotations ` +
          `(1 per ${(corpus.text.length / corpus.annotations.length).toFixed(1)} chars; ${corpus.nestedCount} nested, ${corpus.overlappingCount} overlapping)`
      )
    }

    if (await ensureBuilt(RENDERER_BUILD)) console.log('Renderer rebuilt (its sources were newer than out/renderer).')
    edition = await startBrowserEditionProcess(project.projectDir, project.userDataDir)
    browser = await launchChromium()
    await mkdir(OUTPUT_DIR, { recursive: true })

    const results: SizeResult[] = []
    for (const [index, spec] of SIZES.entries()) {
      console.log(`\n${spec.label}: opening, tagging, scrolling…`)
      const documentDir = join(project.projectDir, 'documents', project.documentIds.get(documentName(spec)) as string)
      results.push(await measureSize(browser, edition, spec, corpora[index] as GeneratedCorpus, documentDir))
    }
    await saveNestingCloseUp(browser, edition, documentName(SIZES[0] as SizeSpec))
    printSummary(results)
  } finally {
    await browser?.close().catch(() => undefined)
    await edition?.stop().catch(() => undefined)
    await rm(rootDir, { recursive: true, force: true })
  }
}

async function measureSize(browser: Browser, edition: BrowserEditionProcess, spec: SizeSpec, corpus: GeneratedCorpus, documentDir: string): Promise<SizeResult> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB' })
  // Suggestions off: suggesting has its own bench (bench/suggestions.bench.ts).
  await context.addInitScript({ content: HIDE_SUGGESTIONS_SCRIPT })
  try {
    const page = await context.newPage()
    const problems = collectPageProblems(page)
    await page.addInitScript(PAGE_PROBE_SCRIPT)
    await page.goto(edition.url)
    await waitForHeading(page, COVER_NAME)

    const name = documentName(spec)
    const openMs: number[] = []
    for (let run = 0; run < OPEN_RUNS; run++) {
      if (run > 0) {
        await page.locator('.document-open', { hasText: COVER_NAME }).click()
        await waitForHeading(page, COVER_NAME)
      }
      await page.evaluate((documentName) => (globalThis as unknown as ProbeWindow).__quireBenchProbe.armOpen(documentName, 60_000), name)
      await page.locator('.document-open', { hasText: name }).click()
      const timing = await page.evaluate(() => (globalThis as unknown as ProbeWindow).__quireBenchProbe.openResult as Promise<OpenTiming>)
      openMs.push(timing.paintedAt - timing.clickAt)
      console.log(`  open run ${run + 1}: ${formatMs(timing.paintedAt - timing.clickAt)}`)
    }
    await checkVisibleHighlights(page, corpus)
    // Let resize measurements settle before the picture and the heap reading.
    await page.waitForTimeout(300)
    if (spec.screenshot) {
      await page.screenshot({ path: join(OUTPUT_DIR, spec.screenshot) })
      console.log(`  screenshot: bench/output/${spec.screenshot}`)
    }
    const memory = await measurePageMemory(page)
    console.log(`  heap ${memory.heapUsedMb.toFixed(1)} MB after GC, ${memory.domNodes.toLocaleString('en')} DOM nodes`)

    const tag = await measureTagging(page)
    await page.locator('[data-testid="save-state"]', { hasText: 'All changes saved' }).waitFor({ timeout: 60_000 })
    const savedCount = await annotationsOnDisk(documentDir)
    check(
      savedCount === corpus.annotations.length + TAG_PRESSES,
      `${name}: ${savedCount} annotations on disk after tagging, expected ${corpus.annotations.length + TAG_PRESSES}`
    )

    const scroll = await page.evaluate((maxSteps) => (globalThis as unknown as ProbeWindow).__quireBenchProbe.scrollThrough(maxSteps) as Promise<ScrollReport>, SCROLL_MAX_STEPS)
    check(scroll.reachedBottom, `${name}: scrolling never reached the bottom (scroll height ${scroll.scrollHeight}px)`)
    const last = await page.evaluate(() => (globalThis as unknown as ProbeWindow).__quireBenchProbe.lastRenderedBlock() as { start: number; length: number } | null)
    check(last !== null && last.start + last.length === corpus.text.length, `${name}: at the bottom the last rendered block ends at ${last ? last.start + last.length : 'nothing'}, not at the document's end ${corpus.text.length}`)
    // At the bottom too (the tagged words are all near the top): text and highlights exact.
    await checkVisibleHighlights(page, corpus)
    const unsupported = scroll.longTasks.find((task) => task.duration < 0)
    check(!unsupported, `${name}: this Chromium does not report long tasks`)
    console.log(
      `  scroll: ${scroll.steps} steps of ~${scroll.stepPx}px over ${scroll.scrollHeight.toLocaleString('en')}px in ${formatMs(scroll.durationMs)}; ` +
        `${scroll.frames} frames, ${scroll.framesOver50Ms} over 50 ms apart (95th percentile gap ${formatMs(scroll.p95FrameGapMs)}, longest ${formatMs(scroll.longestFrameGapMs)}); ` +
        `long tasks: ${scroll.longTasks.map((task) => Math.round(task.duration)).join(', ') || 'none'}`
    )
    check(problems.length === 0, `${name}: the page reported errors:\n${problems.join('\n')}`)
    return { spec, corpus, openMs, memory, tag, scroll }
  } finally {
    await context.close()
  }
}

/** A 2× picture of the first nested highlights in a document, to judge their legibility. */
async function saveNestingCloseUp(browser: Browser, edition: BrowserEditionProcess, name: string): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 2, locale: 'en-GB' })
  await context.addInitScript({ content: HIDE_SUGGESTIONS_SCRIPT })
  try {
    const page = await context.newPage()
    await page.goto(edition.url)
    await waitForHeading(page, COVER_NAME)
    await page.locator('.document-open', { hasText: name }).click()
    await waitForHeading(page, name)
    const nested = page.locator('.reader .segment.highlight[style*="--bands"]').first()
    await nested.waitFor({ timeout: 10_000 })
    await nested.evaluate((element) => element.scrollIntoView({ block: 'center' }))
    await page.waitForTimeout(200)
    const box = await nested.boundingBox()
    check(box !== null, 'the nested highlight has no box on screen')
    const clip = { x: 280, y: Math.max(0, box.y - 110), width: 680, height: 240 }
    await page.screenshot({ path: join(OUTPUT_DIR, 'reader-nested-closeup.png'), clip })
    console.log('Close-up of nested highlights: bench/output/reader-nested-closeup.png')
  } finally {
    await context.close()
  }
}

/** Annotations in the document's (only) layer, as the server saved it: its file and journal. */
async function annotationsOnDisk(documentDir: string): Promise<number> {
  const folder = join(documentDir, 'annotations')
  const files = (await readdir(folder)).filter((name) => name.endsWith('.json'))
  check(files.length === 1, `expected one annotation file in ${folder}, found ${files.length}`)
  const read = await readLayerFromDisk(join(folder, files[0] as string))
  return read?.layer.annotations.length ?? 0
}

interface ProbeWindow {
  __quireBenchProbe: {
    armOpen(documentName: string, timeoutMs: number): void
    openResult: Promise<OpenTiming>
    armTag(timeoutMs: number): void
    tagResult: Promise<TagTiming>
    pickUntaggedWord(usedWords: string[]): WordTarget | null
    visibleBlocks(): VisibleBlockCheck[]
    scrollThrough(maxSteps: number): Promise<ScrollReport>
    lastRenderedBlock(): { start: number; length: number } | null
  }
}

async function waitForHeading(page: Page, name: string): Promise<void> {
  await page.locator('.reader-header h1', { hasText: name }).waitFor({ timeout: 60_000 })
  await page.locator('.reader .block').first().waitFor({ timeout: 60_000 })
}

/** Every block in view shows exactly its text, with exactly the characters the generated annotations cover highlighted. */
async function checkVisibleHighlights(page: Page, corpus: GeneratedCorpus): Promise<void> {
  const blocks = await page.evaluate(() => (globalThis as unknown as ProbeWindow).__quireBenchProbe.visibleBlocks())
  check(blocks.length > 0, 'no block of the document is in view')
  let highlights = 0
  for (const block of blocks) {
    const end = block.start + block.text.length
    check(block.text === corpus.text.slice(block.start, end), `the block at offset ${block.start} shows text that differs from the document`)
    const expected = coveredCharacters(corpus.annotations, block.start, end)
    check(block.highlightedChars === expected, `the block at offset ${block.start} highlights ${block.highlightedChars} characters; the annotations cover ${expected}`)
    highlights += block.highlights
  }
  check(highlights > 0, 'no highlight is in view')
  console.log(`  check: ${blocks.length} blocks in view show the right text and ${highlights} highlighted segments cover exactly the annotated characters`)
}

interface TagLatencies {
  /** Key press → start of the first frame showing the new highlight (its animation-frame callback). */
  toFrameMs: number[]
  /** Key press → that frame's rendering done (style, layout, paint). */
  toPaintedMs: number[]
}

/** Double-clicks an untagged word, presses 1 and times the key press to the new highlight's frame. */
async function measureTagging(page: Page): Promise<TagLatencies> {
  const used: string[] = []
  const latencies: TagLatencies = { toFrameMs: [], toPaintedMs: [] }
  for (let press = 0; press < TAG_PRESSES; press++) {
    const target = await page.evaluate((usedWords) => (globalThis as unknown as ProbeWindow).__quireBenchProbe.pickUntaggedWord(usedWords), used)
    check(target !== null, `no untagged word left in view for press ${press + 1}`)
    used.push(target.word)
    await page.mouse.dblclick(target.x, target.y)
    await page.evaluate(() => (globalThis as unknown as ProbeWindow).__quireBenchProbe.armTag(10_000))
    await page.keyboard.press('1')
    const timing = await page.evaluate(() => (globalThis as unknown as ProbeWindow).__quireBenchProbe.tagResult as Promise<TagTiming>)
    check(timing.text === target.word, `press ${press + 1}: the new highlight reads "${timing.text}", expected "${target.word}"`)
    latencies.toFrameMs.push(timing.frameAt - timing.keyAt)
    latencies.toPaintedMs.push(timing.paintedAt - timing.keyAt)
    // An editor reads before the next tag; this also keeps presses from queueing behind each other.
    await page.waitForTimeout(120)
  }
  console.log(`  tag key → frame: ${latencies.toFrameMs.map((ms) => ms.toFixed(1)).join(', ')} ms`)
  console.log(`  tag key → painted: ${latencies.toPaintedMs.map((ms) => ms.toFixed(1)).join(', ')} ms`)
  return latencies
}

function printSummary(results: SizeResult[]): void {
  console.log('\nReader figures (headless Chromium, browser edition)')
  const cores = availableParallelism()
  const load = loadavg()[0] ?? 0
  console.log(
    `Machine: ${cores} cores, load average ${load.toFixed(1)} over the last minute` +
      (load > cores ? ' — other processes were competing for the CPU, so these timings are inflated' : '')
  )
  for (const { spec, corpus, openMs, memory, tag, scroll } of results) {
    const openMedian = median(openMs)
    const tagMedian = median(tag.toFrameMs)
    const tagMax = Math.max(...tag.toFrameMs)
    const longestTask = Math.max(0, ...scroll.longTasks.map((task) => task.duration))
    console.log(`\n${spec.label} — ${corpus.text.length.toLocaleString('en')} characters, ${corpus.annotations.length.toLocaleString('en')} annotations`)
    const openTarget = spec.openLimitMs === null ? '(no target)' : `target < ${spec.openLimitMs} ms: ${checkUnder(`${spec.label} open → highlights painted (median)`, openMedian, spec.openLimitMs, formatMs)}`
    console.log(`  open → visible highlights painted  median ${formatMs(openMedian)} (runs ${openMs.map((ms) => Math.round(ms)).join(', ')})  ${openTarget}`)
    console.log(`  JS heap after GC                    ${memory.heapUsedMb.toFixed(1)} MB (${memory.domNodes.toLocaleString('en')} DOM nodes)`)
    console.log(
      `  tag key → frame with the highlight  median ${formatMs(tagMedian)}, max ${formatMs(tagMax)} over ${tag.toFrameMs.length} presses  ` +
        `target median < ${FRAME_MS} ms: ${checkUnder(`${spec.label} tag key → highlight frame (median)`, tagMedian, FRAME_MS, formatMs)}, ` +
        `max < ${TAG_LIMIT_MS} ms: ${checkUnder(`${spec.label} tag key → highlight frame (max)`, tagMax, TAG_LIMIT_MS, formatMs)}`
    )
    console.log(`    … and that frame painted          median ${formatMs(median(tag.toPaintedMs))}, max ${formatMs(Math.max(...tag.toPaintedMs))}`)
    console.log(
      `  scroll top → bottom                 longest task ${scroll.longTasks.length === 0 ? 'none over 50 ms' : `${formatMs(longestTask)} (${scroll.longTasks.length} over 50 ms)`}  ` +
        `target no task over ${LONG_TASK_MS} ms: ${checkUnder(`${spec.label} longest task while scrolling`, longestTask, LONG_TASK_MS, formatMs)}`
    )
    console.log(
      `    frames while scrolling            ${scroll.frames}, 95th percentile gap ${formatMs(scroll.p95FrameGapMs)}, longest ${formatMs(scroll.longestFrameGapMs)}, ${scroll.framesOver50Ms} over 50 ms`
    )
  }
}

main().then(
  () => process.exit(reportTargets()),
  (error: unknown) => {
    if (error instanceof BrokenMeasurement) console.error(`\nBroken measurement: ${error.message}`)
    else console.error(error)
    process.exit(1)
  }
)
