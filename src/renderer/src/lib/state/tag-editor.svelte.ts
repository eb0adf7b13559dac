// The tag set editor's state: a working copy of the project's tags that the dialog edits, the
// changes it would send (add, update, reorder, delete with "move its spans to"), and the same
// rules main applies (src/core/tag-set.ts), so a reason shows at its field before Save.
import type { QuireApi } from '../../../../shared/api'
import { QuireError } from '../../../../shared/api'
import type { TagSetChange, TagSetResult, TagUsage } from '../../../../shared/finding-model'
import { CURATION_ANNOTATOR, type TagDefinition } from '../../../../shared/model'
import { applyTagSetChanges, freeTagKey, MAX_TAGS, tagIdFromLabel, type TagField, type TagSetProblem } from '../../../../core/tag-set'
import { judgeColour, TAG_PALETTE, type ColourVerdict } from '../../../../core/colour-contrast'
import { plural } from '../text/quantities'

export interface TagDeletionChoice {
  id: string
  label: string
  /** Where its spans go; null when it has none. */
  moveTo: string | null
}

export interface TagEditorOptions {
  tags: readonly TagDefinition[]
  /** Your name: spans are moved in your layer (and the gold layer). */
  annotator: string
  readOnlyReason: string | null
  /** The project as saved, to show at once (the toolbar, the reader's keys and colours). */
  onSaved: (result: TagSetResult) => void
  /** Resolves once the open document's own edits are saved: main may move spans of that layer. */
  beforeSave?: () => Promise<void>
}

export class TagEditorState {
  /** The tags as they will be, in order. */
  tags = $state<TagDefinition[]>([])
  /** Tags to delete on Save, with where their spans go. */
  deletions = $state<TagDeletionChoice[]>([])
  selectedId = $state<string | null>(null)
  usage = $state.raw<ReadonlyMap<string, TagUsage>>(new Map())
  usageProblem = $state<string | null>(null)
  saving = $state(false)
  /** Main's refusal (a colleague's layer uses a tag, project.json changed meanwhile…). */
  saveError = $state<string | null>(null)
  /** Set after a Save was tried: rule problems then show even on fields not touched since. */
  triedSave = $state(false)

  readonly #api: QuireApi
  readonly #options: TagEditorOptions
  readonly #original: readonly TagDefinition[]

  constructor(api: QuireApi, options: TagEditorOptions) {
    this.#api = api
    this.#options = options
    this.#original = options.tags.map((tag) => ({ ...tag }))
    this.tags = options.tags.map((tag) => ({ ...tag }))
    this.selectedId = this.tags[0]?.id ?? null
  }

  get readOnlyReason(): string | null {
    return this.#options.readOnlyReason
  }

  async loadUsage(): Promise<void> {
    try {
      const usage = await this.#api.getTagUsage()
      this.usage = new Map(usage.map((entry) => [entry.tag, entry]))
      this.usageProblem = null
    } catch (error) {
      this.usageProblem = `Quire could not count where each tag is used: ${QuireError.from(error).message}`
    }
  }

  get selected(): TagDefinition | null {
    return this.tags.find((tag) => tag.id === this.selectedId) ?? null
  }

  isNew(id: string): boolean {
    return !this.#original.some((tag) => tag.id === id)
  }

  spansOf(id: string): number {
    return this.usage.get(id)?.spans ?? 0
  }

  /** "Leyla 12, gold layer 1". */
  usedBy(id: string): string {
    const byAnnotator = this.usage.get(id)?.byAnnotator ?? {}
    return Object.entries(byAnnotator)
      .map(([annotator, count]) => `${annotator === CURATION_ANNOTATOR ? 'the gold layer' : annotator} (${plural(count, 'span')})`)
      .join(', ')
  }

  /** Spans of the tag in layers this session cannot move: a colleague's. */
  colleagueSpans(id: string): number {
    const byAnnotator = this.usage.get(id)?.byAnnotator ?? {}
    return Object.entries(byAnnotator)
      .filter(([annotator]) => annotator !== this.#options.annotator && annotator !== CURATION_ANNOTATOR)
      .reduce((sum, [, count]) => sum + count, 0)
  }

  get canAdd(): boolean {
    return this.tags.length < MAX_TAGS
  }

  /** A new tag at the end with the first free key and an unused palette colour; selected for naming. */
  add(): void {
    if (!this.canAdd) return
    const taken = [...this.#original.map((tag) => tag.id), ...this.tags.map((tag) => tag.id)]
    let label = 'New tag'
    for (let n = 2; this.tags.some((tag) => tag.label.toLowerCase() === label.toLowerCase()); n++) label = `New tag ${n}`
    const usedColours = new Set(this.tags.map((tag) => tag.color.toUpperCase()))
    const colour = TAG_PALETTE.find((entry) => !usedColours.has(entry.colour))?.colour ?? TAG_PALETTE[0]?.colour ?? '#8C8C8C'
    const id = tagIdFromLabel(label, taken)
    this.tags.push({ id, label, shortLabel: id.slice(0, 3), key: freeTagKey(this.tags), color: colour })
    this.selectedId = id
  }

  /** Changes a field; a new tag's id follows its name until it is saved. */
  set(id: string, field: Exclude<TagField, 'id'>, value: string): void {
    const index = this.tags.findIndex((tag) => tag.id === id)
    const tag = this.tags[index]
    if (!tag) return
    const updated = { ...tag, [field]: value }
    if (field === 'label' && this.isNew(id)) {
      const taken = [...this.#original.map((other) => other.id), ...this.tags.filter((other) => other.id !== id).map((other) => other.id)]
      updated.id = tagIdFromLabel(value, taken)
      if (tag.shortLabel === tag.id.slice(0, 3)) updated.shortLabel = updated.id.slice(0, 3)
      if (this.selectedId === id) this.selectedId = updated.id
    }
    this.tags[index] = updated
    this.saveError = null
  }

  move(id: string, by: -1 | 1): void {
    const index = this.tags.findIndex((tag) => tag.id === id)
    const target = index + by
    if (index < 0 || target < 0 || target >= this.tags.length) return
    const [tag] = this.tags.splice(index, 1)
    if (tag) this.tags.splice(target, 0, tag)
  }

  /** Takes the tag out of the set on Save; its spans (if any) go to `moveTo`. */
  remove(id: string, moveTo: string | null): void {
    const tag = this.tags.find((other) => other.id === id)
    if (!tag) return
    this.tags = this.tags.filter((other) => other.id !== id)
    if (!this.isNew(id)) this.deletions.push({ id, label: tag.label, moveTo: this.spansOf(id) > 0 ? moveTo : null })
    if (this.selectedId === id) this.selectedId = this.tags[0]?.id ?? null
    this.saveError = null
  }

  /** Puts a tag marked for deletion back where it was in the set. */
  keep(id: string): void {
    const original = this.#original.find((tag) => tag.id === id)
    if (!original) return
    this.deletions = this.deletions.filter((deletion) => deletion.id !== id)
    const originalIndex = this.#original.findIndex((tag) => tag.id === id)
    this.tags.splice(Math.min(originalIndex, this.tags.length), 0, { ...original })
    this.selectedId = id
  }

  verdict(colour: string): ColourVerdict | null {
    return /^#[0-9A-Fa-f]{6}$/.test(colour) ? judgeColour(colour) : null
  }

  /** What Save sends: the changes from the set as opened to the set as edited. */
  get changes(): TagSetChange[] {
    const changes: TagSetChange[] = []
    for (const deletion of this.deletions) {
      changes.push({ op: 'delete', id: deletion.id, annotator: this.#options.annotator, ...(deletion.moveTo !== null ? { moveTo: deletion.moveTo } : {}) })
    }
    for (const tag of this.tags) {
      const original = this.#original.find((other) => other.id === tag.id)
      if (!original) {
        changes.push({ op: 'add', tag: { ...tag } })
        continue
      }
      const fields: Partial<Pick<TagDefinition, 'label' | 'shortLabel' | 'key' | 'color'>> = {}
      for (const field of ['label', 'shortLabel', 'key', 'color'] as const) if (tag[field] !== original[field]) fields[field] = tag[field]
      if (Object.keys(fields).length > 0) changes.push({ op: 'update', id: tag.id, changes: fields })
    }
    const kept = this.#original.filter((tag) => this.tags.some((other) => other.id === tag.id)).map((tag) => tag.id)
    const order = this.tags.map((tag) => tag.id)
    const appended = [...kept, ...order.filter((id) => !kept.includes(id))]
    if (order.join() !== appended.join()) changes.push({ op: 'reorder', ids: order })
    return changes
  }

  /** The rules applied to the edited set now, as main will apply them on Save. */
  get problems(): TagSetProblem[] {
    const changes = this.changes
    if (changes.length === 0) return []
    const outcome = applyTagSetChanges(this.#original, changes)
    return outcome.ok ? [] : outcome.problems
  }

  problemAt(id: string, field: TagField | 'delete'): string | null {
    return this.problems.find((problem) => problem.tagId === id && problem.field === field)?.message ?? null
  }

  /** Problems not shown at a field of a listed tag (the set as a whole). */
  get generalProblems(): TagSetProblem[] {
    return this.problems.filter((problem) => problem.field === null || problem.field === 'order' || !this.tags.some((tag) => tag.id === problem.tagId))
  }

  get hasChanges(): boolean {
    return this.changes.length > 0
  }

  /** Sends the changes; true when saved (the dialog then closes). */
  async save(): Promise<boolean> {
    this.triedSave = true
    if (this.readOnlyReason !== null || this.saving || this.problems.length > 0) return false
    if (!this.hasChanges) return true
    this.saving = true
    this.saveError = null
    try {
      if (this.deletions.some((deletion) => deletion.moveTo !== null)) await this.#options.beforeSave?.()
      this.#options.onSaved(await this.#api.updateTagSet(this.changes))
      return true
    } catch (error) {
      this.saveError = QuireError.from(error).message
      return false
    } finally {
      this.saving = false
    }
  }
}
