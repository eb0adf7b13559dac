// Messages from main quote names the user does not control (file names, document names). A
// name holding a bidi override (U+202E) would reorder the rest of the message around it, so
// components show each quoted name in its own <bdi>; this splits a message into those parts.

export interface MessagePart {
  text: string
  /** True for an occurrence of the name, to be shown isolated. */
  isName: boolean
}

export function splitAroundName(message: string, name: string): MessagePart[] {
  if (name === '') return [{ text: message, isName: false }]
  const parts: MessagePart[] = []
  let from = 0
  for (let at = message.indexOf(name); at !== -1; at = message.indexOf(name, from)) {
    if (at > from) parts.push({ text: message.slice(from, at), isName: false })
    parts.push({ text: name, isName: true })
    from = at + name.length
  }
  if (from < message.length) parts.push({ text: message.slice(from), isName: false })
  return parts
}
