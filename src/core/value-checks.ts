// Checks of values parsed from JSON that Quire cannot take on trust: the caches in .quire/ (the
// document index, in columns or one object per document; the suggestions' lexicon), annotation
// layers read by hand, other tools' files. None of those readers trusts a field it did not check.

/** A problem as the API carries one ({ code, message, … }). */
export { isQuireErrorInfo as isProblem } from '../shared/api'

/** A whole number from 0 up that a double holds exactly (-0 included, as zod's nonnegative int has it). */
export function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0
}

/** A JSON object: not null, not an array. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}
