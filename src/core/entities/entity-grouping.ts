// Grouping mentions into entities. Mentions group by their text, normalised (case, diacritics,
// runs of whitespace: "İlham  Əliyev" and "ilham aliyev" are one key, see normalizeForGrouping),
// across tags: "ISESCO" tagged Organization by Leyla and Event by Rashad is still one name, and
// the panel shows its counts per tag, so a disagreement on the tag is seen rather than
// splitting the name in two. Saved entities (entities.json) claim keys as their aliases; every
// key no entity claims is a group of its own, listed until the user merges or names it.
//
// Each document is tallied on its own (tallyMentions), so a project-wide list is the sum of
// per-document tallies that a cache can keep while a document's files are unchanged.
import { normalizeForGrouping } from '../search/fold'
import type { EntityAlias, EntityRecord, EntitySummary } from '../../shared/finding-model'
import { groupId } from './entity-set'

/** A key's mentions in one document (or summed over many). */
export interface KeyTally {
  mentions: number
  /** Each exact text seen and how often ("ISESCO": 4, "Isesco": 1). */
  texts: Map<string, number>
  byTag: Map<string, number>
}

/** Mentions of one document by grouping key. */
export type DocumentEntityTally = Map<string, KeyTally>

export interface TalliedDocument {
  documentId: string
  documentName: string
  tally: DocumentEntityTally
}

/** Normalised text of a mention; '' (not grouped) for a mention of only spaces. */
export function groupingKey(text: string): string {
  return normalizeForGrouping(text)
}

export function tallyMentions(annotations: Iterable<{ text: string; tag: string }>): DocumentEntityTally {
  const tally: DocumentEntityTally = new Map()
  // The same text is mentioned again and again: normalise each distinct text once.
  const keyOfText = new Map<string, string>()
  for (const annotation of annotations) {
    let key = keyOfText.get(annotation.text)
    if (key === undefined) {
      key = groupingKey(annotation.text)
      keyOfText.set(annotation.text, key)
    }
    if (key === '') continue
    let entry = tally.get(key)
    if (!entry) {
      entry = { mentions: 0, texts: new Map(), byTag: new Map() }
      tally.set(key, entry)
    }
    entry.mentions++
    entry.texts.set(annotation.text, (entry.texts.get(annotation.text) ?? 0) + 1)
    entry.byTag.set(annotation.tag, (entry.byTag.get(annotation.tag) ?? 0) + 1)
  }
  return tally
}

interface ProjectKeyTally extends KeyTally {
  documents: Map<string, number>
}

/** Mentions over the project by key, with the documents each key occurs in. */
export class ProjectEntityTally {
  readonly keys = new Map<string, ProjectKeyTally>()
  readonly documentNames = new Map<string, string>()

  constructor(documents: Iterable<TalliedDocument>) {
    for (const document of documents) {
      this.documentNames.set(document.documentId, document.documentName)
      for (const [key, tally] of document.tally) {
        let entry = this.keys.get(key)
        if (!entry) {
          entry = { mentions: 0, texts: new Map(), byTag: new Map(), documents: new Map() }
          this.keys.set(key, entry)
        }
        entry.mentions += tally.mentions
        addCounts(entry.texts, tally.texts)
        addCounts(entry.byTag, tally.byTag)
        entry.documents.set(document.documentId, (entry.documents.get(document.documentId) ?? 0) + tally.mentions)
      }
    }
  }

  /** The name a group is listed under: its most frequent text (the first seen on a tie), on one line. */
  groupName(key: string): string {
    const texts = this.keys.get(key)?.texts
    const text = texts ? (byCountDescending(texts)[0] ?? key) : key
    return text.trim().replace(/\s+/gu, ' ')
  }

  /** Saved entities, then groups of keys no entity claims; most mentioned first. */
  summarize(entities: readonly EntityRecord[]): EntitySummary[] {
    const claimed = new Set(entities.flatMap((entity) => entity.aliases))
    const summaries = entities.map((entity) => this.#summary(entity.id, true, entity.name, entity.ref ?? null, entity.aliases))
    for (const key of this.keys.keys()) {
      if (!claimed.has(key)) summaries.push(this.#summary(groupId(key), false, this.groupName(key), null, [key]))
    }
    return summaries.sort((a, b) => b.mentions - a.mentions || a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
  }

  #summary(id: string, saved: boolean, name: string, ref: string | null, keys: readonly string[]): EntitySummary {
    const aliases: EntityAlias[] = []
    const countsByTag = new Map<string, number>()
    const documents = new Map<string, number>()
    let mentions = 0
    for (const key of keys) {
      const tally = this.keys.get(key)
      aliases.push({ key, texts: tally ? byCountDescending(tally.texts) : [], mentions: tally?.mentions ?? 0 })
      if (!tally) continue
      mentions += tally.mentions
      addCounts(countsByTag, tally.byTag)
      addCounts(documents, tally.documents)
    }
    aliases.sort((a, b) => b.mentions - a.mentions || a.key.localeCompare(b.key))
    return {
      id,
      saved,
      name,
      ref,
      aliases,
      mentions,
      countsByTag: Object.fromEntries(countsByTag),
      documents: [...documents]
        .map(([documentId, count]) => ({ documentId, documentName: this.documentNames.get(documentId) ?? documentId, mentions: count }))
        .sort((a, b) => b.mentions - a.mentions || a.documentName.localeCompare(b.documentName))
    }
  }
}

function addCounts(into: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [name, count] of from) into.set(name, (into.get(name) ?? 0) + count)
}

function byCountDescending(counts: ReadonlyMap<string, number>): string[] {
  // Map order is first seen: a stable sort keeps it on ties.
  return [...counts].sort((a, b) => b[1] - a[1]).map(([name]) => name)
}
