// The API the renderer talks to: the Electron preload's bridge when there is one (desktop),
// otherwise HTTP to the browser edition's server.
import type { ApiMethod, QuireApi } from '../../../shared/api'
import { unpackApiAnswerInSlices } from '../../../shared/api-payloads'
import { nextTask, SLICE_TASK_MS } from './next-task'
import { decodeBridgeError } from '../../../shared/bridge-error'
import { createHttpApi, type ApiFetch, type ApiResponse, type HttpApiOptions } from './http-api'
import { documentAskedFor, HeldTexts, type HoldingTextBridge } from '../../../shared/held-texts'
import type { LayerRef } from '../../../shared/model'

declare global {
  interface Window {
    /** Set by src/preload/index.ts in the desktop app only. */
    quire?: QuireApi & Partial<HoldingTextBridge>
    /**
     * getStartup asked for before the app's scripts ran (src/renderer/early-start.js), by bridge
     * or over HTTP; over HTTP, with the fetch that goes through the request worker once it has
     * started (at once when the start left a long first document out).
     */
    quireEarlyStartup?: { bridge?: Promise<unknown>; http?: Promise<ApiResponse>; fetch?: ApiFetch }
  }
}

/**
 * Wraps the preload's functions so their failures arrive as QuireError with code, path and
 * line intact (contextBridge keeps only an Error's message; see src/shared/bridge-error.ts),
 * and a document's annotations arrive unpacked (src/shared/api-payloads.ts), as over HTTP.
 */
export function adoptDesktopBridge(bridge: QuireApi & Partial<HoldingTextBridge>, earlyStartup?: Promise<unknown>, heldTexts = new HeldTexts()): QuireApi {
  const adopted = {} as Record<string, unknown>
  let early = earlyStartup
  const takeEarly = (name: string): Promise<unknown> | undefined => {
    if (name !== 'getStartup' || !early) return undefined
    const taken = early
    early = undefined
    return taken
  }
  // A document shown lately: its text need not come again (src/shared/held-texts.ts).
  const heldFor = (name: string, args: unknown[]): ReturnType<HeldTexts['heldFor']> => (bridge.getDocumentHoldingText ? heldTexts.heldFor(documentAskedFor(name, args)) : null)
  for (const [name, member] of Object.entries(bridge)) {
    if (typeof member !== 'function' || name === 'getDocumentHoldingText') continue
    adopted[name] =
      name === 'onMenuCommand'
        ? member
        : (...args: unknown[]) => {
            const held = heldFor(name, args)
            const asked = held ? bridge.getDocumentHoldingText?.(args[0] as LayerRef, held.hint) : undefined
            return (takeEarly(name) ?? asked ?? (member as (...callArgs: unknown[]) => Promise<unknown>)(...args)).then(
              (answer) => unpackApiAnswerInSlices(name as ApiMethod, answer, nextTask, SLICE_TASK_MS, heldTexts.forCall(held?.text ?? null)),
              (error: unknown) => {
                throw decodeBridgeError(error)
              }
            )
          }
  }
  return adopted as unknown as QuireApi
}

/** What early-start.js began: the start's answer, and the fetch through its request worker. */
function httpOptionsFrom(early: Window['quireEarlyStartup']): HttpApiOptions {
  if (!early?.http) return {}
  return { earlyStartup: early.http, ...(early.fetch ? { fetch: early.fetch } : {}) }
}

const early = window.quireEarlyStartup
export const api: QuireApi = window.quire ? adoptDesktopBridge(window.quire, early?.bridge) : createHttpApi(httpOptionsFrom(early))
