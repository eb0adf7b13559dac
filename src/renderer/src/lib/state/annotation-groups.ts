// What the annotation panel lists: a layer's annotations by tag, each group in text order. The
// session's groups read its layer (a long one in columns, layer-spans.ts), so the panel makes
// objects only for the rows it shows; a plain list is grouped here.
import type { Annotation } from '../../../../shared/model'
import { TagGroups } from '../../../../core/tag-groups'

export interface AnnotationGroups {
  /** Changes whenever the groups do: read it to follow them. */
  readonly version: number
  /** Annotations in all groups. */
  readonly total: number
  /** The tags with annotations, in the order first met. */
  tags(): string[]
  count(tag: string): number
  /** The tag's annotations from the `from`th to before the `to`th, in text order. */
  slice(tag: string, from: number, to: number): Annotation[]
}

/** Groups of a list that does not change (a new list, new groups). */
export function annotationGroupsOf(annotations: readonly Annotation[]): AnnotationGroups {
  const grouped = new TagGroups(annotations)
  return {
    version: 0,
    total: annotations.length,
    tags: () => grouped.tags().filter((tag) => grouped.group(tag).length > 0),
    count: (tag) => grouped.group(tag).length,
    slice: (tag, from, to) => grouped.group(tag).slice(from, to)
  }
}

/** Whether the panel shows both as the same row: place, tag, text, note and the text-check flag (not dates or provenance). */
export function listedAlike(a: Annotation, b: Annotation): boolean {
  return a.start === b.start && a.end === b.end && a.tag === b.tag && a.text === b.text && a.note === b.note && Boolean(a.textCheck) === Boolean(b.textCheck)
}
