// The API the renderer talks to: the Electron preload's bridge when there is one (desktop),
// otherwise HTTP to the browser edition's server.
import type { QuireApi } from '../../../shared/api'
import { createHttpApi } from './http-api'

declare global {
  interface Window {
    /** Set by src/preload/index.ts in the desktop app only. */
    quire?: QuireApi
  }
}

export const api: QuireApi = window.quire ?? createHttpApi()
