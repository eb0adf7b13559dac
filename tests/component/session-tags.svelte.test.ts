// Runes in a test: the app's tags live in a deep $state (its project), as they do in AppState.
import { describe, expect, it } from 'vitest'
import { flushSync } from 'svelte'
import { DocumentSession } from '../../src/renderer/src/lib/state/document-session.svelte'
import { DEFAULT_TAGS } from '../../src/shared/model'
import { FakeApi, makeAnnotation } from './fake-api'

const text = 'On October 4, Minister Emin Amrullayev met the ISESCO delegation in Baku.\n'

describe('DocumentSession tags', () => {
  it('draws marks from its own copy of the tags: a block does not subscribe to the fields of the project state’s tags', async () => {
    const start = text.indexOf('Emin')
    const api = new FakeApi([{ id: 'doc', name: 'Meeting', text, annotations: [makeAnnotation(text, 'a1', start, start + 'Emin Amrullayev'.length, 'PERSON')] }])
    const project = $state({ tags: DEFAULT_TAGS.map((tag) => ({ ...tag })) })
    const session = new DocumentSession({
      content: await api.getDocument({ documentId: 'doc', annotator: 'Leyla' }),
      tags: project.tags,
      saveEdits: (layer, edits) => api.applyAnnotationEdits(layer, edits)
    })
    let draws = 0
    let titles: string[] = []
    const stop = $effect.root(() => {
      $effect(() => {
        draws++
        titles = session.marksIn(0, text.length).map((mark) => mark.title)
      })
    })
    try {
      flushSync()
      expect(draws).toBe(1)
      expect(titles).toEqual(['Person'])
      // The app never edits its tags in place (a new tag set comes through setTags), so a block
      // drawn from a copy misses nothing, and is not redrawn for every tag field it read.
      ;(project.tags[0] as { label: string }).label = 'Renamed in place'
      flushSync()
      expect(draws).toBe(1)
      session.setTags(DEFAULT_TAGS.map((tag) => (tag.id === 'PERSON' ? { ...tag, label: 'Human' } : tag)))
      flushSync()
      expect(draws).toBe(2)
      expect(titles).toEqual(['Human'])
    } finally {
      stop()
    }
  })
})
