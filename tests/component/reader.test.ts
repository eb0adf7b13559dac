import { describe, expect, it } from 'vitest'
import { flushSync } from 'svelte'
import { render, screen } from '@testing-library/svelte'
import Reader from '../../src/renderer/src/lib/components/Reader.svelte'
import { DocumentSession } from '../../src/renderer/src/lib/state/document-session.svelte'
import { domPointToOffset, offsetToDomPoint } from '../../src/renderer/src/lib/reader/selection'
import { DEFAULT_TAGS } from '../../src/shared/model'
import { FakeApi, makeAnnotation } from './fake-api'

const text = 'Director General Salim bin Muhammad al-Malik met\r\n\r\nالتقى الوزير في باكو\n'

async function renderReader() {
  const outer = makeAnnotation(text, 'outer', 0, text.indexOf(' met'), 'PERSON')
  const inner = makeAnnotation(text, 'inner', text.indexOf('Salim'), text.indexOf(' met'), 'ORG', 'a note')
  const api = new FakeApi([{ id: 'doc', name: 'Meeting', text, annotations: [outer, inner] }])
  const session = new DocumentSession({
    content: await api.getDocument({ documentId: 'doc', annotator: 'Leyla' }),
    tags: DEFAULT_TAGS,
    saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits)
  })
  render(Reader, { session })
  return { session, reader: screen.getByRole('document', { name: 'Document text' }) }
}

describe('Reader', () => {
  it('renders the text exactly, as inert text, with RTL paragraphs marked', async () => {
    const { reader } = await renderReader()
    const blocks = [...reader.querySelectorAll<HTMLElement>('.block')]
    expect(blocks.map((b) => b.textContent).join('')).toBe(text)
    expect(blocks.map((b) => b.getAttribute('dir'))).toEqual(['ltr', 'ltr', 'rtl'])
  })

  it('draws nested annotations with the innermost on top and a label at each start', async () => {
    const { reader } = await renderReader()
    const highlighted = [...reader.querySelectorAll<HTMLElement>('[data-annotation-id]')].map((el) => ({
      text: el.textContent,
      id: el.dataset.annotationId,
      tag: el.dataset.tag,
      labels: el.dataset.labels ?? null
    }))
    expect(highlighted).toEqual([
      { text: 'Director General ', id: 'outer', tag: 'PERSON', labels: 'PER' },
      { text: 'Salim bin Muhammad al-Malik', id: 'inner', tag: 'ORG', labels: 'ORG' }
    ])
    // Tag colours come from one stylesheet rule per tag; a plain highlight has no inline style.
    const rules = document.head.querySelector('style[data-quire="tag-colors"]')?.textContent ?? ''
    expect(rules).toContain('.reader [data-tag="ORG"] { --tint: #2E8BC038; --line: #2E8BC0; }')
    expect(reader.querySelector('[data-annotation-id="outer"]')?.getAttribute('style')).toBeNull()
    // The enclosing Person span shows as a second coloured band below the Organization one.
    const innerStyle = reader.querySelector<HTMLElement>('[data-annotation-id="inner"]')?.getAttribute('style') ?? ''
    expect(innerStyle).toMatch(/--bands: 0 3px 0 #C77C00/)
    expect(reader.querySelector('[data-annotation-id="inner"]')?.getAttribute('data-chip-tag')).toBe('ORG')
  })

  it('re-renders a block when its annotations change, leaving other blocks untouched', async () => {
    const { session, reader } = await renderReader()
    const arabicBlock = reader.querySelectorAll('.block')[2]
    const arabicSegment = arabicBlock?.querySelector('[data-offset]')
    session.deleteAnnotation('inner')
    flushSync()
    expect(reader.querySelector('[data-annotation-id="inner"]')).toBeNull()
    expect(reader.querySelector('[data-annotation-id="outer"]')?.textContent).toBe('Director General Salim bin Muhammad al-Malik')
    // Same DOM node: the untouched block was not rebuilt.
    expect(reader.querySelectorAll('.block')[2]?.querySelector('[data-offset]')).toBe(arabicSegment)
  })

  it('maps DOM points to document offsets and back', async () => {
    const { reader } = await renderReader()
    const salim = text.indexOf('Salim')
    const point = offsetToDomPoint(salim + 2, reader)
    expect(point?.node.textContent).toBe('Salim bin Muhammad al-Malik')
    expect(point?.offset).toBe(2)
    expect(point && domPointToOffset(point.node, point.offset, reader)).toBe(salim + 2)
    const arabic = text.indexOf('الوزير')
    const arabicPoint = offsetToDomPoint(arabic, reader)
    expect(arabicPoint && domPointToOffset(arabicPoint.node, arabicPoint.offset, reader)).toBe(arabic)
    // A point between elements resolves to the next segment's start.
    const block = reader.querySelectorAll('.block')[0] as Element
    const salimSegment = block.querySelector('[data-annotation-id="inner"]') as Element
    expect(domPointToOffset(block, [...block.childNodes].indexOf(salimSegment), reader)).toBe(salim)
    expect(domPointToOffset(document.body, 0, reader)).toBeNull()
  })

  it('after a jump draws the blocks in view alone, and widens the margins once the jumping stops', async () => {
    const { reader, drawn } = await renderLongReader()
    reader.scrollTop = 1000 * 30
    reader.dispatchEvent(new Event('scroll'))
    flushSync()
    // Blocks are whole paragraphs: a margin of a few lines on each side would draw about one
    // more paragraph at each edge in every frame of a scrollbar drag.
    expect(drawn()[0]).toBe(1000)
    expect(drawn().at(-1)).toBe(1000 + Math.floor(800 / 30))
    await new Promise((resolve) => setTimeout(resolve, 400))
    flushSync()
    expect(drawn()[0]).toBeLessThan(1000 - 20)
    expect(drawn().at(-1)).toBeGreaterThan(1026 + 20)
  })

  it('draws the view the next step of a fast scroll will show in a task of its own, and keeps it when the step comes', async () => {
    const { reader, drawn } = await renderLongReader()
    const blockElement = (index: number): Element | null => reader.querySelector(`.block[data-block-index="${index}"]`)
    reader.scrollTop = 500 * 30
    reader.dispatchEvent(new Event('scroll'))
    flushSync()
    // The frame draws the view alone.
    expect(drawn()).toEqual(range(500, 526))
    expect(reader.querySelector('.block-gap')).toBeNull()
    // A task later, the view one more step of 500 lines on, with a gap for the lines between.
    await new Promise((resolve) => setTimeout(resolve, 0))
    flushSync()
    expect(drawn()).toEqual([...range(500, 526), ...range(1000, 1026)])
    const gap = reader.querySelector<HTMLElement>('.block-gap')
    expect(gap?.previousElementSibling?.getAttribute('data-block-index')).toBe('526')
    expect(gap?.style.height).toBe(`${(1000 - 527) * 30}px`)
    const ahead = blockElement(1000)
    // The step comes: its blocks are the ones drawn ahead, not drawn again.
    reader.scrollTop = 1000 * 30
    reader.dispatchEvent(new Event('scroll'))
    flushSync()
    expect(drawn()).toEqual(range(1000, 1026))
    expect(blockElement(1000)).toBe(ahead)
    expect(reader.querySelector('.block-gap')).toBeNull()
    // Once the scrolling stops, the margins replace the look-ahead: no gap is left.
    await new Promise((resolve) => setTimeout(resolve, 400))
    flushSync()
    expect(reader.querySelector('.block-gap')).toBeNull()
    expect(drawn()[0]).toBeLessThan(1000 - 20)
    expect(drawn().at(-1)).toBeGreaterThan(1026 + 20)
    expect(drawn()).toEqual(range(drawn()[0] as number, drawn().at(-1) as number))
  })
})

/** 2,000 one-line paragraphs: each block is estimated one 30 px line (jsdom has no layout, so the reader takes an 800 px view). */
async function renderLongReader() {
  const lines = Array.from({ length: 2000 }, (_, line) => `Line ${String(line).padStart(4, '0')} of the long document.`)
  const api = new FakeApi([{ id: 'doc', name: 'Long', text: lines.join('\n') + '\n', annotations: [] }])
  const session = new DocumentSession({
    content: await api.getDocument({ documentId: 'doc', annotator: 'Leyla' }),
    tags: DEFAULT_TAGS,
    saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits)
  })
  render(Reader, { session })
  const reader = screen.getByRole('document', { name: 'Document text' })
  const drawn = (): number[] => [...reader.querySelectorAll<HTMLElement>('.block')].map((block) => Number(block.dataset.blockIndex))
  return { reader, drawn }
}

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, index) => first + index)
}
