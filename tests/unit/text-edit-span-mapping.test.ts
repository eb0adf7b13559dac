// How spans follow an edit: growth inside, not at the edges; shrinking; lost when all their text
// goes; the "text changed — check" flag; comments following; and whole revision chains with
// undo pairs cancelling and lost spans coming back.
import { ChangeSet } from '@codemirror/state'
import { describe, expect, it } from 'vitest'
import { changeSetFromSpecs, invertChanges, TextEditError } from '../../src/core/text-edit/change-set'
import { mapAnnotationsThrough, mapAnnotationsThroughUndo, mapCommentsThrough, mapLayerBack, mapLayerForward, mapSpan, restoreLostSpans } from '../../src/core/text-edit/span-mapping'
import { asUtf16, type Annotation, type ReviewComment } from '../../src/shared/model'
import { describeBadSpans, layerOn, RevisionChain, spanOn, spanOnWords } from '../helpers/text-edit-fixtures'

const TEXT = 'Minister Emin Amrullayev met Salim bin Muhammad al-Malik.'

function edit(text: string, from: number, to: number, insert: string) {
  const changes = changeSetFromSpecs(text, [{ from, to, insert }])
  const after = text.slice(0, from) + insert + text.slice(to)
  return { changes, after }
}

function mapOne(annotation: Annotation, from: number, to: number, insert: string) {
  const { changes, after } = edit(TEXT, from, to, insert)
  const result = mapAnnotationsThrough([annotation], changes, after, 'r1-000000000001')
  return { ...result, after }
}

describe('mapSpan', () => {
  it('maps start after and end before an insertion at the same place', () => {
    const changes = ChangeSet.of([{ from: 5, insert: 'xx' }], 10, '\n')
    expect(mapSpan(changes, 5, 8)).toEqual({ start: 7, end: 10 })
    expect(mapSpan(changes, 2, 5)).toEqual({ start: 2, end: 5 })
    expect(mapSpan(ChangeSet.of([{ from: 2, to: 8 }], 10, '\n'), 3, 6)).toBeNull()
  })
})

describe('mapAnnotationsThrough', () => {
  const name = spanOnWords(TEXT, 'a1', 'Emin Amrullayev')

  it('grows a span when text is inserted inside it, and flags it', () => {
    const inside = name.start + 4
    const { annotations, flagged } = mapOne(name, inside, inside, ' Ali')
    expect(annotations[0]).toMatchObject({ start: name.start, end: name.end + 4, text: 'Emin Ali Amrullayev' })
    expect(annotations[0]?.textCheck).toEqual({ previousText: 'Emin Amrullayev', revision: 'r1-000000000001' })
    expect(flagged).toBe(1)
  })

  it('does not grow a span when text is inserted at its start or end', () => {
    const atStart = mapOne(name, name.start, name.start, 'Mr ')
    expect(atStart.annotations[0]).toMatchObject({ start: name.start + 3, end: name.end + 3, text: 'Emin Amrullayev' })
    expect(atStart.annotations[0]?.textCheck).toBeUndefined()
    const atEnd = mapOne(name, name.end, name.end, ' Jr')
    expect(atEnd.annotations[0]).toMatchObject({ start: name.start, end: name.end, text: 'Emin Amrullayev' })
    expect(atEnd.flagged).toBe(0)
  })

  it('shrinks a span when text inside it is deleted, and loses it when all of it is', () => {
    const shrunk = mapOne(name, name.start, name.start + 5, '')
    expect(shrunk.annotations[0]).toMatchObject({ start: name.start, end: name.end - 5, text: 'Amrullayev' })
    const gone = mapOne(name, name.start - 1, name.end + 1, ' ')
    expect(gone.annotations).toEqual([])
    expect(gone.lost).toEqual([{ annotation: name, revision: 'r1-000000000001' }])
  })

  it('keeps a span whose exact text is retyped, flagged', () => {
    const { annotations } = mapOne(name, name.start, name.end, 'Emin Amrullaev')
    expect(annotations[0]).toMatchObject({ start: name.start, end: name.start + 14, text: 'Emin Amrullaev' })
    expect(annotations[0]?.textCheck?.previousText).toBe('Emin Amrullayev')
  })

  it('keeps the oldest previous text and clears the flag when the text is back', () => {
    const first = mapOne(name, name.start + 4, name.start + 4, 'x')
    const flagged = first.annotations[0] as Annotation
    const second = edit(first.after, flagged.start + 1, flagged.start + 1, 'y')
    const twice = mapAnnotationsThrough([flagged], second.changes, second.after, 'r2-000000000002').annotations[0]
    expect(twice?.textCheck).toEqual({ previousText: 'Emin Amrullayev', revision: 'r1-000000000001' })
    const back = edit(second.after, (twice as Annotation).start + 1, (twice as Annotation).start + 2, '')
    const third = edit(back.after, (twice as Annotation).start + 4, (twice as Annotation).start + 5, '')
    const restored = mapAnnotationsThrough(
      mapAnnotationsThrough([twice as Annotation], back.changes, back.after, 'r3-000000000003').annotations,
      third.changes,
      third.after,
      'r4-000000000004'
    ).annotations[0]
    expect(restored?.text).toBe('Emin Amrullayev')
    expect(restored?.textCheck).toBeUndefined()
  })

  it('leaves the input untouched and sorts like the store', () => {
    const later = spanOnWords(TEXT, 'b', 'Salim')
    const earlier = spanOnWords(TEXT, 'c', 'Minister')
    const input = [later, name, earlier]
    const copy = structuredClone(input)
    const { changes, after } = edit(TEXT, 0, 0, '> ')
    const { annotations } = mapAnnotationsThrough(input, changes, after, 'r1-000000000001')
    expect(input).toEqual(copy)
    expect(annotations.map((a) => a.id)).toEqual(['c', 'a1', 'b'])
    expect(describeBadSpans(after, annotations)).toEqual([])
  })

  it('maps nothing on an empty text, and spans on a text emptied are lost', () => {
    expect(mapAnnotationsThrough([], [[0, 'new']], 'new', 'r1-000000000001')).toEqual({ annotations: [], lost: [], flagged: 0 })
    const all = spanOn(TEXT, 'all', 0, TEXT.length)
    const emptied = mapAnnotationsThrough([all], [[TEXT.length]], '', 'r1-000000000001')
    expect(emptied.annotations).toEqual([])
    expect(emptied.lost.map((entry) => entry.annotation.id)).toEqual(['all'])
  })

  it('refuses a text that does not fit the change set', () => {
    const { changes } = edit(TEXT, 0, 0, '> ')
    expect(() => mapAnnotationsThrough([name], changes, TEXT, 'r1-000000000001')).toThrow(TextEditError)
  })

  it('follows edits around CRLF, emoji and Arabic', () => {
    const text = 'سالم 😀\r\nEmin'
    const arabic = spanOn(text, 'ar', 0, 4)
    const emin = spanOnWords(text, 'en', 'Emin')
    const changes = changeSetFromSpecs(text, [{ from: 7, to: 8, insert: '' }, { from: 4, to: 4, insert: ' بن' }])
    const after = 'سالم بن 😀Emin'
    const result = mapAnnotationsThrough([arabic, emin], changes, after, 'r1-000000000001')
    expect(result.annotations.map((a) => a.text)).toEqual(['سالم', 'Emin'])
    expect(describeBadSpans(after, result.annotations)).toEqual([])
  })
})

describe('mapLayerForward', () => {
  function chainWithTwoEdits() {
    const chain = new RevisionChain(TEXT)
    const name = spanOnWords(TEXT, 'name', 'Emin Amrullayev')
    const salim = spanOnWords(TEXT, 'salim', 'Salim')
    chain.add(changeSetFromSpecs(chain.head, [{ from: 0, to: 9, insert: '' }]))
    chain.add(changeSetFromSpecs(chain.head, [{ from: chain.head.indexOf('Salim'), to: chain.head.indexOf('Salim') + 6, insert: '' }]))
    return { chain, name, salim }
  }

  it('maps a layer through a chain of revisions and anchors it at the head', () => {
    const { chain, name, salim } = chainWithTwoEdits()
    const layer = layerOn(TEXT, [name, salim])
    const { layer: mapped, lost } = mapLayerForward(layer, chain.revisions, chain.head)
    expect(mapped.annotations.map((a) => a.text)).toEqual(['Emin Amrullayev'])
    expect(mapped.textRevision).toBe(chain.headId)
    expect(mapped.textSha256).toBe(chain.revisions[1]?.shaAfter)
    expect(lost).toBe(1)
    // Kept where it was just before the revision that deleted it, where undoing that revision puts its text back.
    const beforeDeletion = { ...salim, start: asUtf16(salim.start - 9), end: asUtf16(salim.end - 9) }
    expect(mapped.lostInEditing).toEqual([{ annotation: beforeDeletion, revision: chain.revisions[1]?.id }])
    expect(layer.annotations[0]).toBe(name)
  })

  it('flags a changed span with the revision that changed it, not the head', () => {
    const chain = new RevisionChain(TEXT)
    const name = spanOnWords(TEXT, 'name', 'Emin Amrullayev')
    const typo = chain.add(changeSetFromSpecs(chain.head, [{ from: name.start + 9, to: name.start + 10, insert: '' }]))
    chain.add(changeSetFromSpecs(chain.head, [{ from: 0, to: 0, insert: 'The ' }]))
    chain.add(changeSetFromSpecs(chain.head, [{ from: chain.head.length, to: chain.head.length, insert: ' Then' }]))
    const { layer, flagged } = mapLayerForward(layerOn(TEXT, [name]), chain.revisions, chain.head)
    expect(flagged).toBe(1)
    expect(layer.annotations[0]).toMatchObject({ text: 'Emin Amrulayev', textCheck: { previousText: 'Emin Amrullayev', revision: typo.id } })
  })

  it('treats an edit and its undo as nothing: spans come back exactly, nothing lost', () => {
    const chain = new RevisionChain(TEXT)
    const name = spanOnWords(TEXT, 'name', 'Emin Amrullayev')
    const deletion = changeSetFromSpecs(chain.head, [{ from: name.start - 1, to: name.end, insert: '' }])
    const before = chain.head
    const removed = chain.add(deletion)
    chain.add(invertChanges(deletion, before), { kind: 'undo', undoes: removed.id })
    const { layer, lost } = mapLayerForward(layerOn(TEXT, [name]), chain.revisions, chain.head)
    expect(lost).toBe(0)
    expect(layer.annotations).toEqual([name])
    expect(layer.lostInEditing).toEqual([])
  })

  it('handles an undo of an undo (a redo) stack-wise', () => {
    const chain = new RevisionChain(TEXT)
    const name = spanOnWords(TEXT, 'name', 'Emin Amrullayev')
    const deletion = changeSetFromSpecs(chain.head, [{ from: name.start - 1, to: name.end, insert: '' }])
    const t0 = chain.head
    const x = chain.add(deletion)
    const t1 = chain.head
    const undo = invertChanges(deletion, t0)
    const u1 = chain.add(undo, { kind: 'undo', undoes: x.id })
    const u2 = chain.add(invertChanges(undo, t1), { kind: 'undo', undoes: u1.id })
    const u3 = chain.add(undo, { kind: 'undo', undoes: u2.id })
    expect(chain.head).toBe(TEXT)
    const all = mapLayerForward(layerOn(TEXT, [name]), chain.revisions, chain.head)
    expect(all.layer.annotations).toEqual([name])
    expect(all.lost).toBe(0)
    // Anchored after the redo (u2), the layer has lost the span to u2; u3 undoes u2 and brings it back.
    const atRedo = mapLayerForward(layerOn(TEXT, [name]), chain.revisions.slice(0, 3), chain.texts[3] as string)
    expect(atRedo.layer.lostInEditing.map((entry) => entry.revision)).toEqual([u2.id])
    const back = mapLayerForward(atRedo.layer, [u3], chain.head)
    expect(back.layer.annotations).toEqual([name])
    expect(back.layer.lostInEditing).toEqual([])
  })

  it('undos stack: after undoing Y, undoing the X before it puts the owner\'s spans back exactly', () => {
    const chain = new RevisionChain(TEXT)
    const name = spanOnWords(TEXT, 'name', 'Emin Amrullayev')
    const salim = spanOnWords(TEXT, 'salim', 'Salim bin Muhammad')
    const t0 = chain.head
    const x = chain.add(changeSetFromSpecs(t0, [{ from: name.start + 5, to: name.end + 4, insert: '' }]))
    const t1 = chain.head
    const y = chain.add(changeSetFromSpecs(t1, [{ from: chain.head.indexOf('Salim'), to: chain.head.indexOf('Salim') + 6, insert: '' }]))
    let owner = layerOn(TEXT, [name, salim])
    owner = mapLayerForward(owner, [x], t1).layer
    owner = mapLayerForward(owner, [y], chain.head).layer
    expect(owner.annotations.map((a) => a.text)).toEqual(['Emin ', 'bin Muhammad'])
    const undoY = chain.add(invertChanges(y.changes, t1), { kind: 'undo', undoes: y.id })
    owner = mapLayerForward(owner, [undoY], chain.head).layer
    // The next undo undoes X, though its parent is the undo of Y.
    const undoX = chain.add(invertChanges(x.changes, t0), { kind: 'undo', undoes: x.id })
    owner = mapLayerForward(owner, [undoX], chain.head).layer
    expect(chain.head).toBe(TEXT)
    expect(owner.annotations).toEqual([name, salim])
    expect(owner.lostInEditing).toEqual([])
    expect(mapLayerForward(layerOn(TEXT, [name, salim]), chain.revisions, TEXT).layer.annotations).toEqual([name, salim])
  })

  it('brings back spans the layer lost to a revision undone later, after further edits', () => {
    const chain = new RevisionChain(TEXT)
    const name = spanOnWords(TEXT, 'name', 'Emin Amrullayev')
    const t0 = chain.head
    const deletion = changeSetFromSpecs(t0, [{ from: name.start, to: name.end + 1, insert: '' }])
    const x = chain.add(deletion)
    const atX = mapLayerForward(layerOn(TEXT, [name]), chain.revisions, chain.head).layer
    expect(atX.annotations).toEqual([])
    chain.add(invertChanges(deletion, t0), { kind: 'undo', undoes: x.id })
    chain.add(changeSetFromSpecs(chain.head, [{ from: 0, to: 0, insert: 'The ' }]))
    const { layer } = mapLayerForward(atX, chain.after(x.id), chain.head)
    expect(layer.annotations).toEqual([{ ...name, start: asUtf16(name.start + 4), end: asUtf16(name.end + 4) }])
    expect(layer.lostInEditing).toEqual([])
  })

  it('keeps a lost span lost when its text is not back where it was', () => {
    const chain = new RevisionChain(TEXT)
    const name = spanOnWords(TEXT, 'name', 'Emin Amrullayev')
    const x = chain.add(changeSetFromSpecs(chain.head, [{ from: name.start, to: name.end + 1, insert: '' }]))
    const atX = mapLayerForward(layerOn(TEXT, [name]), chain.revisions, chain.head).layer
    chain.add(changeSetFromSpecs(chain.head, [{ from: name.start, to: name.start, insert: 'Someone else ' }]), { kind: 'undo', undoes: x.id })
    const { layer } = mapLayerForward(atX, chain.after(x.id), chain.head)
    expect(layer.annotations).toEqual([])
    expect(layer.lostInEditing).toHaveLength(1)
  })

  it('maps review comments with the spans', () => {
    const chain = new RevisionChain(TEXT)
    const salim = spanOnWords(TEXT, 'salim', 'Salim bin Muhammad')
    const comment: ReviewComment = {
      id: 'c1',
      target: { annotator: 'rashad', annotationId: 'x', start: salim.start, end: salim.end, tag: 'PERSON', text: salim.text },
      text: 'title?',
      createdAt: '2026-12-01T12:00:00.000Z',
      updatedAt: '2026-12-01T12:00:00.000Z'
    }
    chain.add(changeSetFromSpecs(chain.head, [{ from: 0, to: 9, insert: '' }]))
    const layer = { ...layerOn(TEXT, []), comments: [comment] }
    const mapped = mapLayerForward(layer, chain.revisions, chain.head).layer.comments[0]
    expect(mapped?.target).toMatchObject({ start: salim.start - 9, end: salim.end - 9, text: 'Salim bin Muhammad' })
    const [one] = mapCommentsThrough([comment], chain.revisions[0]?.changes ?? [], chain.head)
    expect(one?.target).toEqual(mapped?.target)
    const gone = edit(TEXT, salim.start - 1, salim.end, '')
    expect(mapCommentsThrough([comment], gone.changes, gone.after)[0]?.target).toMatchObject({ start: salim.start - 1, end: salim.start - 1, text: 'Salim bin Muhammad' })
  })

  it('refuses revisions that do not continue from the layer', () => {
    const { chain, name } = chainWithTwoEdits()
    expect(() => mapLayerForward(layerOn(TEXT, [name]), chain.revisions.slice(1), chain.head)).toThrow(/do not form one chain from the layer's original/)
  })
})

describe('mapAnnotationsThroughUndo', () => {
  it('puts a span cut by a deletion across its end back exactly, unflagged', () => {
    const name = spanOnWords(TEXT, 'name', 'Emin Amrullayev')
    const { changes, after } = edit(TEXT, name.start + 5, name.end + 4, '')
    const cut = mapAnnotationsThrough([name], changes, after, 'r1-000000000001').annotations
    expect(cut[0]).toMatchObject({ text: 'Emin ', textCheck: { previousText: 'Emin Amrullayev' } })
    const undo = invertChanges(changes, TEXT)
    expect(mapAnnotationsThrough(cut, undo, TEXT, 'r2-000000000002').annotations[0]?.text).toBe('Emin ')
    const back = mapAnnotationsThroughUndo(cut, undo, TEXT, 'r2-000000000002', 'r1-000000000001')
    expect(back.annotations).toEqual([name])
  })
})

describe('mapLayerBack (settling two revisions with the same parent)', () => {
  it('takes a layer on the revision set aside back to the parent, then forward through the one kept', () => {
    const name = spanOnWords(TEXT, 'name', 'Emin Amrullayev')
    const salim = spanOnWords(TEXT, 'salim', 'Salim')
    const aside = new RevisionChain(TEXT)
    const setAside = aside.add(changeSetFromSpecs(TEXT, [{ from: salim.start - 1, to: salim.end, insert: '' }]))
    const onAside = mapLayerForward(layerOn(TEXT, [name, salim]), [setAside], aside.head).layer
    expect(onAside.annotations.map((a) => a.id)).toEqual(['name'])
    const kept = new RevisionChain(TEXT)
    kept.add(changeSetFromSpecs(TEXT, [{ from: 0, to: 9, insert: 'Mr ' }]))
    const back = mapLayerBack(onAside, setAside, TEXT)
    expect(back.layer.annotations).toEqual([name, salim])
    expect(back.layer.lostInEditing).toEqual([])
    const settled = mapLayerForward(back.layer, kept.revisions, kept.head).layer
    expect(settled.annotations.map((a) => [a.id, a.text])).toEqual([['name', 'Emin Amrullayev'], ['salim', 'Salim']])
    expect(settled.textRevision).toBe(kept.headId)
  })

  it('refuses a layer anchored elsewhere', () => {
    const chain = new RevisionChain(TEXT)
    const revision = chain.add(changeSetFromSpecs(TEXT, [{ from: 0, to: 0, insert: 'x' }]))
    expect(() => mapLayerBack(layerOn(TEXT, []), revision, TEXT)).toThrow(/anchored to original, not to revision r1-/)
  })
})

describe('restoreLostSpans', () => {
  it('restores the undone revision\'s spans whose text is at their offsets', () => {
    const name = spanOnWords(TEXT, 'name', 'Emin Amrullayev')
    const other = spanOnWords(TEXT, 'other', 'Salim')
    const layer = {
      ...layerOn(TEXT, []),
      lostInEditing: [
        { annotation: name, revision: 'r1-000000000001' },
        { annotation: { ...other, start: asUtf16(0) }, revision: 'r1-000000000001' },
        { annotation: other, revision: 'r2-000000000002' }
      ]
    }
    const { layer: after, restored } = restoreLostSpans(layer, 'r1-000000000001', TEXT)
    expect(restored).toEqual([name])
    expect(after.annotations).toEqual([name])
    expect(after.lostInEditing.map((entry) => entry.revision)).toEqual(['r1-000000000001', 'r2-000000000002'])
  })
})
