// Line splitting for the line-based formats (JSONL, brat .ann, CoNLL): LF, CRLF or CR-only endings,
// a leading UTF-8 BOM ignored, 1-based numbers for error messages.
import { isObject } from '../value-checks'

export interface NumberedLine {
  /** The line without its ending. */
  text: string
  /** 1-based. */
  number: number
}

export function* numberedLines(content: string): Generator<NumberedLine> {
  let start = content.charCodeAt(0) === 0xfeff ? 1 : 0
  // A file with CR but no LF at all was saved with classic Mac line endings; read as one
  // line, every error would be reported on line 1 of a file the user sees as many lines.
  const lineBreak = content.includes('\n') || !content.includes('\r') ? '\n' : '\r'
  let number = 1
  while (start <= content.length) {
    let end = content.indexOf(lineBreak, start)
    const isLast = end === -1
    if (isLast) end = content.length
    const text = content.slice(start, end > start && content.charCodeAt(end - 1) === 0x0d ? end - 1 : end)
    // A final line ending does not start another, empty, line.
    if (!(isLast && text.length === 0 && number > 1)) yield { text, number }
    if (isLast) return
    start = end + 1
    number++
  }
}

/** Collects errors up to a limit so hostile input cannot make an unbounded list. */
export class ErrorList<T extends { message: string }> {
  readonly items: T[] = []
  private omitted = 0

  constructor(private readonly limit = 1000) {}

  add(item: T): void {
    if (this.items.length < this.limit) this.items.push(item)
    else this.omitted++
  }

  get count(): number {
    return this.items.length + this.omitted
  }

  /** The collected items, plus one summarizing the omitted ones. */
  finish(summary: (omitted: number) => T): T[] {
    return this.omitted === 0 ? this.items : [...this.items, summary(this.omitted)]
  }
}

/** An own property of a parsed JSON object; never an inherited one such as "constructor". */
export function ownField(record: object, name: string): unknown {
  return Object.hasOwn(record, name) ? (record as Record<string, unknown>)[name] : undefined
}

/** A JSON object, typed so that its fields are read through ownField. */
export function isPlainRecord(value: unknown): value is object {
  return isObject(value)
}
