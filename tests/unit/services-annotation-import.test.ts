import { readdir, readFile, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AnnotationImportService, type AnnotationImportOptions } from '../../src/main/services/annotation-import-service'
import { ProjectStore } from '../../src/main/store/project-store'
import { makeCorpusProject, snapshotFolder, spansByDocumentName, type TestProject } from '../fixtures/corpus-project'

const text = 'Emin 😀 Əmrullayev met ISESCO in Bakı.\nThe Youth Program opened.\n'
const encode = (content: string): Uint8Array => new TextEncoder().encode(content)
const file = (name: string, content: string) => ({ name, bytes: encode(content) })

async function projectWithText(): Promise<TestProject> {
  return makeCorpusProject([{ name: 'news', text }])
}

/** Runs an import that must fail: returns its errors after checking nothing in the project changed. */
async function failingImport(project: TestProject, files: { name: string; bytes: Uint8Array }[], options: AnnotationImportOptions = {}) {
  const before = await snapshotFolder(project.dir)
  const report = await new AnnotationImportService(project.projects, () => 'Importer').importAnnotations(files, options)
  expect(report.imported).toBe(false)
  expect(report.spans).toBe(0)
  expect(await snapshotFolder(project.dir)).toEqual(before)
  return report.errors
}

const jsonlLine = (spans: unknown[], overrides: Record<string, unknown> = {}): string =>
  `${JSON.stringify({ id: 'd1', name: 'news', text, offsets: 'codepoint', spans, ...overrides })}\n`

describe('annotation import errors: reported with file and line, nothing written', () => {
  it('brat: an offset past the end of the text', async () => {
    const project = await projectWithText()
    const errors = await failingImport(project, [file('news.txt', text), file('news.ann', 'T1\tPERSON 0 17\tEmin 😀 Əmrullayev\nT2\tORG 60 900\tx\n')])
    expect(errors).toEqual([{ file: 'news.ann', line: 2, message: expect.stringContaining('offset 900 is past the end of the text') }])
  })

  it('brat: quoted text that does not match the source', async () => {
    const project = await projectWithText()
    const errors = await failingImport(project, [file('news.txt', text), file('news.ann', 'T1\tPERSON 0 4\tEmil\n')])
    expect(errors).toEqual([{ file: 'news.ann', line: 1, message: expect.stringMatching(/covered text "Emil" does not match .* "Emin"/) }])
  })

  it('brat: a malformed line', async () => {
    const project = await projectWithText()
    const errors = await failingImport(project, [file('news.txt', text), file('news.ann', 'T1\tPERSON 0 4\tEmin\nT2 PERSON 0 4 Emin\n')])
    expect(errors).toEqual([{ file: 'news.ann', line: 2, message: expect.stringContaining('malformed line: expected an id such as T1') }])
  })

  it('brat: an unknown tag, which a second run with addUnknownTags adds to project.json', async () => {
    const project = await projectWithText()
    const files = [file('news.txt', text), file('news.ann', 'T1\tPERSON 0 4\tEmin\nT2\tLOC 32 36\tBakı\nT3\tLOC 32 36\tBakı\n')]
    const errors = await failingImport(project, files)
    expect(errors).toEqual([{ file: 'news.ann', line: 2, message: expect.stringMatching(/unknown tag "LOC" \(2 spans\)/), unknownTag: 'LOC' }])

    const report = await new AnnotationImportService(project.projects, () => 'Importer').importAnnotations(files, { addUnknownTags: true })
    expect(report).toMatchObject({ imported: true, addedTags: ['LOC'], spans: 2, spansAlreadyPresent: 1 })
    const manifest = JSON.parse(await readFile(join(project.dir, 'project.json'), 'utf8'))
    expect(manifest.tags.at(-1)).toEqual({ id: 'LOC', label: 'LOC', shortLabel: 'LOC', key: '5', color: '#0072B2' })
  })

  it('jsonl: offset past the end, mismatching text and a malformed line are all listed', async () => {
    const project = await projectWithText()
    const content = [
      jsonlLine([{ start: 0, end: 4, label: 'PERSON', text: 'Emin' }]),
      jsonlLine([{ start: 60, end: 500, label: 'PERSON' }], { id: 'd2' }),
      jsonlLine([{ start: 0, end: 4, label: 'PERSON', text: 'Emil' }], { id: 'd3' }),
      '{"id": "d4", "text": \n'
    ].join('')
    const errors = await failingImport(project, [file('corpus.jsonl', content)])
    expect(errors.map((error) => [error.file, error.line])).toEqual([
      ['corpus.jsonl', 2],
      ['corpus.jsonl', 3],
      ['corpus.jsonl', 4]
    ])
    expect(errors[0]?.message).toMatch(/"end" 500/)
    expect(errors[1]?.message).toMatch(/"text" "Emil" does not match/)
    expect(errors[2]?.message).toMatch(/invalid JSON/)
  })

  it('jsonl: an unknown tag', async () => {
    const project = await projectWithText()
    const errors = await failingImport(project, [file('corpus.jsonl', jsonlLine([{ start: 32, end: 36, label: 'GPE', text: 'Bakı' }]))])
    expect(errors).toEqual([{ file: 'corpus.jsonl', line: 1, message: expect.stringContaining('unknown tag "GPE"'), unknownTag: 'GPE' }])
  })

  it('conll: a malformed line, an unknown tag and tokens that do not match', async () => {
    const project = await projectWithText()
    expect(await failingImport(project, [file('a.conll', '-DOCSTART- -X- -X- O\n\nEmin B-PERSON\nmet\n')])).toEqual([
      { file: 'a.conll', line: 4, message: expect.stringContaining('expected a token and a tag') }
    ])
    expect(await failingImport(project, [file('a.conll', 'Emin B-PER\nmet O\n')])).toEqual([
      { file: 'a.conll', line: 1, message: expect.stringContaining('unknown tag "PER"'), unknownTag: 'PER' }
    ])
    expect(await failingImport(project, [file('a.conll', 'Emin O\nmet I-ORG\n')], { scheme: 'IOB2' })).toEqual([
      { file: 'a.conll', line: 2, message: expect.stringContaining('IOB2: I-ORG does not continue') }
    ])
  })

  it('an existing annotation file that cannot be read stops the import before anything is written', async () => {
    const project = await makeCorpusProject([{ name: 'news', text, spans: [{ start: 0, end: 4, tag: 'PERSON' }] }], 'Importer')
    const folder = join(project.dir, 'documents', project.ids.get('news') as string, 'annotations')
    const [layer] = await readdir(folder)
    await writeFile(join(folder, layer as string), '{"format": "quire-annotations", ')
    // A fresh store: the damaged file has not been read yet.
    await project.projects.close()
    await project.projects.open(project.dir)
    const errors = await failingImport(project, [file('news.ann', 'T1\tORG 22 28\tISESCO\n'), file('news.txt', text)])
    expect(errors[0]?.message).toMatch(/cannot be read/)
  })

  it('refuses a project another Quire has open, writing nothing', async () => {
    const project = await projectWithText()
    await project.projects.close()
    // Another live process (our parent) holds the lock, as a running Quire would.
    const lockPath = join(project.dir, '.quire', `lock-${hostname().replace(/[^A-Za-z0-9.-]/g, '_')}.json`)
    await writeFile(lockPath, JSON.stringify({ pid: process.ppid, hostname: hostname(), openedAt: new Date().toISOString() }))
    const store = await ProjectStore.open(project.dir)
    expect(store.readOnly).toBe(true)
    const before = await snapshotFolder(project.dir)
    await expect(
      new AnnotationImportService({ requireProject: () => store }, () => 'Importer').importAnnotations([file('news.txt', text), file('news.ann', 'T1\tORG 22 28\tISESCO\n')])
    ).rejects.toThrow(/Another Quire \(process \d+\)/)
    expect(await snapshotFolder(project.dir)).toEqual(before)
  })
})

describe('annotation import: matching and writing', () => {
  it('adds brat spans to the document with the same text (by SHA-256, whatever the name), as the given annotator with import provenance', async () => {
    const project = await projectWithText()
    const report = await new AnnotationImportService(project.projects, () => 'Default').importAnnotations(
      [file('renamed.txt', text), file('renamed.ann', 'T1\tPERSON 0 17\tEmin 😀 Əmrullayev\n#1\tAnnotatorNotes T1\tminister\n')],
      { annotator: 'Leyla' }
    )
    expect(report).toMatchObject({ imported: true, spans: 1, documents: [{ name: 'news', created: false, spans: 1 }] })
    expect((await spansByDocumentName(project)).news).toEqual([{ start: 0, end: 18, tag: 'PERSON', text: 'Emin 😀 Əmrullayev', annotator: 'Leyla', note: 'minister' }])
    const folder = join(project.dir, 'documents', project.ids.get('news') as string, 'annotations')
    const layer = JSON.parse(await readFile(join(folder, (await readdir(folder))[0] as string), 'utf8'))
    expect(layer.annotations[0].provenance).toEqual({ source: 'import', detail: 'renamed.ann line 1' })
    // Given spans, the layer has begun (the list's review state says "In progress" of it too).
    expect(layer.status).toBe('in-progress')
  })

  it('creates documents for JSONL texts the project does not have, keeping each span annotator', async () => {
    const project = await projectWithText()
    const other = 'Salim bin Muhammad al-Malik, ICESCO.'
    const content = `${JSON.stringify({ id: 'x', name: 'icesco', text: other, spans: [{ start: 0, end: 27, label: 'PERSON', annotator: 'Raheel' }] })}\n`
    const report = await new AnnotationImportService(project.projects, () => 'Default').importAnnotations([file('more.jsonl', content)])
    expect(report).toMatchObject({ imported: true, documents: [{ name: 'icesco', created: true, spans: 1 }] })
    expect((await spansByDocumentName(project)).icesco).toEqual([{ start: 0, end: 27, tag: 'PERSON', text: 'Salim bin Muhammad al-Malik', annotator: 'Raheel' }])
    const store = project.projects.requireProject()
    const listing = (await store.listDocuments()).find((each) => 'record' in each && each.record.name === 'icesco')
    const folder = join(store.documentFolder(listing?.id ?? 'missing'), 'annotations')
    const layer = JSON.parse(await readFile(join(folder, (await readdir(folder))[0] as string), 'utf8'))
    expect(layer.status).toBe('in-progress')
  })

  it('reads brat offsets against a .txt with a byte-order mark as brat (Python) does, counting the mark', async () => {
    const project = await projectWithText()
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...encode(text)])
    const report = await new AnnotationImportService(project.projects, () => 'Importer').importAnnotations([
      { name: 'news.txt', bytes: withBom },
      file('news.ann', 'T1\tORG 23 29\tISESCO\n')
    ])
    expect(report).toMatchObject({ imported: true, documents: [{ name: 'news', created: false }] })
    expect((await spansByDocumentName(project)).news).toEqual([{ start: 23, end: 29, tag: 'ORG', text: 'ISESCO', annotator: 'Importer' }])
  })

  it('is idempotent: importing the same file again adds nothing', async () => {
    const project = await projectWithText()
    const files = [file('news.txt', text), file('news.ann', 'T1\tORG 22 28\tISESCO\n')]
    const service = new AnnotationImportService(project.projects, () => 'Importer')
    await service.importAnnotations(files)
    const second = await service.importAnnotations(files)
    expect(second).toMatchObject({ imported: true, spans: 0, spansAlreadyPresent: 1 })
    expect((await spansByDocumentName(project)).news).toHaveLength(1)
  })

  it('aligns CoNLL to the document holding the same words, else makes a document from the tokens', async () => {
    const project = await projectWithText()
    const conll = [
      '-DOCSTART- -X- -X- O',
      '',
      ...'Emin 😀 Əmrullayev met ISESCO in Bakı .'.split(' ').map((token, index) => `${token} ${index === 4 ? 'B-ORG' : 'O'}`),
      '',
      ...'The Youth Program opened .'.split(' ').map((token, index) => `${token} ${index === 1 ? 'B-PROGRAM' : index === 2 ? 'I-PROGRAM' : 'O'}`),
      '',
      '-DOCSTART- -X- -X- O',
      '',
      'Raheel B-PERSON',
      'Qamar I-PERSON',
      'spoke O',
      '',
      'Then O',
      'left O',
      ''
    ].join('\n')
    const report = await new AnnotationImportService(project.projects, () => 'Importer').importAnnotations([file('eng.conll', conll)])
    expect(report.errors).toEqual([])
    expect(report.documents.map((document) => [document.name, document.created, document.spans])).toEqual([
      ['news', false, 2],
      ['eng 2', true, 1]
    ])
    const spans = await spansByDocumentName(project)
    expect(spans.news?.map((span) => span.text)).toEqual(['ISESCO', 'Youth Program'])
    expect(spans['eng 2']).toEqual([{ start: 0, end: 12, tag: 'PERSON', text: 'Raheel Qamar', annotator: 'Importer' }])
    const created = report.documents[1]?.documentId as string
    expect(await readFile(join(project.dir, 'documents', created, 'text.txt'), 'utf8')).toBe('Raheel Qamar spoke\nThen left')
  })
})
