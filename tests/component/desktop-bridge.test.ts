// The desktop app's side of a text the window holds (src/shared/held-texts.ts): the window's
// bridge wrapper names it through the preload's getDocumentHoldingText, main leaves it out,
// and the content comes back whole. A fake preload stands in for Electron's IPC here.
import { describe, expect, it, vi } from 'vitest'
import { adoptDesktopBridge } from '../../src/renderer/src/lib/api'
import { dispatchApiCallToOutcome } from '../../src/main/api-dispatch'
import { API_METHODS } from '../../src/shared/api-methods'
import type { QuireApi, QuireApiCalls } from '../../src/shared/api'
import type { HoldingTextBridge } from '../../src/shared/held-texts'
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

function fakePreload(withHeldTexts: boolean) {
  const backend = { getDocument: vi.fn(async () => content) } as unknown as QuireApiCalls
  const frameBytes: number[] = []
  const invoke = async (method: string, args: unknown[], heldText?: unknown): Promise<unknown> => {
    const outcome = await dispatchApiCallToOutcome(backend, method, args, heldText)
    if (!outcome.ok) throw new Error(outcome.error.message)
    frameBytes.push((outcome.value as Uint8Array).byteLength)
    return new Uint8Array(outcome.value as Uint8Array) // a copy, as IPC makes
  }
  const calls = Object.fromEntries(API_METHODS.map((method) => [method, (...args: unknown[]) => invoke(method, args)]))
  const holding: HoldingTextBridge = { getDocumentHoldingText: vi.fn((layer, heldText) => invoke('getDocument', [layer], heldText)) }
  const bridge = { ...calls, ...(withHeldTexts ? holding : {}), onMenuCommand: () => () => undefined } as unknown as QuireApi & Partial<HoldingTextBridge>
  return { bridge, frameBytes, holding }
}

const layer = { documentId: 'meeting', annotator: 'Ayla' }
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50))

describe('the desktop bridge and held texts', () => {
  it('opens a document shown before without its text coming again, and gives the same content', async () => {
    const { bridge, frameBytes, holding } = fakePreload(true)
    const api = adoptDesktopBridge(bridge)
    const first = await api.getDocument(layer)
    await settle()
    const again = await api.getDocument(layer)
    expect(holding.getDocumentHoldingText).toHaveBeenCalledTimes(1)
    expect(again).toEqual(first)
    expect(again.text).toBe(text)
    expect(frameBytes[0]! - frameBytes[1]!).toBeGreaterThan(new TextEncoder().encode(text).byteLength - 100)
  })

  it('asks as before through a preload without getDocumentHoldingText', async () => {
    const { bridge, frameBytes } = fakePreload(false)
    const api = adoptDesktopBridge(bridge)
    await api.getDocument(layer)
    await settle()
    expect((await api.getDocument(layer)).text).toBe(text)
    expect(frameBytes[1]).toBe(frameBytes[0])
  })
})
