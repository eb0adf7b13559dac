// Change sets are CodeMirror's (@codemirror/state): serialisable, composable, invertible, with
// position mapping that knows which side of an insertion a position sticks to. Every offset is
// a UTF-16 code unit. Texts are split into CodeMirror lines on "\n" only, so a "\r" stays an
// ordinary character and a change set's lengths always equal the JS string's lengths.
import { ChangeDesc, ChangeSet, Text } from '@codemirror/state'
import type { ChangeSetJson } from '../../shared/model'
import { count, plural } from '../quantities'

/** A change set that does not fit its text, or cannot be read. */
export class TextEditError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TextEditError'
  }
}

/** The one line separator: "\r" is kept as a character, never taken for a line break. */
export const LINE_SEPARATOR = '\n'

/** Parses a change set and checks that it was made for a text of `textLength` code units. */
export function changeSetOf(json: ChangeSetJson, textLength: number): ChangeSet {
  const problem = describeMalformedJson(json)
  if (problem) throw new TextEditError(`the change set cannot be read: ${problem}`)
  const changes = ChangeSet.fromJSON(json)
  if (changes.length !== textLength) {
    throw new TextEditError(
      `the change set is for a text of ${plural(changes.length, 'character')}, but the text has ${count(textLength)}`
    )
  }
  return changes
}

/**
 * What a change set does to positions, without its inserted text (cheaper to build and to
 * compose, all that span mapping needs); checked like changeSetOf.
 */
export function changeDescOf(json: ChangeSetJson, textLength: number): ChangeDesc {
  const problem = describeMalformedJson(json)
  if (problem) throw new TextEditError(`the change set cannot be read: ${problem}`)
  const desc = ChangeDesc.fromJSON(sectionsOf(json))
  if (desc.length !== textLength) {
    throw new TextEditError(`the change set is for a text of ${plural(desc.length, 'character')}, but the text has ${count(textLength)}`)
  }
  return desc
}

/**
 * A change set's sections as CodeMirror's ChangeDesc holds them: pairs of (length in the text
 * before, length inserted or -1 where the text is kept).
 */
export function sectionsOf(json: ChangeSetJson): number[] {
  const sections: number[] = []
  for (const part of json) {
    if (typeof part === 'number') {
      sections.push(part, -1)
      continue
    }
    let inserted = part.length > 1 ? part.length - 2 : 0
    for (let line = 1; line < part.length; line++) inserted += (part[line] as string).length
    sections.push(part[0], inserted)
  }
  return sections
}

/** One description doing what `descs` do in turn, composed pairwise (n log n, where one by one is n²). */
export function composeDescs(descs: readonly ChangeDesc[], textLength: number): ChangeDesc {
  if (descs.length === 0) return ChangeDesc.fromJSON(textLength > 0 ? [textLength, -1] : [])
  let level = [...descs]
  while (level.length > 1) {
    const next: ChangeDesc[] = []
    for (let index = 0; index < level.length; index += 2) {
      const first = level[index] as ChangeDesc
      const second = level[index + 1]
      next.push(second === undefined ? first : first.composeDesc(second))
    }
    level = next
  }
  return level[0] as ChangeDesc
}

function describeMalformedJson(json: unknown): string | null {
  if (!Array.isArray(json)) return 'it is not a list'
  for (let index = 0; index < json.length; index++) {
    const part: unknown = json[index]
    if (typeof part === 'number') {
      if (!isLength(part)) return `part ${index + 1} (${part}) is not a length`
      continue
    }
    if (!Array.isArray(part) || part.length === 0 || !isLength(part[0])) {
      return `part ${index + 1} is neither a length nor [deleted length, ...inserted lines]`
    }
    for (let line = 1; line < part.length; line++) {
      if (typeof part[line] !== 'string') return `part ${index + 1} has an inserted line that is not text`
      if ((part[line] as string).includes(LINE_SEPARATOR)) return `part ${index + 1} has an inserted line holding a line break`
    }
  }
  return null
}

function isLength(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

/**
 * The text after the changes. Works on the string directly (slices kept, lines inserted),
 * which for a multi-megabyte text is several times faster than building a CodeMirror Text.
 */
export function applyChanges(text: string, changes: ChangeSetJson): string {
  changeSetOf(changes, text.length)
  const pieces: string[] = []
  let position = 0
  for (const part of changes) {
    if (typeof part === 'number') {
      pieces.push(text.slice(position, position + part))
      position += part
      continue
    }
    position += part[0]
    for (let line = 1; line < part.length; line++) {
      if (line > 1) pieces.push(LINE_SEPARATOR)
      pieces.push(part[line] as string)
    }
  }
  return pieces.join('')
}

/** One change set doing what `list` does in turn, starting from a text of `textLength`. */
export function composeChanges(list: readonly ChangeSetJson[], textLength: number): ChangeSetJson {
  let composed = ChangeSet.empty(textLength)
  list.forEach((json, index) => {
    try {
      composed = composed.compose(changeSetOf(json, composed.newLength))
    } catch (error) {
      if (error instanceof TextEditError) throw new TextEditError(`change set ${index + 1} of ${list.length}: ${error.message}`)
      throw error
    }
  })
  return composed.toJSON() as ChangeSetJson
}

/** The change set that takes the text after `changes` back to `textBefore`. */
export function invertChanges(changes: ChangeSetJson, textBefore: string): ChangeSetJson {
  return changeSetOf(changes, textBefore.length).invert(textOf(textBefore)).toJSON() as ChangeSetJson
}

/** A CodeMirror Text for `text`, split on "\n" only (see LINE_SEPARATOR). */
export function textOf(text: string): Text {
  return Text.of(text.split(LINE_SEPARATOR))
}

/** A replacement of `from`–`to` (offsets in the text before) by `insert`. */
export interface ChangeSpec {
  from: number
  to: number
  insert: string
}

/**
 * A text as a string, or as CodeMirror's Text (the editor's document, split on "\n" only, so
 * its offsets are the string's): the widening and split checks read only a few characters.
 */
export type TextSource = string | Text

function codeUnitAt(text: TextSource, offset: number): number {
  return typeof text === 'string' ? text.charCodeAt(offset) : text.sliceString(offset, offset + 1, LINE_SEPARATOR).charCodeAt(0)
}

/**
 * A change set from replacements given against `text`, each first made to cover whole
 * characters: a range never starts or ends inside a surrogate pair or between the "\r" and
 * "\n" of a CRLF. An insertion there moves before the pair (typing between "\r" and "\n"
 * inserts before the "\r"); a range starting or ending there grows to take the whole
 * character (deleting only the "\n" of a CRLF deletes the line break, "\r" included).
 */
export function changeSetFromSpecs(text: TextSource, specs: readonly ChangeSpec[]): ChangeSetJson {
  const widened = specs.map((spec) => {
    if (!(Number.isSafeInteger(spec.from) && Number.isSafeInteger(spec.to) && 0 <= spec.from && spec.from <= spec.to && spec.to <= text.length)) {
      throw new TextEditError(`the change ${spec.from}–${spec.to} is not a range of the text (0–${text.length})`)
    }
    if (spec.from === spec.to) {
      const at = splitsCharacter(text, spec.from) ? spec.from - 1 : spec.from
      return { from: at, to: at, insert: spec.insert }
    }
    const from = splitsCharacter(text, spec.from) ? spec.from - 1 : spec.from
    const to = splitsCharacter(text, spec.to) ? spec.to + 1 : spec.to
    return { from, to, insert: spec.insert }
  })
  return ChangeSet.of(widened, text.length, LINE_SEPARATOR).toJSON() as ChangeSetJson
}

/** True when `offset` falls inside a surrogate pair or between the "\r" and "\n" of a CRLF. */
export function splitsCharacter(text: TextSource, offset: number): boolean {
  return describeCharacterAt(text, offset) !== null
}

function describeCharacterAt(text: TextSource, offset: number): string | null {
  if (offset <= 0 || offset >= text.length) return null
  const before = codeUnitAt(text, offset - 1)
  const after = codeUnitAt(text, offset)
  if (before === 0x0d && after === 0x0a) return 'a CRLF line break'
  if (before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff) {
    const codePoint = (before - 0xd800) * 0x400 + (after - 0xdc00) + 0x10000
    return `the surrogate pair of U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`
  }
  return null
}

/**
 * Null when the changes only touch `text` between whole characters; otherwise a sentence naming
 * the first offset where they would split a surrogate pair or a CRLF (main refuses such a change
 * set from a window).
 */
export function describeSplitCharacter(text: TextSource, changes: ChangeSetJson): string | null {
  const set = changeSetOf(changes, text.length)
  let problem: string | null = null
  set.iterChangedRanges((fromA, toA) => {
    if (problem !== null) return
    for (const offset of fromA === toA ? [fromA] : [fromA, toA]) {
      const split = describeCharacterAt(text, offset)
      if (split !== null) {
        problem = `the change at offset ${offset} would split ${split}`
        return
      }
    }
  })
  return problem
}

/** A new revision id: "r" + the revision's sequence number + "-" + 12 random hex digits. */
export function newRevisionId(seq: number, random: () => number = Math.random): string {
  if (!Number.isSafeInteger(seq) || seq < 1 || seq > 999_999_999) {
    throw new TextEditError(`a revision's sequence number must be a whole number from 1 to 999999999, not ${seq}`)
  }
  let hex = ''
  for (let digit = 0; digit < 12; digit++) hex += Math.min(15, Math.floor(random() * 16)).toString(16)
  return `r${seq}-${hex}`
}
