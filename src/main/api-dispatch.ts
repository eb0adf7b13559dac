// The single choke point between a transport (Electron IPC or the browser edition's HTTP
// server) and the backend: every call is looked up on an allow-list and its arguments are
// parsed by the call's schema before any service sees them.
import { QuireError, type ApiMethod, type QuireApiCalls, type QuireErrorInfo } from '../shared/api'
import { apiArgumentSchemas, describeSchemaError, heldTextHintSchema, isApiMethod } from '../shared/api-schemas'
import { packApiAnswer } from '../shared/api-payloads'
import { CALL_NAMING_HELD_TEXT, type HeldTextHint } from '../shared/held-texts'
import { textDigest, windowHoldsText } from './text-digests'
import { whileAnswering } from './services/calls-in-progress'

/** What a transport sends back: errors as plain data, because neither IPC nor JSON keeps classes. */
export type ApiCallOutcome = { ok: true; value: unknown } | { ok: false; error: QuireErrorInfo }

/**
 * Parses `args` for `method` and calls the backend. Throws QuireError: 'invalid-argument' for an
 * unknown method or a malformed payload (the backend is then never called), or whatever the
 * backend threw, normalised.
 */
export async function dispatchApiCall(backend: QuireApiCalls, method: string, args: unknown): Promise<unknown> {
  if (!isApiMethod(method)) {
    throw new QuireError({ code: 'invalid-argument', message: `Unknown API call "${describeName(method)}"` })
  }
  const parsed = apiArgumentSchemas[method].safeParse(args)
  if (!parsed.success) {
    throw new QuireError({ code: 'invalid-argument', message: describeSchemaError(method, parsed.error) })
  }
  const call = backend[method] as (...callArgs: unknown[]) => Promise<unknown>
  try {
    // Background slices wait while it is answered (calls-in-progress.ts).
    return await whileAnswering(() => call.apply(backend, parsed.data as unknown[]))
  } catch (error) {
    throw toQuireError(error)
  }
}

/**
 * dispatchApiCall with the outcome as data, ready for IPC or JSON: a document's annotations
 * packed (src/shared/api-payloads.ts; the window unpacks them), its text left out when the
 * window said it holds that very text (`heldText`, src/shared/held-texts.ts). Never throws.
 */
export async function dispatchApiCallToOutcome(
  backend: QuireApiCalls,
  method: string,
  args: unknown,
  heldText: unknown = undefined,
  /** Changes the answer before it is packed (a transport's own rule, startup-ahead.ts). */
  shape: (answer: unknown) => unknown = (answer) => answer
): Promise<ApiCallOutcome> {
  try {
    const hint = parseHeldTextHint(method, heldText)
    return outcomeOfAnswer(method, shape(await dispatchApiCall(backend, method, args)), hint)
  } catch (error) {
    return failedOutcome(method, error)
  }
}

/** An answer the backend gave, packed as dispatchApiCallToOutcome packs it (`hint`: the text the window said it holds). Never throws. */
export function outcomeOfAnswer(method: string, answer: unknown, hint: HeldTextHint | null = null): ApiCallOutcome {
  try {
    return { ok: true, value: isApiMethod(method) ? packApiAnswer(method, answer, { windowHolds: (content) => windowHoldsText(hint, content), digestOf: textDigest }) : answer }
  } catch (error) {
    return failedOutcome(method, error)
  }
}

function failedOutcome(method: string, error: unknown): ApiCallOutcome {
  const quireError = toQuireError(error)
  if (quireError.code === 'internal') console.error(`Quire: ${describeName(method)} failed:`, error)
  return { ok: false, error: quireError.toInfo() }
}

function parseHeldTextHint(method: string, heldText: unknown): HeldTextHint | null {
  if (heldText === undefined || heldText === null) return null
  if (method !== CALL_NAMING_HELD_TEXT) {
    throw new QuireError({ code: 'invalid-argument', message: `Only ${CALL_NAMING_HELD_TEXT} may name a text the window holds, not ${describeName(method)}` })
  }
  const parsed = heldTextHintSchema.safeParse(heldText)
  if (!parsed.success) throw new QuireError({ code: 'invalid-argument', message: describeSchemaError(`${method}'s held text`, parsed.error) })
  return parsed.data
}

export function isKnownApiMethod(method: string): method is ApiMethod {
  return isApiMethod(method)
}

/**
 * Node's own errors carry a string `code` ('ENOENT', 'EACCES') and would pass for a
 * QuireErrorInfo, so any Error that is not a QuireError is reported as 'internal'.
 */
export function toQuireError(error: unknown): QuireError {
  if (error instanceof QuireError) return error
  if (error instanceof Error) return new QuireError({ code: 'internal', message: error.message })
  return QuireError.from(error)
}

/** Method names come from untrusted senders: keep error messages short and printable. */
function describeName(name: string): string {
  const printable = name.replace(/[^\x20-\x7e]/g, '?')
  return printable.length > 60 ? `${printable.slice(0, 60)}…` : printable
}
