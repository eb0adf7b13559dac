import { readdir, readFile, writeFile, mkdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { QuireBackend, type DesktopDialogs, type QuireBackendOptions } from '../../src/main/backend'
import { asUtf16, STARTUP_DOCUMENTS } from '../../src/shared/model'
import { judgeColour } from '../../src/core/colour-contrast'
import { makeTempFolder } from '../fixtures/temp-folder'
import { DOCUMENT_INDEX_FILE_NAME, DocumentIndexFile } from '../../src/main/store/document-index-file'

const SAMPLE_TEXTS = join(import.meta.dirname, '..', '..', 'resources', 'sample-project')

// A backend reads its project's index as the project opens and checks it in the background:
// closed before its temp folder is removed, so none of that writes into a folder being deleted.
const backends: QuireBackend[] = []
const tracked = (backend: QuireBackend): QuireBackend => (backends.push(backend), backend)
afterEach(async () => {
  await Promise.all(backends.splice(0).map((backend) => backend.closeProject()))
})

async function makeBackend(
  overrides: Partial<QuireBackendOptions> = {}
): Promise<{ backend: QuireBackend; userDataDir: string; root: string; options: QuireBackendOptions }> {
  const root = await makeTempFolder()
  const userDataDir = join(root, 'user-data')
  const options: QuireBackendOptions = {
    userDataDir,
    sampleTextsDir: SAMPLE_TEXTS,
    edition: 'browser',
    version: '9.9.9',
    osUserName: 'tester',
    dialogs: null,
    ...overrides
  }
  const backend = tracked(new QuireBackend(options))
  return { backend, userDataDir: options.userDataDir, root, options }
}

describe('QuireBackend', () => {
  it('describes the app', async () => {
    const { backend } = await makeBackend({ maxImportBytes: 1234 })
    expect(await backend.getAppInfo()).toEqual({
      edition: 'browser',
      version: '9.9.9',
      osUserName: 'tester',
      platform: process.platform,
      maxImportBytes: 1234
    })
  })

  it("starts the window in one call: without a project, without a name, and with both (the first document's content included)", async () => {
    const { backend } = await makeBackend()
    const bare = await backend.getStartup()
    expect(bare).toEqual({ appInfo: await backend.getAppInfo(), settings: await backend.getSettings(), project: null, documents: [], documentCount: 0, firstDocument: null, changesSeq: 0 })
    const project = await backend.openSampleProject()
    const nameless = await backend.getStartup()
    expect(nameless.project).toEqual(project)
    expect(nameless.documents).toEqual(await backend.listDocuments(null))
    expect(nameless.documentCount).toBe(nameless.documents.length)
    expect(nameless.firstDocument).toBeNull()
    await backend.setAnnotatorName('Ayla')
    const started = await backend.getStartup()
    expect(started.settings.annotatorName).toBe('Ayla')
    expect(started.documents).toEqual(await backend.listDocuments('Ayla'))
    const first = started.documents[0]
    if (!first) throw new Error('the sample project lists no document')
    expect(started.firstDocument).toEqual(await backend.getDocument({ documentId: first.id, annotator: 'Ayla' }))
    // Taken before the list was read: changes from then on are what the window asks for first.
    expect(started.changesSeq).toBe((await backend.getProjectChanges(0)).seq)
  })

  it('starts the window with only the first screen of a long list, and says how long the list is', async () => {
    const { backend, root } = await makeBackend()
    await backend.setAnnotatorName('Ayla')
    await backend.createProject(join(root, 'p'), null)
    const count = STARTUP_DOCUMENTS + 5
    await backend.importTexts(Array.from({ length: count }, (_, index) => ({ name: `text-${String(index).padStart(3, '0')}.txt`, bytes: new TextEncoder().encode(`Text number ${index}`) })))
    const started = await backend.getStartup()
    const whole = await backend.listDocuments('Ayla')
    expect(whole).toHaveLength(count)
    expect(started.documentCount).toBe(count)
    expect(started.documents).toEqual(whole.slice(0, STARTUP_DOCUMENTS))
    expect(started.firstDocument?.document.id).toBe(whole[0]?.id)
  })

  it('starts a window on a reopened project from the first screen kept beside its index, before the index file is read', async () => {
    const { backend, root, options } = await makeBackend()
    await backend.setAnnotatorName('Ayla')
    const dir = join(root, 'p')
    await backend.createProject(dir, null)
    const count = STARTUP_DOCUMENTS + 5
    await backend.importTexts(Array.from({ length: count }, (_, index) => ({ name: `text-${String(index).padStart(3, '0')}.txt`, bytes: new TextEncoder().encode(`Text number ${index}`) })))
    const first = (await backend.listDocuments('Ayla'))[0]!
    await backend.applyAnnotationEdits({ documentId: first.id, annotator: 'Ayla' }, [{ op: 'add', annotation: { id: 'x', start: asUtf16(0), end: asUtf16(4), tag: 'ORG' } }])
    // Closed once the folders have settled: the index file then carries the documents folder's stamp.
    await new Promise((resolve) => setTimeout(resolve, 80))
    await backend.closeProject()

    const read = vi.spyOn(DocumentIndexFile.prototype, 'read')
    const reopened = tracked(new QuireBackend(options))
    await reopened.openProject(dir)
    const started = await reopened.getStartup()
    expect(read).not.toHaveBeenCalled()
    expect(started.documentCount).toBe(count)
    expect(started.documents[0]).toMatchObject({ id: first.id, total: 1, countsByTag: { ORG: 1 } })
    expect(started.firstDocument?.document.id).toBe(first.id)
    // The whole list, once asked for, reads the index file: the start was its first screen.
    const whole = await reopened.listDocuments('Ayla')
    expect(read).toHaveBeenCalledTimes(1)
    expect(started.documents).toEqual(whole.slice(0, STARTUP_DOCUMENTS))
    read.mockRestore()
  })

  it('reads the document index as a project opens, before the window asks for the list', async () => {
    const { backend, root, options } = await makeBackend()
    const dir = join(root, 'p')
    await backend.createProject(dir, null)
    await backend.importTexts([1, 2, 3].map((index) => ({ name: `text-${index}.txt`, bytes: new TextEncoder().encode(`Text number ${index}`) })))
    await backend.closeProject()
    const indexFile = join(dir, '.quire', DOCUMENT_INDEX_FILE_NAME)
    await rm(indexFile)
    const reopened = tracked(new QuireBackend(options))
    await reopened.openProject(dir)
    // Nothing has asked for the list: the index is rebuilt, and written, all the same.
    await vi.waitFor(() => stat(indexFile), { timeout: 5000, interval: 20 })
    expect(await reopened.listDocuments(null)).toHaveLength(3)
    await reopened.closeProject()
  })

  it('gives the list a page at a time, with a version that holds through saves and changes when documents are added', async () => {
    const { backend, root } = await makeBackend()
    await backend.setAnnotatorName('Ayla')
    await backend.createProject(join(root, 'p'), null)
    const text = (index: number): { name: string; bytes: Uint8Array } => ({ name: `text-${String(index).padStart(2, '0')}.txt`, bytes: new TextEncoder().encode(`Text number ${index}`) })
    await backend.importTexts(Array.from({ length: 7 }, (_, index) => text(index)))
    const whole = await backend.listDocuments('Ayla')
    const pages = [await backend.listDocumentPage('Ayla', 0, 3), await backend.listDocumentPage('Ayla', 3, 3), await backend.listDocumentPage('Ayla', 6, 3)]
    expect(pages.flatMap((page) => page.documents)).toEqual(whole)
    expect(pages.map((page) => [page.total, page.version])).toEqual([[7, pages[0]!.version], [7, pages[0]!.version], [7, pages[0]!.version]])
    const first = whole[0]!
    await backend.applyAnnotationEdits({ documentId: first.id, annotator: 'Ayla' }, [{ op: 'add', annotation: { id: 'x', start: asUtf16(0), end: asUtf16(4), tag: 'ORG' } }])
    const afterSave = await backend.listDocumentPage('Ayla', 0, 3)
    expect(afterSave.version).toBe(pages[0]!.version)
    expect(afterSave.documents[0]?.total).toBe(1)
    await backend.importTexts([text(7)])
    const afterImport = await backend.listDocumentPage('Ayla', 0, 3)
    expect(afterImport.total).toBe(8)
    expect(afterImport.version).not.toBe(pages[0]!.version)
  })

  it('keeps the colour scheme chosen, tells the desktop shell once it is kept, and refuses one that is not a scheme', async () => {
    const told: string[] = []
    const { backend, options } = await makeBackend({ onColourScheme: (choice) => told.push(choice) })
    expect((await backend.getSettings()).colourScheme).toBe('system')
    expect((await backend.setColourScheme('dark')).colourScheme).toBe('dark')
    expect(told).toEqual(['dark'])
    await expect(backend.setColourScheme('sepia' as 'dark')).rejects.toThrow('"sepia" is not a colour scheme (system, light or dark)')
    expect(told).toEqual(['dark'])
    expect((await new QuireBackend(options).getSettings()).colourScheme).toBe('dark')
  })

  it('gives new projects, the sample among them, tag colours clear on both schemes', async () => {
    const { backend } = await makeBackend()
    const project = await backend.openSampleProject()
    for (const tag of project.manifest.tags) expect(judgeColour(tag.color), `${tag.label} ${tag.color}`).toMatchObject({ ok: true })
  })

  it('opens the sample project with the two sample texts, and keeps its annotations when reopened', async () => {
    const { backend, userDataDir } = await makeBackend()
    await backend.setAnnotatorName('Ayla')
    const project = await backend.openSampleProject()
    expect(project.manifest.name).toBe('Sample project')
    expect(project.path).toBe(join(userDataDir, 'sample-project'))

    const documents = await backend.listDocuments('Ayla')
    expect(documents.map((document) => document.name)).toEqual(['icesco-science-cooperation', 'isesco-education-meeting'])
    const longLine = documents[0]
    if (!longLine) throw new Error('no document')
    // Two colleagues have annotated the sample already: one document by both, one still in progress.
    expect(documents.map((document) => [document.reviewState, document.layers.map((layer) => [layer.annotator, layer.status])])).toEqual([
      ['in-progress', [['Leyla', 'done'], ['Rashad', 'in-progress']]],
      ['annotated', [['Leyla', 'done'], ['Rashad', 'done']]]
    ])
    expect(documents.every((document) => document.layers.every((layer) => layer.spans > 10))).toBe(true)
    const content = await backend.getDocument({ documentId: longLine.id, annotator: 'Ayla' })
    expect(content.text).toBe(await readFile(join(SAMPLE_TEXTS, 'icesco-science-cooperation.txt'), 'utf8'))
    const start = content.text.indexOf('Laman Ismayilova')
    await backend.applyAnnotationEdits({ documentId: longLine.id, annotator: 'Ayla' }, [
      { op: 'add', annotation: { id: 'laman', start: asUtf16(start), end: asUtf16(start + 16), tag: 'PERSON' } }
    ])
    await backend.setDocumentStatus({ documentId: longLine.id, annotator: 'Ayla' }, 'done')

    const restarted = tracked(
      new QuireBackend({
        userDataDir,
        sampleTextsDir: SAMPLE_TEXTS,
        edition: 'desktop',
        version: '1',
        osUserName: 'x',
        dialogs: null
      })
    )
    await restarted.openSampleProject()
    const again = await restarted.listDocuments('Ayla')
    expect(again).toHaveLength(2)
    expect(again[0]).toMatchObject({ id: longLine.id, status: 'done', total: 1, countsByTag: { PERSON: 1 } })
    expect((await restarted.getDocument({ documentId: longLine.id, annotator: 'Ayla' })).annotations.map((annotation) => annotation.text)).toEqual(['Laman Ismayilova'])
  })

  it('creates, opens and closes projects, remembering them as recent', async () => {
    const { backend, root } = await makeBackend()
    expect(await backend.getCurrentProject()).toBeNull()
    await expect(backend.listDocuments(null)).rejects.toMatchObject({ code: 'no-project' })

    const first = await backend.createProject(join(root, 'Reports 2024'), null)
    expect(first.manifest.name).toBe('Reports 2024')
    const second = await backend.createProject(join(root, 'other'), 'Named')
    await backend.closeProject()
    expect(await backend.getCurrentProject()).toBeNull()
    await backend.openProject(first.path)
    expect((await backend.getCurrentProject())?.path).toBe(first.path)
    expect((await backend.getSettings()).recentProjects.map((recent) => recent.name)).toEqual(['Reports 2024', 'Named'])
    expect(second.readOnly).toBe(false)
  })

  it('openOrCreateProject creates in a missing or empty folder and opens an existing project', async () => {
    const { backend, root } = await makeBackend()
    const created = await backend.openOrCreateProject(join(root, 'fresh'))
    expect(created.manifest.name).toBe('fresh')
    const emptyDir = join(root, 'empty')
    await mkdir(emptyDir)
    expect((await backend.openOrCreateProject(emptyDir)).manifest.name).toBe('empty')
    expect((await backend.openOrCreateProject(join(root, 'fresh'))).manifest.createdAt).toBe(created.manifest.createdAt)
    const busy = join(root, 'busy')
    await mkdir(busy)
    await writeFile(join(busy, 'x.txt'), 'x')
    await expect(backend.openOrCreateProject(busy)).rejects.toMatchObject({ code: 'not-found', path: join(busy, 'project.json') })
  })

  it('returns null for native dialogs in the browser edition', async () => {
    const { backend, root } = await makeBackend()
    await backend.createProject(join(root, 'p'), null)
    expect(await backend.chooseProjectFolder('new')).toBeNull()
    expect(await backend.chooseAndImportTexts()).toBeNull()
  })

  it('imports the files chosen in the native dialog, refusing oversize and unreadable ones', async () => {
    const root = await makeTempFolder()
    const good = join(root, 'good.txt')
    const big = join(root, 'big.txt')
    await writeFile(good, 'Emin Amrullayev')
    await writeFile(big, 'x'.repeat(2000))
    let chosen: string[] | null = [good, big, join(root, 'gone.txt')]
    const dialogs: DesktopDialogs = {
      chooseFolder: async (purpose) => join(root, purpose),
      chooseTextFiles: async () => chosen
    }
    const { backend } = await makeBackend({ dialogs, maxImportBytes: 1024 })
    expect(await backend.chooseProjectFolder('open')).toBe(join(root, 'open'))
    await backend.createProject(join(root, 'project'), null)

    const report = await backend.chooseAndImportTexts()
    expect(report?.imported.map((entry) => entry.name)).toEqual(['good'])
    expect(report?.refused).toEqual([
      { fileName: 'big.txt', reason: '"big.txt" is 2 KB; the limit is 1 KB' },
      { fileName: 'gone.txt', reason: expect.stringMatching(/^"gone.txt" could not be read: ENOENT/) }
    ])
    chosen = null
    expect(await backend.chooseAndImportTexts()).toBeNull()
  })

  it('lists a document whose annotation file is damaged with the problem, refuses to open or save it, and leaves it untouched', async () => {
    const { backend, root, options } = await makeBackend()
    await backend.setAnnotatorName('Leyla')
    const project = await backend.createProject(join(root, 'p'), null)
    const report = await backend.importTexts([
      { name: 'a.txt', bytes: new TextEncoder().encode('Alpha text') },
      { name: 'b.txt', bytes: new TextEncoder().encode('Beta text') }
    ])
    const [a, b] = report.imported
    if (!a || !b) throw new Error('import failed')
    await backend.applyAnnotationEdits({ documentId: a.documentId, annotator: 'Leyla' }, [
      { op: 'add', annotation: { id: 'x', start: asUtf16(0), end: asUtf16(5), tag: 'ORG' } }
    ])
    const folder = join(project.path, 'documents', a.documentId, 'annotations')
    const [fileName] = await readdir(folder)
    const layerPath = join(folder, fileName as string)
    const damaged = (await readFile(layerPath, 'utf8')).replace('"ORG"', '"ORG",,')
    await writeFile(layerPath, damaged)

    const restarted = tracked(new QuireBackend(options))
    await restarted.openProject(project.path)
    const documents = await restarted.listDocuments('Leyla')
    expect(documents.find((document) => document.id === b.documentId)?.problem).toBeUndefined()
    expect(documents.find((document) => document.id === a.documentId)?.problem).toMatchObject({
      code: 'corrupt-store',
      path: layerPath,
      line: expect.any(Number)
    })
    await expect(restarted.getDocument({ documentId: a.documentId, annotator: 'Leyla' })).rejects.toMatchObject({ code: 'corrupt-store', path: layerPath })
    await expect(
      restarted.applyAnnotationEdits({ documentId: a.documentId, annotator: 'Leyla' }, [{ op: 'add', annotation: { id: 'y', start: asUtf16(0), end: asUtf16(5), tag: 'ORG' } }])
    ).rejects.toMatchObject({ code: 'corrupt-store' })
    await expect(restarted.setDocumentStatus({ documentId: a.documentId, annotator: 'Leyla' }, 'done')).rejects.toMatchObject({ code: 'corrupt-store' })
    expect(await readFile(layerPath, 'utf8')).toBe(damaged)
  })
})
