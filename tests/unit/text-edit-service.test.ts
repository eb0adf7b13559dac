// Editing texts through the backend: undo brings back the spans an edit deleted, a span whose
// words an edit changed is flagged until confirmed, and the sample project's PDF-extracted
// isesco text is cleaned with every colleague's spans still on their names.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { QuireBackend, type QuireBackendOptions } from '../../src/main/backend'
import { changeSetFromSpecs } from '../../src/core/text-edit/change-set'
import { CLEANUP_STEPS, ORIGINAL_REVISION, type Annotation } from '../../src/shared/model'
import { makeTempFolder } from '../fixtures/temp-folder'
import { addOver, MEETING_TEXT, rangeOf } from '../fixtures/team-project'
import { caught } from '../helpers/caught'

const SAMPLE_TEXTS = join(import.meta.dirname, '..', '..', 'resources', 'sample-project')
const backends: QuireBackend[] = []

afterEach(async () => {
  for (const backend of backends.splice(0)) await backend.closeProject()
})

async function startBackend(name: string) {
  const root = await makeTempFolder('quire-text-edit-')
  const options: QuireBackendOptions = { userDataDir: join(root, 'user-data'), sampleTextsDir: SAMPLE_TEXTS, edition: 'browser', version: '9.9.9', osUserName: 'tester', dialogs: null }
  const backend = new QuireBackend(options)
  backends.push(backend)
  await backend.setAnnotatorName(name)
  return { root, backend }
}

async function meetingProject(name = 'Leyla') {
  const { root, backend } = await startBackend(name)
  await backend.createProject(join(root, 'project'), 'Team')
  const documentId = (await backend.importTexts([{ name: 'meeting.txt', bytes: new TextEncoder().encode(MEETING_TEXT) }])).imported[0]?.documentId as string
  return { root, backend, documentId, projectDir: join(root, 'project') }
}

function covered(text: string, annotations: readonly Annotation[]): string[][] {
  return annotations.map((annotation) => [annotation.id, annotation.text, text.slice(annotation.start, annotation.end)])
}

describe('undo of a text revision', () => {
  it('undoes the head with a new revision and brings back the spans it deleted', async () => {
    const { backend, documentId, projectDir } = await meetingProject()
    const asLeyla = { documentId, annotator: 'Leyla' }
    await backend.applyAnnotationEdits(asLeyla, [addOver('l1', 'Raheel Qamar', 'PERSON'), addOver('l2', 'ICESCO', 'ORG')])
    const cut = rangeOf('Raheel Qamar of ', MEETING_TEXT)
    const edit = await backend.saveTextEdit({ documentId, author: 'Leyla', baseRevision: ORIGINAL_REVISION, changes: changeSetFromSpecs(MEETING_TEXT, [{ from: cut.start, to: cut.end, insert: '' }]) })
    expect(covered(edit.content!.text, edit.content!.annotations)).toEqual([['l2', 'ICESCO', 'ICESCO']])
    expect(edit.content!.lostInEditing.map((lost) => [lost.annotation.id, lost.revision])).toEqual([['l1', edit.revision?.id]])

    // Only the head can be undone.
    const first = edit.revision!
    const second = await backend.saveTextEdit({ documentId, author: 'Leyla', baseRevision: first.id, changes: changeSetFromSpecs(edit.content!.text, [{ from: 0, to: 0, insert: 'Dr ' }]) })
    expect((await caught(backend.undoTextRevision(documentId, 'Leyla', first.id))).code).toBe('conflict')
    const undoSecond = await backend.undoTextRevision(documentId, 'Leyla', second.revision!.id)
    expect(undoSecond.content!.text).toBe(edit.content!.text)
    const undone = await backend.undoTextRevision(documentId, 'Leyla', first.id)
    expect(undone.revision).toMatchObject({ origin: { kind: 'undo', undoes: first.id }, seq: 4 })
    expect(undone.content.text).toBe(MEETING_TEXT)
    expect(covered(undone.content.text, undone.content.annotations)).toEqual([
      ['l1', 'Raheel Qamar', 'Raheel Qamar'],
      ['l2', 'ICESCO', 'ICESCO']
    ])
    expect(undone.content.lostInEditing).toEqual([])
    expect((await readdir(join(projectDir, 'documents', documentId, 'revisions'))).length).toBe(4)
    // Saved so: the layer file read back after closing has the span again.
    await backend.closeProject()
    await backend.openProject(projectDir)
    expect(covered(MEETING_TEXT, (await backend.getDocument(asLeyla)).annotations).map(([id]) => id)).toEqual(['l1', 'l2'])
  })
})

describe('"text changed — check"', () => {
  it('flags a span whose words an edit changed, and the confirm-text edit clears the flag', async () => {
    const { backend, documentId, projectDir } = await meetingProject()
    const asLeyla = { documentId, annotator: 'Leyla' }
    await backend.applyAnnotationEdits(asLeyla, [addOver('l1', 'Raheel Qamar', 'PERSON'), addOver('l2', 'ICESCO', 'ORG')])
    const typo = rangeOf('Qamar', MEETING_TEXT)
    const edited = await backend.saveTextEdit({ documentId, author: 'Leyla', baseRevision: ORIGINAL_REVISION, changes: changeSetFromSpecs(MEETING_TEXT, [{ from: typo.start + 1, to: typo.start + 2, insert: 'e' }]) })
    const flagged = edited.content!.annotations.find((annotation) => annotation.id === 'l1')
    expect(flagged).toMatchObject({ text: 'Raheel Qemar', textCheck: { previousText: 'Raheel Qamar', revision: edited.revision?.id } })
    expect(edited.content!.annotations.find((annotation) => annotation.id === 'l2')?.textCheck).toBeUndefined()

    const confirmed = await backend.applyAnnotationEdits(asLeyla, [{ op: 'confirm-text', id: 'l1' }])
    expect(confirmed.saved[0]?.textCheck).toBeUndefined()
    await backend.closeProject()
    const path = join(projectDir, 'documents', documentId, 'annotations')
    const [file] = await readdir(path)
    const saved = JSON.parse(await readFile(join(path, file as string), 'utf8')) as { annotations: Annotation[] }
    expect(saved.annotations.map((annotation) => [annotation.id, annotation.text, annotation.textCheck ?? null])).toEqual([
      ['l1', 'Raheel Qemar', null],
      ['l2', 'ICESCO', null]
    ])
  })
})

describe('cleaning the sample project', () => {
  it('cleans the isesco text in one undoable revision, previewed first, with the colleagues\' spans on their names', async () => {
    const { backend } = await startBackend('Aysel')
    await backend.openSampleProject()
    const documentId = (await backend.listDocuments('Aysel')).find((document) => document.name === 'isesco-education-meeting')?.id as string
    const before = await backend.getDocument({ documentId, annotator: 'Aysel' })
    const colleagues = ['Leyla', 'Rashad']
    const spansBefore = new Map<string, Annotation[]>()
    for (const name of colleagues) spansBefore.set(name, (await backend.getLayer({ documentId, annotator: name })).annotations)
    expect([...spansBefore.values()].every((spans) => spans.length > 0)).toBe(true)

    const preview = await backend.previewCleanup(documentId, [...CLEANUP_STEPS])
    expect(preview.baseRevision).toBe(ORIGINAL_REVISION)
    expect(preview.steps.map((step) => step.step)).toEqual(CLEANUP_STEPS)
    expect(preview.steps.every((step) => step.count > 0 || step.step === 'spaces')).toBe(true)
    expect((await backend.getDocument({ documentId, annotator: 'Aysel' })).text).toBe(before.text)

    const cleaned = await backend.applyCleanup({ documentId, author: 'Aysel', baseRevision: ORIGINAL_REVISION, steps: [...CLEANUP_STEPS] })
    expect(cleaned.revision).toMatchObject({ origin: { kind: 'clean', steps: CLEANUP_STEPS }, seq: 1 })
    expect(cleaned.content.text.length).toBe(preview.lengthAfter)
    const paragraphs = cleaned.content.text.split('\n').filter((line) => line.trim() !== '')
    expect(paragraphs[0]).toBe(
      'On October 4, Azerbaijani Science and Education Minister Emin Amrullayev met with a delegation from the Islamic World Education, Scientific, and Cultural Organization (ISESCO) led by Director General Salim bin Muhammad al-Malik.'
    )
    const words = (spans: readonly Annotation[]): string[] => [...new Set(spans.map((span) => span.text.replace(/\s+/g, ' ')))].sort()
    for (const name of colleagues) {
      const after = (await backend.getLayer({ documentId, annotator: name })).annotations
      const original = spansBefore.get(name) as Annotation[]
      for (const annotation of after) {
        expect(cleaned.content.text.slice(annotation.start, annotation.end)).toBe(annotation.text)
        // The same name, with line breaks joined and doubled spaces gone.
        expect(annotation.text).toBe((original.find((span) => span.id === annotation.id) as Annotation).text.replace(/\s+/g, ' '))
      }
      // Spans on the repeated half of a doubled line go with it (listed as lost, for undo); every
      // name annotated before is still annotated.
      expect(words(after)).toEqual(words(original))
      expect(after.length).toBeGreaterThanOrEqual(original.length / 2)
    }
    const undone = await backend.undoTextRevision(documentId, 'Aysel', cleaned.revision!.id)
    expect(undone.content.text).toBe(before.text)
    for (const name of colleagues) {
      const back = (await backend.getLayer({ documentId, annotator: name })).annotations
      expect(back.map((annotation) => [annotation.id, annotation.start, annotation.end])).toEqual(
        (spansBefore.get(name) as Annotation[]).map((annotation) => [annotation.id, annotation.start, annotation.end])
      )
    }
  })
})
