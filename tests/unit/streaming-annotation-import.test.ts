// A JSONL annotation import read a line at a time: the first pass keeps no text of a new
// document (only where its line is), the second reads each line again as its batch is written,
// an error anywhere (the last line too) writes nothing, and a file changed between the passes
// stops the import with what was written named.
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { byteLines } from '../../src/core/formats/byte-lines'
import { numberedLines } from '../../src/core/formats/lines'
import { AnnotationImportService } from '../../src/main/services/annotation-import-service'
import { ImportPlan } from '../../src/main/services/annotation-import-plan'
import { readJsonl } from '../../src/main/services/annotation-import-readers'
import { openRanges, type NamedPath } from '../../src/main/services/import-input'
import { ProjectStore } from '../../src/main/store/project-store'
import { makeTempFolder } from '../fixtures/temp-folder'

function newsLine(index: number): string {
  const text = `Item ${index}. Leyla Taghizade spoke for ICESCO at the Baku Forum.`
  const span = (words: string, label: string): object => ({ start: text.indexOf(words), end: text.indexOf(words) + words.length, label })
  return JSON.stringify({ id: `news-${index}`, name: `news-${index}`, text, spans: [span('Leyla Taghizade', 'PERSON'), span('ICESCO', 'ORG'), span('Baku Forum', 'EVENT')] })
}

async function corpusFile(lines: string[]): Promise<NamedPath> {
  const path = join(await makeTempFolder('quire-stream-'), 'corpus.jsonl')
  await writeFile(path, `${lines.join('\n')}\n`)
  return { name: 'corpus.jsonl', path }
}

async function newProject(): Promise<ProjectStore> {
  return ProjectStore.create(join(await makeTempFolder('quire-stream-project-'), 'project'), 'Stream')
}

const importer = (store: ProjectStore): AnnotationImportService => new AnnotationImportService({ requireProject: () => store }, () => 'Ayla')

describe('streaming JSONL import', () => {
  it('plans new documents without their texts or spans, only where their lines are', async () => {
    const lines = Array.from({ length: 300 }, (_, index) => newsLine(index))
    const file = await corpusFile(lines)
    const plan = new ImportPlan(new Map(), async () => '')
    await readJsonl(plan, file, 0, 'Ayla')
    expect(plan.errors).toEqual([])
    expect(plan.size).toBe(300)
    const ranges = await openRanges(file)
    for (const [index, planned] of [...plan.documents()].entries()) {
      expect(planned.text).toBe('')
      // Name, line ending and size come with the line when it is read again.
      expect(planned.created).toBeNull()
      expect(planned.spans).toEqual([])
      expect(planned.sha256).toBe(createHash('sha256').update(JSON.parse(lines[index] as string).text).digest('hex'))
      const [line] = planned.deferred?.lines ?? []
      expect(line?.line).toBe(index + 1)
      // The offsets read the line back exactly.
      expect(new TextDecoder().decode(await ranges.read(line?.offset ?? -1, line?.length ?? 0))).toBe(lines[index])
    }
    await ranges.close()
    expect(plan.labelUses.get('PERSON')).toEqual({ file: 'corpus.jsonl', line: 1, count: 300 })
  })

  it('writes nothing when only the last of 1,200 lines is wrong', async () => {
    const lines = Array.from({ length: 1200 }, (_, index) => newsLine(index))
    lines[1199] = lines[1199]!.replace('"end":', '"end":9999,"x":')
    const store = await newProject()
    const report = await importer(store).importAnnotations([await corpusFile(lines)], { format: 'jsonl' }, { batchSize: 100 })
    expect(report.imported).toBe(false)
    expect(report.errors.map((error) => error.line)).toEqual([1200])
    expect(await store.documentFolderNames()).toEqual([])
    await store.close()
  })

  it('writes batch by batch, every document with its text and spans, and a text given twice gets the spans of both lines', async () => {
    const lines = Array.from({ length: 250 }, (_, index) => newsLine(index))
    // The same text as line 1 under another id, with a span line 1 does not have.
    const first = JSON.parse(lines[0]!) as { text: string; spans: object[] }
    lines.push(JSON.stringify({ id: 'again', name: 'again', text: first.text, spans: [{ start: 0, end: 4, label: 'EVENT' }] }))
    const store = await newProject()
    const progress: number[] = []
    const report = await importer(store).importAnnotations([await corpusFile(lines)], { format: 'jsonl' }, { batchSize: 100, onProgress: (done) => progress.push(done) })
    expect(report.errors).toEqual([])
    expect(report.imported).toBe(true)
    expect(progress).toEqual([100, 200, 250])
    expect(report.spans).toBe(751)
    const [firstDocument] = report.documents
    const layer = await store.annotationLayer(await store.readRecord(firstDocument!.documentId), 'Ayla')
    expect(layer.current.annotations.map((annotation) => annotation.text)).toEqual(['Item', 'Leyla Taghizade', 'ICESCO', 'Baku Forum'])
    await store.close()
  })

  it('stops, naming the line, when the file changes on disk between the check and the writing', async () => {
    const lines = Array.from({ length: 300 }, (_, index) => newsLine(index))
    const file = await corpusFile(lines)
    const store = await newProject()
    const changed = lines.map((line, index) => (index < 150 ? line : line.replace('Baku Forum', 'Baku Summit')))
    const running = importer(store).importAnnotations([file], { format: 'jsonl' }, {
      batchSize: 100,
      onProgress: (done) => {
        if (done === 100) writeFileSync(file.path, `${changed.join('\n')}\n`)
      }
    })
    await expect(running).rejects.toThrow(/stopped after 100 of 300 documents: corpus\.jsonl line 151 changed on disk/)
    expect(await store.documentFolderNames()).toHaveLength(100)
    await store.close()
  })
})

describe('byteLines', () => {
  it('splits as numberedLines does, whatever the chunks', () => {
    const piece = fc.constantFrom('a', 'é', '😀', '\n', '\r\n', '\r', ' ', '{}')
    fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(piece, { maxLength: 30 }), fc.array(fc.nat(40), { maxLength: 5 }), async (bom, pieces, cuts) => {
        const content = `${bom ? '\uFEFF' : ''}${pieces.join('')}`
        const bytes = new TextEncoder().encode(content)
        const at = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b)
        const chunks = [0, ...at].map((start, index, all) => bytes.subarray(start, all[index + 1] ?? bytes.length))
        const lines = []
        for await (const line of byteLines(chunks)) {
          lines.push({ text: new TextDecoder().decode(line.bytes), number: line.number })
          expect(new TextDecoder().decode(bytes.subarray(line.offset, line.offset + line.bytes.length))).toBe(lines.at(-1)?.text)
        }
        expect(lines).toEqual([...numberedLines(content)])
      }),
      { numRuns: 300 }
    )
  })
})
