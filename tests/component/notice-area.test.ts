// Calm notices: they appear in a polite live region, fade after a time that grows with their
// text, stay while the pointer is on them or focus is in them, go with the close button or
// Escape (handing focus back), and may carry one action. Fake timers drive the fading.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, within } from '@testing-library/svelte'
import NoticeArea from '../../src/renderer/src/lib/components/NoticeArea.svelte'
import { NOTICE_FADE_MS, noticeDuration, Notices } from '../../src/renderer/src/lib/state/notices.svelte'

function area(): HTMLElement {
  return screen.getByRole('status', { name: 'Notices' })
}

function shown(): string[] {
  return within(area())
    .queryAllByTestId('notice')
    .map((notice) => notice.querySelector('.notice-message')?.textContent ?? '')
}

/** Lets Svelte apply the state changes the timers made. */
async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms)
}

describe('notice area', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('is a polite live region present before any notice, and shows one without taking focus', async () => {
    const notices = new Notices()
    render(NoticeArea, { notices })
    expect(area()).toHaveAttribute('aria-live', 'polite')
    expect(shown()).toEqual([])
    const before = document.activeElement
    notices.show('Imported 1 file: field-notes.txt')
    await advance(0)
    expect(shown()).toEqual(['Imported 1 file: field-notes.txt'])
    expect(area()).toHaveTextContent('Imported 1 file: field-notes.txt')
    expect(document.activeElement).toBe(before)
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('fades after its time, longer for longer text, and is gone when the fade ends', async () => {
    const notices = new Notices()
    render(NoticeArea, { notices })
    const short = 'Imported 3 files'
    const long = 'Restored the backup saved today at 16:51: /data/interviews/documents/meeting/annotations/leyla.json is back in place. The file it replaced was kept as leyla.json.replaced.'
    expect(noticeDuration(long)).toBeGreaterThan(noticeDuration(short))
    notices.show(short)
    notices.show(long)
    await advance(noticeDuration(short) - 1)
    expect(shown()).toEqual([short, long])
    await advance(1)
    expect(within(area()).getAllByTestId('notice')[0]).toHaveClass('leaving')
    await advance(NOTICE_FADE_MS)
    expect(shown()).toEqual([long])
    // Now at short + fade; the long one starts fading at its own time.
    await advance(noticeDuration(long) - noticeDuration(short) - NOTICE_FADE_MS - 1)
    expect(within(area()).getByTestId('notice')).not.toHaveClass('leaving')
    await advance(1)
    expect(within(area()).getByTestId('notice')).toHaveClass('leaving')
    await advance(NOTICE_FADE_MS)
    expect(shown()).toEqual([])
  })

  it('stays while hovered, and fades a moment after the pointer leaves', async () => {
    const notices = new Notices()
    render(NoticeArea, { notices })
    notices.show('Exported 2 documents and 17 spans to corpus.jsonl.')
    await advance(1000)
    const notice = within(area()).getByTestId('notice')
    await fireEvent.mouseEnter(notice)
    await advance(60_000)
    expect(shown()).toHaveLength(1)
    expect(notice).not.toHaveClass('leaving')
    await fireEvent.mouseLeave(notice)
    await advance(noticeDuration('Exported 2 documents and 17 spans to corpus.jsonl.') - 1000 - 1)
    expect(shown()).toHaveLength(1)
    await advance(1 + NOTICE_FADE_MS)
    expect(shown()).toEqual([])
  })

  it('stays while focus is in it, comes back if focused while fading, and Escape dismisses it and hands focus back', async () => {
    const notices = new Notices()
    const outside = document.createElement('button')
    outside.textContent = 'Export…'
    document.body.append(outside)
    render(NoticeArea, { notices })
    notices.show('Imported 3 files')
    await advance(noticeDuration('Imported 3 files'))
    const notice = within(area()).getByTestId('notice')
    expect(notice).toHaveClass('leaving')

    outside.focus()
    const close = within(notice).getByRole('button', { name: 'Dismiss notice' })
    await fireEvent.focusIn(close, { relatedTarget: outside })
    close.focus()
    await advance(0)
    expect(notice).not.toHaveClass('leaving')
    await advance(60_000)
    expect(shown()).toEqual(['Imported 3 files'])

    await fireEvent.keyDown(close, { key: 'Escape' })
    await advance(0)
    expect(shown()).toEqual([])
    expect(document.activeElement).toBe(outside)
    outside.remove()
  })

  it('is dismissed with its close button', async () => {
    const notices = new Notices()
    render(NoticeArea, { notices })
    notices.show('Synced: 2 files committed, pushed.')
    await advance(0)
    await fireEvent.click(within(area()).getByRole('button', { name: 'Dismiss notice' }), { detail: 1 })
    expect(shown()).toEqual([])
  })

  it('runs its one action and then goes', async () => {
    const notices = new Notices()
    render(NoticeArea, { notices })
    const run = vi.fn()
    notices.show('Exported 1 document and 2 spans to corpus.jsonl.', { action: { label: 'Show in folder', run } })
    notices.show('Imported 1 file: notes.txt')
    await advance(0)
    const exported = within(area()).getAllByTestId('notice')[0]!
    expect(within(exported).getAllByRole('button').map((button) => button.textContent)).toEqual(['Show in folder', '✕'])
    await fireEvent.click(within(exported).getByRole('button', { name: 'Show in folder' }), { detail: 1 })
    expect(run).toHaveBeenCalledOnce()
    expect(shown()).toEqual(['Imported 1 file: notes.txt'])
  })

  it('gives a notice with an action time to reach its button', () => {
    expect(noticeDuration('Tagged 3 spans', true)).toBeGreaterThanOrEqual(8_000)
    expect(noticeDuration('Tagged 3 spans')).toBe(5_000)
  })

  it('keeps at most four on screen, dropping the oldest', async () => {
    const notices = new Notices()
    render(NoticeArea, { notices })
    for (let i = 1; i <= 6; i++) notices.show(`Notice ${i}`)
    await advance(0)
    expect(shown()).toEqual(['Notice 3', 'Notice 4', 'Notice 5', 'Notice 6'])
  })
})
