// Text revisions that do not line up: two computers editing the same text (a fork, settled by
// choosing one), a damaged or missing revision file (read-only at the last good revision), a
// layer anchored to a revision the project does not have, and projects from before revisions.
import { cp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { QuireBackend, type QuireBackendOptions } from '../../src/main/backend'
import { applyChanges, changeSetFromSpecs, newRevisionId, type ChangeSpec } from '../../src/core/text-edit/change-set'
import { annotatorFileName } from '../../src/core/ids'
import { sha256Hex } from '../../src/main/store/project-store'
import { PROJECT_FILE, DOCUMENT_FILE, ANNOTATION_FILE } from '../../src/main/store/file-kinds'
import { parseStoredFile } from '../../src/main/store/json-store'
import { ANNOTATION_LAYER_SCHEMA_VERSION, asUtf16, ORIGINAL_REVISION, type TextRevision } from '../../src/shared/model'
import { makeTempFolder } from '../fixtures/temp-folder'
import { addOver, colleagueLayer, MEETING_TEXT, rangeOf, writeAsColleague } from '../fixtures/team-project'
import { caught } from '../helpers/caught'

const SAMPLE_TEXTS = join(import.meta.dirname, '..', '..', 'resources', 'sample-project')
const VERSION_1_PROJECT = join(import.meta.dirname, '..', 'fixtures', 'projects', 'version-1')
const backends: QuireBackend[] = []

afterEach(async () => {
  for (const backend of backends.splice(0)) await backend.closeProject()
})

async function openProject(root: string, name = 'Leyla', existing?: string) {
  const options: QuireBackendOptions = { userDataDir: join(root, `user-data-${name}`), sampleTextsDir: SAMPLE_TEXTS, edition: 'browser', version: '9.9.9', osUserName: 'tester', dialogs: null }
  const backend = new QuireBackend(options)
  backends.push(backend)
  await backend.setAnnotatorName(name)
  const projectDir = existing ?? join(root, 'project')
  if (existing) {
    await backend.openProject(existing)
    const documentId = (await backend.listDocuments(null))[0]?.id as string
    return { backend, projectDir, documentId }
  }
  await backend.createProject(projectDir, 'Team')
  const documentId = (await backend.importTexts([{ name: 'meeting.txt', bytes: new TextEncoder().encode(MEETING_TEXT) }])).imported[0]?.documentId as string
  return { backend, projectDir, documentId }
}

/** A revision as another computer's Quire writes it, continuing `parent` (whose text is `textBefore`). */
function revisionOn(parent: { id: string; seq: number }, textBefore: string, specs: ChangeSpec[], author: string): { revision: TextRevision; text: string } {
  const changes = changeSetFromSpecs(textBefore, specs)
  const text = applyChanges(textBefore, changes)
  const seq = parent.seq + 1
  const revision: TextRevision = {
    format: 'quire-revision',
    schemaVersion: 1,
    id: newRevisionId(seq),
    parent: parent.id,
    seq,
    author,
    createdAt: new Date(Date.UTC(2026, 0, seq, 12)).toISOString(),
    shaBefore: sha256Hex(textBefore),
    shaAfter: sha256Hex(text),
    lengthBefore: textBefore.length,
    lengthAfter: text.length,
    changes,
    origin: { kind: 'edit' },
    summary: `an edit by ${author}`
  }
  return { revision, text }
}

function revisionsFolder(projectDir: string, documentId: string): string {
  return join(projectDir, 'documents', documentId, 'revisions')
}

async function plant(projectDir: string, documentId: string, revision: TextRevision): Promise<string> {
  const path = join(revisionsFolder(projectDir, documentId), `${revision.id}.json`)
  await mkdir(revisionsFolder(projectDir, documentId), { recursive: true })
  await writeAsColleague(path, revision)
  return path
}

/** What another computer's Quire has in its own machine-local folder is not here. */
async function reopen(backend: QuireBackend, projectDir: string): Promise<void> {
  await backend.closeProject()
  await rm(join(projectDir, '.quire', 'heads'), { recursive: true, force: true })
  await backend.openProject(projectDir)
}

const insertAt = (words: string, insert: string, text: string): ChangeSpec => ({ from: rangeOf(words, text).start, to: rangeOf(words, text).start, insert })

describe('two revisions with one parent (a fork)', () => {
  it('is shown read-only at the parent, then settled by keeping one: the other is set aside in a new file, both stay listed, nothing is rewritten', async () => {
    const root = await makeTempFolder('quire-revisions-fork-')
    const { backend, projectDir, documentId } = await openProject(root)
    const asLeyla = { documentId, annotator: 'Leyla' }
    await backend.applyAnnotationEdits(asLeyla, [addOver('l1', 'ICESCO', 'ORG')])
    const first = (await backend.saveTextEdit({ documentId, author: 'Leyla', baseRevision: ORIGINAL_REVISION, changes: changeSetFromSpecs(MEETING_TEXT, [insertAt('Leyla', 'Dr ', MEETING_TEXT)]) })).revision!
    const textAfterFirst = `Dr ${MEETING_TEXT}`

    // Leyla's computer and Rashad's both continued the first revision, then synced.
    const mine = revisionOn(first, textAfterFirst, [insertAt('Baku', 'central ', textAfterFirst)], 'Leyla')
    const theirs = revisionOn(first, textAfterFirst, [insertAt('Monday', 'last ', textAfterFirst)], 'Rashad')
    const minePath = await plant(projectDir, documentId, mine.revision)
    const theirsPath = await plant(projectDir, documentId, theirs.revision)
    const planted = [await readFile(minePath), await readFile(theirsPath)]
    // Zaur annotated on the computer that made `mine`: his layer is anchored to it.
    const record = (await backend.getDocument(asLeyla)).document
    const zaurPath = join(projectDir, 'documents', documentId, 'annotations', annotatorFileName('Zaur', sha256Hex))
    const zaurSpans = [
      { id: 'z1', words: 'central Baku', tag: 'ORG' },
      { id: 'z2', words: 'ICESCO', tag: 'ORG' }
    ]
    await writeAsColleague(zaurPath, colleagueLayer(record, 'Zaur', zaurSpans, { textRevision: mine.revision.id, textSha256: mine.revision.shaAfter }, mine.text))
    const zaurBytes = await readFile(zaurPath)
    await reopen(backend, projectDir)
    const zaurCovers = async (text: string): Promise<string[]> =>
      (await backend.getLayer({ documentId, annotator: 'Zaur' })).annotations.map((annotation) => `${annotation.id} ${text.slice(annotation.start, annotation.end)}`)
    // Shown at the fork's parent: mapped back through the revision it was made on.
    expect(await zaurCovers(textAfterFirst)).toEqual(['z2 ICESCO', 'z1 Baku'])

    const forked = await backend.getDocument(asLeyla)
    expect(forked.text).toBe(textAfterFirst)
    expect(forked.revision.id).toBe(first.id)
    expect(forked.textProblem).toMatchObject({ kind: 'fork', parent: first.id })
    expect(forked.textProblem?.kind === 'fork' && forked.textProblem.candidates.map((candidate) => [candidate.id, candidate.author]).sort()).toEqual(
      [[mine.revision.id, 'Leyla'], [theirs.revision.id, 'Rashad']].sort()
    )
    expect(forked.annotations.map((annotation) => textAfterFirst.slice(annotation.start, annotation.end))).toEqual(['ICESCO'])
    // Nothing is saved on a text that is about to change under it.
    expect((await caught(backend.saveTextEdit({ documentId, author: 'Leyla', baseRevision: first.id, changes: [textAfterFirst.length] }))).code).toBe('read-only')
    expect((await caught(backend.applyAnnotationEdits(asLeyla, [addOver('l2', 'Baku', 'ORG', textAfterFirst)]))).code).toBe('read-only')
    expect((await caught(backend.setDocumentStatus(asLeyla, 'done'))).code).toBe('read-only')
    expect((await caught(backend.settleTextFork(documentId, 'Leyla', first.id))).code).toBe('invalid-argument')

    const settled = await backend.settleTextFork(documentId, 'Leyla', theirs.revision.id)
    expect(settled.content.textProblem).toBeNull()
    expect(settled.content.text).toBe(theirs.text)
    expect(settled.content.annotations.map((annotation) => theirs.text.slice(annotation.start, annotation.end))).toEqual(['ICESCO'])
    const setAsideNote = JSON.parse(await readFile(join(revisionsFolder(projectDir, documentId), `${mine.revision.id}.set-aside.json`), 'utf8'))
    expect(setAsideNote).toMatchObject({ format: 'quire-revision-set-aside', revision: mine.revision.id, kept: theirs.revision.id, author: 'Leyla' })
    expect([await readFile(minePath), await readFile(theirsPath)]).toEqual(planted)
    // Zaur's layer, anchored to the set-aside revision, reads on the kept one; his file is as it came.
    expect(await zaurCovers(theirs.text)).toEqual(['z2 ICESCO', 'z1 Baku'])
    expect(await readFile(zaurPath)).toEqual(zaurBytes)
    const history = await backend.getTextHistory(documentId)
    expect(history.problem).toBeNull()
    expect(history.head.id).toBe(theirs.revision.id)
    // Oldest first; the two of the same age by id.
    const secondRevisions = [
      [mine.revision.id, true],
      [theirs.revision.id, false]
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0])))
    expect(history.revisions.map((revision) => [revision.id, revision.setAside])).toEqual([[first.id, false], ...secondRevisions])
    // Editing goes on from the kept revision.
    await backend.applyAnnotationEdits(asLeyla, [addOver('l2', 'Baku', 'ORG', theirs.text)])
    const next = await backend.saveTextEdit({ documentId, author: 'Leyla', baseRevision: theirs.revision.id, changes: changeSetFromSpecs(theirs.text, [{ from: theirs.text.length, to: theirs.text.length, insert: '!' }]) })
    expect(next.revision).toMatchObject({ parent: theirs.revision.id, seq: 3 })
  })
})

describe('a damaged or missing revision file', () => {
  async function projectWithTwoRevisions() {
    const root = await makeTempFolder('quire-revisions-damaged-')
    const opened = await openProject(root)
    const { backend, documentId } = opened
    const first = (await backend.saveTextEdit({ documentId, author: 'Leyla', baseRevision: ORIGINAL_REVISION, changes: changeSetFromSpecs(MEETING_TEXT, [insertAt('Leyla', 'Dr ', MEETING_TEXT)]) })).revision!
    const textAfterFirst = `Dr ${MEETING_TEXT}`
    const second = (await backend.saveTextEdit({ documentId, author: 'Leyla', baseRevision: first.id, changes: changeSetFromSpecs(textAfterFirst, [insertAt('Baku', 'central ', textAfterFirst)]) })).revision!
    const secondPath = join(revisionsFolder(opened.projectDir, documentId), `${second.id}.json`)
    return { ...opened, first, second, secondPath, textAfterFirst }
  }

  it('opens read-only at the last revision that checks out when a revision file is cut short, naming the file', async () => {
    const { backend, projectDir, documentId, first, secondPath, textAfterFirst } = await projectWithTwoRevisions()
    const damaged = (await readFile(secondPath, 'utf8')).slice(0, 80)
    await writeFile(secondPath, damaged)
    await reopen(backend, projectDir)
    const content = await backend.getDocument({ documentId, annotator: 'Leyla' })
    expect(content.text).toBe(textAfterFirst)
    expect(content.revision.id).toBe(first.id)
    expect(content.textProblem).toMatchObject({ kind: 'damaged', path: secondPath })
    expect(content.textProblem?.message).toContain(secondPath)
    const refused = await caught(backend.saveTextEdit({ documentId, author: 'Leyla', baseRevision: first.id, changes: [textAfterFirst.length] }))
    expect(refused).toMatchObject({ code: 'read-only', path: secondPath })
    // An export takes the text as of the last good revision, and says why.
    const { jobId } = await backend.startExport({ format: 'jsonl', outPath: join(projectDir, '..', 'out.jsonl'), documentIds: 'all', annotators: 'all' })
    let status = await backend.getExportProgress(jobId)
    while (status.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 10))
      status = await backend.getExportProgress(jobId)
    }
    expect(status.result?.warnings.map((warning) => warning.message)).toEqual([expect.stringContaining(secondPath)])
    expect(JSON.parse(await readFile(join(projectDir, '..', 'out.jsonl'), 'utf8'))).toMatchObject({ revision: first.id, text: textAfterFirst })
    expect(await readFile(secondPath, 'utf8')).toBe(damaged)
  })

  it('still opens when your own layer is anchored to the damaged revision: read-only, your layer named and left as it is', async () => {
    const root = await makeTempFolder('quire-revisions-damaged-own-')
    const { backend, projectDir, documentId } = await openProject(root)
    const baku = MEETING_TEXT.indexOf('Baku')
    await backend.applyAnnotationEdits({ documentId, annotator: 'Leyla' }, [{ op: 'add', annotation: { id: 'baku', start: asUtf16(baku), end: asUtf16(baku + 4), tag: 'EVENT' } }])
    const first = (await backend.saveTextEdit({ documentId, author: 'Leyla', baseRevision: ORIGINAL_REVISION, changes: changeSetFromSpecs(MEETING_TEXT, [insertAt('Leyla', 'Dr ', MEETING_TEXT)]) })).revision!
    await reopen(backend, projectDir)
    const layerPath = join(projectDir, 'documents', documentId, 'annotations', annotatorFileName('Leyla', sha256Hex))
    expect(JSON.parse(await readFile(layerPath, 'utf8'))).toMatchObject({ textRevision: first.id })
    const layerBytes = await readFile(layerPath, 'utf8')
    const firstPath = join(revisionsFolder(projectDir, documentId), `${first.id}.json`)
    await writeFile(firstPath, (await readFile(firstPath, 'utf8')).slice(0, 60))
    await reopen(backend, projectDir)

    const content = await backend.getDocument({ documentId, annotator: 'Leyla' })
    expect(content.text).toBe(MEETING_TEXT)
    expect(content.revision.id).toBe(ORIGINAL_REVISION)
    expect(content.annotations).toEqual([])
    expect(content.textProblem).toMatchObject({ kind: 'damaged', path: firstPath })
    expect(content.textProblem?.message).toContain(firstPath)
    expect(content.textProblem?.message).toContain("Leyla's spans are not shown")
    expect(content.layers.find((layer) => layer.path === layerPath)?.problem?.message).toContain(first.id)
    expect(content.layers.find((layer) => layer.path === layerPath)?.problem?.message).toContain(`the history stops at ${firstPath}`)
    const refused = await caught(backend.applyAnnotationEdits({ documentId, annotator: 'Leyla' }, [{ op: 'delete', id: 'baku' }]))
    expect(refused.code).not.toBe(undefined)
    expect(await readFile(layerPath, 'utf8')).toBe(layerBytes)
  })

  it('opens read-only at the last good revision when a synced revision does not give the text it records', async () => {
    const { backend, projectDir, documentId, second, secondPath, textAfterFirst } = await projectWithTwoRevisions()
    const textAfterSecond = textAfterFirst.replace('Baku', 'central Baku')
    const altered = revisionOn(second, textAfterSecond, [{ from: 0, to: 2, insert: 'Mr' }], 'Rashad').revision
    const alteredPath = await plant(projectDir, documentId, { ...altered, changes: changeSetFromSpecs(textAfterSecond, [{ from: 0, to: 2, insert: 'Ms' }]) })
    await reopen(backend, projectDir)
    const content = await backend.getDocument({ documentId, annotator: 'Leyla' })
    expect(content.revision.id).toBe(second.id)
    expect(content.text).toBe(textAfterSecond)
    expect(content.textProblem).toMatchObject({ kind: 'damaged', path: alteredPath })
    expect(content.textProblem?.message).toContain('SHA-256')
    expect(secondPath).not.toBe(alteredPath)
  })

  it('names a revision whose parent file is missing', async () => {
    const { backend, projectDir, documentId, second, secondPath, first, textAfterFirst } = await projectWithTwoRevisions()
    const textAfterSecond = textAfterFirst.replace('Baku', 'central Baku')
    const third = revisionOn(second, textAfterSecond, [{ from: 0, to: 0, insert: '>' }], 'Rashad').revision
    const thirdPath = await plant(projectDir, documentId, third)
    await rm(secondPath)
    await reopen(backend, projectDir)
    const history = await backend.getTextHistory(documentId)
    expect(history.head.id).toBe(first.id)
    expect(history.problem).toMatchObject({ kind: 'damaged', path: thirdPath })
    expect(history.problem?.message).toContain(`${second.id}, whose file is missing`)
  })
})

describe('a layer anchored to a revision the project does not have', () => {
  it('is named with its revision, not mapped, and never overwritten, while the rest of the document works', async () => {
    const root = await makeTempFolder('quire-revisions-unknown-')
    const { backend, projectDir, documentId } = await openProject(root)
    const record = (await backend.getDocument({ documentId, annotator: 'Leyla' })).document
    const zaurPath = join(projectDir, 'documents', documentId, 'annotations', annotatorFileName('Zaur', sha256Hex))
    await writeAsColleague(zaurPath, colleagueLayer(record, 'Zaur', [{ id: 'z1', words: 'Baku', tag: 'ORG' }], { textRevision: 'r4-0123456789ab' }))
    const zaurBytes = await readFile(zaurPath)

    const listed = (await backend.listLayers(documentId)).find((layer) => layer.path === zaurPath)
    expect(listed?.problem?.message).toContain('r4-0123456789ab')
    expect(listed?.problem?.message).toContain(zaurPath)
    const refused = await caught(backend.getLayer({ documentId, annotator: 'Zaur' }))
    expect(refused).toMatchObject({ code: 'corrupt-store', path: zaurPath })

    // The text is edited and the user's own layer saved; Zaur's file stays as it came.
    await backend.applyAnnotationEdits({ documentId, annotator: 'Leyla' }, [addOver('l1', 'ICESCO', 'ORG')])
    await backend.saveTextEdit({ documentId, author: 'Leyla', baseRevision: ORIGINAL_REVISION, changes: changeSetFromSpecs(MEETING_TEXT, [insertAt('Leyla', 'Dr ', MEETING_TEXT)]) })
    const { jobId } = await backend.startExport({ format: 'jsonl', outPath: join(root, 'out.jsonl'), documentIds: 'all', annotators: 'all' })
    let status = await backend.getExportProgress(jobId)
    while (status.state === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 10))
      status = await backend.getExportProgress(jobId)
    }
    expect(status.result?.warnings.map((warning) => warning.message)).toEqual([expect.stringContaining('r4-0123456789ab')])
    expect(await readFile(zaurPath)).toEqual(zaurBytes)
  })
})

describe('a project from before text revisions', () => {
  it('reads version-1 project and document files and a version-2 annotation file as their migrated values, and edits their text', async () => {
    const root = await makeTempFolder('quire-revisions-v1-')
    const projectDir = join(root, 'project')
    await cp(VERSION_1_PROJECT, projectDir, { recursive: true })
    const documentFolder = join(projectDir, 'documents', 'meeting-v1')
    const layerPath = join(documentFolder, 'annotations', annotatorFileName('Leyla', sha256Hex))

    expect(parseStoredFile(await readFile(join(projectDir, 'project.json')), 'project.json', PROJECT_FILE)).toEqual({
      format: 'quire-project',
      schemaVersion: 2,
      name: 'Field reports (version 1)',
      createdAt: '2023-11-01T09:00:00.000Z',
      tags: [
        { id: 'PERSON', label: 'Person', shortLabel: 'PER', key: '1', color: '#E69F00' },
        { id: 'ORG', label: 'Organization', shortLabel: 'ORG', key: '2', color: '#56B4E9' }
      ]
    })
    expect(parseStoredFile(await readFile(join(documentFolder, 'document.json')), 'document.json', DOCUMENT_FILE)).toMatchObject({
      schemaVersion: 2,
      id: 'meeting-v1',
      sha256: sha256Hex(MEETING_TEXT),
      length: MEETING_TEXT.length,
      sizeBytes: MEETING_TEXT.length
    })
    const layer = parseStoredFile(await readFile(layerPath), layerPath, ANNOTATION_FILE)
    expect(layer).toMatchObject({ schemaVersion: ANNOTATION_LAYER_SCHEMA_VERSION, textRevision: ORIGINAL_REVISION, lostInEditing: [], textSha256: sha256Hex(MEETING_TEXT) })
    expect(layer.annotations.map((annotation) => annotation.id)).toEqual(['v2-leyla', 'v2-icesco'])

    const { backend, documentId } = await openProject(root, 'Leyla', projectDir)
    expect(documentId).toBe('meeting-v1')
    const edited = await backend.saveTextEdit({ documentId, author: 'Leyla', baseRevision: ORIGINAL_REVISION, changes: changeSetFromSpecs(MEETING_TEXT, [insertAt('Leyla', 'Dr ', MEETING_TEXT)]) })
    expect(edited.content!.annotations.map((annotation) => [annotation.id, edited.content!.text.slice(annotation.start, annotation.end)])).toEqual([
      ['v2-leyla', 'Leyla Taghizade'],
      ['v2-icesco', 'ICESCO']
    ])
    await backend.closeProject()
    expect(JSON.parse(await readFile(layerPath, 'utf8'))).toMatchObject({ schemaVersion: ANNOTATION_LAYER_SCHEMA_VERSION, textRevision: edited.revision?.id })
    expect(await readdir(join(documentFolder, 'revisions'))).toEqual([`${edited.revision?.id}.json`])
  })
})
