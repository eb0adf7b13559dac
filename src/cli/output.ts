// Where the CLI writes: stdout for results, stderr for progress, warnings and errors.
// Passed in so tests can run commands in-process.
export interface CliOutput {
  out(text: string): void
  err(text: string): void
  /** True when stderr is a terminal, where a progress line is useful. */
  interactive: boolean
}

export const processOutput: CliOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  interactive: process.stderr.isTTY === true
}

/** "FILE:LINE: message", the form editors and terminals link to the place. */
export function located(file: string, line: number, message: string): string {
  if (file === '') return message
  return line > 0 ? `${file}:${line}: ${message}` : `${file}: ${message}`
}
