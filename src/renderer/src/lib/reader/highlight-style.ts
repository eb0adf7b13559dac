// Highlight colours. Each tag's tint, underline, outline and label colour come from one
// stylesheet rule per tag (tagColorRules), so a plain highlight carries only its data-tag and
// the browser parses no inline style for it: thousands of highlights render in a frame. Only a
// nested or overlapped segment gets an inline style: one more coloured band below it per
// enclosing mark, so nesting stays readable. Values come from the project's tag colours only,
// never from text. Each value is the tag colour as core's tagInk draws it in each colour scheme
// (light-dark(), resolved by the page's color-scheme), so any project colour meets its contrast.
import { tagInk, type TagInk } from '../../../../core/colour-contrast'
import type { TagDefinition } from '../../../../shared/model'

const BAND_PX = 3
const FALLBACK_COLOR = '#777777'
/** Tag ids as the project schema allows them; anything else gets no rule (and the fallback colour). */
const SAFE_TAG_ID = /^[A-Z][A-Z0-9_]{0,31}$/

function safeColor(color: string | undefined): string {
  return color && /^#[0-9a-fA-F]{6}$/.test(color) ? color : FALLBACK_COLOR
}

const inkCache = new Map<string, TagInk>()

/**
 * A tag colour as CSS values for both schemes: `light-dark(light, dark)`, or the one colour when
 * both draw it the same. Anything but #RRGGBB is drawn as the fallback grey.
 */
export function tagInkCss(color: string | undefined): TagInk {
  const safe = safeColor(color).toUpperCase()
  let ink = inkCache.get(safe)
  if (!ink) {
    const light = tagInk(safe, 'light')
    const dark = tagInk(safe, 'dark')
    const both = (role: keyof TagInk): string => (light[role] === dark[role] ? light[role] : `light-dark(${light[role]}, ${dark[role]})`)
    ink = { line: both('line'), chip: both('chip'), chipText: both('chipText'), tint: both('tint') }
    inkCache.set(safe, ink)
  }
  return ink
}

/** The tag's line colour (underline, outline, band, swatch) as CSS for both schemes. */
export function tagColor(tags: readonly TagDefinition[], tagId: string): string {
  return tagInkCss(tags.find((tag) => tag.id === tagId)?.color).line
}

/**
 * CSS rules giving each tag's highlights their tint and underline, outlines their colour, and
 * labels theirs, inside `scope` (the reader, or the text editor of edit mode).
 */
export function tagColorRules(tags: readonly TagDefinition[], scope = '.reader'): string {
  return tags
    .filter((tag) => SAFE_TAG_ID.test(tag.id))
    .map((tag) => {
      const ink = tagInkCss(tag.color)
      return (
        `${scope} [data-tag="${tag.id}"] { --tint: ${ink.tint}; --line: ${ink.line}; }\n` +
        `${scope} [data-box-tag="${tag.id}"] { --box: ${ink.line}; }\n` +
        `${scope} [data-chip-tag="${tag.id}"] { --chip: ${ink.chip}; --chip-text: ${ink.chipText}; }`
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
