import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  blend,
  COLOUR_SCHEMES,
  contrastRatio,
  judgeColour,
  MIN_GRAPHIC_CONTRAST,
  MIN_TEXT_CONTRAST,
  SCHEME_COLOURS,
  TAG_PALETTE,
  tagInk,
  type ColourScheme
} from '../../src/core/colour-contrast'
import { DEFAULT_TAGS } from '../../src/shared/model'

const hexColour = fc.integer({ min: 0, max: 0xffffff }).map((rgb) => `#${rgb.toString(16).padStart(6, '0').toUpperCase()}`)
const scheme = fc.constantFrom<ColourScheme>(...COLOUR_SCHEMES)

/** Hue in degrees of a #RRGGBB colour (NaN for a grey). */
function hueOf(colour: string): number {
  const [r, g, b] = [1, 3, 5].map((at) => Number.parseInt(colour.slice(at, at + 2), 16) / 255) as [number, number, number]
  const max = Math.max(r, g, b)
  const delta = max - Math.min(r, g, b)
  if (delta === 0) return Number.NaN
  const sixths = max === r ? ((g - b) / delta + 6) % 6 : max === g ? (b - r) / delta + 2 : (r - g) / delta + 4
  return sixths * 60
}

describe('tag colours as the window draws them (tagInk)', () => {
  it('meets every WCAG ratio on every page of both schemes, whatever the colour', () => {
    fc.assert(
      fc.property(hexColour, scheme, (colour, on) => {
        const ink = tagInk(colour, on)
        const { pages, text } = SCHEME_COLOURS[on]
        const tintAlpha = Number.parseInt(ink.tint.slice(7), 16) / 255
        expect(ink.chip).toBe(ink.line)
        expect(ink.tint.slice(0, 7)).toBe(ink.line)
        expect(contrastRatio(ink.chipText, ink.chip)).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST)
        for (const page of pages) {
          expect(contrastRatio(ink.line, page)).toBeGreaterThanOrEqual(MIN_GRAPHIC_CONTRAST)
          expect(contrastRatio(text, blend(ink.line, tintAlpha, page))).toBeGreaterThanOrEqual(MIN_TEXT_CONTRAST)
        }
      }),
      { examples: [['#FFFFFF', 'light'], ['#000000', 'dark'], ['#E69F00', 'light'], ['#F0E442', 'light'], ['#0072B2', 'dark']] }
    )
  })

  it('leaves a clear colour as it is, and moves an unclear one only in lightness', () => {
    fc.assert(
      fc.property(hexColour, scheme, (colour, on) => {
        const verdict = judgeColour(colour)[on]
        const { line } = tagInk(colour, on)
        if (verdict.lineOk) expect(line).toBe(colour)
        else {
          expect(line).toBe(verdict.drawnAs)
          // Darker on light pages, lighter on dark ones.
          if (on === 'light') expect(contrastRatio(line, '#000000')).toBeLessThan(contrastRatio(colour, '#000000'))
          else expect(contrastRatio(line, '#FFFFFF')).toBeLessThan(contrastRatio(colour, '#FFFFFF'))
          // The hue stays (an orange stays an orange) unless rounding to whole channels moves a near-grey.
          const before = hueOf(colour)
          const after = hueOf(line)
          const [r, g, b] = [1, 3, 5].map((at) => Number.parseInt(line.slice(at, at + 2), 16)) as [number, number, number]
          if (!Number.isNaN(before) && Math.max(r, g, b) - Math.min(r, g, b) > 40) {
            const apart = Math.abs(before - after)
            expect(Math.min(apart, 360 - apart)).toBeLessThan(6)
          }
        }
      })
    )
  })

  it('draws the old default orange and sky blue darker on light pages, as they are on dark ones', () => {
    expect(tagInk('#E69F00', 'light')).toEqual({ line: '#BD8300', chip: '#BD8300', chipText: '#111111', tint: '#BD830038' })
    expect(tagInk('#E69F00', 'dark').line).toBe('#E69F00')
    expect(tagInk('#56B4E9', 'light').line).toBe('#1C95DA')
    // A dark blue takes a white label.
    expect(tagInk('#0072B2', 'light').chipText).toBe('#FFFFFF')
    // Black is lightened to a grey that shows on the dark page.
    expect(contrastRatio(tagInk('#000000', 'dark').line, '#252526')).toBeGreaterThanOrEqual(3)
  })
})

describe('the palette and the default tags', () => {
  it('are clear as they are on both schemes, so the reader never has to change them', () => {
    for (const entry of TAG_PALETTE) expect(judgeColour(entry.colour), entry.name).toMatchObject({ ok: true })
    for (const tag of DEFAULT_TAGS) {
      expect(judgeColour(tag.color), tag.label).toMatchObject({ ok: true })
      expect(TAG_PALETTE.map((entry) => entry.colour)).toContain(tag.color)
    }
  })
})

describe('app.css', () => {
  const css = readFileSync(new URL('../../src/renderer/src/styles/app.css', import.meta.url), 'utf8')
  const variable = (name: string): [string, string] => {
    const match = new RegExp(`--${name}: light-dark\\((#[0-9a-f]{6}), (#[0-9a-f]{6})\\);`, 'i').exec(css)
    if (!match) throw new Error(`app.css has no --${name}: light-dark(#light, #dark)`)
    return [(match[1] as string).toUpperCase(), (match[2] as string).toUpperCase()]
  }

  it('draws tags on the pages and under the text that tagInk judges them against', () => {
    const [lightBg, darkBg] = variable('bg')
    const [lightSurface, darkSurface] = variable('surface')
    const [lightText, darkText] = variable('text')
    expect(new Set(SCHEME_COLOURS.light.pages)).toEqual(new Set([lightBg, lightSurface]))
    expect(new Set(SCHEME_COLOURS.dark.pages)).toEqual(new Set([darkBg, darkSurface]))
    expect([SCHEME_COLOURS.light.text, SCHEME_COLOURS.dark.text]).toEqual([lightText, darkText])
  })

  it('keeps its text colours readable on its backgrounds in both schemes', () => {
    const pairs: [text: string, background: string, minimum: number][] = [
      ['text', 'bg', 4.5], ['text', 'surface', 4.5], ['text', 'surface-muted', 4.5],
      ['text-muted', 'bg', 4.5], ['text-muted', 'surface', 4.5], ['text-muted', 'surface-muted', 4.5],
      ['text', 'selected-bg', 4.5], ['text', 'chosen-bg', 4.5], ['text-muted', 'selected-bg', 4.5],
      ['accent', 'surface', 4.5], ['accent', 'bg', 4.5], ['accent-text', 'accent', 4.5], ['accent-text', 'accent-hover', 4.5],
      ['focus', 'surface', 3], ['focus', 'bg', 3],
      ['danger', 'surface', 4.5], ['problem-ink', 'surface', 4.5], ['problem-ink', 'problem-bg', 4.5],
      ['problem-text', 'problem-bg', 4.5], ['info-text', 'info-bg', 4.5], ['caution-text', 'caution-bg', 4.5], ['caution-text', 'surface', 4.5],
      ['agree-text', 'agree-bg', 4.5], ['agree-ink', 'surface', 3], ['surface', 'agree-text', 4.5],
      ['text', 'tone-high', 4.5], ['text', 'tone-mid', 4.5], ['text', 'tone-low', 4.5],
      ['text', 'match-bg', 4.5], ['match-current-text', 'match-current-bg', 4.5], ['text', 'selection', 4.5]
    ]
    const failures = pairs.flatMap(([text, background, minimum]) =>
      [0, 1].flatMap((side) => {
        const ratio = contrastRatio(variable(text)[side] as string, variable(background)[side] as string)
        return ratio >= minimum ? [] : [`${side === 0 ? 'light' : 'dark'}: --${text} on --${background} is ${ratio.toFixed(2)}:1, needs ${minimum}:1`]
      })
    )
    expect(failures).toEqual([])
  })
})
