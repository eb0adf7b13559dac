// Property tests for span mapping: through random edits and cleanups every surviving span's
// stored text is the text it covers and lies inside the text; undo restores spans exactly;
// composing then mapping equals mapping step by step for spans no change touches; the one-pass
// position sweep agrees with ChangeSet.mapPos.
import { ChangeSet } from '@codemirror/state'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyChanges, changeDescOf, changeSetFromSpecs, changeSetOf, composeChanges, composeDescs, describeSplitCharacter, invertChanges, sectionsOf, splitsCharacter } from '../../src/core/text-edit/change-set'
import { buildHyphenationEvidence, planCleanup } from '../../src/core/text-edit/cleanup'
import { mapPositions, SectionIndex, type Assoc } from '../../src/core/text-edit/position-mapping'
import { compareAnnotations, mapAnnotationsThrough, mapAnnotationsThroughUndo, mapLayerBack, mapLayerForward, restoreLostSpans } from '../../src/core/text-edit/span-mapping'
import { CLEANUP_STEPS, ORIGINAL_REVISION, type Annotation, type ChangeSetJson, type CleanupStepId } from '../../src/shared/model'
import { describeBadSpans, layerOn, RevisionChain, spanOn } from '../helpers/text-edit-fixtures'

const SEED = 20261201
const RUNS = { seed: SEED, numRuns: 300 }

const piece = fc.constantFrom('a', 'b', 'co', ' ', '  ', '\n', '\r\n', '\r', '😀', 'سلام', '-', 'ab-', '\n\n', 'x9', '\t', 'ab\nab\nab\n', 'coco')
const textArb = fc.array(piece, { maxLength: 24 }).map((pieces) => pieces.join(''))
const insertArb = fc.array(piece, { maxLength: 4 }).map((pieces) => pieces.join(''))

/** Offsets between whole characters. */
function boundaries(text: string): number[] {
  const offsets: number[] = []
  for (let offset = 0; offset <= text.length; offset++) if (!splitsCharacter(text, offset)) offsets.push(offset)
  return offsets
}

/** A text with spans on whole characters (unique ids, no span empty). */
const textWithSpans = textArb.chain((text) => {
  const cuts = boundaries(text)
  const pair = fc.tuple(fc.nat({ max: cuts.length - 1 }), fc.nat({ max: cuts.length - 1 }))
  return fc.array(pair, { maxLength: 8 }).map((pairs) => {
    const spans = pairs
      .map(([a, b]) => [cuts[Math.min(a, b)] as number, cuts[Math.max(a, b)] as number] as const)
      .filter(([start, end]) => start < end)
      .map(([start, end], index) => spanOn(text, `s${index}`, start, end))
    return { text, spans }
  })
})

/** The same from texts whose characters all differ, so a text occurs at one place at most. */
const distinctTextWithSpans = fc
  .shuffledSubarray(['a', 'b', 'c', 'd', ' ', '\n', '\r\n', '😀', 'س', 'ل', '-', '9', '\t', 'Z', 'é'], { maxLength: 12 })
  .map((pieces) => pieces.join(''))
  .chain((text) => {
    const cuts = boundaries(text)
    const pair = fc.tuple(fc.nat({ max: cuts.length - 1 }), fc.nat({ max: cuts.length - 1 }))
    return fc.array(pair, { maxLength: 6 }).map((pairs) => {
      const spans = pairs
        .map(([a, b]) => [cuts[Math.min(a, b)] as number, cuts[Math.max(a, b)] as number] as const)
        .filter(([start, end]) => start < end)
        .map(([start, end], index) => spanOn(text, `s${index}`, start, end))
      return { text, spans }
    })
  })

/** Random replacements of a text (any offsets: changeSetFromSpecs widens them). */
function specsFor(text: string) {
  const offset = fc.nat({ max: text.length })
  return fc.array(
    fc.tuple(offset, offset, insertArb).map(([a, b, insert]) => ({ from: Math.min(a, b), to: Math.max(a, b), insert })),
    { minLength: 1, maxLength: 3 }
  )
}

const stepsArb = fc.subarray([...CLEANUP_STEPS], { minLength: 1 }) as fc.Arbitrary<CleanupStepId[]>

/** One random change to a text: an edit of its characters or a cleanup. */
function changeFor(text: string): fc.Arbitrary<ChangeSetJson> {
  return fc.oneof(
    specsFor(text).map((specs) => changeSetFromSpecs(text, specs)),
    stepsArb.map((steps) => planCleanup(text, steps, { hyphenation: buildHyphenationEvidence([text]) }).changes)
  )
}

describe('span mapping properties', () => {
  it('the position sweep and the section index map every position as ChangeSet.mapPos does', () => {
    const arb = textArb.chain((text) =>
      fc
        .array(fc.tuple(fc.nat({ max: text.length }), fc.nat({ max: text.length }), insertArb), { maxLength: 4 })
        .map((specs) => ({ text, changes: ChangeSet.of(specs.map(([a, b, insert]) => ({ from: Math.min(a, b), to: Math.max(a, b), insert })), text.length, '\n') }))
    )
    fc.assert(
      fc.property(arb, ({ text, changes }) => {
        const positions: number[] = []
        const assocs: Assoc[] = []
        for (let pos = 0; pos <= text.length; pos++) for (const assoc of [-1, 1] as const) positions.push(pos) && assocs.push(assoc)
        const swept = mapPositions(sectionsOf(changes.toJSON() as ChangeSetJson), positions, assocs)
        const index = new SectionIndex(changes.desc.toJSON())
        // Reading the text before back from the text after: every character kept reads as it was.
        const after = applyChanges(text, changes.toJSON() as ChangeSetJson)
        const readBack = index.textBefore(after, 0, text.length, '\uffff') ?? ''
        expect(readBack).toHaveLength(text.length)
        for (let k = 0; k < text.length; k++) if (readBack[k] !== '\uffff') expect(readBack[k]).toBe(text[k])
        if (!readBack.includes('\uffff')) expect(index.textBefore(after, 0, text.length)).toBe(text)
        positions.forEach((pos, k) => {
          expect(swept[k]).toBe(changes.mapPos(pos, assocs[k]))
          expect(index.mapPos(pos, assocs[k] as Assoc)).toBe(changes.mapPos(pos, assocs[k]))
        })
      }),
      RUNS
    )
  })

  it('edits from specs never split a surrogate pair or a CRLF', () => {
    const arb = textArb.chain((text) => specsFor(text).map((specs) => ({ text, specs })))
    fc.assert(
      fc.property(arb, ({ text, specs }) => {
        expect(describeSplitCharacter(text, changeSetFromSpecs(text, specs))).toBeNull()
      }),
      RUNS
    )
  })

  it('cleanup steps never split a character, and their composed changes give the previewed text', () => {
    fc.assert(
      fc.property(textArb, stepsArb, (text, steps) => {
        const plan = planCleanup(text, steps, { hyphenation: buildHyphenationEvidence([text]) })
        expect(applyChanges(text, plan.changes)).toBe(plan.textAfter)
        expect(describeSplitCharacter(text, plan.changes)).toBeNull()
        for (const preview of plan.previews) {
          expect(preview.count).toBeGreaterThanOrEqual(preview.examples.length)
          expect(preview.summary).not.toMatch(/\(s\)|^1 \w+s /)
        }
      }),
      RUNS
    )
  })

  it('through random edits and cleanups, every span covers exactly its stored text inside the text', () => {
    const arb = textWithSpans.chain(({ text, spans }) => {
      // Three rounds, each generated for the text the previous one leaves.
      const round = (current: string) => changeFor(current).map((changes) => ({ changes, after: applyChanges(current, changes) }))
      return round(text).chain((first) =>
        round(first.after).chain((second) => round(second.after).map((third) => ({ text, spans, rounds: [first, second, third] })))
      )
    })
    fc.assert(
      fc.property(arb, ({ spans, rounds }) => {
        let annotations: Annotation[] = spans
        let lostCount = 0
        rounds.forEach(({ changes, after }, index) => {
          const mapped = mapAnnotationsThrough(annotations, changes, after, `r${index + 1}-00000000000${index}`)
          annotations = mapped.annotations
          lostCount += mapped.lost.length
          expect(describeBadSpans(after, annotations)).toEqual([])
          for (const annotation of annotations) {
            if (annotation.textCheck) expect(annotation.textCheck.previousText).not.toBe(annotation.text)
          }
        })
        expect(annotations.length + lostCount).toBe(spans.length)
      }),
      RUNS
    )
  })

  /** A layer through an edit and then its undo, both ways a service does it. */
  function throughEditAndUndo(text: string, spans: Annotation[], changes: ChangeSetJson) {
    const chain = new RevisionChain(text)
    const edit = chain.add(changes)
    const undo = chain.add(invertChanges(changes, text), { kind: 'undo', undoes: edit.id })
    expect(chain.head).toBe(text)
    const owner = mapLayerForward(layerOn(text, spans), [edit], chain.texts[1] as string).layer
    const undone = mapLayerForward(owner, [undo], text).layer
    const mapped = mapAnnotationsThrough(spans, changes, chain.texts[1] as string, edit.id)
    const back = mapAnnotationsThroughUndo(mapped.annotations, undo.changes, text, undo.id, edit.id)
    const restored = restoreLostSpans({ ...layerOn(text, back.annotations), lostInEditing: mapped.lost }, edit.id, text).layer
    const across = mapLayerForward(layerOn(text, spans), chain.revisions, text).layer
    const settled = mapLayerBack(owner, edit, text).layer
    expect(settled.textRevision).toBe(ORIGINAL_REVISION)
    return { undone, restored, across, settled }
  }

  it('undo brings every span back with its old text, unflagged, nothing lost; across an edit and its undo, exactly', () => {
    const arb = textWithSpans.chain(({ text, spans }) => changeFor(text).map((changes) => ({ text, spans, changes })))
    fc.assert(
      fc.property(arb, ({ text, spans, changes }) => {
        const original = [...spans].sort(compareAnnotations)
        const { undone, restored, across, settled } = throughEditAndUndo(text, spans, changes)
        expect(across.annotations).toEqual(original)
        for (const layer of [undone, restored, settled]) {
          expect(layer.lostInEditing).toEqual([])
          expect(layer.annotations.map(({ id, text, textCheck }) => ({ id, text, textCheck })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
            original.map(({ id, text, textCheck }) => ({ id, text, textCheck })).sort((a, b) => a.id.localeCompare(b.id))
          )
          expect(describeBadSpans(text, layer.annotations)).toEqual([])
        }
      }),
      RUNS
    )
  })

  // Where a span's old text occurs twice side by side ("     ", "\n\n\n") and an edit deleted
  // across it, nothing tells which copy it covered; with every character different it is exact.
  it('undo restores the spans exactly when their text tells where they were', () => {
    const arb = distinctTextWithSpans.chain(({ text, spans }) => changeFor(text).map((changes) => ({ text, spans, changes })))
    fc.assert(
      fc.property(arb, ({ text, spans, changes }) => {
        const original = [...spans].sort(compareAnnotations)
        const { undone, restored, settled } = throughEditAndUndo(text, spans, changes)
        expect(undone.annotations).toEqual(original)
        expect(restored.annotations).toEqual(original)
        expect(settled.annotations).toEqual(original)
      }),
      RUNS
    )
  })

  // With every character different the old place of a span is never in doubt (see the test above).
  it('a layer on an edit, read after its undo and a later edit, has the spans the later edit leaves alone back exactly', () => {
    const arb = distinctTextWithSpans.chain(({ text, spans }) =>
      changeFor(text).chain((changes) => specsFor(text).map((laterSpecs) => ({ text, spans, changes, laterSpecs })))
    )
    fc.assert(
      fc.property(arb, ({ text, spans, changes, laterSpecs }) => {
        const chain = new RevisionChain(text)
        const edit = chain.add(changes)
        const owner = mapLayerForward(layerOn(text, spans), [edit], chain.head).layer
        const undo = chain.add(invertChanges(changes, text), { kind: 'undo', undoes: edit.id })
        const later = chain.add(changeSetFromSpecs(text, laterSpecs))
        const inOneGo = mapLayerForward(owner, [undo, later], chain.head).layer
        const stepwise = mapLayerForward(mapLayerForward(owner, [undo], text).layer, [later], chain.head).layer
        expect(describeBadSpans(chain.head, inOneGo.annotations)).toEqual([])
        const laterSet = changeSetOf(later.changes, text.length)
        for (const span of spans) {
          if (laterSet.touchesRange(span.start, span.end)) continue
          const a = inOneGo.annotations.find((annotation) => annotation.id === span.id)
          const b = stepwise.annotations.find((annotation) => annotation.id === span.id)
          expect(a && { start: a.start, end: a.end, text: a.text, textCheck: a.textCheck }).toEqual(b && { start: b.start, end: b.end, text: b.text, textCheck: b.textCheck })
        }
      }),
      RUNS
    )
  })

  it('a layer mapped forward through a chain lands where the one composed change set puts it', () => {
    const arb = textWithSpans.chain(({ text, spans }) => {
      const round = (current: string) => changeFor(current).map((changes) => ({ changes, after: applyChanges(current, changes) }))
      return round(text).chain((first) => round(first.after).chain((second) => round(second.after).map((third) => ({ text, spans, rounds: [first, second, third] }))))
    })
    fc.assert(
      fc.property(arb, ({ text, spans, rounds }) => {
        const chain = new RevisionChain(text)
        for (const { changes } of rounds) chain.add(changes)
        const composed = composeChanges(
          rounds.map((round) => round.changes),
          text.length
        )
        expect(sectionsOf(composed)).toEqual(composeDescs(chain.revisions.map((revision) => changeDescOf(revision.changes, revision.lengthBefore)), text.length).toJSON())
        const forward = mapLayerForward(layerOn(text, spans), chain.revisions, chain.head)
        const once = mapAnnotationsThrough(spans, composed, chain.head, chain.headId)
        // The same, but for which revision a flag names: the one that changed the span, not the head.
        const ids = chain.revisions.map((revision) => revision.id)
        for (const annotation of forward.layer.annotations) if (annotation.textCheck) expect(ids).toContain(annotation.textCheck.revision)
        const headFlags = (annotations: Annotation[]) =>
          annotations.map((annotation) => (annotation.textCheck ? { ...annotation, textCheck: { ...annotation.textCheck, revision: chain.headId } } : annotation))
        expect(headFlags(forward.layer.annotations)).toEqual(once.annotations)
        expect(forward.layer.lostInEditing.map((entry) => entry.annotation.id).sort()).toEqual(once.lost.map((entry) => entry.annotation.id).sort())
        expect(forward.layer.textRevision).toBe(chain.headId)
      }),
      RUNS
    )
  })

  it('composing then mapping equals mapping step by step for spans no change touches', () => {
    const arb = textWithSpans.chain(({ text, spans }) =>
      changeFor(text).chain((first) => {
        const middle = applyChanges(text, first)
        return changeFor(middle).map((second) => ({ text, spans, first, middle, second }))
      })
    )
    fc.assert(
      fc.property(arb, ({ text, spans, first, middle, second }) => {
        const after = applyChanges(middle, second)
        const composed = composeChanges([first, second], text.length)
        const once = mapAnnotationsThrough(spans, composed, after, 'r2-000000000002')
        const stepOne = mapAnnotationsThrough(spans, first, middle, 'r1-000000000001')
        const twice = mapAnnotationsThrough(stepOne.annotations, second, after, 'r2-000000000002')
        const firstSet = changeSetOf(first, text.length)
        const secondSet = changeSetOf(second, middle.length)
        const untouched = stepOne.annotations.filter(
          (annotation) => !secondSet.touchesRange(annotation.start, annotation.end) && !firstSet.touchesRange(spans.find((s) => s.id === annotation.id)?.start ?? 0, spans.find((s) => s.id === annotation.id)?.end ?? 0)
        )
        for (const annotation of untouched) {
          const a = once.annotations.find((x) => x.id === annotation.id)
          const b = twice.annotations.find((x) => x.id === annotation.id)
          expect(a).toEqual(b)
          expect(a?.text).toBe(spans.find((s) => s.id === annotation.id)?.text)
        }
      }),
      RUNS
    )
  })
})
