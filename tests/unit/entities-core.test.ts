import { describe, expect, it } from 'vitest'
import { groupingKey, ProjectEntityTally, tallyMentions } from '../../src/core/entities/entity-grouping'
import { applyImportedLinks } from '../../src/core/entities/entity-import'
import { EntityRefusal, linkReference, normalizeEntityRef, readLinkReference } from '../../src/core/entities/entity-ref'
import { entityResolver } from '../../src/core/entities/entity-resolver'
import { emptyEntityFile, entityFileProblem, groupId, mergeEntities, splitEntityAlias, updateEntity, type EntityContext } from '../../src/core/entities/entity-set'
import type { EntityFile } from '../../src/shared/finding-model'

const mention = (text: string, tag = 'ORG'): { text: string; tag: string } => ({ text, tag })

function projectTally(): ProjectEntityTally {
  return new ProjectEntityTally([
    { documentId: 'd1', documentName: 'Meeting', tally: tallyMentions([mention('ISESCO'), mention('ISESCO'), mention('Isesco', 'EVENT'), mention('ICESCO'), mention('İlham  Əliyev', 'PERSON')]) },
    { documentId: 'd2', documentName: 'Summit', tally: tallyMentions([mention('ICESCO'), mention('Ilham Aliyev', 'PERSON'), mention('Islamic World Educational, Scientific and Cultural Organization')]) }
  ])
}

function contextOf(tally: ProjectEntityTally): EntityContext {
  return { now: '2026-12-01T12:00:00.000Z', groupName: (key) => tally.groupName(key) }
}

describe('grouping mentions', () => {
  it('groups texts equal but for case, diacritics and spacing, across tags, with counts per tag and per document', () => {
    expect(groupingKey('İlham  Əliyev')).toBe(groupingKey('ilham aliyev'))
    expect(groupingKey('  \n ')).toBe('')
    const list = projectTally().summarize([])
    const isesco = list.find((entity) => entity.id === groupId(groupingKey('ISESCO')))
    expect(isesco).toMatchObject({ saved: false, name: 'ISESCO', ref: null, mentions: 3, countsByTag: { ORG: 2, EVENT: 1 } })
    expect(isesco?.aliases).toEqual([{ key: 'isesco', texts: ['ISESCO', 'Isesco'], mentions: 3 }])
    const aliyev = list.find((entity) => entity.aliases[0]?.key === 'ilham aliyev')
    expect(aliyev).toMatchObject({ mentions: 2, documents: [{ documentId: 'd1', documentName: 'Meeting', mentions: 1 }, { documentId: 'd2', documentName: 'Summit', mentions: 1 }] })
    // Most mentioned first.
    expect(list[0]?.name).toBe('ISESCO')
  })

  it('skips mentions of only spaces', () => {
    expect(tallyMentions([mention(' \u00a0')]).size).toBe(0)
  })
})

describe('merging, renaming, identifying and splitting entities', () => {
  it('merges ISESCO, ICESCO and the long form into one entity with a name and a Wikidata identifier, listed with every alias', () => {
    const tally = projectTally()
    const { file, entity } = mergeEntities(
      emptyEntityFile(),
      { ids: [groupId('isesco'), groupId('icesco'), groupId(groupingKey('Islamic World Educational, Scientific and Cultural Organization'))], name: 'ICESCO', ref: 'Q1630451' },
      contextOf(tally)
    )
    expect(entity).toMatchObject({ name: 'ICESCO', ref: 'Wikidata:Q1630451' })
    expect(entity.aliases).toHaveLength(3)
    const listed = tally.summarize(file.entities)
    const icesco = listed.find((candidate) => candidate.id === entity.id)
    expect(icesco).toMatchObject({ saved: true, name: 'ICESCO', ref: 'Wikidata:Q1630451', mentions: 6, countsByTag: { ORG: 5, EVENT: 1 } })
    expect(listed.some((candidate) => candidate.id === groupId('isesco'))).toBe(false)
    expect(entityFileProblem(file.entities)).toBeNull()
  })

  it('keeps the first saved entity\'s id when merging into it, so links already exported stay valid', () => {
    const tally = projectTally()
    const first = mergeEntities(emptyEntityFile(), { ids: [groupId('isesco'), groupId('icesco')], name: 'ICESCO', ref: null }, contextOf(tally))
    const second = mergeEntities(first.file, { ids: [groupId('ilham aliyev'), first.entity.id], name: 'ICESCO', ref: null }, contextOf(tally))
    expect(second.entity.id).toBe(first.entity.id)
    expect(second.file.entities).toHaveLength(1)
    expect(second.entity.aliases.sort()).toEqual(['icesco', 'ilham aliyev', 'isesco'])
  })

  it('refuses a merge of fewer than two, an empty name, a malformed identifier or one another entity has', () => {
    const tally = projectTally()
    const context = contextOf(tally)
    expect(() => mergeEntities(emptyEntityFile(), { ids: [groupId('isesco'), groupId('isesco')], name: 'X', ref: null }, context)).toThrow(/at least two/)
    expect(() => mergeEntities(emptyEntityFile(), { ids: [groupId('isesco'), groupId('icesco')], name: '  ', ref: null }, context)).toThrow(/name is empty/)
    expect(() => mergeEntities(emptyEntityFile(), { ids: [groupId('isesco'), groupId('icesco')], name: 'X', ref: 'not an id' }, context)).toThrow(EntityRefusal)
    const named = updateEntity(emptyEntityFile(), groupId('ilham aliyev'), { ref: 'Q1' }, context)
    expect(() => mergeEntities(named.file, { ids: [groupId('isesco'), groupId('icesco')], name: 'X', ref: 'Wikidata:Q1' }, context)).toThrow(/already the identifier of "İlham Əliyev"/)
    expect(() => mergeEntities(named.file, { ids: ['e-gone-00000000', groupId('icesco')], name: 'X', ref: null }, context)).toThrow(/no entity "e-gone-00000000"/)
  })

  it('saves a group when it is renamed or identified, and clears an identifier with null', () => {
    const tally = projectTally()
    const context = contextOf(tally)
    const renamed = updateEntity(emptyEntityFile(), groupId('ilham aliyev'), { name: 'Ilham Aliyev' }, context)
    expect(renamed.entity).toMatchObject({ name: 'Ilham Aliyev', aliases: ['ilham aliyev'] })
    expect(renamed.entity.ref).toBeUndefined()
    const identified = updateEntity(renamed.file, renamed.entity.id, { ref: 'https://www.wikidata.org/wiki/Q58169' }, context)
    expect(identified.entity.ref).toBe('Wikidata:Q58169')
    const cleared = updateEntity(identified.file, renamed.entity.id, { ref: null }, context)
    expect(cleared.entity.ref).toBeUndefined()
    expect(cleared.file.entities).toHaveLength(1)
  })

  it('splits an alias out (a group of its own again) but not an entity\'s only alias', () => {
    const tally = projectTally()
    const context = contextOf(tally)
    const { file, entity } = mergeEntities(emptyEntityFile(), { ids: [groupId('isesco'), groupId('icesco')], name: 'ICESCO', ref: null }, context)
    const split = splitEntityAlias(file, entity.id, 'isesco', context)
    expect(split.entities[0]?.aliases).toEqual(['icesco'])
    expect(tally.summarize(split.entities).find((candidate) => candidate.id === groupId('isesco'))).toMatchObject({ saved: false, mentions: 3 })
    expect(() => splitEntityAlias(split, entity.id, 'icesco', context)).toThrow(/only alias/)
    expect(() => splitEntityAlias(split, entity.id, 'nothing', context)).toThrow(/not an alias/)
  })

  it('finds what no valid entities file has: an alias, id or identifier used twice', () => {
    const base = { createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' }
    expect(entityFileProblem([{ id: 'a', name: 'A', aliases: ['x'], ...base }, { id: 'b', name: 'B', aliases: ['x'], ...base }])).toMatch(/alias "x" belongs to two/)
    expect(entityFileProblem([{ id: 'a', name: 'A', aliases: ['x'], ...base }, { id: 'a', name: 'B', aliases: ['y'], ...base }])).toMatch(/id "a"/)
    expect(entityFileProblem([{ id: 'a', name: 'A', ref: 'W:1', aliases: ['x'], ...base }, { id: 'b', name: 'B', ref: 'W:1', aliases: ['y'], ...base }])).toMatch(/identifier W:1/)
  })
})

describe('identifiers and links', () => {
  it('keeps identifiers as SOURCE:ID, from a bare QID or a Wikidata address too', () => {
    expect(normalizeEntityRef('Q1630451')).toBe('Wikidata:Q1630451')
    expect(normalizeEntityRef(' https://www.wikidata.org/wiki/Q1630451 ')).toBe('Wikidata:Q1630451')
    expect(normalizeEntityRef('wikidata:q42')).toBe('Wikidata:Q42')
    expect(normalizeEntityRef('GND:4027667-2')).toBe('GND:4027667-2')
    expect(() => normalizeEntityRef('ICESCO')).toThrow(/SOURCE:ID/)
    expect(() => normalizeEntityRef('Quire:e-x-1')).toThrow(/Quire's own/)
  })

  it('writes Quire:<id> for an entity without identifier and reads both forms back', () => {
    expect(linkReference({ id: 'e-icesco-1a2b3c4d', name: 'ICESCO' })).toBe('Quire:e-icesco-1a2b3c4d')
    expect(linkReference({ id: 'e-icesco-1a2b3c4d', name: 'ICESCO', ref: 'Wikidata:Q1630451' })).toBe('Wikidata:Q1630451')
    expect(readLinkReference('Quire:e-icesco-1a2b3c4d')).toEqual({ quireId: 'e-icesco-1a2b3c4d' })
    expect(readLinkReference('Wikidata:Q1630451')).toEqual({ ref: 'Wikidata:Q1630451' })
    expect(readLinkReference('C0960880')).toBeNull()
  })

  it('resolves each mention to at most one entity: a saved one claiming its key, never a mere group', () => {
    const tally = projectTally()
    const { file, entity } = mergeEntities(emptyEntityFile(), { ids: [groupId('isesco'), groupId('icesco')], name: 'ICESCO', ref: 'Q1630451' }, contextOf(tally))
    const resolve = entityResolver(file.entities)
    expect(resolve('Isesco')).toEqual({ id: entity.id, name: 'ICESCO', ref: 'Wikidata:Q1630451' })
    expect(resolve('ICESCO ')).toEqual({ id: entity.id, name: 'ICESCO', ref: 'Wikidata:Q1630451' })
    expect(resolve('Ilham Aliyev')).toBeUndefined()
  })
})

describe('links read back by an import', () => {
  const now = '2026-12-01T12:00:00.000Z'
  it('creates the entities a file names, keeps their Quire ids, and adds each text as an alias', () => {
    const result = applyImportedLinks(
      emptyEntityFile(),
      [
        { text: 'ICESCO', link: { id: 'e-icesco-1a2b3c4d', ref: 'Wikidata:Q1630451', name: 'ICESCO' }, file: 'a.jsonl', line: 1 },
        { text: 'ISESCO', link: { ref: 'Q1630451', name: 'ICESCO' }, file: 'a.jsonl', line: 2 },
        { text: 'Ilham Aliyev', link: { id: 'e-ilham-aliyev-00000001', name: 'Ilham Aliyev' }, file: 'a.jsonl', line: 2 }
      ],
      now
    )
    expect(result).toMatchObject({ changed: true, created: 2, aliasesAdded: 3, warnings: [] })
    expect(result.file.entities).toEqual([
      { id: 'e-icesco-1a2b3c4d', name: 'ICESCO', ref: 'Wikidata:Q1630451', aliases: ['icesco', 'isesco'], createdAt: now, updatedAt: now },
      { id: 'e-ilham-aliyev-00000001', name: 'Ilham Aliyev', aliases: ['ilham aliyev'], createdAt: now, updatedAt: now }
    ])
    // The same file again changes nothing.
    expect(applyImportedLinks(result.file, [{ text: 'Isesco', link: { ref: 'Wikidata:Q1630451', name: 'ICESCO' }, file: 'a.jsonl', line: 1 }], now).changed).toBe(false)
  })

  it('leaves an alias with the entity the project gives it, and says so', () => {
    const base: EntityFile = { ...emptyEntityFile(), entities: [{ id: 'e-a', name: 'ISESCO (old)', aliases: ['isesco'], createdAt: now, updatedAt: now }] }
    const result = applyImportedLinks(base, [{ text: 'ISESCO', link: { ref: 'Wikidata:Q1630451', name: 'ICESCO' }, file: 'x.ann', line: 4 }], now)
    expect(result.changed).toBe(false)
    expect(result.warnings).toEqual([{ file: 'x.ann', line: 4, message: expect.stringContaining('already "ISESCO (old)"') }])
  })
})
