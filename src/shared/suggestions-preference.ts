// Where the window keeps whether suggestions are drawn (src/renderer/src/lib/state/
// suggestions-preference.ts reads and writes it). Shared so the benchmarks of the reader, editing,
// review and find can turn suggestions off before the page loads: they measure those, and
// bench/suggestions.bench.ts measures suggesting.

/** The window's storage key. */
export const SUGGESTIONS_SHOWN_KEY = 'quire.suggestions.shown'

/** A script for a browser context, run before the app starts: suggestions off. */
export const HIDE_SUGGESTIONS_SCRIPT = `localStorage.setItem(${JSON.stringify(SUGGESTIONS_SHOWN_KEY)}, 'false')`
