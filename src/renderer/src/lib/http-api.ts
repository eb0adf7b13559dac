// QuireApi over HTTP, for the browser edition (src/server). The page was opened with a
// per-launch token that the server keeps in an HttpOnly cookie, so same-origin fetches carry
// it without this code ever seeing it.
import { isQuireErrorInfo, QuireError, type ApiMethod, type QuireApi, type QuireApiCalls, type QuireErrorInfo } from '../../../shared/api'
import { API_METHODS } from '../../../shared/api-methods'
import { isObject } from '../../../core/value-checks'
import { unpackApiAnswer, unpackApiAnswerInSlices } from '../../../shared/api-payloads'
import { nextTask, SLICE_TASK_MS } from './next-task'
import { CONTENT_FRAME_MEDIA_TYPE } from '../../../shared/content-frame'
import { documentAskedFor, HeldTexts } from '../../../shared/held-texts'
import { MAX_FILES_PER_IMPORT_CALL, type ImportFile, type ImportProgress, type ImportReport, type LayerRef } from '../../../shared/model'

/** What the client reads of an answer: a fetch Response, or early-start.js's answer from its worker. */
export type ApiResponse = Pick<Response, 'ok' | 'status' | 'statusText' | 'headers' | 'arrayBuffer' | 'text'>
export type ApiFetch = (url: string, init: RequestInit) => Promise<ApiResponse>

export interface HttpApiOptions {
  /** '' in the page itself (same origin); a full origin in Node tests. */
  baseUrl?: string
  /** Sent as X-Quire-Token; only for clients that cannot hold the cookie (tests, tools). */
  token?: string
  /** The page's is early-start.js's: through its request worker once that has started, by the page's own fetch before. */
  fetch?: ApiFetch
  /**
   * The server's body limit (src/server/http-server.ts MAX_API_BODY_BYTES). Imports are sent
   * in batches below it, so choosing many files at once never fails as one oversized request.
   */
  maxRequestBytes?: number
  /** getStartup's answer, asked for before this client existed (src/renderer/early-start.js): the first getStartup call takes it. */
  earlyStartup?: Promise<ApiResponse>
  /** The texts this window holds (src/shared/held-texts.ts); tests may pass their own to look into. */
  heldTexts?: HeldTexts
}

const DEFAULT_MAX_REQUEST_BYTES = 64 * 1024 * 1024
/** Room for the JSON around the base64 of a batch. */
const REQUEST_OVERHEAD_BYTES = 64 * 1024

/** Encodes in chunks: String.fromCharCode(...bytes) overflows the stack on big texts. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  const chunkSize = 0x8000
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + chunkSize))
  }
  return btoa(binary)
}

export function base64ToBytes(encoded: string): Uint8Array {
  const binary = atob(encoded)
  const bytes = new Uint8Array(binary.length)
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index)
  return bytes
}

/** JSON.stringify replacer: the server revives {"$bytes": base64} into a Uint8Array. */
function bytesReplacer(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { $bytes: bytesToBase64(value) } : value
}

function bytesReviver(_key: string, value: unknown): unknown {
  if (isObject(value)) {
    const keys = Object.keys(value)
    const encoded = value.$bytes
    if (keys.length === 1 && typeof encoded === 'string') return base64ToBytes(encoded)
  }
  return value
}

/** Base64 size of a file in a request. */
function encodedSize(file: ImportFile): number {
  return Math.ceil(file.bytes.length / 3) * 4 + file.name.length * 6 + 32
}

/**
 * Splits files into batches whose request stays under `maxRequestBytes`. A file too large
 * to send at all is returned separately so it can be refused with its size.
 */
export function planImportBatches(
  files: ImportFile[],
  maxRequestBytes: number
): { batches: ImportFile[][]; unsendable: ImportFile[] } {
  const budget = maxRequestBytes - REQUEST_OVERHEAD_BYTES
  const batches: ImportFile[][] = []
  const unsendable: ImportFile[] = []
  let current: ImportFile[] = []
  let currentSize = 0
  for (const file of files) {
    const size = encodedSize(file)
    if (size > budget) {
      unsendable.push(file)
      continue
    }
    if (current.length > 0 && (currentSize + size > budget || current.length >= MAX_FILES_PER_IMPORT_CALL)) {
      batches.push(current)
      current = []
      currentSize = 0
    }
    current.push(file)
    currentSize += size
  }
  if (current.length > 0) batches.push(current)
  return { batches, unsendable }
}

type CallOutcome<T> = { ok: true; value: T } | { ok: false; error: QuireErrorInfo }

/** The server's {ok, value|error} answer, or null when the body is something else (a proxy page, a 401 text). */
function parseOutcome<T>(body: string): CallOutcome<T> | null {
  let parsed: unknown
  try {
    // A reviver makes JSON.parse about twice as slow (150 ms more on a 5 MB document), so
    // only a body that can hold a {"$bytes": …} wrapper goes through it.
    parsed = body.includes('"$bytes"') ? JSON.parse(body, bytesReviver) : JSON.parse(body)
  } catch {
    return null
  }
  if (typeof parsed !== 'object' || parsed === null) return null
  const candidate = parsed as { ok?: unknown; error?: unknown }
  // A void call's {ok:true, value: undefined} arrives as {ok:true}.
  if (candidate.ok === true) return parsed as CallOutcome<T>
  if (candidate.ok === false && isQuireErrorInfo(candidate.error)) return parsed as CallOutcome<T>
  return null
}

function describeMegabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

export function createHttpApi(options: HttpApiOptions = {}): QuireApi {
  const baseUrl = options.baseUrl ?? ''
  const doFetch: ApiFetch = options.fetch ?? ((url, init) => fetch(url, init))
  const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES
  let earlyStartup = options.earlyStartup
  const heldTexts = options.heldTexts ?? new HeldTexts()

  async function call<T>(method: ApiMethod, args: unknown[]): Promise<T> {
    // A document shown lately: its text need not come again (src/shared/held-texts.ts).
    const held = heldTexts.heldFor(documentAskedFor(method, args))
    const headers: Record<string, string> = { 'Content-Type': 'application/json' }
    if (options.token !== undefined) headers['X-Quire-Token'] = options.token
    const early = method === 'getStartup' ? earlyStartup : undefined
    if (method === 'getStartup') earlyStartup = undefined
    let response: ApiResponse
    try {
      response = await (early ??
        doFetch(`${baseUrl}/api/${method}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers,
          body: JSON.stringify(held ? { args, heldText: held.hint } : { args }, bytesReplacer)
        }))
    } catch (error) {
      throw new QuireError({
        code: 'io',
        message: `Quire's server is not answering (${(error as Error).message}). Is the "npm run web" window still running?`
      })
    }
    // A document's content arrives as the bytes of its frame (src/shared/content-frame.ts).
    if (response.ok && response.headers.get('Content-Type') === CONTENT_FRAME_MEDIA_TYPE) {
      return (await unpackApiAnswerInSlices(method, new Uint8Array(await response.arrayBuffer()), nextTask, SLICE_TASK_MS, heldTexts.forCall(held?.text ?? null))) as T
    }
    const body = await response.text()
    const outcome = parseOutcome<T>(body)
    if (outcome) {
      if (outcome.ok) return unpackApiAnswer(method, outcome.value) as T
      throw new QuireError(outcome.error)
    }
    if (response.status === 401) {
      throw new QuireError({
        code: 'forbidden',
        message: 'This page is no longer authorised: open the link Quire printed when it started'
      })
    }
    throw new QuireError({
      code: 'io',
      message: `Quire's server answered ${response.status} to ${method}: ${body.slice(0, 200) || response.statusText}`
    })
  }

  // One function per call, generated from the one list of calls (src/shared/api-methods.ts).
  // An annotation import is one request: it is all-or-nothing, so it cannot be split into batches.
  const calls = Object.fromEntries(API_METHODS.map((method) => [method, (...args: unknown[]) => call(method, args)])) as unknown as QuireApiCalls

  /** A texts import sent in several requests: files of the requests answered, in all, and whether it was cancelled. */
  const splitImports = new Map<string, { before: number; total: number; cancelled: boolean }>()

  async function importTexts(files: ImportFile[], jobId?: string): Promise<ImportReport> {
    const { batches, unsendable } = planImportBatches(files, maxRequestBytes)
    const report: ImportReport = {
      imported: [],
      refused: unsendable.map((file) => ({
        fileName: file.name,
        reason: `"${file.name}" is ${describeMegabytes(file.bytes.length)}, too large to send to Quire's server`
      })),
      duplicates: []
    }
    const followed = { before: 0, total: files.length, cancelled: false }
    if (jobId !== undefined) splitImports.set(jobId, followed)
    try {
      // One batch at a time: the server then sees earlier batches and reports duplicates across them.
      for (const [index, batch] of batches.entries()) {
        if (followed.cancelled) {
          report.cancelled = { notImported: (report.cancelled?.notImported ?? 0) + batches.slice(index).reduce((sum, rest) => sum + rest.length, 0) }
          break
        }
        const part = await (jobId === undefined ? calls.importTexts(batch) : calls.importTexts(batch, jobId))
        report.imported.push(...part.imported)
        report.refused.push(...part.refused)
        report.duplicates.push(...part.duplicates)
        if (part.cancelled) report.cancelled = { notImported: part.cancelled.notImported }
        followed.before += batch.length
      }
    } finally {
      if (jobId !== undefined) splitImports.delete(jobId)
    }
    return report
  }

  /** The server knows only the request it is answering: a split import's progress counts the requests before it. */
  async function getImportProgress(jobId: string): Promise<ImportProgress | null> {
    const followed = splitImports.get(jobId)
    const progress = await calls.getImportProgress(jobId)
    if (!followed) return progress
    return { done: followed.before + (progress?.done ?? 0), total: followed.total }
  }

  async function cancelImport(jobId: string): Promise<void> {
    const followed = splitImports.get(jobId)
    if (followed) followed.cancelled = true
    await calls.cancelImport(jobId)
  }

  return {
    ...calls,
    importTexts,
    getImportProgress,
    cancelImport,
    // The browser edition has no native menu.
    onMenuCommand: () => () => undefined
  }
}
