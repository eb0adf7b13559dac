import { describe, expect, it } from 'vitest'
import { exportCsv, textCell } from '../../src/core/formats/csv'
import { collectExport } from '../../src/core/formats/export-tally'
import { find, makeDocument } from '../fixtures/formats/documents'

/** A small RFC 4180 reader, to check the output parses back into the intended cells. */
function readCsv(content: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let index = 0; index < content.length; index++) {
    const character = content[index] as string
    if (quoted) {
      if (character === '"' && content[index + 1] === '"') {
        cell += '"'
        index++
      } else if (character === '"') quoted = false
      else cell += character
    } else if (character === '"') quoted = true
    else if (character === ',') {
      row.push(cell)
      cell = ''
    } else if (character === '\r' && content[index + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      index++
    } else cell += character
  }
  expect(cell).toBe('')
  expect(row).toEqual([])
  return rows
}

describe('exportCsv', () => {
  const text = 'Emin 😀 "Amrullayev", met =ISESCO\r\nin Bakı.'
  const document = {
    ...makeDocument('doc-1', text, [
      [...find(text, '"Amrullayev", met'), 'PERSON', { note: 'line one\nline two', createdAt: '2026-01-02T03:04:05.000Z' }],
      [...find(text, '=ISESCO\r\nin'), 'ORG', { annotator: '@admin' }]
    ]),
    name: 'Report, 2024'
  }

  it('starts with a BOM and header, ends rows with CRLF, and quotes as RFC 4180 says', () => {
    const { output, summary } = collectExport(exportCsv([document, makeDocument('empty', 'x', [])]))
    expect(output.startsWith('\ufeffdocument,start,end,text,label,annotator,note,created,document_id,document_sha256,offsets,entity,entity_ref\r\n')).toBe(true)
    expect(output.endsWith('\r\n')).toBe(true)
    const rows = readCsv(output.slice(1))
    expect(rows).toEqual([
      ['document', 'start', 'end', 'text', 'label', 'annotator', 'note', 'created', 'document_id', 'document_sha256', 'offsets', 'entity', 'entity_ref'],
      ['Report, 2024', '7', '24', '"Amrullayev", met', 'PERSON', 'ayla', 'line one\nline two', '2026-01-02T03:04:05.000Z', 'doc-1', document.sha256, 'codepoint', '', ''],
      ['Report, 2024', '25', '36', "'=ISESCO\r\nin", 'ORG', "'@admin", '', '', 'doc-1', document.sha256, 'codepoint', '', '']
    ])
    expect(Array.from(text).slice(7, 24).join('')).toBe('"Amrullayev", met')
    expect(summary).toMatchObject({ documents: 2, spans: 2 })
  })

  it('writes UTF-16 or UTF-8 offsets on request and says so in every row', () => {
    const rows = readCsv(collectExport(exportCsv([document], { offsets: 'utf8' })).output.slice(1))
    const bytes = Buffer.from(text, 'utf8')
    expect(rows[1]?.[10]).toBe('utf8')
    expect(bytes.subarray(Number(rows[1]?.[1]), Number(rows[1]?.[2])).toString('utf8')).toBe('"Amrullayev", met')
  })

  it('guards every formula-starting character and leaves others alone', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'].map(textCell)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", `"'\rx"`])
    expect(['plain', 'a=b', "'quoted", ''].map(textCell)).toEqual(['plain', 'a=b', "'quoted", ''])
  })
})
