// The one test of the real desktop app: Electron starts, its window opens, the sample project
// opens, a word tagged in the reader reaches the annotation file on disk. Every other
// end-to-end test drives the browser edition, because Electron's binary cannot be downloaded
// on every machine; where the binary (or a display for its window) is missing, this test is
// reported as skipped, with the reason printed once.
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron, type ElectronApplication } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DESKTOP_BUILD, ensureBuilt } from '../../src/server/app-build'
import { APP_ROOT } from '../../src/server/app-paths'
import { hasDisplay, installedElectronBinary } from '../../src/server/electron-binary'
import { dragAcross } from '../helpers/reader-page'

const ANNOTATOR = 'Ayla Həsənova'
const PERSON = 'Emin Amrullayev'

const electronBinary = installedElectronBinary()
const skipReason = !electronBinary
  ? 'the Electron binary is not installed on this machine (node_modules/electron/dist is missing; its download is blocked here)'
  : !hasDisplay()
    ? 'there is no display for its window (DISPLAY is not set; run the tests under xvfb-run)'
    : null
if (skipReason) console.warn(`Electron smoke test skipped: ${skipReason}.`)

/** Every span in every annotation file of the project, as written on disk. */
async function spansOnDisk(projectDir: string): Promise<Array<{ text: string; tag: string; annotator: string }>> {
  const spans: Array<{ text: string; tag: string; annotator: string }> = []
  const documentsDir = join(projectDir, 'documents')
  for (const documentId of await readdir(documentsDir).catch(() => [])) {
    const annotationsDir = join(documentsDir, documentId, 'annotations')
    for (const fileName of await readdir(annotationsDir).catch(() => [])) {
      if (!fileName.endsWith('.json')) continue
      const layer = JSON.parse(await readFile(join(annotationsDir, fileName), 'utf8')) as { annotations: typeof spans }
      spans.push(...layer.annotations.map(({ text, tag, annotator }) => ({ text, tag, annotator })))
    }
  }
  return spans
}

describe.skipIf(skipReason !== null)('Electron smoke test (desktop app)', () => {
  let rootDir: string
  let app: ElectronApplication | undefined

  beforeAll(async () => {
    await ensureBuilt(DESKTOP_BUILD)
    rootDir = await mkdtemp(join(tmpdir(), 'quire-electron-'))
  })
  afterAll(async () => {
    await app?.close()
    if (rootDir) await rm(rootDir, { recursive: true, force: true })
  })

  it('opens the window and the sample project, and saves a tag to disk', async () => {
    // The desktop app keeps its settings and the sample project in Electron's userData, which
    // --user-data-dir (an absolute path) moves into this test's temp folder.
    const userDataDir = join(rootDir, 'user-data')
    app = await _electron.launch({
      executablePath: electronBinary as string,
      // The app folder, not out/main/index.js: Electron then reads package.json (name, version,
      // main) and app.getAppPath() is the folder holding resources/sample-project.
      args: [
        APP_ROOT,
        `--user-data-dir=${userDataDir}`,
        '--disable-gpu',
        // Chromium refuses to start as root with its sandbox on.
        ...(process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : [])
      ]
    })
    const window = await app.firstWindow()
    // The built page comes from the app's own protocol, never from file:// (docs/SECURITY.md item 18).
    await window.waitForLoadState('domcontentloaded')
    expect(window.url()).toMatch(/^app:\/\/quire\/index\.html(#.*)?$/)
    const pageErrors: string[] = []
    window.on('pageerror', (error) => pageErrors.push(error.message))

    const nameDialog = window.getByRole('dialog', { name: 'Who is annotating?' })
    await nameDialog.getByLabel('Your name').fill(ANNOTATOR)
    await nameDialog.getByRole('button', { name: 'Continue' }).click()

    await window.getByRole('button', { name: 'Open sample project' }).click()
    await window.getByRole('heading', { name: 'icesco-science-cooperation' }).waitFor()
    await window.getByRole('navigation', { name: 'Documents' }).getByRole('option', { name: /isesco-education-meeting/ }).click()
    await window.getByRole('heading', { name: 'isesco-education-meeting' }).waitFor()

    await dragAcross(window, PERSON)
    await window.keyboard.press('1')
    await window.locator('[data-annotation-id][data-tag="PERSON"]', { hasText: PERSON }).first().waitFor()
    await expect.poll(() => window.getByTestId('save-state').textContent()).toBe('All changes saved')

    const sampleProjectDir = join(userDataDir, 'sample-project')
    await expect.poll(() => spansOnDisk(sampleProjectDir)).toEqual([{ text: PERSON, tag: 'PERSON', annotator: ANNOTATOR }])
    expect(pageErrors).toEqual([])
  })
})
