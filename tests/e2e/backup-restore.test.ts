// Recovery in a real browser edition. A damaged annotation file: the editor sees which file
// cannot be read, is offered the newest backup by its time, restores it and gets the
// annotations back; the damaged file is kept aside on disk. A project another Quire process
// holds: this one opens it read-only and says why.
import { spawn, type ChildProcess } from 'node:child_process'
import { readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_IMPORT_BYTES } from '../../src/core/text-decode'
import { asUtf16 } from '../../src/shared/model'
import { AnnotationService } from '../../src/main/services/annotation-service'
import { ImportService } from '../../src/main/services/import-service'
import { ProjectService } from '../../src/main/services/project-service'
import { SettingsService } from '../../src/main/services/settings-service'
import { ANNOTATION_FILE } from '../../src/main/store/file-kinds'
import { parseStoredFile } from '../../src/main/store/json-store'
import { makeTempFolder } from '../fixtures/temp-folder'
import { launchChromium, launchQuire, openQuirePage, type LaunchedQuire } from '../helpers/quire'

const ANNOTATOR = 'Ayla Həsənova'
const TEXT = 'Emin Amrullayev met the ISESCO delegation in Baku.\n'
const SCREENSHOTS = process.env.QUIRE_SCREENSHOT_DIR

let browser: Browser
let quire: LaunchedQuire | undefined

beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await quire?.close()
  await browser?.close()
})

/** A project annotated by ANNOTATOR and closed (so its backups are written), then its annotation file cut short. */
async function damagedProject(): Promise<{ dir: string; layerPath: string; damaged: string }> {
  const root = await makeTempFolder('quire-e2e-backup-')
  const dir = join(root, 'project')
  const settings = await SettingsService.open(join(root, 'user-data-used-to-prepare'))
  await settings.setAnnotatorName(ANNOTATOR)
  const projects = new ProjectService(settings)
  await projects.create(dir, 'Interviews')
  const report = await new ImportService(projects, MAX_IMPORT_BYTES).importTexts([{ name: 'meeting.txt', bytes: new TextEncoder().encode(TEXT) }], ANNOTATOR)
  const documentId = report.imported[0]?.documentId as string
  const annotations = new AnnotationService(projects)
  const layer = { documentId, annotator: ANNOTATOR }
  await annotations.applyEdits(layer, [{ op: 'add', annotation: { id: 'p1', start: asUtf16(0), end: asUtf16(15), tag: 'PERSON' } }])
  await annotations.applyEdits(layer, [{ op: 'add', annotation: { id: 'o1', start: asUtf16(24), end: asUtf16(30), tag: 'ORG' } }])
  await projects.close()
  const folder = join(dir, 'documents', documentId, 'annotations')
  const layerPath = join(folder, (await readdir(folder))[0] as string)
  const whole = await readFile(layerPath, 'utf8')
  const damaged = whole.slice(0, Math.floor(whole.length / 2))
  await writeFile(layerPath, damaged)
  return { dir, layerPath, damaged }
}

describe('restoring a backup (browser edition)', () => {
  it('names the damaged file, offers its newest backup, restores it and shows the annotations again', async () => {
    const { dir, layerPath, damaged } = await damagedProject()
    quire = await launchQuire({ project: dir })
    const { page, problems, context } = await openQuirePage(browser, quire)

    const nameDialog = page.getByRole('dialog', { name: 'Who is annotating?' })
    await nameDialog.getByLabel('Your name').fill(ANNOTATOR)
    await nameDialog.getByRole('button', { name: 'Continue' }).click()

    const alert = page.getByRole('alert')
    await expect.poll(() => alert.textContent()).toContain(`File: ${layerPath}`)
    expect(await alert.textContent()).toContain('cannot be read')
    const restore = alert.getByRole('button', { name: /^Restore backup from today at \d\d:\d\d$/ })
    await restore.waitFor()
    expect(await alert.getByTestId('backup-offer').textContent()).toContain('2 annotations, in progress')
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, 'backup-offer.png') })
    // Nothing was written over the damaged file while it was being reported.
    expect(await readFile(layerPath, 'utf8')).toBe(damaged)

    await restore.click()
    const reader = page.getByRole('document', { name: 'Document text' })
    await expect.poll(() => reader.locator('[data-tag="PERSON"]').first().textContent()).toBe('Emin Amrullayev')
    expect(await reader.locator('[data-tag="ORG"]').first().textContent()).toBe('ISESCO')
    const notice = page.getByRole('status', { name: 'Notices' }).getByTestId('notice')
    expect(await notice.textContent()).toContain('The file it replaced was kept as')
    expect(await alert.count()).toBe(0)
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, 'backup-restored.png') })

    // On disk: the restored file reads, and the damaged one is kept aside byte for byte.
    expect(parseStoredFile(await readFile(layerPath), layerPath, ANNOTATION_FILE).annotations.map((a) => a.id)).toEqual(['p1', 'o1'])
    const backupFolder = join(dir, '.quire', 'backups', 'documents')
    const kept = (await readdir(backupFolder, { recursive: true })).filter((name) => /replaced-[^/]+\.json$/.test(name))
    expect(kept).toHaveLength(1)
    expect(await readFile(join(backupFolder, kept[0] as string), 'utf8')).toBe(damaged)

    expect(problems).toEqual([])
    await context.close()
  })
})

describe('a second Quire on the same project (browser edition)', () => {
  it('opens it read-only with the reason on screen and refuses to tag', async () => {
    const { dir, layerPath } = await damagedProject()
    // This test is about the lock, not the damage: without the file the annotator starts afresh.
    await rm(layerPath)
    const holder: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', '..', 'bench', 'torture-child.ts'), dir, join(dir, '..', 'holder'), ANNOTATOR], {
      stdio: ['pipe', 'pipe', 'inherit']
    })
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout?.on('data', (chunk: Buffer) => (chunk.toString().includes('ready') ? resolve() : reject(new Error(chunk.toString()))))
        holder.once('exit', (code) => reject(new Error(`holder exited ${code}`)))
      })
      await quire?.close()
      quire = await launchQuire({ project: dir })
      const { page, context } = await openQuirePage(browser, quire)
      const nameDialog = page.getByRole('dialog', { name: 'Who is annotating?' })
      await nameDialog.getByLabel('Your name').fill(ANNOTATOR)
      await nameDialog.getByRole('button', { name: 'Continue' }).click()

      const banner = page.getByRole('status').filter({ hasText: 'Read-only:' })
      await expect.poll(() => banner.textContent()).toContain(`Another Quire (process ${holder.pid}) on this computer has had this project open since`)
      expect(await page.getByTestId('reader').textContent()).toContain('Emin Amrullayev')
      await page.getByText('Emin Amrullayev').first().dblclick()
      await page.keyboard.press('1')
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'This project is read-only' }).count()).toBeGreaterThan(0)
      expect(await page.getByTestId('reader').locator('[data-tag="PERSON"]').count()).toBe(0)
      if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, 'read-only.png') })
      await context.close()
    } finally {
      holder.kill('SIGKILL')
    }
  })
})
