import { describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import AnnotationPanel from '../../src/renderer/src/lib/components/AnnotationPanel.svelte'
import { DEFAULT_TAGS, type Annotation } from '../../src/shared/model'
import { makeAnnotation } from './fake-api'

const text = 'Emin Amrullayev met ISESCO and ICESCO in Baku.'

function annotationsFixture(): Annotation[] {
  return [
    makeAnnotation(text, 'p1', 0, 15, 'PERSON', 'the minister'),
    makeAnnotation(text, 'o1', 20, 26, 'ORG'),
    makeAnnotation(text, 'o2', 31, 37, 'ORG'),
    makeAnnotation(text, 'e1', 41, 45, 'EVENT')
  ]
}

describe('AnnotationPanel', () => {
  it('groups annotations by tag with counts, in tag order, with note icons', () => {
    render(AnnotationPanel, { annotations: annotationsFixture(), tags: DEFAULT_TAGS, onSelect: () => {} })
    const groups = screen.getAllByRole('region').map((group) => ({
      name: group.getAttribute('aria-label'),
      count: within(group).getByTestId('tag-count').textContent,
      items: within(group).queryAllByRole('listitem').map((item) => item.querySelector('.item-text')?.textContent)
    }))
    expect(groups).toEqual([
      { name: 'Person annotations', count: '1', items: ['Emin Amrullayev'] },
      { name: 'Organization annotations', count: '2', items: ['ISESCO', 'ICESCO'] },
      { name: 'Event annotations', count: '1', items: ['Baku'] },
      { name: 'Program annotations', count: '0', items: [] }
    ])
    expect(screen.getAllByRole('img', { name: 'has a note' })).toHaveLength(1)
  })

  it('calls onSelect with the clicked annotation', async () => {
    const onSelect = vi.fn()
    render(AnnotationPanel, { annotations: annotationsFixture(), tags: DEFAULT_TAGS, onSelect })
    await userEvent.setup().click(screen.getByRole('button', { name: 'ICESCO' }))
    expect(onSelect).toHaveBeenCalledWith(expect.objectContaining({ id: 'o2' }))
  })

  // 80,000 annotations built and grouped in jsdom: seconds on a loaded CI machine. What it
  // checks is that the DOM holds one page, not how fast (npm run bench -- reader times that).
  it('renders only a page of a large group, its first screen before the rest, and more on request', { timeout: 30_000 }, async () => {
    const many: Annotation[] = []
    for (let i = 0; i < 80_000; i++) many.push(makeAnnotation(text, `a${i}`, 41, 45, 'EVENT'))
    render(AnnotationPanel, { annotations: many, tags: DEFAULT_TAGS, onSelect: () => {} })
    const events = screen.getByRole('region', { name: 'Event annotations' })
    expect(within(events).getByTestId('tag-count').textContent).toBe((80_000).toLocaleString())
    // The first screen is drawn with the document; the page fills in steps after that paint.
    expect(within(events).getAllByRole('listitem').length).toBeLessThan(30)
    // Out of view, a group is skipped by the browser from the filling's first step on, not on the
    // first screen (where deciding what is in view would cost the opening's frame a second layout).
    const seen: { rows: number; skips: boolean }[] = []
    const note = (): void => void seen.push({ rows: within(events).queryAllByRole('listitem').length, skips: events.classList.contains('skips-out-of-view') })
    note()
    const watch = new MutationObserver(note)
    watch.observe(events, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] })
    await waitFor(() => expect(within(events).getAllByRole('listitem')).toHaveLength(100))
    watch.disconnect()
    expect(seen[0]).toEqual({ rows: 12, skips: false })
    expect(seen.filter((state) => state.rows > 12).every((state) => state.skips)).toBe(true)
    await userEvent.setup().click(within(events).getByRole('button', { name: /show more/i }))
    expect(within(events).getAllByRole('listitem')).toHaveLength(600)
  })

  it('collapses and expands a group', async () => {
    render(AnnotationPanel, { annotations: annotationsFixture(), tags: DEFAULT_TAGS, onSelect: () => {} })
    const toggle = screen.getByRole('button', { name: /Organization/ })
    await userEvent.setup().click(toggle)
    expect(toggle).toHaveAttribute('aria-expanded', 'false')
    expect(within(screen.getByRole('region', { name: 'Organization annotations' })).queryAllByRole('listitem')).toHaveLength(0)
  })
})
