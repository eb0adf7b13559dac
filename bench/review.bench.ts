// `npm run bench -- review`: comparing annotators and measuring their agreement.
//
// Part 1, a 5 MB document with three annotators' layers of about 88,000 spans each that mostly
// agree (retagged spans, moved boundaries, spans only one made), written as a real project and
// served by the browser edition in its own process, driven in headless Chromium by a fourth
// person (a reviewer with no layer of their own, so all three layers are colleagues' layers read
// over the API). It times: clicking "Compare 3 layers" until the counts, "Disagreement 1 of N"
// and the first disagreement marked current are painted (a fresh page load each run, so the
// layers are not in the page yet); pressing `n` until the next disagreement is painted as
// current; the computeAgreement call for this document, from the page.
//
// Part 2, project agreement: 10,000 documents × 3 annotators × 100 spans, written straight
// through DurableJsonFile, measured by computeAgreement in a fresh process at 2,500 and at
// 10,000 documents: the time, and the peak RSS of both (memory must stay flat).
//
//   npm run bench -- review      (or: npx tsx --expose-gc bench/review.bench.ts [--documents N] [--skip-browser] [--skip-project] [--profile-page])
//
// --profile-page saves the page's CPU profile of the last compare run and of the n presses to
// bench/output/review-*.cpuprofile (open them in Chrome DevTools' Performance panel).
//
// A missed target fails the run after the summary (bench/targets.ts); so does a broken
// measurement (wrong counts on screen, the wrong disagreement marked, wrong agreement figures).
import { benchDocumentRecord, writeBenchLayer } from './bench-store-files'
import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { compareLayers, filterPositions, type LayerComparison } from '../src/core/review/compare'
import { computeAgreement } from '../src/main/services/agreement-service'
import { ProjectStore } from '../src/main/store/project-store'
import { ensureBuilt, RENDERER_BUILD } from '../src/server/app-build'
import type { AgreementOutcome } from '../src/shared/model'
import { type Annotation } from '../src/shared/model'
import { startBrowserEditionProcess, type BrowserEditionProcess } from './browser-edition-process'
import { HIDE_SUGGESTIONS_SCRIPT } from '../src/shared/suggestions-preference'
import { BrokenMeasurement, check, formatMs, median, startPageProfile, stopPageProfile } from './browser-metrics'
import { REVIEW_PROBE_SCRIPT, type CompareExpectation, type CompareOpenTiming, type SettleTiming, type StepTiming } from './browser-probe'
import { generateCorpus, seededRandom, varyAnnotations, wordsOfText, type LayerVariation, type WordRange } from './generate-corpus'
import { readSampleTexts, writeBenchProject } from './generate-project'
import { checkAtMost, checkUnder, reportTargets } from './targets'
import { lowerDriverPriority, restoreDriverPriority } from './driver-priority'

const ANNOTATORS = ['Aylin Demir', 'Bora Kaya', 'Cem Yilmaz'] as const
/** Opens the document: a fourth person, so every compared layer is a colleague's. */
const REVIEWER = 'Dana Reviewer'
const COVER_NAME = 'A short note'
const DOCUMENT_NAME = 'Review 5 MB'
const DOCUMENT_BYTES = 5 * 1024 * 1024
const COMPARE_RUNS = 3
const STEP_PRESSES = 20
const AGREEMENT_CALLS = 3
const COMPARE_LIMIT_MS = 1000
const STEP_LIMIT_MS = 50
const SETTLE_PRESSES = 12
/** Issue 12: no task in the window longer than 50 ms; a settle is an edit like a tag key's. */
const SETTLE_FREEZE_LIMIT_MS = 50
const DOCUMENT_AGREEMENT_LIMIT_MS = 1000
const PROJECT_DOCUMENTS = 10_000
const PROJECT_SPANS_PER_LAYER = 100
const PROJECT_LIMIT_SECONDS = 10
/** Peak RSS at all documents over peak RSS at a quarter of them: flat is about ×1. */
const MEMORY_GROWTH_LIMIT = 1.5
const TAGS = ['PERSON', 'ORG', 'EVENT', 'PROGRAM'] as const
const FIXED_TIMESTAMP = '2026-01-01T00:00:00.000Z'
const PROFILE_PAGE = process.argv.includes('--profile-page')

/**
 * How each annotator departs from the shared base layer: about one position in six ends up a
 * disagreement, as between careful annotators who have not yet been through curation.
 */
const VARIATIONS: Record<(typeof ANNOTATORS)[number], Omit<LayerVariation, 'annotator' | 'seed'>> = {
  'Aylin Demir': { retagged: 0.01, reshaped: 0.01, dropped: 0.01, added: 0.01 },
  'Bora Kaya': { retagged: 0.025, reshaped: 0.02, dropped: 0.015, added: 0.012 },
  'Cem Yilmaz': { retagged: 0.025, reshaped: 0.02, dropped: 0.015, added: 0.012 }
}

interface CompareFigures {
  spansByAnnotator: number[]
  comparison: LayerComparison<Annotation>
  disagreements: number
  /** Click → painted, per run (fresh page each). */
  openMs: number[]
  /** Per run: how many getLayer calls the page had made before the click (compare mode reads none). */
  layersLoadedBefore: number[]
  /** Per run: when main's comparison (compareDocument) had arrived, ms after the click (negative: before it). */
  layersArrivedMs: number[]
  /** Compare clicked at once after the Review tab opened: the comparison not prepared yet. */
  openAtOnceMs: number[]
  /** Compare mode opened again on the same page, the layers already loaded there. */
  reopenMs: number[]
  stepToFrameMs: number[]
  stepToPaintedMs: number[]
  /** computeAgreement in this process on a freshly opened store: nothing parsed yet. */
  agreementColdMs: number
  /** computeAgreement from the page, the document list shown (its layers listed), before comparing. */
  agreementMs: number[]
  /** computeAgreement from the page once compare mode has read the layers. */
  agreementAfterCompareMs: number[]
  /** Start curating (pre-filled, unanimous): click to the panel counting the disagreements left. */
  curationStartMs: number
  /** Per settle key press: key → the count left painted, and the longest tick gap meanwhile. */
  settleToPaintedMs: number[]
  settleFreezeMs: number[]
}

interface ProjectFigures {
  documents: number
  tokens: number
  seconds: number
  peakRssMb: number
  peakHeapMb: number
  /** Strict span F1 counts of the first pair, and problems reported. */
  firstPairPossible: number
  problems: number
  fleissKappa: number | null
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  if (args[0] === '--measure-project') {
    await measureProjectAgreement(args[1] as string)
    return
  }
  if (args[0] === '--generate-project') {
    // For profiling by hand: --generate-project DIR N [FROM], then --measure-project DIR.
    await generateAgreementProject(args[1] as string, Number(args[3] ?? 0), Number(args[2]))
    return
  }
  const documentsOption = args.indexOf('--documents')
  const documents = documentsOption === -1 ? PROJECT_DOCUMENTS : Number(args[documentsOption + 1])
  const root = await mkdtemp(join(tmpdir(), 'quire-bench-review-'))
  let compare: CompareFigures | null = null
  let project: { small: ProjectFigures; full: ProjectFigures; expectedPossible: [number, number] } | null = null
  try {
    if (!args.includes('--skip-browser')) compare = await measureCompareMode(join(root, 'compare'))
    if (!args.includes('--skip-project')) project = await measureProject(join(root, 'agreement'), documents)
  } finally {
    await rm(root, { recursive: true, force: true })
  }
  printSummary(compare, project, documents)
}

// ---- Part 1: one 5 MB document in the browser edition ----

async function measureCompareMode(rootDir: string): Promise<CompareFigures> {
  const generationStarted = performance.now()
  const sources = await readSampleTexts()
  const base = generateCorpus(sources, { targetBytes: DOCUMENT_BYTES, annotator: 'base', seed: 4242 })
  const words = wordsOfText(base.text)
  const layers = ANNOTATORS.map((annotator, index) => ({
    annotator,
    annotations: varyAnnotations(base.text, base.annotations, { annotator, seed: 77 + index, ...VARIATIONS[annotator] }, words)
  }))
  const project = await writeBenchProject(rootDir, REVIEWER, [
    { name: COVER_NAME, text: sources[0] ?? 'Quire review bench.', annotations: [] },
    { name: DOCUMENT_NAME, text: base.text, annotations: [], otherLayers: layers }
  ])
  const documentId = project.documentIds.get(DOCUMENT_NAME) as string
  // What the page must show, from the same comparison code run here on the generated layers.
  const comparison = compareLayers(layers.map((layer) => ({ annotator: layer.annotator, spans: layer.annotations })))
  const disagreements = filterPositions(comparison.positions)
  const share = disagreements.length / comparison.positions.length
  console.log(
    `Project written in ${formatMs(performance.now() - generationStarted)}: "${DOCUMENT_NAME}", ${base.text.length.toLocaleString('en')} characters; ` +
      `layers of ${layers.map((layer) => `${layer.annotator} ${layer.annotations.length.toLocaleString('en')}`).join(', ')} spans; ` +
      `${comparison.positions.length.toLocaleString('en')} positions, ${disagreements.length.toLocaleString('en')} disagreements (${(share * 100).toFixed(1)}%: ` +
      `${comparison.counts['tag-differs'].toLocaleString('en')} tag, ${comparison.counts['boundaries-differ'].toLocaleString('en')} boundaries, ${comparison.counts['only-in-some'].toLocaleString('en')} only in some)`
  )
  check(share >= 0.1 && share <= 0.2, `the generated layers disagree at ${(share * 100).toFixed(1)}% of positions, not 10–20%`)
  check(disagreements.length > STEP_PRESSES + 1, 'too few disagreements to walk')
  const expectation = (number: number): CompareExpectation => ({
    counts: { ...comparison.counts },
    currentStart: (disagreements[number - 1] as (typeof disagreements)[number]).start,
    currentNumber: number
  })

  // The same call the page makes (backend.computeAgreement → agreement-service), in this process
  // on a store just opened: every layer file is read, parsed and checked.
  const coldStore = await ProjectStore.open(project.projectDir)
  let agreementColdMs: number
  try {
    const started = performance.now()
    const outcome = await computeAgreement(coldStore, { documentIds: [documentId], annotators: [...ANNOTATORS] })
    agreementColdMs = performance.now() - started
    check(outcome.problems.length === 0 && outcome.report.pairs[0]?.strict.possible === layers[0]?.annotations.length, 'the cold computeAgreement counted the wrong spans')
  } finally {
    await coldStore.close()
  }
  console.log(`  document agreement in this process, nothing parsed yet: ${formatMs(agreementColdMs)}`)

  if (await ensureBuilt(RENDERER_BUILD)) console.log('Renderer rebuilt (its sources were newer than out/renderer).')
  // Loaded here, not at the top: the project agreement's child processes never need Playwright.
  const { launchChromium } = await import('../tests/helpers/quire')
  let edition: BrowserEditionProcess | null = null
  let browser: Browser | null = null
  try {
    edition = await startBrowserEditionProcess(project.projectDir, project.userDataDir)
    browser = await launchChromium()
    // After the launch, so the browser runs at normal priority; the server above was started before.
    console.log(`  ${lowerDriverPriority()}`)
    const figures: CompareFigures = {
      spansByAnnotator: layers.map((layer) => layer.annotations.length),
      comparison,
      disagreements: disagreements.length,
      openMs: [],
      openAtOnceMs: [],
      layersLoadedBefore: [],
      layersArrivedMs: [],
      reopenMs: [],
      stepToFrameMs: [],
      stepToPaintedMs: [],
      agreementColdMs,
      agreementMs: [],
      agreementAfterCompareMs: [],
      curationStartMs: Number.NaN,
      settleToPaintedMs: [],
      settleFreezeMs: []
    }
    const agreementCall = [{ documentIds: [documentId], annotators: [...ANNOTATORS] }]
    const checkAgreement = (outcome: { ok: boolean; value?: AgreementOutcome }): void => {
      check(outcome.ok && outcome.value, `computeAgreement failed: ${JSON.stringify(outcome).slice(0, 300)}`)
      const { report, problems } = outcome.value
      check(problems.length === 0 && report.documents === 1, `computeAgreement counted ${report.documents} documents with ${problems.length} problems`)
      // The first pair's strict "possible" is every span of its reference (the first annotator).
      check(report.pairs[0]?.strict.possible === figures.spansByAnnotator[0], `computeAgreement found ${report.pairs[0]?.strict.possible} spans of ${ANNOTATORS[0]}, not ${figures.spansByAnnotator[0]}`)
    }

    // Document agreement from a page that shows the document list (the server has listed every
    // document's layers), before anything is compared.
    {
      const { page, close } = await openPage(browser, edition)
      try {
        for (let call = 0; call < AGREEMENT_CALLS; call++) {
          const { ms, outcome } = await page.evaluate(
            ([method, callArgs]) => (globalThis as unknown as ReviewProbeWindow).__quireReviewProbe.timeApiCall(method, callArgs),
            ['computeAgreement', agreementCall] as const
          )
          checkAgreement(outcome as { ok: boolean; value?: AgreementOutcome })
          figures.agreementMs.push(ms)
          console.log(`  document agreement from the page, call ${call + 1}: ${formatMs(ms)}`)
        }
      } finally {
        await close()
      }
    }

    // Each run on a server started afresh: main keeps recent comparisons, and a run must not find
    // the one an earlier run made. First "at once": Compare clicked as soon as the Review tab
    // shows the layers (the comparison the tab asks for ahead is still being made); then the
    // runs with a reviewer's pause of a second before the click (it is ready).
    for (let run = 0; run < COMPARE_RUNS; run++) {
      await edition.stop()
      edition = await startBrowserEditionProcess(project.projectDir, project.userDataDir)
      const opened = await openPage(browser, edition)
      try {
        await openReviewTab(opened.page, figures.spansByAnnotator)
        await opened.page.evaluate((expected) => (globalThis as unknown as ReviewProbeWindow).__quireReviewProbe.armCompare(expected, 120_000), expectation(1))
        await opened.page.getByRole('button', { name: `Compare ${ANNOTATORS.length} layers` }).click()
        const timing = await opened.page.evaluate(() => (globalThis as unknown as ReviewProbeWindow).__quireReviewProbe.compareResult as Promise<CompareOpenTiming>)
        figures.openAtOnceMs.push(timing.paintedAt - timing.clickAt)
        console.log(`  compare clicked at once, run ${run + 1}: ${formatMs(timing.paintedAt - timing.clickAt)}`)
      } finally {
        await opened.close()
      }
    }

    let lastPage: OpenedPage | null = null
    for (let run = 0; run < COMPARE_RUNS; run++) {
      await edition.stop()
      edition = await startBrowserEditionProcess(project.projectDir, project.userDataDir)
      const opened = await openPage(browser, edition)
      const { page, getLayerCalls } = opened
      await openReviewTab(page, figures.spansByAnnotator)
      await page.waitForTimeout(1000)
      const compareButton = page.getByRole('button', { name: `Compare ${ANNOTATORS.length} layers` })
      await compareButton.waitFor({ timeout: 10_000 })
      figures.layersLoadedBefore.push(getLayerCalls())
      const profiler = PROFILE_PAGE && run === COMPARE_RUNS - 1 ? await startPageProfile(page) : null
      await page.evaluate((expected) => (globalThis as unknown as ReviewProbeWindow).__quireReviewProbe.armCompare(expected, 120_000), expectation(1))
      await compareButton.click()
      const timing = await page.evaluate(() => (globalThis as unknown as ReviewProbeWindow).__quireReviewProbe.compareResult as Promise<CompareOpenTiming>)
      if (profiler) await stopPageProfile(profiler, 'review-compare.cpuprofile')
      const layerArrivals = await page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((entry) => entry.name.includes('/api/compareDocument'))
          .map((entry) => (entry as unknown as { responseEnd: number }).responseEnd)
      )
      const openMs = timing.paintedAt - timing.clickAt
      const arrivedMs = layerArrivals.length === 0 ? Number.NaN : Math.max(...layerArrivals) - timing.clickAt
      figures.openMs.push(openMs)
      figures.layersArrivedMs.push(arrivedMs)
      console.log(
        `  compare run ${run + 1}${run === 0 ? ' (the first comparison since the server started)' : ''}: ${formatMs(openMs)} ` +
          `(getLayer calls before the click: ${figures.layersLoadedBefore[run]}; ` +
          `${layerArrivals.length} compareDocument answers, the last ${Number.isNaN(arrivedMs) ? '—' : formatMs(arrivedMs)} after the click)`
      )
      if (run < COMPARE_RUNS - 1) await opened.close()
      else lastPage = opened
    }

    const { page, close, getLayerCalls } = lastPage as OpenedPage
    try {
      await page.waitForTimeout(500)
      const profiler = PROFILE_PAGE ? await startPageProfile(page) : null
      for (let press = 0; press < STEP_PRESSES; press++) {
        await page.evaluate((expected) => (globalThis as unknown as ReviewProbeWindow).__quireReviewProbe.armStep(expected, 10_000), expectation(press + 2))
        await page.keyboard.press('n')
        const timing = await page.evaluate(() => (globalThis as unknown as ReviewProbeWindow).__quireReviewProbe.stepResult as Promise<StepTiming>)
        figures.stepToFrameMs.push(timing.frameAt - timing.keyAt)
        figures.stepToPaintedMs.push(timing.paintedAt - timing.keyAt)
        // A reviewer reads the disagreement before moving on; this also keeps presses apart.
        await page.waitForTimeout(150)
      }
      if (profiler) await stopPageProfile(profiler, 'review-next.cpuprofile')
      console.log(`  n → next disagreement painted as current: ${figures.stepToPaintedMs.map((ms) => ms.toFixed(1)).join(', ')} ms`)
      for (let call = 0; call < AGREEMENT_CALLS; call++) {
        const { ms, outcome } = await page.evaluate(
          ([method, callArgs]) => (globalThis as unknown as ReviewProbeWindow).__quireReviewProbe.timeApiCall(method, callArgs),
          ['computeAgreement', agreementCall] as const
        )
        checkAgreement(outcome as { ok: boolean; value?: AgreementOutcome })
        figures.agreementAfterCompareMs.push(ms)
      }
      console.log(`  document agreement after comparing: ${figures.agreementAfterCompareMs.map((ms) => formatMs(ms)).join(', ')}`)
      // The page's own share: compare mode stopped and started again, the layers already loaded.
      for (let run = 0; run < COMPARE_RUNS; run++) {
        await page.getByRole('tabpanel', { name: 'Review' }).getByRole('button', { name: 'Stop comparing' }).click()
        const compareButton = page.getByRole('button', { name: `Compare ${ANNOTATORS.length} layers` })
        await compareButton.waitFor({ timeout: 10_000 })
        await page.waitForTimeout(300)
        const getLayerCallsBefore = getLayerCalls()
        await page.evaluate((expected) => (globalThis as unknown as ReviewProbeWindow).__quireReviewProbe.armCompare(expected, 120_000), expectation(1))
        await compareButton.click()
        const timing = await page.evaluate(() => (globalThis as unknown as ReviewProbeWindow).__quireReviewProbe.compareResult as Promise<CompareOpenTiming>)
        check(getLayerCalls() === getLayerCallsBefore, 'compare mode opened again read the layers again')
        figures.reopenMs.push(timing.paintedAt - timing.clickAt)
      }
      console.log(`  compare mode opened again on the same page: ${figures.reopenMs.map((ms) => formatMs(ms)).join(', ')}`)

      // Curation: the three layers, the gold layer pre-filled with what they all agree on, then
      // disagreements settled by keyboard (take the first annotator's version) one after another.
      await page.getByRole('tabpanel', { name: 'Review' }).getByRole('button', { name: 'Stop comparing' }).click()
      const curateButton = page.getByRole('button', { name: `Start curating with these ${ANNOTATORS.length}` })
      await curateButton.waitFor({ timeout: 10_000 })
      const curationStarted = performance.now()
      await curateButton.click()
      await page.getByRole('tabpanel', { name: 'Review' }).locator('.review-progress').filter({ hasText: `${disagreements.length.toLocaleString('en')} disagreements left` }).waitFor({ timeout: 120_000 })
      figures.curationStartMs = performance.now() - curationStarted
      console.log(`  curation started, ${comparison.counts.agreed.toLocaleString('en')} agreed spans pre-filled: ${formatMs(figures.curationStartMs)} (from the bench: click to the panel's count)`)
      await page.waitForTimeout(1000)
      const settleProfiler = PROFILE_PAGE ? await startPageProfile(page) : null
      for (let press = 0; press < SETTLE_PRESSES; press++) {
        await page.evaluate(([left, timeoutMs]) => (globalThis as unknown as ReviewProbeWindow).__quireReviewProbe.armSettle(left, timeoutMs), [disagreements.length - press - 1, 10_000] as const)
        await page.keyboard.press('Shift+Digit1')
        const timing = await page.evaluate(() => (globalThis as unknown as ReviewProbeWindow).__quireReviewProbe.settleResult as Promise<SettleTiming>)
        figures.settleToPaintedMs.push(timing.paintedAt - timing.keyAt)
        figures.settleFreezeMs.push(timing.longestGapMs)
        // The curator reads the next disagreement before settling it.
        await page.waitForTimeout(300)
      }
      if (settleProfiler) await stopPageProfile(settleProfiler, 'review-settle.cpuprofile')
      console.log(`  settle (Shift+1) → the count left painted: ${figures.settleToPaintedMs.map((ms) => ms.toFixed(1)).join(', ')} ms; longest tick gaps ${figures.settleFreezeMs.map((ms) => Math.round(ms)).join(', ')} ms`)
    } finally {
      await close()
    }
    return figures
  } finally {
    // The project agreement's part is measured in this process's children and its own timers.
    restoreDriverPriority()
    await browser?.close().catch(() => undefined)
    await edition?.stop().catch(() => undefined)
  }
}

interface ReviewProbeWindow {
  __quireReviewProbe: {
    armCompare(expected: CompareExpectation, timeoutMs: number): void
    compareResult: Promise<CompareOpenTiming>
    armStep(expected: CompareExpectation, timeoutMs: number): void
    stepResult: Promise<StepTiming>
    armSettle(expectedLeft: number, timeoutMs: number): void
    settleResult: Promise<SettleTiming>
    timeApiCall(method: string, args: unknown): Promise<{ ms: number; outcome: unknown }>
  }
}

/** Opens the bench document and its Review tab, choosing the three layers; resolves once the tab lists their counts. */
async function openReviewTab(page: Page, spansByAnnotator: readonly number[]): Promise<void> {
  await page.locator('.document-option', { hasText: DOCUMENT_NAME }).click()
  await waitForHeading(page, DOCUMENT_NAME)
  await page.locator('#side-tab-review').click()
  for (const name of [...ANNOTATORS, REVIEWER]) {
    const line = page.locator('.review-choices .check-line', { hasText: name })
    await line.waitFor({ timeout: 60_000 })
    await line.locator('input[type="checkbox"]').setChecked(name !== REVIEWER)
  }
  for (const [index, name] of ANNOTATORS.entries()) {
    await page.locator('.review-choices .check-line', { hasText: name }).locator('.check-meta', { hasText: (spansByAnnotator[index] as number).toLocaleString('en-GB') }).waitFor({ timeout: 60_000 })
  }
}

interface OpenedPage {
  page: Page
  /** getLayer calls the page has made so far. */
  getLayerCalls: () => number
  close: () => Promise<void>
}

/** A fresh page (its own browser context) on the cover document, counting its getLayer calls. */
async function openPage(browser: Browser, edition: BrowserEditionProcess): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB' })
  // Suggestions off: suggesting has its own bench (bench/suggestions.bench.ts).
  await context.addInitScript({ content: HIDE_SUGGESTIONS_SCRIPT })
  const page = await context.newPage()
  // Loaded here, as launchChromium is: the project agreement's child processes never need Playwright.
  const { collectPageProblems } = await import('../tests/helpers/quire')
  const problems = collectPageProblems(page)
  let getLayerCalls = 0
  page.on('request', (request) => {
    if (request.url().includes('/api/getLayer')) getLayerCalls++
  })
  await page.addInitScript(REVIEW_PROBE_SCRIPT)
  await page.goto(edition.url)
  await waitForHeading(page, COVER_NAME)
  return {
    page,
    getLayerCalls: () => getLayerCalls,
    async close() {
      await context.close()
      check(problems.length === 0, `the page reported errors:\n${problems.join('\n')}`)
    }
  }
}

async function waitForHeading(page: Page, name: string): Promise<void> {
  await page.locator('.reader-header h1', { hasText: name }).waitFor({ timeout: 120_000 })
  await page.locator('.reader .block').first().waitFor({ timeout: 120_000 })
}

// ---- Part 2: project agreement over 10,000 small documents ----

// Words with what a tokenizer must get right: accents, Azerbaijani and Arabic letters, an
// apostrophe, a hyphen, digits, and an emoji that goes to Intl.Segmenter.
const VOCABULARY = [
  'the', 'minister', 'Emin', 'Əmrullayev', 'met', 'ISESCO', 'delegates', 'in', 'Bakı', 'on', 'October', '14,', 'café', 'وزير', 'التعليم',
  'Youth', 'Program', 'opened', 'Salim', 'al-Malik', "O'Neill", 'forum', 'of', 'science', '2026', 'and', 'culture', 'festival', '😀', 'said'
]

/** One small document: sentences of the vocabulary, its words, and about 100 base spans of 1–3 words. */
function projectDocument(index: number): { text: string; words: WordRange[]; base: Annotation[] } {
  const random = seededRandom(9_000_001 + index * 7919)
  const pieces: string[] = []
  const words: WordRange[] = []
  let length = 0
  const append = (piece: string): void => {
    pieces.push(piece)
    length += piece.length
  }
  append(`Document ${index}.`)
  const base: Annotation[] = []
  let serial = 0
  while (base.length < PROJECT_SPANS_PER_LAYER) {
    append(random() < 0.1 ? '\n' : ' ')
    const sentenceWords = 6 + Math.floor(random() * 8)
    const sentenceStart = words.length
    for (let word = 0; word < sentenceWords; word++) {
      if (word > 0) append(' ')
      const text = VOCABULARY[Math.floor(random() * VOCABULARY.length)] as string
      // A word-like range: what the span boundaries snap to (trailing punctuation left out).
      const core = text.replace(/[.,]$/, '')
      words.push({ start: length, end: length + core.length })
      append(text)
    }
    append('.')
    // About two spans a sentence, on whole words, none crossing the sentence.
    for (let span = 0; span < 2 && base.length < PROJECT_SPANS_PER_LAYER; span++) {
      const first = sentenceStart + Math.floor(random() * sentenceWords)
      const last = Math.min(words.length - 1, first + Math.floor(random() * 3))
      const start = (words[first] as WordRange).start
      const end = (words[last] as WordRange).end
      base.push({
        id: `b-${serial++}`,
        start: start as Annotation['start'],
        end: end as Annotation['end'],
        tag: TAGS[Math.floor(random() * TAGS.length)] as string,
        text: '',
        annotator: 'base',
        createdAt: FIXED_TIMESTAMP,
        updatedAt: FIXED_TIMESTAMP,
        provenance: { source: 'import' }
      })
    }
  }
  const text = pieces.join('')
  for (const span of base) span.text = text.slice(span.start, span.end)
  base.sort((a, b) => a.start - b.start || b.end - a.end)
  return { text, words, base }
}

/**
 * Documents [from, to) of the agreement project, each with the three annotators' layers,
 * written as the app writes them (durably, validated) but without the store's layer cache,
 * which would keep three million annotations in this generator's memory. Returns the spans
 * written per annotator.
 */
async function generateAgreementProject(dir: string, from: number, to: number): Promise<number[]> {
  const store = from === 0 ? await ProjectStore.create(dir, 'Agreement bench') : await ProjectStore.open(dir)
  const spans = ANNOTATORS.map(() => 0)
  const now = FIXED_TIMESTAMP
  const writeOne = async (index: number): Promise<void> => {
    const { text, words, base } = projectDocument(index)
    const record = benchDocumentRecord(index, text, { at: now, by: ANNOTATORS[0] as string, lineEnding: 'lf' })
    await store.addDocument(record, text, () =>
      Promise.all(
        ANNOTATORS.map((annotator, annotatorIndex) => {
          const annotations = varyAnnotations(text, base, { annotator, seed: index * 31 + annotatorIndex + 1, ...VARIATIONS[annotator] }, words)
          spans[annotatorIndex] = (spans[annotatorIndex] as number) + annotations.length
          return writeBenchLayer(store, record, annotator, annotations)
        })
      ).then(() => undefined)
    )
  }
  // A few documents in flight hide the fsyncs' latency.
  let next = from
  const worker = async (): Promise<void> => {
    while (next < to) {
      const index = next++
      await writeOne(index)
      if ((index + 1) % 500 === 0) process.stderr.write(`  generated ${index + 1}/${to} documents\r`)
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  process.stderr.write('\n')
  await store.close()
  return spans
}

/** Child process: computeAgreement over every document of the project, sampling memory; prints its figures as JSON. */
async function measureProjectAgreement(projectDir: string): Promise<void> {
  const store = await ProjectStore.open(projectDir)
  let peakRss = 0
  let peakHeap = 0
  const sample = (): void => {
    const usage = process.memoryUsage()
    peakRss = Math.max(peakRss, usage.rss)
    peakHeap = Math.max(peakHeap, usage.heapUsed)
  }
  globalThis.gc?.()
  sample()
  const sampler = setInterval(sample, 10)
  const started = performance.now()
  const { report, problems } = await computeAgreement(store, { documentIds: 'all', annotators: [...ANNOTATORS] })
  const seconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  sample()
  await store.close()
  const figures: ProjectFigures = {
    documents: report.documents,
    tokens: report.tokens,
    seconds,
    peakRssMb: peakRss / 2 ** 20,
    peakHeapMb: peakHeap / 2 ** 20,
    firstPairPossible: report.pairs[0]?.strict.possible ?? -1,
    problems: problems.length,
    fleissKappa: report.overall.fleissKappa.value
  }
  process.stdout.write(`${JSON.stringify(figures)}\n`)
}

function runProjectChild(projectDir: string): ProjectFigures {
  const tsx = join(fileURLToPath(new URL('..', import.meta.url)), 'node_modules', '.bin', 'tsx')
  const child = spawnSync(tsx, ['--expose-gc', fileURLToPath(import.meta.url), '--measure-project', projectDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  if (child.status !== 0) throw new BrokenMeasurement(`the agreement child failed (exit ${child.status ?? child.signal})`)
  return JSON.parse(child.stdout.trim().split('\n').pop() as string) as ProjectFigures
}

async function measureProject(projectDir: string, documents: number): Promise<{ small: ProjectFigures; full: ProjectFigures; expectedPossible: [number, number] }> {
  const quarter = Math.round(documents / 4)
  let started = performance.now()
  const firstSpans = await generateAgreementProject(projectDir, 0, quarter)
  console.log(`\nAgreement project: ${quarter.toLocaleString('en')} documents × ${ANNOTATORS.length} layers written in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  const small = runProjectChild(projectDir)
  console.log(`  ${quarter.toLocaleString('en')} documents: ${small.seconds.toFixed(2)} s, peak RSS ${small.peakRssMb.toFixed(0)} MB`)
  started = performance.now()
  const restSpans = await generateAgreementProject(projectDir, quarter, documents)
  console.log(`  ${(documents - quarter).toLocaleString('en')} more written in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  const full = runProjectChild(projectDir)
  console.log(`  ${documents.toLocaleString('en')} documents: ${full.seconds.toFixed(2)} s, peak RSS ${full.peakRssMb.toFixed(0)} MB`)
  const expectedPossible: [number, number] = [firstSpans[0] as number, (firstSpans[0] as number) + (restSpans[0] as number)]
  for (const [figures, expectedDocuments, possible] of [
    [small, quarter, expectedPossible[0]],
    [full, documents, expectedPossible[1]]
  ] as const) {
    check(figures.documents === expectedDocuments && figures.problems === 0, `project agreement counted ${figures.documents} documents (${figures.problems} problems), expected ${expectedDocuments}`)
    check(figures.firstPairPossible === possible, `project agreement found ${figures.firstPairPossible} spans of ${ANNOTATORS[0]}, expected ${possible}`)
  }
  return { small, full, expectedPossible }
}

// ---- Summary ----

function printSummary(
  compare: CompareFigures | null,
  project: { small: ProjectFigures; full: ProjectFigures } | null,
  documents: number
): void {
  console.log('\nReview figures')
  const cores = availableParallelism()
  const load = loadavg()
  console.log(
    `Machine: ${cores} cores, load average ${load.map((value) => value.toFixed(1)).join(' / ')} (1 / 5 / 15 min)` +
      ((load[0] ?? 0) > cores ? ' — other processes were competing for the CPU, so these timings are inflated' : '')
  )
  const seconds = (value: number): string => `${value.toFixed(2)} s`
  const ratio = (value: number): string => `×${value.toFixed(2)}`
  if (compare) {
    const { comparison } = compare
    console.log(
      `\n5 MB document, ${ANNOTATORS.length} layers of ${compare.spansByAnnotator.map((count) => count.toLocaleString('en')).join(' / ')} spans, opened by ${REVIEWER} (no layer of their own); ` +
        `${comparison.positions.length.toLocaleString('en')} positions, ${compare.disagreements.toLocaleString('en')} disagreements`
    )
    const openMedian = median(compare.openMs)
    const cold = compare.layersLoadedBefore.every((count) => count === 0)
    console.log(
      `  compare mode opens (click → counts and current mark painted)  median ${formatMs(openMedian)} (runs ${compare.openMs.map((ms) => Math.round(ms)).join(', ')}; ` +
        `server and page started afresh each run, Compare clicked a second after the Review tab opened${cold ? '' : `; getLayer calls before the click: ${compare.layersLoadedBefore.join(', ')}`})  ` +
        `target < ${COMPARE_LIMIT_MS} ms: ${checkUnder('compare mode opens (median)', openMedian, COMPARE_LIMIT_MS, formatMs)}`
    )
    console.log(`    … main's comparison arrived                               ${compare.layersArrivedMs.map((ms) => (Number.isNaN(ms) ? '—' : formatMs(ms))).join(', ')} after the click (negative: before it; asked for when the Review tab opened)`)
    console.log(`    … Compare clicked at once, the comparison still being made  median ${formatMs(median(compare.openAtOnceMs))} (runs ${compare.openAtOnceMs.map((ms) => Math.round(ms)).join(', ')}; no target)`)
    console.log(`    … opened again on that page (main kept the comparison)    median ${formatMs(median(compare.reopenMs))} (runs ${compare.reopenMs.map((ms) => Math.round(ms)).join(', ')}; no target)`)
    const stepMedian = median(compare.stepToPaintedMs)
    const stepMax = Math.max(...compare.stepToPaintedMs)
    console.log(
      `  n → next disagreement painted as current                       median ${formatMs(stepMedian)}, worst ${formatMs(stepMax)} over ${compare.stepToPaintedMs.length} presses  ` +
        `target median < ${STEP_LIMIT_MS} ms: ${checkUnder('n → next disagreement painted (median)', stepMedian, STEP_LIMIT_MS, formatMs)}`
    )
    console.log(`    … to the start of that frame                               median ${formatMs(median(compare.stepToFrameMs))}, worst ${formatMs(Math.max(...compare.stepToFrameMs))}`)
    const settleMedian = median(compare.settleToPaintedMs)
    const settleFreeze = Math.max(...compare.settleFreezeMs)
    console.log(
      `  curation: settle (Shift+1) → count left painted                median ${formatMs(settleMedian)}, worst ${formatMs(Math.max(...compare.settleToPaintedMs))} over ${compare.settleToPaintedMs.length} presses  ` +
        `target median < ${STEP_LIMIT_MS} ms: ${checkUnder('curation settle → painted (median)', settleMedian, STEP_LIMIT_MS, formatMs)}`
    )
    console.log(
      `    … longest freeze while settling (10 ms ticks)               ${formatMs(settleFreeze)}  ` +
        `target ≤ ${SETTLE_FREEZE_LIMIT_MS} ms: ${checkAtMost('curation settle, longest freeze', settleFreeze, SETTLE_FREEZE_LIMIT_MS, formatMs)}`
    )
    console.log(`    … starting curation, ${compare.comparison.counts.agreed.toLocaleString('en')} agreed spans pre-filled   ${formatMs(compare.curationStartMs)} (no target)`)
    const agreementMedian = median(compare.agreementMs)
    console.log(
      `  document agreement (computeAgreement from the page)            median ${formatMs(agreementMedian)} (calls ${compare.agreementMs.map((ms) => Math.round(ms)).join(', ')}; ` +
        `the document list shown, nothing compared yet)  target < ${DOCUMENT_AGREEMENT_LIMIT_MS} ms: ${checkUnder('document agreement (median)', agreementMedian, DOCUMENT_AGREEMENT_LIMIT_MS, formatMs)}`
    )
    console.log(`    … once compare mode has read the layers                    ${compare.agreementAfterCompareMs.map((ms) => formatMs(ms)).join(', ')}`)
    console.log(`    … cold: a store just opened, every layer file parsed        ${formatMs(compare.agreementColdMs)} (no target; the CLI's case)`)
  }
  if (project) {
    const { small, full } = project
    const growth = full.peakRssMb / small.peakRssMb
    console.log(`\nProject agreement, ${ANNOTATORS.length} annotators × ${PROJECT_SPANS_PER_LAYER} spans a document (computeAgreement in a fresh process)`)
    console.log('  documents      tokens   time (s)   peak RSS (MB)   peak heap (MB)   Fleiss κ')
    for (const figures of [small, full]) {
      console.log(
        `  ${String(figures.documents).padStart(9)} ${String(figures.tokens).padStart(11)} ${figures.seconds.toFixed(2).padStart(10)} ${figures.peakRssMb.toFixed(0).padStart(15)} ${figures.peakHeapMb.toFixed(0).padStart(16)}   ${figures.fleissKappa?.toFixed(4) ?? '—'}`
      )
    }
    console.log(`  ${documents.toLocaleString('en')} documents: ${seconds(full.seconds)}, target < ${PROJECT_LIMIT_SECONDS} s: ${checkUnder(`project agreement over ${documents} documents`, full.seconds, PROJECT_LIMIT_SECONDS, seconds)}`)
    console.log(
      `  memory ${ratio(growth)} for ×4 documents, target < ${ratio(MEMORY_GROWTH_LIMIT)}: ${checkUnder('project agreement peak RSS growth for ×4 documents', growth, MEMORY_GROWTH_LIMIT, ratio)}`
    )
  }
}

main().then(
  () => process.exit(process.argv[2]?.startsWith('--measure') || process.argv[2]?.startsWith('--generate') ? 0 : reportTargets()),
  (error: unknown) => {
    if (error instanceof BrokenMeasurement) console.error(`\nBroken measurement: ${error.message}`)
    else console.error(error)
    process.exit(1)
  }
)
