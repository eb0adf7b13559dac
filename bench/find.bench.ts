// `npm run bench -- find`: find in a 5 MB document in the browser edition, in headless Chromium.
// The document is made like the reader bench's (the sample texts repeated, about one annotation
// per 60 characters) with Azerbaijani, Turkish and Arabic paragraphs and emoji mixed in, so
// folding meets diacritics, İ/ı, harakat and surrogate pairs. Queries are typed into the find
// bar at a typist's pace; per query the bench times the last key to the first frame showing the
// first match (highlighted as current, in the reader's view) and to the frame showing the full
// count, checked against the search core run here on the same text. While typing it records long
// tasks and the gaps between 10 ms timer ticks: a frame blocked by the window's thread shows in
// both. A missed target fails the run (bench/targets.ts), as does a wrong count or a page error.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { compileSearch, findMatches, type SearchQuery } from '../src/core/search/find-matches'
import { ensureBuilt, RENDERER_BUILD } from '../src/server/app-build'
import { HIDE_SUGGESTIONS_SCRIPT } from '../src/shared/suggestions-preference'
import { collectPageProblems, launchChromium } from '../tests/helpers/quire'
import { startBrowserEditionProcess, type BrowserEditionProcess } from './browser-edition-process'
import { BrokenMeasurement, check, formatMs, median, startPageProfile, stopPageProfile } from './browser-metrics'
import { FIND_PROBE_SCRIPT, type BlockingReport, type FindTiming } from './find-probe'
import { generateCorpus } from './generate-corpus'
import { readSampleTexts, writeBenchProject } from './generate-project'
import { describeQuietWait, waitForQuietMachine } from './quiet-machine'
import { checkUnder, reportTargets } from './targets'

const ANNOTATOR = 'Bench Editor'
const COVER_NAME = 'A short note'
const DOCUMENT_NAME = 'Bench 5 MB mixed'
const TARGET_BYTES = 5 * 1024 * 1024
const KEY_DELAY_MS = 110
const FIRST_MATCH_LIMIT_MS = 100
const ALL_COUNTED_LIMIT_MS = 300
const BLOCKING_LIMIT_MS = 50
const ROUNDS = 2
const OUTPUT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'output')
/** --profile-page: the page's CPU profile of each query's typing in the last round, in bench/output. */
const PROFILE_PAGE = process.argv.includes('--profile-page')

/** Paragraphs in the languages Quire's editors read, added to the sample texts' English. */
const MIXED_SCRIPT_SOURCE = [
  'Prezident İlham Əliyev Şuşa şəhərində ISESCO-nun baş direktoru Salim əl-Malik ilə görüşüb. Görüşdə Azərbaycan ilə təşkilat arasında əməkdaşlığın genişləndirilməsi müzakirə olunub 🇦🇿.',
  'İstanbul’da düzenlenen toplantıya Öğretmenler Birliği ve Üsküdar Belediyesi katıldı; ıhlamur ağaçları altında çay içildi 👩🏽‍💻.',
  'أَعْلَنَتْ مُنَظَّمَةُ الإيسيسكو عن إطلاق برنامج جديد للتعليم، وقال المدير العام سالم بن محمد المالك إنّ المنظمة تدعم الدول الأعضاء في آسيا وأفريقيا.',
  'Nazir Emin Əmrullayev təhsil proqramı barədə məlumat verib; tədbirdə 👍🏾 Bakı Dövlət Universitetinin tələbələri iştirak ediblər.'
].join('\n\n')

interface QuerySpec {
  label: string
  typed: string
}

/** Typed with the default options (case and diacritics off), as most searches are. */
const QUERIES: QuerySpec[] = [
  { label: 'a name without its diacritics', typed: 'amrullayev' },
  { label: 'an organization', typed: 'isesco' },
  { label: 'a very common word', typed: 'the' },
  { label: 'Arabic without harakat', typed: 'المنظمة' },
  { label: 'a word near the end', typed: 'universitetinin' }
]

interface QueryRun {
  spec: QuerySpec
  count: number
  firstShownMs: number
  countedMs: number
}

interface ProbeWindow {
  __quireFindProbe: {
    startTicks(): void
    stopTicks(): BlockingReport
    armFind(expectedQuery: string, expectedStatus: string, expectedMatch: string, timeoutMs: number): void
    findResult: Promise<FindTiming>
  }
}

async function main(): Promise<void> {
  const rootDir = await mkdtemp(join(tmpdir(), 'quire-bench-find-'))
  let edition: BrowserEditionProcess | null = null
  let browser: Browser | null = null
  try {
    const sources = [...(await readSampleTexts()), MIXED_SCRIPT_SOURCE]
    const corpus = generateCorpus(sources, { targetBytes: TARGET_BYTES, annotator: ANNOTATOR, seed: 1010 })
    const project = await writeBenchProject(rootDir, ANNOTATOR, [
      { name: COVER_NAME, text: sources[0] ?? 'Quire find bench.', annotations: [] },
      { name: DOCUMENT_NAME, text: corpus.text, annotations: corpus.annotations }
    ])
    const nonAscii = [...corpus.text].filter((char) => char.charCodeAt(0) > 0x7f).length
    console.log(
      `Document: ${corpus.text.length.toLocaleString('en')} characters (${((100 * nonAscii) / corpus.text.length).toFixed(1)}% outside ASCII), ` +
        `${corpus.annotations.length.toLocaleString('en')} annotations`
    )
    if (await ensureBuilt(RENDERER_BUILD)) console.log('Renderer rebuilt (its sources were newer than out/renderer).')
    console.log(describeQuietWait(await waitForQuietMachine()))
    edition = await startBrowserEditionProcess(project.projectDir, project.userDataDir)
    browser = await launchChromium()
    await mkdir(OUTPUT_DIR, { recursive: true })
    const { runs, blocking } = await measureFind(browser, edition, corpus.text)
    printSummary(runs, blocking)
  } finally {
    await browser?.close().catch(() => undefined)
    await edition?.stop().catch(() => undefined)
    await rm(rootDir, { recursive: true, force: true })
  }
}

/** What the find bar must show for a query typed with the default options: its first match and count. */
function expectedFor(text: string, typed: string): { status: string; firstMatch: string; count: number } {
  const query: SearchQuery = { text: typed, matchCase: false, matchDiacritics: false, wholeWord: false, regex: false }
  const compiled = compileSearch(query)
  check(compiled.ok, `the bench's query "${typed}" does not compile`)
  const { offsets, count } = findMatches(text, compiled)
  check(count > 0, `the bench's query "${typed}" finds nothing in the document`)
  return { status: `1 of ${count.toLocaleString('en')}`, firstMatch: text.slice(offsets[0], offsets[1]), count }
}

async function measureFind(browser: Browser, edition: BrowserEditionProcess, text: string): Promise<{ runs: QueryRun[]; blocking: BlockingReport }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB' })
  try {
    // The corpus tags random runs of words, so nearly every word would be a suggestion; they are
    // measured by bench/suggestions.bench.ts, and hidden here as in the reader bench.
    await context.addInitScript({ content: HIDE_SUGGESTIONS_SCRIPT })
    const page = await context.newPage()
    const problems = collectPageProblems(page)
    await page.addInitScript(FIND_PROBE_SCRIPT)
    await page.goto(edition.url)
    await waitForHeading(page, COVER_NAME)
    await page.locator('.document-option', { hasText: DOCUMENT_NAME }).click()
    await waitForHeading(page, DOCUMENT_NAME)
    // An editor looks at the document before searching it.
    await page.waitForTimeout(1500)
    await page.getByTestId('reader').click({ position: { x: 30, y: 10 } })
    await page.keyboard.press('Control+f')
    const field = page.getByRole('textbox', { name: 'Find in document' })
    await field.waitFor()

    await page.evaluate(() => (globalThis as unknown as ProbeWindow).__quireFindProbe.startTicks())
    const runs: QueryRun[] = []
    for (let round = 0; round < ROUNDS; round++) {
      for (const spec of QUERIES) {
        const expected = expectedFor(text, spec.typed)
        await field.fill('')
        await page.waitForTimeout(400)
        await page.evaluate(
          ([query, status, match]) => (globalThis as unknown as ProbeWindow).__quireFindProbe.armFind(query, status, match, 20_000),
          [spec.typed, expected.status, expected.firstMatch] as const
        )
        const profiler = PROFILE_PAGE && round === ROUNDS - 1 ? await startPageProfile(page) : null
        await field.pressSequentially(spec.typed, { delay: KEY_DELAY_MS })
        const timing = await page.evaluate(() => (globalThis as unknown as ProbeWindow).__quireFindProbe.findResult)
        if (profiler) await stopPageProfile(profiler, `find-${QUERIES.indexOf(spec) + 1}.cpuprofile`)
        runs.push({ spec, count: expected.count, firstShownMs: timing.firstShownAt - timing.keyAt, countedMs: timing.countedAt - timing.keyAt })
        console.log(
          `  "${spec.typed}" (${spec.label}): ${expected.count.toLocaleString('en')} matches; first shown ${formatMs(timing.firstShownAt - timing.keyAt)}, ` +
            `all counted ${formatMs(timing.countedAt - timing.keyAt)} after the last key`
        )
        if (round === 0 && spec === QUERIES[0]) {
          await page.screenshot({ path: join(OUTPUT_DIR, 'find-5mb.png') })
          console.log('  screenshot: bench/output/find-5mb.png')
        }
      }
    }
    const blocking = await page.evaluate(() => (globalThis as unknown as ProbeWindow).__quireFindProbe.stopTicks())
    check(!blocking.longTasks.some((duration) => duration < 0), 'this Chromium does not report long tasks')
    check(blocking.ticks > 100, `only ${blocking.ticks} timer ticks were recorded while typing`)
    check(problems.length === 0, `the page reported errors:\n${problems.join('\n')}`)
    return { runs, blocking }
  } finally {
    await context.close()
  }
}

async function waitForHeading(page: Page, name: string): Promise<void> {
  await page.locator('.reader-header h1', { hasText: name }).waitFor({ timeout: 60_000 })
  await page.locator('.reader .block').first().waitFor({ timeout: 60_000 })
}

function printSummary(runs: QueryRun[], blocking: BlockingReport): void {
  console.log('\nFind figures (headless Chromium, browser edition, 5 MB mixed-script document)')
  const cores = availableParallelism()
  const load = loadavg()[0] ?? 0
  console.log(
    `Machine: ${cores} cores, load average ${load.toFixed(1)} over the last minute` +
      (load > cores ? ' — other processes were competing for the CPU, so these timings are inflated' : '')
  )
  const firstShown = runs.map((run) => run.firstShownMs)
  const counted = runs.map((run) => run.countedMs)
  console.log(
    `  last key → first match shown     median ${formatMs(median(firstShown))}, max ${formatMs(Math.max(...firstShown))} over ${runs.length} queries  ` +
      `target median < ${FIRST_MATCH_LIMIT_MS} ms: ${checkUnder('find: last key → first match shown (median)', median(firstShown), FIRST_MATCH_LIMIT_MS, formatMs)}`
  )
  console.log(
    `  last key → all matches counted   median ${formatMs(median(counted))}, max ${formatMs(Math.max(...counted))}  ` +
      `target median < ${ALL_COUNTED_LIMIT_MS} ms: ${checkUnder('find: last key → all counted (median)', median(counted), ALL_COUNTED_LIMIT_MS, formatMs)}`
  )
  const longestTask = Math.max(0, ...blocking.longTasks)
  console.log(
    `  typing: longest task             ${blocking.longTasks.length === 0 ? 'none over 50 ms' : `${formatMs(longestTask)} (${blocking.longTasks.length} over 50 ms)`}  ` +
      `target no task over ${BLOCKING_LIMIT_MS} ms: ${checkUnder('find: longest task while typing', longestTask, BLOCKING_LIMIT_MS, formatMs)}`
  )
  console.log(
    `  typing: longest gap between 10 ms ticks  ${formatMs(blocking.longestTickGapMs)} over ${blocking.ticks.toLocaleString('en')} ticks  ` +
      `target < ${BLOCKING_LIMIT_MS} ms: ${checkUnder('find: longest timer gap while typing', blocking.longestTickGapMs, BLOCKING_LIMIT_MS, formatMs)}`
  )
}

main().then(
  () => process.exit(reportTargets()),
  (error: unknown) => {
    if (error instanceof BrokenMeasurement) console.error(`\nBroken measurement: ${error.message}`)
    else console.error(error)
    process.exit(1)
  }
)
