// What the reader draws over the text: marks. A mark is one of your own spans (filled), a
// colleague's span (outlined, their initials on the chip), or in compare and curation a
// compared position (agreed: filled with a check; a disagreement: hatched, outlined in red,
// its chip naming what differs). Colour is never the only cue: fill versus outline, and the
// chip's text, say which is which.
import type { Annotation, TagDefinition } from '../../../../shared/model'
import type { SpanToDraw } from '../../../../shared/layer-columns'

export type MarkStyle = 'own' | 'other' | 'agreed' | 'disagreement' | 'suggestion'

export interface ReaderMark {
  /** Unique among the marks drawn: a layer's annotation ids may repeat in another layer. */
  key: string
  /** The annotation's id (own and other), the position's key (agreed, disagreement), the suggestion's key. */
  id: string
  /** Whose span it is; null for a compared position. */
  layer: string | null
  start: number
  end: number
  tag: string
  style: MarkStyle
  /** Short text on the chip at the mark's first character, e.g. "PER", "PER·AB", "PER≠ORG". */
  chip: string
  /** Tooltip line: who and what. */
  title: string
  /** What a screen reader says of the mark, tag first, e.g. "Person, by Leyla" (the highlight's accessible description). */
  spoken: string
  noted: boolean
  /** The compared position being looked at now (outlined in the focus colour). */
  current?: boolean
  /** A review comment waits on this span (for you to resolve, or one you wrote). */
  commented?: boolean
}

/** Filled marks tint the text; boxed marks outline it. */
export const FILLED_STYLES: ReadonlySet<MarkStyle> = new Set(['own', 'agreed'])

/** "Ayla Həsənova" → "AH", "rashad" → "RA", "curation" → "GOLD": short enough for a chip. */
export function initialsOf(name: string): string {
  if (name === 'curation') return 'GOLD'
  const words = name
    .trim()
    .split(/[\s._-]+/u)
    .filter((word) => word.length > 0)
  const letters = words.length >= 2 ? words.slice(0, 3).map((word) => [...word][0] ?? '') : [...(words[0] ?? '?')].slice(0, 2)
  return letters.join('').toLocaleUpperCase()
}

/** An annotator's layer as a badge: its initials, or "?" for a layer file that cannot be read (it may not even be that annotator's). */
export function layerBadge(annotator: string, unreadable: boolean): string {
  return unreadable ? '?' : initialsOf(annotator)
}

export function shortTag(tags: readonly TagDefinition[], tagId: string): string {
  return tags.find((tag) => tag.id === tagId)?.shortLabel ?? tagId
}

function tagLabel(tags: readonly TagDefinition[], tagId: string): string {
  return tags.find((tag) => tag.id === tagId)?.label ?? tagId
}

/** Said on the chip and in the tooltip of a span whose text an edit changed, so colour is not the only cue. */
export const TEXT_CHANGED = 'text changed — check'

/** "Person, by Leyla, note: check spelling": what a screen reader says of one annotator's span. */
function spokenSpan(label: string, annotation: Pick<Annotation, 'annotator' | 'note'>): string {
  return `${label}, by ${annotation.annotator}${annotation.note ? `, note: ${annotation.note}` : ''}`
}

export function ownMark(annotation: SpanToDraw, tags: readonly TagDefinition[]): ReaderMark {
  const check = annotation.textCheck ? ` (${TEXT_CHANGED})` : ''
  return {
    key: annotation.id,
    id: annotation.id,
    layer: annotation.annotator,
    start: annotation.start,
    end: annotation.end,
    tag: annotation.tag,
    style: 'own',
    // No-break spaces: the chip never wraps between its tag and its warning.
    chip: shortTag(tags, annotation.tag) + (annotation.textCheck ? '\u00a0⚠\u00a0check' : ''),
    title: tagLabel(tags, annotation.tag) + (annotation.note ? `: ${annotation.note}` : '') + check,
    spoken: spokenSpan(tagLabel(tags, annotation.tag), annotation) + check,
    noted: annotation.note !== undefined && annotation.note !== ''
  }
}

export function colleagueMark(annotation: Annotation, layer: string, tags: readonly TagDefinition[]): ReaderMark {
  return {
    key: `${layer}\u0000${annotation.id}`,
    id: annotation.id,
    layer,
    start: annotation.start,
    end: annotation.end,
    tag: annotation.tag,
    style: 'other',
    chip: `${shortTag(tags, annotation.tag)}·${initialsOf(layer)}`,
    title: `${tagLabel(tags, annotation.tag)} by ${layer}${annotation.note ? `: ${annotation.note}` : ''}`,
    spoken: spokenSpan(tagLabel(tags, annotation.tag), { ...annotation, annotator: layer }),
    noted: annotation.note !== undefined && annotation.note !== ''
  }
}
