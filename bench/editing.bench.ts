// `npm run bench -- editing`: edit mode on the 5 MB document with its ~88,000 spans, in the
// browser edition in headless Chromium. Prints the time from pressing E to the editor showing
// the text with its spans, the time from each keystroke to the frame that shows it (the
// issue's target: median < 16 ms, none over 50 ms), and the time from the last keystroke to
// "Saved" (the revision saved in main and every span mapped). A missed target fails the run
// (bench/targets.ts); so does a broken measurement (the typed letter not shown, no save).
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { ensureBuilt, RENDERER_BUILD } from '../src/server/app-build'
import { collectPageProblems, launchChromium } from '../tests/helpers/quire'
import { startBrowserEditionProcess, type BrowserEditionProcess } from './browser-edition-process'
import { HIDE_SUGGESTIONS_SCRIPT } from '../src/shared/suggestions-preference'
import { BrokenMeasurement, check, formatMs, median } from './browser-metrics'
import { generateCorpus } from './generate-corpus'
import { readSampleTexts, writeBenchProject } from './generate-project'
import { checkUnder, reportTargets } from './targets'

const ANNOTATOR = 'Bench Editor'
const COVER_NAME = 'A short note'
const BIG_NAME = 'Bench 5 MB'
const KEYSTROKES = 40
const FRAME_MS = 16
const WORST_KEYSTROKE_MS = 50
const OUTPUT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'output')

// Runs in the page: times one key press from its keydown event to the next animation frame
// (whose callback runs before that frame's style, layout and paint) and to that frame's end,
// and reads how many characters the editor shows before and after, so a frame that does not
// show the letter yet cannot pass for one that does.
const KEY_PROBE_SCRIPT = String.raw`
window.__quireEditProbe = {
  arm() {
    this.result = new Promise((resolve) => {
      // Characters of the text shown (the "text changed — check" badges are not text).
      const shown = () => {
        const content = document.querySelector('.cm-content')
        if (!content) return -1
        let badges = 0
        for (const badge of content.querySelectorAll('.cm-span-check')) badges += badge.textContent.length
        return content.textContent.length - badges
      }
      window.addEventListener('keydown', (event) => {
        const keyAt = event.timeStamp
        const before = shown()
        requestAnimationFrame(() => {
          const frameAt = performance.now()
          const after = shown()
          const channel = new MessageChannel()
          channel.port1.onmessage = () => resolve({ keyAt, frameAt, paintedAt: performance.now(), before, after })
          channel.port2.postMessage(null)
        })
      }, { once: true, capture: true })
    })
  }
}
`

interface KeyTiming {
  keyAt: number
  frameAt: number
  paintedAt: number
  before: number
  after: number
}

interface ProbeWindow {
  __quireEditProbe: { arm(): void; result: Promise<KeyTiming> }
}

async function main(): Promise<void> {
  const rootDir = await mkdtemp(join(tmpdir(), 'quire-bench-editing-'))
  let edition: BrowserEditionProcess | null = null
  let browser: Browser | null = null
  try {
    const sources = await readSampleTexts()
    const corpus = generateCorpus(sources, { targetBytes: 5 * 1024 * 1024, annotator: ANNOTATOR, seed: 1002 })
    const project = await writeBenchProject(rootDir, ANNOTATOR, [
      { name: COVER_NAME, text: sources[0] ?? 'Quire editing bench.', annotations: [] },
      { name: BIG_NAME, text: corpus.text, annotations: corpus.annotations }
    ])
    console.log(`${BIG_NAME}: ${corpus.text.length.toLocaleString('en')} characters, ${corpus.annotations.length.toLocaleString('en')} spans`)
    if (await ensureBuilt(RENDERER_BUILD)) console.log('Renderer rebuilt (its sources were newer than out/renderer).')
    edition = await startBrowserEditionProcess(project.projectDir, project.userDataDir)
    browser = await launchChromium()
    await mkdir(OUTPUT_DIR, { recursive: true })
    const [cores, load] = [availableParallelism(), loadavg()[0] ?? 0]
    console.log(`Load average ${load.toFixed(2)} on ${cores} cores${load > cores ? ': the machine is busy, timings are inflated' : ''}`)
    await measure(browser, edition)
  } finally {
    await browser?.close().catch(() => undefined)
    await edition?.stop().catch(() => undefined)
    await rm(rootDir, { recursive: true, force: true })
  }
}

async function measure(browser: Browser, edition: BrowserEditionProcess): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB' })
  // Suggestions off: suggesting has its own bench (bench/suggestions.bench.ts).
  await context.addInitScript({ content: HIDE_SUGGESTIONS_SCRIPT })
  try {
    const page = await context.newPage()
    const problems = collectPageProblems(page)
    await page.addInitScript(KEY_PROBE_SCRIPT)
    await page.goto(edition.url)
    await page.locator('.reader-header h1', { hasText: COVER_NAME }).waitFor({ timeout: 60_000 })
    await page.locator('.document-option', { hasText: BIG_NAME }).click()
    await page.locator('.reader-header h1', { hasText: BIG_NAME }).waitFor({ timeout: 60_000 })
    await page.locator('.reader .block').first().waitFor({ timeout: 60_000 })

    const enterStarted = Date.now()
    await page.keyboard.press('e')
    await page.locator('.cm-content .cm-span-own').first().waitFor({ timeout: 60_000 })
    const enterMs = Date.now() - enterStarted
    console.log(`E → editor showing the text and its spans: ${formatMs(enterMs)} (no target; CodeMirror is loaded on this first entry)`)

    // The caret inside the first span in view: every keystroke grows it, and its neighbours move.
    const box = await page.locator('.cm-content .cm-span-own').first().boundingBox()
    check(box !== null, 'no span in view in the editor')
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)

    const toFrame: number[] = []
    const toPainted: number[] = []
    for (let press = 0; press < KEYSTROKES; press++) {
      await page.evaluate(() => (globalThis as unknown as ProbeWindow).__quireEditProbe.arm())
      await page.keyboard.press(press % 8 === 7 ? 'Space' : 'q')
      const timing = await page.evaluate(() => (globalThis as unknown as ProbeWindow).__quireEditProbe.result)
      check(timing.after === timing.before + 1, `keystroke ${press + 1}: the editor showed ${timing.after - timing.before} more characters in the next frame, not 1`)
      toFrame.push(timing.frameAt - timing.keyAt)
      toPainted.push(timing.paintedAt - timing.keyAt)
      // A typist's pace (about 400 characters a minute) rather than keys queued back to back.
      await page.waitForTimeout(150)
    }
    console.log(`keystroke → frame: ${toFrame.map((ms) => ms.toFixed(1)).join(', ')} ms`)
    const saveStarted = Date.now()
    await page.getByTestId('text-save-state').filter({ hasText: /^Saved$/ }).waitFor({ timeout: 60_000 })
    const savedMs = Date.now() - saveStarted
    await page.screenshot({ path: join(OUTPUT_DIR, 'editing-5mb.png') })
    console.log('screenshot: bench/output/editing-5mb.png')
    check(problems.length === 0, `the page reported errors:\n${problems.join('\n')}`)

    console.log('\nSummary (5 MB, edit mode)')
    console.log(`  E → editor with spans         ${formatMs(enterMs)}`)
    console.log(`  keystroke → frame, median     ${formatMs(median(toFrame))}  ${checkUnder('keystroke → frame (median)', median(toFrame), FRAME_MS, formatMs)} (< ${FRAME_MS} ms)`)
    console.log(`  keystroke → frame, worst      ${formatMs(Math.max(...toFrame))}  ${checkUnder('keystroke → frame (worst)', Math.max(...toFrame), WORST_KEYSTROKE_MS, formatMs)} (< ${WORST_KEYSTROKE_MS} ms)`)
    console.log(`  keystroke → painted, median   ${formatMs(median(toPainted))} (the frame's style, layout and paint done)`)
    console.log(`  last keystroke → "Saved"      ${formatMs(savedMs)} (1 s pause in typing, then the revision saved in main)`)
  } finally {
    await context.close()
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
