// A layer's journal and text revisions together: journal entries are in the offsets of the
// revision their layer file is anchored to, replayed onto that file, then mapped onto the head.
import { copyFile, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { QuireBackend } from '../../src/main/backend'
import { changeSetFromSpecs } from '../../src/core/text-edit/change-set'
import { annotatorFileName } from '../../src/core/ids'
import { journalPathOf } from '../../src/main/store/layer-journal'
import { readLayerFromDisk } from '../../src/main/store/layer-on-disk'
import { foldLeftoverJournals } from '../../src/main/store/leftover-journals'
import { ProjectStore, sha256Hex } from '../../src/main/store/project-store'
import { ORIGINAL_REVISION } from '../../src/shared/model'
import { makeTempFolder } from '../fixtures/temp-folder'
import { addOver, leylasMeetingProject, MEETING_TEXT, rangeOf } from '../fixtures/team-project'

const SAMPLE_TEXTS = join(import.meta.dirname, '..', '..', 'resources', 'sample-project')
const backends: QuireBackend[] = []

afterEach(async () => {
  for (const backend of backends.splice(0)) await backend.closeProject()
})

function backendFor(root: string, name: string): QuireBackend {
  const backend = new QuireBackend({ userDataDir: join(root, `user-data-${name}`), sampleTextsDir: SAMPLE_TEXTS, edition: 'browser', version: '9.9.9', osUserName: 'tester', dialogs: null })
  backends.push(backend)
  return backend
}

/** "Minister " before the text and "Raheel Qamar of " gone: every offset after them moves. */
function rashadsEdit(text: string) {
  const raheel = rangeOf('Raheel Qamar of ', text)
  return changeSetFromSpecs(text, [
    { from: 0, to: 0, insert: 'Minister ' },
    { from: raheel.start, to: raheel.end, insert: '' }
  ])
}
const EDITED_TEXT = 'Minister Leyla Taghizade met ICESCO in Baku on Monday.'

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false
  )

/** Each span's id, stored text and the text it covers in `text`. */
const placed = (annotations: { id: string; start: number; end: number; text: string }[], text: string) =>
  annotations.map((annotation) => [annotation.id, annotation.text, text.slice(annotation.start, annotation.end)])

/**
 * Leyla saves three times on the original text (the first makes the file, the others are in its
 * journal), then her Quire stops without folding the journal (the files are put back as a crash
 * leaves them).
 */
async function leylaSavesThenCrashes(root: string) {
  const { projectDir, leyla, documentId, asLeyla } = await leylasMeetingProject(root, backendFor)
  await leyla.applyAnnotationEdits(asLeyla, [addOver('l1', 'Leyla Taghizade', 'PERSON')])
  await leyla.applyAnnotationEdits(asLeyla, [addOver('l2', 'ICESCO', 'ORG')])
  await leyla.applyAnnotationEdits(asLeyla, [addOver('l3', 'Baku', 'ORG')])
  const layerPath = join(projectDir, 'documents', documentId, 'annotations', annotatorFileName('Leyla', sha256Hex))
  const journalPath = journalPathOf(layerPath)
  expect(await exists(journalPath)).toBe(true)
  await copyFile(layerPath, join(root, 'layer.crashed'))
  await copyFile(journalPath, join(root, 'journal.crashed'))
  await leyla.closeProject()
  await copyFile(join(root, 'layer.crashed'), layerPath)
  await copyFile(join(root, 'journal.crashed'), journalPath)
  return { projectDir, documentId, asLeyla, layerPath, journalPath }
}

async function rashadEditsTheText(root: string, projectDir: string, documentId: string): Promise<string> {
  const rashad = backendFor(root, 'rashad')
  await rashad.setAnnotatorName('Rashad')
  await rashad.openProject(projectDir)
  const result = await rashad.saveTextEdit({ documentId, author: 'Rashad', baseRevision: ORIGINAL_REVISION, changes: rashadsEdit(MEETING_TEXT) })
  expect(result.content!.text).toBe(EDITED_TEXT)
  // A colleague's layer with a journal left on the original text reads mapped onto his edit.
  const leylasLayer = await rashad.getLayer({ documentId, annotator: 'Leyla' })
  expect(placed(leylasLayer.annotations, EDITED_TEXT)).toEqual([
    ['l1', 'Leyla Taghizade', 'Leyla Taghizade'],
    ['l2', 'ICESCO', 'ICESCO'],
    ['l3', 'Baku', 'Baku']
  ])
  await rashad.closeProject()
  return result.revision?.id as string
}

describe('a layer journal on an edited text', () => {
  it('is replayed onto its file in the file’s revision, mapped to the head, and the owner’s next save writes the whole layer forward and journals after it', async () => {
    const root = await makeTempFolder('quire-revisions-journal-')
    const { projectDir, documentId, asLeyla, layerPath, journalPath } = await leylaSavesThenCrashes(root)
    const revision = await rashadEditsTheText(root, projectDir, documentId)
    // Nobody but Leyla writes her layer: file and journal are still on the original text.
    expect(JSON.parse(await readFile(layerPath, 'utf8'))).toMatchObject({ textRevision: ORIGINAL_REVISION })
    expect(await exists(journalPath)).toBe(true)

    const leyla = backendFor(root, 'leyla-again')
    await leyla.setAnnotatorName('Leyla')
    await leyla.openProject(projectDir)
    const content = await leyla.getDocument(asLeyla)
    expect(placed(content.annotations, EDITED_TEXT)).toEqual([
      ['l1', 'Leyla Taghizade', 'Leyla Taghizade'],
      ['l2', 'ICESCO', 'ICESCO'],
      ['l3', 'Baku', 'Baku']
    ])
    // Her next save rewrites the whole file on the new revision (old journal folded in); the one after goes to a new journal.
    await leyla.applyAnnotationEdits(asLeyla, [addOver('l4', 'Monday', 'EVENT', EDITED_TEXT)])
    const forward = JSON.parse(await readFile(layerPath, 'utf8')) as { textRevision: string; annotations: { id: string; start: number; end: number; text: string }[] }
    expect(forward.textRevision).toBe(revision)
    expect(placed(forward.annotations, EDITED_TEXT).map(([id]) => id)).toEqual(['l1', 'l2', 'l3', 'l4'])
    expect(await exists(journalPath)).toBe(false)
    await leyla.applyAnnotationEdits(asLeyla, [addOver('l5', 'Minister', 'PERSON', EDITED_TEXT)])
    expect(await exists(journalPath)).toBe(true)
    const onDisk = (await readLayerFromDisk(layerPath))?.layer
    expect(onDisk?.textRevision).toBe(revision)
    expect(placed(onDisk?.annotations ?? [], EDITED_TEXT)).toEqual([
      ['l5', 'Minister', 'Minister'],
      ['l1', 'Leyla Taghizade', 'Leyla Taghizade'],
      ['l2', 'ICESCO', 'ICESCO'],
      ['l3', 'Baku', 'Baku'],
      ['l4', 'Monday', 'Monday']
    ])
  })

  it('is folded by a colleague’s sync in the file’s own revision, never written forward', async () => {
    const root = await makeTempFolder('quire-revisions-journal-')
    const { projectDir, documentId, layerPath, journalPath } = await leylaSavesThenCrashes(root)
    const revision = await rashadEditsTheText(root, projectDir, documentId)
    const store = await ProjectStore.open(projectDir)
    try {
      expect(await foldLeftoverJournals(store)).toEqual([layerPath])
      // Loaded into his store, her layer is on his text in memory...
      const loaded = store.loadedLayer(layerPath)?.current
      expect(loaded?.textRevision).toBe(revision)
      expect(placed(loaded?.annotations ?? [], EDITED_TEXT).map(([, stored, covered]) => stored === covered)).toEqual([true, true, true])
    } finally {
      await store.close()
    }
    // ...and on disk the journal is folded into her file, still anchored to the original text.
    expect(await exists(journalPath)).toBe(false)
    const folded = JSON.parse(await readFile(layerPath, 'utf8')) as { textRevision: string; annotations: { id: string; start: number; end: number; text: string }[] }
    expect(folded.textRevision).toBe(ORIGINAL_REVISION)
    expect(placed(folded.annotations, MEETING_TEXT)).toEqual([
      ['l1', 'Leyla Taghizade', 'Leyla Taghizade'],
      ['l2', 'ICESCO', 'ICESCO'],
      ['l3', 'Baku', 'Baku']
    ])
  })

  it('after its owner edits the text, continues on the file written forward, and a crash then replays onto that file', async () => {
    const root = await makeTempFolder('quire-revisions-journal-')
    const { projectDir, leyla, documentId, asLeyla } = await leylasMeetingProject(root, backendFor)
    await leyla.applyAnnotationEdits(asLeyla, [addOver('l1', 'Leyla Taghizade', 'PERSON')])
    await leyla.applyAnnotationEdits(asLeyla, [addOver('l2', 'ICESCO', 'ORG')])
    const edit = await leyla.saveTextEdit({ documentId, author: 'Leyla', baseRevision: ORIGINAL_REVISION, changes: rashadsEdit(MEETING_TEXT) })
    const revision = edit.revision?.id
    await leyla.applyAnnotationEdits(asLeyla, [addOver('l3', 'Baku', 'ORG', EDITED_TEXT)])
    const layerPath = join(projectDir, 'documents', documentId, 'annotations', annotatorFileName('Leyla', sha256Hex))
    const onDisk = (await readLayerFromDisk(layerPath))?.layer
    expect(onDisk?.textRevision).toBe(revision)
    expect(placed(onDisk?.annotations ?? [], EDITED_TEXT)).toEqual([
      ['l1', 'Leyla Taghizade', 'Leyla Taghizade'],
      ['l2', 'ICESCO', 'ICESCO'],
      ['l3', 'Baku', 'Baku']
    ])
  })
})
