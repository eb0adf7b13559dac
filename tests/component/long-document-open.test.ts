// A long document's session is made in one task and drawn in the next (app-state.svelte.ts
// #showArrivedContent): made and drawn in one task, a 5 MB document froze the window ~80 ms.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { isLongContent } from '../../src/renderer/src/lib/state/document-session.svelte'
import { LAYER_IN_COLUMNS_FROM } from '../../src/shared/layer-columns'
import { FakeApi, makeAnnotation } from './fake-api'

// The task between making and drawing, held until the test lets it go.
const heldTasks = vi.hoisted(() => ({ holding: false, waiting: [] as (() => void)[] }))
vi.mock('../../src/renderer/src/lib/next-task', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/renderer/src/lib/next-task')>()
  return {
    ...original,
    nextTask: (): Promise<void> => (heldTasks.holding ? new Promise<void>((resolve) => heldTasks.waiting.push(resolve)) : original.nextTask())
  }
})

const WORDS = LAYER_IN_COLUMNS_FROM + 10
const longText = 'Baku '.repeat(WORDS)

function api(): FakeApi {
  const fake = new FakeApi([
    { id: 'cover', name: 'A cover note', text: 'A short note.' },
    {
      id: 'long',
      name: 'Long',
      text: longText,
      annotations: Array.from({ length: WORDS }, (_, word) => makeAnnotation(longText, `w${word}`, word * 5, word * 5 + 4, 'ORG'))
    },
    { id: 'short', name: 'Short', text: 'Two words.', annotations: [makeAnnotation('Two words.', 's1', 0, 3, 'ORG')] }
  ])
  fake.openProjectNamed('Sample project')
  return fake
}

afterEach(() => {
  heldTasks.holding = false
  for (const release of heldTasks.waiting.splice(0)) release()
})

describe('opening a long document', () => {
  it('counts a layer of many spans or a long text as long, and a short one not', async () => {
    const fake = api()
    expect(isLongContent(await fake.getDocument({ documentId: 'long', annotator: 'Leyla' }))).toBe(true)
    expect(isLongContent(await fake.getDocument({ documentId: 'short', annotator: 'Leyla' }))).toBe(false)
    const longUntagged = await fake.getDocument({ documentId: 'short', annotator: 'Leyla' })
    expect(isLongContent({ ...longUntagged, text: 'word '.repeat(12_000), annotations: [] })).toBe(true)
    expect(isLongContent({ ...longUntagged, text: 'word '.repeat(11_999), annotations: [] })).toBe(false)
    // A 100 KB document's 1,741 spans: made in one task, drawn in the next.
    const tagged = await fake.getDocument({ documentId: 'long', annotator: 'Leyla' })
    expect(isLongContent({ ...tagged, text: 'w', annotations: tagged.annotations.slice(0, 1000) })).toBe(true)
    expect(isLongContent({ ...tagged, text: 'w', annotations: tagged.annotations.slice(0, 999) })).toBe(false)
  })

  it('shows its session a task after making it, the one shown until then staying on screen', async () => {
    const app = new AppState(api())
    await app.init()
    await vi.waitFor(() => expect(app.session?.documentId).toBe('cover'))
    heldTasks.holding = true
    const opened = app.openDocument('long')
    await vi.waitFor(() => expect(heldTasks.waiting).toHaveLength(1))
    expect(app.session?.documentId).toBe('cover')
    heldTasks.holding = false
    for (const release of heldTasks.waiting.splice(0)) release()
    await opened
    expect(app.session?.documentId).toBe('long')
    expect(app.session?.annotations).toHaveLength(WORDS)
  })

  it('shows a short document in the task its content arrived in', async () => {
    const app = new AppState(api())
    await app.init()
    heldTasks.holding = true
    await app.openDocument('short')
    expect(heldTasks.waiting).toHaveLength(0)
    expect(app.session?.documentId).toBe('short')
  })
})
