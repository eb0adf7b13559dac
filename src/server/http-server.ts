// The browser edition's HTTP server: the built renderer and POST /api/<method>, on 127.0.0.1
// only, each request guarded by request-guard.ts and each call parsed by api-dispatch.ts.
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isKnownApiMethod, type ApiCallOutcome } from '../main/api-dispatch'
import { ApiCallsWithStartAhead } from '../main/startup-ahead'
import { whileAnswering } from '../main/services/calls-in-progress'
import { answersWithContent } from '../shared/api-payloads'
import { CONTENT_FRAME_MEDIA_TYPE, isContentFrame } from '../shared/content-frame'
import { CONTENT_SECURITY_POLICY } from '../main/security'
import type { QuireApiCalls } from '../shared/api'
import { bytesReplacer, reviveBytes } from './json-bytes'
import { decideAccess } from './request-guard'
import { contentTypeFor, resolveStaticPath } from '../main/static-files'
import { fileEtag, readBuiltAssets, type BuiltAsset } from './built-assets'

/** Large enough for a batch of imported texts as base64 (4/3 of their size). */
export const MAX_API_BODY_BYTES = 64 * 1024 * 1024
export const API_PATH_PREFIX = '/api/'

export interface QuireHttpServerOptions {
  backend: QuireApiCalls
  /** out/renderer: the built renderer. */
  rendererDir: string
  token: string
  /** 0 (the default) picks a free port. */
  port?: number
  maxBodyBytes?: number
  /** START_DOCUMENT_MAX_CHARACTERS unless given (tests). */
  startDocumentMaxCharacters?: number
}

/**
 * The longest first document (in characters) a start carries. The page asks for its start by its
 * own fetch, so it never waits for its request worker to start (~50 ms of a core on a slow
 * machine, while the page compiles its scripts); but a long document's frame would be taken in on
 * the window's thread (a 5 MB text's 6.3 MB frame: 40-100 ms in one or two tasks; a 1 MB text's
 * made the opening's longest freeze 55-59 ms on the bench machine, against 43-47 through the
 * worker, while opening 10-40 ms sooner). A start goes without a longer one and names it
 * (OPEN_NEXT_HEADER); main reads and frames it at once, while the page starts its worker to ask
 * for it (src/renderer/early-start.js).
 */
export const START_DOCUMENT_MAX_CHARACTERS = 500_000
/** The layer a start left out, as URI-encoded JSON ({documentId, annotator}: a name may be any text). */
export const OPEN_NEXT_HEADER = 'X-Quire-Open-Next'

export interface RunningHttpServer {
  port: number
  close(): Promise<void>
}

const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY'
}

class RequestBodyTooLarge extends Error {}

export async function startQuireHttpServer(options: QuireHttpServerOptions): Promise<RunningHttpServer> {
  let port = 0
  const assets = await readBuiltAssets(options.rendererDir, isContentHashedAsset)
  const calls = new ApiCallsWithStartAhead(options.backend, { startDocumentMaxCharacters: options.startDocumentMaxCharacters ?? START_DOCUMENT_MAX_CHARACTERS })
  const server = createServer((request, response) => {
    handleRequest(request, response, { ...options, port, assets, calls }).catch((error: unknown) => {
      console.error('Quire: request failed:', error)
      if (!response.headersSent) sendText(response, 500, 'Internal error')
      else response.destroy()
    })
  })
  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`Port ${options.port} on 127.0.0.1 is already in use; choose another with --port, or leave --port out to use a free one`))
      } else reject(error)
    })
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.removeAllListeners('error')
      resolvePromise()
    })
  })
  port = (server.address() as AddressInfo).port
  return { port, close: () => closeServer(server) }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.close((error) => (error ? reject(error) : resolvePromise()))
    server.closeAllConnections()
  })
}

type ServingOptions = QuireHttpServerOptions & { port: number; assets: ReadonlyMap<string, BuiltAsset>; calls: ApiCallsWithStartAhead }

async function handleRequest(
  request: IncomingMessage,
  response: ServerResponse,
  options: ServingOptions
): Promise<void> {
  const verdict = decideAccess(
    { method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers },
    { port: options.port, token: options.token }
  )
  if (verdict.kind === 'refuse') {
    request.resume()
    return sendText(response, verdict.status, verdict.reason)
  }
  if (verdict.kind === 'store-token-and-redirect') {
    response.writeHead(303, {
      ...COMMON_HEADERS,
      Location: verdict.location,
      'Set-Cookie': verdict.setCookie,
      'Cache-Control': 'no-store'
    })
    return void response.end()
  }
  if (verdict.pathname.startsWith(API_PATH_PREFIX)) {
    if (request.method !== 'POST') {
      request.resume()
      return sendText(response, 405, 'API calls are POST requests')
    }
    return handleApiCall(request, response, verdict.pathname.slice(API_PATH_PREFIX.length), options)
  }
  if (request.method === 'POST') {
    request.resume()
    return sendText(response, 405, 'Only API calls are POST requests')
  }
  // The page and its files are answered before background slices too, as API calls are.
  const held = options.assets.get(verdict.pathname)
  if (held) return serveBuiltAsset(request, response, verdict.pathname, held)
  // The page's first call will be its start: main reads it while the page loads its scripts.
  return whileAnswering(() => serveStaticFile(request, response, verdict.pathname, options.rendererDir, () => options.calls.beginStart()))
}

async function handleApiCall(
  request: IncomingMessage,
  response: ServerResponse,
  method: string,
  options: ServingOptions
): Promise<void> {
  const contentType = request.headers['content-type'] ?? ''
  // Only JSON: an HTML form cannot send it, so forms on other sites cannot reach the API.
  if (!/^application\/json(\s*;|$)/i.test(contentType)) {
    request.resume()
    return sendText(response, 415, 'API calls send application/json')
  }
  let body: string
  try {
    body = await readBody(request, options.maxBodyBytes ?? MAX_API_BODY_BYTES)
  } catch (error) {
    if (error instanceof RequestBodyTooLarge) {
      const limitMb = Math.round((options.maxBodyBytes ?? MAX_API_BODY_BYTES) / 1024 / 1024)
      return sendOutcome(response, 413, {
        ok: false,
        error: { code: 'invalid-argument', message: `The request is larger than the ${limitMb} MB one call may send; import fewer files at a time` }
      })
    }
    throw error
  }
  let args: unknown
  let heldText: unknown
  try {
    const parsed = JSON.parse(body) as unknown
    args = typeof parsed === 'object' && parsed !== null && 'args' in parsed ? reviveBytes(parsed.args) : undefined
    // The text the window holds of the document asked for (src/shared/held-texts.ts); checked in dispatch.
    heldText = typeof parsed === 'object' && parsed !== null && 'heldText' in parsed ? parsed.heldText : undefined
  } catch (error) {
    return sendOutcome(response, 400, {
      ok: false,
      error: { code: 'invalid-argument', message: `The request body is not valid JSON: ${(error as Error).message}` }
    })
  }
  // Errors from the call itself travel as {ok:false} with status 200: the transport worked.
  const outcome = await options.calls.dispatch(method, args, heldText)
  // A document's content goes as the bytes of its frame (src/shared/content-frame.ts), not as JSON.
  if (outcome.ok && isKnownApiMethod(method) && answersWithContent(method) && isContentFrame(outcome.value)) return sendFrame(response, outcome.value)
  if (outcome.ok && outcome.leftOut) {
    const { leftOut, ...sent } = outcome
    // Already framed, or being framed, for the page's request (src/main/startup-ahead.ts).
    return sendOutcome(response, 200, sent, { [OPEN_NEXT_HEADER]: encodeURIComponent(JSON.stringify(leftOut)) })
  }
  return sendOutcome(response, 200, outcome)
}

function readBody(request: IncomingMessage, limitBytes: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const declared = Number(request.headers['content-length'])
    if (Number.isFinite(declared) && declared > limitBytes) {
      request.resume()
      return reject(new RequestBodyTooLarge())
    }
    const chunks: Buffer[] = []
    let received = 0
    let refused = false
    request.on('data', (chunk: Buffer) => {
      if (refused) return
      received += chunk.length
      if (received > limitBytes) {
        refused = true
        chunks.length = 0
        reject(new RequestBodyTooLarge())
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => {
      if (!refused) resolvePromise(Buffer.concat(chunks).toString('utf8'))
    })
    request.on('error', reject)
  })
}

function sendOutcome(response: ServerResponse, status: number, outcome: ApiCallOutcome, extraHeaders: Record<string, string> = {}): void {
  const body = JSON.stringify(outcome, bytesReplacer)
  response.writeHead(status, {
    ...COMMON_HEADERS,
    ...extraHeaders,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store'
  })
  response.end(body)
}

function sendFrame(response: ServerResponse, frame: Uint8Array): void {
  response.writeHead(200, {
    ...COMMON_HEADERS,
    'Content-Type': CONTENT_FRAME_MEDIA_TYPE,
    'Content-Length': frame.byteLength,
    'Cache-Control': 'no-store'
  })
  response.end(frame)
}

function sendText(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, {
    ...COMMON_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(message),
    'Cache-Control': 'no-store'
  })
  response.end(message)
}

async function serveStaticFile(
  request: IncomingMessage,
  response: ServerResponse,
  pathname: string,
  rendererDir: string,
  servingPage: () => void
): Promise<void> {
  const filePath = resolveStaticPath(rendererDir, pathname)
  if (filePath === null) return sendText(response, 404, 'Not found')
  const fileStat = await stat(filePath).catch(() => null)
  if (!fileStat?.isFile()) {
    // Browsers ask for /favicon.ico on their own; "no icon" is not an error worth a red console line.
    if (pathname === '/favicon.ico') return void response.writeHead(204, COMMON_HEADERS).end()
    return sendText(response, 404, 'Not found')
  }
  if (filePath.endsWith('.html')) return servePage(request, response, filePath, servingPage)
  // A built file named by its content's hash is kept for good, so a window opened again takes the
  // bundle and V8's compiled code of it from the browser's caches without asking (issue 12); any
  // other file is asked for each time and answered 304 while unchanged.
  const cacheControl = isContentHashedAsset(pathname) ? 'private, max-age=31536000, immutable' : 'private, no-cache'
  const etag = fileEtag(fileStat.size, fileStat.mtimeMs)
  if (request.headers['if-none-match'] === etag) {
    response.writeHead(304, { ...COMMON_HEADERS, ETag: etag, 'Cache-Control': cacheControl })
    return void response.end()
  }
  response.writeHead(200, {
    ...COMMON_HEADERS,
    'Content-Type': contentTypeFor(filePath),
    'Content-Length': fileStat.size,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Cache-Control': cacheControl,
    ETag: etag
  })
  if (request.method === 'HEAD') return void response.end()
  await new Promise<void>((resolvePromise, reject) => {
    const stream = createReadStream(filePath)
    stream.on('error', reject)
    response.on('close', resolvePromise)
    stream.pipe(response)
  })
}

/**
 * The page, never cached (it is only reachable with this launch's token), sent whole before the
 * window's start is begun: begun first, the start's own file reads queued ahead of the page's in
 * libuv's thread pool and its synchronous work ran before the page was written.
 */
async function servePage(request: IncomingMessage, response: ServerResponse, filePath: string, servingPage: () => void): Promise<void> {
  const page = await readFile(filePath)
  response.writeHead(200, {
    ...COMMON_HEADERS,
    'Content-Type': contentTypeFor(filePath),
    'Content-Length': page.byteLength,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Cache-Control': 'no-store'
  })
  response.end(request.method === 'HEAD' ? undefined : page)
  if (request.method !== 'HEAD') servingPage()
}

/** A built file held in memory: answered as serveStaticFile answers it, in one write. */
function serveBuiltAsset(request: IncomingMessage, response: ServerResponse, pathname: string, asset: BuiltAsset): void {
  const cacheControl = 'private, max-age=31536000, immutable'
  if (request.headers['if-none-match'] === asset.etag) {
    response.writeHead(304, { ...COMMON_HEADERS, ETag: asset.etag, 'Cache-Control': cacheControl })
    return void response.end()
  }
  response.writeHead(200, {
    ...COMMON_HEADERS,
    'Content-Type': contentTypeFor(pathname),
    'Content-Length': asset.bytes.length,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Cache-Control': cacheControl,
    ETag: asset.etag
  })
  if (request.method === 'HEAD') return void response.end()
  response.end(asset.bytes)
}

/** Vite names what it builds under assets/ after the content's hash (index-Cn6AsPub.js): such a name never changes content. */
export function isContentHashedAsset(pathname: string): boolean {
  return /^\/assets\/[\w.-]+-[\w-]{8}\.(js|css|woff2?|svg|png)$/.test(pathname)
}
