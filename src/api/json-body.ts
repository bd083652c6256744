/**
 * Parses an API request body as Python's `json.loads(body.decode())` would, for Healthchecks'
 * strict validation: numbers written with a fraction or exponent (and NaN/Infinity, which Python
 * accepts) come back as `JsonFloat`, so `60.0` is refused as "is not a number" like pydantic does.
 * Not here: what the fields mean (checks/check-input.ts).
 */

/** A JSON number Python would read as a float (`1.0`, `1e3`, `NaN`). */
export class JsonFloat {
  constructor(readonly value: number) {}
}

export type JsonValue =
  | null
  | boolean
  | number
  | string
  | JsonFloat
  | JsonValue[]
  | { [key: string]: JsonValue }

/** Deeper documents are refused rather than risking the stack (Python would raise too). */
const MAX_DEPTH = 500

class ParseError extends Error {}

/** The parsed document, or null when the bytes are not UTF-8 JSON. */
export function parseJsonBody(body: Buffer): { value: JsonValue } | null {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body)
  } catch {
    return null
  }
  try {
    const p = new Parser(text)
    p.ws()
    const value = p.value(0)
    p.ws()
    if (p.i !== text.length) throw new ParseError('trailing data')
    return { value }
  } catch (e) {
    if (e instanceof ParseError || e instanceof RangeError) return null
    throw e
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y

class Parser {
  i = 0
  constructor(readonly s: string) {}

  ws(): void {
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i)
      // Python's json accepts exactly these four as whitespace.
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break
      this.i++
    }
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw new ParseError('too deep')
    const c = this.s[this.i]
    if (c === '{') return this.object(depth)
    if (c === '[') return this.array(depth)
    if (c === '"') return this.string()
    for (const [word, v] of LITERALS) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length
        return v
      }
    }
    NUMBER.lastIndex = this.i
    const m = NUMBER.exec(this.s)
    if (!m) throw new ParseError('unexpected character')
    this.i += m[0].length
    const n = Number(m[0])
    return m[1] !== undefined || m[2] !== undefined ? new JsonFloat(n) : n
  }

  object(depth: number): { [key: string]: JsonValue } {
    const out: { [key: string]: JsonValue } = Object.create(null)
    this.i++
    this.ws()
    if (this.s[this.i] === '}') {
      this.i++
      return out
    }
    for (;;) {
      if (this.s[this.i] !== '"') throw new ParseError('expected a key')
      const key = this.string()
      this.ws()
      if (this.s[this.i] !== ':') throw new ParseError('expected :')
      this.i++
      this.ws()
      out[key] = this.value(depth + 1)
      this.ws()
      const c = this.s[this.i++]
      if (c === '}') return out
      if (c !== ',') throw new ParseError('expected , or }')
      this.ws()
    }
  }

  array(depth: number): JsonValue[] {
    const out: JsonValue[] = []
    this.i++
    this.ws()
    if (this.s[this.i] === ']') {
      this.i++
      return out
    }
    for (;;) {
      out.push(this.value(depth + 1))
      this.ws()
      const c = this.s[this.i++]
      if (c === ']') return out
      if (c !== ',') throw new ParseError('expected , or ]')
      this.ws()
    }
  }

  string(): string {
    const start = this.i
    this.i++
    // Fast path: no escapes. Control characters are invalid inside strings (Python's strict mode).
    for (;;) {
      if (this.i >= this.s.length) throw new ParseError('unterminated string')
      const c = this.s.charCodeAt(this.i)
      if (c < 0x20) throw new ParseError('control character in string')
      if (c === 0x22 || c === 0x5c) break
      this.i++
    }
    let out = this.s.slice(start + 1, this.i)
    for (;;) {
      const c = this.s[this.i]
      if (c === '"') {
        this.i++
        return out
      }
      if (c === undefined) throw new ParseError('unterminated string')
      if (c.charCodeAt(0) < 0x20) throw new ParseError('control character in string')
      if (c !== '\\') {
        out += c
        this.i++
        continue
      }
      const e = this.s[this.i + 1]
      if (e === 'u') {
        const hex = this.s.slice(this.i + 2, this.i + 6)
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new ParseError('bad \\u escape')
        out += String.fromCharCode(Number.parseInt(hex, 16))
        this.i += 6
        continue
      }
      const simple = ESCAPES[e ?? '']
      if (simple === undefined) throw new ParseError('bad escape')
      out += simple
      this.i += 2
    }
  }
}

const LITERALS: Array<[string, JsonValue]> = [
  ['true', true],
  ['false', false],
  ['null', null],
  // Python's json module reads these (as floats); JSON proper does not have them.
  ['NaN', new JsonFloat(Number.NaN)],
  ['Infinity', new JsonFloat(Number.POSITIVE_INFINITY)],
  ['-Infinity', new JsonFloat(Number.NEGATIVE_INFINITY)],
]

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
}

/** A plain JSON object (what Healthchecks calls "an object"), not an array or a scalar. */
export function isJsonObject(v: JsonValue): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonFloat)
}
