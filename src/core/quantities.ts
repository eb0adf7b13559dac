// How counts and sizes read, the same in the window, the CLI, export warnings and revision files
// (so not the machine's locale): "1 span", "3 spans", never "span(s)".

// One formatter: toLocaleString('en') builds a new one on every call (0.1–0.3 ms in Chromium),
// and the document list writes a few counts per row on every keystroke in its filter.
const ENGLISH_NUMBERS = new Intl.NumberFormat('en')

/** "1 line", "36,848 lines". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${ENGLISH_NUMBERS.format(count)} ${count === 1 ? one : many}`
}

/** "4,999,999". */
export function count(value: number): string {
  return ENGLISH_NUMBERS.format(value)
}

/** "196 B", "2.5 KB", "5.0 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  // The unit changes where a figure would round to 1024 of the smaller one: 1,048,574 bytes read "1024.0 KB".
  if (bytes < 1024 * 1023.95) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
