// Electron's contextBridge copies a rejected Error into the page keeping only its message,
// so the preload writes the QuireErrorInfo into the message and the renderer's api.ts reads
// it back into a QuireError with its code, path and line.
import { isQuireErrorInfo, QuireError, type QuireErrorInfo } from './api'

const MARKER = '[quire-error]'

export function encodeBridgeError(info: QuireErrorInfo): string {
  return `${MARKER}${JSON.stringify(info)}`
}

/** The QuireError an error from the bridge stands for; any other error becomes 'internal'. */
export function decodeBridgeError(error: unknown): QuireError {
  const message = error instanceof Error ? error.message : String(error)
  const start = message.indexOf(MARKER)
  if (start >= 0) {
    try {
      const info: unknown = JSON.parse(message.slice(start + MARKER.length))
      if (isQuireErrorInfo(info)) return new QuireError(info)
    } catch {
      // Not ours after all: fall through.
    }
  }
  return new QuireError({ code: 'internal', message })
}
