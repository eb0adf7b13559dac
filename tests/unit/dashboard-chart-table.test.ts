// A chart's table as CSV: RFC 4180 quoting, CRLF rows, a BOM, numbers as they are, and text
// that a spreadsheet would run as a formula written with a leading apostrophe (the corpus
// CSV's rule, src/core/formats/csv.ts).
import { describe, expect, it } from 'vitest'
import { chartTableCsv } from '../../src/core/dashboard/chart-table'

describe('chartTableCsv', () => {
  it('quotes commas, quotes and line breaks, and makes formula-like names inert', () => {
    const csv = chartTableCsv({
      columns: ['Annotator', 'Spans'],
      rows: [
        ['Həsənova, Ayla', 3],
        ['The "gold" one', 0],
        ['two\nlines', 12],
        ['=1+1', 1],
        ['+cmd', 2],
        ['-5', 5],
        ['@SUM(A1)', 7]
      ]
    })
    expect(csv.startsWith('\ufeff')).toBe(true)
    expect(csv.slice(1).split('\r\n')).toEqual([
      'Annotator,Spans',
      '"Həsənova, Ayla",3',
      '"The ""gold"" one",0',
      '"two\nlines",12',
      "'=1+1,1",
      "'+cmd,2",
      "'-5,5",
      "'@SUM(A1),7",
      ''
    ])
  })

  it('writes negative and large numbers as numbers, never prefixed', () => {
    expect(chartTableCsv({ columns: ['Day (UTC)', 'Leyla'], rows: [['2026-03-01', -1], ['2026-03-02', 1234567]] }).slice(1)).toBe('Day (UTC),Leyla\r\n2026-03-01,-1\r\n2026-03-02,1234567\r\n')
  })
})
