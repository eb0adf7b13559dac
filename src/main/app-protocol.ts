// The desktop app's own scheme. Every file:// page shares one opaque origin with every file on
// the disk; app://quire is an origin of its own that serves the built renderer and nothing
// else, so the CSP's 'self', the navigation pin and the IPC sender check all mean "this app".
// No Electron here: index.ts hands protocol.handle's requests to respondToAppRequest.
import { promises as fsPromises } from 'node:fs'
import { sep } from 'node:path'
import { APP_HOST, APP_SCHEME } from './app-url'
import { CONTENT_SECURITY_POLICY } from './security'
import { contentTypeFor, resolveStaticPath } from './static-files'

/**
 * For protocol.registerSchemesAsPrivileged, before the app is ready. `standard` gives the
 * scheme real origins and relative URLs (module scripts and the find worker need both),
 * `secure` makes it a secure context like https, `supportFetchAPI` lets the page fetch its own
 * files, `codeCache` keeps V8's compiled code of the bundle between starts, as Chromium does
 * for http(s) pages (the browser edition's): the window then neither parses nor compiles the
 * bundle again before its first paint (issue 12). Not granted: bypassCSP, corsEnabled (nobody
 * else may read these files), allowServiceWorkers, stream.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, codeCache: true } as const

export type AppRequestTarget = { file: string } | { refused: 400 | 403 | 404 | 405; reason: string }

/**
 * The file under `rendererDir` that a request for `requestUrl` may read, or why not. Pure: the
 * path rule is resolveStaticPath's (the browser edition's), symlinks are checked by
 * respondToAppRequest.
 */
export function resolveAppRequest(requestUrl: string, method: string, rendererDir: string): AppRequestTarget {
  if (method !== 'GET' && method !== 'HEAD') return { refused: 405, reason: `${method} is not allowed` }
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return { refused: 400, reason: 'malformed URL' }
  }
  if (url.protocol !== `${APP_SCHEME}:`) return { refused: 403, reason: `not an ${APP_SCHEME}: URL` }
  if (url.hostname !== APP_HOST || url.port !== '' || url.username !== '' || url.password !== '') {
    return { refused: 403, reason: `only ${APP_SCHEME}://${APP_HOST}/ is served` }
  }
  const file = resolveStaticPath(rendererDir, url.pathname)
  return file === null ? { refused: 404, reason: 'outside the app' } : { file }
}

const COMMON_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache'
}

function refusal(status: number, reason: string): Response {
  return new Response(reason, { status, headers: { ...COMMON_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } })
}

/** Resolves a path through symlinks; null when it does not exist. */
async function realPathOrNull(path: string): Promise<string | null> {
  return fsPromises.realpath(path).catch(() => null)
}

/**
 * The response to one app:// request: the file with its type, the CSP and nosniff; 404 for a
 * missing file, a folder, or a symlink that leads out of `rendererDir`. Uses fs (not net.fetch
 * of a file:// URL) so it runs in plain Node tests; Electron's fs reads inside app.asar too.
 */
export async function respondToAppRequest(
  request: { url: string; method: string },
  rendererDir: string,
  /** Called as the page itself is answered: its first call will be its start (src/main/startup-ahead.ts). */
  servingPage: () => void = () => undefined
): Promise<Response> {
  const target = resolveAppRequest(request.url, request.method, rendererDir)
  if ('refused' in target) return refusal(target.refused, target.reason)
  const [realRoot, realFile] = await Promise.all([realPathOrNull(rendererDir), realPathOrNull(target.file)])
  if (realRoot === null || realFile === null || !realFile.startsWith(realRoot + sep)) return refusal(404, 'Not found')
  const info = await fsPromises.stat(realFile).catch(() => null)
  if (!info?.isFile()) return refusal(404, 'Not found')
  const headers = { ...COMMON_HEADERS, 'Content-Type': contentTypeFor(target.file) }
  if (request.method === 'HEAD') return new Response(null, { status: 200, headers: { ...headers, 'Content-Length': String(info.size) } })
  if (target.file.endsWith('.html')) servingPage()
  const body = await fsPromises.readFile(realFile)
  return new Response(body, { status: 200, headers: { ...headers, 'Content-Length': String(body.byteLength) } })
}
