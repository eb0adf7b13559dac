import { describe, expect, it, vi } from 'vitest'
import { dispatchApiCall, dispatchApiCallToOutcome } from '../../src/main/api-dispatch'
import { QuireError, type ApiMethod, type QuireApiCalls } from '../../src/shared/api'
import { API_METHODS } from '../../src/shared/api-methods'
import { unpackApiAnswer } from '../../src/shared/api-payloads'
import { decodeContentFrame, isContentFrame } from '../../src/shared/content-frame'
import { PACKED_ANNOTATIONS_FORMAT, PACKED_COLUMNS } from '../../src/shared/packed-annotations'

function spyBackend(): QuireApiCalls & Record<ApiMethod, ReturnType<typeof vi.fn>> {
  const backend: Record<string, ReturnType<typeof vi.fn>> = {}
  for (const method of API_METHODS) backend[method] = vi.fn(async () => `${method} answered`)
  return backend as unknown as QuireApiCalls & Record<ApiMethod, ReturnType<typeof vi.fn>>
}

const savedAnnotation = {
  id: 'a1',
  start: 0,
  end: 4,
  tag: 'PERSON',
  text: 'Emin',
  annotator: 'Ayla',
  createdAt: '2026-01-02T03:04:05.000Z',
  updatedAt: '2026-01-02T03:04:05.000Z',
  provenance: { source: 'manual' }
}

/** One accepted argument list per call; every test below derives its bad payloads from these. */
const validArguments: Record<ApiMethod, unknown[]> = {
  getStartup: [],
  getAppInfo: [],
  getSettings: [],
  setAnnotatorName: ['Ayla'],
  setColourScheme: ['dark'],
  getCurrentProject: [],
  chooseProjectFolder: ['open'],
  createProject: ['/tmp/quire project', 'Interviews'],
  openProject: ['/tmp/quire project'],
  openSampleProject: [],
  closeProject: [],
  listDocuments: ['Ayla'],
  listDocumentPage: ['Ayla', 0, 100],
  getDocumentSummaries: ['Ayla', ['doc-1']],
  getDocument: [{ documentId: 'doc-1', annotator: 'Ayla' }],
  listLayers: ['doc-1'],
  getLayer: [{ documentId: 'doc-1', annotator: 'Rashad' }],
  setDocumentStatus: [{ documentId: 'doc-1', annotator: 'Ayla' }, 'done'],
  getProjectChanges: [0],
  importTexts: [[{ name: 'a.txt', bytes: new Uint8Array([104, 105]) }], 'import_1-a'],
  chooseAndImportTexts: ['import_1-a'],
  applyAnnotationEdits: [
    { documentId: 'doc-1', annotator: 'Ayla' },
    [
      { op: 'add', annotation: { id: 'a2', start: 5, end: 9, tag: 'ORG' } },
      { op: 'update', id: 'a2', changes: { tag: 'EVENT', note: null } },
      { op: 'delete', id: 'a2' },
      { op: 'restore', annotation: savedAnnotation }
    ]
  ],
  getExportChoices: [],
  chooseExportDestination: ['brat', '/tmp/corpus-brat'],
  startExport: [
    { format: 'conll', outPath: '/tmp/corpus.conll', documentIds: ['doc-1', 'doc-2'], annotators: ['Ayla'], scheme: 'BIOES' }
  ],
  getExportProgress: ['job_1-a'],
  getImportProgress: ['import_1-a'],
  cancelImport: ['import_1-a'],
  cancelExport: ['job_1-a'],
  showExportInFolder: ['/tmp/corpus.conll'],
  computeAgreement: [{ documentIds: 'all', annotators: ['Ayla', 'Rashad'] }],
  listDisagreements: [{ documentIds: ['doc-1'], annotators: 'all', pair: ['Ayla', 'Rashad'], tag: 'ORG', kinds: ['tag-differs'], labels: ['ORG', 'O'], limit: 50 }],
  getComments: [{ documentId: 'doc-1', annotator: 'Ayla' }],
  saveReviewComment: [
    { documentId: 'doc-1', annotator: 'Ayla' },
    { id: 'c-1', target: { annotator: 'Rashad', annotationId: 'a1', start: 0, end: 4, tag: 'ORG', text: 'Emin' }, text: 'should be PERSON' }
  ],
  deleteReviewComment: [{ documentId: 'doc-1', annotator: 'Ayla' }, 'c-1'],
  setCommentResolved: [{ documentId: 'doc-1', annotator: 'Rashad' }, 'c-1', 'Ayla', true],
  getTextHistory: ['doc-1'],
  saveTextEdit: [{ documentId: 'doc-1', author: 'Ayla', baseRevision: 'original', changes: [5, [0, 'x'], 10] }],
  previewCleanup: ['doc-1', ['undouble', 'spaces']],
  applyCleanup: [{ documentId: 'doc-1', author: 'Ayla', baseRevision: 'r3-0123456789ab', steps: ['unwrap'] }],
  undoTextRevision: ['doc-1', 'Ayla', 'r3-0123456789ab'],
  settleTextFork: ['doc-1', 'Ayla', 'r3-0123456789ab'],
  getSyncStatus: ['Ayla'],
  syncProject: ['Ayla'],
  compareDocument: ['doc-1', ['Ayla', 'Rashad']],
  startCuration: ['doc-1', { annotators: ['Ayla', 'Rashad'], strategy: 'majority', curator: 'Leyla' }],
  importAnnotations: [
    [{ name: 'corpus.jsonl', bytes: new Uint8Array([123, 125]) }],
    { format: 'jsonl', annotator: 'Ayla', addUnknownTags: true },
    'import_1-a'
  ],
  chooseAnnotationFiles: [],
  listBackups: ['/tmp/quire project/documents/doc-1/annotations/ayla-12345678.json'],
  restoreBackup: ['/tmp/quire project/project.json', '2026-11-23T16-51-14-123Z.json'],
  searchProject: [{ query: { text: 'Aliyev', matchCase: false, matchDiacritics: false, wholeWord: true, regex: false }, tags: ['PERSON'], offset: 0, limit: 100 }],
  previewTagAll: [{ query: { text: 'ISESCO', matchCase: true, matchDiacritics: true, wholeWord: true, regex: false }, tag: 'ORG', annotator: 'Ayla', documentIds: 'all' }],
  applyTagAll: [
    { query: { text: 'IS[EC]SCO', matchCase: true, matchDiacritics: true, wholeWord: false, regex: true }, tag: 'ORG', annotator: 'Ayla', documentIds: ['doc-1'] },
    [{ documentId: 'doc-1', start: 10, end: 16 }]
  ],
  getSuggestions: [{ documentId: 'doc-1', annotator: 'Ayla' }],
  updateTagSet: [[{ op: 'add', tag: { id: 'PLACE', label: 'Place', shortLabel: 'PLC', key: '5', color: '#0072B2' } }, { op: 'delete', id: 'PROGRAM', moveTo: 'EVENT', annotator: 'Ayla' }]],
  getTagUsage: [],
  listEntities: [],
  listEntityMentions: ['group:isesco'],
  mergeEntities: [{ ids: ['group:isesco', 'group:icesco'], name: 'ICESCO', ref: 'Wikidata:Q1630451' }],
  updateEntity: ['e-1', { name: 'ICESCO', ref: null }],
  splitEntityAlias: ['e-1', 'isesco'],
  getDashboard: []
}

/** Values of the wrong type for any argument position (no call takes an object of this shape). */
const wrongTypedValues: unknown[] = [undefined, null, 42, true, { unexpected: 'object' }, ['nested']]

/** Argument values that are legitimately accepted even though they look "wrong" above. */
const acceptedAlternatives: Partial<Record<ApiMethod, Record<number, unknown[]>>> = {
  createProject: { 1: [null] }, // no name: the folder name is used
  listDocuments: { 0: [null] }, // no annotator yet: no one's counts
  listDocumentPage: { 0: [null], 1: [42], 2: [42] }, // any place from 0, up to 10,000 documents
  getDocumentSummaries: { 0: [null], 1: wrongTypedValues.filter(Array.isArray) }, // ['nested'] is a list of one document id
  getProjectChanges: { 0: [42] }, // any sequence number from 0
  setCommentResolved: { 3: [true] }, // resolved or not
  // An import the window does not follow has no job id.
  importTexts: { 1: [undefined] },
  chooseAndImportTexts: { 0: [undefined] },
  importAnnotations: { 2: [undefined] }
}

/** Methods whose last argument may be left out. */
const optionalLastArgument = new Set<ApiMethod>(['importTexts', 'chooseAndImportTexts', 'importAnnotations'])

function malformedPayloadsFor(method: ApiMethod): Array<[string, unknown]> {
  const valid = validArguments[method]
  const payloads: Array<[string, unknown]> = [
    ['no arguments array', undefined],
    ['null', null],
    ['an object instead of an array', { 0: valid[0] }],
    ['a string', 'args'],
    ['one argument too many', [...valid, 'extra']]
  ]
  valid.forEach((_, position) => {
    for (const wrong of wrongTypedValues) {
      if (acceptedAlternatives[method]?.[position]?.includes(wrong)) continue
      const args = [...valid]
      args[position] = wrong
      payloads.push([`argument ${position} = ${JSON.stringify(wrong) ?? 'undefined'}`, args])
    }
  })
  const required = optionalLastArgument.has(method) ? valid.length - 1 : valid.length
  if (required > 0) payloads.push(['one argument too few', valid.slice(0, required - 1)])
  return payloads
}

/** Payloads with the right types but values a schema must refuse. */
const hostileArguments: Array<[ApiMethod, string, unknown[]]> = [
  ['setAnnotatorName', 'empty name', ['   ']],
  ['setAnnotatorName', 'control characters', ['Ayla\u0007']],
  ['chooseProjectFolder', 'unknown purpose', ['delete']],
  ['createProject', 'NUL in path', ['/tmp/a\u0000b', null]],
  ['openProject', 'empty path', ['']],
  ['openProject', 'NUL in path', ['/tmp/\u0000']],
  ['createProject', 'relative path (would land in main\'s working folder)', ['projects/x', null]],
  ['openProject', 'relative path', ['../x']],
  ['openProject', 'home of another user', ['~bob/x']],
  ['setAnnotatorName', 'the gold layer\'s name', ['Curation']],
  ['getDocument', 'path traversal in id', [{ documentId: '../../etc', annotator: 'Ayla' }]],
  ['getDocument', 'upper-case id', [{ documentId: 'DOC', annotator: 'Ayla' }]],
  ['getDocument', 'no annotator', [{ documentId: 'doc-1' }]],
  ['getDocument', 'empty annotator', [{ documentId: 'doc-1', annotator: ' ' }]],
  ['getDocument', 'an extra key on the layer', [{ documentId: 'doc-1', annotator: 'Ayla', path: '/etc' }]],
  ['getProjectChanges', 'negative sequence', [-1]],
  ['setDocumentStatus', 'unknown status', [{ documentId: 'doc-1', annotator: 'Ayla' }, 'finished']],
  ['importTexts', 'no files', [[]]],
  ['importTexts', 'bytes as a number array', [[{ name: 'a.txt', bytes: [104, 105] }]]],
  ['importTexts', 'bytes as base64 wrapper', [[{ name: 'a.txt', bytes: { $bytes: 'aGk' } }]]],
  ['importTexts', 'extra key on a file', [[{ name: 'a.txt', bytes: new Uint8Array(), path: '/etc/passwd' }]]],
  ['applyAnnotationEdits', 'no edits', [{ documentId: 'doc-1', annotator: 'Ayla' }, []]],
  ['applyAnnotationEdits', 'unknown op', [{ documentId: 'doc-1', annotator: 'Ayla' }, [{ op: 'drop', id: 'a1' }]]],
  ['applyAnnotationEdits', 'negative offset', [{ documentId: 'doc-1', annotator: 'Ayla' }, [{ op: 'add', annotation: { id: 'a', start: -1, end: 2, tag: 'ORG' } }]]],
  ['applyAnnotationEdits', 'fractional offset', [{ documentId: 'doc-1', annotator: 'Ayla' }, [{ op: 'add', annotation: { id: 'a', start: 1.5, end: 2, tag: 'ORG' } }]]],
  ['applyAnnotationEdits', 'lower-case tag', [{ documentId: 'doc-1', annotator: 'Ayla' }, [{ op: 'add', annotation: { id: 'a', start: 1, end: 2, tag: 'org' } }]]],
  ['applyAnnotationEdits', 'restore without provenance', [{ documentId: 'doc-1', annotator: 'Ayla' }, [{ op: 'restore', annotation: { ...savedAnnotation, provenance: undefined } }]]],
  ['applyAnnotationEdits', 'update with an extra key', [{ documentId: 'doc-1', annotator: 'Ayla' }, [{ op: 'update', id: 'a1', changes: { tag: 'ORG', start: 0 } }]]],
  ['chooseExportDestination', 'unknown format', ['docx', '/tmp/x']],
  ['startExport', 'unknown format', [{ format: 'xlsx', outPath: '/tmp/x', documentIds: 'all', annotators: 'all' }]],
  ['startExport', 'empty path', [{ format: 'jsonl', outPath: '', documentIds: 'all', annotators: 'all' }]],
  ['startExport', 'NUL in path', [{ format: 'jsonl', outPath: '/tmp/\u0000x', documentIds: 'all', annotators: 'all' }]],
  ['startExport', 'no documents', [{ format: 'jsonl', outPath: '/tmp/x', documentIds: [], annotators: 'all' }]],
  ['startExport', 'no annotators', [{ format: 'jsonl', outPath: '/tmp/x', documentIds: 'all', annotators: [] }]],
  ['startExport', 'traversal in a document id', [{ format: 'jsonl', outPath: '/tmp/x', documentIds: ['../etc'], annotators: 'all' }]],
  ['startExport', 'documents as "some"', [{ format: 'jsonl', outPath: '/tmp/x', documentIds: 'some', annotators: 'all' }]],
  ['startExport', 'lower-case scheme', [{ format: 'conll', outPath: '/tmp/x', documentIds: 'all', annotators: 'all', scheme: 'iob2' }]],
  ['startExport', 'unknown offsets unit', [{ format: 'jsonl', outPath: '/tmp/x', documentIds: 'all', annotators: 'all', offsets: 'bytes' }]],
  ['startExport', 'an extra key', [{ format: 'jsonl', outPath: '/tmp/x', documentIds: 'all', annotators: 'all', overwrite: true }]],
  ['getExportProgress', 'path-like job id', ['../job']],
  ['cancelExport', 'empty job id', ['']],
  ['getImportProgress', 'path-like job id', ['../job']],
  ['importTexts', 'a job id that is not one', [[{ name: 'a.txt', bytes: new Uint8Array([104, 105]) }], 'a b']],
  ['showExportInFolder', 'NUL in path', ['/tmp/\u0000']],
  ['saveReviewComment', 'an empty comment', [{ documentId: 'doc-1', annotator: 'Ayla' }, { id: 'c-1', target: { annotator: 'Rashad', annotationId: 'a1', start: 0, end: 4, tag: 'ORG', text: 'Emin' }, text: '  ' }]],
  ['computeAgreement', 'no annotators', [{ documentIds: 'all', annotators: [] }]],
  ['listDisagreements', 'unknown kind', [{ documentIds: 'all', annotators: 'all', kinds: ['agreed'] }]],
  ['listDisagreements', 'a lower-case label', [{ documentIds: 'all', annotators: 'all', labels: ['org', 'O'] }]],
  ['compareDocument', 'one layer', ['doc-1', ['Ayla']]],
  ['startCuration', 'one annotator', ['doc-1', { annotators: ['Ayla'], strategy: 'unanimous', curator: 'Leyla' }]],
  ['startCuration', 'unknown strategy', ['doc-1', { annotators: ['Ayla', 'Rashad'], strategy: 'all', curator: 'Leyla' }]],
  ['startCuration', 'the gold layer as curator', ['doc-1', { annotators: ['Ayla', 'Rashad'], strategy: 'unanimous', curator: 'curation' }]],
  ['importAnnotations', 'no files', [[], {}]],
  ['importAnnotations', 'txt is not an annotation format', [[{ name: 'a.txt', bytes: new Uint8Array() }], { format: 'txt' }]],
  ['importAnnotations', 'annotator with control characters', [[{ name: 'a.ann', bytes: new Uint8Array() }], { annotator: 'A\u0000' }]],
  ['importAnnotations', 'addUnknownTags as a string', [[{ name: 'a.ann', bytes: new Uint8Array() }], { addUnknownTags: 'yes' }]],
  ['importAnnotations', 'an extra option', [[{ name: 'a.ann', bytes: new Uint8Array() }], { overwrite: true }]]
]

describe('dispatchApiCall', () => {
  it('has a valid payload for every API method', () => {
    expect(Object.keys(validArguments).sort()).toEqual([...API_METHODS].sort())
  })

  it('accepts a null project name (the folder name is used)', async () => {
    const backend = spyBackend()
    await dispatchApiCall(backend, 'createProject', ['/tmp/p', null])
    expect(backend.createProject).toHaveBeenCalledWith('/tmp/p', null)
  })

  it.each(API_METHODS)('passes the parsed arguments of %s to the backend', async (method) => {
    const backend = spyBackend()
    await expect(dispatchApiCall(backend, method, validArguments[method])).resolves.toBe(`${method} answered`)
    expect(backend[method]).toHaveBeenCalledTimes(1)
    expect(backend[method]).toHaveBeenCalledWith(...validArguments[method])
  })

  it.each(API_METHODS)('refuses every malformed payload to %s without calling the backend', async (method) => {
    const backend = spyBackend()
    for (const [description, payload] of malformedPayloadsFor(method)) {
      const refusal = await dispatchApiCall(backend, method, payload).then(
        () => new Error(`accepted: ${description}`),
        (error: unknown) => error
      )
      expect(refusal, description).toBeInstanceOf(QuireError)
      expect((refusal as QuireError).code, description).toBe('invalid-argument')
      expect((refusal as QuireError).message, description).toContain(`Invalid arguments for ${method}`)
    }
    for (const spy of Object.values(backend)) expect(spy).not.toHaveBeenCalled()
  })

  it.each(hostileArguments)('refuses %s with %s', async (method, _description, args) => {
    const backend = spyBackend()
    await expect(dispatchApiCall(backend, method, args)).rejects.toMatchObject({ code: 'invalid-argument' })
    expect(backend[method]).not.toHaveBeenCalled()
  })

  it('names the offending argument in the message', async () => {
    await expect(dispatchApiCall(spyBackend(), 'listLayers', ['../x'])).rejects.toThrow(
      /Invalid arguments for listLayers at argument 0: document ids are lowercase/
    )
    await expect(dispatchApiCall(spyBackend(), 'getDocument', [{ documentId: 'doc-1', annotator: '' }])).rejects.toThrow(
      /Invalid arguments for getDocument at argument 0.annotator: the annotator name is empty/
    )
  })

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'openOrCreateProject', 'services', ''])(
    'refuses the non-API name %j',
    async (name) => {
      const backend = spyBackend()
      await expect(dispatchApiCall(backend, name, [])).rejects.toMatchObject({
        code: 'invalid-argument',
        message: expect.stringContaining('Unknown API call')
      })
    }
  )

  it('keeps a QuireError thrown by the backend', async () => {
    const backend = spyBackend()
    backend.getDocument.mockRejectedValueOnce(
      new QuireError({ code: 'corrupt-store', message: 'cannot read', path: '/p/document.json', line: 3 })
    )
    await expect(dispatchApiCallToOutcome(backend, 'getDocument', [{ documentId: 'doc-1', annotator: 'Ayla' }])).resolves.toEqual({
      ok: false,
      error: { code: 'corrupt-store', message: 'cannot read', path: '/p/document.json', line: 3 }
    })
  })

  it('reports a Node error as internal rather than trusting its errno code', async () => {
    const backend = spyBackend()
    const nodeError = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })
    backend.listDocuments.mockRejectedValueOnce(nodeError)
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const outcome = await dispatchApiCallToOutcome(backend, 'listDocuments', [null])
    quiet.mockRestore()
    expect(outcome).toEqual({ ok: false, error: { code: 'internal', message: 'EACCES: permission denied' } })
  })

  it('sends a document with its annotations packed, which the window unpacks as they were', async () => {
    const backend = spyBackend()
    const content = { text: 'Emin wrote.', annotator: 'Ayla', annotations: [savedAnnotation] }
    backend.getDocument.mockResolvedValueOnce(content)
    const outcome = await dispatchApiCallToOutcome(backend, 'getDocument', [{ documentId: 'doc-1', annotator: 'Ayla' }])
    if (!outcome.ok) throw new Error('getDocument failed')
    expect(isContentFrame(outcome.value)).toBe(true)
    const { answer, text, numbers } = decodeContentFrame(outcome.value as Uint8Array)
    expect((answer as { annotations: { format: string } }).annotations.format).toBe(PACKED_ANNOTATIONS_FORMAT)
    expect(text).toBe('Emin wrote.')
    // One span: start, length, tag, annotator, its two dates as times (no text index, seconds since
    // the base, milliseconds), provenance, then its id's form and four words (sent as text here).
    expect(numbers).toHaveLength(PACKED_COLUMNS.length)
    expect([...numbers].slice(0, 11)).toEqual([0, 4, 0, 1, 0, 0, 0, 0, 0, 0, 2])
    // Over IPC the frame is copied by structured clone, over HTTP it arrives as an ArrayBuffer.
    expect(unpackApiAnswer('getDocument', structuredClone(outcome.value))).toStrictEqual(content)
    expect(unpackApiAnswer('getDocument', new Uint8Array((outcome.value as Uint8Array).slice().buffer))).toStrictEqual(content)
  })

  it('wraps a successful value', async () => {
    await expect(dispatchApiCallToOutcome(spyBackend(), 'getSettings', [])).resolves.toEqual({
      ok: true,
      value: 'getSettings answered'
    })
  })
})
