// Whether a tag colour can be seen: WCAG 2 relative luminance and contrast ratio, judged the way
// the reader draws a tag (src/renderer/src/styles/app.css, highlight-style.ts): a 3 px underline
// and a colleague's outline in the colour on the page, and a chip filled with the colour under
// dark (#111) label text. Pure: the tag set rules (tag-set.ts) and the tag editor share it.

/** The reader's page in the light theme (--surface). */
export const LIGHT_BACKGROUND = '#FFFFFF'
/**
 * The reader's page in the dark theme. Dark mode is issue 11; this is the darkest surface it may
 * use (#1E1E1E, the usual dark-editor grey): a colour judged against it now stays usable then.
 */
export const DARK_BACKGROUND = '#1E1E1E'
/** The label text drawn on a filled chip (app.css `.segment[data-labels]::before`). */
export const CHIP_TEXT = '#111111'

/** WCAG 2.2 SC 1.4.11: lines and outlines that carry meaning. */
export const MIN_GRAPHIC_CONTRAST = 3
/** WCAG 2.2 SC 1.4.3: small text (chips are 10 px bold). */
export const MIN_TEXT_CONTRAST = 4.5

const HEX_COLOUR = /^#([0-9A-Fa-f]{6})$/

export function isHexColour(colour: string): boolean {
  return HEX_COLOUR.test(colour)
}

function channel(value: number): number {
  const srgb = value / 255
  return srgb <= 0.04045 ? srgb / 12.92 : ((srgb + 0.055) / 1.055) ** 2.4
}

/** WCAG relative luminance of a #RRGGBB colour, 0 (black) to 1 (white). */
export function relativeLuminance(colour: string): number {
  const match = HEX_COLOUR.exec(colour)
  if (!match) throw new Error(`"${colour}" is not a #RRGGBB colour`)
  const rgb = Number.parseInt(match[1] as string, 16)
  return 0.2126 * channel((rgb >> 16) & 0xff) + 0.7152 * channel((rgb >> 8) & 0xff) + 0.0722 * channel(rgb & 0xff)
}

/** WCAG contrast ratio, 1 to 21, the same whichever colour is given first. */
export function contrastRatio(first: string, second: string): number {
  const a = relativeLuminance(first)
  const b = relativeLuminance(second)
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)
}

export interface BackgroundVerdict {
  background: 'light' | 'dark'
  /** The underline and outline against the page. */
  lineContrast: number
  lineOk: boolean
  /** The chip's label text on the colour (the same on either page). */
  chipTextContrast: number
  chipTextOk: boolean
  ok: boolean
  /** In words, for the tag editor: "Light page: line 3.4:1, label 5.5:1 — readable". */
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

function onBackground(colour: string, background: 'light' | 'dark'): BackgroundVerdict {
  const page = background === 'light' ? LIGHT_BACKGROUND : DARK_BACKGROUND
  const lineContrast = contrastRatio(colour, page)
  const chipTextContrast = contrastRatio(colour, CHIP_TEXT)
  const lineOk = lineContrast >= MIN_GRAPHIC_CONTRAST
  const chipTextOk = chipTextContrast >= MIN_TEXT_CONTRAST
  const problems = [
    ...(lineOk ? [] : [`the underline is too faint (${ratioText(lineContrast)}, needs ${MIN_GRAPHIC_CONTRAST}:1)`]),
    ...(chipTextOk ? [] : [`the label on the chip is hard to read (${ratioText(chipTextContrast)}, needs ${MIN_TEXT_CONTRAST}:1)`])
  ]
  const pageName = background === 'light' ? 'Light page' : 'Dark page'
  const summary =
    problems.length === 0
      ? `${pageName}: clear (underline ${ratioText(lineContrast)}, label ${ratioText(chipTextContrast)})`
      : `${pageName}: ${problems.join('; ')}`
  return { background, lineContrast, lineOk, chipTextContrast, chipTextOk, ok: lineOk && chipTextOk, summary }
}

/** How a tag colour reads on the light and the dark page. */
export function judgeColour(colour: string): ColourVerdict {
  const light = onBackground(colour, 'light')
  const dark = onBackground(colour, 'dark')
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
 * deficiencies, each passing judgeColour on both pages. Okabe & Ito's vermillion, bluish green
 * and reddish purple pass as they are; their orange and sky blue are too light for 3:1 on white
 * (2.2:1, as in DEFAULT_TAGS) and are darkened keeping the hue; their yellow cannot be dark
 * enough for white and light enough for the label at once, and their blue is too dark for the
 * label, so both are left out. Paul Tol's schemes (also made for colour-blind readers) give
 * magenta, olive and a violet (his purple, lightened for the label); grey is the neutral.
 */
export const TAG_PALETTE: readonly PaletteColour[] = [
  { colour: '#C77C00', name: 'Orange', source: 'Okabe–Ito orange, darkened' },
  { colour: '#2E8BC0', name: 'Sky blue', source: 'Okabe–Ito sky blue, darkened' },
  { colour: '#009E73', name: 'Bluish green', source: 'Okabe–Ito' },
  { colour: '#CC79A7', name: 'Reddish purple', source: 'Okabe–Ito' },
  { colour: '#D55E00', name: 'Vermillion', source: 'Okabe–Ito' },
  { colour: '#EE3377', name: 'Magenta', source: 'Paul Tol, vibrant' },
  { colour: '#9A7BD0', name: 'Violet', source: 'Paul Tol purple, lightened' },
  { colour: '#999933', name: 'Olive', source: 'Paul Tol, muted' },
  { colour: '#8C8C8C', name: 'Grey', source: 'neutral' }
]
