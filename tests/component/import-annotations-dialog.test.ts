import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import userEvent from '@testing-library/user-event'
import App from '../../src/renderer/src/App.svelte'
import { AppState } from '../../src/renderer/src/lib/state/app-state.svelte'
import { formatOfFile } from '../../src/renderer/src/lib/state/import-annotations-dialog.svelte'
import type { AnnotationImportOptions, AnnotationImportReport, ImportFile } from '../../src/shared/model'
import { FakeApi, makeAnnotation } from './fake-api'

const text = 'Emin Amrullayev met the ISESCO delegation in Baku.\n'

function projectApi(): FakeApi {
  const api = new FakeApi([
    { id: 'meeting', name: 'meeting', text },
    { id: 'other', name: 'other', text: 'Another text.' }
  ])
  api.openProjectNamed('Interviews')
  return api
}

function report(overrides: Partial<AnnotationImportReport>): AnnotationImportReport {
  return { imported: false, format: 'jsonl', errors: [], warnings: [], unknownTags: [], addedTags: [], documents: [], spans: 0, spansAlreadyPresent: 0, ...overrides }
}

async function openImportDialog(api: FakeApi, app = new AppState(api)): Promise<HTMLElement> {
  render(App, { app })
  await screen.findByRole('document', { name: 'Document text' })
  await userEvent.setup().click(screen.getByRole('button', { name: 'Import annotations…' }))
  return screen.findByRole('dialog', { name: 'Import annotations' })
}

function importCalls(api: FakeApi): { files: ImportFile[]; options: AnnotationImportOptions }[] {
  return api.calls.filter((c) => c.method === 'importAnnotations').map((c) => ({ files: c.args[0] as ImportFile[], options: c.args[1] as AnnotationImportOptions }))
}

describe('Import annotations dialog', () => {
  it('lists errors with file and line, says nothing was imported, and leaves the document untouched', async () => {
    const api = projectApi()
    api.appInfo.edition = 'browser'
    api.annotationImportReports = [
      report({
        errors: [
          { file: 'colleague.jsonl', line: 3, message: 'span 2: "end" 90 is past the end of the text (52 code points)' },
          { file: 'colleague.jsonl', line: 7, message: 'not valid JSON: Unexpected token' }
        ]
      })
    ]
    const dialog = await openImportDialog(api)
    const user = userEvent.setup()
    expect(within(dialog).getByRole('button', { name: 'Import' })).toBeDisabled()
    expect(dialog).toHaveTextContent('Choose the files to import.')
    await user.upload(within(dialog).getByTestId('annotation-file-input'), [new File(['{"id":1}\n'], 'colleague.jsonl')])
    expect(within(dialog).getByRole('list', { name: 'Files to import' })).toHaveTextContent('colleague.jsonl')
    expect(within(dialog).getByRole('list', { name: 'Files to import' })).toHaveTextContent('JSONL')
    expect(within(dialog).getByRole('textbox', { name: 'Annotator' })).toHaveValue('Leyla')
    const listsBefore = api.calls.filter((c) => c.method.startsWith('listDocument')).length
    await user.click(within(dialog).getByRole('button', { name: 'Import' }))

    expect(await within(dialog).findByRole('heading', { name: 'Nothing was imported' })).toBeInTheDocument()
    const problems = within(dialog).getByRole('list', { name: 'Problems' })
    expect(problems).toHaveTextContent('colleague.jsonl:3 — span 2: "end" 90 is past the end of the text (52 code points)')
    expect(problems).toHaveTextContent('colleague.jsonl:7 — not valid JSON')
    expect(within(dialog).queryByRole('button', { name: /Add these tags/ })).toBeNull()
    expect(api.calls.filter((c) => c.method.startsWith('listDocument')).length).toBe(listsBefore)
    const [call] = importCalls(api)
    expect(call?.options).toEqual({ annotator: 'Leyla' })
    expect(new TextDecoder().decode(call?.files[0]?.bytes)).toBe('{"id":1}\n')

    // Back to the files, still chosen, to fix and retry.
    await user.click(within(dialog).getByRole('button', { name: 'Back to files' }))
    expect(within(dialog).getByRole('list', { name: 'Files to import' })).toHaveTextContent('colleague.jsonl')
  })

  it('offers to add unknown tags, and imports with them only when asked', async () => {
    const api = projectApi()
    api.annotationImportReports = [
      report({
        format: 'brat',
        unknownTags: [{ tag: 'Location', newTagId: 'LOCATION', file: 'meeting.ann', line: 4, count: 3 }],
        errors: [{ file: 'meeting.ann', line: 4, message: 'unknown tag "Location" (3 spans); this project\'s tags are PERSON, ORG, EVENT, PROGRAM. Import again with "add unknown tags" to add it as LOCATION', unknownTag: 'Location' }]
      }),
      report({
        imported: true,
        format: 'brat',
        addedTags: ['LOCATION'],
        unknownTags: [{ tag: 'Location', newTagId: 'LOCATION', file: 'meeting.ann', line: 4, count: 3 }],
        documents: [{ documentId: 'meeting', name: 'meeting', file: 'meeting.ann', created: false, spans: 5 }],
        spans: 5
      })
    ]
    api.chosenAnnotationFiles = [
      { name: 'meeting.ann', bytes: new TextEncoder().encode('T1\tLocation 45 49\tBaku\n') },
      { name: 'meeting.txt', bytes: new TextEncoder().encode(text) }
    ]
    const dialog = await openImportDialog(api)
    const user = userEvent.setup()
    await user.click(within(dialog).getByRole('button', { name: 'Choose files…' }))
    await waitFor(() => expect(within(dialog).getByRole('list', { name: 'Files to import' })).toHaveTextContent('meeting.ann'))
    await user.selectOptions(within(dialog).getByRole('combobox', { name: 'Format' }), 'brat')
    await user.clear(within(dialog).getByRole('textbox', { name: 'Annotator' }))
    await user.type(within(dialog).getByRole('textbox', { name: 'Annotator' }), 'Rashad')
    await user.click(within(dialog).getByRole('button', { name: 'Import' }))

    await within(dialog).findByRole('heading', { name: 'New tags in these files' })
    expect(within(dialog).getByRole('list', { name: 'Unknown tags' })).toHaveTextContent('Location (tag id LOCATION): 3 spans, first at meeting.ann:4')
    expect(dialog).toHaveTextContent('Nothing has been imported yet.')
    // Documents are re-read only after an import that wrote something.
    const getsBefore = api.calls.filter((c) => c.method === 'getDocument').length
    await user.click(within(dialog).getByRole('button', { name: 'Add these tags and import' }))

    // Imported with no warning: the dialog closes and a notice says what was done.
    await within(screen.getByRole('status', { name: 'Notices' })).findByText('Imported 5 spans into 1 document; added the tag LOCATION.')
    expect(screen.queryByRole('dialog', { name: /annotations/i })).toBeNull()
    expect(importCalls(api).map((call) => call.options)).toEqual([
      { annotator: 'Rashad', format: 'brat' },
      { annotator: 'Rashad', format: 'brat', addUnknownTags: true }
    ])
    expect(importCalls(api)[1]?.files.map((file) => file.name)).toEqual(['meeting.ann', 'meeting.txt'])
    // The project (its tags), the document list and the open document are read again.
    await waitFor(() => expect(api.calls.filter((c) => c.method === 'getDocument').length).toBe(getsBefore + 1))
  })

  it('shows the open document with the imported spans afterwards', async () => {
    const api = projectApi()
    api.annotationImportReports = [
      report({ imported: true, documents: [{ documentId: 'meeting', name: 'meeting', file: 'c.jsonl', created: false, spans: 1 }], spans: 1 })
    ]
    const app = new AppState(api)
    const dialog = await openImportDialog(api, app)
    const user = userEvent.setup()
    await user.click(within(dialog).getByRole('button', { name: 'Choose files…' }))
    await within(dialog).findByRole('list', { name: 'Files to import' })
    // What main would have written:
    api.documents.get('meeting')!.annotations = [makeAnnotation(text, 'imp1', 45, 49, 'EVENT')]
    await user.click(within(dialog).getByRole('button', { name: 'Import' }))
    await screen.findByText('Imported 1 span into 1 document.')
    await waitFor(() => expect(app.session?.annotations.map((a) => a.text)).toEqual(['Baku']))
    expect(screen.getByRole('option', { name: /meeting/ })).toHaveTextContent('1 span of yours')
  })

  it('shows the CoNLL scheme choice only for CoNLL files and sends it; an import with warnings keeps its report open', async () => {
    const api = projectApi()
    api.annotationImportReports = [
      report({
        imported: true,
        format: 'conll',
        documents: [{ documentId: 'meeting', name: 'meeting', file: 'corpus.conll', created: false, spans: 2 }],
        spans: 2,
        spansAlreadyPresent: 1,
        warnings: [
          { file: 'corpus.conll', line: 9, message: 'I-PERSON after O read as the start of a span' },
          { file: '', line: 0, message: 'skipped 1 file that is not a CoNLL file: README' }
        ]
      })
    ]
    api.chosenAnnotationFiles = [{ name: 'corpus.conll', bytes: new TextEncoder().encode('-DOCSTART- -X- -X- O\n') }]
    const dialog = await openImportDialog(api)
    const user = userEvent.setup()
    expect(within(dialog).queryByRole('combobox', { name: 'Tagging scheme' })).toBeNull()
    await user.click(within(dialog).getByRole('button', { name: 'Choose files…' }))
    await user.selectOptions(await within(dialog).findByRole('combobox', { name: 'Tagging scheme' }), 'BIOES')
    await user.click(within(dialog).getByRole('button', { name: 'Import' }))
    await within(dialog).findByRole('heading', { name: 'Annotations imported' })
    expect(importCalls(api)[0]?.options).toEqual({ annotator: 'Leyla', scheme: 'BIOES' })
    expect(dialog).toHaveTextContent('2 spans added to 1 document; 1 span was already there and not added twice')
    const warnings = within(within(dialog).getByRole('list', { name: 'Warnings' })).getAllByRole('listitem')
    expect(warnings.map((item) => item.textContent)).toEqual(['corpus.conll:9 — I-PERSON after O read as the start of a span', 'skipped 1 file that is not a CoNLL file: README'])
    expect(screen.queryByTestId('notice')).toBeNull()
    await user.click(within(dialog).getByRole('button', { name: 'Done' }))
    expect(screen.queryByRole('dialog', { name: /annotations/i })).toBeNull()
  })

  it('takes files dropped onto the dialog, never as a text import', async () => {
    const api = projectApi()
    api.appInfo.edition = 'browser'
    const dialog = await openImportDialog(api)
    const dropped = new File(['T1\tPERSON 0 4\tEmin\n'], 'meeting.ann')
    const backdrop = dialog.parentElement!
    await fireEvent.dragOver(backdrop, { dataTransfer: { types: ['Files'], files: [dropped], dropEffect: 'none' } })
    await fireEvent.drop(backdrop, { dataTransfer: { types: ['Files'], files: [dropped] } })
    await waitFor(() => expect(within(dialog).getByRole('list', { name: 'Files to import' })).toHaveTextContent('meeting.ann'))
    expect(within(dialog).getByRole('list', { name: 'Files to import' })).toHaveTextContent('brat')
    expect(api.calls.some((c) => c.method === 'importTexts')).toBe(false)
  })

  it('closes with Escape and opens from the native menu', async () => {
    const api = projectApi()
    render(App, { app: new AppState(api) })
    await screen.findByRole('document', { name: 'Document text' })
    api.sendMenuCommand('import-annotations')
    const dialog = await screen.findByRole('dialog', { name: 'Import annotations' })
    expect(within(dialog).getByRole('button', { name: 'Choose files…' })).toHaveFocus()
    await userEvent.setup().keyboard('{Escape}')
    expect(screen.queryByRole('dialog', { name: 'Import annotations' })).toBeNull()
  })

  it('reports a refusal from main (e.g. a read-only project) in the dialog', async () => {
    const api = projectApi()
    const dialog = await openImportDialog(api)
    api.importAnnotations = async () => {
      throw new (await import('../../src/shared/api')).QuireError({ code: 'read-only', message: 'This project is open in another Quire window' })
    }
    const user = userEvent.setup()
    await user.click(within(dialog).getByRole('button', { name: 'Choose files…' }))
    await within(dialog).findByRole('list', { name: 'Files to import' })
    await user.click(within(dialog).getByRole('button', { name: 'Import' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('This project is open in another Quire window')
  })
})

describe('formatOfFile', () => {
  const bytes = (content: string): Uint8Array => new TextEncoder().encode(content)
  it.each([
    ['a.ann', 'brat'],
    ['A.JSONL', 'jsonl'],
    ['x.ndjson', 'jsonl'],
    ['x.conll', 'conll'],
    ['x.bioes', 'conll'],
    ['tasks.json', 'label-studio'],
    ['manifest.json', null],
    ['corpus.conll.manifest.json', null],
    ['doc.tsv', 'webanno-tsv'],
    ['notes.txt', null],
    ['jsonl', null]
  ])('%s → %s', (name, format) => {
    expect(formatOfFile({ name, bytes: bytes('') })).toBe(format)
  })

  it.each([
    ['{"id": "d1", "text": "x", "offsets": "codepoint", "spans": []}', 'jsonl'],
    ['{"text": "x", "label": [[0, 1, "PER"]]}', 'doccano'],
    ['{"text": "x", "entities": [], "relations": []}', 'doccano'],
    ['{"text": "x", "spans": [], "answer": "accept", "_input_hash": 1}', 'prodigy'],
    ['{"text": "x", "spans": [{"start": 0, "end": 1, "label": "PER"}]}', 'prodigy'],
    ['\n  \n{"text": "x", "label": []}\n{"id": 1}', 'doccano'],
    ['not json', 'jsonl']
  ])('a .jsonl whose first line is %s → %s', (firstLine, format) => {
    expect(formatOfFile({ name: 'in.jsonl', bytes: bytes(firstLine) })).toBe(format)
  })
})
