// Characters that some readers of exported files take as line breaks or whitespace although
// JavaScript's \s does not, in one place so every format treats them alike.
//
// Python's str.splitlines() (brat reads .ann files with it, NLTK reads CoNLL lines with it) ends a
// line at \n \r \v \f \x1c \x1d \x1e \x85 \u2028 \u2029; str.split() (CoNLL column readers) also
// splits at \x1f. Other C0/C1 control characters are whitespace to neither, but no reader shows
// them as a word either.

/** Ends a line for Python's str.splitlines(): none may appear inside a line of a line-based file. */
export const PYTHON_LINE_BREAK = /[\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]/
export const PYTHON_LINE_BREAK_GLOBAL = new RegExp(PYTHON_LINE_BREAK.source, 'g')

/**
 * Separates tokens in CoNLL: JavaScript whitespace, Python's extra whitespace (\x1c–\x1f, \x85)
 * and every other control character (C0, DEL, C1). Never part of a token, never a token itself.
 */
export const TOKEN_SEPARATOR = /[\s\u0000-\u001f\u007f-\u009f]/u
export const TOKEN_SEPARATOR_GLOBAL = new RegExp(TOKEN_SEPARATOR.source, 'gu')

const ONLY_SEPARATORS = /^[\s\u0000-\u001f\u007f-\u009f]*$/u

/** Nothing but token separators (or nothing at all). */
export function isOnlySeparators(text: string): boolean {
  return ONLY_SEPARATORS.test(text)
}
