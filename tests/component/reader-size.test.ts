// The reader's size: a reader in a window that never measured one of its size measures its viewport
// as it mounts (a forced layout); a reader opened after it (another document, or the first after a
// reload) starts from the size remembered for a window of this size and takes its own from its
// ResizeObserver, after the frame's layout, without reading layout in its mount (about half the
// mount's CPU time when switching to a 5 MB document).
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
  localStorage.clear()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  ManualResizeObserver.all = []
})

async function newSession(): Promise<DocumentSession> {
  const text = 'A short text that fits on one screen.\n'
  const api = new FakeApi([{ id: 'doc', name: 'Note', text, annotations: [] }])
  return new DocumentSession({ content: await api.getDocument({ documentId: 'doc', annotator: 'Leyla' }), tags: DEFAULT_TAGS, saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits) })
}

/** The reader's viewport height as `height` says, counting each read of it (a forced layout in a browser). */
function countReaderHeightReads(height: () => number): { reads: number } {
  const counted = { reads: 0 }
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(function (this: HTMLElement) {
    if (!this.classList.contains('reader')) return 0
    counted.reads++
    return height()
  })
  return counted
}

describe('Reader size', () => {
  it('is measured in the mount of the first reader only; later readers take it after layout', async () => {
    vi.stubGlobal('ResizeObserver', ManualResizeObserver)
    let viewportHeight = 640
    const height = countReaderHeightReads(() => viewportHeight)
    const first = render(Reader, { session: await newSession() })
    expect(height.reads).toBeGreaterThan(0)
    first.unmount()
    ManualResizeObserver.all = []

    height.reads = 0
    viewportHeight = 600
    render(Reader, { session: await newSession() })
    expect(height.reads).toBe(0)
    ManualResizeObserver.reportAll()
    expect(height.reads).toBeGreaterThan(0)
  })

  it('is measured in the mount again once the window has another size, and remembered for it', async () => {
    vi.stubGlobal('ResizeObserver', ManualResizeObserver)
    const height = countReaderHeightReads(() => 640)
    render(Reader, { session: await newSession() }).unmount()
    ManualResizeObserver.all = []

    vi.stubGlobal('innerWidth', window.innerWidth + 200)
    height.reads = 0
    render(Reader, { session: await newSession() }).unmount()
    expect(height.reads).toBeGreaterThan(0)
    ManualResizeObserver.all = []

    height.reads = 0
    render(Reader, { session: await newSession() })
    expect(height.reads).toBe(0)
  })

  it('is measured in the mount when what was remembered is garbled', async () => {
    vi.stubGlobal('ResizeObserver', ManualResizeObserver)
    const height = countReaderHeightReads(() => 640)
    localStorage.setItem('quire.readerSize', '{"height": "tall"')
    render(Reader, { session: await newSession() })
    expect(height.reads).toBeGreaterThan(0)
  })
})
