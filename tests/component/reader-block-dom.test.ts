// The reader's segment elements are built directly (block-dom.ts) and coloured by one rule per
// tag (highlight-style.ts): what selection.ts and the stylesheet rely on must hold.
import { describe, expect, it } from 'vitest'
import { segmentBlock } from '../../src/renderer/src/lib/reader/block-segments'
import { renderSegments, sameSegmentViews, updateSegments, viewSegments } from '../../src/renderer/src/lib/reader/block-dom'
import { tagColorRules } from '../../src/renderer/src/lib/reader/highlight-style'
import { repaintKeepingSelection, selectionToOffsets } from '../../src/renderer/src/lib/reader/selection'
import { DEFAULT_TAGS, type Annotation, type TagDefinition } from '../../src/shared/model'
import { colleagueMark, ownMark } from '../../src/renderer/src/lib/reader/marks'
import { makeAnnotation } from './fake-api'
import { within } from '@testing-library/svelte'

const text = 'Minister Emin Amrullayev met ISESCO.'
const person = makeAnnotation(text, 'person', text.indexOf('Emin'), text.indexOf(' met'), 'PERSON', 'check spelling')
const inner = makeAnnotation(text, 'inner', text.indexOf('Amrullayev'), text.indexOf(' met'), 'ORG')
const context = { tags: DEFAULT_TAGS, flashId: null }
const own = (annotations: Annotation[]) => annotations.map((annotation) => ownMark(annotation, DEFAULT_TAGS))

function views(flashId: string | null = null) {
  return viewSegments(segmentBlock(text, 0, text.length, own([person, inner])), { ...context, flashId })
}

describe('reader block elements', () => {
  it('builds one span per segment with its offset, and highlight data only on highlights', () => {
    const block = document.createElement('div')
    renderSegments(block, views())
    const spans = [...block.children] as HTMLElement[]
    expect(block.textContent).toBe(text)
    expect(spans.map((span) => [span.dataset.offset, span.textContent, span.className])).toEqual([
      ['0', 'Minister ', 'segment'],
      ['9', 'Emin ', 'segment highlight noted'],
      ['14', 'Amrullayev', 'segment highlight noted'],
      ['24', ' met ISESCO.', 'segment']
    ])
    // Every text node is the only child of its segment, as selection.ts assumes.
    expect(spans.every((span) => span.childNodes.length === 1 && span.firstChild?.nodeType === Node.TEXT_NODE)).toBe(true)
    const [, outer, nested] = spans as [HTMLElement, HTMLElement, HTMLElement]
    expect(outer.dataset).toMatchObject({ annotationId: 'person', tag: 'PERSON', labels: 'PER', chipTag: 'PERSON' })
    expect(outer.getAttribute('style')).toBeNull()
    expect(nested.dataset).toMatchObject({ annotationId: 'inner', tag: 'ORG', labels: 'ORG', chipTag: 'ORG' })
    expect(nested.getAttribute('style')).toBe('--bands: 0 3px 0 #C77C00; margin-bottom: 3px')
    expect(nested.title).toBe('Person: check spelling\nOrganization')
  })

  it('replaces the previous elements when rendered again', () => {
    const block = document.createElement('div')
    renderSegments(block, views())
    renderSegments(block, views('inner'))
    expect(block.children).toHaveLength(4)
    expect(block.querySelector('[data-annotation-id="inner"]')?.classList.contains('flash')).toBe(true)
    expect(block.querySelector('[data-annotation-id="person"]')?.classList.contains('flash')).toBe(false)
  })

  it('rebuilds only the segments a change touched, leaving the same elements as a full render', () => {
    const longText = 'Minister Emin Amrullayev met ISESCO in Baku and then Rabat.'
    const minister = makeAnnotation(longText, 'minister', 0, 'Minister'.length, 'PERSON')
    const rabat = makeAnnotation(longText, 'rabat', longText.indexOf('Rabat'), longText.indexOf('Rabat') + 5, 'EVENT')
    const baku = makeAnnotation(longText, 'baku', longText.indexOf('Baku'), longText.indexOf('Baku') + 4, 'ORG')
    const render = (annotations: Annotation[]) => viewSegments(segmentBlock(longText, 0, longText.length, own(annotations)), context)
    const before = render([minister, rabat])
    const after = render([minister, baku, rabat])
    const block = document.createElement('div')
    renderSegments(block, before)
    const [first, , , last] = [...block.children]
    updateSegments(block, before, after)
    const expected = document.createElement('div')
    renderSegments(expected, after)
    expect(block.innerHTML).toBe(expected.innerHTML)
    // The segments before and after the new highlight are the elements that were there.
    expect(block.children[0]).toBe(first)
    expect(block.children[block.children.length - 1]).toBe(last)
    // Removing it again, and a block shown for the first time, come out the same as a full render.
    updateSegments(block, after, before)
    const original = document.createElement('div')
    renderSegments(original, before)
    expect(block.innerHTML).toBe(original.innerHTML)
    const fresh = document.createElement('div')
    updateSegments(fresh, [], after)
    expect(fresh.innerHTML).toBe(expected.innerHTML)
  })

  it('tells an unchanged block (no rebuild) from a changed one', () => {
    expect(sameSegmentViews(views(), views())).toBe(true)
    expect(sameSegmentViews(views(), views('inner'))).toBe(false)
    const retagged = viewSegments(segmentBlock(text, 0, text.length, own([person, { ...inner, tag: 'EVENT' }])), context)
    expect(sameSegmentViews(views(), retagged)).toBe(false)
  })

  it('writes one colour rule per tag and none for ids or colours that could escape the rule', () => {
    const tags: TagDefinition[] = [
      { id: 'PERSON', label: 'Person', shortLabel: 'PER', key: '1', color: '#E69F00' },
      { id: 'BAD"]{}', label: 'Bad', shortLabel: 'BAD', key: '5', color: '#000000' },
      { id: 'PLACE', label: 'Place', shortLabel: 'PLC', key: '6', color: 'red; background: url(x)' }
    ]
    const rules = tagColorRules(tags)
    // The old default orange is too faint on light pages: darker there, as it is on dark ones.
    expect(rules).toContain('.reader [data-tag="PERSON"] { --tint: light-dark(#BD830038, #E69F0038); --line: light-dark(#BD8300, #E69F00); }')
    expect(rules).toContain('.reader [data-box-tag="PERSON"] { --box: light-dark(#BD8300, #E69F00); }')
    expect(rules).toContain('.reader [data-chip-tag="PERSON"] { --chip: light-dark(#BD8300, #E69F00); --chip-text: #111111; }')
    expect(rules).not.toContain('BAD')
    expect(rules).toContain('.reader [data-tag="PLACE"] { --tint: #77777738; --line: #777777; }')
    expect(rules).not.toContain('url(')
  })

  it('names each highlight for a screen reader: a mark whose description says the tag and whose span it is', () => {
    const block = document.createElement('div')
    const rashads = colleagueMark(makeAnnotation(text, 'rashad-org', text.indexOf('ISESCO'), text.indexOf('.'), 'ORG'), 'Rashad', DEFAULT_TAGS)
    renderSegments(block, viewSegments(segmentBlock(text, 0, text.length, [...own([person, inner]), rashads]), context))
    const marks = within(block).getAllByRole('mark')
    expect(marks.map((mark) => [mark.textContent, mark.getAttribute('aria-description')])).toEqual([
      ['Emin ', 'Person, by Leyla, note: check spelling'],
      ['Amrullayev', 'Person, by Leyla, note: check spelling; Organization, by Leyla'],
      ['ISESCO', 'Organization, by Rashad']
    ])
    // Plain text is no mark, so a screen reader is told of highlights only.
    expect(block.querySelectorAll('.segment:not([role="mark"])')).toHaveLength(3)
    // A retag changes what is said, so the block is rebuilt.
    const retagged = viewSegments(segmentBlock(text, 0, text.length, own([person, { ...inner, tag: 'EVENT' }])), context)
    expect(retagged[2]?.description).toBe('Person, by Leyla, note: check spelling; Event, by Leyla')
  })
  it('keeps a selection at its offsets when the segments it starts and ends in are rebuilt', () => {
    const block = document.createElement('div')
    document.body.append(block)
    const plain = viewSegments(segmentBlock(text, 0, text.length, []), context)
    renderSegments(block, plain)
    // A drag from "Amrullayev" to the end of "met": one plain run of text holds both ends.
    const run = block.firstChild?.firstChild as Text
    const selection = document.getSelection() as Selection
    selection.setBaseAndExtent(run, text.indexOf('Amrullayev'), run, text.indexOf(' ISESCO'))
    // A colleague's span on "Emin" arrives and splits the run: its text node is replaced.
    const colleague = colleagueMark(makeAnnotation(text, 'c', text.indexOf('Emin'), text.indexOf(' Amrullayev'), 'PERSON'), 'Leyla', DEFAULT_TAGS)
    const split = viewSegments(segmentBlock(text, 0, text.length, [colleague]), context)
    repaintKeepingSelection(block, () => updateSegments(block, plain, split))
    expect(run.isConnected).toBe(false)
    expect(selectionToOffsets(selection, block)).toEqual({ anchor: text.indexOf('Amrullayev'), focus: text.indexOf(' ISESCO') })
    // Without it the selection falls back to the block's start.
    selection.setBaseAndExtent(block.children[2]?.firstChild as Text, 1, block.children[2]?.firstChild as Text, 4)
    updateSegments(block, split, plain)
    expect(selectionToOffsets(selection, block)?.anchor).toBe(0)
    block.remove()
  })

  it('draws any text exactly in its segments: markup, ampersands, quotes, CR, NUL and lone surrogates', () => {
    const hostile = [
      'Tom & Jerry <b>bold</b> "quoted" line\r\nnext\rlast &amp; done',
      'a NUL \u0000 here, & then <more> after',
      'a lone \uD800 surrogate, an emoji \u{1F600} & <this> end'
    ]
    for (const hostileText of hostile) {
      const tagged = makeAnnotation(hostileText, 'tagged', hostileText.indexOf('<'), hostileText.indexOf('>') + 1, 'ORG', 'a "note" & <more>\r\nline two')
      const block = document.createElement('div')
      renderSegments(block, viewSegments(segmentBlock(hostileText, 0, hostileText.length, own([tagged])), context))
      expect(block.textContent).toBe(hostileText)
      const spans = [...block.children] as HTMLElement[]
      expect(spans.every((span) => span.childNodes.length === 1 && span.firstChild?.nodeType === Node.TEXT_NODE)).toBe(true)
      expect(spans.map((span) => Number(span.dataset.offset))).toEqual([0, hostileText.indexOf('<'), hostileText.indexOf('>') + 1])
      const highlight = block.querySelector<HTMLElement>('[data-annotation-id="tagged"]')
      expect(highlight?.textContent).toBe(hostileText.slice(hostileText.indexOf('<'), hostileText.indexOf('>') + 1))
      expect(highlight?.title).toBe('Organization: a "note" & <more>\r\nline two')
      expect(highlight?.getAttribute('role')).toBe('mark')
      expect(highlight?.getAttribute('aria-description')).toBe('Organization, by Leyla, note: a "note" & <more>\r\nline two')
    }
  })
})
