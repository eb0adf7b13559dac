// Tag-all over real project folders: the preview's occurrences and skip reasons, apply with one
// save per document in the annotator's own layer, undo by deleting the added ids, occurrences
// that changed since the preview, and spans that never split a CRLF or a surrogate pair.
import { describe, expect, it, vi } from 'vitest'
import { QuireBackend } from '../../src/main/backend'
import { TagAllService } from '../../src/main/services/tag-all-service'
import type { SearchQuery, TagAllRequest } from '../../src/shared/finding-model'
import { asUtf16 } from '../../src/shared/model'
import { addOver, makeTeamProject, type TeamProject } from '../fixtures/team-project'
import { makeTempFolder } from '../fixtures/temp-folder'

const PLAIN: Omit<SearchQuery, 'text'> = { matchCase: false, matchDiacritics: false, wholeWord: true, regex: false }
const SECOND = 'ICESCO\r\nand ICESCO 👋ICESCO.'

function tagAll(text: string, documentIds: TagAllRequest['documentIds'] = 'all', options: Partial<SearchQuery> = {}): TagAllRequest {
  return { query: { ...PLAIN, ...options, text }, tag: 'ORG', annotator: 'Leyla', documentIds }
}

async function team(): Promise<{ project: TeamProject; service: TagAllService; second: string }> {
  const project = await makeTeamProject('Leyla', [{ name: 'second', text: SECOND }])
  // Leyla's own ORG over the meeting's ICESCO: tag-all skips it there.
  await project.annotations.applyEdits({ documentId: project.documentId, annotator: 'Leyla' }, [addOver('l1', 'ICESCO', 'ORG')])
  return { project, service: new TagAllService(project.projects, project.layers, project.annotations), second: project.ids.get('second') as string }
}

describe('tag-all', () => {
  it('previews every occurrence, skipping those a span of the same tag in the layer overlaps', async () => {
    const { project, service, second } = await team()
    const preview = await service.preview(tagAll('icesco'))
    expect(preview).toMatchObject({ toTag: 3, skipped: 1, timedOut: false, problem: null })
    expect(preview.occurrences.map((occurrence) => [occurrence.documentId, occurrence.skip])).toEqual([
      [project.documentId, 'overlaps-same-tag'],
      [second, null],
      [second, null],
      [second, null]
    ])
    // "👋ICESCO": the emoji is no word character, so the ICESCO after it is a whole word. The
    // first ICESCO ends at a CRLF: its context shows the break as a space.
    expect(preview.occurrences[1]).toMatchObject({ match: 'ICESCO', left: '', right: ' and ICESCO 👋ICESCO.' })
    // Another person's same tag does not skip: only the annotator's own layer counts.
    const asZaur = await service.preview({ ...tagAll('icesco'), annotator: 'Zaur' })
    expect(asZaur.skipped).toBe(0)
  })

  it('saves the chosen occurrences once per document, and deleting the added ids undoes it', async () => {
    const { project, service, second } = await team()
    const preview = await service.preview(tagAll('icesco'))
    const chosen = preview.occurrences.filter((occurrence) => occurrence.skip === null).map(({ documentId, start, end }) => ({ documentId, start, end }))
    const applyEdits = vi.spyOn(project.annotations, 'applyEdits')
    const result = await service.apply(tagAll('icesco'), chosen)
    expect(applyEdits).toHaveBeenCalledTimes(1)
    expect(result).toMatchObject({ added: 3, skipped: 0 })
    expect(result.documents).toHaveLength(1)
    const added = result.documents[0]?.added ?? []
    expect(added.map((annotation) => [annotation.text, annotation.tag, annotation.annotator, annotation.provenance])).toEqual([
      ['ICESCO', 'ORG', 'Leyla', { source: 'manual', detail: 'tag-all "icesco"' }],
      ['ICESCO', 'ORG', 'Leyla', { source: 'manual', detail: 'tag-all "icesco"' }],
      ['ICESCO', 'ORG', 'Leyla', { source: 'manual', detail: 'tag-all "icesco"' }]
    ])
    const layer = await project.layers.get({ documentId: second, annotator: 'Leyla' })
    expect(layer.annotations).toHaveLength(3)
    await project.annotations.applyEdits({ documentId: second, annotator: 'Leyla' }, added.map((annotation) => ({ op: 'delete' as const, id: annotation.id })))
    expect((await project.layers.get({ documentId: second, annotator: 'Leyla' })).annotations).toHaveLength(0)
  })

  it('skips a chosen occurrence the same tag came to overlap, or that is no longer an occurrence', async () => {
    const { project, service, second } = await team()
    const preview = await service.preview(tagAll('icesco', [second]))
    const chosen = preview.occurrences.map(({ documentId, start, end }) => ({ documentId, start, end }))
    await project.annotations.applyEdits({ documentId: second, annotator: 'Leyla' }, [addOver('mine', 'ICESCO', 'ORG', SECOND)])
    const stale = { documentId: second, start: asUtf16(1), end: asUtf16(4) }
    const result = await service.apply(tagAll('icesco', [second]), [...chosen, stale])
    expect(result).toMatchObject({ added: 2, skipped: 2 })
  })

  it('never makes a span that splits a CRLF or a surrogate pair', async () => {
    const { project, service, second } = await team()
    const preview = await service.preview(tagAll('\\n|\\uDC4B|.', [second], { regex: true, wholeWord: false }))
    const result = await service.apply(tagAll('\\n|\\uDC4B|.', [second], { regex: true, wholeWord: false }), preview.occurrences.map(({ documentId, start, end }) => ({ documentId, start, end })))
    const { text } = await project.store.textState(second)
    for (const annotation of result.documents.flatMap((document) => document.added)) {
      expect(text.charCodeAt(annotation.start - 1) === 13 && text.charCodeAt(annotation.start) === 10).toBe(false)
      expect(text.charCodeAt(annotation.end - 1) === 13 && text.charCodeAt(annotation.end) === 10).toBe(false)
      expect(/[\uDC00-\uDFFF]/.test(text[annotation.start] ?? '')).toBe(false)
      expect(/[\uDC00-\uDFFF]/.test(text[annotation.end] ?? '')).toBe(false)
    }
    expect(result.added).toBeGreaterThan(0)
  }, 30_000)

  it('refuses an unknown tag, and (in the backend) a name that is not the user\'s', async () => {
    const { service } = await team()
    await expect(service.preview({ ...tagAll('icesco'), tag: 'NOPE' })).rejects.toThrow(/There is no tag "NOPE"/)
    const root = await makeTempFolder('quire-tag-all-')
    const backend = new QuireBackend({ userDataDir: `${root}/user-data`, sampleTextsDir: root, edition: 'browser', version: 'test', osUserName: 'Leyla', dialogs: null })
    await backend.setAnnotatorName('Leyla')
    await backend.createProject(`${root}/project`, 'Team')
    const [imported] = (await backend.importTexts([{ name: 'a.txt', bytes: new TextEncoder().encode('ICESCO met.') }])).imported
    const request = { ...tagAll('icesco'), annotator: 'Zaur' }
    await expect(backend.applyTagAll(request, [{ documentId: imported?.documentId as string, start: asUtf16(0), end: asUtf16(6) }])).rejects.toThrow(/Zaur is not your name/)
    const mine = await backend.applyTagAll(tagAll('icesco'), [{ documentId: imported?.documentId as string, start: asUtf16(0), end: asUtf16(6) }])
    expect(mine.added).toBe(1)
    await backend.closeProject()
  })
})
