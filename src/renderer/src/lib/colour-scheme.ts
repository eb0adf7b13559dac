// Shows the colour scheme the user chose: data-colour-scheme on <html> (app.css sets
// color-scheme from it, and every colour is a light-dark() pair), 'system' following the
// system's prefers-color-scheme. The choice lives in the settings file; a copy in this window's
// storage lets main.ts show it before the first paint, while the settings are still on their way.
import { COLOUR_SCHEME_CHOICES, type ColourSchemeChoice } from '../../../shared/model'

const REMEMBERED_KEY = 'quire.colourScheme'

export function applyColourScheme(root: HTMLElement, choice: ColourSchemeChoice): void {
  root.dataset.colourScheme = choice
  try {
    globalThis.localStorage?.setItem(REMEMBERED_KEY, choice)
  } catch {
    // Storage refused: the settings still hold the choice; only the first paint may differ.
  }
}

/** The choice last shown in this window, or 'system' when there is none (or it is not one). */
export function rememberedColourScheme(): ColourSchemeChoice {
  try {
    const remembered = globalThis.localStorage?.getItem(REMEMBERED_KEY)
    return COLOUR_SCHEME_CHOICES.find((choice) => choice === remembered) ?? 'system'
  } catch {
    return 'system'
  }
}

export const COLOUR_SCHEME_LABELS: Readonly<Record<ColourSchemeChoice, string>> = {
  system: 'Match system',
  light: 'Light',
  dark: 'Dark'
}
