import { describe, expect, it } from 'vitest'
import { joinAfter, joinLineCuts } from '../../src/renderer/src/lib/reader/line-joins'

describe('joining a block to the line before it', () => {
  it('starts the block where the text before the cut ends, one line up', () => {
    expect(joinAfter(412.5, 780, 60, 30)).toEqual({ indentPx: 412.5, liftPx: 30 })
  })

  it('puts the block on a line of its own when its first word would not fit after the cut', () => {
    expect(joinAfter(740, 780, 60, 30)).toBeNull()
    // The text before the cut filled its line to the edge (its last space hangs past it).
    expect(joinAfter(784, 780, 0, 30)).toBeNull()
  })

  it('does not join when the end of the text before could not be measured', () => {
    expect(joinAfter(0, 780, 60, 30)).toBeNull()
    expect(joinAfter(Number.NaN, 780, 60, 30)).toBeNull()
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
      // A block drawn again (a new highlight) is measured again, and so is everything at another width.
      const segment = document.createElement('span')
      segment.textContent = 'continues here with a new highlight '
      second?.replaceChildren(segment)
      joinLineCuts(container, 780)
      expect(measured()).toBe(afterFirstPass + 2)
      joinLineCuts(container, 600)
      expect(measured()).toBeGreaterThan(afterFirstPass + 2)
      container.remove()
    })
  })
})
