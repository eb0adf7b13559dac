// Names that come from imports or the browser API can never address anything outside the
// project folder: document ids (API schema, store, generated ids), annotator file names,
// imported file names and the browser edition's static paths.
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { uniqueBaseName } from '../../src/core/formats/brat'
import { annotatorFileName, DOCUMENT_ID_PATTERN, documentIdFromName } from '../../src/core/ids'
import { dispatchApiCall } from '../../src/main/api-dispatch'
import { documentIdOfPath, ProjectStore, sha256Hex } from '../../src/main/store/project-store'
import { resolveStaticPath } from '../../src/main/static-files'
import { QuireError, type QuireApiCalls } from '../../src/shared/api'
import { documentIdSchema } from '../../src/shared/api-schemas'
import { makeTempFolder } from '../fixtures/temp-folder'

const SEED = 7_2026
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i

/** Ids an attacker would try: traversal, absolute paths, NUL, device names, trimmed endings, lookalikes. */
const HOSTILE_IDS = [
  '..', '.', '../x', '..%2fx', 'a/../../b', 'a/b', 'a\\b', '/etc/passwd', 'C:\\Windows', 'c:', '\\\\server\\share',
  'doc\u0000', '\u0000', '', ' ', 'doc.', 'doc ', 'doc. . .', '.hidden', '-leading-dash',
  'con', 'CON', 'nul', 'prn', 'aux', 'com1', 'COM9', 'lpt1', 'con.txt', 'nul.json',
  'x'.repeat(101), 'x'.repeat(5000), 'Doc', 'ＣＯＮ', 'ｃｏｎ', '\u2024\u2024', '\uFF0E\uFF0E', 'a\u2215b', 'a\u29F8b',
  'ﬁle', 'café', 'cafe\u0301', 'ı', '\u202Egnp', 'a\u200Bb', '__proto__'
]

function stubBackend(): { backend: QuireApiCalls; calls: string[] } {
  const calls: string[] = []
  const backend = new Proxy({} as QuireApiCalls, {
    get: (_target, name) => async () => {
      calls.push(String(name))
      return null
    }
  })
  return { backend, calls }
}

describe('document ids', () => {
  it.each(HOSTILE_IDS)('refuses %j in the API schema, the store pattern and the store', async (id) => {
    // Ids that are merely unusual (uppercase, accents, lookalikes) are refused too: the id
    // alphabet is ASCII lowercase, so no normalisation can turn an accepted id into another.
    expect(documentIdSchema.safeParse(id).success).toBe(false)
    expect(DOCUMENT_ID_PATTERN.test(id)).toBe(false)
    const store = await openStore()
    expect(() => store.documentFolder(id)).toThrow(QuireError)
    await store.close()
  })

  it.each(HOSTILE_IDS)('refuses %j at the API choke point before any service runs', async (id) => {
    const { backend, calls } = stubBackend()
    for (const [method, args] of [
      ['getDocument', [id]],
      ['setDocumentStatus', [id, 'done']],
      ['applyAnnotationEdits', [id, [{ op: 'delete', id: 'a-1' }]]]
    ] as const) {
      await expect(dispatchApiCall(backend, method, args)).rejects.toMatchObject({ code: 'invalid-argument' })
    }
    expect(calls).toEqual([])
  })

  it('accepts only ids that name a direct child of documents/ (any string)', () => {
    const documents = resolve('/projects/p/documents')
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 120 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom(...HOSTILE_IDS)), (id) => {
        const accepted = documentIdSchema.safeParse(id).success
        expect(DOCUMENT_ID_PATTERN.test(id)).toBe(accepted)
        if (!accepted) return
        const folder = resolve(documents, id)
        expect(relative(documents, folder)).toBe(id)
        expect(id).not.toMatch(WINDOWS_RESERVED)
        expect(id).toBe(id.normalize('NFKC').toLowerCase())
      }),
      { seed: SEED, numRuns: 500 }
    )
  })

  it('generates a safe, non-reserved id from any file name, however hostile', () => {
    const taken = new Set<string>()
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom(...HOSTILE_IDS, 'CON.txt', 'nul', 'COM1.log', '../../etc/passwd')), (name) => {
        const id = documentIdFromName(name, taken)
        expect(documentIdSchema.safeParse(id).success).toBe(true)
        expect(id).not.toMatch(WINDOWS_RESERVED)
        expect(id.length).toBeLessThanOrEqual(100)
      }),
      { seed: SEED, numRuns: 300 }
    )
  })
})

describe('annotator file names', () => {
  it('are one safe file name for any annotator name', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('..', '../../x', 'CON', 'nul', 'a/b', 'C:\\x', '\u0000', 'Å', 'A\u030A')), (annotator) => {
        const name = annotatorFileName(annotator, sha256Hex)
        expect(name).toMatch(/^[a-z0-9][a-z0-9-]*-[0-9a-f]{8}\.json$/)
        expect(name.length).toBeLessThanOrEqual(60)
        expect(name.replace(/\.json$/, '')).not.toMatch(WINDOWS_RESERVED)
      }),
      { seed: SEED, numRuns: 300 }
    )
    // NFC and NFD spellings of one name are different people to the hash, never one file by accident.
    expect(annotatorFileName('Å', sha256Hex)).not.toBe(annotatorFileName('A\u030A', sha256Hex))
  })
})

describe('project folders on disk', () => {
  it('ignores folders and links under documents/ whose names are not ids', async () => {
    const root = await makeTempFolder()
    const outside = join(root, 'outside')
    await mkdir(outside)
    await writeFile(join(outside, 'document.json'), '{}')
    const store = await openStore(join(root, 'project'))
    const documents = join(store.dir, 'documents')
    for (const name of ['con', 'NUL', '..hidden', 'Upper', 'with space', 'dot.ted']) await mkdir(join(documents, name))
    // A link inside the project pointing outside it must not become a document.
    await symlink(outside, join(documents, 'linked-1'), 'dir')
    expect(await store.documentFolderNames()).toEqual([])
    expect(await store.listDocuments()).toEqual([])
    expect(await store.removeAbandonedImports()).toEqual([])
    await store.close()
  })
})

describe('browser edition static files', () => {
  const buildRoot = resolve('/srv/quire/out/renderer')
  const inside = (path: string): boolean => path.startsWith(buildRoot + sep)

  it.each([
    '/%252e%252e/package.json',
    '/%EF%BC%8E%EF%BC%8E/package.json',
    '/%E2%80%A4%E2%80%A4/package.json',
    '/CON',
    '/nul.js',
    '/assets/.',
    '/./././index.html',
    `/${'a/'.repeat(2000)}x`
  ])('keeps %j inside the build or refuses it', (path) => {
    const resolved = resolveStaticPath(buildRoot, path)
    if (resolved !== null) expect(inside(resolved)).toBe(true)
  })

  it('never resolves any URL path outside the build', () => {
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '%2e%2e', '%2E.', '.%2e', '%2f', '%5c', '%00', '', 'assets', 'index.html', '%252e', 'C:', '~'),
      fc.string({ maxLength: 6 })
    )
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), fc.boolean(), (segments, leadingSlash) => {
        const path = `${leadingSlash ? '/' : ''}${segments.join('/')}`
        const resolved = resolveStaticPath(buildRoot, path)
        if (resolved === null) return
        expect(isAbsolute(resolved)).toBe(true)
        expect(inside(resolved)).toBe(true)
      }),
      { seed: SEED, numRuns: 1000 }
    )
  })
})

async function openStore(dir?: string): Promise<ProjectStore> {
  const projectDir = dir ?? join(await makeTempFolder(), 'project')
  return ProjectStore.create(projectDir, 'Paths')
}

describe('export file names (brat .txt/.ann, TEI .xml)', () => {
  it('are one safe, distinct file name for any document name', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 300 }),
            fc.string({ unit: 'grapheme', maxLength: 200 }),
            fc.constantFrom('..', '.', '', ' ', 'CON', 'con.txt', 'Nul .txt', 'com1', 'LPT9.tar.gz', 'a/b', 'C:\\x', 'x\u0000y', 'caf\u00e9', 'cafe\u0301', 'Report', 'report', '\u202Egnp.exe', 'name. . .', '😀'.repeat(200))
          ),
          { maxLength: 12 }
        ),
        (names) => {
          const used = new Set<string>()
          const seen = new Set<string>()
          for (const name of names) {
            const base = uniqueBaseName(name, used)
            expect(base.length).toBeGreaterThan(0)
            expect(base).not.toMatch(/[<>:"/\\|?*\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/)
            expect(base).not.toMatch(/^\.|[. ]$/)
            expect(base).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)( *\.|$)/i)
            expect(base).toBe(base.normalize('NFC'))
            expect(Array.from(base).length).toBeLessThanOrEqual(160)
            expect(base).not.toMatch(/[\uD800-\uDFFF]/u)
            // Unique as a case- and normalization-insensitive file system sees it.
            const key = base.normalize('NFC').toLowerCase()
            expect(seen.has(key)).toBe(false)
            seen.add(key)
          }
        }
      ),
      { seed: SEED, numRuns: 300 }
    )
  })
})

describe('documentIdOfPath', () => {
  it('names the document whose folder holds a path, and no document for any other path', () => {
    const project = resolve('/projects/corpus')
    expect(documentIdOfPath(project, join(project, 'documents', 'doc-1', 'annotations', 'leyla.json'))).toBe('doc-1')
    expect(documentIdOfPath(project, join(project, 'documents', 'doc-1'))).toBe('doc-1')
    expect(documentIdOfPath(project, join(project, 'documents'))).toBeNull()
    expect(documentIdOfPath(project, join(project, 'project.json'))).toBeNull()
    expect(documentIdOfPath(project, join(project, '.quire', 'documents', 'doc-1'))).toBeNull()
    expect(documentIdOfPath(project, join(resolve('/projects/other'), 'documents', 'doc-1', 'text.txt'))).toBeNull()
  })
})
