// Lines of a text whose line breaks may be "\r\n", "\n" or "\r" (mixed, even). A line break is
// never split: each is one unit from `end` to `breakEnd`.

export interface TextLine {
  /** Offset of the line's first character. */
  start: number
  /** Offset just after its last character, before the line break. */
  end: number
  /** Offset just after its line break; equals `end` for the last line, which has none. */
  breakEnd: number
}

/** Every line, the last one (after the final break, possibly empty) included. */
export function linesOf(text: string): TextLine[] {
  const lines: TextLine[] = []
  let start = 0
  const length = text.length
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index)
    if (code !== 0x0a && code !== 0x0d) continue
    const breakEnd = code === 0x0d && text.charCodeAt(index + 1) === 0x0a ? index + 2 : index + 1
    lines.push({ start, end: index, breakEnd })
    start = breakEnd
    index = breakEnd - 1
  }
  lines.push({ start, end: length, breakEnd: length })
  return lines
}

/** Spaces, tabs and the other horizontal spaces: whitespace that is not a line break. */
export function isHorizontalSpace(code: number): boolean {
  return (
    code === 0x20 ||
    code === 0x09 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  )
}

/** True when the line holds nothing but horizontal spaces (or nothing). */
export function isBlank(text: string, line: TextLine): boolean {
  for (let index = line.start; index < line.end; index++) if (!isHorizontalSpace(text.charCodeAt(index))) return false
  return true
}

/** Offset after the line's last character that is not a horizontal space. */
export function trimmedEnd(text: string, line: TextLine): number {
  let end = line.end
  while (end > line.start && isHorizontalSpace(text.charCodeAt(end - 1))) end--
  return end
}

/** Offset of the line's first character that is not a horizontal space. */
export function trimmedStart(text: string, line: TextLine): number {
  let start = line.start
  while (start < line.end && isHorizontalSpace(text.charCodeAt(start))) start++
  return start
}

const WORD_CHARACTER = /[\p{L}\p{M}\p{N}]/u
const DIGIT = /\p{N}/u

/** The whole character (surrogate pair included) that ends at `offset`. */
export function characterBefore(text: string, offset: number): string {
  if (offset <= 0) return ''
  const low = text.charCodeAt(offset - 1)
  if (low >= 0xdc00 && low <= 0xdfff && offset >= 2) {
    const high = text.charCodeAt(offset - 2)
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(offset - 2, offset)
  }
  return text[offset - 1] as string
}

/** The whole character (surrogate pair included) that starts at `offset`. */
export function characterAt(text: string, offset: number): string {
  if (offset >= text.length) return ''
  const codePoint = text.codePointAt(offset) ?? 0
  return String.fromCodePoint(codePoint)
}

export const isWordCharacter = (character: string): boolean => character !== '' && WORD_CHARACTER.test(character)
export const isDigit = (character: string): boolean => character !== '' && DIGIT.test(character)

/**
 * Where a line ends in a word broken by a hyphen: the hyphen's offset when the line (its
 * trailing spaces aside) ends with a hyphen right after a letter or digit and the next line
 * (its leading spaces aside) starts with a letter or digit; else -1. Unwrap leaves these line
 * breaks to dehyphenate, which decides whether the hyphen stays.
 */
export function hyphenatedBreakAt(text: string, line: TextLine, next: TextLine | undefined): number {
  if (next === undefined || line.breakEnd === line.end) return -1
  const end = trimmedEnd(text, line)
  if (end - line.start < 2 || !isHyphen(text.charCodeAt(end - 1))) return -1
  if (!isWordCharacter(characterBefore(text, end - 1))) return -1
  const nextStart = trimmedStart(text, next)
  if (!isWordCharacter(characterAt(text, nextStart))) return -1
  return end - 1
}

/** "-" and the hyphens PDFs use for it (U+2010 hyphen, U+00AD soft hyphen). */
export function isHyphen(code: number): boolean {
  return code === 0x2d || code === 0x2010 || code === 0xad
}
