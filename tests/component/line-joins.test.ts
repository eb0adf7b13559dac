import { describe, expect, it } from 'vitest'
import { forgetChangedBlocks, joinAfter, joinLineCuts, rememberLineEnds } from '../../src/renderer/src/lib/reader/line-joins'

describe('joining a block to the line before it', () => {
  it('starts the block where the text before the cut ends, one line up', () => {
    expect(joinAfter(412.5, 780, 30)).toEqual({ indentPx: 412.5, liftPx: 30 })
    // Little room left: the block's zero-width space still fits there, and the browser puts a
    // first word that does not on the next line (app.css, .block.continues::before).
    expect(joinAfter(740, 780, 30)).toEqual({ indentPx: 740, liftPx: 30 })
  })

  it('puts the block on a line of its own when the text before the cut filled its line', () => {
    expect(joinAfter(780, 780, 30)).toBeNull()
    // Its last space hangs past the edge.
    expect(joinAfter(784, 780, 30)).toBeNull()
  })

  it('does not join when the end of the text before could not be measured', () => {
    expect(joinAfter(0, 780, 30)).toBeNull()
    expect(joinAfter(Number.NaN, 780, 30)).toBeNull()
  })
})

describe('joining rendered blocks', () => {
  // jsdom has no layout: every range and box gets fixed geometry, and measuring is counted.
  function withGeometry(run: (measured: () => number) => void): void {
    let measurements = 0
    const rect = (left: number, right: number, top = 0): DOMRect => ({ left, right, top, bottom: top + 20, width: right - left, height: 20, x: left, y: top, toJSON: () => ({}) }) as DOMRect
    const rangeRects = Object.getOwnPropertyDescriptor(Range.prototype, 'getClientRects')
    const boxRect = Object.getOwnPropertyDescriptor(Element.prototype, 'getBoundingClientRect')
    Object.defineProperty(Range.prototype, 'getClientRects', {
      configurable: true,
      value(this: Range) {
        measurements++
        // The last character of a block ends at 300 px; a first word is 50 px wide.
        return this.startOffset === 0 ? [rect(0, 50)] : [rect(290, 300)]
      }
    })
    Object.defineProperty(Element.prototype, 'getBoundingClientRect', { configurable: true, value: () => rect(0, 780) })
    try {
      run(() => measurements)
    } finally {
      if (rangeRects) Object.defineProperty(Range.prototype, 'getClientRects', rangeRects)
      else delete (Range.prototype as { getClientRects?: unknown }).getClientRects
      if (boxRect) Object.defineProperty(Element.prototype, 'getBoundingClientRect', boxRect)
    }
  }

  /** What each measurement (inside withGeometry) would lay out: the blocks shown then, with their indents. */
  function recordLayouts(blocks: readonly HTMLElement[]): string[][] {
    const laidOut: string[][] = []
    const measure = Object.getOwnPropertyDescriptor(Range.prototype, 'getClientRects')?.value as (this: Range) => DOMRectList
    Object.defineProperty(Range.prototype, 'getClientRects', {
      configurable: true,
      value(this: Range) {
        laidOut.push(blocks.filter((block) => block.style.display !== 'none').map((block) => `${block.dataset.blockIndex}:${block.style.textIndent}`))
        return measure.call(this)
      }
    })
    return laidOut
  }

  function renderBlocks(texts: string[]): HTMLElement {
    const container = document.createElement('div')
    texts.forEach((text, index) => {
      const frame = document.createElement('div')
      const block = document.createElement('div')
      block.className = index === 0 ? 'block' : 'block continues'
      block.dataset.blockIndex = String(index)
      block.dir = 'ltr'
      block.style.lineHeight = '30px'
      const segment = document.createElement('span')
      segment.textContent = text
      block.appendChild(segment)
      frame.appendChild(block)
      container.appendChild(frame)
    })
    document.body.appendChild(container)
    return container
  }

  it('pulls a continuing block up to where the block before it ends, and measures each block once', () => {
    withGeometry((measured) => {
      const container = renderBlocks(['The first part of a long line ', 'continues here ', 'and ends here.'])
      joinLineCuts(container, 780)
      const [, second, third] = [...container.querySelectorAll<HTMLElement>('.block')] as HTMLElement[]
      expect(second?.style.textIndent).toBe('300px')
      expect(second?.style.marginTop).toBe('-30px')
      expect(third?.style.textIndent).toBe('300px')
      const afterFirstPass = measured()
      expect(afterFirstPass).toBeGreaterThan(0)
      // Scrolling renders other blocks; the ones measured before are not measured again.
      joinLineCuts(container, 780)
      expect(measured()).toBe(afterFirstPass)
      // A block drawn again (a new highlight) has its end measured again, and so has everything at another width.
      const segment = document.createElement('span')
      segment.textContent = 'continues here with a new highlight '
      second?.replaceChildren(segment)
      joinLineCuts(container, 780)
      expect(measured()).toBe(afterFirstPass + 1)
      joinLineCuts(container, 600)
      expect(measured()).toBeGreaterThan(afterFirstPass + 1)
      container.remove()
    })
  })

  it('measures the end of a block again when a highlight appears in its middle', () => {
    withGeometry((measured) => {
      const container = renderBlocks(['The first part of a long line ', 'and ends here.'])
      const [first] = [...container.querySelectorAll<HTMLElement>('.block')] as HTMLElement[]
      const last = document.createElement('span')
      last.textContent = 'goes on '
      first?.appendChild(last)
      joinLineCuts(container, 780)
      const afterFirstPass = measured()
      // The label of a new highlight takes room on the line: the block's last line ends elsewhere,
      // although its last segment is the same element.
      const observer = new MutationObserver(() => undefined)
      observer.observe(container, { childList: true, subtree: true })
      const highlight = document.createElement('span')
      highlight.textContent = 'The first part'
      first?.firstElementChild?.replaceWith(highlight)
      forgetChangedBlocks(observer.takeRecords())
      observer.disconnect()
      joinLineCuts(container, 780)
      expect(measured()).toBeGreaterThan(afterFirstPass)
      container.remove()
    })
  })
  it('joins a block scrolled into view from an end measured after an earlier layout, measuring nothing then', () => {
    withGeometry((measured) => {
      const container = renderBlocks(['The first part of a long line ', 'continues here ', 'and ends here.'])
      const [first, second, third] = [...container.querySelectorAll<HTMLElement>('.block')] as HTMLElement[]
      const thirdFrame = third?.parentElement as HTMLElement
      // The third block is not rendered yet: scrolling down brings it in later.
      thirdFrame.remove()
      joinLineCuts(container, 780)
      // After the layout that drew the second block (a ResizeObserver callback), its end is taken.
      rememberLineEnds([first as HTMLElement, second as HTMLElement], 780)
      const beforeScroll = measured()
      container.appendChild(thirdFrame)
      joinLineCuts(container, 780)
      expect(measured()).toBe(beforeScroll)
      expect(third?.style.textIndent).toBe('300px')
      container.remove()
    })
  })

  it('keeps blocks whose previous end is not measured yet out of the layout until their join is written', () => {
    withGeometry(() => {
      const container = renderBlocks(['The first part of a long line ', 'continues here ', 'and ends here.'])
      const blocks = [...container.querySelectorAll<HTMLElement>('.block')]
      const laidOut = recordLayouts(blocks)
      joinLineCuts(container, 780)
      // All three drawn in one step: the second and third wait while the first is measured, and
      // the third while the second is (with its join), so no block is laid out before its join.
      expect(laidOut).toEqual([['0:'], ['0:', '1:300px']])
      expect(blocks.map((block) => [block.style.display, block.style.textIndent])).toEqual([
        ['', ''],
        ['', '300px'],
        ['', '300px']
      ])
      container.remove()
    })
  })

  it('keeps a block joined before in the layout while the end of the block before it is measured again', () => {
    withGeometry((measured) => {
      const container = renderBlocks(['The first part of a long line ', 'continues here ', 'and ends here.'])
      const blocks = [...container.querySelectorAll<HTMLElement>('.block')]
      joinLineCuts(container, 780)
      const afterFirstPass = measured()
      const laidOut = recordLayouts(blocks)
      // A tag key in the first block: its segments change, so its end is measured again.
      const observer = new MutationObserver(() => undefined)
      observer.observe(container, { childList: true, subtree: true })
      const highlight = document.createElement('span')
      highlight.textContent = 'The first part of a long line '
      blocks[0]?.firstElementChild?.replaceWith(highlight)
      forgetChangedBlocks(observer.takeRecords())
      observer.disconnect()
      joinLineCuts(container, 780)
      // The second block, laid out already, stays in the layout with its join (taken out and put
      // back, it would be styled and laid out again from scratch).
      expect(measured()).toBe(afterFirstPass + 1)
      expect(laidOut).toEqual([['0:', '1:300px', '2:300px']])
      expect(blocks.map((block) => [block.style.display, block.style.textIndent])).toEqual([
        ['', ''],
        ['', '300px'],
        ['', '300px']
      ])
      container.remove()
    })
  })

  it('leaves the join of the first rendered block as it was when the block before it is scrolled away', () => {
    withGeometry((measured) => {
      const container = renderBlocks(['The first part of a long line ', 'continues here ', 'and ends here.'])
      joinLineCuts(container, 780)
      const [first, second] = [...container.querySelectorAll<HTMLElement>('.block')] as HTMLElement[]
      const beforeScroll = measured()
      first?.parentElement?.remove()
      joinLineCuts(container, 780)
      // Dropping it would move the second block's end and make the third's join measured again.
      expect(second?.style.textIndent).toBe('300px')
      expect(second?.style.marginTop).toBe('-30px')
      expect(measured()).toBe(beforeScroll)
      container.remove()
    })
  })
})
