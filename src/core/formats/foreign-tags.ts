// How a label from another tool's file becomes one of the project's tags. Other tools spell
// types freely ("Person", "Gene_expression", "Entity-Type", "PER"), Quire's tag ids are
// upper-case: a label names an existing tag when it equals the tag's id or its label,
// ignoring case ("Person" is PERSON); any other label is unknown, and on request becomes a
// new tag whose id is made safe from the label and whose label is the file's own spelling.

export interface TagNames {
  id: string
  label: string
}

const TAG_ID_MAX = 32

/** Latin letters NFKD does not split into a base letter and a mark. */
const LETTERS_WITHOUT_DECOMPOSITION: Readonly<Record<string, string>> = {
  ə: 'e',
  Ə: 'E',
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  þ: 'th',
  Þ: 'TH'
}

/** The id of the project tag the label names (by id, then by label, ignoring case), or null. */
export function matchTagId(label: string, tags: readonly TagNames[]): string | null {
  const wanted = label.trim().toLocaleLowerCase('en')
  if (wanted === '') return null
  const byId = tags.find((tag) => tag.id.toLocaleLowerCase('en') === wanted)
  if (byId) return byId.id
  return tags.find((tag) => tag.label.trim().toLocaleLowerCase('en') === wanted)?.id ?? null
}

/**
 * A tag id for a label no project tag has: upper-case ASCII letters, digits and "_" (accents
 * dropped, every other run of characters one "_"), starting with a letter, at most 32, and
 * not among `taken` (a number is appended when it is).
 */
export function safeTagId(label: string, taken: ReadonlySet<string>): string {
  const ascii = label
    .replace(/[əƏßæÆøØłŁđĐþÞ]/g, (letter) => LETTERS_WITHOUT_DECOMPOSITION[letter] ?? letter)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
  let base = ascii === '' ? 'TAG' : /^[A-Z]/.test(ascii) ? ascii : `T_${ascii}`
  base = base.slice(0, TAG_ID_MAX).replace(/_+$/, '')
  if (!taken.has(base)) return base
  for (let suffix = 2; ; suffix++) {
    const ending = `_${suffix}`
    const candidate = `${base.slice(0, TAG_ID_MAX - ending.length).replace(/_+$/, '')}${ending}`
    if (!taken.has(candidate)) return candidate
  }
}

/**
 * New tags for labels the project lacks: each distinct label (ignoring case, first spelling
 * kept) gets a safe id, unique among the project's ids and each other.
 */
export function tagsForUnknownLabels(labels: readonly string[], tags: readonly TagNames[]): TagNames[] {
  const taken = new Set(tags.map((tag) => tag.id))
  const added: TagNames[] = []
  for (const label of labels) {
    if (matchTagId(label, [...tags, ...added]) !== null) continue
    const id = safeTagId(label, taken)
    taken.add(id)
    added.push({ id, label: label.trim() })
  }
  return added
}
