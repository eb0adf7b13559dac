// How counts read in previews, summaries and errors: the same in the window, the CLI and the
// revision files (so not the machine's locale).

/** "1 line", "36,848 lines". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`
}

/** "4,999,999". */
export function count(value: number): string {
  return value.toLocaleString('en')
}
