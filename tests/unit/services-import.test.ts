import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_IMPORT_BYTES } from '../../src/core/text-decode'
import type { ImportFile } from '../../src/shared/model'
import { ImportService } from '../../src/main/services/import-service'
import { ProjectService } from '../../src/main/services/project-service'
import { SettingsService } from '../../src/main/services/settings-service'
import { sha256Hex } from '../../src/main/store/project-store'
import { listFilesRecursively, makeTempFolder } from '../fixtures/temp-folder'

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import')

async function fixture(name: string): Promise<ImportFile> {
  return { name, bytes: new Uint8Array(await readFile(join(FIXTURES, name))) }
}

async function openProject(maxBytes = MAX_IMPORT_BYTES): Promise<{ dir: string; projects: ProjectService; imports: ImportService }> {
  const root = await makeTempFolder()
  const settings = await SettingsService.open(join(root, 'user-data'))
  const projects = new ProjectService(settings)
  const dir = join(root, 'project')
  await projects.create(dir, 'Imports')
  return { dir, projects, imports: new ImportService(projects, maxBytes) }
}

describe('ImportService.importTexts', () => {
  it('imports every supported encoding, storing UTF-8 without BOM and keeping line endings byte-exact', async () => {
    const { dir, projects, imports } = await openProject()
    const names = ['utf8-crlf.txt', 'utf8-bom.txt', 'utf16le-bom.txt', 'utf16be-bom.txt']
    const report = await imports.importTexts(await Promise.all(names.map(fixture)), 'Leyla')
    expect(report.refused).toEqual([])
    expect(report.duplicates).toEqual([])
    expect(report.imported.map((entry) => entry.fileName)).toEqual(names)

    const expectedText: Record<string, string> = {
      'utf8-crlf.txt': 'Bakıda ISESCO-nun nümayəndə heyəti ilə görüş keçirilib.\r\nNazir Emin Əmrullayev iştirak edib. 😀\r\n',
      'utf8-bom.txt': 'UTF-8 with a BOM: Leyla Taghizade\n',
      'utf16le-bom.txt': 'UTF-16 LE: Raheel Qamar, ICESCO\r\n',
      'utf16be-bom.txt': 'UTF-16 BE: Salim bin Muhammad al-Malik\n'
    }
    const expectedEncoding = { 'utf8-crlf.txt': 'utf-8', 'utf8-bom.txt': 'utf-8-bom', 'utf16le-bom.txt': 'utf-16le-bom', 'utf16be-bom.txt': 'utf-16be-bom' }
    const records = await projects.requireProject().listDocuments()
    for (const imported of report.imported) {
      const folder = join(dir, 'documents', imported.documentId)
      const stored = await readFile(join(folder, 'text.txt'))
      const expected = expectedText[imported.fileName] as string
      expect(Buffer.compare(stored, Buffer.from(expected, 'utf8'))).toBe(0)
      const listing = records.find((entry) => entry.id === imported.documentId)
      expect(listing && 'record' in listing && listing.record).toMatchObject({
        name: imported.fileName.replace(/\.txt$/, ''),
        originalFileName: imported.fileName,
        encoding: expectedEncoding[imported.fileName as keyof typeof expectedEncoding],
        lineEnding: expected.includes('\r\n') ? 'crlf' : 'lf',
        sizeBytes: stored.length,
        length: expected.length,
        sha256: sha256Hex(stored),
        importedBy: 'Leyla'
      })
    }
  })

  it('refuses binary, non-UTF-8 and oversize files with reasons, and still imports the rest of the batch', async () => {
    const { dir, imports } = await openProject(100)
    const oversize: ImportFile = { name: 'huge.txt', bytes: new Uint8Array(101).fill(0x61) }
    const report = await imports.importTexts(
      [await fixture('picture.png'), await fixture('utf8-bom.txt'), await fixture('latin1.txt'), oversize],
      'Leyla'
    )
    expect(report.imported.map((entry) => entry.fileName)).toEqual(['utf8-bom.txt'])
    expect(report.refused).toEqual([
      { fileName: 'picture.png', reason: '"picture.png" contains NUL bytes at byte 8: it looks like a binary file, not text' },
      {
        fileName: 'latin1.txt',
        reason: '"latin1.txt" is not valid UTF-8: invalid byte 0xE9 at byte 3 (line 1); save it as UTF-8 and import it again'
      },
      { fileName: 'huge.txt', reason: '"huge.txt" is 101 bytes; the limit is 100 bytes' }
    ])
    expect(await readdir(join(dir, 'documents'))).toHaveLength(1)
  })

  it('reports duplicates against the project and within the batch, importing each text once', async () => {
    const { dir, imports } = await openProject()
    const first = await imports.importTexts([await fixture('utf8-bom.txt')], 'Leyla')
    const existing = first.imported[0]
    expect(existing).toBeDefined()

    // Same text as utf8-bom.txt once decoded, so a duplicate although the bytes differ.
    const sameTextNoBom: ImportFile = { name: 'copy.txt', bytes: new TextEncoder().encode('UTF-8 with a BOM: Leyla Taghizade\n') }
    const fresh: ImportFile = { name: 'fresh.txt', bytes: new TextEncoder().encode('New text') }
    const freshAgain: ImportFile = { name: 'fresh again.txt', bytes: new TextEncoder().encode('New text') }
    const report = await imports.importTexts([sameTextNoBom, fresh, freshAgain], 'Leyla')

    expect(report.imported.map((entry) => entry.fileName)).toEqual(['fresh.txt'])
    expect(report.duplicates).toEqual([
      { fileName: 'copy.txt', existingDocumentId: existing?.documentId, existingName: 'utf8-bom' },
      { fileName: 'fresh again.txt', existingDocumentId: report.imported[0]?.documentId, existingName: 'fresh' }
    ])
    expect(await readdir(join(dir, 'documents'))).toHaveLength(2)
  })

  it('uses only the last part of a path as the name, and gives two same-named files separate ids', async () => {
    const { imports } = await openProject()
    const report = await imports.importTexts(
      [
        { name: 'C:\\Users\\ayse\\Report.txt', bytes: new TextEncoder().encode('one') },
        { name: 'folder/Report.txt', bytes: new TextEncoder().encode('two') }
      ],
      'Ayşə'
    )
    expect(report.imported.map((entry) => [entry.fileName, entry.name])).toEqual([
      ['Report.txt', 'Report'],
      ['Report.txt', 'Report']
    ])
    const [a, b] = report.imported
    expect(a?.documentId).toMatch(/^report-[0-9a-f]{4}$/)
    expect(a?.documentId).not.toBe(b?.documentId)
  })

  it('cleans up a half-finished earlier import before importing', async () => {
    const { dir, imports } = await openProject()
    await mkdir(join(dir, 'documents', 'crashed-0001'))
    await writeFile(join(dir, 'documents', 'crashed-0001', 'text.txt'), 'partial')
    await imports.importTexts([await fixture('utf8-bom.txt')], 'Leyla')
    const files = await listFilesRecursively(join(dir, 'documents'))
    expect(files.some((file) => file.startsWith('crashed-0001'))).toBe(false)
    expect(files.filter((file) => file.endsWith('document.json'))).toHaveLength(1)
  })

  it('needs an open project', async () => {
    const settings = await SettingsService.open(await makeTempFolder())
    const imports = new ImportService(new ProjectService(settings), MAX_IMPORT_BYTES)
    await expect(imports.importTexts([await fixture('utf8-bom.txt')], 'x')).rejects.toMatchObject({ code: 'no-project' })
  })
})
