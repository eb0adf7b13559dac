import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { asUtf16, DEFAULT_TAGS, STORE_SCHEMA_VERSION, type Annotation, type DocumentRecord } from '../../src/shared/model'
import { ProjectStore, sha256Hex } from '../../src/main/store/project-store'
import { listFilesRecursively, makeTempFolder } from '../fixtures/temp-folder'
import { caught } from '../helpers/caught'


function recordFor(id: string, text: string, name = id): DocumentRecord {
  const utf8 = new TextEncoder().encode(text)
  return {
    format: 'quire-document',
    schemaVersion: STORE_SCHEMA_VERSION,
    id,
    name,
    originalFileName: `${name}.txt`,
    encoding: 'utf-8',
    lineEnding: 'none',
    sizeBytes: utf8.length,
    length: text.length,
    sha256: sha256Hex(utf8),
    importedAt: new Date().toISOString(),
    importedBy: 'test'
  }
}

function annotation(id: string, start: number, end: number, text: string): Annotation {
  const now = new Date().toISOString()
  return {
    id,
    start: asUtf16(start),
    end: asUtf16(end),
    tag: 'PERSON',
    text,
    annotator: 'Leyla',
    createdAt: now,
    updatedAt: now,
    provenance: { source: 'manual' }
  }
}

describe('ProjectStore.create / open', () => {
  it('creates the documented layout in a missing folder and reopens it', async () => {
    const dir = join(await makeTempFolder(), 'new', 'project')
    const created = await ProjectStore.create(dir, '  Field reports  ')
    expect(created.manifest).toMatchObject({ format: 'quire-project', schemaVersion: STORE_SCHEMA_VERSION, name: 'Field reports' })
    expect(created.manifest.tags).toEqual(DEFAULT_TAGS)
    const files = await listFilesRecursively(dir)
    expect(files.filter((path) => !path.startsWith('.quire/backups/'))).toEqual(['.quire/.gitignore', `.quire/lock-${hostname()}.json`, 'project.json'])
    // The first version of project.json is backed up at once (see backups.ts for the policy).
    expect(files.filter((path) => path.startsWith('.quire/backups/'))).toEqual([expect.stringMatching(/^\.quire\/backups\/project\.json\/[\dT-]+Z\.json$/)])
    const reopened = await ProjectStore.open(dir)
    expect(reopened.manifest).toEqual(created.manifest)
  })

  it('accepts an empty folder (ignoring .DS_Store) but refuses a non-empty one, writing nothing', async () => {
    const empty = await makeTempFolder()
    await writeFile(join(empty, '.DS_Store'), '')
    await ProjectStore.create(empty, 'Ok')

    const busy = await makeTempFolder()
    await writeFile(join(busy, 'thesis.docx'), 'x')
    await writeFile(join(busy, 'notes.txt'), 'y')
    const error = await caught(ProjectStore.create(busy, 'No'))
    expect(error.code).toBe('invalid-argument')
    expect(error.path).toBe(busy)
    expect(error.message).toContain('is not empty')
    expect(error.message).toContain('"notes.txt"')
    expect(await listFilesRecursively(busy)).toEqual(['notes.txt', 'thesis.docx'])
  })

  it('refuses to create over an existing project', async () => {
    const dir = await makeTempFolder()
    await ProjectStore.create(dir, 'First')
    const before = await readFile(join(dir, 'project.json'), 'utf8')
    expect((await caught(ProjectStore.create(dir, 'Second'))).message).toContain('already holds a Quire project')
    expect(await readFile(join(dir, 'project.json'), 'utf8')).toBe(before)
  })

  it('says which path is missing when opening', async () => {
    const root = await makeTempFolder()
    const missing = join(root, 'nowhere')
    const error = await caught(ProjectStore.open(missing))
    expect(error).toMatchObject({ code: 'not-found', path: missing })
    const notProject = await caught(ProjectStore.open(root))
    expect(notProject).toMatchObject({ code: 'not-found', path: join(root, 'project.json') })
    expect(notProject.message).toContain('is not a Quire project')
  })

  it('refuses a corrupt project.json and leaves it byte for byte', async () => {
    const dir = await makeTempFolder()
    await ProjectStore.create(dir, 'P')
    const damaged = (await readFile(join(dir, 'project.json'), 'utf8')).slice(0, 60)
    await writeFile(join(dir, 'project.json'), damaged)
    const error = await caught(ProjectStore.open(dir))
    expect(error).toMatchObject({ code: 'corrupt-store', path: join(dir, 'project.json') })
    expect(error.line).toBeGreaterThan(1)
    expect(await readFile(join(dir, 'project.json'), 'utf8')).toBe(damaged)
  })

  it('refuses a project.json that misses a field, naming it', async () => {
    const dir = await makeTempFolder()
    await writeFile(join(dir, 'project.json'), JSON.stringify({ format: 'quire-project', schemaVersion: 1, name: 'P' }))
    expect((await caught(ProjectStore.open(dir))).message).toContain('field "createdAt"')
  })
})

describe('documents', () => {
  it('stores text and record, lists them by name and reads the text back exactly', async () => {
    const dir = await makeTempFolder()
    const store = await ProjectStore.create(dir, 'P')
    const crlf = 'Vasif Eyvazzade\r\nLeyla Taghizade\r\n😀'
    await store.addDocument(recordFor('zeta-0001', crlf, 'Zeta'), crlf)
    await store.addDocument(recordFor('alpha-0002', 'plain', 'alpha'), 'plain')

    const reopened = await ProjectStore.open(dir)
    const listing = await reopened.listDocuments()
    expect(listing.map((entry) => entry.id)).toEqual(['alpha-0002', 'zeta-0001'])
    expect(await reopened.readText('zeta-0001')).toBe(crlf)
    expect(await readFile(join(dir, 'documents', 'zeta-0001', 'text.txt'), 'utf8')).toBe(crlf)
  })

  it('lists a document with a corrupt document.json with its problem, and the others normally', async () => {
    const dir = await makeTempFolder()
    const store = await ProjectStore.create(dir, 'P')
    await store.addDocument(recordFor('good-0001', 'good text'), 'good text')
    await store.addDocument(recordFor('bad-0002', 'bad text'), 'bad text')
    const badPath = join(dir, 'documents', 'bad-0002', 'document.json')
    await writeFile(badPath, '{"format": "quire-document", "schemaVersion": 1,')

    const listing = await (await ProjectStore.open(dir)).listDocuments()
    expect(listing).toHaveLength(2)
    const bad = listing.find((entry) => entry.id === 'bad-0002')
    expect(bad && 'problem' in bad && bad.problem.path).toBe(badPath)
    expect(listing.find((entry) => entry.id === 'good-0001')).toHaveProperty('record.name', 'good-0001')
  })

  it('ignores a half-imported folder and removes it, but keeps one that has annotations', async () => {
    const dir = await makeTempFolder()
    const store = await ProjectStore.create(dir, 'P')
    await mkdir(join(dir, 'documents', 'half-0001'))
    await writeFile(join(dir, 'documents', 'half-0001', 'text.txt'), 'text only')
    await mkdir(join(dir, 'documents', 'lost-0002', 'annotations'), { recursive: true })
    await writeFile(join(dir, 'documents', 'lost-0002', 'annotations', 'x.json'), '{}')

    expect(await store.listDocuments()).toEqual([])
    expect(await store.removeAbandonedImports()).toEqual(['half-0001'])
    expect(await listFilesRecursively(join(dir, 'documents'))).toEqual(['lost-0002/annotations/x.json'])
  })

  it('refuses a text.txt changed after import instead of misplacing annotations', async () => {
    const dir = await makeTempFolder()
    const store = await ProjectStore.create(dir, 'P')
    await store.addDocument(recordFor('doc-0001', 'original'), 'original')
    await writeFile(join(dir, 'documents', 'doc-0001', 'text.txt'), 'edited!!')
    const error = await caught(store.readText('doc-0001'))
    expect(error).toMatchObject({ code: 'corrupt-store', path: join(dir, 'documents', 'doc-0001', 'text.txt') })
  })

  it('reports an unknown document as not found', async () => {
    const store = await ProjectStore.create(await makeTempFolder(), 'P')
    expect((await caught(store.readRecord('nope-0001'))).code).toBe('not-found')
    expect((await caught(store.readRecord('../etc'))).code).toBe('invalid-argument')
  })
})

describe('annotation layers', () => {
  const text = 'Leyla Taghizade met Raheel Qamar.'

  it('saves a layer that a reopened project reads back', async () => {
    const dir = await makeTempFolder()
    const store = await ProjectStore.create(dir, 'P')
    const record = recordFor('doc-0001', text)
    await store.addDocument(record, text)
    const layer = await store.annotationLayer(record, 'Leyla')
    expect(layer.current.annotations).toEqual([])
    await layer.update((draft) => {
      draft.annotations.push(annotation('a1', 0, 15, 'Leyla Taghizade'))
      draft.status = 'in-progress'
    })
    const reopened = await (await ProjectStore.open(dir)).annotationLayer(record, 'Leyla')
    expect(reopened.current.status).toBe('in-progress')
    expect(reopened.current.annotations).toEqual([
      { ...annotation('a1', 0, 15, 'Leyla Taghizade'), createdAt: expect.any(String), updatedAt: expect.any(String) }
    ])
    const files = await listFilesRecursively(join(dir, 'documents', 'doc-0001'))
    expect(files).toEqual(['annotations/leyla-' + sha256Hex('Leyla').slice(0, 8) + '.json', 'document.json', 'text.txt'])
  })

  it('serializes concurrent updates so none is lost', async () => {
    const dir = await makeTempFolder()
    const store = await ProjectStore.create(dir, 'P')
    const record = recordFor('doc-0001', text)
    await store.addDocument(record, text)
    const layer = await store.annotationLayer(record, 'Leyla')
    await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        layer.update((draft) => {
          draft.annotations.push(annotation(`a${index}`, 0, 5, 'Leyla'))
        })
      )
    )
    const reopened = await (await ProjectStore.open(dir)).annotationLayer(record, 'Leyla')
    expect(reopened.current.annotations.map((a) => a.id).sort()).toEqual(Array.from({ length: 25 }, (_, i) => `a${i}`).sort())
  })

  it('leaves the layer unchanged when a change throws', async () => {
    const store = await ProjectStore.create(await makeTempFolder(), 'P')
    const record = recordFor('doc-0001', text)
    await store.addDocument(record, text)
    const layer = await store.annotationLayer(record, 'Leyla')
    await expect(
      layer.update((draft) => {
        draft.status = 'done'
        throw new Error('refused')
      })
    ).rejects.toThrow('refused')
    expect(layer.current.status).toBe('not-started')
  })

  it('refuses a corrupt annotation file without touching it, then reads it once repaired', async () => {
    const dir = await makeTempFolder()
    const store = await ProjectStore.create(dir, 'P')
    const record = recordFor('doc-0001', text)
    await store.addDocument(record, text)
    const layer = await store.annotationLayer(record, 'Leyla')
    await layer.update((draft) => {
      draft.annotations.push(annotation('a1', 0, 5, 'Leyla'))
    })
    const path = layer.path
    const good = await readFile(path, 'utf8')
    const truncated = good.slice(0, good.length - 40)
    await writeFile(path, truncated)

    const fresh = await ProjectStore.open(dir)
    const error = await caught(fresh.annotationLayer(record, 'Leyla'))
    expect(error).toMatchObject({ code: 'corrupt-store', path })
    expect(error.line).toBeGreaterThan(1)
    expect(await readFile(path, 'utf8')).toBe(truncated)

    await writeFile(path, good)
    expect((await fresh.annotationLayer(record, 'Leyla')).current.annotations).toHaveLength(1)
  })

  it('refuses a layer written against a different text', async () => {
    const dir = await makeTempFolder()
    const store = await ProjectStore.create(dir, 'P')
    const record = recordFor('doc-0001', text)
    await store.addDocument(record, text)
    const layer = await store.annotationLayer(record, 'Leyla')
    await layer.update((draft) => {
      draft.textSha256 = sha256Hex('another text')
    })
    const error = await caught((await ProjectStore.open(dir)).annotationLayer(record, 'Leyla'))
    expect(error.message).toContain('different version of the text')
  })
})
