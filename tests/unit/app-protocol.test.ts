// The app:// protocol that serves the desktop app's renderer (docs/SECURITY.md, Electron
// checklist 18), in plain Node: the handler takes and returns web Requests/Responses, so the
// real files of a temporary build folder are served exactly as Electron would serve them.
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_SCHEME_PRIVILEGES, resolveAppRequest, respondToAppRequest } from '../../src/main/app-protocol'
import { APP_PAGE_URL } from '../../src/main/app-url'
import { RENDERER_BUILD_DIR } from '../../src/server/app-paths'
import { CONTENT_SECURITY_POLICY } from '../../src/main/security'

let rootDir: string
let rendererDir: string

const FILES: Record<string, string> = {
  'index.html': '<!doctype html><title>Quire</title>',
  'assets/index-abc.js': 'console.log(1)',
  'assets/chunk.mjs': 'export {}',
  'assets/index-abc.css': 'body{}',
  'assets/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"/>',
  'favicon.png': '\x89PNG',
  'assets/font.woff2': 'wOF2',
  'assets/data.json': '{}',
  'assets/module.wasm': '\0asm',
  'assets/notes.xyz': 'unknown kind',
  'assets/with space.js': '1'
}

beforeAll(async () => {
  rootDir = await mkdtemp(join(tmpdir(), 'quire-app-protocol-'))
  rendererDir = join(rootDir, 'out', 'renderer')
  for (const [path, content] of Object.entries(FILES)) {
    await mkdir(join(rendererDir, path, '..'), { recursive: true })
    await writeFile(join(rendererDir, path), content)
  }
  await writeFile(join(rootDir, 'secret.txt'), 'not for the page')
  await mkdir(join(rendererDir, 'assets', 'empty-folder'))
  // Links planted inside the build: one leads out of it, one stays inside.
  await symlink(join(rootDir, 'secret.txt'), join(rendererDir, 'assets', 'leak.js'))
  await symlink(join(rootDir), join(rendererDir, 'up'))
  await symlink(join(rendererDir, 'index.html'), join(rendererDir, 'assets', 'alias.html'))
})

afterAll(async () => {
  await rm(rootDir, { recursive: true, force: true })
})

const get = (url: string, method = 'GET'): Promise<Response> => respondToAppRequest({ url, method }, rendererDir)

describe('app:// page', () => {
  it('is app://quire/index.html', () => {
    expect(APP_PAGE_URL).toBe('app://quire/index.html')
  })

  it('is registered standard and secure with fetch and a code cache, and nothing that would weaken it', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ standard: true, secure: true, supportFetchAPI: true, codeCache: true })
  })
})

describe('resolveAppRequest', () => {
  it('maps app://quire/ paths to files of the build', () => {
    expect(resolveAppRequest('app://quire/index.html', 'GET', rendererDir)).toEqual({ file: join(rendererDir, 'index.html') })
    expect(resolveAppRequest('app://quire/', 'GET', rendererDir)).toEqual({ file: join(rendererDir, 'index.html') })
    expect(resolveAppRequest('app://quire/assets/index-abc.js?v=1#x', 'HEAD', rendererDir)).toEqual({ file: join(rendererDir, 'assets/index-abc.js') })
    expect(resolveAppRequest('app://quire/assets/with%20space.js', 'GET', rendererDir)).toEqual({ file: join(rendererDir, 'assets/with space.js') })
  })

  // What survives URL parsing encoded is refused outright.
  it.each([
    'app://quire/%2E%2E%2Fsecret.txt',
    'app://quire/assets/..%2f..%2fsecret.txt',
    'app://quire/assets/..%5c..%5csecret.txt',
    'app://quire/assets\\..\\..\\secret.txt',
    'app://quire/index.html%00.png',
    'app://quire/%00',
    'app://quire/%',
    'app://quire/%E0%A4%A'
  ])('refuses the path of %s', (url) => {
    expect(resolveAppRequest(url, 'GET', rendererDir)).toMatchObject({ refused: 404 })
  })

  // Plain dot segments are resolved by the URL parser (Node's here, Chromium's in the app)
  // and clamped at the root, so they can only name files inside the build.
  it.each(['app://quire/../secret.txt', 'app://quire/%2e%2e/secret.txt', 'app://quire/assets/../../../secret.txt', 'app://quire/.', 'app://quire/assets/..'])(
    'keeps %s inside the build',
    async (url) => {
      const target = resolveAppRequest(url, 'GET', rendererDir)
      if ('file' in target) expect(target.file.startsWith(rendererDir + sep)).toBe(true)
      expect(await (await get(url)).text()).not.toContain('not for the page')
    }
  )

  it('keeps absolute-looking paths inside the build', () => {
    expect(resolveAppRequest('app://quire//etc/passwd', 'GET', rendererDir)).toEqual({ file: join(rendererDir, 'etc/passwd') })
    expect(resolveAppRequest('app://quire/%2Fetc%2Fpasswd', 'GET', rendererDir)).toEqual({ file: join(rendererDir, 'etc/passwd') })
  })

  it.each([
    'app://evil/index.html',
    'app://quire.evil/index.html',
    'app://QUIRE/index.html',
    'app://quire:8080/index.html',
    'app://user@quire/index.html',
    'app://user:pw@quire/index.html',
    'app:///index.html',
    'app:index.html'
  ])('refuses the unknown host in %s', (url) => {
    expect(resolveAppRequest(url, 'GET', rendererDir)).toMatchObject({ refused: 403 })
  })

  it.each(['file:///etc/passwd', 'https://quire/index.html', 'quire://quire/index.html', 'javascript:alert(1)'])('refuses the scheme of %s', (url) => {
    expect(resolveAppRequest(url, 'GET', rendererDir)).toMatchObject({ refused: 403 })
  })

  it('refuses malformed URLs and methods that are not reads', () => {
    expect(resolveAppRequest('not a url', 'GET', rendererDir)).toMatchObject({ refused: 400 })
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      expect(resolveAppRequest(APP_PAGE_URL, method, rendererDir), method).toMatchObject({ refused: 405 })
    }
  })
})

describe('respondToAppRequest', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['assets/chunk.mjs', 'text/javascript; charset=utf-8'],
    ['assets/index-abc.css', 'text/css; charset=utf-8'],
    ['assets/logo.svg', 'image/svg+xml'],
    ['favicon.png', 'image/png'],
    ['assets/font.woff2', 'font/woff2'],
    ['assets/data.json', 'application/json; charset=utf-8'],
    ['assets/module.wasm', 'application/wasm'],
    ['assets/notes.xyz', 'application/octet-stream']
  ])('serves %s as %s, with the CSP and nosniff', async (path, type) => {
    const response = await get(`app://quire/${path}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(type)
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe(FILES[path])
  })

  it('says when it serves the page itself (its start is then read ahead), and only then', async () => {
    const served: string[] = []
    for (const [url, method] of [[APP_PAGE_URL, 'GET'], [APP_PAGE_URL, 'HEAD'], ['app://quire/assets/index-abc.js', 'GET'], ['app://quire/missing.html', 'GET']] as const) {
      await respondToAppRequest({ url, method }, rendererDir, () => served.push(`${method} ${url}`))
    }
    expect(served).toEqual([`GET ${APP_PAGE_URL}`])
  })

  it('answers HEAD with the headers and no body', async () => {
    const response = await get(APP_PAGE_URL, 'HEAD')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-length')).toBe(String(FILES['index.html']?.length))
    expect(await response.text()).toBe('')
  })

  it('answers 404 for missing files and folders', async () => {
    for (const url of ['app://quire/missing.js', 'app://quire/assets/', 'app://quire/assets/empty-folder']) {
      const response = await get(url)
      expect(response.status, url).toBe(404)
      expect(response.headers.get('x-content-type-options'), url).toBe('nosniff')
    }
  })

  it('never follows a link out of the build', async () => {
    for (const url of ['app://quire/assets/leak.js', 'app://quire/up/secret.txt']) {
      const response = await get(url)
      expect(response.status, url).toBe(404)
      expect(await response.text(), url).not.toContain('not for the page')
    }
  })

  it('follows a link that stays inside the build', async () => {
    const response = await get('app://quire/assets/alias.html')
    expect(response.status).toBe(200)
    expect(await response.text()).toBe(FILES['index.html'])
  })

  it('refuses traversal, foreign hosts and writes with their status and no file content', async () => {
    const cases: Array<[string, string, number]> = [
      ['app://quire/%2e%2e/secret.txt', 'GET', 404],
      ['app://evil/index.html', 'GET', 403],
      ['file:///etc/passwd', 'GET', 403],
      [APP_PAGE_URL, 'POST', 405]
    ]
    for (const [url, method, status] of cases) {
      const response = await get(url, method)
      expect(response.status, url).toBe(status)
      expect(response.headers.get('content-type'), url).toBe('text/plain; charset=utf-8')
      expect(response.headers.get('content-security-policy'), url).toBe(CONTENT_SECURITY_POLICY)
      expect(await response.text(), url).not.toContain('<title>')
    }
  })

  it('serves nothing when the build folder itself is missing', async () => {
    const response = await respondToAppRequest({ url: APP_PAGE_URL, method: 'GET' }, join(rootDir, 'no-build'))
    expect(response.status).toBe(404)
  })
})

// npm test builds before it tests, so this runs there; a lone vitest run without a build skips it.
describe.skipIf(!existsSync(join(RENDERER_BUILD_DIR, 'index.html')))('the real build over app://', () => {
  it('serves the page and every script, style and icon it names, relative to app://quire/', async () => {
    const page = await respondToAppRequest({ url: APP_PAGE_URL, method: 'GET' }, RENDERER_BUILD_DIR)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toBe(await readFile(join(RENDERER_BUILD_DIR, 'index.html'), 'utf8'))
    const referenced = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '')
    expect(referenced.length).toBeGreaterThanOrEqual(3)
    for (const reference of referenced) {
      const url = new URL(reference, APP_PAGE_URL).href
      expect(url.startsWith('app://quire/'), reference).toBe(true)
      const response = await respondToAppRequest({ url, method: 'GET' }, RENDERER_BUILD_DIR)
      expect(response.status, reference).toBe(200)
      expect(response.headers.get('content-type'), reference).not.toBe('application/octet-stream')
    }
  })
})
