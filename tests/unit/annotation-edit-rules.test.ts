// The annotation edit rules live once (src/core/annotation-edits.ts). Main's annotation
// service, the window's in-memory edits and the component tests' fake API must therefore
// accept and refuse exactly the same edits, with the same words.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_IMPORT_BYTES } from '../../src/core/text-decode'
import { planEdits } from '../../src/core/annotation-edits'
import { asUtf16, type Annotation, type AnnotationEdit } from '../../src/shared/model'
import type { RejectedSuggestion } from '../../src/shared/finding-model'
import { AnnotationService } from '../../src/main/services/annotation-service'
import { ImportService } from '../../src/main/services/import-service'
import { ProjectService } from '../../src/main/services/project-service'
import { SettingsService } from '../../src/main/services/settings-service'
import { applyEditsToMap, EditConflictError } from '../../src/renderer/src/lib/state/annotation-edits'
import { FakeApi } from '../component/fake-api'
import { makeTempFolder } from '../fixtures/temp-folder'

// An emoji (two UTF-16 code units) at 43–45.
const TEXT = 'Leyla Taghizade met Raheel Qamar of ICESCO 😀 in Baku.'
const NOW = '2026-01-01T00:00:00.000Z'

const add = (id: string, start: number, end: number, tag = 'PERSON'): AnnotationEdit => ({
  op: 'add',
  annotation: { id, start: asUtf16(start), end: asUtf16(end), tag }
})

/** The span "Leyla Taghizade" as saved, for restores. */
const saved = (changes: Partial<Annotation> = {}): Annotation => ({
  id: 'gone',
  start: asUtf16(0),
  end: asUtf16(15),
  tag: 'PERSON',
  text: 'Leyla Taghizade',
  annotator: 'Leyla',
  createdAt: NOW,
  updatedAt: NOW,
  provenance: { source: 'manual' },
  ...changes
})

const HOSTILE: [string, AnnotationEdit, RegExp][] = [
  ['a span cutting an emoji in half', add('x', 43, 44), /cuts a character in half/],
  ['a span past the end of the text', add('x', 50, 99), /past the end of the text/],
  ['an empty span', add('x', 5, 5), /empty or reversed span/],
  ['a tag the project does not define', add('x', 0, 5, 'WEAPON'), /tag WEAPON, which this project does not define/],
  ['an id already in the layer', add('kept', 20, 32), /id kept, which another annotation already has/],
  ['a restore whose text no longer matches', { op: 'restore', annotation: saved({ start: asUtf16(1), end: asUtf16(16) }) }, /no longer matches/],
  ['a restore of another annotator’s span', { op: 'restore', annotation: saved({ annotator: 'Rashad' }) }, /by Rashad into the layer of Leyla/],
  ['a restore of a span still there', { op: 'restore', annotation: saved({ id: 'kept' }) }, /restores the annotation kept, which still exists/],
  ['an update of a missing span', { op: 'update', id: 'ghost', changes: { tag: 'ORG' } }, /ghost, which does not exist/],
  ['a delete of a missing span', { op: 'delete', id: 'ghost' }, /deletes the annotation ghost, which does not exist/],
  ['a text confirmation of a missing span', { op: 'confirm-text', id: 'ghost' }, /confirms the text of the annotation ghost, which does not exist/],
  [
    'a curation decision in an annotator’s layer',
    { op: 'decide', decision: { positionKey: 'k', decision: 'rejected', curator: 'Leyla', decidedAt: NOW } },
    /only the gold layer holds them/
  ]
]

async function threeCallers() {
  const root = await makeTempFolder()
  const settings = await SettingsService.open(join(root, 'user-data'))
  await settings.setAnnotatorName('Leyla')
  const projects = new ProjectService(settings)
  await projects.create(join(root, 'project'), 'P')
  const report = await new ImportService(projects, MAX_IMPORT_BYTES).importTexts([{ name: 'meeting.txt', bytes: new TextEncoder().encode(TEXT) }], 'Leyla')
  const documentId = report.imported[0]?.documentId as string
  const store = projects.requireProject()
  const record = await store.readRecord(documentId)
  const layer = { documentId, annotator: 'Leyla' }
  const main = new AnnotationService(projects)
  await main.applyEdits(layer, [add('kept', 0, 15)])

  const fake = new FakeApi([{ id: documentId, name: record.name, text: TEXT, owner: 'Leyla' }])
  fake.openProjectNamed('P')
  await fake.applyAnnotationEdits(layer, [add('kept', 0, 15)])

  const windowAnnotations = new Map<string, Annotation>()
  const windowContext = {
    text: TEXT,
    annotator: 'Leyla',
    now: () => NOW,
    tagIds: new Set(store.manifest.tags.map((tag) => tag.id)),
    documentName: record.name,
    decisions: new Map()
  }
  applyEditsToMap(windowAnnotations, [add('kept', 0, 15)], windowContext)

  /** Each caller's refusal of `edits`, as the words after "Nothing was saved: ". */
  const refusals = async (edits: AnnotationEdit[]): Promise<string[]> => {
    const mainError = await main.applyEdits(layer, edits).then(
      () => null,
      (error: unknown) => error as Error
    )
    const fakeError = await fake.applyAnnotationEdits(layer, edits).then(
      () => null,
      (error: unknown) => error as Error
    )
    let windowError: Error | null = null
    try {
      applyEditsToMap(windowAnnotations, edits, windowContext)
    } catch (error) {
      windowError = error as Error
    }
    expect(windowError).toBeInstanceOf(EditConflictError)
    return [mainError?.message ?? 'accepted', fakeError?.message ?? 'accepted', `Nothing was saved: ${windowError?.message ?? 'accepted'}`]
  }
  return { main, fake, layer, store, record, windowAnnotations, windowContext, refusals }
}

describe('main, the window and the fake API apply one set of rules', () => {
  it.each(HOSTILE)('all three refuse %s, in the same words, changing nothing', async (_, edit, words) => {
    const { refusals, store, record, windowAnnotations, fake, layer } = await threeCallers()
    // After a good edit, so the refused one is the second of its batch everywhere.
    const messages = await refusals([add('fine', 20, 32), edit])
    expect(messages[0]).toMatch(/^Nothing was saved: edit 2 of 2 /)
    expect(messages[0]).toMatch(words)
    expect(messages[1]).toBe(messages[0])
    expect(messages[2]).toBe(messages[0])
    expect((await store.annotationLayer(record, 'Leyla')).current.annotations.map((annotation) => annotation.id)).toEqual(['kept'])
    expect([...windowAnnotations.keys()]).toEqual(['kept'])
    const fakeContent = await fake.getDocument(layer)
    expect(fakeContent.annotations.map((annotation) => annotation.id)).toEqual(['kept'])
  })

  it('all three make the same records of the edits they accept', async () => {
    const { main, fake, layer, windowAnnotations, windowContext } = await threeCallers()
    const edits: AnnotationEdit[] = [add('emoji', 43, 45, 'ORG'), { op: 'update', id: 'kept', changes: { note: 'minister' } }]
    const fromMain = await main.applyEdits(layer, edits)
    const fromFake = await fake.applyAnnotationEdits(layer, edits)
    const fromWindow = applyEditsToMap(windowAnnotations, edits, windowContext).changed
    const withoutTimes = (list: Annotation[]) =>
      list.map(({ createdAt: _created, updatedAt: _updated, ...rest }) => rest).sort((a, b) => a.id.localeCompare(b.id))
    expect(withoutTimes(fromFake.saved)).toEqual(withoutTimes(fromMain.saved))
    expect(withoutTimes(fromWindow)).toEqual(withoutTimes(fromMain.saved))
    expect(fromMain.saved.find((annotation) => annotation.id === 'emoji')?.text).toBe('😀')
  })

  it('confirm-text clears the text-check flag, and undoing it puts the flag back', () => {
    const flagged = saved({ id: 'checked', textCheck: { previousText: 'Leyla Tagizade', revision: 'r1-0123456789ab' } })
    const layer = new Map([[flagged.id, flagged]])
    const lookup = { annotation: (id: string) => layer.get(id), decision: () => undefined, rejection: () => undefined, curators: undefined }
    const context = { text: TEXT, tagIds: null, annotator: 'Leyla', documentName: 'meeting', now: NOW }
    const plan = planEdits(lookup, [{ op: 'confirm-text', id: 'checked' }], context)
    const confirmed = plan.annotations.get('checked')
    expect(confirmed?.textCheck).toBeUndefined()
    expect(confirmed?.updatedAt).toBe(NOW)
    layer.set('checked', confirmed as Annotation)
    const undone = planEdits(lookup, plan.revert, context)
    expect(undone.annotations.get('checked')).toEqual(flagged)
    // Confirming a span with no flag is no change at all.
    expect(planEdits(lookup, [{ op: 'confirm-text', id: 'checked' }], context).annotations.size).toBe(0)
  })
})

describe('rejected suggestions', () => {
  const baku = TEXT.indexOf('Baku')
  const reject: AnnotationEdit = { op: 'reject-suggestion', suggestion: { tag: 'EVENT', start: asUtf16(baku), end: asUtf16(baku + 4) } }
  const context = { text: TEXT, tagIds: null, annotator: 'Leyla', documentName: 'meeting', now: NOW }

  it('fills in the text and time, is one rejection however often made, and undo and redo go back and forth', () => {
    const rejections = new Map<string, RejectedSuggestion>()
    const lookup = { annotation: () => undefined, decision: () => undefined, rejection: (key: string) => rejections.get(key), curators: undefined }
    const plan = planEdits(lookup, [reject, reject], context)
    expect([...plan.rejections.values()]).toEqual([{ tag: 'EVENT', start: baku, end: baku + 4, text: 'Baku', rejectedAt: NOW }])
    expect(plan.revert).toEqual([{ op: 'unreject-suggestion', tag: 'EVENT', start: baku, end: baku + 4 }])
    // The journal keeps the text, so replaying without the document makes the same rejection.
    expect(plan.resolved).toEqual([{ op: 'reject-suggestion', suggestion: { tag: 'EVENT', start: baku, end: baku + 4, text: 'Baku' } }])
    expect([...planEdits(lookup, plan.resolved, { ...context, text: null }).rejections.values()]).toEqual([...plan.rejections.values()])
    for (const [key, rejection] of plan.rejections) if (rejection) rejections.set(key, rejection)
    const undone = planEdits(lookup, plan.revert, context)
    expect([...undone.rejections.values()]).toEqual([null])
    expect(undone.revert).toEqual(plan.resolved)
  })

  it('refuses a rejection without text when replaying, and one that cuts a character in half', () => {
    const lookup = { annotation: () => undefined, decision: () => undefined, rejection: () => undefined, curators: undefined }
    expect(() => planEdits(lookup, [reject], { ...context, text: null })).toThrow(/without the text/)
    const emoji = TEXT.indexOf('😀')
    expect(() => planEdits(lookup, [{ op: 'reject-suggestion', suggestion: { tag: 'EVENT', start: asUtf16(emoji + 1), end: asUtf16(emoji + 3) } }], context)).toThrow(/cuts a character in half/)
  })
})
