// The browser edition's API with the right token but hostile bodies: random JSON, deep
// nesting, "__proto__" keys, wrong types for every method. Each request is answered with a
// refusal (never a 500 or a dropped connection), nothing in the project changes, and the
// server keeps serving.
import { CONTENT_FRAME_MEDIA_TYPE } from '../../src/shared/content-frame'
import { request as httpRequest } from 'node:http'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBrowserEdition, type RunningBrowserEdition } from '../../src/server/browser-edition'
import { TOKEN_HEADER } from '../../src/server/request-guard'
import { API_METHODS } from '../../src/shared/api-methods'
import { snapshotFolder } from '../fixtures/corpus-project'

const SEED = 9_2026
// Left out: dialogs (they wait for a person), and calls for which some hostile values are valid
// arguments that legitimately change state elsewhere (a typed project path, closing the
// project, the annotator's name, an export's destination).
const LEFT_OUT = /^(choose.*|showExportInFolder|createProject|openProject|openSampleProject|closeProject|setAnnotatorName|startExport)$/
const METHODS = API_METHODS.filter((method) => !LEFT_OUT.test(method))

let edition: RunningBrowserEdition
let projectDir: string
let root: string

beforeAll(async () => {
  // Not makeTempFolder: that removes its folders after each test, and this server lives for the file.
  root = await mkdtemp(join(tmpdir(), 'quire-fuzz-http-'))
  const rendererDir = join(root, 'renderer')
  await mkdir(rendererDir, { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Quire</title>')
  projectDir = join(root, 'project')
  edition = await startBrowserEdition({ userDataDir: join(root, 'user-data'), projectDir, rendererDir })
  await edition.backend.setAnnotatorName('Ayla')
  await edition.backend.importTexts([{ name: 'news.txt', bytes: new TextEncoder().encode('Emin met ISESCO.\n') }])
})
afterAll(async () => {
  await edition?.close()
  await rm(root, { recursive: true, force: true })
})

function post(method: string, body: string): Promise<{ status: number; body: string; contentType: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port: edition.port,
        method: 'POST',
        path: `/api/${method}`,
        headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: edition.token }
      },
      (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => (text += chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text, contentType: response.headers['content-type'] ?? '' }))
      }
    )
    request.on('error', reject)
    request.end(body)
  })
}

/** A refusal: 400 for bodies that are not JSON, else 200 carrying {ok:false, error} with a message. */
function expectRefused(response: { status: number; body: string }, what: string): void {
  expect([200, 400], what).toContain(response.status)
  const outcome = JSON.parse(response.body) as { ok: boolean; error?: { code: string; message: string } }
  expect(outcome.ok, what).toBe(false)
  expect(outcome.error?.message.length, what).toBeGreaterThan(0)
}

const hostileValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, -1, 0.5, 1e308, '', '../../etc/passwd', 'CON', '\u0000', '__proto__', 'constructor', '<script>'),
    fc.string({ maxLength: 20 }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'id', 'start', 'end', 'op', '$bytes', 'name', 'bytes'), tie('value'), { maxKeys: 4 })
  )
})).value

/** The document index is a cache of the documents (written when a call lists them or the project closes), not data a call may change. */
function withoutIndexCache(snapshot: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshot).filter(([path]) => !path.startsWith('.quire/document-index')))
}

describe('browser edition API under hostile bodies', () => {
  it('refuses malformed arguments to every method and changes nothing', async () => {
    const before = await snapshotFolder(projectDir)
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...METHODS), hostileValue, async (method, args) => {
        // Arrays of the right length with hostile members, and non-array args.
        const body = JSON.stringify({ args: Array.isArray(args) ? args : [args, args] })
        const response = await post(method, body)
        expect(response.status, body).not.toBe(500)
        // A document's content comes as the bytes of a frame (src/shared/content-frame.ts): an answer, not a refusal.
        if (response.contentType === CONTENT_FRAME_MEDIA_TYPE) return
        const outcome = JSON.parse(response.body) as { ok: boolean }
        // A few hostile values are valid arguments (e.g. null project name); they must not write either.
        if (outcome.ok === false) expectRefused(response, `${method} ${body}`)
      }),
      { seed: SEED, numRuns: 200 }
    )
    expect(withoutIndexCache(await snapshotFolder(projectDir))).toEqual(withoutIndexCache(before))
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('answers 100 000 nested brackets, a "__proto__" body and broken JSON with 400 or a refusal, and keeps serving', async () => {
    const before = await snapshotFolder(projectDir)
    expectRefused(await post('getDocument', `{"args":${'['.repeat(100_000)}${']'.repeat(100_000)}}`), 'deep args')
    expectRefused(await post('getDocument', '{"args":['.repeat(1) + '['.repeat(100_000)), 'deep broken JSON')
    expectRefused(await post('getDocument', '{"__proto__":{"args":["x"]},"args":[{"__proto__":{"polluted":1}}]}'), '__proto__ body')
    expectRefused(await post('applyAnnotationEdits', JSON.stringify({ args: [{ documentId: 'news', annotator: 'Ayla' }, [{ op: 'add', annotation: { id: 'a', start: 0, end: 4, tag: 'PERSON', __proto__: { note: 'x' } } }]] })), 'extra key')
    expectRefused(await post('getDocument', 'not json'), 'not JSON')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(await snapshotFolder(projectDir)).toEqual(before)
    const alive = await post('listDocuments', '{"args":["Ayla"]}')
    expect(alive.status).toBe(200)
    expect(JSON.parse(alive.body)).toMatchObject({ ok: true })
  })
})
