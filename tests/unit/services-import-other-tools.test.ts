// Importing other tools' exports into a project (doccano, Label Studio, INCEpTION / WebAnno
// TSV 3, Prodigy) and the round trips Quire → doccano → Quire and Quire → Label Studio → Quire,
// through the same services the app, the browser edition and the CLI use.
import { readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AnnotationImportService, type AnnotationImportOptions } from '../../src/main/services/annotation-import-service'
import { AnnotationService } from '../../src/main/services/annotation-service'
import { CorpusExportService } from '../../src/main/services/corpus-export-service'
import { asUtf16 } from '../../src/shared/model'
import { makeCorpusProject, makeEmptyProject, snapshotFolder, spansByDocumentName, type TestProject } from '../fixtures/corpus-project'

const fixtureBytes = (name: string): { name: string; bytes: Uint8Array } => ({
  name,
  bytes: new Uint8Array(readFileSync(join(__dirname, '../fixtures/formats/other-tools', name)))
})
const file = (name: string, content: string) => ({ name, bytes: new TextEncoder().encode(content) })

async function importInto(project: TestProject, files: { name: string; bytes: Uint8Array }[], options: AnnotationImportOptions = {}) {
  return new AnnotationImportService(project.projects, () => 'Importer').importAnnotations(files, options)
}

/** An import that must fail: its report, after checking nothing in the project changed. */
async function failingImport(project: TestProject, files: { name: string; bytes: Uint8Array }[], options: AnnotationImportOptions = {}) {
  const before = await snapshotFolder(project.dir)
  const report = await importInto(project, files, options)
  expect(report.imported).toBe(false)
  expect(await snapshotFolder(project.dir)).toEqual(before)
  return report
}

async function projectTags(project: TestProject) {
  return JSON.parse(await readFile(join(project.dir, 'project.json'), 'utf8')).tags as { id: string; label: string }[]
}

describe('doccano JSONL into a project', () => {
  it('matches labels to tags ignoring case, refuses an unknown one, then adds it on request', async () => {
    const project = await makeCorpusProject([])
    const report = await failingImport(project, [fixtureBytes('doccano.jsonl')])
    expect(report.format).toBe('doccano')
    expect(report.errors).toEqual([
      { file: 'doccano.jsonl', line: 1, message: expect.stringContaining('unknown tag "MISC" (2 spans)'), unknownTag: 'MISC' },
      { file: 'doccano.jsonl', line: 2, message: expect.stringContaining('unknown tag "LOC" (1 span)'), unknownTag: 'LOC' }
    ])

    const added = await importInto(project, [fixtureBytes('doccano.jsonl')], { addUnknownTags: true })
    expect(added).toMatchObject({ imported: true, addedTags: ['MISC', 'LOC'], spans: 6 })
    expect((await projectTags(project)).slice(-2)).toEqual([expect.objectContaining({ id: 'MISC', label: 'MISC' }), expect.objectContaining({ id: 'LOC', label: 'LOC' })])
    expect((await spansByDocumentName(project))['doccano 2']).toEqual([
      { start: 0, end: 18, tag: 'PERSON', text: 'Emin 😀 Əmrullayev', annotator: 'Importer' },
      { start: 23, end: 50, tag: 'ORG', text: 'ISESCO 𝐃𝐞𝐥𝐞𝐠𝐚𝐭𝐢𝐨𝐧', annotator: 'Importer' },
      { start: 54, end: 58, tag: 'LOC', text: 'Bakı', annotator: 'Importer' }
    ])
  })

  it('names the document whose text is empty, and writes nothing when one line of many is wrong', async () => {
    const project = await makeCorpusProject([{ name: 'news', text: 'Leyla met Rashad.' }])
    const content = ['{"id": 1, "text": "Leyla met Rashad.", "label": [[0, 5, "PERSON"]]}', '{"id": 2, "text": "", "label": []}', '{"id": 3, "text": "ab", "label": [[0, 3, "PERSON"]]}'].join('\n')
    const report = await failingImport(project, [file('batch.jsonl', content)], { format: 'doccano' })
    expect(report.errors).toEqual([
      { file: 'batch.jsonl', line: 2, message: 'document "batch 2" has an empty text' },
      { file: 'batch.jsonl', line: 3, message: expect.stringContaining('label 1: "end" 3: Code-point offset 3 is past the end of the text (length 2)') }
    ])
  })
})

describe('Label Studio JSON into a project', () => {
  it('makes one layer per annotation, named after completed_by, on the document with the same text', async () => {
    const text = 'Emin 😀 Əmrullayev met ISESCO 𝐃𝐞𝐥𝐞𝐠𝐚𝐭𝐢𝐨𝐧 in Bakı.'
    const project = await makeCorpusProject([{ name: 'news', text }])
    const report = await importInto(project, [fixtureBytes('label-studio.json')], { addUnknownTags: true })
    expect(report.errors).toEqual([])
    expect(report).toMatchObject({ imported: true, format: 'label-studio', addedTags: ['LOCATION'], documents: [{ name: 'news', created: false }, { name: 'label-studio 102', created: true }] })
    expect((await projectTags(project)).at(-1)).toMatchObject({ id: 'LOCATION', label: 'Location' })
    expect((await spansByDocumentName(project)).news).toEqual([
      { start: 0, end: 18, tag: 'PERSON', text: 'Emin 😀 Əmrullayev', annotator: 'Label Studio user 2' },
      { start: 0, end: 18, tag: 'PERSON', text: 'Emin 😀 Əmrullayev', annotator: 'leyla@example.org' },
      { start: 23, end: 50, tag: 'ORG', text: 'ISESCO 𝐃𝐞𝐥𝐞𝐠𝐚𝐭𝐢𝐨𝐧', annotator: 'leyla@example.org' }
    ])
    expect(report.warnings.map((warning) => warning.message)).toContain('1 cancelled (skipped) annotation is not imported')
  })

  it('refuses a file with one bad region among good ones, naming its line, and writes nothing', async () => {
    const project = await makeCorpusProject([])
    const content = new TextDecoder().decode(fixtureBytes('label-studio.json').bytes).replace('"text": "Rabat"', '"text": "Rabbat"')
    const report = await failingImport(project, [file('tasks.json', content)], { addUnknownTags: true })
    // The region's "{" is four lines above its "text" (findIndex counts from 0, lines from 1).
    const line = content.split('\n').findIndex((text) => text.includes('"Rabbat"')) + 1 - 4
    expect(report.errors).toEqual([{ file: 'tasks.json', line, message: expect.stringMatching(/^task 102, annotation 1, result 2: "text" "Rabbat" does not match/) }])
  })
})

describe('INCEpTION / WebAnno TSV 3 into a project', () => {
  const rebuilt = readFileSync(join(__dirname, '../fixtures/formats/other-tools/inception.expected.txt'), 'utf8')

  it('goes to the project document holding every sentence at its offset, even where the text between sentences differs', async () => {
    // The document it was exported from: sentences where the file says, other characters between them.
    const original = rebuilt.replace('.\n  𝐀', '.\n\n\n𝐀')
    expect(original).not.toBe(rebuilt)
    const project = await makeCorpusProject([{ name: 'book', text: original }])
    const report = await importInto(project, [fixtureBytes('inception.tsv')], { addUnknownTags: true })
    expect(report.errors).toEqual([])
    expect(report).toMatchObject({ imported: true, format: 'webanno-tsv', documents: [{ name: 'book', created: false, spans: 6 }] })
    expect(report.addedTags).toEqual(['PER', 'TITLE', 'ORG_UNIT', 'LOC', 'MISC'])
    const spans = (await spansByDocumentName(project)).book ?? []
    expect(spans.map((span) => [span.text, span.tag])).toEqual([
      ['Ms.', 'TITLE'],
      ['Ms. Haag', 'PER'],
      ['Bell', 'ORG_UNIT'],
      ['Los Angeles', 'LOC'],
      ['good', 'MISC'],
      ['𝐀𝐥𝐢', 'PER']
    ])
    for (const span of spans) expect(original.slice(span.start as number, span.end as number)).toBe(span.text)
  })

  it('else creates the document INCEpTION would rebuild', async () => {
    const project = await makeCorpusProject([])
    const report = await importInto(project, [fixtureBytes('inception.tsv')], { addUnknownTags: true })
    expect(report).toMatchObject({ imported: true, documents: [{ name: 'inception', created: true, spans: 6 }] })
    const documentId = report.documents[0]?.documentId as string
    expect(await readFile(join(project.dir, 'documents', documentId, 'text.txt'), 'utf8')).toBe(rebuilt)
  })
})

describe('Prodigy JSONL into a project', () => {
  it('imports accepted answers as the session annotator, rejected and ignored ones not at all', async () => {
    const project = await makeCorpusProject([])
    const report = await importInto(project, [fixtureBytes('prodigy.jsonl')])
    expect(report.errors).toEqual([])
    expect(report).toMatchObject({ imported: true, format: 'prodigy', spans: 3 })
    const spans = await spansByDocumentName(project)
    expect(spans['prodigy 1']).toEqual([
      { start: 0, end: 5, tag: 'PERSON', text: 'Leyla', annotator: 'news-rashad' },
      { start: 17, end: 23, tag: 'ORG', text: 'ICESCO', annotator: 'news-rashad' }
    ])
    expect(spans['prodigy 4']).toEqual([{ start: 0, end: 2, tag: 'ORG', text: 'EU', annotator: 'Importer' }])
    expect(report.warnings).toEqual([{ file: 'prodigy.jsonl', line: 2, message: '1 rejected and 1 ignored tasks are not imported: only accepted answers are annotations' }])
  })
})

describe('round trips through the other tools\' formats', () => {
  const text = 'Emin 😀 Əmrullayev met ISESCO 🇦🇿 in Bakı.\r\nالمنظمة 𝐀𝐥𝐢 opened the Youth Program.'
  const find = (needle: string): { start: number; end: number } => ({ start: text.indexOf(needle), end: text.indexOf(needle) + needle.length })

  async function annotatedProject(): Promise<TestProject> {
    const project = await makeCorpusProject([
      { name: 'news', text, spans: [{ ...find('Emin 😀 Əmrullayev'), tag: 'PERSON' }, { ...find('ISESCO 🇦🇿'), tag: 'ORG' }, { ...find('𝐀𝐥𝐢'), tag: 'PERSON' }] },
      { name: 'empty', text: 'Nothing here.' }
    ])
    // A second annotator, overlapping the first one's spans.
    await new AnnotationService(project.projects).applyEdits({ documentId: project.ids.get('news') as string, annotator: 'Rashad' }, [
      { op: 'add', annotation: { id: 'r1', start: asUtf16(find('Emin 😀').start), end: asUtf16(find('Emin 😀').end), tag: 'PERSON' } },
      { op: 'add', annotation: { id: 'r2', start: asUtf16(find('Youth Program').start), end: asUtf16(find('Youth Program').end), tag: 'PROGRAM' } }
    ])
    return project
  }

  for (const [format, extension] of [
    ['doccano', 'jsonl'],
    ['label-studio', 'json']
  ] as const) {
    it(`Quire → ${format} → Quire gives back every span, on the same characters, in each annotator's layer`, async () => {
      const source = await annotatedProject()
      const outPath = join(source.root, `export.${extension}`)
      const result = await new CorpusExportService(source.projects).export({ format, outPath, documentIds: 'all', annotators: 'all' })
      expect(result).toMatchObject({ documents: 2, spans: 5, dropped: 0, warnings: [] })
      const target = await makeEmptyProject(source.root)
      const report = await importInto(target, [{ name: `export.${extension}`, bytes: new Uint8Array(await readFile(outPath)) }])
      expect(report.errors).toEqual([])
      expect(report.format).toBe(format)
      expect(await spansByDocumentName(target)).toEqual(await spansByDocumentName(source))
    })
  }
})
