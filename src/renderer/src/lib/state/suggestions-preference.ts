// Whether suggestions are drawn: the editor's choice, kept in this window's storage so it
// survives a reload and a restart. Hidden suggestions are not even asked for.
import { SUGGESTIONS_SHOWN_KEY } from '../../../../shared/suggestions-preference'

export function readSuggestionsShown(): boolean {
  try {
    return globalThis.localStorage?.getItem(SUGGESTIONS_SHOWN_KEY) !== 'false'
  } catch {
    // Storage refused (a locked-down profile): suggestions are shown, as by default.
    return true
  }
}

export function saveSuggestionsShown(shown: boolean): void {
  try {
    globalThis.localStorage?.setItem(SUGGESTIONS_SHOWN_KEY, String(shown))
  } catch {
    // Kept for this window only.
  }
}
