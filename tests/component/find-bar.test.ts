// The find bar's state and component in jsdom. Matching is real: the worker's engine runs in
// this thread (createInThreadFindWorker), over the shared search core. A worker that never
// answers stands in for a runaway expression.
import { describe, expect, it, vi } from 'vitest'
import { flushSync } from 'svelte'
import { render, screen } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import { DocumentSession } from '../../src/renderer/src/lib/state/document-session.svelte'
import { FindBarState } from '../../src/renderer/src/lib/state/find-bar.svelte'
import { createInThreadFindWorker, MatchRunner, type FindWorkerLike } from '../../src/renderer/src/lib/find/match-runner'
import type { ToFindWorker } from '../../src/renderer/src/lib/find/find-protocol'
import FindBar from '../../src/renderer/src/lib/components/FindBar.svelte'
import { DEFAULT_TAGS } from '../../src/shared/model'
import { FakeApi } from './fake-api'

const text = 'İlham Əliyev met Ali Aliyev in Şuşa.\r\nLater ƏLİYEV spoke; aliyevlər listened. 👩🏽‍💻 Aliyev.\n'

async function openSession(): Promise<DocumentSession> {
  const api = new FakeApi([{ id: 'doc', name: 'Meeting', text }])
  return new DocumentSession({
    content: await api.getDocument({ documentId: 'doc', annotator: 'Leyla' }),
    tags: DEFAULT_TAGS,
    saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits)
  })
}

function inThreadBar(): FindBarState {
  return new FindBarState(() => new MatchRunner({ createWorker: createInThreadFindWorker }))
}

/** Waits until the bar has an answer for what it was last asked. */
async function settled(bar: FindBarState): Promise<void> {
  await vi.waitFor(() => expect(bar.searching).toBe(false))
  flushSync()
}

function matchTexts(bar: FindBarState): string[] {
  const found: string[] = []
  for (let index = 0; index < bar.count; index++) found.push(text.slice(bar.matches[index * 2], bar.matches[index * 2 + 1]))
  return found
}

describe('FindBarState', () => {
  it('finds every match in the whole text, makes the first the exact selection and scrolls to it', async () => {
    const session = await openSession()
    const bar = inThreadBar()
    bar.attach(session)
    bar.show()
    bar.setText('aliyev')
    await settled(bar)
    expect(matchTexts(bar)).toEqual(['Əliyev', 'Aliyev', 'ƏLİYEV', 'aliyev', 'Aliyev'])
    expect(bar.status).toBe('1 of 5')
    expect(session.selection).toEqual({ anchor: 6, focus: 12, exact: true })
    expect(session.scrollRequest?.offset).toBe(6)
    expect(bar.highlights).toMatchObject({ count: 5, current: 0 })
  })

  it('steps forward and back with wrapping, and starts from the reader selection', async () => {
    const session = await openSession()
    const bar = inThreadBar()
    bar.attach(session)
    const later = text.indexOf('Later')
    session.setSelection(later, later)
    bar.show()
    bar.setText('aliyev')
    await settled(bar)
    expect(bar.status).toBe('3 of 5')
    bar.next()
    bar.next()
    expect(bar.status).toBe('5 of 5')
    bar.next()
    expect(bar.status).toBe('1 of 5')
    bar.previous()
    expect(bar.status).toBe('5 of 5')
    expect(session.selectedRange).toEqual({ start: text.lastIndexOf('Aliyev'), end: text.lastIndexOf('Aliyev') + 6 })
  })

  it('applies the options: case, diacritics, whole word, regex', async () => {
    const session = await openSession()
    const bar = inThreadBar()
    bar.attach(session)
    bar.show()
    bar.setText('aliyev')
    bar.setOption('wholeWord', true)
    await settled(bar)
    expect(matchTexts(bar)).toEqual(['Əliyev', 'Aliyev', 'ƏLİYEV', 'Aliyev'])
    bar.setOption('matchDiacritics', true)
    await settled(bar)
    expect(matchTexts(bar)).toEqual(['Aliyev', 'Aliyev'])
    bar.setOption('matchCase', true)
    await settled(bar)
    expect(bar.status).toBe('No matches')
    expect(bar.highlights).toBeNull()
    bar.setOption('matchCase', false)
    bar.setOption('matchDiacritics', false)
    bar.setOption('wholeWord', false)
    bar.setOption('regex', true)
    bar.setText('al[a-z]+ev\\b')
    await settled(bar)
    expect(matchTexts(bar)).toEqual(['Əliyev', 'Aliyev', 'ƏLİYEV', 'Aliyev'])
  })

  it('says what is wrong with an invalid or empty-matching expression and changes nothing else', async () => {
    const session = await openSession()
    const bar = inThreadBar()
    bar.attach(session)
    bar.show()
    bar.setOption('regex', true)
    bar.setText('ali')
    await settled(bar)
    const before = { count: bar.count, current: bar.current, selection: session.selection }
    bar.setText('(ali')
    await settled(bar)
    expect(bar.problem).toMatch(/^Not a valid regular expression/)
    expect(bar.status).toBe('')
    expect({ count: bar.count, current: bar.current, selection: session.selection }).toEqual(before)
    bar.setText('a*')
    await settled(bar)
    expect(bar.problem).toMatch(/matches empty text/)
    bar.setText('ali')
    await settled(bar)
    expect(bar.problem).toBeNull()
  })

  it('keeps its query when closed and reopened, and searches a newly opened document', async () => {
    const bar = inThreadBar()
    bar.attach(await openSession())
    bar.show()
    bar.setText('Şuşa')
    await settled(bar)
    bar.close()
    expect(bar.highlights).toBeNull()
    bar.show()
    expect(bar.text).toBe('Şuşa')
    expect(bar.status).toBe('1 of 1')
    bar.setText('aliyev')
    await settled(bar)
    // From where the selection was (Şuşa), on.
    expect(bar.status).toBe('3 of 5')
    bar.next()
    expect(bar.status).toBe('4 of 5')
    // Another document is searched from its start.
    const other = await openSession()
    bar.attach(other)
    await settled(bar)
    expect(bar.status).toBe('1 of 5')
    expect(other.selectedRange).toEqual({ start: 6, end: 12 })
  })
})

describe('MatchRunner time limit', () => {
  it('stops a query that runs too long by ending the worker, and searches on with a fresh one', async () => {
    vi.useFakeTimers()
    try {
      const workers: { messages: ToFindWorker[]; terminated: boolean; hang: boolean }[] = []
      const createWorker = (): FindWorkerLike => {
        const record = { messages: [] as ToFindWorker[], terminated: false, hang: workers.length === 0 }
        workers.push(record)
        const engineWorker = createInThreadFindWorker()
        const worker: FindWorkerLike = {
          onmessage: null,
          postMessage(message) {
            record.messages.push(message)
            // The first worker is stuck in a runaway expression: it never answers a query.
            if (record.hang && message.kind === 'find') return
            engineWorker.postMessage(message)
          },
          terminate() {
            record.terminated = true
            engineWorker.terminate()
          }
        }
        engineWorker.onmessage = (event) => worker.onmessage?.(event)
        return worker
      }
      const session = await openSession()
      const bar = new FindBarState(() => new MatchRunner({ createWorker }))
      bar.attach(session)
      bar.show()
      bar.setOption('regex', true)
      bar.setText('(a+)+$')
      await vi.advanceTimersByTimeAsync(1999)
      expect(bar.stoppedAfterMs).toBeNull()
      await vi.advanceTimersByTimeAsync(1)
      expect(bar.notice).toBe('Stopped after 2 s: the expression takes too long')
      expect(bar.status).toBe('')
      expect(workers[0]?.terminated).toBe(true)
      // The fresh worker has the text before any query, and answers the next one.
      expect(workers[1]?.messages[0]).toMatchObject({ kind: 'text', text })
      bar.setText('Aliyev\\.')
      await vi.advanceTimersByTimeAsync(10)
      expect(bar.stoppedAfterMs).toBeNull()
      expect(bar.status).toBe('1 of 1')
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('MatchRunner without a worker', () => {
  it('matches in this thread when the worker cannot load, instead of reporting a runaway', async () => {
    let created = 0
    const brokenWorker = (): FindWorkerLike => {
      created++
      const worker: FindWorkerLike = {
        onmessage: null,
        onerror: null,
        postMessage() {
          setTimeout(() => worker.onerror?.(new Event('error')), 0)
        },
        terminate() {}
      }
      return worker
    }
    const session = await openSession()
    const bar = new FindBarState(() => new MatchRunner({ createWorker: brokenWorker }))
    bar.attach(session)
    bar.show()
    bar.setText('Şuşa')
    await settled(bar)
    expect(created).toBe(1)
    expect(bar.stoppedAfterMs).toBeNull()
    expect(bar.status).toBe('1 of 1')
  })
})

describe('FindBar', () => {
  it('is a labelled search field with options; Enter and Shift+Enter step, Escape closes', async () => {
    const user = userEvent.setup()
    const session = await openSession()
    const bar = inThreadBar()
    bar.attach(session)
    bar.show()
    const onClose = vi.fn()
    render(FindBar, { find: bar, onClose })
    const field = screen.getByRole('textbox', { name: 'Find in document' })
    await vi.waitFor(() => expect(field).toHaveFocus())
    await user.type(field, 'aliyev')
    await vi.waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('1 of 5'))
    await user.keyboard('{Enter}')
    expect(screen.getByRole('status')).toHaveTextContent('2 of 5')
    await user.keyboard('{Shift>}{Enter}{Enter}{/Shift}')
    expect(screen.getByRole('status')).toHaveTextContent('5 of 5')
    await user.click(screen.getByRole('button', { name: 'Next match' }))
    expect(screen.getByRole('status')).toHaveTextContent('1 of 5')

    await user.click(screen.getByRole('checkbox', { name: 'Regular expression' }))
    expect(screen.getByRole('checkbox', { name: 'Match diacritics' }).closest('label')).toHaveAttribute('title', expect.stringMatching(/diacritics removed/))
    await user.clear(field)
    await user.type(field, '(ali')
    await vi.waitFor(() => expect(field).toHaveAttribute('aria-invalid', 'true'))
    expect(field).toHaveAccessibleDescription(/Not a valid regular expression/)

    field.focus()
    await user.keyboard('{Escape}')
    expect(onClose).toHaveBeenCalledOnce()
  })
})
