// Export a project, import the files into a new project, and get the same spans back: brat
// and JSONL always; CoNLL for every span it can represent (on token boundaries, not overlapping).
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ConllScheme } from '../../src/core/formats/conll'
import { tokenize } from '../../src/core/segmentation'
import { AnnotationImportService } from '../../src/main/services/annotation-import-service'
import { CorpusExportService } from '../../src/main/services/corpus-export-service'
import { ImportService } from '../../src/main/services/import-service'
import { MAX_IMPORT_BYTES } from '../../src/core/text-decode'
import { makeCorpusProject, makeEmptyProject, spansByDocumentName, type DocumentSpec, type SpanSpec } from '../fixtures/corpus-project'
import { boundaries, LABELS, textArbitrary } from '../fixtures/formats/documents'
import { makeTempFolder } from '../fixtures/temp-folder'

const SEED = 20261123
const NOTES = ['checked', '=SUM(A1)', 'quote "x", comma', 'ملاحظة']
const isLineBreak = (character: string | undefined): boolean => character === '\n' || character === '\r'

/** Spans brat can hold exactly: they may cross line breaks but not start or end on one. */
function bratSafeSpans(text: string): fc.Arbitrary<SpanSpec[]> {
  const points = boundaries(text)
  const span = fc
    .tuple(fc.nat({ max: points.length - 1 }), fc.nat({ max: points.length - 1 }), fc.constantFrom(...LABELS), fc.option(fc.constantFrom(...NOTES), { nil: undefined }))
    .map(([a, b, tag, note]) => ({ start: points[Math.min(a, b)] as number, end: points[Math.max(a, b)] as number, tag, ...(note ? { note } : {}) }))
    .filter((candidate) => candidate.end > candidate.start && !isLineBreak(text[candidate.start]) && !isLineBreak(text[candidate.end - 1]))
  return fc.uniqueArray(span, { maxLength: 8, selector: (candidate) => `${candidate.start}:${candidate.end}:${candidate.tag}` })
}

/** 1–3 documents with distinct texts (emoji, flags, combining marks, Arabic, CRLF…) and random spans. */
const projectArbitrary = fc
  .array(textArbitrary, { minLength: 1, maxLength: 3 })
  .chain((texts) =>
    fc.tuple(
      ...texts.map((body, index) => {
        const text = `Document ${index}: ${body}`
        return bratSafeSpans(text).map((spans): DocumentSpec => ({ name: `doc-${index}`, text, spans }))
      })
    )
  )

async function exportAndImport(documents: readonly DocumentSpec[], format: 'brat' | 'jsonl') {
  const root = await makeTempFolder('quire-roundtrip-')
  const source = await makeCorpusProject(documents, 'Ayla', root)
  const outPath = join(root, format === 'brat' ? 'brat' : 'corpus.jsonl')
  await new CorpusExportService(source.projects).export({ format, outPath, documentIds: 'all', annotators: 'all' })
  const files =
    format === 'brat'
      ? await Promise.all((await readdir(outPath)).filter((name) => /\.(ann|txt)$/.test(name)).map(async (name) => ({ name, bytes: await readFile(join(outPath, name)) })))
      : [{ name: 'corpus.jsonl', bytes: await readFile(outPath) }]
  const target = await makeEmptyProject(root)
  const report = await new AnnotationImportService(target.projects, () => 'Ayla').importAnnotations(files)
  return { source, target, report }
}

describe('export → import into a new project', () => {
  for (const format of ['brat', 'jsonl'] as const) {
    it(`${format} gives identical spans (property-based)`, async () => {
      let spansCompared = 0
      await fc.assert(
        fc.asyncProperty(projectArbitrary, async (documents) => {
          const { source, target, report } = await exportAndImport(documents, format)
          expect(report.errors).toEqual([])
          const expected = await spansByDocumentName(source)
          expect(await spansByDocumentName(target)).toEqual(expected)
          spansCompared += Object.values(expected).flat().length
          const textsOf = async (project: typeof source) =>
            Promise.all((await project.projects.requireProject().listDocuments()).map((listing) => project.projects.requireProject().readText(listing.id)))
          expect((await textsOf(target)).sort()).toEqual((await textsOf(source)).sort())
        }),
        { seed: SEED, numRuns: 20 }
      )
      // The generators must really produce spans, or the property proves nothing.
      expect(spansCompared).toBeGreaterThan(40)
    })
  }

  it('CoNLL gives identical spans wherever it can represent them, in every scheme (property-based)', async () => {
    const conllProject = textArbitrary.chain((body) => {
      const text = `Salim met ${body}`
      const tokens = [...tokenize(text)]
      // Non-overlapping runs of whole tokens.
      const cuts = fc.uniqueArray(fc.nat({ max: Math.max(tokens.length - 1, 0) }), { maxLength: 8 }).map((indices) => indices.sort((a, b) => a - b))
      return fc.tuple(fc.constant(text), cuts, fc.array(fc.constantFrom(...LABELS), { minLength: 8, maxLength: 8 }), fc.constantFrom<ConllScheme>('IOB1', 'IOB2', 'BIOES')).map(
        ([documentText, indices, labels, scheme]) => {
          const spans: SpanSpec[] = []
          for (let index = 0; index + 1 < indices.length; index += 2) {
            const first = tokens[indices[index] as number]
            const last = tokens[(indices[index + 1] as number) - 1] ?? first
            if (first && last && last.end > first.start) spans.push({ start: first.start, end: last.end, tag: labels[index] as string })
          }
          return { text: documentText, spans, scheme }
        }
      )
    })
    let spansCompared = 0
    await fc.assert(
      fc.asyncProperty(conllProject, async ({ text, spans, scheme }) => {
        const root = await makeTempFolder('quire-roundtrip-')
        const source = await makeCorpusProject([{ name: 'doc', text, spans }], 'Ayla', root)
        const outPath = join(root, 'corpus.conll')
        const exported = await new CorpusExportService(source.projects).export({ format: 'conll', outPath, documentIds: 'all', annotators: 'all', scheme })
        expect(exported.dropped).toBe(0)
        const target = await makeEmptyProject(root)
        // CoNLL has lost the whitespace: the new project gets the text first, the tokens align to it.
        await new ImportService(target.projects, MAX_IMPORT_BYTES).importTexts([{ name: 'doc.txt', bytes: new TextEncoder().encode(text) }], 'Ayla')
        const report = await new AnnotationImportService(target.projects, () => 'Ayla').importAnnotations([{ name: 'corpus.conll', bytes: await readFile(outPath) }], { scheme })
        expect(report.errors).toEqual([])
        const expected = await spansByDocumentName(source)
        expect(await spansByDocumentName(target)).toEqual(expected)
        spansCompared += Object.values(expected).flat().length
      }),
      { seed: SEED, numRuns: 25 }
    )
    expect(spansCompared).toBeGreaterThan(20)
  })
})
