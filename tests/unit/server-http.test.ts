// The browser edition's server end to end in Node: the real QuireBackend in temp folders,
// reached through the real HTTP client, plus raw requests the client would never send.
import { createHash } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { startBrowserEdition, type RunningBrowserEdition } from '../../src/server/browser-edition'
import { bytesReplacer, reviveBytes } from '../../src/server/json-bytes'
import { createHttpApi, planImportBatches } from '../../src/renderer/src/lib/http-api'
import { CONTENT_SECURITY_POLICY } from '../../src/main/security'
import { QuireError } from '../../src/shared/api'
import { asUtf16 } from '../../src/shared/model'
import { makeTempFolder } from '../fixtures/temp-folder'
import { changeSetFromSpecs } from '../../src/core/text-edit/change-set'
import { HeldTexts } from '../../src/shared/held-texts'

const running: RunningBrowserEdition[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((edition) => edition.close()))
})

async function startInTempFolders(options: { maxBodyBytes?: number; startDocumentMaxCharacters?: number } = {}) {
  const root = await makeTempFolder()
  const rendererDir = join(root, 'renderer')
  await mkdir(join(rendererDir, 'assets'), { recursive: true })
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Quire test page</title>')
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log("quire")')
  await writeFile(join(rendererDir, 'assets', 'index-Cn6AsPub.js'), 'console.log("built")')
  await writeFile(join(root, 'secret.txt'), 'outside the build')
  const edition = await startBrowserEdition({
    userDataDir: join(root, 'user-data'),
    projectDir: join(root, 'project'),
    rendererDir,
    ...options
  })
  running.push(edition)
  const api = createHttpApi({ baseUrl: `http://127.0.0.1:${edition.port}`, token: edition.token })
  return { edition, api, root }
}

interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** node:http rather than fetch: fetch normalises `..` away and will not forge Host. */
function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string }
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (response) => {
        let body = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => (body += chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
      }
    )
    request.on('error', reject)
    request.end(options.body)
  })
}

describe('browser edition server', () => {
  it('prints a 127.0.0.1 URL with a 32-byte base64url token, new per launch', async () => {
    const first = await startInTempFolders()
    const second = await startInTempFolders()
    expect(first.edition.url).toBe(`http://127.0.0.1:${first.edition.port}/?token=${first.edition.token}`)
    expect(first.edition.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(first.edition.token, 'base64url')).toHaveLength(32)
    expect(second.edition.token).not.toBe(first.edition.token)
    expect(first.edition.project?.path).toBe(join(first.root, 'project'))
  })

  it('serves every API call through the client with bytes, results and errors intact', async () => {
    const { api } = await startInTempFolders()
    expect(await api.getAppInfo()).toMatchObject({ edition: 'browser' })
    expect((await api.setAnnotatorName('Ayla')).annotatorName).toBe('Ayla')

    const text = 'Emin Amrullayev met ISESCO in Rabat.\nŞəki – “co-operation” 🙂'
    const report = await api.importTexts([
      { name: 'meeting.txt', bytes: new TextEncoder().encode(text) },
      { name: 'picture.png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]) }
    ])
    expect(report.imported.map((entry) => entry.fileName)).toEqual(['meeting.txt'])
    expect(report.refused.map((entry) => entry.fileName)).toEqual(['picture.png'])
    expect(report.refused[0]?.reason).toMatch(/picture\.png/)

    const documentId = report.imported[0]?.documentId ?? ''
    const content = await api.getDocument({ documentId, annotator: 'Ayla' })
    expect(content.text).toBe(text)
    const saved = await api.applyAnnotationEdits({ documentId, annotator: 'Ayla' }, [
      { op: 'add', annotation: { id: 'emin', start: asUtf16(0), end: asUtf16(15), tag: 'PERSON' } }
    ])
    expect(saved.saved[0]).toMatchObject({ id: 'emin', text: 'Emin Amrullayev', annotator: 'Ayla' })
    expect((await api.getDocument({ documentId, annotator: 'Ayla' })).annotations.map((annotation) => annotation.id)).toEqual(['emin'])
    await expect(api.setDocumentStatus({ documentId, annotator: 'Ayla' }, 'done')).resolves.toBeUndefined()
    expect((await api.listDocuments('Ayla'))[0]).toMatchObject({ id: documentId, status: 'done', total: 1 })

    const missing = await api.getDocument({ documentId: 'no-such-document', annotator: 'Ayla' }).catch((error: unknown) => error)
    expect(missing).toBeInstanceOf(QuireError)
    expect((missing as QuireError).code).toBe('not-found')

    const refused = await api.getDocument({ documentId: '../../etc', annotator: 'Ayla' }).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(QuireError)
    expect((refused as QuireError).code).toBe('invalid-argument')
    expect((refused as QuireError).message).toMatch(/getDocument at argument 0.documentId/)

    expect(await api.chooseProjectFolder('open')).toBeNull()
    expect(await api.chooseAndImportTexts()).toBeNull()
    await api.closeProject()
    expect(await api.getCurrentProject()).toBeNull()
  })

  it('sends a large import in batches under the body limit and still reports duplicates across them', async () => {
    const maxBodyBytes = 256 * 1024
    const { edition } = await startInTempFolders({ maxBodyBytes })
    const api = createHttpApi({ baseUrl: `http://127.0.0.1:${edition.port}`, token: edition.token, maxRequestBytes: maxBodyBytes })
    const chapter = (n: number) => new TextEncoder().encode(`Chapter ${n}\n${'ISESCO and ICESCO cooperation. '.repeat(2500)}`)
    const files = [1, 2, 3].map((n) => ({ name: `chapter-${n}.txt`, bytes: chapter(n) }))
    files.push({ name: 'chapter-1-copy.txt', bytes: chapter(1) })
    files.push({ name: 'huge.txt', bytes: new Uint8Array(300 * 1024).fill(65) })
    expect(planImportBatches(files, maxBodyBytes).batches.length).toBeGreaterThan(1)

    const report = await api.importTexts(files)
    expect(report.imported.map((entry) => entry.fileName)).toEqual(['chapter-1.txt', 'chapter-2.txt', 'chapter-3.txt'])
    expect(report.duplicates.map((entry) => entry.fileName)).toEqual(['chapter-1-copy.txt'])
    expect(report.refused).toEqual([{ fileName: 'huge.txt', reason: expect.stringMatching(/huge\.txt.*too large/) }])
  })

  it('sends at most the files one import call takes in each request', () => {
    const files = Array.from({ length: 2500 }, (_, index) => ({ name: `t${index}.txt`, bytes: new Uint8Array([104, 105]) }))
    expect(planImportBatches(files, 64 * 1024 * 1024).batches.map((batch) => batch.length)).toEqual([1000, 1000, 500])
  })

  it('leaves out a text the window holds when it opens the document again, and sends it again once it changed', async () => {
    const { edition } = await startInTempFolders()
    const baseUrl = `http://127.0.0.1:${edition.port}`
    const sent: { heldText?: unknown; bytes: number }[] = []
    const fetchMeasuring: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      if (String(input).endsWith('/api/getDocument')) {
        const body = JSON.parse(String(init?.body)) as { heldText?: unknown }
        sent.push({ heldText: body.heldText, bytes: Number(response.headers.get('Content-Length')) })
      }
      return response
    }
    const api = createHttpApi({ baseUrl, token: edition.token, fetch: fetchMeasuring, heldTexts: new HeldTexts() })
    await api.setAnnotatorName('Ayla')
    const text = `Emin Amrullayev met ISESCO in Rabat. Şəki – “co-operation” 🙂\n`.repeat(400)
    const [imported] = (await api.importTexts([{ name: 'meeting.txt', bytes: new TextEncoder().encode(text) }])).imported
    const layer = { documentId: imported?.documentId ?? '', annotator: 'Ayla' }
    const first = await api.getDocument(layer)
    // Held at once, under the digest main sent with the text.
    const again = await api.getDocument(layer)
    expect(again).toEqual(first)
    expect(again.text).toBe(text)
    expect(sent[0]?.heldText).toBeUndefined()
    expect(sent[1]?.heldText).toEqual({ documentId: layer.documentId, sha256: createHash('sha256').update(new TextEncoder().encode(text)).digest('hex') })
    expect(sent[1]?.bytes).toBeLessThan((sent[0]?.bytes ?? 0) - new TextEncoder().encode(text).byteLength + 100)

    // Edited without the new text coming back: the window still holds the old one and names it.
    const saved = await api.saveTextEdit({ documentId: layer.documentId, author: 'Ayla', baseRevision: first.revision.id, changes: changeSetFromSpecs(text, [{ from: 0, to: 4, insert: 'Dr Emin' }]), withContent: false })
    const edited = await api.getDocument(layer)
    expect(sent[2]?.heldText).toEqual(sent[1]?.heldText)
    expect(sent[2]?.bytes).toBeGreaterThan(new TextEncoder().encode(text).byteLength)
    expect(edited.text).toBe(`Dr Emin${text.slice(4)}`)
    expect(edited.revision.id).toBe(saved.revision?.id)
  })

  it('refuses a held text named with a malformed digest or on a call that opens no document, and serves the call once it is well formed', async () => {
    const { edition, api } = await startInTempFolders()
    await api.setAnnotatorName('Ayla')
    const [imported] = (await api.importTexts([{ name: 'meeting.txt', bytes: new TextEncoder().encode('Emin met ISESCO.') }])).imported
    const documentId = imported?.documentId ?? ''
    const post = (method: string, body: unknown) =>
      rawRequest(edition.port, { method: 'POST', path: `/api/${method}`, headers: { 'Content-Type': 'application/json', 'X-Quire-Token': edition.token }, body: JSON.stringify(body) })
    const malformed = await post('getDocument', { args: [{ documentId, annotator: 'Ayla' }], heldText: { documentId, sha256: 'ABC' } })
    expect(JSON.parse(malformed.body)).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/held text at argument sha256: a SHA-256 as 64 lowercase hex digits/) } })
    const elsewhere = await post('listDocuments', { args: ['Ayla'], heldText: { documentId, sha256: '0'.repeat(64) } })
    expect(JSON.parse(elsewhere.body)).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/Only getDocument may name a text/) } })
    // A digest of some other text: the text comes, in full.
    const other = await post('getDocument', { args: [{ documentId, annotator: 'Ayla' }], heldText: { documentId, sha256: '0'.repeat(64) } })
    expect(other.status).toBe(200)
    expect(other.headers['content-type']).toBe('application/vnd.quire.frame')
    expect(other.body).toContain('Emin met ISESCO.')
  })

  it("takes getStartup's answer asked for before the client existed, once, as that call's (unpacked like any)", async () => {
    const { edition } = await startInTempFolders()
    const baseUrl = `http://127.0.0.1:${edition.port}`
    const asked: string[] = []
    const fetchCounting: typeof fetch = (input, init) => {
      asked.push(String(input))
      return fetch(input, init)
    }
    const earlyStartup = fetch(`${baseUrl}/api/getStartup`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Quire-Token': edition.token }, body: '{"args":[]}' })
    const api = createHttpApi({ baseUrl, token: edition.token, fetch: fetchCounting, earlyStartup })
    const started = await api.getStartup()
    expect(asked).toEqual([])
    expect(started).toEqual(await api.getStartup())
    expect(asked).toEqual([`${baseUrl}/api/getStartup`])
  })

  it('reads the start while the page loads, and answers the page\'s getStartup with it unless another call came between', async () => {
    const { edition, api } = await startInTempFolders()
    const host = `127.0.0.1:${edition.port}`
    const readStart = vi.spyOn(edition.backend, 'getStartup')
    await rawRequest(edition.port, { path: '/', headers: { host, 'X-Quire-Token': edition.token } })
    expect(readStart).toHaveBeenCalledTimes(1)
    expect((await api.getStartup()).settings.annotatorName).toBeNull()
    expect(readStart).toHaveBeenCalledTimes(1)

    // A call before the start: the start is read after it, and shows what it did.
    await rawRequest(edition.port, { path: '/', headers: { host, 'X-Quire-Token': edition.token } })
    await api.setAnnotatorName('Ayla')
    expect((await api.getStartup()).settings.annotatorName).toBe('Ayla')
    expect(readStart).toHaveBeenCalledTimes(3)

    // The page's files and a refused page read nothing.
    await rawRequest(edition.port, { path: '/assets/app.js', headers: { host, 'X-Quire-Token': edition.token } })
    await rawRequest(edition.port, { path: '/', headers: { host } })
    expect(readStart).toHaveBeenCalledTimes(3)
  })

  it('sends a start with a large first document without it, names the layer, and answers its getDocument with what it read meanwhile', async () => {
    const { edition, api } = await startInTempFolders({ startDocumentMaxCharacters: 4096 })
    const baseUrl = `http://127.0.0.1:${edition.port}`
    await api.setAnnotatorName('Şəki Əliyeva')
    const short = 'A short note on ISESCO.'
    const long = `Emin Amrullayev met ISESCO in Rabat. “co-operation” 🙂\n`.repeat(200)
    const imported = (await api.importTexts([{ name: 'a long report.txt', bytes: new TextEncoder().encode(long) }])).imported
    const layer = { documentId: imported[0]?.documentId ?? '', annotator: 'Şəki Əliyeva' }
    const askStart = () => fetch(`${baseUrl}/api/getStartup`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Quire-Token': edition.token }, body: '{"args":[]}' })

    const readDocument = vi.spyOn(edition.backend, 'getDocument')
    const started = await askStart()
    expect(started.headers.get('Content-Type')).toBe('application/json; charset=utf-8')
    expect(JSON.parse(decodeURIComponent(started.headers.get('X-Quire-Open-Next') ?? ''))).toEqual(layer)
    const start = await createHttpApi({ baseUrl, token: edition.token, earlyStartup: Promise.resolve(started) }).getStartup()
    expect(start.firstDocument).toBeNull()
    expect(start.documents.map((document) => document.name)).toEqual(['a long report'])
    // Read once, as the start was made; the page's getDocument for that layer takes it, framed from what the start read.
    expect(readDocument).toHaveBeenCalledTimes(1)
    const content = await api.getDocument(layer)
    expect(content.text).toBe(long)
    expect(readDocument).toHaveBeenCalledTimes(1)

    // A short first document comes in the start, as a frame, and names nothing.
    await api.importTexts([{ name: 'a brief note.txt', bytes: new TextEncoder().encode(short) }])
    const whole = await askStart()
    expect(whole.headers.get('Content-Type')).toBe('application/vnd.quire.frame')
    expect(whole.headers.get('X-Quire-Open-Next')).toBeNull()
  })

  it('answers 413 with a reason when a body is over the limit, and keeps serving', async () => {
    const { edition, api } = await startInTempFolders({ maxBodyBytes: 1024 })
    const response = await rawRequest(edition.port, {
      method: 'POST',
      path: '/api/setAnnotatorName',
      headers: { host: `127.0.0.1:${edition.port}`, 'content-type': 'application/json', 'x-quire-token': edition.token },
      body: JSON.stringify({ args: ['x'.repeat(4096)] })
    })
    expect(response.status).toBe(413)
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/larger than/) } })
    expect(await api.getSettings()).toBeTruthy()
  })

  it('refuses non-JSON bodies, malformed JSON and GET on the API', async () => {
    const { edition } = await startInTempFolders()
    const headers = { host: `127.0.0.1:${edition.port}`, 'x-quire-token': edition.token }
    const form = await rawRequest(edition.port, {
      method: 'POST',
      path: '/api/closeProject',
      headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'args=[]'
    })
    expect(form.status).toBe(415)
    const broken = await rawRequest(edition.port, {
      method: 'POST',
      path: '/api/closeProject',
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{"args": ['
    })
    expect(broken.status).toBe(400)
    expect(JSON.parse(broken.body)).toMatchObject({ ok: false, error: { code: 'invalid-argument' } })
    const get = await rawRequest(edition.port, { path: '/api/getSettings', headers })
    expect(get.status).toBe(405)
    const unknown = await rawRequest(edition.port, {
      method: 'POST',
      path: '/api/openOrCreateProject',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ args: ['/'] })
    })
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: expect.stringMatching(/Unknown API call/) } })
    expect(edition.project?.path).toBeTruthy()
  })

  it('serves the page with CSP, nosniff and no-store, and built files cacheable, after trading the token for a cookie', async () => {
    const { edition, root } = await startInTempFolders()
    const host = `127.0.0.1:${edition.port}`
    const landing = await rawRequest(edition.port, { path: `/?token=${edition.token}`, headers: { host } })
    expect(landing.status).toBe(303)
    expect(landing.headers.location).toBe('/')
    const cookie = String(landing.headers['set-cookie']).split(';')[0] ?? ''
    expect(landing.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict; Path=\//)

    const page = await rawRequest(edition.port, { path: '/', headers: { host, cookie } })
    expect(page.status).toBe(200)
    expect(page.body).toContain('Quire test page')
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.headers['cache-control']).toBe('no-store')

    const script = await rawRequest(edition.port, { path: '/assets/app.js', headers: { host, cookie } })
    expect(script.status).toBe(200)
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')

    // A name without a content hash may change under the same name: the browser asks again each time.
    expect(script.headers['cache-control']).toBe('private, no-cache')
    const etag = String(script.headers.etag)
    const unchanged = await rawRequest(edition.port, { path: '/assets/app.js', headers: { host, cookie, 'if-none-match': etag } })
    expect(unchanged.status).toBe(304)
    expect(unchanged.body).toBe('')
    const stale = await rawRequest(edition.port, { path: '/assets/app.js', headers: { host, cookie, 'if-none-match': '"older"' } })
    expect(stale.status).toBe(200)
    expect(stale.body).toContain('quire')
    // A built file named by its content's hash is kept for good; without the cookie it is still refused.
    const built = await rawRequest(edition.port, { path: '/assets/index-Cn6AsPub.js', headers: { host, cookie } })
    expect(built.status).toBe(200)
    expect(built.headers['cache-control']).toBe('private, max-age=31536000, immutable')
    expect(built.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(built.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY)
    expect(built.body).toBe('console.log("built")')
    expect((await rawRequest(edition.port, { path: '/assets/index-Cn6AsPub.js', headers: { host } })).status).not.toBe(200)
    // Held in memory from the server's start (one write, not a turn of the event loop per read): it
    // never changes under its name, and is answered even once gone from the disk.
    await rm(join(root, 'renderer', 'assets', 'index-Cn6AsPub.js'))
    const held = await rawRequest(edition.port, { path: '/assets/index-Cn6AsPub.js', headers: { host, cookie } })
    expect(held.body).toBe('console.log("built")')
    expect(held.headers.etag).toBe(built.headers.etag)
    expect((await rawRequest(edition.port, { path: '/assets/index-Cn6AsPub.js', headers: { host, cookie, 'if-none-match': String(built.headers.etag) } })).status).toBe(304)

    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/index.html%00', '/assets']) {
      const escape = await rawRequest(edition.port, { path, headers: { host, cookie } })
      expect(escape.status, path).toBe(404)
      expect(escape.body, path).not.toContain('outside the build')
    }
  })
})

describe('json-bytes', () => {
  it('round-trips bytes and leaves everything else alone', () => {
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255])
    const json = JSON.stringify({ args: [[{ name: 'a.txt', bytes }], 'text', 3, null] }, bytesReplacer)
    const revived = reviveBytes((JSON.parse(json) as { args: unknown }).args) as [[{ bytes: Uint8Array }], string, number, null]
    expect(revived[0][0].bytes).toBeInstanceOf(Uint8Array)
    expect([...revived[0][0].bytes]).toEqual([...bytes])
    expect(revived.slice(1)).toEqual(['text', 3, null])
  })

  it('leaves malformed wrappers for the schema to refuse', () => {
    expect(reviveBytes({ $bytes: 'not base64!' })).toEqual({ $bytes: 'not base64!' })
    expect(reviveBytes({ $bytes: 12 })).toEqual({ $bytes: 12 })
    expect(reviveBytes({ $bytes: 'aGk=', extra: 1 })).toEqual({ $bytes: 'aGk=', extra: 1 })
  })

  it('keeps a "__proto__" key as data instead of replacing the prototype', () => {
    const revived = reviveBytes(JSON.parse('{"__proto__": {"polluted": true}, "name": "a"}')) as Record<string, unknown>
    expect(Object.getPrototypeOf(revived)).toBe(Object.prototype)
    expect(Object.keys(revived)).toEqual(['__proto__', 'name'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('startBrowserEdition on a busy port', () => {
  it('says which port is taken and how to avoid it, and releases the project', async () => {
    const { edition, root } = await startInTempFolders()
    const projectDir = join(root, 'second-project')
    const failure = await startBrowserEdition({
      userDataDir: join(root, 'user-data-2'),
      projectDir,
      rendererDir: join(root, 'renderer'),
      port: edition.port
    }).catch((error: unknown) => error)
    expect((failure as Error).message).toBe(
      `Port ${edition.port} on 127.0.0.1 is already in use; choose another with --port, or leave --port out to use a free one`
    )
    // The project it had opened is released: no lock of this computer is left in .quire.
    const localState = await readdir(join(projectDir, '.quire')).catch(() => [])
    expect(localState.filter((name) => name.startsWith('lock-'))).toEqual([])
  })
})
