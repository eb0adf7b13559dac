// A chart's numbers as a table: what the dashboard shows under "Show as table" and saves as CSV,
// so the table a screen reader reads and the file a spreadsheet opens are the same numbers.
import { textCell } from '../formats/csv'

export type ChartCell = string | number

export interface ChartTable {
  columns: string[]
  rows: ChartCell[][]
}

const BOM = '\ufeff'
const ROW_END = '\r\n'

/**
 * RFC 4180 with a BOM (spreadsheets then read UTF-8 names) and CRLF rows. Text cells go through
 * the corpus CSV's textCell, so a name starting with = + - @ cannot run as a formula; numbers
 * are written as they are.
 */
export function chartTableCsv(table: ChartTable): string {
  const cell = (value: ChartCell): string => (typeof value === 'number' ? String(value) : textCell(value))
  return BOM + [table.columns, ...table.rows].map((row) => row.map(cell).join(',') + ROW_END).join('')
}
