// Project files (project.json, document.json, annotation layers) against mutated and hostile
// content: reading one never throws anything but a QuireError naming the file (and the line,
// for syntax errors), never pollutes Object.prototype, and never changes a byte on disk.
import { createHash } from 'node:crypto'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { annotatorFileName } from '../../src/core/ids'
import { QuireError } from '../../src/shared/api'
import { ANNOTATION_FILE, DOCUMENT_FILE, PROJECT_FILE, SETTINGS_FILE } from '../../src/main/store/file-kinds'
import { parseStoredFile, type StoredFileKind } from '../../src/main/store/json-store'
import { findJsonSyntaxError } from '../../src/main/store/json-syntax-error'
import { ProjectStore, sha256Hex } from '../../src/main/store/project-store'
import { ImportService } from '../../src/main/services/import-service'
import { ProjectService } from '../../src/main/services/project-service'
import { SettingsService } from '../../src/main/services/settings-service'
import { makeTempFolder } from '../fixtures/temp-folder'

const SEED = 11_2026
const NOW = '2026-01-02T03:04:05.000Z'
const TEXT = 'Emin met ISESCO in Bakı.'
const TEXT_SHA = sha256Hex(TEXT)

const validFiles: Array<{ path: string; kind: StoredFileKind<unknown>; data: object }> = [
  {
    path: '/project/project.json',
    kind: PROJECT_FILE as StoredFileKind<unknown>,
    data: { format: 'quire-project', schemaVersion: 1, name: 'Hostile', createdAt: NOW }
  },
  {
    path: '/project/documents/doc-1/document.json',
    kind: DOCUMENT_FILE as StoredFileKind<unknown>,
    data: {
      format: 'quire-document',
      schemaVersion: 1,
      id: 'doc-1',
      name: 'doc',
      originalFileName: 'doc.txt',
      encoding: 'utf-8',
      lineEnding: 'none',
      sizeBytes: 25,
      length: TEXT.length,
      sha256: TEXT_SHA,
      importedAt: NOW,
      importedBy: 'ayla'
    }
  },
  {
    path: '/project/documents/doc-1/annotations/ayla-1234abcd.json',
    kind: ANNOTATION_FILE as StoredFileKind<unknown>,
    data: {
      format: 'quire-annotations',
      schemaVersion: 1,
      documentId: 'doc-1',
      annotator: 'ayla',
      status: 'in-progress',
      textSha256: TEXT_SHA,
      annotations: [
        { id: 'a-1', start: 0, end: 4, tag: 'PERSON', text: 'Emin', annotator: 'ayla', createdAt: NOW, updatedAt: NOW, note: 'n' },
        { id: 'a-2', start: 9, end: 15, tag: 'ORG', text: 'ISESCO', annotator: 'ayla', createdAt: NOW, updatedAt: NOW }
      ]
    }
  },
  {
    path: '/user-data/settings.json',
    kind: SETTINGS_FILE as StoredFileKind<unknown>,
    data: { format: 'quire-settings', schemaVersion: 1, annotatorName: 'Ayla', recentProjects: [{ path: '/projects/p', name: 'P', openedAt: NOW }] }
  }
]

const encode = (text: string): Uint8Array => new TextEncoder().encode(text)

/** What reading `bytes` does: the value, or the QuireError; anything else fails the test. */
function read(bytes: Uint8Array, file: (typeof validFiles)[number]): { value: unknown } | { error: QuireError } {
  try {
    return { value: parseStoredFile(bytes, file.path, file.kind) }
  } catch (error) {
    expect(error).toBeInstanceOf(QuireError)
    return { error: error as QuireError }
  }
}

function expectRefusal(outcome: ReturnType<typeof read>, path: string, lines: number): QuireError {
  expect(outcome).toHaveProperty('error')
  const error = (outcome as { error: QuireError }).error
  expect(error.path).toBe(path)
  expect(error.message).toContain(path)
  expect(['corrupt-store', 'unsupported-version']).toContain(error.code)
  if (error.line !== undefined) {
    expect(error.line).toBeGreaterThanOrEqual(1)
    expect(error.line).toBeLessThanOrEqual(lines)
  }
  return error
}

afterEach(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
})

const byteMutation = fc.oneof(
  fc.nat().map((at) => (bytes: Uint8Array) => bytes.subarray(0, at % (bytes.length + 1))),
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, value]) => (bytes: Uint8Array) => {
    const copy = Uint8Array.from(bytes)
    copy[at % copy.length] = value
    return copy
  }),
  fc.tuple(fc.nat(), fc.constantFrom('\uFEFF', 'NaN', '-1', '1e400', '0.5', '"x"', '{', '[', '"__proto__":{"polluted":1},', '\u0000', '\r'))
    .map(([at, insert]) => (bytes: Uint8Array) => {
      const index = at % (bytes.length + 1)
      return Uint8Array.from([...bytes.subarray(0, index), ...encode(insert), ...bytes.subarray(index)])
    })
)

describe('stored project files under fuzzing', () => {
  it('either reads a mutated file into valid data or refuses it with a QuireError naming the file and a real line', () => {
    fc.assert(
      fc.property(fc.constantFrom(...validFiles), fc.array(byteMutation, { minLength: 1, maxLength: 3 }), fc.boolean(), (file, mutations, pretty) => {
        const original = encode(JSON.stringify(file.data, null, pretty ? 2 : undefined))
        const bytes = mutations.reduce((current, mutate) => mutate(current), original)
        const outcome = read(bytes, file)
        if ('value' in outcome) {
          // Whatever was accepted is what the schema accepts: reading it again gives the same.
          expect(file.kind.schema.safeParse(outcome.value).success).toBe(true)
        } else {
          const lines = new TextDecoder().decode(bytes).split('\n').length
          expectRefusal(outcome, file.path, lines)
        }
      }),
      { seed: SEED, numRuns: 300 }
    )
  })

  it('reads the unmutated files (the oracle is not vacuous)', () => {
    for (const file of validFiles) expect(read(encode(JSON.stringify(file.data)), file)).toHaveProperty('value')
  })
})

describe('stored project files: hand-made nasty cases', () => {
  const [project, document, layer] = validFiles as [(typeof validFiles)[0], (typeof validFiles)[0], (typeof validFiles)[0]]
  const withAnnotation = (changes: Record<string, unknown>): Uint8Array => {
    const data = structuredClone(layer.data) as { annotations: Array<Record<string, unknown>> }
    data.annotations[0] = { ...data.annotations[0], ...changes }
    return encode(JSON.stringify(data, null, 2))
  }

  it('refuses 100 000 nested brackets with a line instead of overflowing the stack', () => {
    for (const deep of ['['.repeat(100_000), `{"format":${'['.repeat(100_000)}`, '{"a":'.repeat(100_000)]) {
      const error = expectRefusal(read(encode(deep), project), project.path, 1)
      expect(error.line).toBe(1)
      expect(error.message).toMatch(/nested more than 1000 levels|ends too early/)
    }
    // Valid but absurdly deep JSON parses, then fails validation by field name.
    const valid = `{"format":"quire-project","schemaVersion":1,"name":${'['.repeat(50_000)}${']'.repeat(50_000)},"createdAt":"${NOW}"}`
    expect(expectRefusal(read(encode(valid), project), project.path, 1).message).toContain('field "name"')
    expect(findJsonSyntaxError(`${'['.repeat(999)}${']'.repeat(999)}`)).toBeNull()
  })

  it('finds a syntax error at the end of a 10^6-character line, with its line', () => {
    const long = `{"format":"quire-project","schemaVersion":1,\n"name":"${'n'.repeat(1_000_000)}",\n"createdAt":"${NOW}",}`
    const error = expectRefusal(read(encode(long), project), project.path, 3)
    expect(error.line).toBe(3)
    expect(error.message).toMatch(/line 3, column \d+/)
  })

  it('ignores "__proto__" and "constructor" keys and pollutes nothing', () => {
    const hostile = `{"__proto__":{"polluted":1,"format":"quire-project"},"constructor":{"prototype":{"polluted":2}},
      "format":"quire-project","schemaVersion":1,"name":"P","createdAt":"${NOW}","tags":[{"__proto__":{"polluted":3},
      "id":"PERSON","label":"Person","shortLabel":"PER","key":"1","color":"#E69F00"}]}`
    const outcome = read(encode(hostile), project)
    expect(outcome).toHaveProperty('value')
    const value = (outcome as { value: Record<string, unknown> }).value
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(Object.keys(value).sort()).toEqual(['createdAt', 'format', 'name', 'schemaVersion', 'tags'])
    // The format must be the file's own: one only found through "__proto__" is missing.
    const inherited = `{"__proto__":{"format":"quire-project","schemaVersion":1,"name":"P","createdAt":"${NOW}"}}`
    expect(expectRefusal(read(encode(inherited), project), project.path, 1).message).toContain('its "format" is missing')
  })

  it('refuses NaN, negative, fractional, string and reversed offsets and duplicate ids, naming the field', () => {
    const cases: Array<[Uint8Array, RegExp]> = [
      [encode(new TextDecoder().decode(withAnnotation({})).replace('"start": 0', '"start": NaN')), /line \d+, column \d+/],
      [withAnnotation({ start: -1 }), /field "annotations\.0\.start"/],
      [withAnnotation({ start: 0.5 }), /field "annotations\.0\.start"/],
      [withAnnotation({ start: '0' }), /field "annotations\.0\.start"/],
      [withAnnotation({ end: 1e400 }), /field "annotations\.0\.end"/],
      [withAnnotation({ start: 4, end: 0 }), /an annotation ends before it starts/],
      [withAnnotation({ id: 'a-2' }), /two annotations have the same id/],
      [withAnnotation({ id: '../../x' }), /field "annotations\.0\.id"/]
    ]
    for (const [bytes, message] of cases) {
      const error = expectRefusal(read(bytes, layer), layer.path, 100)
      expect(error.message).toMatch(message)
    }
  })

  it('refuses invalid UTF-8, a BOM inside the JSON and an empty or truncated file', () => {
    const valid = encode(JSON.stringify(document.data, null, 2))
    expect(expectRefusal(read(Uint8Array.from([...valid.subarray(0, 20), 0xc3, 0x28, ...valid.subarray(20)]), document), document.path, 100).message).toContain('not UTF-8')
    // A leading BOM is what Windows editors add; it is accepted. One further in is a syntax error with its line.
    expect(read(Uint8Array.from([0xef, 0xbb, 0xbf, ...valid]), document)).toHaveProperty('value')
    const midBom = new TextDecoder().decode(valid).replace('"name"', '\uFEFF"name"')
    expect(expectRefusal(read(encode(midBom), document), document.path, 100).line).toBe(5)
    expect(expectRefusal(read(encode('  \n'), document), document.path, 2).message).toContain('it is empty')
    const truncated = expectRefusal(read(valid.subarray(0, valid.length - 3), document), document.path, 100)
    expect(truncated.message).toMatch(/cut short/)
  })

  it('refuses a document id that would leave the documents folder', () => {
    for (const id of ['../escape', '..', 'a/b', 'a\\b', '/etc', 'CON', 'doc\u0000', '']) {
      const data = { ...(document.data as Record<string, unknown>), id }
      expect(expectRefusal(read(encode(JSON.stringify(data)), document), document.path, 1).message).toContain('field "id"')
    }
  })
})

/** Every file below `dir` with a hash of its bytes: "nothing written" means this does not change. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  const result: Record<string, string> = {}
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name)
    const key = relative(dir, path)
    result[key] = entry.isFile() ? createHash('sha256').update(await readFile(path)).digest('hex') : 'folder'
  }
  return result
}

describe('the store and import service on hostile files write nothing', () => {
  it('leaves a project with damaged files byte for byte as it was', async () => {
    const root = await makeTempFolder()
    const dir = join(root, 'project')
    await ProjectStore.create(dir, 'Damaged').then((store) => store.close())
    const documentDir = join(dir, 'documents', 'doc-1')
    await mkdir(join(documentDir, 'annotations'), { recursive: true })
    await writeFile(join(documentDir, 'text.txt'), TEXT)
    await writeFile(join(documentDir, 'document.json'), JSON.stringify(document()))
    const store = await ProjectStore.open(dir)
    const record = await store.readRecord('doc-1')
    const hostileLayers = [
      '['.repeat(100_000),
      '{"format":"quire-annotations","schemaVersion":1,"__proto__":{"polluted":1}}',
      JSON.stringify({ ...validFiles[2]?.data, annotations: [{ ...annotation(), start: 0, end: 9_999_999 }] }),
      JSON.stringify({ ...validFiles[2]?.data, annotator: 'mallory' })
    ]
    const realLayerPath = join(documentDir, 'annotations', annotatorFileName('ayla', (name) => sha256Hex(name)))
    for (const content of hostileLayers) {
      await writeFile(realLayerPath, content)
      const before = await snapshot(dir)
      const attempt = await store.annotationLayer(record, 'ayla').then(
        // Any write at all would show in the snapshot; the content of the change does not matter.
        (layer) => layer.update((draft) => (draft.status = 'done')),
        (error: unknown) => error
      )
      expect(attempt, content.slice(0, 60)).toBeInstanceOf(QuireError)
      expect((attempt as QuireError).path).toBe(realLayerPath)
      expect(await snapshot(dir)).toEqual(before)
    }
    await store.close()

    function document(): object {
      return validFiles[1]?.data as object
    }
    function annotation(): Record<string, unknown> {
      return { id: 'a-1', tag: 'PERSON', text: 'Emin', annotator: 'ayla', createdAt: NOW, updatedAt: NOW }
    }
  })

  it('imports valid texts and writes nothing for refused ones, whatever the bytes and the name', async () => {
    const root = await makeTempFolder()
    const settings = await SettingsService.open(join(root, 'user-data'))
    const projects = new ProjectService(settings)
    const dir = join(root, 'project')
    await projects.create(dir, 'Imports')
    const imports = new ImportService(projects, 4096)
    const hostileName = fc.oneof(
      fc.constantFrom('../../escape.txt', '/etc/passwd', 'C:\\Windows\\win.ini', 'CON', 'nul.txt', 'COM1.txt', 'name. . .', 'x\u0000y.txt',
        '\u202Egnp.txt', 'a\u200Bb.txt', '<img src=x onerror=alert(1)>.txt', '__proto__', 'constructor.txt', '..', '.', 'ｃｏｎ.txt', 'Å.txt'),
      fc.string({ maxLength: 300 }).filter((name) => name.length > 0)
    )
    const hostileBytes = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }).map(encode),
      fc.constant(new Uint8Array(5000).fill(0x61))
    )
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ name: hostileName, bytes: hostileBytes }), { minLength: 1, maxLength: 4 }), async (files) => {
        const before = await snapshot(join(dir, 'documents'))
        const report = await imports.importTexts(files, 'ayla')
        const after = await snapshot(join(dir, 'documents'))
        expect(report.imported.length + report.refused.length + report.duplicates.length).toBe(files.length)
        const added = Object.keys(after).filter((path) => !(path in before))
        const addedFolders = new Set(added.map((path) => path.split(/[\\/]/)[0]))
        expect([...addedFolders].sort()).toEqual(report.imported.map((entry) => entry.documentId).sort())
        for (const path of Object.keys(before)) expect(after[path], path).toBe(before[path])
        for (const refused of report.refused) expect(refused.reason).toContain(`"${refused.fileName}"`)
        for (const imported of report.imported) {
          expect(imported.documentId).toMatch(/^[a-z0-9][a-z0-9-]{0,99}$/)
          expect(imported.fileName).not.toMatch(/[\\/]/)
        }
      }),
      { seed: SEED, numRuns: 25 }
    )
  })
})
