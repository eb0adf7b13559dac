// A damaged project file: the error names the file, the newest good backup is offered by its
// time, and restoring it brings the document (or project) back, saying where the damaged file went.
import { describe, expect, it } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import App from '../../src/renderer/src/App.svelte'
import { QuireError } from '../../src/shared/api'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { describeTime } from '../../src/renderer/src/lib/text/times'
import { FakeApi, makeAnnotation } from './fake-api'

const text = 'Emin Amrullayev met the ISESCO delegation in Baku.\n'
const layerPath = '/data/project/documents/meeting/annotations/leyla-1a2b3c4d.json'
const damaged = new QuireError({
  code: 'corrupt-store',
  path: layerPath,
  line: 3,
  message: `The annotation file ${layerPath} cannot be read: line 3, column 1: the file ends too early (it may have been cut short). Quire will not change this file; repair it or restore it from a backup or your sync history, then reopen.`
})
const savedAt = new Date(Date.now() - 5 * 60_000).toISOString()

function damagedProject(): FakeApi {
  const api = new FakeApi([
    { id: 'meeting', name: 'meeting', text, annotations: [makeAnnotation(text, 'p1', 0, 15, 'PERSON')] },
    { id: 'other', name: 'other', text: 'Another text.' }
  ])
  api.openProjectNamed('Interviews', '/data/project')
  api.brokenDocuments.set('meeting', damaged)
  return api
}

describe('restoring a backup of a damaged file', () => {
  it('offers the newest backup by its time where the error is shown, restores it and opens the document', async () => {
    const api = damagedProject()
    api.backupsByPath.set(layerPath, [
      { id: 'newest.json', savedAt, sizeBytes: 900, description: '1 annotation, in progress' },
      { id: 'older.json', savedAt: '2026-01-01T10:00:00.000Z', sizeBytes: 400, description: '0 annotations, not started' }
    ])
    render(App, { app: new AppState(api) })

    const alert = await screen.findByRole('alert')
    expect(alert).toHaveTextContent(`File: ${layerPath}, line 3`)
    // The list does not pretend the document has no annotations.
    expect(await screen.findByRole('option', { name: /^meeting/ })).toHaveTextContent('A file of this document cannot be read')
    const when = describeTime(savedAt)
    expect(when).toMatch(/^today at /)
    const restore = await within(alert).findByRole('button', { name: `Restore backup from ${when}` })
    expect(within(alert).getByTestId('backup-offer')).toHaveTextContent(`saved ${when} (1 annotation, in progress)`)
    expect(within(alert).getByTestId('backup-offer')).toHaveTextContent('the damaged file is kept aside, not deleted')
    expect(screen.queryByRole('document', { name: 'Document text' })).toBeNull()

    await userEvent.setup().click(restore)
    const reader = await screen.findByRole('document', { name: 'Document text' })
    expect(api.restoredBackups).toEqual([{ path: layerPath, backupId: 'newest.json' }])
    expect(reader.querySelector('[data-tag="PERSON"]')?.textContent).toBe('Emin Amrullayev')
    expect(screen.queryByRole('alert')).toBeNull()
    // Said in a notice (it went well), not a banner to dismiss.
    const notice = within(screen.getByRole('status', { name: 'Notices' })).getByTestId('notice')
    expect(notice).toHaveTextContent(`Restored the backup saved ${when}: ${layerPath} is back in place.`)
    expect(notice).toHaveTextContent(`The file it replaced was kept as ${layerPath}.replaced.`)
    await userEvent.setup().click(within(notice).getByRole('button', { name: 'Dismiss notice' }))
    expect(screen.queryByTestId('notice')).toBeNull()
  })

  it('offers no restore when there is no backup, and none for errors that are not about a damaged file', async () => {
    const api = damagedProject()
    const app = new AppState(api)
    render(App, { app })
    const alert = await screen.findByRole('alert')
    await waitFor(() => expect(api.calls.some((call) => call.method === 'listBackups' && call.args[0] === layerPath)).toBe(true))
    expect(within(alert).queryByRole('button', { name: /Restore backup/ })).toBeNull()
    expect(within(alert).getByRole('button', { name: 'Dismiss' })).toBeInTheDocument()

    api.backupsByPath.set('/data/project/project.json', [{ id: 'x.json', savedAt, sizeBytes: 1, description: '' }])
    app.error = new QuireError({ code: 'io', path: '/data/project/project.json', message: 'Could not save' })
    await Promise.resolve()
    expect(api.calls.filter((call) => call.method === 'listBackups')).toHaveLength(1)
    expect(screen.queryByRole('button', { name: /Restore backup/ })).toBeNull()
  })

  it('restores a damaged project.json from the start screen and opens the project', async () => {
    const api = new FakeApi([{ id: 'meeting', name: 'meeting', text }])
    api.appInfo.edition = 'browser'
    const projectFile = '/data/interviews/project.json'
    api.backupsByPath.set(projectFile, [{ id: 'p.json', savedAt: '2025-03-04T09:05:00.000Z', sizeBytes: 300, description: 'project “Interviews”, 4 tags' }])
    const app = new AppState(api)
    render(App, { app })
    await screen.findByRole('button', { name: 'Open sample project' })
    app.error = new QuireError({ code: 'corrupt-store', path: projectFile, message: `The project file ${projectFile} cannot be read: it is empty.` })
    const restore = await screen.findByRole('button', { name: /^Restore backup from / })
    expect(restore.textContent).toContain(describeTime('2025-03-04T09:05:00.000Z'))
    expect(restore.textContent).toMatch(/2025/)
    await userEvent.setup().click(restore)
    await waitFor(() => expect(api.calls.some((call) => call.method === 'openProject' && call.args[0] === '/data/interviews')).toBe(true))
    expect(await screen.findByRole('document', { name: 'Document text' })).toHaveTextContent('Emin Amrullayev')
  })
})
