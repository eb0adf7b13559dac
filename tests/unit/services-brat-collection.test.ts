// A brat collection as brat users keep one (tests/fixtures/brat-collection, written from brat's
// documented standoff format): mixed-case and hyphenated types, event triggers and events,
// relations, attributes, an equivalence, normalisations, notes on relations and events, an id
// like T1-a, a discontinuous span with a word in its gap, a T line without its text, and
// README, LICENSE and .conf files beside the documents.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AnnotationImportService } from '../../src/main/services/annotation-import-service'
import { CorpusExportService } from '../../src/main/services/corpus-export-service'
import { makeCorpusProject, snapshotFolder, spansByDocumentName } from '../fixtures/corpus-project'

const COLLECTION = join(__dirname, '..', 'fixtures', 'brat-collection')

async function collectionFiles(folder = COLLECTION): Promise<{ name: string; bytes: Uint8Array }[]> {
  const names = (await readdir(folder)).sort()
  return Promise.all(names.map(async (name) => ({ name, bytes: new Uint8Array(await readFile(join(folder, name))) })))
}

const importer = (project: Awaited<ReturnType<typeof makeCorpusProject>>) => new AnnotationImportService(project.projects, () => 'Importer')

describe('importing a brat collection', () => {
  it('without "add unknown tags": matches Person and Organization to the project tags and names only the types it would add', async () => {
    const project = await makeCorpusProject([])
    const before = await snapshotFolder(project.dir)
    const report = await importer(project).importAnnotations(await collectionFiles())
    expect(report.imported).toBe(false)
    expect(report.unknownTags.map((unknown) => `${unknown.tag} → ${unknown.newTagId} (${unknown.count})`)).toEqual([
      'Protein → PROTEIN (3)',
      'Gene_expression → GENE_EXPRESSION (1)',
      'Entity-Type → ENTITY_TYPE (1)',
      'Positive_regulation → POSITIVE_REGULATION (1)',
      'Binding → BINDING (1)',
      'GPE → GPE (1)',
      'Transfer-money → TRANSFER_MONEY (1)',
      'Money → MONEY (1)'
    ])
    // Only the unknown tags stand in the way: nothing about events, relations or the README.
    expect(report.errors.every((error) => error.unknownTag !== undefined)).toBe(true)
    expect(report.errors[0]?.message).toMatch(/unknown tag "Protein" \(3 spans\); .* to add it as PROTEIN/)
    expect(await snapshotFolder(project.dir)).toEqual(before)
  })

  it('with "add unknown tags": imports every entity and trigger, reports the rest in one summary, and skips the files that are not annotations', async () => {
    const project = await makeCorpusProject([])
    const report = await importer(project).importAnnotations(await collectionFiles(), { addUnknownTags: true })
    expect(report.errors).toEqual([])
    expect(report.imported).toBe(true)
    expect(report.addedTags).toEqual(['PROTEIN', 'GENE_EXPRESSION', 'ENTITY_TYPE', 'POSITIVE_REGULATION', 'BINDING', 'GPE', 'TRANSFER_MONEY', 'MONEY'])
    expect(report.warnings.map((warning) => warning.message)).toEqual([
      'skipped 4 files that are not brat annotations (NAME.ann with its NAME.txt): LICENSE, README, annotation.conf, visual.conf',
      'not imported (Quire keeps entity spans, event triggers included, with their notes and entity links): 4 events, 1 relation, 1 equivalence, ' +
        '3 attributes, 1 normalization Quire cannot turn into an entity link and 3 AnnotatorNotes lines on events, relations or other non-entities',
      '1 discontinuous annotation with text between its fragments was imported as one span per fragment (Quire spans are continuous)'
    ])
    const manifest = JSON.parse(await readFile(join(project.dir, 'project.json'), 'utf8')) as { tags: Array<{ id: string; label: string; bratType?: string }> }
    expect(manifest.tags.map((tag) => [tag.id, tag.label, tag.bratType ?? null])).toEqual([
      ['PERSON', 'Person', null],
      ['ORG', 'Organization', null],
      ['EVENT', 'Event', null],
      ['PROGRAM', 'Program', null],
      ['PROTEIN', 'Protein', 'Protein'],
      ['GENE_EXPRESSION', 'Gene_expression', 'Gene_expression'],
      ['ENTITY_TYPE', 'Entity-Type', 'Entity-Type'],
      ['POSITIVE_REGULATION', 'Positive_regulation', 'Positive_regulation'],
      ['BINDING', 'Binding', 'Binding'],
      ['GPE', 'GPE', null],
      ['TRANSFER_MONEY', 'Transfer-money', 'Transfer-money'],
      ['MONEY', 'Money', 'Money']
    ])
    const spans = await spansByDocumentName(project)
    expect(spans['news-1']?.map((span) => `${span.tag} ${JSON.stringify(span.text)}${span.note === undefined ? '' : ` (${String(span.note)})`}`)).toEqual([
      'PERSON "Leyla Məmmədova" (the delegate)',
      'ORG "ISESCO"',
      'ORG "Ministry"',
      'ORG "Ministry of Education"',
      'ORG "Education"',
      'GPE "Bakı"',
      'ORG "ministry"',
      'TRANSFER_MONEY "moved"',
      'MONEY "$2 million"',
      'PROGRAM "Youth Program"'
    ])
    expect(spans['bio-1']?.map((span) => `${span.tag} ${JSON.stringify(span.text)}${span.note === undefined ? '' : ` (${String(span.note)})`}`)).toEqual([
      'GENE_EXPRESSION "Expression"',
      'PROTEIN "IL-2"',
      'POSITIVE_REGULATION "induced"',
      'ENTITY_TYPE "T cells"',
      'PROTEIN "NF-kappa B" (complex)',
      'BINDING "binds"',
      'PROTEIN "IL-2"'
    ])
    // The N line on T2 became an entity link (#7's entities.json).
    const entities = JSON.parse(await readFile(join(project.dir, 'entities.json'), 'utf8')) as { entities: Array<{ name: string; ref: string | null }> }
    expect(entities.entities.map((entity) => [entity.name, entity.ref])).toEqual([['ICESCO', 'Wikidata:Q1630451']])
  })

  it('round trip: the brat export writes the collection\'s own types, and reads back into a new project as the same spans', async () => {
    const project = await makeCorpusProject([])
    await importer(project).importAnnotations(await collectionFiles(), { addUnknownTags: true })
    const outPath = join(project.root, 'exported')
    await new CorpusExportService(project.projects).export({ format: 'brat', outPath, documentIds: 'all', annotators: 'all' })
    const bio = await readFile(join(outPath, 'bio-1.ann'), 'utf8')
    expect(bio.split('\n').filter(Boolean).map((line) => line.split('\t')[1]?.split(' ')[0])).toEqual([
      'Gene_expression',
      'Protein',
      'Positive_regulation',
      'Entity-Type',
      'Protein',
      'AnnotatorNotes',
      'Binding',
      'Protein'
    ])
    const conf = await readFile(join(outPath, 'annotation.conf'), 'utf8')
    expect(conf).toMatch(/^\[entities\]\nPERSON\nORG\nEVENT\nPROGRAM\nProtein\nGene_expression\nEntity-Type\n/)

    const second = await makeCorpusProject([], 'Ayla', project.root)
    const again = await importer(second).importAnnotations(await collectionFiles(outPath), { addUnknownTags: true })
    expect(again.errors).toEqual([])
    expect(again.addedTags).toEqual(['GENE_EXPRESSION', 'PROTEIN', 'POSITIVE_REGULATION', 'ENTITY_TYPE', 'BINDING', 'GPE', 'TRANSFER_MONEY', 'MONEY'])
    const strip = (all: Record<string, Array<Record<string, unknown>>>) =>
      Object.fromEntries(Object.entries(all).map(([name, spans]) => [name, spans.map(({ annotator: _annotator, ...rest }) => rest)]))
    expect(strip(await spansByDocumentName(second))).toEqual(strip(await spansByDocumentName(project)))
  })
})
