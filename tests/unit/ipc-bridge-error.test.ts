import { describe, expect, it } from 'vitest'
import { QuireError } from '../../src/shared/api'
import { decodeBridgeError, encodeBridgeError } from '../../src/shared/bridge-error'

describe('bridge errors', () => {
  it('bring code, message, path and line through an Error that keeps only its message', () => {
    const info = { code: 'corrupt-store' as const, message: 'Line 3 is not JSON: "x"', path: '/p/documents/d/document.json', line: 3 }
    // What contextBridge hands the page: a fresh Error, sometimes with a prefix added by Electron.
    const copied = new Error(`Error invoking remote method: ${encodeBridgeError(info)}`)
    const decoded = decodeBridgeError(copied)
    expect(decoded).toBeInstanceOf(QuireError)
    expect(decoded.toInfo()).toEqual(info)
  })

  it('reports any other error as internal with its message', () => {
    expect(decodeBridgeError(new Error('boom')).toInfo()).toEqual({ code: 'internal', message: 'boom' })
    expect(decodeBridgeError('plain').toInfo()).toEqual({ code: 'internal', message: 'plain' })
    expect(decodeBridgeError(new Error('[quire-error]{not json')).code).toBe('internal')
    expect(decodeBridgeError(new Error('[quire-error]{"nope":1}')).code).toBe('internal')
  })
})
