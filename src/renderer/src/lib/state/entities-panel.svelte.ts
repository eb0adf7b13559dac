// The Entities tab: the project's entities (saved ones and groups of equal texts), a filter, a
// choice of several to merge, and one entity opened to show its aliases and mentions. Every
// change goes to main (mergeEntities, updateEntity, splitEntityAlias), which answers with the
// new list; the rules themselves are in src/core/entities.
import { QuireError, type QuireApi } from '../../../../shared/api'
import type { EntityList, EntityMention, EntitySummary } from '../../../../shared/finding-model'
import { normalizeForGrouping } from '../../../../core/search/fold'
import { plural } from '../text/quantities'

/** The dialog open over the panel: merge the chosen entities, rename one, or set its identifier. */
export interface EntityDialog {
  kind: 'merge' | 'rename' | 'identify'
  /** The entities it applies to (one, except for a merge). */
  ids: string[]
  name: string
  ref: string
  /** Why the last submit was refused, shown at the form. */
  problem: string | null
  saving: boolean
}

export class EntitiesPanelState {
  entities = $state.raw<EntitySummary[]>([])
  /** entities.json cannot be read: said above the list; merging is refused until it is repaired. */
  problem = $state<string | null>(null)
  filter = $state('')
  chosen = $state.raw<ReadonlySet<string>>(new Set())
  /** The entity whose aliases and mentions are shown. */
  openId = $state<string | null>(null)
  mentions = $state.raw<EntityMention[]>([])
  loading = $state(false)
  loaded = $state(false)
  error = $state<string | null>(null)
  dialog = $state<EntityDialog | null>(null)

  /** `say` tells the user what a merge did (the app shows it in a notice). */
  constructor(
    private readonly api: QuireApi,
    private readonly say: (message: string) => void = () => undefined
  ) {}

  /** Entities whose name, identifier or any text seen matches the filter, ignoring case, diacritics and spacing. */
  get shown(): EntitySummary[] {
    const wanted = normalizeForGrouping(this.filter)
    if (wanted === '') return this.entities
    return this.entities.filter(
      (entity) =>
        normalizeForGrouping(entity.name).includes(wanted) ||
        (entity.ref !== null && entity.ref.toLowerCase().includes(wanted)) ||
        entity.aliases.some((alias) => alias.key.includes(wanted))
    )
  }

  get chosenEntities(): EntitySummary[] {
    return this.entities.filter((entity) => this.chosen.has(entity.id))
  }

  get opened(): EntitySummary | null {
    return this.entities.find((entity) => entity.id === this.openId) ?? null
  }

  async refresh(): Promise<void> {
    this.loading = true
    try {
      this.#take(await this.api.listEntities())
      this.error = null
      if (this.openId !== null) await this.#loadMentions(this.openId)
    } catch (caught) {
      this.error = QuireError.from(caught).message
    } finally {
      this.loading = false
      this.loaded = true
    }
  }

  toggleChosen(id: string): void {
    const next = new Set(this.chosen)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    this.chosen = next
  }

  async open(id: string | null): Promise<void> {
    this.openId = id
    this.mentions = []
    if (id !== null) await this.#loadMentions(id)
  }

  /** The merge dialog, prefilled with the most mentioned chosen entity's name and the first identifier among them. */
  startMerge(): void {
    const chosen = this.chosenEntities
    if (chosen.length < 2) return
    const first = chosen[0] as EntitySummary
    this.dialog = { kind: 'merge', ids: chosen.map((entity) => entity.id), name: first.name, ref: chosen.find((entity) => entity.ref !== null)?.ref ?? '', problem: null, saving: false }
  }

  startRename(entity: EntitySummary): void {
    this.dialog = { kind: 'rename', ids: [entity.id], name: entity.name, ref: entity.ref ?? '', problem: null, saving: false }
  }

  startIdentify(entity: EntitySummary): void {
    this.dialog = { kind: 'identify', ids: [entity.id], name: entity.name, ref: entity.ref ?? '', problem: null, saving: false }
  }

  /** Sends the dialog's change; true when it was saved (the dialog then closes). */
  async submitDialog(): Promise<boolean> {
    const dialog = this.dialog
    if (!dialog || dialog.saving) return false
    dialog.saving = true
    dialog.problem = null
    const ref = dialog.ref.trim() === '' ? null : dialog.ref.trim()
    try {
      let list: EntityList
      if (dialog.kind === 'merge') list = await this.api.mergeEntities({ ids: dialog.ids, name: dialog.name.trim(), ref })
      else if (dialog.kind === 'rename') list = await this.api.updateEntity(dialog.ids[0] as string, { name: dialog.name.trim() })
      else list = await this.api.updateEntity(dialog.ids[0] as string, { ref })
      const before = new Set(this.entities.map((entity) => entity.id))
      this.#take(list)
      // The entity just made or saved is the one to show: a merge or a group saved gets an id of its own.
      const made = list.entities.find((entity) => entity.saved && !before.has(entity.id)) ?? list.entities.find((entity) => dialog.ids.includes(entity.id))
      this.chosen = new Set()
      this.dialog = null
      // The merged entities leave the list: say where they went.
      if (dialog.kind === 'merge') this.say(`Merged ${plural(dialog.ids.length, 'entity', 'entities')} into ${made?.name ?? dialog.name.trim()}.`)
      if (made) await this.open(made.id)
      return true
    } catch (caught) {
      dialog.problem = QuireError.from(caught).message
      return false
    } finally {
      dialog.saving = false
    }
  }

  closeDialog(): void {
    if (!this.dialog?.saving) this.dialog = null
  }

  async splitAlias(entity: EntitySummary, aliasKey: string): Promise<void> {
    try {
      this.#take(await this.api.splitEntityAlias(entity.id, aliasKey))
      this.error = null
      await this.#loadMentions(entity.id)
    } catch (caught) {
      this.error = QuireError.from(caught).message
    }
  }

  #take(list: EntityList): void {
    this.entities = list.entities
    this.problem = list.problem
    const ids = new Set(list.entities.map((entity) => entity.id))
    this.chosen = new Set([...this.chosen].filter((id) => ids.has(id)))
    if (this.openId !== null && !ids.has(this.openId)) {
      this.openId = null
      this.mentions = []
    }
  }

  async #loadMentions(id: string): Promise<void> {
    try {
      const mentions = await this.api.listEntityMentions(id)
      if (this.openId === id) this.mentions = mentions
    } catch (caught) {
      this.error = QuireError.from(caught).message
    }
  }
}

/** What the panel needs of the app to show a mention: open its document, show its layer, select it. */
export interface MentionTarget {
  readonly session: {
    readonly documentId: string
    readonly annotator: string
    setSelection(anchor: number, focus: number, exact?: boolean): void
    reveal(id: string): void
    scrollTo(offset: number): void
  } | null
  readonly shownLayers: ReadonlySet<string>
  openDocument(documentId: string): Promise<void>
  setLayerShown(annotator: string, shown: boolean): Promise<void>
}

/** Opens the mention's document and selects its span; a colleague's mention shows their layer too. */
export async function showMention(app: MentionTarget, mention: EntityMention): Promise<void> {
  await app.openDocument(mention.documentId)
  const session = app.session
  if (session?.documentId !== mention.documentId) return
  const own = mention.annotator === session.annotator
  if (!own && !app.shownLayers.has(mention.annotator)) await app.setLayerShown(mention.annotator, true)
  session.setSelection(mention.start, mention.end, true)
  if (own) session.reveal(mention.annotationId)
  else session.scrollTo(mention.start)
}
