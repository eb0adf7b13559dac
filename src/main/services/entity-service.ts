// The project's entities: mentions grouped by normalised text over every layer of every
// document, with the aliases, names and identifiers saved in entities.json. Plain Node, behind
// the listEntities, listEntityMentions, mergeEntities, updateEntity and splitEntityAlias calls;
// the command line's `quire entities` uses it too.
import { QuireError } from '../../shared/api'
import type { EntityFile, EntityList, EntityMention, EntityMerge, EntityRecord } from '../../shared/finding-model'
import { groupingKey, ProjectEntityTally } from '../../core/entities/entity-grouping'
import { EntityRefusal } from '../../core/entities/entity-ref'
import { GROUP_ID_PREFIX, mergeEntities, splitEntityAlias, updateEntity, type EntityContext } from '../../core/entities/entity-set'
import { readEntityFile, updateEntityFile } from '../store/entities-file'
import type { ProjectStore } from '../store/project-store'
import type { ProjectSource } from './corpus-export-service'
import { EntityMentionIndex, readPlacedDocument } from './entity-index'
import { mentionContext } from '../../core/entities/mention-context'

/** The saved entities, or why entities.json cannot be read (then none: the file is left as it is). */
export async function readSavedEntities(store: ProjectStore): Promise<{ entities: EntityRecord[]; problem: string | null }> {
  try {
    return { entities: (await readEntityFile(store)).entities, problem: null }
  } catch (error) {
    return { entities: [], problem: QuireError.from(error).message }
  }
}

export class EntityService {
  readonly #index = new EntityMentionIndex()

  constructor(private readonly projects: ProjectSource) {}

  async list(): Promise<EntityList> {
    const store = this.projects.requireProject()
    const [tally, saved] = await Promise.all([this.#projectTally(store), readSavedEntities(store)])
    return { entities: tally.summarize(saved.entities), problem: saved.problem }
  }

  /** Every annotation mentioning the entity (or group), in document-list order, then by position. */
  async mentions(entityId: string): Promise<EntityMention[]> {
    const store = this.projects.requireProject()
    const keys = await this.#keysOf(store, entityId)
    const documents = await this.#index.tallies(store)
    const mentions: EntityMention[] = []
    for (const document of documents) {
      if (![...keys].some((key) => document.tally.has(key))) continue
      const record = await store.readRecord(document.documentId)
      const placed = await readPlacedDocument(store, record, () => undefined)
      const found: EntityMention[] = []
      for (const layer of placed?.layers ?? []) {
        for (const annotation of layer.annotations) {
          if (!keys.has(groupingKey(annotation.text))) continue
          found.push({
            documentId: record.id,
            documentName: record.name,
            annotator: layer.annotator,
            annotationId: annotation.id,
            start: annotation.start,
            end: annotation.end,
            tag: annotation.tag,
            text: annotation.text,
            ...(placed?.text ? mentionContext(placed.text, annotation.start, annotation.end) : {})
          })
        }
      }
      mentions.push(...found.sort((a, b) => a.start - b.start || a.end - b.end || a.annotator.localeCompare(b.annotator)))
    }
    return mentions
  }

  async merge(merge: EntityMerge): Promise<EntityList> {
    return this.#change((file, context) => ({ file: mergeEntities(file, merge, context).file, result: null }))
  }

  async update(entityId: string, changes: { name?: string; ref?: string | null }): Promise<EntityList> {
    return this.#change((file, context) => ({ file: updateEntity(file, entityId, changes, context).file, result: null }))
  }

  async split(entityId: string, aliasKey: string): Promise<EntityList> {
    return this.#change((file, context) => ({ file: splitEntityAlias(file, entityId, aliasKey, context), result: null }))
  }

  async #projectTally(store: ProjectStore): Promise<ProjectEntityTally> {
    return new ProjectEntityTally(await this.#index.tallies(store))
  }

  async #keysOf(store: ProjectStore, entityId: string): Promise<Set<string>> {
    // A group's mentions are those of its key, even when a colleague has since saved it into an entity.
    if (entityId.startsWith(GROUP_ID_PREFIX)) return new Set([entityId.slice(GROUP_ID_PREFIX.length)])
    const { entities, problem } = await readSavedEntities(store)
    const entity = entities.find((candidate) => candidate.id === entityId)
    if (!entity) throw new QuireError({ code: 'not-found', message: problem ?? `There is no entity "${entityId.slice(0, 80)}" in the project ${store.manifest.name}` })
    return new Set(entity.aliases)
  }

  async #change(apply: (file: EntityFile, context: EntityContext) => { file: EntityFile; result: null }): Promise<EntityList> {
    const store = this.projects.requireProject()
    const tally = await this.#projectTally(store)
    const context: EntityContext = { now: new Date().toISOString(), groupName: (key) => tally.groupName(key) }
    try {
      await updateEntityFile(store, (file) => apply(file, context))
    } catch (error) {
      if (error instanceof EntityRefusal) throw new QuireError({ code: 'invalid-argument', message: `Not saved: ${error.message}` })
      throw error
    }
    return this.list()
  }
}
