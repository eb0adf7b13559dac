// AnnotationImportService against mutated brat, JSONL and CoNLL files and hostile file names:
// it never throws anything but a QuireError; an import with any error writes nothing (the
// project folder is byte-identical); one that succeeds leaves only spans inside their text.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { exportBrat, exportConll, exportJsonl } from '../../src/core/formats'
import { collectExport } from '../../src/core/formats/export-tally'
import type { ExportDocument, ExportSpan } from '../../src/core/formats/types'
import { AnnotationImportService } from '../../src/main/services/annotation-import-service'
import { QuireError } from '../../src/shared/api'
import { asUtf16 } from '../../src/shared/model'
import { makeCorpusProject, snapshotFolder, type TestProject } from '../fixtures/corpus-project'
import { boundaries, LABELS, sha256 } from '../fixtures/formats/documents'
import { applyAll, mutationsArbitrary } from '../fixtures/hostile/mutations'

const SEED = 5_2026
const TEXT = 'Emin 😀 Əmrullayev met ISESCO in Bakı.\r\nوزير التعليم opened the Youth Program.\n'
const POINTS = boundaries(TEXT)

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
})

const spansArbitrary = fc.array(
  fc.tuple(fc.nat({ max: POINTS.length - 1 }), fc.nat({ max: POINTS.length - 1 }), fc.constantFrom(...LABELS)).filter(([a, b]) => a !== b),
  { maxLength: 6 }
).map((pairs): ExportSpan[] =>
  pairs.map(([a, b, label]) => {
    const start = POINTS[Math.min(a, b)] as number
    const end = POINTS[Math.max(a, b)] as number
    return { start: asUtf16(start), end: asUtf16(end), label, text: TEXT.slice(start, end), annotator: 'Ayla' }
  })
)

type Format = 'brat' | 'jsonl' | 'conll'
function filesFor(format: Format, spans: ExportSpan[]): Array<{ name: string; content: string }> {
  const document: ExportDocument = { id: 'news', name: 'news', text: TEXT, sha256: sha256(TEXT), spans }
  if (format === 'jsonl') return [{ name: 'corpus.jsonl', content: collectExport(exportJsonl([document])).output }]
  if (format === 'conll') return [{ name: 'corpus.conll', content: collectExport(exportConll([document])).output }]
  const generator = exportBrat([document])
  const first = generator.next()
  if (first.done) throw new Error('brat export yielded nothing')
  return [
    { name: 'news.txt', content: first.value.txt },
    { name: 'news.ann', content: first.value.ann }
  ]
}

/** Every annotation of every document (a JSONL line may create new ones) lies inside its own text. */
async function expectEverySpanInsideItsText(project: TestProject): Promise<void> {
  const store = project.projects.requireProject()
  for (const listing of await store.listDocuments()) {
    if (!('record' in listing)) throw listing.problem
    const text = await store.readText(listing.id)
    const folder = join(store.documentFolder(listing.id), 'annotations')
    const files = await readdir(folder).catch(() => [] as string[])
    for (const file of files.filter((name) => name.endsWith('.json'))) {
      const layer = JSON.parse(await readFile(join(folder, file), 'utf8')) as { annotations: Array<{ start: number; end: number; text: string }> }
      for (const annotation of layer.annotations) {
        expect(0 <= annotation.start && annotation.start < annotation.end && annotation.end <= text.length).toBe(true)
        expect(annotation.text).toBe(text.slice(annotation.start, annotation.end))
      }
    }
  }
}

const hostileNames = fc.constantFrom(undefined, '../../../etc/news.ann', 'C:\\evil\\news.ann', '<img src=x onerror=alert(1)>.ann', 'news\u202Eann.ann', '__proto__.jsonl')

describe('annotation import under fuzzing', () => {
  it('writes nothing unless the whole import is valid, and never throws anything but a QuireError', async () => {
    const project = await makeCorpusProject([{ name: 'news', text: TEXT }])
    const service = new AnnotationImportService(project.projects, () => 'Importer')
    let imports = 0
    let refusals = 0
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Format>('brat', 'jsonl', 'conll'), spansArbitrary, mutationsArbitrary, fc.boolean(), hostileNames, async (format, spans, mutations, mutateTxt, hostileName) => {
        const files = filesFor(format, spans).map((file) => ({
          name: hostileName !== undefined && !file.name.endsWith('.txt') ? hostileName : file.name,
          bytes: new TextEncoder().encode(file.name.endsWith('.txt') && !mutateTxt ? file.content : applyAll(file.content, mutations))
        }))
        const before = await snapshotFolder(project.dir)
        let report
        try {
          report = await service.importAnnotations(files, { format })
        } catch (error) {
          expect(error).toBeInstanceOf(QuireError)
          expect(await snapshotFolder(project.dir)).toEqual(before)
          return
        }
        if (!report.imported) {
          refusals++
          expect(report.spans).toBe(0)
          expect(report.errors.length).toBeGreaterThan(0)
          for (const problem of report.errors) {
            expect(Number.isInteger(problem.line) && problem.line >= 0).toBe(true)
            expect(problem.message.length).toBeGreaterThan(0)
          }
          expect(await snapshotFolder(project.dir)).toEqual(before)
          return
        }
        imports++
        expect(report.errors).toEqual([])
        await expectEverySpanInsideItsText(project)
      }),
      { seed: SEED, numRuns: 60 }
    )
    // Both outcomes happened, so neither branch of the property is vacuous.
    expect(imports).toBeGreaterThan(0)
    expect(refusals).toBeGreaterThan(0)
  })

  it('refuses invalid UTF-8 and a broken 10^6-character line with the file named, writing nothing', async () => {
    const project = await makeCorpusProject([{ name: 'news', text: TEXT }])
    const service = new AnnotationImportService(project.projects, () => 'Importer')
    const before = await snapshotFolder(project.dir)
    const invalid = await service.importAnnotations([{ name: 'bad.jsonl', bytes: Uint8Array.from([0x7b, 0xc3, 0x28, 0x7d, 0x0a]) }], { format: 'jsonl' })
    expect(invalid.imported).toBe(false)
    expect(invalid.errors[0]).toMatchObject({ file: 'bad.jsonl' })
    const long = await service.importAnnotations([{ name: 'long.jsonl', bytes: new TextEncoder().encode(`{"id":"x","text":"${'a'.repeat(1_000_000)}","spans":[}\n`) }], { format: 'jsonl' })
    expect(long.imported).toBe(false)
    expect(long.errors[0]).toMatchObject({ file: 'long.jsonl' })
    expect(await snapshotFolder(project.dir)).toEqual(before)
  })
})
