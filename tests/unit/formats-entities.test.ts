// Entity links in the formats themselves (src/core/formats): written on export, read back on
// parse, in every format that carries them. The project-level round trip (entities.json in, and
// out again) is in services-entities.test.ts.
import { describe, expect, it } from 'vitest'
import { collectExport, exportBrat, exportCsv, exportJsonl, exportTeiDocument, parseBratAnn, parseJsonl, type ExportDocument } from '../../src/core/formats'
import { asUtf16 } from '../../src/shared/model'

const TEXT = 'ISESCO 🌍 met İlham Əliyev in Bakı.\r\nICESCO thanked him.'
const ICESCO = { id: 'e-icesco-1a2b3c4d', name: 'ICESCO', ref: 'Wikidata:Q1630451' }
const ALIYEV = { id: 'e-ilham-aliyev-5e6f7a8b', name: 'Ilham Aliyev' }

function spanOver(words: string, label: string, entity?: typeof ICESCO | typeof ALIYEV) {
  const start = TEXT.indexOf(words)
  return { start: asUtf16(start), end: asUtf16(start + words.length), label, text: words, annotator: 'Leyla', ...(entity ? { entity } : {}) }
}

const DOCUMENT: ExportDocument = {
  id: 'summit',
  name: 'summit',
  text: TEXT,
  sha256: '0'.repeat(64),
  spans: [spanOver('ISESCO', 'ORG', ICESCO), spanOver('İlham Əliyev', 'PERSON', ALIYEV), spanOver('Bakı', 'ORG'), spanOver('ICESCO', 'ORG', ICESCO)]
}

describe('entity links in the formats', () => {
  it('brat: one normalization line per linked span, SOURCE:ID or Quire:<id>, read back onto the right spans', () => {
    const files = [...exportBrat([DOCUMENT])]
    const ann = files[0]?.ann ?? ''
    expect(ann.split('\n').filter((line) => line.startsWith('N'))).toEqual([
      'N1\tReference T1 Wikidata:Q1630451\tICESCO',
      `N2\tReference T2 Quire:${ALIYEV.id}\tIlham Aliyev`,
      'N3\tReference T4 Wikidata:Q1630451\tICESCO'
    ])
    const parsed = parseBratAnn(ann, { file: 'summit.ann', text: TEXT })
    expect(parsed.errors).toEqual([])
    expect(parsed.value.map((span) => [span.text, span.entity])).toEqual([
      ['ISESCO', { ref: 'Wikidata:Q1630451', name: 'ICESCO' }],
      ['İlham Əliyev', { id: ALIYEV.id, name: 'Ilham Aliyev' }],
      ['Bakı', undefined],
      ['ICESCO', { ref: 'Wikidata:Q1630451', name: 'ICESCO' }]
    ])
  })

  it('brat: a normalization of a missing id is an error on its line; one Quire cannot read (or a malformed one) is counted as not imported', () => {
    const ann = 'T1\tORG 0 6\tISESCO\nN1\tReference T9 Wikidata:Q1\tX\nN2\tReference T1 C0960880\tY\nN3\tReference T1\n'
    const parsed = parseBratAnn(ann, { file: 'x.ann', text: TEXT })
    expect(parsed.errors).toEqual([{ file: 'x.ann', line: 2, message: 'normalization refers to T9, which is not in this file' }])
    expect(parsed.notImported.get('normalization')).toBe(2)
    expect(parsed.value[0]?.entity).toBeUndefined()
  })

  it('brat: a span linked to two different entries keeps the first link, with a warning', () => {
    const ann = 'T1\tORG 0 6\tISESCO\nN1\tReference T1 Wikidata:Q1\tX\nN2\tReference T1 Wikidata:Q2\tY\n'
    const parsed = parseBratAnn(ann, { file: 'x.ann', text: TEXT })
    expect(parsed.errors).toEqual([])
    expect(parsed.warnings).toEqual([{ file: 'x.ann', line: 3, message: expect.stringContaining('T1 is already linked to Wikidata:Q1') }])
    expect(parsed.value[0]?.entity).toEqual({ ref: 'Wikidata:Q1', name: 'X' })
  })

  it('JSONL: an "entity" on every span ({id, name, ref} or null), read back', () => {
    const { output } = collectExport(exportJsonl([DOCUMENT]))
    const line = JSON.parse(output) as { spans: { entity: unknown }[] }
    expect(line.spans.map((span) => span.entity)).toEqual([ICESCO, ALIYEV, null, ICESCO])
    const parsed = parseJsonl(output, { file: 'e.jsonl' })
    expect(parsed.errors).toEqual([])
    expect(parsed.value[0]?.spans.map((span) => span.entity)).toEqual([ICESCO, ALIYEV, undefined, ICESCO])
  })

  it('JSONL: a malformed "entity" is an error naming the span', () => {
    const line = JSON.stringify({ id: 'd', text: 'ISESCO', spans: [{ start: 0, end: 6, label: 'ORG', entity: { name: 'no id or ref' } }, { start: 0, end: 6, label: 'ORG', entity: 'Q1' }] })
    expect(parseJsonl(line, { file: 'e.jsonl' }).errors.map((error) => error.message)).toEqual([
      'span 1: "entity" needs an "id" or a "ref"',
      'span 2: "entity" must be an object {"id", "name", "ref"} or null'
    ])
  })

  it('TEI: @ref on the name element of each linked span', () => {
    const { xml } = exportTeiDocument(DOCUMENT)
    expect(xml).toContain('<orgName resp="#d1-a1" ref="Wikidata:Q1630451">ISESCO</orgName>')
    expect(xml).toContain(`<persName resp="#d1-a1" ref="Quire:${ALIYEV.id}">İlham Əliyev</persName>`)
    expect(xml).toContain('<orgName resp="#d1-a1">Bakı</orgName>')
  })

  it('CSV: entity and entity_ref at the end of each row, empty when unlinked', () => {
    const rows = collectExport(exportCsv([DOCUMENT])).output.split('\r\n')
    expect(rows[0]?.endsWith(',offsets,entity,entity_ref')).toBe(true)
    expect(rows[1]?.endsWith(',codepoint,ICESCO,Wikidata:Q1630451')).toBe(true)
    expect(rows[2]?.endsWith(`,codepoint,Ilham Aliyev,Quire:${ALIYEV.id}`)).toBe(true)
    expect(rows[3]?.endsWith(',codepoint,,')).toBe(true)
  })
})
