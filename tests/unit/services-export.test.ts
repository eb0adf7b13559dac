import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CorpusExportService, type CorpusExportProgress } from '../../src/main/services/corpus-export-service'
import { sha256Hex } from '../../src/main/store/project-store'
import { makeCorpusProject } from '../fixtures/corpus-project'
import { listFilesRecursively } from '../fixtures/temp-folder'

const crlfText = 'Emin 😀 Əmrullayev met ISESCO.\r\nالمنظمة visited 🇦🇿 Bakı.'
const plainText = 'The Youth Program opened in Bakı.'

async function sampleProject() {
  const person = crlfText.indexOf('Emin')
  const isesco = crlfText.indexOf('ISESCO')
  const project = await makeCorpusProject([
    {
      name: 'crlf',
      text: crlfText,
      spans: [
        { start: person, end: person + 'Emin 😀 Əmrullayev'.length, tag: 'PERSON', note: 'the minister' },
        { start: isesco, end: isesco + 6, tag: 'ORG' },
        { start: isesco, end: crlfText.indexOf('Bakı') + 4, tag: 'EVENT' }
      ]
    },
    { name: 'plain', text: plainText, spans: [{ start: 4, end: 17, tag: 'PROGRAM' }] }
  ])
  return { project, exporter: new CorpusExportService(project.projects) }
}

describe('CorpusExportService', () => {
  it('writes JSONL with code-point offsets, SHA-256 and every span, and reports progress to the end', async () => {
    const { project, exporter } = await sampleProject()
    const outPath = join(project.root, 'out', 'corpus.jsonl')
    const progress: CorpusExportProgress[] = []
    const result = await exporter.export({ format: 'jsonl', outPath, documentIds: 'all', annotators: 'all' }, { onProgress: (p) => progress.push(p) })
    expect(result).toMatchObject({ outPath, files: [outPath], documents: 2, spans: 4, dropped: 0, cancelled: false })
    const lines = (await readFile(outPath, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line))
    expect(lines.map((line) => line.name)).toEqual(['crlf', 'plain'])
    const crlf = lines[0]
    expect(crlf.sha256).toBe(sha256Hex(Buffer.from(crlfText, 'utf8')))
    expect(crlf.offsets).toBe('codepoint')
    const codePoints = Array.from(crlfText)
    for (const span of crlf.spans) expect(codePoints.slice(span.start, span.end).join('')).toBe(span.text)
    expect(crlf.spans[0]).toMatchObject({ label: 'PERSON', start: 0, end: 17, annotator: 'Ayla', note: 'the minister' })
    expect(progress.at(-1)).toEqual({ documentsDone: 2, documentsTotal: 2, spansWritten: 4 })
    expect(await readdir(join(project.root, 'out'))).toEqual(['corpus.jsonl'])
  })

  it('gives JSONL UTF-8 byte offsets on request', async () => {
    const { project, exporter } = await sampleProject()
    const outPath = join(project.root, 'bytes.jsonl')
    await exporter.export({ format: 'jsonl', outPath, documentIds: [project.ids.get('crlf') as string], annotators: 'all', offsets: 'utf8' })
    const line = JSON.parse(await readFile(outPath, 'utf8'))
    const bytes = Buffer.from(crlfText, 'utf8')
    expect(line.offsets).toBe('utf8')
    for (const span of line.spans) expect(bytes.subarray(span.start, span.end).toString('utf8')).toBe(span.text)
  })

  it('writes brat pairs, annotation.conf and a manifest into a new folder', async () => {
    const { project, exporter } = await sampleProject()
    const outPath = join(project.root, 'brat')
    const result = await exporter.export({ format: 'brat', outPath, documentIds: 'all', annotators: 'all' })
    expect(await readdir(outPath)).toEqual(['annotation.conf', 'crlf.ann', 'crlf.txt', 'manifest.json', 'plain.ann', 'plain.txt'])
    expect(result.files).toHaveLength(6)
    expect(await readFile(join(outPath, 'crlf.txt'), 'utf8')).toBe(crlfText)
    const ann = await readFile(join(outPath, 'crlf.ann'), 'utf8')
    expect(ann).toContain('T1\tPERSON 0 17\tEmin 😀 Əmrullayev\n#1\tAnnotatorNotes T1\tthe minister\n')
    expect(result.adjusted).toBe(1)
    expect(result.warnings[0]).toMatchObject({ documentName: 'crlf', message: expect.stringContaining('crosses a line break') })
    const manifest = JSON.parse(await readFile(join(outPath, 'manifest.json'), 'utf8'))
    expect(manifest).toMatchObject({ format: 'quire-export', corpusFormat: 'brat', offsets: 'codepoint' })
    expect(manifest.documents[0]).toMatchObject({ name: 'crlf', sha256: sha256Hex(Buffer.from(crlfText)), files: ['crlf.txt', 'crlf.ann'] })
  })

  it('writes CoNLL (BIOES on request) with a manifest naming each text by SHA-256, and says what it dropped', async () => {
    const { project, exporter } = await sampleProject()
    const outPath = join(project.root, 'corpus.conll')
    const result = await exporter.export({ format: 'conll', outPath, documentIds: 'all', annotators: 'all', scheme: 'BIOES' })
    expect(result.files).toEqual([outPath, `${outPath}.manifest.json`])
    expect(result.dropped).toBe(1)
    expect(result.warnings.map((warning) => warning.message).join('\n')).toContain('1 overlapping span left out')
    const conll = await readFile(outPath, 'utf8')
    expect(conll).toContain('Youth -X- _ B-PROGRAM\nProgram -X- _ E-PROGRAM')
    const manifest = JSON.parse(await readFile(`${outPath}.manifest.json`, 'utf8'))
    expect(manifest.documents.map((document: { sha256: string }) => document.sha256)).toEqual([sha256Hex(Buffer.from(crlfText)), sha256Hex(Buffer.from(plainText))])
  })

  it('writes one TEI file per document and a CSV with one row per span', async () => {
    const { project, exporter } = await sampleProject()
    await exporter.export({ format: 'tei', outPath: join(project.root, 'tei'), documentIds: 'all', annotators: 'all' })
    expect(await readdir(join(project.root, 'tei'))).toEqual(['crlf.xml', 'manifest.json', 'plain.xml'])
    expect(await readFile(join(project.root, 'tei', 'plain.xml'), 'utf8')).toContain('The <rs type="program" resp="#d1-a1">Youth Program</rs> opened')
    await exporter.export({ format: 'csv', outPath: join(project.root, 'spans.csv'), documentIds: 'all', annotators: 'all' })
    const csv = await readFile(join(project.root, 'spans.csv'), 'utf8')
    expect(csv.match(/,codepoint,,\r\n/g)).toHaveLength(4)
    // The span crossing CRLF stays one quoted cell.
    expect(csv).toContain('"ISESCO.\r\nالمنظمة visited 🇦🇿 Bakı"')
  })

  it('exports CSV rows when documents without spans make the exporter pull several documents in one step', async () => {
    const project = await makeCorpusProject([
      { name: 'a', text: 'No names here.' },
      { name: 'b', text: 'None here either.' },
      { name: 'c', text: 'Leyla spoke.', spans: [{ start: 0, end: 5, tag: 'PERSON' }] }
    ])
    const outPath = join(project.root, 'rows.csv')
    const result = await new CorpusExportService(project.projects).export({ format: 'csv', outPath, documentIds: 'all', annotators: 'all' })
    expect(result).toMatchObject({ documents: 3, spans: 1 })
    expect((await readFile(outPath, 'utf8')).split('\r\n')[1]).toMatch(/^c,0,5,Leyla,PERSON,Ayla,/)
  })

  it('exports only the chosen documents and annotators', async () => {
    const { project, exporter } = await sampleProject()
    const outPath = join(project.root, 'some.jsonl')
    let result = await exporter.export({ format: 'jsonl', outPath, documentIds: [project.ids.get('plain') as string], annotators: 'all' })
    expect(result).toMatchObject({ documents: 1, spans: 1 })
    result = await exporter.export({ format: 'jsonl', outPath, documentIds: 'all', annotators: ['Somebody else'] })
    expect(result).toMatchObject({ documents: 2, spans: 0 })
    expect(result.warnings.map((warning) => warning.message)).toEqual(['no annotations by "Somebody else" in the exported documents'])
    await expect(exporter.export({ format: 'jsonl', outPath, documentIds: ['no-such-doc'], annotators: 'all' })).rejects.toThrow(/no document "no-such-doc"/)
  })

  it('leaves nothing behind when cancelled', async () => {
    const { project, exporter } = await sampleProject()
    const controller = new AbortController()
    controller.abort()
    for (const [format, name] of [['jsonl', 'c.jsonl'], ['brat', 'brat'], ['tei', 'tei'], ['conll', 'c.conll']] as const) {
      const result = await exporter.export({ format, outPath: join(project.root, 'out', name), documentIds: 'all', annotators: 'all' }, { signal: controller.signal })
      expect(result).toMatchObject({ cancelled: true, files: [] })
    }
    expect(await readdir(join(project.root, 'out'))).toEqual([])
  })

  it('removes partial output when cancelled in the middle of an export', async () => {
    const { project, exporter } = await sampleProject()
    for (const [format, name] of [['csv', 'c.csv'], ['brat', 'brat']] as const) {
      const controller = new AbortController()
      const result = await exporter.export(
        { format, outPath: join(project.root, 'out', name), documentIds: 'all', annotators: 'all' },
        { signal: controller.signal, onProgress: () => controller.abort() }
      )
      expect(result).toMatchObject({ cancelled: true, files: [] })
    }
    expect(await readdir(join(project.root, 'out'))).toEqual([])
  })

  it('refuses a folder of other files, but replaces an earlier Quire export as a whole', async () => {
    const { project, exporter } = await sampleProject()
    const foreign = join(project.root, 'foreign')
    await mkdir(foreign)
    await writeFile(join(foreign, 'thesis.docx'), 'mine')
    await expect(exporter.export({ format: 'brat', outPath: foreign, documentIds: 'all', annotators: 'all' })).rejects.toThrow(/not a Quire export/)
    expect(await readdir(foreign)).toEqual(['thesis.docx'])

    const outPath = join(project.root, 'brat')
    await exporter.export({ format: 'brat', outPath, documentIds: 'all', annotators: 'all' })
    await exporter.export({ format: 'brat', outPath, documentIds: [project.ids.get('plain') as string], annotators: 'all' })
    expect(await readdir(outPath)).toEqual(['annotation.conf', 'manifest.json', 'plain.ann', 'plain.txt'])
    expect(await readdir(project.root)).not.toContainEqual(expect.stringContaining('quire-'))
  })

  it('refuses to export a project with an unreadable document description, and skips half-imported folders', async () => {
    const { project, exporter } = await sampleProject()
    await mkdir(join(project.dir, 'documents', 'half-imported-1234'))
    await writeFile(join(project.dir, 'documents', 'half-imported-1234', 'text.txt'), 'interrupted')
    const outPath = join(project.root, 'c.jsonl')
    expect(await exporter.export({ format: 'jsonl', outPath, documentIds: 'all', annotators: 'all' })).toMatchObject({ documents: 2 })
    await writeFile(join(project.dir, 'documents', project.ids.get('plain') as string, 'document.json'), '{')
    await project.projects.close()
    await project.projects.open(project.dir)
    await expect(exporter.export({ format: 'jsonl', outPath, documentIds: 'all', annotators: 'all' })).rejects.toThrow(/Nothing was exported: .*document\.json/)
    expect(await exporter.export({ format: 'jsonl', outPath, documentIds: [project.ids.get('crlf') as string], annotators: 'all' })).toMatchObject({ documents: 1 })
  })

  it('refuses to write into the project documents folder', async () => {
    const { project, exporter } = await sampleProject()
    await expect(
      exporter.export({ format: 'jsonl', outPath: join(project.dir, 'documents', 'x.jsonl'), documentIds: 'all', annotators: 'all' })
    ).rejects.toThrow(/outside the project's documents folder/)
  })

  it('reports an unreadable annotation file as a warning and exports the rest', async () => {
    const { project, exporter } = await sampleProject()
    const folder = join(project.dir, 'documents', project.ids.get('plain') as string, 'annotations')
    const [layerFile] = await readdir(folder)
    await writeFile(join(folder, layerFile as string), '{ broken')
    const before = await listFilesRecursively(project.dir)
    const result = await exporter.export({ format: 'jsonl', outPath: join(project.root, 'c.jsonl'), documentIds: 'all', annotators: 'all' })
    expect(result).toMatchObject({ documents: 2, spans: 3 })
    expect(result.warnings).toContainEqual(expect.objectContaining({ documentName: 'plain', message: expect.stringContaining('cannot be read') }))
    expect(await listFilesRecursively(project.dir)).toEqual(before)
    expect(await readFile(join(folder, layerFile as string), 'utf8')).toBe('{ broken')
  })
})
