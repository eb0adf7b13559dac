// Highlight colours. Each tag's tint, underline, outline and label colour come from one
// stylesheet rule per tag (tagColorRules), so a plain highlight carries only its data-tag and
// the browser parses no inline style for it: thousands of highlights render in a frame. Only a
// nested or overlapped segment gets an inline style: one more coloured band below it per
// enclosing mark, so nesting stays readable. Values come from the project's tag colours only,
// never from text.
import type { TagDefinition } from '../../../../shared/model'

const BAND_PX = 3
const FALLBACK_COLOR = '#777777'
/** Tag ids as the project schema allows them; anything else gets no rule (and the fallback colour). */
const SAFE_TAG_ID = /^[A-Z][A-Z0-9_]{0,31}$/

function safeColor(color: string | undefined): string {
  return color && /^#[0-9a-fA-F]{6}$/.test(color) ? color : FALLBACK_COLOR
}

export function tagColor(tags: readonly TagDefinition[], tagId: string): string {
  return safeColor(tags.find((tag) => tag.id === tagId)?.color)
}

/**
 * CSS rules giving each tag's highlights their tint and underline, outlines their colour, and
 * labels theirs, inside `scope` (the reader, or the text editor of edit mode).
 */
export function tagColorRules(tags: readonly TagDefinition[], scope = '.reader'): string {
  return tags
    .filter((tag) => SAFE_TAG_ID.test(tag.id))
    .map((tag) => {
      const color = safeColor(tag.color)
      return (
        `${scope} [data-tag="${tag.id}"] { --tint: ${color}38; --line: ${color}; }\n` +
        `${scope} [data-box-tag="${tag.id}"] { --box: ${color}; }\n` +
        `${scope} [data-chip-tag="${tag.id}"] { --chip: ${color}; }`
      )
    })
    .join('\n')
}

/** Inline style for a segment with marks around its innermost ones; undefined otherwise. */
export function bandStyle(outerTags: readonly string[], tags: readonly TagDefinition[]): string | undefined {
  if (outerTags.length === 0) return undefined
  const bands = outerTags.map((tagId, depth) => `0 ${(depth + 1) * BAND_PX}px 0 ${tagColor(tags, tagId)}`)
  return `--bands: ${bands.join(', ')}; margin-bottom: ${outerTags.length * BAND_PX}px`
}
