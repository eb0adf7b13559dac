// End-to-end fixtures: a browser-edition Quire in fresh temp folders on a free port, and the
// Debian Chromium driven by playwright-core. Each test gets its own data so tests never share state.
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { ensureBuilt, RENDERER_BUILD } from '../../src/server/app-build'
import { startBrowserEdition, type RunningBrowserEdition } from '../../src/server/browser-edition'

export const CHROMIUM_PATH = '/usr/bin/chromium'

export interface LaunchQuireOptions {
  /**
   * 'fresh' (default): a new empty project folder; 'none': start without a project (start screen);
   * or a path to an existing folder.
   */
  project?: 'fresh' | 'none' | string
  maxImportBytes?: number
  maxBodyBytes?: number
  /** The longest first document a start carries (src/server/http-server.ts START_DOCUMENT_MAX_CHARACTERS). */
  startDocumentMaxCharacters?: number
}

export interface LaunchedQuire {
  edition: RunningBrowserEdition
  /** The printed link, with the token. */
  url: string
  origin: string
  port: number
  token: string
  /** Parent of userData and the project: removed by close(). */
  rootDir: string
  userDataDir: string
  projectDir: string | null
  close(): Promise<void>
}

let buildChecked: Promise<boolean> | null = null

/** Builds the renderer once per test run if its sources are newer than out/renderer. */
function ensureRendererBuilt(): Promise<boolean> {
  buildChecked ??= ensureBuilt(RENDERER_BUILD)
  return buildChecked
}

export async function launchQuire(options: LaunchQuireOptions = {}): Promise<LaunchedQuire> {
  await ensureRendererBuilt()
  const rootDir = await mkdtemp(join(tmpdir(), 'quire-e2e-'))
  const userDataDir = join(rootDir, 'user-data')
  const project = options.project ?? 'fresh'
  const projectDir = project === 'none' ? null : project === 'fresh' ? join(rootDir, 'project') : project
  const edition = await startBrowserEdition({
    userDataDir,
    projectDir,
    ...(options.maxImportBytes !== undefined ? { maxImportBytes: options.maxImportBytes } : {}),
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.startDocumentMaxCharacters !== undefined ? { startDocumentMaxCharacters: options.startDocumentMaxCharacters } : {})
  })
  return {
    edition,
    url: edition.url,
    origin: `http://127.0.0.1:${edition.port}`,
    port: edition.port,
    token: edition.token,
    rootDir,
    userDataDir,
    projectDir,
    async close() {
      await edition.close()
      await rm(rootDir, { recursive: true, force: true })
    }
  }
}

/** How every test and bench starts Debian's Chromium (the bench's page without Playwright too: bench/plain-cdp-page.ts). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
]

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium`)
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] })
}

export interface OpenedPage {
  context: BrowserContext
  page: Page
  /** Uncaught page errors and console errors, so a test can insist there were none. */
  problems: string[]
}

/** Errors the page throws or logs, gathered as they happen: a run that saw any is not to be trusted. */
export function collectPageProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`)
  })
  return problems
}

/** A fresh browser context (own cookies) on Quire's printed link. */
export async function openQuirePage(browser: Browser, quire: LaunchedQuire): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'en-GB' })
  const page = await context.newPage()
  const problems = collectPageProblems(page)
  await page.goto(quire.url)
  return { context, page, problems }
}

/**
 * Resolves once the page has drawn two more frames: what a change asked of the rendering has been
 * through it (a content-visibility group found in view or not, the accessibility tree after a scroll).
 */
export async function afterTwoFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const { requestAnimationFrame } = globalThis as unknown as { requestAnimationFrame(callback: () => void): number }
    return new Promise<void>((drawn) => requestAnimationFrame(() => requestAnimationFrame(drawn)))
  })
}
