// The saved entities (entities.json) and the rules that change them: merge aliases into one
// entity, rename it, set or clear its identifier, split an alias out. Pure: the caller reads the
// file, applies one of these and writes the result; every refusal is an EntityRefusal saying why.
//
// An alias is a grouping key (normalizeForGrouping of a mention's text), so one alias belongs to
// at most one entity, and every mention resolves to at most one entity (entity-resolver.ts).
import type { EntityFile, EntityMerge, EntityRecord } from '../../shared/finding-model'
import { asciiSlug } from '../ids'
import { EntityRefusal, normalizeEntityRef } from './entity-ref'

export const ENTITY_FILE_FORMAT = 'quire-entities'
export const ENTITY_FILE_SCHEMA_VERSION = 1
/** Ids of groups not yet saved: "group:" + the grouping key. */
export const GROUP_ID_PREFIX = 'group:'

export function emptyEntityFile(): EntityFile {
  return { format: ENTITY_FILE_FORMAT, schemaVersion: ENTITY_FILE_SCHEMA_VERSION, entities: [] }
}

export function groupId(key: string): string {
  return `${GROUP_ID_PREFIX}${key}`
}

/** A fresh entity id, readable ("e-icesco-…") and unique without coordination between machines. */
export function newEntityId(name: string): string {
  const slug = asciiSlug(name).slice(0, 40).replace(/-+$/, '') || 'entity'
  const bytes = new Uint8Array(4)
  globalThis.crypto.getRandomValues(bytes)
  return `e-${slug}-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`
}

/** What the rules need to know about the project beyond the file: a group's display name. */
export interface EntityContext {
  now: string
  /** The name a group not yet saved is listed under (its most frequent text). */
  groupName(key: string): string
}

/** Where an id points: a saved entity, or a group's key that no saved entity claims. */
type Resolved = { entity: EntityRecord } | { key: string }

function resolveId(file: EntityFile, id: string): Resolved {
  if (id.startsWith(GROUP_ID_PREFIX)) {
    const key = id.slice(GROUP_ID_PREFIX.length)
    if (key === '') throw new EntityRefusal('an empty group id')
    // A group a colleague (or an earlier step) has since saved is that entity now.
    const owner = file.entities.find((entity) => entity.aliases.includes(key))
    return owner ? { entity: owner } : { key }
  }
  const entity = file.entities.find((candidate) => candidate.id === id)
  if (!entity) throw new EntityRefusal(`there is no entity "${id.slice(0, 80)}" any more (a colleague may have changed the entities); the list has been refreshed`)
  return { entity }
}

function refOrRefusal(ref: string | null): string | null {
  return ref === null ? null : normalizeEntityRef(ref)
}

function assertRefFree(file: EntityFile, ref: string | null, except: ReadonlySet<string>): void {
  if (ref === null) return
  const holder = file.entities.find((entity) => entity.ref === ref && !except.has(entity.id))
  if (holder) throw new EntityRefusal(`${ref} is already the identifier of "${holder.name}"; merge the two instead`)
}

function withRef(entity: EntityRecord, ref: string | null): EntityRecord {
  const { ref: _old, ...rest } = entity
  void _old
  return ref === null ? rest : { ...rest, ref }
}

/** Makes the listed entities and groups one entity, keeping the first saved one's id (links already exported stay valid). */
export function mergeEntities(file: EntityFile, merge: EntityMerge, context: EntityContext): { file: EntityFile; entity: EntityRecord } {
  const name = merge.name.trim()
  if (name === '') throw new EntityRefusal('the entity name is empty')
  const resolved = merge.ids.map((id) => resolveId(file, id))
  const merged = new Set(resolved.flatMap((item) => ('entity' in item ? [item.entity.id] : [])))
  const aliases = [...new Set(resolved.flatMap((item) => ('entity' in item ? item.entity.aliases : [item.key])))]
  const distinctKeys = new Set(resolved.flatMap((item) => ('key' in item ? [item.key] : [])))
  if (merged.size + distinctKeys.size < 2) {
    throw new EntityRefusal('choose at least two different entities to merge')
  }
  const ref = refOrRefusal(merge.ref)
  assertRefFree(file, ref, merged)
  const kept = resolved.find((item): item is { entity: EntityRecord } => 'entity' in item)?.entity
  const entity = withRef(
    { id: kept?.id ?? newEntityId(name), name, aliases, createdAt: kept?.createdAt ?? context.now, updatedAt: context.now },
    ref
  )
  const others = file.entities.filter((candidate) => !merged.has(candidate.id))
  return { file: { ...file, entities: [...others, entity] }, entity }
}

/** Renames an entity or sets its identifier (null clears it); a group is saved as an entity first. */
export function updateEntity(file: EntityFile, id: string, changes: { name?: string; ref?: string | null }, context: EntityContext): { file: EntityFile; entity: EntityRecord } {
  const resolved = resolveId(file, id)
  const current: EntityRecord =
    'entity' in resolved
      ? resolved.entity
      : { id: newEntityId(context.groupName(resolved.key)), name: context.groupName(resolved.key), aliases: [resolved.key], createdAt: context.now, updatedAt: context.now }
  let updated: EntityRecord = { ...current, updatedAt: context.now }
  if (changes.name !== undefined) {
    const name = changes.name.trim()
    if (name === '') throw new EntityRefusal('the entity name is empty')
    updated.name = name
  }
  if (changes.ref !== undefined) {
    const ref = refOrRefusal(changes.ref)
    assertRefFree(file, ref, new Set([current.id]))
    updated = withRef(updated, ref)
  }
  const entities = 'entity' in resolved ? file.entities.map((entity) => (entity.id === current.id ? updated : entity)) : [...file.entities, updated]
  return { file: { ...file, entities }, entity: updated }
}

/** Takes an alias out of its entity; the alias is a group of its own again. */
export function splitEntityAlias(file: EntityFile, id: string, aliasKey: string, context: EntityContext): EntityFile {
  const resolved = resolveId(file, id)
  if (!('entity' in resolved)) throw new EntityRefusal('a group of equal texts has no aliases to split; merge it with another first')
  const { entity } = resolved
  if (!entity.aliases.includes(aliasKey)) throw new EntityRefusal(`"${aliasKey.slice(0, 80)}" is not an alias of "${entity.name}"`)
  if (entity.aliases.length === 1) throw new EntityRefusal(`"${aliasKey.slice(0, 80)}" is the only alias of "${entity.name}": there is nothing to split it from`)
  const updated = { ...entity, aliases: entity.aliases.filter((alias) => alias !== aliasKey), updatedAt: context.now }
  return { ...file, entities: file.entities.map((candidate) => (candidate.id === entity.id ? updated : candidate)) }
}

/**
 * Problems no valid entities.json has: an alias claimed twice, an identifier used twice, an id
 * used twice. Checked when the file is read, so a hand edit or a bad merge of two synced copies
 * is reported instead of resolving mentions arbitrarily.
 */
export function entityFileProblem(entities: readonly EntityRecord[]): string | null {
  const ids = new Set<string>()
  const owners = new Map<string, string>()
  const refs = new Map<string, string>()
  for (const entity of entities) {
    if (ids.has(entity.id)) return `two entities have the id "${entity.id}"`
    ids.add(entity.id)
    for (const alias of entity.aliases) {
      const owner = owners.get(alias)
      if (owner !== undefined && owner !== entity.id) return `the alias "${alias}" belongs to two entities ("${owner}" and "${entity.id}")`
      owners.set(alias, entity.id)
    }
    if (entity.ref !== undefined) {
      const holder = refs.get(entity.ref)
      if (holder !== undefined) return `two entities have the identifier ${entity.ref} ("${holder}" and "${entity.id}")`
      refs.set(entity.ref, entity.id)
    }
  }
  return null
}
