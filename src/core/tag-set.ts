// The project's tag set, changed by the tag editor: a list of changes applied in order, then the
// result checked as a whole, and either all of it is taken or none, with every reason. The
// service in main and the editor in the window run the same rules, so the editor can show a
// reason at its field before anything is sent.
//
// Rules about one tag's own fields (its key in 1–9, its colour's contrast) are asked of the tags
// a change adds or touches: a project made by an older Quire or an import may hold tags that
// break them (an imported tag without a key, the old default orange at 2.2:1 on white), and
// renaming one tag must not be refused for another's old colour.
import type { TagSetChange } from '../shared/finding-model'
import type { TagDefinition } from '../shared/model'
import { judgeColour, isHexColour } from './colour-contrast'
import { foldText } from './search/fold'

/** Keys 1–9 pick a tag in the reader: at most one tag per key. */
export const MAX_TAGS = 9
export const TAG_KEYS: readonly string[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9']
export const TAG_ID_PATTERN = /^[A-Z][A-Z0-9_]{0,31}$/
const MAX_ID_LENGTH = 32
const MAX_LABEL_LENGTH = 60
const MAX_SHORT_LABEL_LENGTH = 8

export type TagField = 'id' | 'label' | 'shortLabel' | 'key' | 'color'

/** Why a change is refused; `tagId` and `field` say where the editor shows it. */
export interface TagSetProblem {
  tagId: string | null
  field: TagField | 'order' | 'delete' | null
  message: string
}

export interface TagDeletion {
  id: string
  /** The tag its spans move to first; absent when the tag must be unused. */
  moveTo?: string
  annotator: string
}

export type TagSetOutcome =
  | { ok: true; tags: TagDefinition[]; deletions: TagDeletion[] }
  | { ok: false; problems: TagSetProblem[] }

/** Labels compare as a reader sees them: without case (the same case rule as search) and outer spaces. */
export function labelKey(label: string): string {
  return foldText(label.trim(), { matchCase: false, matchDiacritics: true }).text
}

/**
 * An id for a new tag from its label: upper case, diacritics dropped as search drops them ("Şəhər" gives SAHAR),
 * anything else "_"; made unique against `taken` with _2, _3…
 */
export function tagIdFromLabel(label: string, taken: Iterable<string>): string {
  const folded = foldText(label.trim(), { matchCase: true, matchDiacritics: false }).text.toUpperCase()
  let base = folded.replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '')
  if (base === '') base = 'TAG'
  if (!/^[A-Z]/.test(base)) base = `T_${base}`
  base = base.slice(0, MAX_ID_LENGTH).replace(/_+$/, '')
  const used = new Set(taken)
  if (!used.has(base)) return base
  for (let n = 2; ; n += 1) {
    const suffix = `_${n}`
    const candidate = `${base.slice(0, MAX_ID_LENGTH - suffix.length)}${suffix}`
    if (!used.has(candidate)) return candidate
  }
}

function describe(tag: TagDefinition): string {
  return `"${tag.label}"`
}

/**
 * Applies `changes` in order to `current` and checks the result as a whole. Deletions are only
 * noted (with where their spans go): whether a tag is still used is the service's to decide.
 */
export function applyTagSetChanges(current: readonly TagDefinition[], changes: readonly TagSetChange[]): TagSetOutcome {
  let tags = current.map((tag) => ({ ...tag }))
  const touched = new Map<string, Set<TagField>>()
  const deletions: TagDeletion[] = []
  const problems: TagSetProblem[] = []
  const touch = (id: string, fields: TagField[]): void => {
    const set = touched.get(id) ?? new Set<TagField>()
    for (const field of fields) set.add(field)
    touched.set(id, set)
  }

  for (const change of changes) {
    switch (change.op) {
      case 'add': {
        const tag = { ...change.tag, label: change.tag.label.trim(), shortLabel: change.tag.shortLabel.trim(), color: change.tag.color.toUpperCase() }
        if (tags.some((other) => other.id === tag.id)) {
          problems.push({ tagId: tag.id, field: 'id', message: `a tag with the id ${tag.id} already exists` })
          continue
        }
        tags.push(tag)
        touch(tag.id, ['id', 'label', 'shortLabel', 'key', 'color'])
        break
      }
      case 'update': {
        const index = tags.findIndex((tag) => tag.id === change.id)
        const tag = tags[index]
        if (!tag) {
          problems.push({ tagId: change.id, field: null, message: `there is no tag ${change.id} to change` })
          continue
        }
        const updated = { ...tag }
        const fields: TagField[] = []
        const { label, shortLabel, key, color } = change.changes
        if (label !== undefined) updated.label = label.trim()
        if (shortLabel !== undefined) updated.shortLabel = shortLabel.trim()
        if (key !== undefined) updated.key = key
        // Saving a tag's colour unchanged does not judge it again (it may predate the rule).
        if (color !== undefined && color.toUpperCase() !== tag.color.toUpperCase()) updated.color = color.toUpperCase()
        for (const field of ['label', 'shortLabel', 'key', 'color'] as const) if (updated[field] !== tag[field]) fields.push(field)
        tags[index] = updated
        touch(tag.id, fields)
        break
      }
      case 'reorder': {
        const known = new Set(tags.map((tag) => tag.id))
        const named = new Set(change.ids)
        const unknown = change.ids.filter((id) => !known.has(id))
        const missing = tags.filter((tag) => !named.has(tag.id)).map((tag) => tag.id)
        if (unknown.length > 0 || missing.length > 0 || named.size !== change.ids.length) {
          const reasons = [
            ...(unknown.length > 0 ? [`names unknown tags (${unknown.join(', ')})`] : []),
            ...(missing.length > 0 ? [`leaves out ${missing.join(', ')}`] : []),
            ...(named.size !== change.ids.length ? ['names a tag twice'] : [])
          ]
          problems.push({ tagId: null, field: 'order', message: `the new order ${reasons.join(' and ')}; it must name every tag once` })
          continue
        }
        const byId = new Map(tags.map((tag) => [tag.id, tag]))
        tags = change.ids.map((id) => byId.get(id) as TagDefinition)
        break
      }
      case 'delete': {
        const tag = tags.find((other) => other.id === change.id)
        if (!tag) {
          problems.push({ tagId: change.id, field: 'delete', message: `there is no tag ${change.id} to delete` })
          continue
        }
        if (change.moveTo !== undefined) {
          const target = tags.find((other) => other.id === change.moveTo)
          if (change.moveTo === change.id) {
            problems.push({ tagId: change.id, field: 'delete', message: `the spans of ${describe(tag)} cannot move to the tag being deleted` })
            continue
          }
          if (!target) {
            problems.push({ tagId: change.id, field: 'delete', message: `the spans of ${describe(tag)} cannot move to ${change.moveTo}: there is no such tag` })
            continue
          }
        }
        tags = tags.filter((other) => other.id !== change.id)
        touched.delete(change.id)
        deletions.push({ id: change.id, annotator: change.annotator, ...(change.moveTo !== undefined ? { moveTo: change.moveTo } : {}) })
        break
      }
    }
  }
  // A tag that others' spans move to cannot itself be deleted in the same call.
  for (const deletion of deletions) {
    if (deletion.moveTo !== undefined && !tags.some((tag) => tag.id === deletion.moveTo)) {
      problems.push({ tagId: deletion.id, field: 'delete', message: `the spans of ${deletion.id} cannot move to ${deletion.moveTo}: it is deleted too` })
    }
  }
  problems.push(...tagSetProblems(tags, touched, current.length))
  return problems.length > 0 ? { ok: false, problems } : { ok: true, tags, deletions }
}

/** The rules a tag set must keep as a whole, and those of the tags changed (see the top). */
function tagSetProblems(tags: readonly TagDefinition[], touched: ReadonlyMap<string, ReadonlySet<TagField>>, countBefore: number): TagSetProblem[] {
  const problems: TagSetProblem[] = []
  if (tags.length === 0) problems.push({ tagId: null, field: null, message: 'a project needs at least one tag' })
  if (tags.length > MAX_TAGS && tags.length > countBefore) {
    problems.push({ tagId: null, field: null, message: `a project has at most ${MAX_TAGS} tags, one for each key 1–9; delete one before adding another` })
  }
  const firstById = new Map<string, TagDefinition>()
  const firstByLabel = new Map<string, TagDefinition>()
  const firstByShortLabel = new Map<string, TagDefinition>()
  const firstByKey = new Map<string, TagDefinition>()
  for (const tag of tags) {
    const fields = touched.get(tag.id)
    const changed = (field: TagField): boolean => fields?.has(field) ?? false
    if (!TAG_ID_PATTERN.test(tag.id)) problems.push({ tagId: tag.id, field: 'id', message: `the id "${tag.id}" is not upper-case letters, digits and "_" (at most ${MAX_ID_LENGTH}, starting with a letter)` })
    if (tag.label === '') problems.push({ tagId: tag.id, field: 'label', message: 'the tag name is empty' })
    else if (tag.label.length > MAX_LABEL_LENGTH) problems.push({ tagId: tag.id, field: 'label', message: `the tag name is longer than ${MAX_LABEL_LENGTH} characters` })
    if (tag.shortLabel === '') problems.push({ tagId: tag.id, field: 'shortLabel', message: `the short label of ${describe(tag)} is empty` })
    else if (tag.shortLabel.length > MAX_SHORT_LABEL_LENGTH) problems.push({ tagId: tag.id, field: 'shortLabel', message: `the short label of ${describe(tag)} is longer than ${MAX_SHORT_LABEL_LENGTH} characters` })
    if (changed('key') && !TAG_KEYS.includes(tag.key)) problems.push({ tagId: tag.id, field: 'key', message: `the key of ${describe(tag)} must be one of 1 to 9` })
    if (!isHexColour(tag.color)) problems.push({ tagId: tag.id, field: 'color', message: `the colour of ${describe(tag)} is not #RRGGBB` })
    else if (changed('color')) {
      const verdict = judgeColour(tag.color)
      if (!verdict.ok) {
        const failing = [verdict.light, verdict.dark].filter((side) => !side.ok).map((side) => side.summary)
        problems.push({ tagId: tag.id, field: 'color', message: `the colour ${tag.color} of ${describe(tag)} is hard to see — ${failing.join('; ')}; pick one from the palette` })
      }
    }
    const clash = (seen: Map<string, TagDefinition>, key: string, field: TagField, what: (other: TagDefinition) => string): void => {
      if (key === '') return
      const other = seen.get(key)
      if (other) problems.push({ tagId: changed(field) || !touched.has(other.id) ? tag.id : other.id, field, message: what(other) })
      else seen.set(key, tag)
    }
    clash(firstById, tag.id, 'id', () => `two tags have the id ${tag.id}`)
    clash(firstByLabel, labelKey(tag.label), 'label', (other) => `${describe(tag)} and ${describe(other)} are the same name`)
    clash(firstByShortLabel, labelKey(tag.shortLabel), 'shortLabel', (other) => `${describe(tag)} and ${describe(other)} have the same short label "${tag.shortLabel}"`)
    clash(firstByKey, tag.key, 'key', (other) => `${describe(tag)} and ${describe(other)} both use key ${tag.key}`)
  }
  return problems
}

/** The first free key 1–9 in `tags`, or '' when all nine are taken. */
export function freeTagKey(tags: readonly TagDefinition[]): string {
  const used = new Set(tags.map((tag) => tag.key))
  return TAG_KEYS.find((key) => !used.has(key)) ?? ''
}

/** One message for a refusal: every reason, in order. */
export function describeTagSetProblems(problems: readonly TagSetProblem[]): string {
  return `The tag set was not changed: ${problems.map((problem) => problem.message).join('; ')}`
}
