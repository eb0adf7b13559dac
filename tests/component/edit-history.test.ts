import { describe, expect, it } from 'vitest'
import { EditHistory } from '../../src/renderer/src/lib/state/edit-history'
import { applyEditsToMap } from '../../src/renderer/src/lib/state/annotation-edits'
import type { Annotation, AnnotationEdit } from '../../src/shared/model'
import { asUtf16 } from '../../src/shared/model'

const text = 'Emin Amrullayev met ISESCO in Baku.'
const context = { text, annotator: 'Leyla', now: () => '2024-05-01T10:00:00.000Z' }
const add = (id: string, start: number, end: number, tag: string): AnnotationEdit => ({
  op: 'add',
  annotation: { id, start: asUtf16(start), end: asUtf16(end), tag }
})

function snapshot(map: Map<string, Annotation>): string {
  return JSON.stringify([...map.values()].sort((a, b) => a.id.localeCompare(b.id)))
}

describe('applyEditsToMap', () => {
  it('computes inverse edits: add↔delete, delete→restore with the exact record, update↔update', () => {
    const annotations = new Map<string, Annotation>()
    const added = applyEditsToMap(annotations, [add('p1', 0, 15, 'PERSON')], context)
    expect(added.revert).toEqual([{ op: 'delete', id: 'p1' }])
    expect(annotations.get('p1')?.text).toBe('Emin Amrullayev')

    const record = structuredClone(annotations.get('p1'))
    const deleted = applyEditsToMap(annotations, [{ op: 'delete', id: 'p1' }], context)
    expect(deleted.revert).toEqual([{ op: 'restore', annotation: record }])

    applyEditsToMap(annotations, deleted.revert, context)
    expect(annotations.get('p1')).toEqual(record)

    const updated = applyEditsToMap(annotations, [{ op: 'update', id: 'p1', changes: { tag: 'ORG', note: 'minister' } }], context)
    expect(updated.revert).toEqual([{ op: 'update', id: 'p1', changes: { tag: 'PERSON', note: null } }])
    expect(annotations.get('p1')).toMatchObject({ tag: 'ORG', note: 'minister' })
  })

  it('changes nothing when one edit of a batch cannot apply', () => {
    const annotations = new Map<string, Annotation>()
    applyEditsToMap(annotations, [add('p1', 0, 4, 'PERSON')], context)
    const before = snapshot(annotations)
    expect(() => applyEditsToMap(annotations, [add('o1', 20, 26, 'ORG'), { op: 'delete', id: 'missing' }], context)).toThrow(/missing/)
    expect(() => applyEditsToMap(annotations, [add('x', 30, 999, 'ORG')], context)).toThrow(/past the end of the text/)
    expect(snapshot(annotations)).toBe(before)
  })

  it('skips updates that change nothing', () => {
    const annotations = new Map<string, Annotation>()
    applyEditsToMap(annotations, [add('p1', 0, 4, 'PERSON')], context)
    expect(applyEditsToMap(annotations, [{ op: 'update', id: 'p1', changes: { tag: 'PERSON' } }], context).revert).toEqual([])
  })
})

describe('EditHistory', () => {
  it('undoes and redoes a sequence of changes back to each exact earlier state', () => {
    const annotations = new Map<string, Annotation>()
    const history = new EditHistory()
    const apply = (edits: AnnotationEdit[]): AnnotationEdit[] => applyEditsToMap(annotations, edits, context).revert
    const states: string[] = [snapshot(annotations)]
    const steps: AnnotationEdit[][] = [
      [add('p1', 0, 15, 'PERSON')],
      [add('o1', 20, 26, 'ORG')],
      [{ op: 'update', id: 'o1', changes: { note: 'the organisation' } }],
      [{ op: 'update', id: 'p1', changes: { tag: 'EVENT' } }],
      [{ op: 'delete', id: 'o1' }]
    ]
    for (const step of steps) {
      history.record('step', apply(step))
      states.push(snapshot(annotations))
    }
    for (let i = states.length - 2; i >= 0; i--) {
      expect(history.undo(apply)).toBe('step')
      expect(snapshot(annotations)).toBe(states[i])
    }
    expect(history.canUndo).toBe(false)
    expect(history.undo(apply)).toBeNull()
    for (let i = 1; i < states.length; i++) {
      history.redo(apply)
      expect(snapshot(annotations)).toBe(states[i])
    }
    expect(history.canRedo).toBe(false)
  })

  it('drops the redo stack when a new change is recorded', () => {
    const annotations = new Map<string, Annotation>()
    const history = new EditHistory()
    const apply = (edits: AnnotationEdit[]): AnnotationEdit[] => applyEditsToMap(annotations, edits, context).revert
    history.record('Add Person', apply([add('p1', 0, 4, 'PERSON')]))
    history.undo(apply)
    expect(history.canRedo).toBe(true)
    expect(history.redoLabel).toBe('Add Person')
    history.record('Add Org', apply([add('o1', 20, 26, 'ORG')]))
    expect(history.canRedo).toBe(false)
    expect(history.undoLabel).toBe('Add Org')
  })

  it('keeps at most `limit` entries', () => {
    const history = new EditHistory(2)
    for (let i = 0; i < 5; i++) history.record(`change ${i}`, [{ op: 'delete', id: `a${i}` }])
    const undone: string[] = []
    let label: string | null
    while ((label = history.undo((edits) => edits)) !== null) undone.push(label)
    expect(undone).toEqual(['change 4', 'change 3'])
  })
})
