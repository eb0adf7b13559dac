// The Entities tab: its state class over the fake API (built on the same rules as main), the
// panel (filter, choose, open an entity, a mention) and the merge dialog, by keyboard.
import { describe, expect, it, vi } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import EntitiesPanel from '../../src/renderer/src/lib/components/EntitiesPanel.svelte'
import EntityDialog from '../../src/renderer/src/lib/components/EntityDialog.svelte'
import { EntitiesPanelState, showMention, type MentionTarget } from '../../src/renderer/src/lib/state/entities-panel.svelte'
import { ProjectWatch } from '../../src/renderer/src/lib/state/project-watch.svelte'
import { DEFAULT_TAGS, type ProjectSummary } from '../../src/shared/model'
import { FakeApi, makeAnnotation } from './fake-api'

const MEETING = 'ISESCO met İlham Əliyev in Baku.'
const SUMMIT = 'ICESCO and ISESCO: Ilham Aliyev spoke.'

function fakeProject(): FakeApi {
  const api = new FakeApi([
    { id: 'meeting', name: 'Meeting', text: MEETING, annotations: [makeAnnotation(MEETING, 'a1', 0, 6, 'ORG'), makeAnnotation(MEETING, 'a2', 11, 23, 'PERSON')] },
    {
      id: 'summit',
      name: 'Summit',
      text: SUMMIT,
      annotations: [makeAnnotation(SUMMIT, 'b1', 0, 6, 'ORG')],
      layers: [{ annotator: 'Rashad', annotations: [{ ...makeAnnotation(SUMMIT, 'r1', 11, 17, 'ORG'), annotator: 'Rashad' }, { ...makeAnnotation(SUMMIT, 'r2', 19, 31, 'PERSON'), annotator: 'Rashad' }] }]
    }
  ])
  return api
}

describe('EntitiesPanelState', () => {
  it('lists groups, filters ignoring diacritics, merges the chosen ones with a name and identifier, and opens the result', async () => {
    const said: string[] = []
    const panel = new EntitiesPanelState(fakeProject(), (message) => said.push(message))
    await panel.refresh()
    expect(panel.entities.map((entity) => [entity.name, entity.mentions])).toEqual([
      ['İlham Əliyev', 2],
      ['ISESCO', 2],
      ['ICESCO', 1]
    ])
    panel.filter = 'ilham aliyev'
    expect(panel.shown.map((entity) => entity.name)).toEqual(['İlham Əliyev'])
    panel.filter = ''
    for (const entity of panel.entities.filter((candidate) => candidate.name.endsWith('SCO'))) panel.toggleChosen(entity.id)
    panel.startMerge()
    expect(panel.dialog).toMatchObject({ kind: 'merge', name: 'ISESCO', ref: '' })
    if (panel.dialog) {
      panel.dialog.name = 'ICESCO'
      panel.dialog.ref = 'not an identifier'
    }
    expect(await panel.submitDialog()).toBe(false)
    expect(panel.dialog?.problem).toMatch(/SOURCE:ID/)
    if (panel.dialog) panel.dialog.ref = 'Q1630451'
    expect(said).toEqual([])
    expect(await panel.submitDialog()).toBe(true)
    expect(panel.dialog).toBeNull()
    expect(said).toEqual(['Merged 2 entities into ICESCO.'])
    expect(panel.opened).toMatchObject({ name: 'ICESCO', ref: 'Wikidata:Q1630451', mentions: 3, saved: true })
    expect(panel.mentions.map((mention) => [mention.documentId, mention.annotator, mention.text])).toEqual([
      ['meeting', 'Leyla', 'ISESCO'],
      ['summit', 'Leyla', 'ICESCO'],
      ['summit', 'Rashad', 'ISESCO']
    ])
    expect(panel.chosen.size).toBe(0)
    await panel.splitAlias(panel.opened as never, 'isesco')
    expect(panel.entities.find((entity) => entity.name === 'ISESCO')).toMatchObject({ saved: false, mentions: 2 })
  })

  it('says when entities.json cannot be read', async () => {
    const api = fakeProject()
    api.entityFileProblem = 'The entities file /p/entities.json cannot be read: line 3, column 1: unexpected end.'
    const panel = new EntitiesPanelState(api)
    await panel.refresh()
    expect(panel.problem).toContain('/p/entities.json')
    expect(panel.entities).toHaveLength(3)
  })

  it('shows a mention: opens its document, shows a colleague\'s layer, selects the span', async () => {
    const selections: [number, number][] = []
    const shown = new Set<string>()
    const target: MentionTarget = {
      session: null,
      shownLayers: shown,
      openDocument: vi.fn(async (documentId: string) => {
        ;(target as { session: MentionTarget['session'] }).session = {
          documentId,
          annotator: 'Leyla',
          setSelection: (anchor, focus) => selections.push([anchor, focus]),
          reveal: vi.fn(),
          scrollTo: vi.fn()
        }
      }),
      setLayerShown: vi.fn(async (annotator: string) => void shown.add(annotator))
    }
    const panel = new EntitiesPanelState(fakeProject())
    await panel.refresh()
    await panel.open(panel.entities.find((entity) => entity.name === 'ISESCO')?.id as string)
    const rashads = panel.mentions.find((mention) => mention.annotator === 'Rashad')
    await showMention(target, rashads as never)
    expect(target.openDocument).toHaveBeenCalledWith('summit')
    expect(target.setLayerShown).toHaveBeenCalledWith('Rashad', true)
    expect(selections).toEqual([[11, 17]])
  })
})

describe('a colleague\'s entities.json arriving', () => {
  it('refreshes the Entities tab while it is shown, and only then', async () => {
    const api = fakeProject()
    const refresh = vi.fn(async () => undefined)
    const app = { api, project: { name: 'P' } as unknown as ProjectSummary, session: null, refreshDocuments: async () => undefined, refreshDocumentSummaries: async () => undefined, sideTab: 'entities', entities: { refresh }, showProject: () => undefined, showIndexProgress: () => undefined }
    const watch = new ProjectWatch(app)
    await watch.poll()
    api.pendingChanges = { documentIds: [], listChanged: false, entitiesChanged: true }
    await watch.poll()
    expect(refresh).toHaveBeenCalledTimes(1)
    app.sideTab = 'annotations'
    api.pendingChanges = { documentIds: [], listChanged: false, entitiesChanged: true }
    await watch.poll()
    expect(refresh).toHaveBeenCalledTimes(1)
  })
})

describe('EntitiesPanel and EntityDialog', () => {
  it('is used by keyboard: choose two, open an entity, press Enter on a mention; the dialog merges and refuses with the reason', async () => {
    const user = userEvent.setup()
    const panel = new EntitiesPanelState(fakeProject())
    await panel.refresh()
    const onMention = vi.fn()
    render(EntitiesPanel, { panel, tags: DEFAULT_TAGS, onMention })
    const merge = screen.getByRole('button', { name: /^Merge/ })
    expect(merge).toBeDisabled()
    await user.click(screen.getByRole('checkbox', { name: 'Choose ISESCO to merge' }))
    await user.click(screen.getByRole('checkbox', { name: 'Choose ICESCO to merge' }))
    await waitFor(() => expect(merge).toBeEnabled())
    expect(merge).toHaveTextContent('Merge 2…')

    const open = screen.getByRole('button', { name: /^ISESCO/ })
    expect(open).toHaveAccessibleName('ISESCO 2 mentions · 2 documents')
    open.focus()
    await user.keyboard('{Enter}')
    await waitFor(() => expect(open).toHaveAttribute('aria-expanded', 'true'))
    const summit = await screen.findByRole('region', { name: 'Summit: 1 mention' })
    const mention = within(summit).getByRole('button', { name: 'ISESCO, Organization · Rashad: ICESCO and ISESCO: Ilham Aliyev spoke.' })
    mention.focus()
    await user.keyboard('{Enter}')
    expect(onMention).toHaveBeenCalledWith(expect.objectContaining({ documentId: 'summit', annotator: 'Rashad', start: 11, end: 17 }))

    panel.startMerge()
    render(EntityDialog, { panel, dialog: panel.dialog as never })
    const dialog = screen.getByRole('dialog', { name: 'Merge entities' })
    const name = within(dialog).getByRole('textbox', { name: 'Name' })
    await waitFor(() => expect(name).toHaveFocus())
    await user.clear(name)
    await user.type(name, 'ICESCO')
    await user.type(within(dialog).getByRole('textbox', { name: /Identifier/ }), 'ICESCO{Enter}')
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(/not an identifier Quire can write/)
  })
})
