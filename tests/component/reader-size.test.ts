// The reader's size: the first reader of a window measures its viewport as it mounts (a forced
// layout); a reader opened after it (another document) starts from the size the last one measured
// and takes its own from its ResizeObserver, after the frame's layout, without reading layout in
// its mount (about half the mount's CPU time when switching to a 5 MB document).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { render } from '@testing-library/svelte'
import Reader from '../../src/renderer/src/lib/components/Reader.svelte'
import { DocumentSession } from '../../src/renderer/src/lib/state/document-session.svelte'
import { DEFAULT_TAGS } from '../../src/shared/model'
import { FakeApi } from './fake-api'

/** ResizeObservers that report only when told to, as a browser does after a frame's layout. */
class ManualResizeObserver {
  static all: ManualResizeObserver[] = []
  readonly observed = new Set<Element>()
  constructor(readonly callback: ResizeObserverCallback) {
    ManualResizeObserver.all.push(this)
  }
  observe(element: Element): void {
    this.observed.add(element)
  }
  unobserve(element: Element): void {
    this.observed.delete(element)
  }
  disconnect(): void {
    this.observed.clear()
  }
  /** The frame's layout is done: each observer hears about what it observes. */
  static reportAll(): void {
    for (const observer of ManualResizeObserver.all) {
      const entries = [...observer.observed].map((target) => ({ target }) as unknown as ResizeObserverEntry)
      if (entries.length > 0) observer.callback(entries, observer as unknown as ResizeObserver)
    }
  }
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  ManualResizeObserver.all = []
})

async function newSession(): Promise<DocumentSession> {
  const text = 'A short text that fits on one screen.\n'
  const api = new FakeApi([{ id: 'doc', name: 'Note', text, annotations: [] }])
  return new DocumentSession({ content: await api.getDocument({ documentId: 'doc', annotator: 'Leyla' }), tags: DEFAULT_TAGS, saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits) })
}

describe('Reader size', () => {
  it('is measured in the mount of the first reader only; later readers take it after layout', async () => {
    vi.stubGlobal('ResizeObserver', ManualResizeObserver)
    let heightReads = 0
    let viewportHeight = 640
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(function (this: HTMLElement) {
      if (!this.classList.contains('reader')) return 0
      heightReads++
      return viewportHeight
    })
    const first = render(Reader, { session: await newSession() })
    expect(heightReads).toBeGreaterThan(0)
    first.unmount()
    ManualResizeObserver.all = []

    heightReads = 0
    viewportHeight = 600
    render(Reader, { session: await newSession() })
    expect(heightReads).toBe(0)
    ManualResizeObserver.reportAll()
    expect(heightReads).toBeGreaterThan(0)
  })
})
