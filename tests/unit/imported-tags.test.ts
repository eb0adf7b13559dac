import { describe, expect, it } from 'vitest'
import { resolveImportedLabels } from '../../src/core/formats/imported-tags'
import { DEFAULT_TAGS } from '../../src/shared/model'

describe('resolveImportedLabels', () => {
  it('matches labels to project tags by id or by name without case, and makes a safe, unique id for the rest', () => {
    const tags = [...DEFAULT_TAGS, { id: 'GENE', label: 'Gene or gene product' }]
    const resolved = resolveImportedLabels(['Person', 'ORG', 'organization', 'program', 'gene', 'Gene_expression', 'GENE_EXPRESSION', 'Entity-Type', 'Şəhər', '2019', '__proto__', 'Gene-'], tags)
    expect(Object.fromEntries(resolved.tagIdByLabel)).toEqual({
      Person: 'PERSON',
      ORG: 'ORG',
      organization: 'ORG',
      program: 'PROGRAM',
      gene: 'GENE',
      Gene_expression: 'GENE_EXPRESSION',
      GENE_EXPRESSION: 'GENE_EXPRESSION',
      'Entity-Type': 'ENTITY_TYPE',
      Şəhər: 'SAHAR',
      '2019': 'T_2019',
      ['__proto__']: 'PROTO',
      'Gene-': 'GENE_2'
    })
    expect(resolved.newTags).toEqual([
      { id: 'GENE_EXPRESSION', label: 'Gene_expression' },
      { id: 'ENTITY_TYPE', label: 'Entity-Type' },
      { id: 'SAHAR', label: 'Şəhər' },
      { id: 'T_2019', label: '2019' },
      { id: 'PROTO', label: '__proto__' },
      { id: 'GENE_2', label: 'Gene-' }
    ])
    for (const tag of resolved.newTags) expect(tag.id).toMatch(/^[A-Z][A-Z0-9_]{0,31}$/)
  })

  it('never refuses a spelling: long, symbolic or empty labels still get a valid id', () => {
    const resolved = resolveImportedLabels(['x'.repeat(80), '***', ' '], DEFAULT_TAGS)
    expect(resolved.newTags.map((tag) => tag.id)).toEqual(['X'.repeat(32), 'TAG', 'TAG_2'])
    expect(resolved.newTags[2]?.label).toBe('TAG_2')
  })
})
