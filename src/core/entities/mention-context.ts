// The words around a mention, for the entity panel's list: a few dozen characters either side,
// cut at a code point (never inside a surrogate pair), line breaks shown as spaces.
const CONTEXT_CHARACTERS = 40

export function mentionContext(text: string, start: number, end: number): { left: string; right: string } {
  let from = Math.max(0, start - CONTEXT_CHARACTERS)
  let to = Math.min(text.length, end + CONTEXT_CHARACTERS)
  if (from > 0 && isLowSurrogate(text.charCodeAt(from))) from--
  if (to < text.length && isLowSurrogate(text.charCodeAt(to))) to++
  const oneLine = (part: string): string => part.replace(/\s+/gu, ' ')
  return { left: (from > 0 ? '…' : '') + oneLine(text.slice(from, start)), right: oneLine(text.slice(end, to)) + (to < text.length ? '…' : '') }
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}
