// Two annotators, one text edited between them: Leyla annotates on her computer, Rashad edits the
// text on his (the same project folder, as a synced folder or a shared drive would give it), and
// every reader sees Leyla's layer on the new text while her file stays as she wrote it.
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { QuireBackend, type QuireBackendOptions } from '../../src/main/backend'
import { changeSetFromSpecs } from '../../src/core/text-edit/change-set'
import { annotatorFileName } from '../../src/core/ids'
import { sha256Hex } from '../../src/main/store/project-store'
import { readLayerFromDisk } from '../../src/main/store/layer-on-disk'
import { ORIGINAL_REVISION, type ExportJobStatus, type ExportRequest } from '../../src/shared/model'
import { makeTempFolder } from '../fixtures/temp-folder'
import { addOver, leylasMeetingProject, MEETING_TEXT, rangeOf } from '../fixtures/team-project'
import { caught } from '../helpers/caught'

const SAMPLE_TEXTS = join(import.meta.dirname, '..', '..', 'resources', 'sample-project')
const backends: QuireBackend[] = []

afterEach(async () => {
  for (const backend of backends.splice(0)) await backend.closeProject()
})

function backendFor(root: string, name: string): QuireBackend {
  const options: QuireBackendOptions = {
    userDataDir: join(root, `user-data-${name}`),
    sampleTextsDir: SAMPLE_TEXTS,
    edition: 'browser',
    version: '9.9.9',
    osUserName: 'tester',
    dialogs: null
  }
  const backend = new QuireBackend(options)
  backends.push(backend)
  return backend
}

async function exportJsonl(backend: QuireBackend, outPath: string, extra: Partial<ExportRequest> = {}): Promise<Record<string, unknown>[]> {
  const { jobId } = await backend.startExport({ format: 'jsonl', outPath, documentIds: 'all', annotators: 'all', offsets: 'utf16', ...extra })
  let status: ExportJobStatus
  do {
    await new Promise((resolve) => setTimeout(resolve, 10))
    status = await backend.getExportProgress(jobId)
  } while (status.state === 'running')
  expect(status.state).toBe('finished')
  return (await readFile(outPath, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** The meeting text after Rashad's edit: a title before Leyla, "with" after "met", and Raheel Qamar gone. */
function rashadsEdit(text: string) {
  const raheel = rangeOf('Raheel Qamar of ', text)
  const met = rangeOf('met ', text)
  return changeSetFromSpecs(text, [
    { from: 0, to: 0, insert: 'Minister ' },
    { from: met.end, to: met.end, insert: 'with ' },
    { from: raheel.start, to: raheel.end, insert: '' }
  ])
}
const EDITED_TEXT = 'Minister Leyla Taghizade met with ICESCO in Baku on Monday.'

describe('text revisions with two annotators', () => {
  it("maps Leyla's layer onto Rashad's edit for every reader, leaves her file alone until she saves, and imports an export made before the edit", async () => {
    const root = await makeTempFolder('quire-revisions-team-')

    // Leyla annotates the original text.
    const { projectDir, leyla, documentId, asLeyla } = await leylasMeetingProject(root, backendFor)
    await leyla.applyAnnotationEdits(asLeyla, [addOver('l1', 'Leyla Taghizade', 'PERSON'), addOver('l2', 'Raheel Qamar', 'PERSON'), addOver('l3', 'ICESCO', 'ORG')])
    const before = await exportJsonl(leyla, join(root, 'before.jsonl'))
    expect(before[0]).toMatchObject({ revision: ORIGINAL_REVISION, sha256: sha256Hex(MEETING_TEXT), text: MEETING_TEXT })
    await leyla.closeProject()
    const leylaFile = join(projectDir, 'documents', documentId, 'annotations', annotatorFileName('Leyla', sha256Hex))
    const leylaBytes = await readFile(leylaFile)

    // Rashad edits the text on his computer.
    const rashad = backendFor(root, 'rashad')
    await rashad.setAnnotatorName('Rashad')
    await rashad.openProject(projectDir)
    const opened = await rashad.getDocument({ documentId, annotator: 'Rashad' })
    expect(opened.revision).toEqual({ id: ORIGINAL_REVISION, seq: 0, sha256: sha256Hex(MEETING_TEXT), length: MEETING_TEXT.length })
    const result = await rashad.saveTextEdit({ documentId, author: 'Rashad', baseRevision: ORIGINAL_REVISION, changes: rashadsEdit(MEETING_TEXT) })
    const revision = result.revision
    expect(revision).toMatchObject({ parent: ORIGINAL_REVISION, seq: 1, author: 'Rashad', shaAfter: sha256Hex(EDITED_TEXT), lengthAfter: EDITED_TEXT.length, setAside: false })
    expect(result.content!.text).toBe(EDITED_TEXT)
    expect(result.content!.revision).toEqual({ id: revision?.id, seq: 1, sha256: sha256Hex(EDITED_TEXT), length: EDITED_TEXT.length })
    expect(await readdir(join(projectDir, 'documents', documentId, 'revisions'))).toEqual([`${revision?.id}.json`])
    // text.txt stays the original.
    expect(await readFile(join(projectDir, 'documents', documentId, 'text.txt'), 'utf8')).toBe(MEETING_TEXT)

    // Every reader Rashad has sees Leyla's layer on the edited text.
    const expectMapped = (annotations: { id: string; start: number; end: number; text: string }[]): void => {
      expect(annotations.map((annotation) => [annotation.id, annotation.text, EDITED_TEXT.slice(annotation.start, annotation.end)])).toEqual([
        ['l1', 'Leyla Taghizade', 'Leyla Taghizade'],
        ['l3', 'ICESCO', 'ICESCO']
      ])
    }
    expectMapped((await rashad.getLayer(asLeyla)).annotations)
    expect((await rashad.listLayers(documentId)).find((layer) => layer.annotator === 'Leyla')).toMatchObject({ spans: 2 })
    expect((await rashad.listDocuments('Rashad'))[0]).toMatchObject({ length: EDITED_TEXT.length, sizeBytes: EDITED_TEXT.length })
    const comparison = await rashad.compareDocument(documentId, ['Leyla', 'Rashad'])
    expect(comparison.starts.map((start, index) => EDITED_TEXT.slice(start, comparison.ends[index]))).toEqual(['Leyla Taghizade', 'ICESCO'])
    // Agreement reads it mapped too: Leyla's two spans counted against Rashad's empty layer, nothing unreadable.
    const agreement = await rashad.computeAgreement({ documentIds: 'all', annotators: ['Leyla'] })
    expect(agreement.problems).toEqual([])
    expect(agreement.report).toMatchObject({ documents: 1, documentsByAnnotator: { Leyla: 1 } })
    const after = await exportJsonl(rashad, join(root, 'after.jsonl'))
    expect(after[0]).toMatchObject({ revision: revision?.id, sha256: sha256Hex(EDITED_TEXT), text: EDITED_TEXT })
    expect((after[0]?.spans as { start: number; end: number; text: string }[]).map((span) => [span.text, EDITED_TEXT.slice(span.start, span.end)])).toEqual([
      ['Leyla Taghizade', 'Leyla Taghizade'],
      ['ICESCO', 'ICESCO']
    ])
    await rashad.closeProject()
    expect(await readFile(leylaFile)).toEqual(leylaBytes)

    // Back on Leyla's computer: her layer reads mapped, with the lost span listed, and her file
    // is still as she wrote it until she saves.
    const leylaAgain = backendFor(root, 'leyla')
    await leylaAgain.openProject(projectDir)
    const content = await leylaAgain.getDocument(asLeyla)
    expect(content.text).toBe(EDITED_TEXT)
    expectMapped(content.annotations)
    expect(content.lostInEditing.map((lost) => [lost.annotation.id, lost.annotation.text, lost.revision])).toEqual([['l2', 'Raheel Qamar', revision?.id]])
    expect(await readFile(leylaFile)).toEqual(leylaBytes)

    // Her export from before the edit imports onto the edited document: nothing new, nothing misplaced.
    const imported = await leylaAgain.importAnnotations([{ name: 'before.jsonl', bytes: await readFile(join(root, 'before.jsonl')) }], { format: 'jsonl' })
    expect(imported.errors).toEqual([])
    expect(imported).toMatchObject({ imported: true, spans: 0, spansAlreadyPresent: 2 })
    expect(imported.warnings.map((warning) => warning.message)).toEqual([expect.stringContaining('"Raheel Qamar" (PERSON) was not imported')])
    expect(imported.documents.map((document) => document.documentId)).toEqual([documentId])

    // Saving writes her layer forward, anchored to Rashad's revision (the file as read from disk:
    // the whole file written forward, then her save in its journal, in the new revision's offsets).
    await leylaAgain.applyAnnotationEdits(asLeyla, [addOver('l4', 'Baku', 'ORG', EDITED_TEXT)])
    const written = (await readLayerFromDisk(leylaFile))?.layer
    expect(written).toMatchObject({ textRevision: revision?.id, textSha256: sha256Hex(EDITED_TEXT) })
    expect(written?.annotations.map((annotation) => [annotation.id, annotation.text, EDITED_TEXT.slice(annotation.start, annotation.end)])).toEqual([
      ['l1', 'Leyla Taghizade', 'Leyla Taghizade'],
      ['l3', 'ICESCO', 'ICESCO'],
      ['l4', 'Baku', 'Baku']
    ])
    await leylaAgain.closeProject()
    const compacted = JSON.parse(await readFile(leylaFile, 'utf8')) as { textRevision: string; annotations: { id: string }[] }
    expect(compacted.textRevision).toBe(revision?.id)
    expect(compacted.annotations.map((annotation) => annotation.id)).toEqual(['l1', 'l3', 'l4'])
  })

  it('refuses an edit made on a revision that is no longer the head, and one that is not the user\'s name', async () => {
    const root = await makeTempFolder('quire-revisions-team-')
    const backend = backendFor(root, 'leyla')
    await backend.setAnnotatorName('Leyla')
    await backend.createProject(join(root, 'project'), 'Team')
    const documentId = (await backend.importTexts([{ name: 'meeting.txt', bytes: new TextEncoder().encode(MEETING_TEXT) }])).imported[0]?.documentId as string
    await backend.saveTextEdit({ documentId, author: 'Leyla', baseRevision: ORIGINAL_REVISION, changes: rashadsEdit(MEETING_TEXT) })
    const stale = await caught(backend.saveTextEdit({ documentId, author: 'Leyla', baseRevision: ORIGINAL_REVISION, changes: [MEETING_TEXT.length] }))
    expect(stale.code).toBe('conflict')
    expect(stale.message).toContain('changed since you started editing')
    const notMine = await caught(backend.saveTextEdit({ documentId, author: 'Rashad', baseRevision: ORIGINAL_REVISION, changes: [MEETING_TEXT.length] }))
    expect(notMine.code).toBe('forbidden')
    const history = await backend.getTextHistory(documentId)
    const misfit = await caught(backend.saveTextEdit({ documentId, author: 'Leyla', baseRevision: history.head.id, changes: [MEETING_TEXT.length] }))
    expect(misfit.code).toBe('invalid-argument')
    expect(history.revisions).toHaveLength(1)
  })
})
