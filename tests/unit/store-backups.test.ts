// Backups of project files: taken on write at most once a minute per file (the rest on close),
// the newest five kept, damaged files reported by path and put back from the newest good
// backup with the damaged file kept aside.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_IMPORT_BYTES } from '../../src/core/text-decode'
import { asUtf16, ORIGINAL_REVISION, type AnnotationEdit, type AnnotationLayer } from '../../src/shared/model'
import { QuireBackend } from '../../src/main/backend'
import { AnnotationService } from '../../src/main/services/annotation-service'
import { BackupService } from '../../src/main/services/backup-service'
import { DocumentService } from '../../src/main/services/document-service'
import { LayerService } from '../../src/main/services/layer-service'
import { ImportService } from '../../src/main/services/import-service'
import { ProjectService } from '../../src/main/services/project-service'
import { SettingsService } from '../../src/main/services/settings-service'
import { BACKUP_INTERVAL_MS, BACKUPS_KEPT, BackupStore } from '../../src/main/store/backups'
import { ANNOTATION_FILE } from '../../src/main/store/file-kinds'
import { makeTempFolder } from '../fixtures/temp-folder'
import { readLayerFromDisk } from '../../src/main/store/layer-on-disk'

const TEXT = 'Leyla Taghizade met Raheel Qamar of ICESCO in Baku.'

function layer(annotationCount: number): AnnotationLayer {
  return {
    format: 'quire-annotations',
    schemaVersion: 1,
    documentId: 'doc-1',
    annotator: 'Leyla',
    status: 'in-progress',
    textSha256: 'a'.repeat(64),
    comments: [],
    resolvedComments: [],
    textRevision: ORIGINAL_REVISION,
    lostInEditing: [],
    rejectedSuggestions: [],
    annotations: Array.from({ length: annotationCount }, (_, index) => ({
      id: `a${index}`,
      start: asUtf16(index),
      end: asUtf16(index + 1),
      tag: 'PERSON',
      text: TEXT.charAt(index),
      annotator: 'Leyla',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      provenance: { source: 'manual' as const }
    }))
  }
}
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`

describe('BackupStore', () => {
  it('backs up the first version at once, then at most once a minute, keeping the newest five', async () => {
    const dir = await makeTempFolder()
    let now = Date.parse('2026-11-23T10:00:00.000Z')
    const backups = new BackupStore(dir, join(dir, '.quire'), () => now)
    const file = join(dir, 'documents', 'doc-1', 'annotations', 'leyla.json')
    const folder = join(dir, '.quire', 'backups', 'documents', 'doc-1', 'annotations', 'leyla.json')

    await backups.recordVersion(file, json(layer(1)))
    now += 1000
    await backups.recordVersion(file, json(layer(2)))
    expect(await readdir(folder)).toEqual(['2026-11-23T10-00-00-000Z.json'])

    for (let count = 3; count <= 9; count++) {
      now += BACKUP_INTERVAL_MS
      await backups.recordVersion(file, json(layer(count)))
    }
    const listed = await backups.list(file, ANNOTATION_FILE)
    expect(listed).toHaveLength(BACKUPS_KEPT)
    expect(listed.map((backup) => backup.data.annotations.length)).toEqual([9, 8, 7, 6, 5])
    expect(listed[0]?.savedAt).toBe(new Date(now).toISOString())
    expect(await readdir(folder)).toHaveLength(BACKUPS_KEPT)
  })

  it('writes the version the interval postponed when flushed (on close)', async () => {
    const dir = await makeTempFolder()
    let now = Date.parse('2026-11-23T10:00:00.000Z')
    const backups = new BackupStore(dir, join(dir, '.quire'), () => now)
    const file = join(dir, 'project.json')
    await backups.recordVersion(file, json(layer(1)))
    now += 5000
    await backups.recordVersion(file, json(layer(2)))
    await backups.recordVersion(file, json(layer(3)))
    await backups.flush()
    const listed = await backups.list(file, ANNOTATION_FILE)
    expect(listed.map((backup) => backup.data.annotations.length)).toEqual([3, 1])
    // Nothing left to flush twice.
    await backups.flush()
    expect(await backups.list(file, ANNOTATION_FILE)).toHaveLength(2)
  })

  it('leaves damaged backups out of the list, and refuses names and paths that are not backups', async () => {
    const dir = await makeTempFolder()
    const backups = new BackupStore(dir, join(dir, '.quire'))
    const file = join(dir, 'documents', 'doc-1', 'annotations', 'leyla.json')
    await backups.recordVersion(file, json(layer(1)))
    const folder = backups.folderFor(file)
    await writeFile(join(folder, '2099-01-01T00-00-00-000Z.json'), '{"format": "quire-annotations", ')
    expect((await backups.list(file, ANNOTATION_FILE)).map((backup) => backup.data.annotations.length)).toEqual([1])
    await expect(backups.restore(file, '../../../../../project.json', ANNOTATION_FILE)).rejects.toMatchObject({ code: 'invalid-argument' })
    await expect(backups.restore(file, '2099-01-01T00-00-00-000Z.json', ANNOTATION_FILE)).rejects.toMatchObject({ code: 'corrupt-store' })
    await expect(backups.restore(file, '2000-01-01T00-00-00-000Z.json', ANNOTATION_FILE)).rejects.toMatchObject({ code: 'not-found' })
    expect(() => backups.folderFor(join(dir, '..', 'elsewhere.json'))).toThrow(/is not a file of the project/)
  })
})

async function setUpProject() {
  const root = await makeTempFolder()
  const settings = await SettingsService.open(join(root, 'user-data'))
  await settings.setAnnotatorName('Leyla')
  const projects = new ProjectService(settings)
  const dir = join(root, 'project')
  await projects.create(dir, 'Interviews')
  const report = await new ImportService(projects, MAX_IMPORT_BYTES).importTexts([{ name: 'meeting.txt', bytes: new TextEncoder().encode(TEXT) }], 'Leyla')
  const documentId = report.imported[0]?.documentId as string
  const documents = new DocumentService(projects, new LayerService(projects))
  const layer = { documentId, annotator: 'Leyla' }
  return { root, dir, documentId, layer, projects, settings, documents, annotations: new AnnotationService(projects), backups: new BackupService(projects) }
}

const add = (id: string, start: number, end: number): AnnotationEdit => ({ op: 'add', annotation: { id, start: asUtf16(start), end: asUtf16(end), tag: 'PERSON' } })

describe('restoring a damaged annotation file', () => {
  it('reports the damaged file by path, offers the newest good backup, restores it and keeps the damaged file aside', async () => {
    const { dir, documentId, layer, annotations, documents, backups, projects } = await setUpProject()
    await annotations.applyEdits(layer, [add('a1', 0, 15)])
    await annotations.applyEdits(layer, [add('a2', 20, 32)])
    // Closing writes the postponed backup holding both annotations.
    await projects.close()
    await projects.open(dir)
    const annotationsFolder = join(dir, 'documents', documentId, 'annotations')
    const [layerName] = await readdir(annotationsFolder)
    const layerPath = join(annotationsFolder, layerName as string)
    const damaged = '{"format": "quire-annotations", "annotations": [\n'
    await writeFile(layerPath, damaged)

    const error = await documents.get(layer).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'corrupt-store', path: layerPath })

    const offered = await backups.list(layerPath)
    expect(offered[0]).toMatchObject({ description: '2 annotations, in progress', id: expect.stringMatching(/Z(-\d+)?\.json$/) })
    expect(await readFile(layerPath, 'utf8')).toBe(damaged)

    const restored = await backups.restore(layerPath, offered[0]!.id)
    expect(restored).toMatchObject({ path: layerPath, backupId: offered[0]!.id, savedAt: offered[0]!.savedAt })
    expect(await readFile(restored.keptAsidePath as string, 'utf8')).toBe(damaged)
    expect(restored.keptAsidePath).toContain(join('.quire', 'backups'))
    expect((await documents.get(layer)).annotations.map((a) => a.id)).toEqual(['a1', 'a2'])
    // Editing carries on in the restored file.
    await annotations.applyEdits(layer, [add('a3', 36, 42)])
    expect((await readLayerFromDisk(layerPath))?.layer.annotations).toHaveLength(3)
  })

  it('restores a loaded file only after its queued saves, and the store then reads the restored file', async () => {
    const { dir, documentId, layer, annotations, documents, backups } = await setUpProject()
    await annotations.applyEdits(layer, [add('a1', 0, 15)])
    const layerPath = join(dir, 'documents', documentId, 'annotations', (await readdir(join(dir, 'documents', documentId, 'annotations')))[0] as string)
    const [first] = await backups.list(layerPath)
    const saving = annotations.applyEdits(layer, [add('a2', 20, 32)])
    await backups.restore(layerPath, first!.id)
    await saving
    expect((await documents.get(layer)).annotations.map((a) => a.id)).toEqual(['a1'])
  })

  it('refuses files that are not the project’s JSON files, and the open project’s own project.json', async () => {
    const { dir, documentId, layer, backups } = await setUpProject()
    await expect(backups.list(join(dir, 'documents', documentId, 'text.txt'))).rejects.toMatchObject({ code: 'invalid-argument' })
    await expect(backups.list('/etc/passwd')).rejects.toMatchObject({ code: 'invalid-argument' })
    await expect(backups.list(join(dir, 'documents', documentId, 'annotations', '..', '..', '..', 'project.json'))).resolves.toHaveLength(1)
    const [backup] = await backups.list(join(dir, 'project.json'))
    await expect(backups.restore(join(dir, 'project.json'), backup!.id)).rejects.toThrow(/close the project, then restore/)
  })

  it('takes no backups in a project opened read-only', async () => {
    const { dir, documentId, layer, projects, settings } = await setUpProject()
    await projects.close()
    await mkdir(join(dir, '.quire'), { recursive: true })
    const { hostname } = await import('node:os')
    await writeFile(join(dir, '.quire', `lock-${hostname()}.json`), JSON.stringify({ pid: process.ppid, hostname: hostname(), openedAt: '2026-01-01T00:00:00.000Z' }))
    const readOnly = new ProjectService(settings)
    expect((await readOnly.open(dir)).readOnly).toBe(true)
    await new DocumentService(readOnly, new LayerService(readOnly)).get(layer)
    await readOnly.close()
    const backedUp = await readdir(join(dir, '.quire', 'backups', 'documents', documentId)).catch(() => [])
    expect(backedUp).toEqual(['document.json'])
  })
})

describe('restoring a damaged project.json', () => {
  it('works with no project open, so a project that cannot open can be repaired, then opens', async () => {
    const { root, dir } = await setUpProject()
    const backend = new QuireBackend({
      userDataDir: join(root, 'user-data-2'),
      sampleTextsDir: root,
      edition: 'browser',
      version: 'test',
      osUserName: 'leyla',
      dialogs: null
    })
    const projectFile = join(dir, 'project.json')
    await writeFile(projectFile, '{"format": "quire-project", "name": ')
    const error = await backend.openProject(dir).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'corrupt-store', path: projectFile })
    const [newest] = await backend.listBackups(projectFile)
    expect(newest?.description).toBe('project “Interviews”, 4 tags')
    const restored = await backend.restoreBackup(projectFile, newest!.id)
    expect(await readFile(restored.keptAsidePath as string, 'utf8')).toBe('{"format": "quire-project", "name": ')
    expect((await backend.openProject(dir)).manifest.name).toBe('Interviews')
  })
})
