// JSON.parse, plus the line each object and array starts on, so a problem deep inside a
// large JSON file (a Label Studio export) is reported at its own line, not "line 1".
// Strings and numbers are read by JSON.parse itself, so their values are exactly its.

export interface PositionedJson {
  value: unknown
  /** 1-based line where the object or array starts; 0 for anything else. */
  lineOf(value: unknown): number
}

export class JsonSyntaxError extends SyntaxError {
  constructor(
    message: string,
    /** 1-based. */
    readonly line: number
  ) {
    super(message)
    this.name = 'JsonSyntaxError'
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const SPACE = /[ \t\n\r]*/y

/** Parses `text` as JSON; throws JsonSyntaxError with the line of the first problem. */
export function parseJsonWithPositions(text: string): PositionedJson {
  const lines = new WeakMap<object, number>()
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let line = 1

  function fail(message: string): never {
    throw new JsonSyntaxError(message, line)
  }

  function skipSpace(): void {
    SPACE.lastIndex = index
    const match = SPACE.exec(text) as RegExpExecArray
    for (const character of match[0]) if (character === '\n') line++
    index += match[0].length
  }

  function describeHere(): string {
    if (index >= text.length) return 'the end of the file'
    return JSON.stringify(text.slice(index, index + 12))
  }

  function expect(character: string): void {
    skipSpace()
    if (text[index] !== character) fail(`expected "${character}" at ${describeHere()}`)
    index++
  }

  function readString(): string {
    // The closing quote is the first one not escaped by an odd run of backslashes; JSON.parse
    // then checks the escapes and control characters and gives the value.
    let end = index + 1
    for (;;) {
      end = text.indexOf('"', end)
      if (end === -1) fail(`a string is not closed, from ${describeHere()}`)
      let backslashes = 0
      while (text.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++
      if (backslashes % 2 === 0) break
      end++
    }
    let value: string
    try {
      value = JSON.parse(text.slice(index, end + 1)) as string
    } catch {
      return fail(`a string holds a raw control character (a line break?) or a bad escape, at ${describeHere()}`)
    }
    index = end + 1
    return value
  }

  function readValue(depth: number): unknown {
    if (depth > 512) fail('the JSON is nested more than 512 levels deep')
    skipSpace()
    const character = text[index]
    if (character === '{') {
      const object: Record<string, unknown> = {}
      lines.set(object, line)
      index++
      skipSpace()
      if (text[index] === '}') {
        index++
        return object
      }
      for (;;) {
        skipSpace()
        if (text[index] !== '"') fail(`expected a property name in double quotes at ${describeHere()}`)
        const key = readString()
        expect(':')
        const value = readValue(depth + 1)
        // A key "__proto__" becomes an own property, as with JSON.parse (assigning it would set the prototype).
        if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true })
        else object[key] = value
        skipSpace()
        if (text[index] === ',') {
          index++
          continue
        }
        if (text[index] === '}') {
          index++
          return object
        }
        fail(`expected "," or "}" at ${describeHere()}`)
      }
    }
    if (character === '[') {
      const array: unknown[] = []
      lines.set(array, line)
      index++
      skipSpace()
      if (text[index] === ']') {
        index++
        return array
      }
      for (;;) {
        array.push(readValue(depth + 1))
        skipSpace()
        if (text[index] === ',') {
          index++
          continue
        }
        if (text[index] === ']') {
          index++
          return array
        }
        fail(`expected "," or "]" at ${describeHere()}`)
      }
    }
    if (character === '"') return readString()
    if (character === 't' && text.startsWith('true', index)) {
      index += 4
      return true
    }
    if (character === 'f' && text.startsWith('false', index)) {
      index += 5
      return false
    }
    if (character === 'n' && text.startsWith('null', index)) {
      index += 4
      return null
    }
    NUMBER.lastIndex = index
    const number = NUMBER.exec(text)
    if (number !== null) {
      index += number[0].length
      return Number(number[0])
    }
    return fail(`unexpected ${describeHere()}`)
  }

  const value = readValue(0)
  skipSpace()
  if (index < text.length) fail(`unexpected ${describeHere()} after the JSON value`)
  return {
    value,
    lineOf: (item) => (typeof item === 'object' && item !== null ? (lines.get(item) ?? 0) : 0)
  }
}
