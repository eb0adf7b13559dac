// Whether a tag colour can be seen, and how the window draws any tag colour so that it can:
// WCAG 2 relative luminance and contrast ratio, judged the way the reader draws a tag
// (src/renderer/src/styles/app.css, highlight-style.ts): a 3 px underline, a colleague's outline
// and nesting bands in the colour on the page, a tint under the text, and a chip filled with the
// colour under its label. Pure: the tag set rules (tag-set.ts), the tag editor and the reader
// share it, so what the editor calls clear is what the reader draws unchanged.

export type ColourScheme = 'light' | 'dark'
export const COLOUR_SCHEMES: readonly ColourScheme[] = ['light', 'dark']

export interface SchemeColours {
  /** What tags are drawn on: the reader's page (--bg) and the panels and editor (--surface). */
  pages: readonly string[]
  /** The reader's text (--text), which must stay readable on a highlight's tint. */
  text: string
}

/**
 * The colours of app.css's two schemes that tag colours meet (a unit test reads app.css and
 * checks they are the same). Dark is the usual dark-editor greys, #1E1E1E under the text and
 * #252526 for the panels.
 */
export const SCHEME_COLOURS: Readonly<Record<ColourScheme, SchemeColours>> = {
  light: { pages: ['#FFFFFF', '#F6F5F2'], text: '#1D1D1F' },
  dark: { pages: ['#1E1E1E', '#252526'], text: '#E4E2DD' }
}

/** The label drawn on a filled chip: dark when it reads, else white, else black (one of them always does). */
export const CHIP_TEXT_CHOICES: readonly string[] = ['#111111', '#FFFFFF', '#000000']

/** WCAG 2.2 SC 1.4.11: lines and outlines that carry meaning. */
export const MIN_GRAPHIC_CONTRAST = 3
/** WCAG 2.2 SC 1.4.3: small text (chips are 10 px bold). */
export const MIN_TEXT_CONTRAST = 4.5
/** A highlight's tint: the line colour at this opacity over the page (0x38), less when the text needs it. */
export const TINT_ALPHA = 0x38 / 255

const HEX_COLOUR = /^#([0-9A-Fa-f]{6})$/

export function isHexColour(colour: string): boolean {
  return HEX_COLOUR.test(colour)
}

type Rgb = readonly [number, number, number]

function toRgb(colour: string): Rgb {
  const match = HEX_COLOUR.exec(colour)
  if (!match) throw new Error(`"${colour}" is not a #RRGGBB colour`)
  const rgb = Number.parseInt(match[1] as string, 16)
  return [(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff]
}

function toHex(rgb: Rgb): string {
  return `#${rgb.map((value) => Math.round(Math.min(255, Math.max(0, value))).toString(16).padStart(2, '0')).join('')}`.toUpperCase()
}

function channel(value: number): number {
  const srgb = value / 255
  return srgb <= 0.04045 ? srgb / 12.92 : ((srgb + 0.055) / 1.055) ** 2.4
}

function luminanceOf([red, green, blue]: Rgb): number {
  return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
}

/** WCAG relative luminance of a #RRGGBB colour, 0 (black) to 1 (white). */
export function relativeLuminance(colour: string): number {
  return luminanceOf(toRgb(colour))
}

/** WCAG contrast ratio, 1 to 21, the same whichever colour is given first. */
export function contrastRatio(first: string, second: string): number {
  const a = relativeLuminance(first)
  const b = relativeLuminance(second)
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)
}

/** The lowest contrast of `colour` against any of `others`. */
function leastContrast(colour: string, others: readonly string[]): number {
  return Math.min(...others.map((other) => contrastRatio(colour, other)))
}

/** `colour` at `alpha` over `page`, as the browser blends it (in sRGB, to whole channel values). */
export function blend(colour: string, alpha: number, page: string): string {
  const over = toRgb(colour)
  const under = toRgb(page)
  return toHex([0, 1, 2].map((index) => alpha * (over[index] as number) + (1 - alpha) * (under[index] as number)) as unknown as Rgb)
}

// Hue and saturation are kept while lightness moves, so a darkened orange is still an orange.
function toHsl([red, green, blue]: Rgb): [number, number, number] {
  const r = red / 255
  const g = green / 255
  const b = blue / 255
  const max = Math.max(r, g, b)
  const min = Math.min(r, g, b)
  const lightness = (max + min) / 2
  if (max === min) return [0, 0, lightness]
  const delta = max - min
  const saturation = lightness > 0.5 ? delta / (2 - max - min) : delta / (max + min)
  const hue = max === r ? (g - b) / delta + (g < b ? 6 : 0) : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4
  return [hue / 6, saturation, lightness]
}

function fromHsl(hue: number, saturation: number, lightness: number): string {
  if (saturation === 0) return toHex([lightness * 255, lightness * 255, lightness * 255])
  const q = lightness < 0.5 ? lightness * (1 + saturation) : lightness + saturation - lightness * saturation
  const p = 2 * lightness - q
  const part = (t: number): number => {
    const wrapped = t < 0 ? t + 1 : t > 1 ? t - 1 : t
    if (wrapped < 1 / 6) return p + (q - p) * 6 * wrapped
    if (wrapped < 1 / 2) return q
    if (wrapped < 2 / 3) return p + (q - p) * (2 / 3 - wrapped) * 6
    return p
  }
  return toHex([part(hue + 1 / 3) * 255, part(hue) * 255, part(hue - 1 / 3) * 255])
}

/**
 * The colour nearest to `colour` in lightness (same hue and saturation) whose contrast with
 * every page of the scheme is at least 3:1: darker on light pages, lighter on dark ones. Black
 * and white always pass, so there always is one.
 */
function lineColour(colour: string, scheme: ColourScheme): string {
  const { pages } = SCHEME_COLOURS[scheme]
  const exact = colour.toUpperCase()
  if (leastContrast(exact, pages) >= MIN_GRAPHIC_CONTRAST) return exact
  const [hue, saturation, lightness] = toHsl(toRgb(exact))
  const passes = (candidate: number): boolean => leastContrast(fromHsl(hue, saturation, candidate), pages) >= MIN_GRAPHIC_CONTRAST
  // Passing lies towards 0 on light pages and towards 1 on dark ones; search for its edge.
  let passing = scheme === 'light' ? 0 : 1
  let failing = lightness
  for (let step = 0; step < 24; step++) {
    const middle = (passing + failing) / 2
    if (passes(middle)) passing = middle
    else failing = middle
  }
  return fromHsl(hue, saturation, passing)
}

/** The label colour that reads on a chip filled with `fill`. */
export function chipTextOn(fill: string): string {
  return CHIP_TEXT_CHOICES.find((text) => contrastRatio(text, fill) >= MIN_TEXT_CONTRAST) ?? '#000000'
}

/** How one tag is drawn in one scheme; every value meets its WCAG ratio there, whatever the tag's colour. */
export interface TagInk {
  /** Underline, colleague's outline, suggestion's dashes, nesting band, swatch: ≥ 3:1 on every page. */
  line: string
  /** The chip's fill (the line colour) … */
  chip: string
  /** … and its label on it: ≥ 4.5:1. */
  chipText: string
  /** The highlight's background, #RRGGBBAA over the page: the text on it stays ≥ 4.5:1. */
  tint: string
}

/** The tag colour as the window draws it in `scheme`: unchanged when it is clear, else its nearest clear lightness. */
export function tagInk(colour: string, scheme: ColourScheme): TagInk {
  const { pages, text } = SCHEME_COLOURS[scheme]
  const line = lineColour(colour, scheme)
  let alphaSteps = Math.round(TINT_ALPHA * 255)
  const textReads = (steps: number): boolean =>
    pages.every((page) => contrastRatio(text, blend(line, steps / 255, page)) >= MIN_TEXT_CONTRAST)
  while (alphaSteps > 0 && !textReads(alphaSteps)) alphaSteps -= 1
  return { line, chip: line, chipText: chipTextOn(line), tint: `${line}${alphaSteps.toString(16).padStart(2, '0').toUpperCase()}` }
}

export interface BackgroundVerdict {
  background: ColourScheme
  /** The underline and outline against the scheme's pages (the lowest). */
  lineContrast: number
  lineOk: boolean
  /** The chip's label on the colour. */
  chipTextContrast: number
  chipTextOk: boolean
  ok: boolean
  /** The colour the reader draws instead when this one is not clear there. */
  drawnAs: string
  /** In words, for the tag editor: "Light page: clear (underline 3.4:1, label 5.5:1)". */
  summary: string
}

export interface ColourVerdict {
  colour: string
  light: BackgroundVerdict
  dark: BackgroundVerdict
  ok: boolean
}

function ratioText(ratio: number): string {
  // Rounded down, so "3.0:1" is never shown for a ratio that fails a 3:1 rule.
  return `${(Math.floor(ratio * 10) / 10).toFixed(1)}:1`
}

function onBackground(colour: string, background: ColourScheme): BackgroundVerdict {
  const lineContrast = leastContrast(colour, SCHEME_COLOURS[background].pages)
  const chipTextContrast = contrastRatio(colour, chipTextOn(colour))
  const lineOk = lineContrast >= MIN_GRAPHIC_CONTRAST
  const chipTextOk = chipTextContrast >= MIN_TEXT_CONTRAST
  const drawnAs = tagInk(colour, background).line
  const pageName = background === 'light' ? 'Light page' : 'Dark page'
  const summary = lineOk
    ? `${pageName}: clear (underline ${ratioText(lineContrast)}, label ${ratioText(chipTextContrast)})`
    : `${pageName}: the underline is too faint (${ratioText(lineContrast)}, needs ${MIN_GRAPHIC_CONTRAST}:1)`
  return { background, lineContrast, lineOk, chipTextContrast, chipTextOk, ok: lineOk && chipTextOk, drawnAs, summary }
}

/** How a tag colour reads on the light and the dark pages: clear where tagInk draws it unchanged. */
export function judgeColour(colour: string): ColourVerdict {
  const light = onBackground(colour.toUpperCase(), 'light')
  const dark = onBackground(colour.toUpperCase(), 'dark')
  return { colour: colour.toUpperCase(), light, dark, ok: light.ok && dark.ok }
}

export interface PaletteColour {
  colour: string
  name: string
  /** Where the hue comes from. */
  source: string
}

/**
 * Colours to pick from, nine for keys 1–9: hues that stay apart under the common colour-vision
 * deficiencies, each passing judgeColour on every page of both schemes, so the reader draws them
 * as picked. Okabe & Ito's vermillion and bluish green pass as they are; their orange and sky
 * blue are too light for 3:1 on white (2.2:1, the defaults before issue 11) and their reddish
 * purple for the light reader page (#F6F5F2), so they are darkened keeping the hue; their yellow
 * cannot be dark enough for white with a label that reads, and their blue is the dark one the
 * other hues are told apart from, so both are left out. Paul Tol's schemes (also made for
 * colour-blind readers) give magenta, olive (darkened a little like the purple) and a violet
 * (his purple, lightened); grey is the neutral.
 */
export const TAG_PALETTE: readonly PaletteColour[] = [
  { colour: '#C77C00', name: 'Orange', source: 'Okabe–Ito orange, darkened' },
  { colour: '#2E8BC0', name: 'Sky blue', source: 'Okabe–Ito sky blue, darkened' },
  { colour: '#009E73', name: 'Bluish green', source: 'Okabe–Ito' },
  { colour: '#C4709F', name: 'Reddish purple', source: 'Okabe–Ito, darkened a little' },
  { colour: '#D55E00', name: 'Vermillion', source: 'Okabe–Ito' },
  { colour: '#EE3377', name: 'Magenta', source: 'Paul Tol, vibrant' },
  { colour: '#9A7BD0', name: 'Violet', source: 'Paul Tol purple, lightened' },
  { colour: '#8F8F2E', name: 'Olive', source: 'Paul Tol, muted, darkened a little' },
  { colour: '#8C8C8C', name: 'Grey', source: 'neutral' }
]
