// The entity service over a real project folder: grouping every layer, entities.json written and
// refused like project.json, mentions, exports carrying the links (also from worker threads) and
// imports reading them back into another project.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_IMPORT_BYTES } from '../../src/core/text-decode'
import { AnnotationImportService } from '../../src/main/services/annotation-import-service'
import { CorpusExportService } from '../../src/main/services/corpus-export-service'
import { EntityService } from '../../src/main/services/entity-service'
import { ImportService } from '../../src/main/services/import-service'
import { ProjectService } from '../../src/main/services/project-service'
import { SettingsService } from '../../src/main/services/settings-service'
import { entitiesPath } from '../../src/main/store/entities-file'
import type { EntityList } from '../../src/shared/finding-model'
import { addOver, colleagueLayer, makeTeamProject, writeAsColleague, type TeamProject } from '../fixtures/team-project'
import { listFilesRecursively, makeTempFolder } from '../fixtures/temp-folder'

const SUMMIT_TEXT = 'ISESCO, now İCESCO, met in Rabat. Ilham Aliyev sent greetings to ICESCO.'

/** Leyla tagged ICESCO in the meeting; Rashad tagged ISESCO, İCESCO, ICESCO and Ilham Aliyev in the summit. */
async function entityProject(): Promise<{ project: TeamProject; entities: EntityService; summitId: string }> {
  const project = await makeTeamProject('Leyla', [{ name: 'summit', text: SUMMIT_TEXT }])
  await project.annotations.applyEdits({ documentId: project.documentId, annotator: 'Leyla' }, [addOver('a1', 'ICESCO', 'ORG'), addOver('a2', 'Raheel Qamar', 'PERSON')])
  const summitId = project.ids.get('summit') as string
  const summit = await project.store.readRecord(summitId)
  const rashad = colleagueLayer(summit, 'Rashad', [
    { id: 'r1', words: 'ISESCO', tag: 'ORG' },
    { id: 'r2', words: 'İCESCO', tag: 'ORG' },
    { id: 'r3', words: 'Ilham Aliyev', tag: 'PERSON' },
    { id: 'r4', words: 'ICESCO.', tag: 'EVENT' }
  ], {}, SUMMIT_TEXT)
  // "ICESCO." is tagged with its full stop by mistake: a different key, a group of its own.
  await writeAsColleague(project.store.layerPath(summitId, 'Rashad'), rashad)
  return { project, entities: new EntityService(project.projects), summitId }
}

function byName(list: EntityList, name: string) {
  return list.entities.find((entity) => entity.name === name)
}

describe('EntityService', () => {
  it('groups every layer\'s mentions across documents, merges ISESCO and ICESCO into entities.json, and lists their mentions', async () => {
    const { project, entities, summitId } = await entityProject()
    const before = await entities.list()
    expect(before.problem).toBeNull()
    // "İCESCO" and "ICESCO" are one key; ISESCO is another.
    expect(byName(before, 'ICESCO')).toMatchObject({ saved: false, mentions: 2, countsByTag: { ORG: 2 } })
    expect(byName(before, 'ISESCO')).toMatchObject({ saved: false, mentions: 1 })

    const icesco = byName(before, 'ICESCO')?.id as string
    const isesco = byName(before, 'ISESCO')?.id as string
    const after = await entities.merge({ ids: [icesco, isesco], name: 'ICESCO', ref: 'Q1630451' })
    const merged = byName(after, 'ICESCO')
    expect(merged).toMatchObject({ saved: true, ref: 'Wikidata:Q1630451', mentions: 3 })
    expect(merged?.documents.map((document) => document.documentName).sort()).toEqual(['meeting', 'summit'])
    expect(byName(after, 'ISESCO')).toBeUndefined()

    const file = JSON.parse(await readFile(entitiesPath(project.store), 'utf8')) as { format: string; schemaVersion: number; entities: { id: string; aliases: string[] }[] }
    expect(file).toMatchObject({ format: 'quire-entities', schemaVersion: 1 })
    expect(file.entities[0]?.aliases.sort()).toEqual(['icesco', 'isesco'])

    const mentions = await entities.mentions(merged?.id as string)
    expect(mentions.map((mention) => [mention.documentId === summitId ? 'summit' : 'meeting', mention.annotator, mention.text])).toEqual([
      ['meeting', 'Leyla', 'ICESCO'],
      ['summit', 'Rashad', 'ISESCO'],
      ['summit', 'Rashad', 'İCESCO']
    ])
    expect(SUMMIT_TEXT.slice(mentions[1]?.start, mentions[1]?.end)).toBe('ISESCO')
    // With the words around it, for the panel.
    expect(mentions[1]).toMatchObject({ left: '', right: ', now İCESCO, met in Rabat. Ilham Aliyev…' })
  })

  it('sees a colleague\'s layer change at the next list (the per-document tally is kept only while the files are unchanged)', async () => {
    const { project, entities, summitId } = await entityProject()
    expect(byName(await entities.list(), 'Ilham Aliyev')?.mentions).toBe(1)
    const summit = await project.store.readRecord(summitId)
    await writeAsColleague(project.store.layerPath(summitId, 'Rashad'), colleagueLayer(summit, 'Rashad', [{ id: 'r1', words: 'ISESCO', tag: 'ORG' }], {}, SUMMIT_TEXT))
    const list = await entities.list()
    expect(byName(list, 'Ilham Aliyev')).toBeUndefined()
    expect(byName(list, 'ISESCO')?.mentions).toBe(1)
  })

  it('renames, identifies and splits, and refuses what the rules refuse with the reason', async () => {
    const { entities } = await entityProject()
    const list = await entities.list()
    const merged = byName(await entities.merge({ ids: [byName(list, 'ICESCO')?.id as string, byName(list, 'ISESCO')?.id as string], name: 'ICESCO', ref: null }), 'ICESCO')
    expect(merged?.ref).toBeNull()
    const renamed = await entities.update(merged?.id as string, { name: 'Islamic World Educational, Scientific and Cultural Organization', ref: 'Wikidata:Q1630451' })
    expect(byName(renamed, 'Islamic World Educational, Scientific and Cultural Organization')).toMatchObject({ id: merged?.id, ref: 'Wikidata:Q1630451' })
    const split = await entities.split(merged?.id as string, 'isesco')
    expect(byName(split, 'ISESCO')).toMatchObject({ saved: false, mentions: 1 })
    await expect(entities.split(merged?.id as string, 'icesco')).rejects.toThrow(/Not saved: .*only alias/)
    await expect(entities.update(byName(split, 'Ilham Aliyev')?.id as string, { ref: 'Wikidata:Q1630451' })).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('already the identifier') })
  })

  it('reports a damaged entities.json with its path and never overwrites it', async () => {
    const { project, entities } = await entityProject()
    const damaged = '{ "format": "quire-entities", "schemaVersion": 1, "entities": [ { "id": "e-x" '
    await writeFile(entitiesPath(project.store), damaged)
    const list = await entities.list()
    expect(list.problem).toContain(entitiesPath(project.store))
    // The groups are still listed: the mentions are in the layers, not in entities.json.
    expect(byName(list, 'ICESCO')).toMatchObject({ saved: false })
    await expect(entities.merge({ ids: [byName(list, 'ICESCO')?.id as string, byName(list, 'ISESCO')?.id as string], name: 'ICESCO', ref: null })).rejects.toMatchObject({ code: 'corrupt-store' })
    expect(await readFile(entitiesPath(project.store), 'utf8')).toBe(damaged)
    // An export goes on without links and says why.
    const outPath = join(project.root, 'out.jsonl')
    const result = await new CorpusExportService(project.projects).export({ format: 'jsonl', outPath, documentIds: 'all', annotators: 'all' }, { workerThreads: 0 })
    expect(result.warnings.map((warning) => warning.message)).toContainEqual(expect.stringContaining('entity links are left out'))
  })
})

describe('entity links through export and import', () => {
  async function mergedProject() {
    const made = await entityProject()
    const list = await made.entities.list()
    await made.entities.merge({ ids: [byName(list, 'ICESCO')?.id as string, byName(list, 'ISESCO')?.id as string], name: 'ICESCO', ref: 'Q1630451' })
    await made.entities.update(byName(list, 'Ilham Aliyev')?.id as string, { name: 'Ilham Aliyev' })
    const saved = await made.entities.list()
    return { ...made, icescoId: byName(saved, 'ICESCO')?.id as string, aliyevId: byName(saved, 'Ilham Aliyev')?.id as string }
  }

  it('writes the link in brat, JSONL, TEI and CSV, the same from worker threads', async () => {
    const { project, icescoId, aliyevId } = await mergedProject()
    const exporter = new CorpusExportService(project.projects)
    const out = (name: string): string => join(project.root, name)
    for (const workerThreads of [0, 1]) {
      await exporter.export({ format: 'brat', outPath: out(`brat-${workerThreads}`), documentIds: 'all', annotators: 'all' }, { workerThreads })
      const summitAnn = await readFile(join(out(`brat-${workerThreads}`), 'summit.ann'), 'utf8')
      expect(summitAnn).toContain('\tReference T1 Wikidata:Q1630451\tICESCO\n')
      expect(summitAnn).toMatch(new RegExp(`N\\d+\\tReference T\\d+ Quire:${aliyevId}\\tIlham Aliyev\\n`))
      expect(summitAnn).not.toContain('ICESCO.\tEVENT')
      await exporter.export({ format: 'jsonl', outPath: out(`e-${workerThreads}.jsonl`), documentIds: 'all', annotators: 'all' }, { workerThreads })
      const spans = (await readFile(out(`e-${workerThreads}.jsonl`), 'utf8')).trim().split('\n').flatMap((line) => (JSON.parse(line) as { spans: { text: string; entity: unknown }[] }).spans)
      expect(spans.find((span) => span.text === 'ISESCO')?.entity).toEqual({ id: icescoId, name: 'ICESCO', ref: 'Wikidata:Q1630451' })
      expect(spans.find((span) => span.text === 'Raheel Qamar')?.entity).toBeNull()
    }
    await exporter.export({ format: 'tei', outPath: out('tei'), documentIds: 'all', annotators: 'all' }, { workerThreads: 0 })
    const tei = await readFile(join(out('tei'), 'summit.xml'), 'utf8')
    expect(tei).toContain('ref="Wikidata:Q1630451">ISESCO</orgName>')
    expect(tei).toContain(`ref="Quire:${aliyevId}">Ilham Aliyev</persName>`)
    await exporter.export({ format: 'csv', outPath: out('e.csv'), documentIds: 'all', annotators: 'all' }, { workerThreads: 0 })
    const csv = await readFile(out('e.csv'), 'utf8')
    expect(csv).toContain(',offsets,entity,entity_ref\r\n')
    expect(csv).toContain(',codepoint,ICESCO,Wikidata:Q1630451\r\n')
    expect(csv).toContain(`,codepoint,Ilham Aliyev,Quire:${aliyevId}\r\n`)
  })

  async function freshProject(root: string): Promise<{ projects: ProjectService; imports: AnnotationImportService; entities: EntityService }> {
    const settings = await SettingsService.open(join(root, 'user-data-2'))
    await settings.setAnnotatorName('Farid')
    const projects = new ProjectService(settings)
    await projects.create(join(root, 'second'), 'Second')
    return { projects, imports: new AnnotationImportService(projects, () => 'Farid'), entities: new EntityService(projects) }
  }

  for (const format of ['brat', 'jsonl'] as const) {
    // brat carries one SOURCE:ID per link: an entity with an identifier comes back by it (with a new Quire id), one without by its Quire id.
    it(`reads ${format} links back into another project's entities.json, with the same identifiers and ids`, async () => {
      const { project, icescoId, aliyevId } = await mergedProject()
      const outPath = join(project.root, format === 'brat' ? 'brat' : 'e.jsonl')
      await new CorpusExportService(project.projects).export({ format, outPath, documentIds: 'all', annotators: 'all' }, { workerThreads: 0 })
      const files = format === 'brat' ? (await listFilesRecursively(outPath)).filter((name) => /\.(ann|txt)$/.test(name)).map((name) => join(outPath, name)) : [outPath]
      const second = await freshProject(project.root)
      const report = await second.imports.importAnnotations(await Promise.all(files.map(async (path) => ({ name: path, bytes: await readFile(path) }))), { format })
      expect(report.errors).toEqual([])
      expect(report.imported).toBe(true)
      const list = await second.entities.list()
      expect(byName(list, 'ICESCO')).toMatchObject({ saved: true, ref: 'Wikidata:Q1630451', mentions: 3 })
      if (format === 'jsonl') expect(byName(list, 'ICESCO')?.id).toBe(icescoId)
      const newIcescoId = byName(list, 'ICESCO')?.id as string
      expect(byName(list, 'Ilham Aliyev')).toMatchObject({ id: aliyevId, saved: true, ref: null, mentions: 1 })
      expect(byName(list, 'Raheel Qamar')).toMatchObject({ saved: false })
      // Exported again, the links are what they were.
      const again = join(project.root, 'again.jsonl')
      await new CorpusExportService(second.projects).export({ format: 'jsonl', outPath: again, documentIds: 'all', annotators: 'all' }, { workerThreads: 0 })
      const entities = (await readFile(again, 'utf8')).trim().split('\n').flatMap((line) => (JSON.parse(line) as { spans: { text: string; entity: { id: string } | null }[] }).spans).filter((span) => span.entity !== null)
      expect(entities.map((span) => span.entity?.id).sort()).toEqual([aliyevId, newIcescoId, newIcescoId, newIcescoId].sort())
    })
  }

  it('refuses an import whose links cannot be saved because entities.json is damaged, and leaves the file as it was', async () => {
    const root = await makeTempFolder()
    const second = await freshProject(root)
    const damaged = '{"format": "quire-entities", "schemaVersion": 1, "entities": [{"id": "e-a", "name": "A", "aliases": []}]}'
    await writeFile(join(root, 'second', 'entities.json'), damaged)
    const line = JSON.stringify({ id: 'summit', text: SUMMIT_TEXT, spans: [{ start: 0, end: 6, label: 'ORG', entity: { ref: 'Wikidata:Q1630451', name: 'ICESCO' } }] })
    const report = await second.imports.importAnnotations([{ name: 'links.jsonl', bytes: new TextEncoder().encode(`${line}\n`) }], { format: 'jsonl' })
    expect(report.imported).toBe(false)
    expect(report.errors).toEqual([{ file: join(root, 'second', 'entities.json'), line: 0, message: expect.stringContaining('the files link spans to entities, but') }])
    expect(await readFile(join(root, 'second', 'entities.json'), 'utf8')).toBe(damaged)
    expect((await second.projects.requireProject().listDocuments())).toEqual([])
  })

  it('refuses a brat file whose normalization names a missing T id, with file and line, writing nothing', async () => {
    const root = await makeTempFolder()
    const second = await freshProject(root)
    await new ImportService(second.projects, MAX_IMPORT_BYTES).importTexts([{ name: 'summit.txt', bytes: new TextEncoder().encode(SUMMIT_TEXT) }], 'Farid')
    const ann = 'T1\tORG 0 6\tISESCO\nN1\tReference T1 Wikidata:Q1630451\tICESCO\nN2\tReference T7 Wikidata:Q1630451\tICESCO\n'
    const report = await second.imports.importAnnotations([{ name: 'summit.ann', bytes: new TextEncoder().encode(ann) }], { format: 'brat' })
    expect(report.imported).toBe(false)
    expect(report.errors).toEqual([{ file: 'summit.ann', line: 3, message: 'normalization refers to T7, which is not in this file' }])
    expect((await second.entities.list()).entities.filter((entity) => entity.saved)).toEqual([])
    await expect(readFile(join(root, 'second', 'entities.json'))).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
