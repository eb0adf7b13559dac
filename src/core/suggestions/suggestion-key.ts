// A suggestion is the same suggestion while its tag and place are: the key its rejection is
// kept under, and the renderer's key for its mark.

/** `${tag}:${start}-${end}`, as Suggestion.key says. */
export function suggestionKey(tag: string, start: number, end: number): string {
  return `${tag}:${start}-${end}`
}
