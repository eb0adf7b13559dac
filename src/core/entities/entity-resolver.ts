// The one rule saying which entity an annotation mentions: the saved entity whose aliases hold
// its grouping key, or none. The entity panel, every export and the command line use it; an
// export worker builds its own from the entities it is sent.
import type { EntityLink, EntityRecord } from '../../shared/finding-model'
import { groupingKey } from './entity-grouping'

export type EntityResolver = (text: string) => EntityLink | undefined

/**
 * Only saved entities are links: a group not yet saved is just equal texts, which the exported
 * text already says; writing it would add a line per span and tell nothing more.
 */
export function entityResolver(entities: readonly EntityRecord[]): EntityResolver {
  const byKey = new Map<string, EntityLink>()
  for (const entity of entities) {
    const link: EntityLink = entity.ref === undefined ? { id: entity.id, name: entity.name } : { id: entity.id, name: entity.name, ref: entity.ref }
    for (const alias of entity.aliases) if (!byKey.has(alias)) byKey.set(alias, link)
  }
  if (byKey.size === 0) return () => undefined
  const byText = new Map<string, EntityLink | undefined>()
  return (text) => {
    if (byText.has(text)) return byText.get(text)
    const link = byKey.get(groupingKey(text))
    if (byText.size < 100_000) byText.set(text, link)
    return link
  }
}
