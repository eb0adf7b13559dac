// How counts and sizes read, the same in the window, the CLI, export warnings and revision files
// (so not the machine's locale): "1 span", "3 spans", never "span(s)".

/** "1 line", "36,848 lines". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`
}

/** "4,999,999". */
export function count(value: number): string {
  return value.toLocaleString('en')
}

/** "196 B", "2.5 KB", "5.0 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}
