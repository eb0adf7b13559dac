// The desktop app's side of a text the window holds (src/shared/held-texts.ts): the window's
// bridge wrapper names it through the preload's getDocumentHoldingText, main leaves it out,
// and the content comes back whole. A fake preload and main stand in for Electron's IPC here.
import { describe, expect, it, vi } from 'vitest'
import { adoptDesktopBridge } from '../../src/renderer/src/lib/api'
import { packApiAnswer } from '../../src/shared/api-payloads'
import { API_METHODS } from '../../src/shared/api-methods'
import type { QuireApi } from '../../src/shared/api'
import { HeldTexts, type HeldTextHint, type HoldingTextBridge } from '../../src/shared/held-texts'
import type { DocumentContent } from '../../src/shared/model'

const text = 'Emin Amrullayev met ISESCO in Rabat. Şəki – “co-operation” 🙂\n'.repeat(200)
const content = {
  document: { id: 'meeting' },
  text,
  annotator: 'Ayla',
  annotations: [
    { id: 'emin', start: 0, end: 15, tag: 'PERSON', text: 'Emin Amrullayev', annotator: 'Ayla', createdAt: '2026-01-02T03:04:05.000Z', updatedAt: '2026-01-02T03:04:05.000Z', provenance: { source: 'manual' } }
  ]
} as unknown as DocumentContent

async function sha256Of(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value))
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/** Main's part as api-dispatch.ts plays it (tests/unit/ipc.test.ts runs the real one): the text sent with its digest, left out when the hint names it. */
function fakePreload(withHeldTexts: boolean, textDigest: string) {
  const frameBytes: number[] = []
  const invoke = async (heldText?: HeldTextHint): Promise<unknown> => {
    const frame = packApiAnswer('getDocument', content, {
      windowHolds: () => heldText?.documentId === 'meeting' && heldText.sha256 === textDigest,
      digestOf: (sent) => (sent === text ? textDigest : '0'.repeat(64))
    }) as Uint8Array
    frameBytes.push(frame.byteLength)
    return new Uint8Array(frame) // a copy, as IPC makes
  }
  const calls = Object.fromEntries(API_METHODS.map((method) => [method, () => invoke()]))
  const holding: HoldingTextBridge = { getDocumentHoldingText: vi.fn((_layer, heldText) => invoke(heldText)) }
  const bridge = { ...calls, ...(withHeldTexts ? holding : {}), onMenuCommand: () => () => undefined } as unknown as QuireApi & Partial<HoldingTextBridge>
  return { bridge, frameBytes, holding }
}

const layer = { documentId: 'meeting', annotator: 'Ayla' }
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50))

describe('the desktop bridge and held texts', () => {
  it('opens a document shown before without its text coming again, and gives the same content', async () => {
    const { bridge, frameBytes, holding } = fakePreload(true, await sha256Of(text))
    const api = adoptDesktopBridge(bridge, undefined, new HeldTexts())
    const first = await api.getDocument(layer)
    await settle()
    const again = await api.getDocument(layer)
    expect(holding.getDocumentHoldingText).toHaveBeenCalledTimes(1)
    expect(again).toEqual(first)
    expect(again.text).toBe(text)
    expect(frameBytes[0]! - frameBytes[1]!).toBeGreaterThan(new TextEncoder().encode(text).byteLength - 100)
  })

  it('asks as before through a preload without getDocumentHoldingText', async () => {
    const { bridge, frameBytes } = fakePreload(false, await sha256Of(text))
    const api = adoptDesktopBridge(bridge, undefined, new HeldTexts())
    await api.getDocument(layer)
    await settle()
    expect((await api.getDocument(layer)).text).toBe(text)
    expect(frameBytes[1]).toBe(frameBytes[0])
  })
})
