// JSON.parse on Node 20 often says only "Unexpected token" without a position. When a
// stored file fails to parse, this scanner finds where, so the user is told which line to fix.

export interface JsonSyntaxProblem {
  /** 1-based. */
  line: number
  /** 1-based, in UTF-16 code units. */
  column: number
  message: string
}

/** The first syntax error in `text`, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | null {
  const scanner = new JsonScanner(text)
  try {
    scanner.skipWhitespace()
    scanner.value()
    scanner.skipWhitespace()
    if (scanner.position < text.length) scanner.fail('unexpected text after the end of the JSON value')
    return null
  } catch (error) {
    if (error instanceof ScanError) return locate(text, error.position, error.message)
    throw error
  }
}

class ScanError extends Error {
  constructor(
    readonly position: number,
    message: string
  ) {
    super(message)
  }
}

// The scanner is recursive; a hostile file of 100 000 "[" would otherwise overflow the stack
// and the user would get "Maximum call stack size exceeded" instead of a line number.
const MAX_NESTING = 1000

class JsonScanner {
  position = 0
  private depth = 0
  constructor(private readonly text: string) {}

  fail(message: string): never {
    throw new ScanError(this.position, message)
  }

  skipWhitespace(): void {
    while (/[ \t\r\n]/.test(this.text.charAt(this.position))) this.position++
  }

  value(): void {
    const character = this.text.charAt(this.position)
    if (character === '') this.fail('the file ends too early (it may have been cut short)')
    if (character === '{' || character === '[') {
      if (this.depth >= MAX_NESTING) this.fail(`objects and arrays are nested more than ${MAX_NESTING} levels deep`)
      this.depth++
      if (character === '{') this.object()
      else this.array()
      this.depth--
      return
    }
    if (character === '"') return this.string()
    if (character === '-' || (character >= '0' && character <= '9')) return this.number()
    for (const literal of ['true', 'false', 'null']) {
      if (this.text.startsWith(literal, this.position)) {
        this.position += literal.length
        return
      }
    }
    this.fail(`unexpected ${describe(character)}`)
  }

  private object(): void {
    this.position++
    this.skipWhitespace()
    if (this.text.charAt(this.position) === '}') {
      this.position++
      return
    }
    for (;;) {
      this.skipWhitespace()
      if (this.text.charAt(this.position) !== '"') this.expected('a property name in double quotes')
      this.string()
      this.skipWhitespace()
      if (this.text.charAt(this.position) !== ':') this.expected('":" after the property name')
      this.position++
      this.skipWhitespace()
      this.value()
      this.skipWhitespace()
      const next = this.text.charAt(this.position)
      this.position++
      if (next === '}') return
      if (next !== ',') {
        this.position--
        this.expected('"," or "}" after a property value')
      }
    }
  }

  private array(): void {
    this.position++
    this.skipWhitespace()
    if (this.text.charAt(this.position) === ']') {
      this.position++
      return
    }
    for (;;) {
      this.skipWhitespace()
      this.value()
      this.skipWhitespace()
      const next = this.text.charAt(this.position)
      this.position++
      if (next === ']') return
      if (next !== ',') {
        this.position--
        this.expected('"," or "]" after an array element')
      }
    }
  }

  private string(): void {
    this.position++
    for (;;) {
      const character = this.text.charAt(this.position)
      if (character === '') this.fail('the file ends inside a string (it may have been cut short)')
      if (character === '"') {
        this.position++
        return
      }
      if (character === '\\') {
        const escape = this.text.charAt(this.position + 1)
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.position + 2, this.position + 6))) {
            this.fail('invalid \\u escape in a string')
          }
          this.position += 6
        } else if ('"\\/bfnrt'.includes(escape) && escape !== '') {
          this.position += 2
        } else {
          this.fail('invalid escape in a string')
        }
        continue
      }
      if (character.charCodeAt(0) < 0x20) this.fail('control character inside a string')
      this.position++
    }
  }

  private number(): void {
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.position, this.position + 400))
    if (!match) this.fail('malformed number')
    this.position += match[0].length
  }

  private expected(what: string): never {
    const character = this.text.charAt(this.position)
    if (character === '') this.fail(`expected ${what} but the file ends (it may have been cut short)`)
    this.fail(`expected ${what}, found ${describe(character)}`)
  }
}

function describe(character: string): string {
  if (character === '') return 'end of file'
  return `"${character}"`
}

function locate(text: string, position: number, message: string): JsonSyntaxProblem {
  let line = 1
  let lineStart = 0
  for (let index = 0; index < position && index < text.length; index++) {
    if (text.charCodeAt(index) === 0x0a) {
      line++
      lineStart = index + 1
    }
  }
  return { line, column: position - lineStart + 1, message }
}
