import { describe, expect, it } from 'vitest'
import { render, screen, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import AnnotationPopover from '../../src/renderer/src/lib/components/AnnotationPopover.svelte'
import { DocumentSession } from '../../src/renderer/src/lib/state/document-session.svelte'
import { DEFAULT_TAGS } from '../../src/shared/model'
import { FakeApi, makeAnnotation } from './fake-api'

const text = 'Director General Salim bin Muhammad al-Malik of ISESCO spoke.'

async function setup(annotationIds: string[]) {
  const outer = makeAnnotation(text, 'outer', text.indexOf('Director'), text.indexOf(' of'), 'PERSON')
  const inner = makeAnnotation(text, 'inner', text.indexOf('Salim'), text.indexOf(' of'), 'PERSON', 'full name')
  const org = makeAnnotation(text, 'org', text.indexOf('ISESCO'), text.indexOf('ISESCO') + 6, 'ORG')
  const api = new FakeApi([{ id: 'doc', name: 'Meeting', text, annotations: [outer, inner, org] }])
  const session = new DocumentSession({
    content: await api.getDocument({ documentId: 'doc', annotator: 'Leyla' }),
    tags: DEFAULT_TAGS,
    saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits)
  })
  session.openPopover(annotationIds, 100, 100)
  render(AnnotationPopover, { session })
  return { api, session, user: userEvent.setup() }
}

describe('AnnotationPopover', () => {
  it('changes the tag with a tag button', async () => {
    const { session, user } = await setup(['org'])
    const dialog = screen.getByRole('dialog', { name: 'Annotation' })
    expect(within(dialog).getByRole('button', { name: 'Organization' })).toHaveAttribute('aria-pressed', 'true')
    await user.click(within(dialog).getByRole('button', { name: 'Event' }))
    expect(session.get('org')?.tag).toBe('EVENT')
    expect(within(dialog).getByRole('button', { name: 'Event' })).toHaveAttribute('aria-pressed', 'true')
  })

  it('saves a note on Enter and on blur, and clears it when emptied', async () => {
    const { session, user } = await setup(['org'])
    const note = screen.getByRole('textbox', { name: /note/i })
    await user.type(note, 'the Islamic organisation{Enter}')
    expect(session.get('org')?.note).toBe('the Islamic organisation')
    await user.clear(note)
    await user.type(note, 'edited')
    await user.click(screen.getByRole('button', { name: 'Organization' }))
    expect(session.get('org')?.note).toBe('edited')
    await user.clear(note)
    note.blur()
    expect(session.get('org')?.note).toBeUndefined()
  })

  it('deletes with the Delete button and with the Delete key', async () => {
    const { session, user } = await setup(['org'])
    await user.click(screen.getByRole('button', { name: 'Delete' }))
    expect(session.get('org')).toBeUndefined()
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()

    session.openPopover(['inner'], 10, 10)
    const dialog = await screen.findByRole('dialog', { name: 'Annotation' })
    dialog.focus()
    await user.keyboard('{Delete}')
    expect(session.get('inner')).toBeUndefined()
  })

  it('closes on Escape without changing anything, discarding an unsaved note draft', async () => {
    const { session, user } = await setup(['inner'])
    const note = screen.getByRole('textbox', { name: /note/i })
    expect(note).toHaveValue('full name')
    await user.type(note, ' draft')
    await user.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument()
    expect(session.popover).toBeNull()
    expect(session.get('inner')?.note).toBe('full name')
  })

  it('lets the editor choose between overlapping annotations at the click point', async () => {
    const { session, user } = await setup(['inner', 'outer'])
    const dialog = screen.getByRole('dialog', { name: 'Annotation' })
    const choices = within(dialog).getAllByRole('button')
    expect(choices.map((c) => c.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'Person Salim bin Muhammad al-Malik',
      'Person Director General Salim bin Muhammad al-Malik'
    ])
    await user.click(choices[1] as HTMLElement)
    await user.click(within(dialog).getByRole('button', { name: 'Program' }))
    expect(session.get('outer')?.tag).toBe('PROGRAM')
    expect(session.get('inner')?.tag).toBe('PERSON')
  })
})
