// Inline style for a highlighted segment. The innermost annotation gets the tint and a solid
// underline; each enclosing annotation adds one more coloured band below it, so nesting and
// overlaps stay readable. Values come from the project's tag colours only, never from text.
import type { Annotation, TagDefinition } from '../../../../shared/model'

const BAND_PX = 3
const FALLBACK_COLOR = '#777777'

function safeColor(color: string | undefined): string {
  return color && /^#[0-9a-fA-F]{6}$/.test(color) ? color : FALLBACK_COLOR
}

export function tagColor(tags: readonly TagDefinition[], tagId: string): string {
  return safeColor(tags.find((tag) => tag.id === tagId)?.color)
}

export function highlightStyle(covering: readonly Annotation[], tags: readonly TagDefinition[]): string | undefined {
  const innermost = covering.at(-1)
  if (!innermost) return undefined
  const innerColor = tagColor(tags, innermost.tag)
  const shadows = [`inset 0 -${BAND_PX}px 0 ${innerColor}`]
  const outer = covering.slice(0, -1).reverse()
  outer.forEach((annotation, depth) => shadows.push(`0 ${(depth + 1) * BAND_PX}px 0 ${tagColor(tags, annotation.tag)}`))
  return `--tint: ${innerColor}38; box-shadow: ${shadows.join(', ')}; margin-bottom: ${outer.length * BAND_PX}px`
}

export function chipLabel(starting: readonly Annotation[], tags: readonly TagDefinition[]): string | undefined {
  if (starting.length === 0) return undefined
  return starting.map((annotation) => tags.find((tag) => tag.id === annotation.tag)?.shortLabel ?? annotation.tag).join(' ')
}
