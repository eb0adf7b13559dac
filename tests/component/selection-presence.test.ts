// A block's repaint reads the window's selection only when there may be one: Chromium lays the
// page out before answering about an empty selection, a forced layout per block drawn
// (reader/selection-presence.ts). The drag under way must still be kept (reader-block-dom.test.ts).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { segmentBlock } from '../../src/renderer/src/lib/reader/block-segments'
import { renderSegments, updateSegments, viewSegments } from '../../src/renderer/src/lib/reader/block-dom'
import { colleagueMark } from '../../src/renderer/src/lib/reader/marks'
import { repaintKeepingSelection, selectionToOffsets } from '../../src/renderer/src/lib/reader/selection'
import { clearWindowSelection } from '../../src/renderer/src/lib/reader/selection-presence'
import { DEFAULT_TAGS } from '../../src/shared/model'
import { makeAnnotation } from './fake-api'

const text = 'Minister Emin Amrullayev met ISESCO.'
const context = { tags: DEFAULT_TAGS, flashId: null }
const plain = viewSegments(segmentBlock(text, 0, text.length, []), context)
const colleague = colleagueMark(makeAnnotation(text, 'c', text.indexOf('Emin'), text.indexOf(' Amrullayev'), 'PERSON'), 'Leyla', DEFAULT_TAGS)
const split = viewSegments(segmentBlock(text, 0, text.length, [colleague]), context)

function drawnBlock(): HTMLElement {
  const block = document.createElement('div')
  document.body.append(block)
  renderSegments(block, plain)
  return block
}

/** Lets jsdom's selectionchange (fired from a timer, as browsers fire it in a task) arrive. */
const selectionEventsDelivered = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5))

afterEach(() => {
  vi.restoreAllMocks()
  document.body.replaceChildren()
})

describe("a block's repaint and the window's selection", () => {
  it('does not ask for the selection when the block is drawn for the first time', () => {
    const block = document.createElement('div')
    document.body.append(block)
    const asked = vi.spyOn(document, 'getSelection')
    repaintKeepingSelection(block, () => renderSegments(block, plain))
    expect(asked).not.toHaveBeenCalled()
    expect(block.textContent).toBe(text)
  })

  it('does not ask once the reader emptied it (a tag key), and keeps a drag started after that', () => {
    const block = drawnBlock()
    clearWindowSelection(document)
    const asked = vi.spyOn(document, 'getSelection')
    repaintKeepingSelection(block, () => updateSegments(block, plain, split))
    expect(asked).not.toHaveBeenCalled()
    asked.mockRestore()

    // A new drag: the browser says selectstart before it selects; the same task may repaint.
    block.dispatchEvent(new Event('selectstart', { bubbles: true, cancelable: true }))
    const run = block.lastChild?.firstChild as Text
    document.getSelection()?.setBaseAndExtent(run, 1, run, 4)
    const start = Number((block.lastChild as HTMLElement).dataset.offset)
    repaintKeepingSelection(block, () => updateSegments(block, split, plain))
    expect(run.isConnected).toBe(false)
    expect(selectionToOffsets(document.getSelection(), block)).toEqual({ anchor: start + 1, focus: start + 4 })
  })

  it('follows selectionchange: a range makes it ask again, no range lets it skip', async () => {
    const block = drawnBlock()
    clearWindowSelection(document)
    const run = block.firstChild?.firstChild as Text
    // Selected by something other than the reader (no selectstart), seen when its event arrives.
    document.getSelection()?.setBaseAndExtent(run, 9, run, 13)
    await selectionEventsDelivered()
    repaintKeepingSelection(block, () => updateSegments(block, plain, split))
    expect(run.isConnected).toBe(false)
    expect(selectionToOffsets(document.getSelection(), block)).toEqual({ anchor: 9, focus: 13 })

    document.getSelection()?.removeAllRanges()
    await selectionEventsDelivered()
    const asked = vi.spyOn(document, 'getSelection')
    repaintKeepingSelection(block, () => updateSegments(block, split, plain))
    expect(asked).not.toHaveBeenCalled()
  })
})
