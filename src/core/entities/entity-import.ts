// Entity links read back from an import (brat normalization lines, JSONL "entity") turned into
// changes of the project's entities: a link names an entity by its identifier or Quire id; the
// mention's text becomes one of its aliases, and an entity the project lacks is created. An
// alias already belonging to another entity is the project's word and stays; the import says so.
import type { EntityFile, EntityRecord } from '../../shared/finding-model'
import type { ParsedEntityLink } from '../formats/types'
import { groupingKey } from './entity-grouping'
import { EntityRefusal, normalizeEntityRef } from './entity-ref'
import { GROUP_ID_PREFIX, newEntityId } from './entity-set'

export interface LinkedMention {
  text: string
  link: ParsedEntityLink
  file: string
  line: number
}

export interface LinkIssue {
  file: string
  line: number
  message: string
}

export interface ImportedLinks {
  file: EntityFile
  /** False when the project's entities already said all the links say: nothing to write. */
  changed: boolean
  created: number
  aliasesAdded: number
  /** Links not taken, and why; the spans themselves are imported. */
  warnings: LinkIssue[]
}

export function applyImportedLinks(file: EntityFile, mentions: readonly LinkedMention[], now: string): ImportedLinks {
  const entities: EntityRecord[] = file.entities.map((entity) => ({ ...entity, aliases: [...entity.aliases] }))
  const warnings: LinkIssue[] = []
  let created = 0
  let aliasesAdded = 0
  let changed = false
  const ownerOf = new Map<string, EntityRecord>()
  for (const entity of entities) for (const alias of entity.aliases) ownerOf.set(alias, entity)

  for (const mention of mentions) {
    const key = groupingKey(mention.text)
    if (key === '') continue
    const warn = (message: string): void => {
      warnings.push({ file: mention.file, line: mention.line, message })
    }
    let ref: string | undefined
    if (mention.link.ref !== undefined) {
      try {
        ref = normalizeEntityRef(mention.link.ref)
      } catch (error) {
        if (!(error instanceof EntityRefusal)) throw error
        warn(`the link of "${mention.text}" is not taken: ${error.message}`)
        continue
      }
    }
    let target = ref !== undefined ? entities.find((entity) => entity.ref === ref) : undefined
    if (target === undefined && mention.link.id !== undefined) {
      const byId = entities.find((entity) => entity.id === mention.link.id)
      if (byId !== undefined && ref !== undefined && byId.ref !== undefined && byId.ref !== ref) {
        warn(`the link of "${mention.text}" is not taken: entity ${byId.id} ("${byId.name}") is ${byId.ref} in this project, the file says ${ref}`)
        continue
      }
      if (byId !== undefined && ref !== undefined && byId.ref === undefined) {
        byId.ref = ref
        byId.updatedAt = now
        changed = true
      }
      target = byId
    }
    const owner = ownerOf.get(key)
    if (target === undefined) {
      if (owner !== undefined) {
        warn(`the link of "${mention.text}" to ${describe(mention.link, ref)} is not taken: "${mention.text}" is already "${owner.name}" in this project`)
        continue
      }
      const id = mention.link.id !== undefined && usableId(mention.link.id, entities) ? mention.link.id : newEntityId(mention.link.name || mention.text)
      target = { id, name: mention.link.name.trim() || mention.text.trim(), ...(ref !== undefined ? { ref } : {}), aliases: [], createdAt: now, updatedAt: now }
      entities.push(target)
      created++
      changed = true
    }
    if (owner === target) continue
    if (owner !== undefined) {
      warn(`the link of "${mention.text}" to "${target.name}" is not taken: "${mention.text}" is already "${owner.name}" in this project`)
      continue
    }
    target.aliases.push(key)
    target.updatedAt = now
    ownerOf.set(key, target)
    aliasesAdded++
    changed = true
  }
  return { file: { ...file, entities }, changed, created, aliasesAdded, warnings }
}

function usableId(id: string, entities: readonly EntityRecord[]): boolean {
  return id.length <= 200 && !/\s|[\u0000-\u001f]/.test(id) && !id.startsWith(GROUP_ID_PREFIX) && !entities.some((entity) => entity.id === id)
}

function describe(link: ParsedEntityLink, ref: string | undefined): string {
  return ref ?? (link.name !== '' ? `"${link.name}"` : `Quire:${link.id ?? '?'}`)
}
