// The document list at corpus size: only a window of rows is drawn, the filter, sorts and
// progress filter, the keys of a listbox (arrows, pages, Home/End, Enter), the summary line,
// the open document kept in view, and Go to document (Ctrl+P) in the app.
import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import DocumentList from '../../src/renderer/src/lib/components/DocumentList.svelte'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { DEFAULT_TAGS, type DocumentSummary } from '../../src/shared/model'
import { FakeApi } from './fake-api'

function summary(index: number, extra: Partial<DocumentSummary> = {}): DocumentSummary {
  const name = `news-${String(index).padStart(5, '0')}`
  return {
    id: name,
    name,
    sizeBytes: 600 + (index % 7),
    length: 600,
    status: index % 4 === 0 ? 'done' : 'not-started',
    countsByTag: {},
    total: index % 5,
    layers: [{ annotator: 'Leyla', status: index % 4 === 0 ? 'done' : 'not-started', spans: index % 5 }],
    curation: null,
    reviewState: 'in-progress',
    lastChangedAt: null,
    ...extra
  }
}

const corpus = (count: number): DocumentSummary[] => Array.from({ length: count }, (_, index) => summary(index))

function renderList(documents: DocumentSummary[], currentId: string | null = null) {
  const onOpen = vi.fn()
  const onSearchTexts = vi.fn()
  const view = render(DocumentList, { documents, tags: DEFAULT_TAGS, currentId, onOpen, onSearchTexts })
  const listbox = screen.getByRole('listbox', { name: 'Documents' })
  const names = (): string[] => within(listbox).queryAllByRole('option').map((option) => option.querySelector('.document-name')?.textContent ?? '')
  return { ...view, onOpen, onSearchTexts, listbox, names, user: userEvent.setup() }
}

const activeName = (listbox: HTMLElement): string | null => {
  const id = listbox.getAttribute('aria-activedescendant')
  return id === null ? null : (document.getElementById(id)?.querySelector('.document-name')?.textContent ?? null)
}

describe('DocumentList at 10,000 documents', () => {
  it('draws a window of rows, not the list, with its place in the whole set', () => {
    const { listbox, names } = renderList(corpus(10_000))
    const drawn = names()
    expect(drawn.length).toBeGreaterThan(5)
    expect(drawn.length).toBeLessThan(40)
    expect(drawn[0]).toBe('news-00000')
    const first = within(listbox).getAllByRole('option')[0]!
    expect(first).toHaveAttribute('aria-setsize', '10000')
    expect(first).toHaveAttribute('aria-posinset', '1')
    expect(screen.getByRole('status')).toHaveTextContent('10,000 documents · 2,500 done')
  })

  it("marks a layer file that cannot be read with a ?, not its file name's initials and counts", () => {
    const unreadable = summary(0, {
      layers: [
        { annotator: 'Leyla', status: 'done', spans: 4 },
        { annotator: 'Samir-00000000', status: 'not-started', spans: 0, problem: true }
      ]
    })
    const { listbox } = renderList([unreadable])
    const badges = [...within(listbox).getAllByRole('option')[0]!.querySelectorAll('.document-layers .initials')]
    expect(badges.map((badge) => badge.textContent)).toEqual(['LE✓', '?'])
    expect(badges[1]).toHaveClass('problem')
    expect(badges[1]).toHaveAttribute('aria-label', 'Samir-00000000: a layer file that cannot be read (its Layers tab says why)')
    expect(badges[0]).toHaveAttribute('aria-label', 'Leyla: 4 spans, done')
  })

  it('draws the rows at the scroll position', async () => {
    const { listbox, names } = renderList(corpus(10_000))
    listbox.scrollTop = 72 * 5_000
    await fireEvent.scroll(listbox)
    const drawn = names()
    expect(drawn).toContain('news-05000')
    expect(drawn).not.toContain('news-00000')
    expect(drawn.length).toBeLessThan(40)
  })

  it('keeps its row elements through a scroll: rows that stay keep theirs, rows coming into view take those of rows that left', async () => {
    const { listbox, names } = renderList(corpus(10_000))
    const options = (): HTMLElement[] => within(listbox).getAllByRole('option')
    const elementOf = (name: string): HTMLElement | undefined => options().find((option) => option.querySelector('.document-name')?.textContent === name)
    // Away from the top, so the window (a screen and eight rows either side) is whole both times.
    listbox.scrollTop = 72 * 20
    await fireEvent.scroll(listbox)
    const elementsBefore = new Set(options())
    const staying = elementOf('news-00030')!
    expect(names()).toContain('news-00012')
    listbox.scrollTop = 72 * 28
    await fireEvent.scroll(listbox)
    expect(names()).toContain('news-00040')
    expect(names()).not.toContain('news-00012')
    // No row element was made or removed, and the row still drawn is drawn by the same element.
    expect(new Set(options())).toEqual(elementsBefore)
    expect(elementOf('news-00030')).toBe(staying)
    // Each drawn document once, with its place.
    const drawn = options().map((option) => [option.querySelector('.document-name')?.textContent ?? '', option.getAttribute('aria-posinset')] as const)
    expect(new Set(drawn.map(([name]) => name)).size).toBe(drawn.length)
    for (const [name, place] of drawn) expect(Number(place)).toBe(Number(name.slice(-5)) + 1)
    // In the page in the order shown, so a screen reader reads the listbox top to bottom.
    const places = drawn.map(([, place]) => Number(place))
    expect(places).toEqual(Array.from({ length: places.length }, (_, index) => places[0]! + index))
  })

  it('keeps the rows in the page in the order shown through scrolls both ways and a filter', async () => {
    const { listbox, names, user } = renderList(corpus(10_000))
    const inOrder = (): void => {
      const drawn = names()
      expect(drawn).toEqual([...drawn].sort())
      expect(Number(drawn.at(-1)!.slice(-5)) - Number(drawn[0]!.slice(-5))).toBe(drawn.length - 1)
    }
    for (const row of [3, 11, 40, 41, 300, 290, 7, 0, 9_990]) {
      listbox.scrollTop = 72 * row
      await fireEvent.scroll(listbox)
      inOrder()
    }
    await user.type(screen.getByRole('searchbox', { name: 'Filter documents by name' }), '09')
    expect(names()[0]).toBe('news-00009')
    expect(names()).toEqual([...names()].sort())
  })

  it('filters by words of the name and says how many are shown; the texts go to the project search', async () => {
    const { names, user, onSearchTexts } = renderList(corpus(10_000))
    await user.type(screen.getByRole('searchbox', { name: 'Filter documents by name' }), '0999')
    expect(names()).toEqual(['news-00999', 'news-09990', 'news-09991', 'news-09992', 'news-09993', 'news-09994', 'news-09995', 'news-09996', 'news-09997', 'news-09998', 'news-09999'])
    expect(screen.getByRole('status')).toHaveTextContent('11 of 10,000 documents · 2,500 done')
    await user.click(screen.getByRole('button', { name: 'Search the texts for “0999”…' }))
    expect(onSearchTexts).toHaveBeenCalledWith('0999')
    await user.clear(screen.getByRole('searchbox', { name: 'Filter documents by name' }))
    await user.type(screen.getByRole('searchbox', { name: 'Filter documents by name' }), 'nothing like it')
    expect(names()).toEqual([])
    expect(screen.getByText(/No document matches/)).toBeInTheDocument()
  })

  it('sorts by span count and reverses, and filters by an annotator’s progress', async () => {
    const { names, user } = renderList(corpus(40))
    await user.selectOptions(screen.getByRole('combobox', { name: 'Sort by' }), 'spans')
    expect(names().slice(0, 3)).toEqual(['news-00004', 'news-00009', 'news-00014'])
    await user.click(screen.getByRole('button', { name: 'Reverse the order' }))
    expect(screen.getByRole('button', { name: 'Reverse the order' })).toHaveAttribute('aria-pressed', 'true')
    expect(names().slice(0, 2)).toEqual(['news-00035', 'news-00030'])
    // The choice names the order shown, so a pressed ⇅ never contradicts it.
    const sort = screen.getByRole('combobox', { name: 'Sort by' }) as HTMLSelectElement
    expect(sort.selectedOptions[0]?.textContent).toBe('Your spans (fewest first)')
    const progress = screen.getByRole('combobox', { name: 'Annotator progress' }) as HTMLSelectElement
    expect([...progress.options].map((option) => option.textContent)).toEqual(['Any progress', 'Leyla: done', 'Leyla: in progress', 'Leyla: not started'])
    await user.selectOptions(progress, 'Leyla: done')
    // The whole order turned round, ties included.
    expect(names()).toEqual(['news-00020', 'news-00000', 'news-00036', 'news-00016', 'news-00032', 'news-00012', 'news-00028', 'news-00008', 'news-00024', 'news-00004'])
    expect(screen.getByRole('status')).toHaveTextContent('10 of 40 documents · 10 done')
  })

  it('walks with the arrows, pages and Home/End, scrolling the active row into view, and opens with Enter', async () => {
    const { listbox, names, user, onOpen } = renderList(corpus(10_000))
    listbox.focus()
    await waitFor(() => expect(activeName(listbox)).toBe('news-00000'))
    await user.keyboard('{ArrowDown}{ArrowDown}')
    expect(activeName(listbox)).toBe('news-00002')
    await user.keyboard('{ArrowUp}')
    expect(activeName(listbox)).toBe('news-00001')
    await user.keyboard('{PageDown}')
    // The unmeasured window is 640 px: a page is 8 rows of 72 px.
    expect(activeName(listbox)).toBe('news-00009')
    await user.keyboard('{End}')
    expect(activeName(listbox)).toBe('news-09999')
    expect(names()).toContain('news-09999')
    expect(names()).not.toContain('news-00000')
    await user.keyboard('{PageUp}{Enter}')
    expect(onOpen).toHaveBeenLastCalledWith('news-09991')
    await user.keyboard('{Home}')
    expect(activeName(listbox)).toBe('news-00000')
    expect(listbox.querySelector('.document-option.active')).toHaveAttribute('aria-selected', 'false')
  })

  it('goes from the filter to the list with ↓, and opens the first match with Enter', async () => {
    const { listbox, user, onOpen } = renderList(corpus(100))
    const filter = screen.getByRole('searchbox', { name: 'Filter documents by name' })
    await user.type(filter, '42{ArrowDown}')
    expect(document.activeElement).toBe(listbox)
    expect(activeName(listbox)).toBe('news-00042')
    await user.click(filter)
    await user.keyboard('{Enter}')
    expect(onOpen).toHaveBeenLastCalledWith('news-00042')
  })

  it('brings the open document into view when it was opened from elsewhere', async () => {
    const documents = corpus(10_000)
    const { rerender, names, listbox } = renderList(documents, null)
    await rerender({ documents, tags: DEFAULT_TAGS, currentId: 'news-07000', onOpen: vi.fn(), onSearchTexts: vi.fn() })
    expect(names()).toContain('news-07000')
    const current = within(listbox).getByRole('option', { name: /news-07000/ })
    expect(current).toHaveAttribute('aria-selected', 'true')
    expect(current).toHaveClass('current')
  })

  it('leaves the list where the user scrolled it when the app opens the first document on its own, and follows later switches', async () => {
    const documents = corpus(10_000)
    const props = { documents, tags: DEFAULT_TAGS, onOpen: vi.fn(), onSearchTexts: vi.fn() }
    const { rerender, names, listbox } = renderList(documents, null)
    // A large project: the list is there seconds before its first document.
    listbox.scrollTop = 72 * 300
    await fireEvent.scroll(listbox)
    await rerender({ ...props, currentId: 'news-00000' })
    expect(names()).toContain('news-00300')
    expect(names()).not.toContain('news-00000')
    expect(listbox.scrollTop).toBe(72 * 300)
    // A document chosen afterwards (Go to document, the search) is brought into view as before.
    await rerender({ ...props, currentId: 'news-07000' })
    expect(names()).toContain('news-07000')
  })

  it('leaves the keyboard’s row where the user walked it when the app opens the first document on its own', async () => {
    const documents = corpus(10_000)
    const { rerender, listbox, user } = renderList(documents, null)
    listbox.focus()
    for (let press = 0; press < 3; press++) await user.keyboard('{PageDown}')
    const walkedTo = activeName(listbox)
    expect(walkedTo).not.toBe('news-00000')
    await rerender({ documents, tags: DEFAULT_TAGS, currentId: 'news-00000', onOpen: vi.fn(), onSearchTexts: vi.fn() })
    expect(activeName(listbox)).toBe(walkedTo)
  })

  it('keeps the open document listed when a state filter would hide it', async () => {
    const documents = corpus(20).map((doc, index) => (index === 3 ? { ...doc, reviewState: 'annotated' as const } : doc))
    const { names, user } = renderList(documents, 'news-00007')
    await user.selectOptions(screen.getByRole('combobox', { name: 'Review state' }), 'annotated')
    expect(names()).toEqual(['news-00003', 'news-00007'])
  })
})

describe('Go to document (Ctrl+P)', () => {
  function bigProject(): FakeApi {
    const docs = Array.from({ length: 300 }, (_, index) => ({ id: `doc-${index}`, name: `report ${index} ${index % 2 === 0 ? 'baku' : 'ganja'}`, text: `Text ${index}.` }))
    const api = new FakeApi(docs)
    api.appInfo.edition = 'browser'
    api.openProjectNamed('Corpus')
    return api
  }

  it('opens a document by part of its name, keyboard only, and shows it in the list', async () => {
    const api = bigProject()
    render(App, { app: new AppState(api) })
    await screen.findByRole('listbox', { name: 'Documents' })
    const user = userEvent.setup()
    await user.keyboard('{Control>}p{/Control}')
    const dialog = await screen.findByRole('dialog', { name: 'Go to document' })
    const field = within(dialog).getByRole('combobox', { name: 'Go to document' })
    expect(document.activeElement).toBe(field)
    await user.keyboard('rep 27 gan')
    // Words in order though apart: "report 27 ganja", "report 127 ganja", "report 227 ganja", then looser ones.
    const results = within(dialog).getByRole('listbox', { name: 'Documents found' })
    expect(within(results).getAllByRole('option')[0]).toHaveTextContent('report 27 ganja')
    await user.keyboard('{ArrowDown}')
    const chosen = within(results).getAllByRole('option')[1]!
    expect(field).toHaveAttribute('aria-activedescendant', chosen.id)
    const chosenName = chosen.querySelector('.go-to-name')!.textContent!
    await user.keyboard('{Enter}')
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Go to document' })).toBeNull())
    expect(await screen.findByRole('heading', { level: 1, name: chosenName })).toBeInTheDocument()
    const listed = within(screen.getByRole('listbox', { name: 'Documents' })).getByRole('option', { name: new RegExp(`^${chosenName}`) })
    expect(listed).toHaveAttribute('aria-selected', 'true')
  })

  it('closes with Escape and says when nothing matches', async () => {
    render(App, { app: new AppState(bigProject()) })
    await screen.findByRole('listbox', { name: 'Documents' })
    const user = userEvent.setup()
    await user.keyboard('{Control>}p{/Control}')
    const dialog = await screen.findByRole('dialog', { name: 'Go to document' })
    await user.keyboard('zzz')
    expect(within(dialog).getByRole('status')).toHaveTextContent('No document name matches “zzz”.')
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog', { name: 'Go to document' })).toBeNull()
  })
})
