// A texts import finds duplicates by the SHA-256 the document index keeps, reading no
// document.json of the project's documents; an index written before it kept them still works.
import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { MAX_IMPORT_BYTES } from '../../src/core/text-decode'
import { documentIndexOf } from '../../src/main/services/document-index'
import { ImportService } from '../../src/main/services/import-service'
import { ProjectService } from '../../src/main/services/project-service'
import { SettingsService } from '../../src/main/services/settings-service'
import { DocumentIndexFile } from '../../src/main/store/document-index-file'
import { sha256Hex } from '../../src/main/store/project-store'
import type { ImportFile } from '../../src/shared/model'
import { writeVersion2Index } from '../helpers/legacy-document-index'
import { makeTempFolder } from '../fixtures/temp-folder'

function text(name: string, content: string): ImportFile {
  return { name, bytes: new TextEncoder().encode(content) }
}

async function openProject(): Promise<{ dir: string; projects: ProjectService }> {
  const root = await makeTempFolder()
  const projects = new ProjectService(await SettingsService.open(join(root, 'user-data')))
  const dir = join(root, 'project')
  await projects.create(dir, 'Duplicates')
  return { dir, projects }
}

function importerOver(projects: ProjectService): { importer: ImportService; ready: Promise<unknown> } {
  const index = documentIndexOf(projects.requireProject())
  return { importer: new ImportService(projects, MAX_IMPORT_BYTES, () => index.entries()), ready: index.entries() }
}

describe('ImportService.importTexts with the document index', () => {
  it('keeps each text’s SHA-256 in the index and finds duplicates without reading any document.json', async () => {
    const { projects } = await openProject()
    const first = await importerOver(projects).importer.importTexts([text('a.txt', 'Leyla Taghizade spoke.\n'), text('b.txt', 'Raheel Qamar replied.\n')], 'Ayla')
    expect(first.imported).toHaveLength(2)
    const store = projects.requireProject()
    const entries = await documentIndexOf(store).entries()
    expect(entries.map((entry) => entry.sha256)).toEqual([sha256Hex('Leyla Taghizade spoke.\n'), sha256Hex('Raheel Qamar replied.\n')])

    const { importer, ready } = importerOver(projects)
    await ready
    const readRecord = vi.spyOn(store, 'readRecordIfExists')
    const listDocuments = vi.spyOn(store, 'listDocuments')
    const second = await importer.importTexts([text('again.txt', 'Raheel Qamar replied.\n'), text('c.txt', 'ICESCO met in Baku.\n')], 'Ayla')
    expect(second.duplicates).toEqual([{ fileName: 'again.txt', existingDocumentId: first.imported[1]?.documentId, existingName: 'b' }])
    expect(second.imported.map((entry) => entry.fileName)).toEqual(['c.txt'])
    expect(listDocuments).not.toHaveBeenCalled()
    expect(readRecord).not.toHaveBeenCalled()
  })

  it('falls back to document.json for entries of an index written before the hash was kept', async () => {
    const { dir, projects } = await openProject()
    await importerOver(projects).importer.importTexts([text('a.txt', 'Leyla Taghizade spoke.\n')], 'Ayla')
    await documentIndexOf(projects.requireProject()).entries()
    await projects.close()
    const indexFile = new DocumentIndexFile(join(dir, '.quire'))
    const written = await indexFile.read()
    if ('refused' in written) throw new Error(written.detail)
    expect([...written.entries.values()].map((entry) => typeof entry.sha256)).toEqual(['string'])
    // The same index as an older Quire wrote it: every entry without its hash.
    await writeVersion2Index(indexFile.legacyPath, [...written.entries.values()].map(({ sha256: _hash, ...entry }) => entry), true)
    await rm(indexFile.path)
    await rm(join(dir, '.quire', 'document-index.journal'), { force: true })

    await projects.open(dir)
    const { importer } = importerOver(projects)
    const entries = await documentIndexOf(projects.requireProject()).entries()
    expect(entries.map((entry) => entry.sha256)).toEqual([undefined])
    const report = await importer.importTexts([text('copy.txt', 'Leyla Taghizade spoke.\n')], 'Ayla')
    expect(report.duplicates.map((duplicate) => duplicate.existingName)).toEqual(['a'])
    expect(report.imported).toEqual([])
  })
})
