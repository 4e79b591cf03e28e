import type { FieldError } from './errors.js'

/**
 * A JSON parser for partner documents, stricter than `JSON.parse` where that one is unsafe:
 * - UTF-8 is decoded fatally; a byte-order mark is refused (RFC 8259 §8.1 forbids sending one);
 * - empty input, a second value and trailing junk are malformed;
 * - duplicate keys are reported with their JSON Pointer (JSON.parse silently keeps the last);
 * - nesting depth and node count are bounded, and the parser is iterative: a 10,000-deep
 *   document costs `maxDepth` frames before it is refused, never a stack overflow;
 * - objects have a null prototype, so `__proto__`, `constructor` and the like are plain data;
 * - an escaped lone surrogate is malformed (RFC 7493 I-JSON), a number that overflows to
 *   Infinity is invalid.
 */
export interface StrictJsonOptions {
  /** Containers nested deeper than this are refused. The root object is depth 1. */
  maxDepth?: number
  /** Values (containers and scalars) beyond this count are refused. */
  maxNodes?: number
}

export type StrictJsonResult =
  | { ok: true; value: unknown }
  | { ok: false; code: 'payload_malformed' | 'payload_invalid'; errors: FieldError[] }

export const DEFAULT_MAX_DEPTH = 32
export const DEFAULT_MAX_NODES = 100_000

/** RFC 6901: `~` → `~0`, `/` → `~1`. */
export function pointerToken(key: string | number): string {
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1')
}

export function joinPointer(base: string, key: string | number): string {
  return `${base}/${pointerToken(key)}`
}

class Stop {
  constructor(
    readonly code: 'payload_malformed' | 'payload_invalid',
    readonly error: FieldError,
  ) {}
}

type Frame =
  | { kind: 'array'; value: unknown[]; path: string; started: boolean }
  | { kind: 'object'; value: Record<string, unknown>; path: string; started: boolean }

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings must not hold raw U+0000–U+001F
const PLAIN_CHARS = /[^"\\\u0000-\u001f]*/y
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
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

export function parseStrictJson(bytes: Uint8Array, opts: StrictJsonOptions = {}): StrictJsonResult {
  let text: string
  try {
    text = decoder.decode(bytes)
  } catch {
    return { ok: false, code: 'payload_malformed', errors: [malformed('encoding', 'not valid UTF-8')] }
  }
  try {
    return new Parser(text, opts.maxDepth ?? DEFAULT_MAX_DEPTH, opts.maxNodes ?? DEFAULT_MAX_NODES).run()
  } catch (e) {
    if (e instanceof Stop) return { ok: false, code: e.code, errors: [e.error] }
    throw e
  }
}

function malformed(code: string, message: string): FieldError {
  return { location: '', code, message }
}

class Parser {
  private pos = 0
  private nodes = 0
  private readonly stack: Frame[] = []
  private readonly duplicates: FieldError[] = []

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
    private readonly maxNodes: number,
  ) {}

  run(): StrictJsonResult {
    this.skipWs()
    if (this.pos >= this.text.length)
      throw new Stop('payload_malformed', malformed('empty', 'empty document'))
    const root = this.value('')
    while (this.stack.length > 0) this.step(this.stack[this.stack.length - 1]!)
    this.skipWs()
    if (this.pos < this.text.length) throw this.syntax('trailing', 'unexpected content after the document')
    if (this.duplicates.length > 0) return { ok: false, code: 'payload_invalid', errors: this.duplicates }
    return { ok: true, value: root }
  }

  /** Advances the innermost open container by one member, or closes it. */
  private step(frame: Frame): void {
    this.skipWs()
    const close = frame.kind === 'array' ? ']' : '}'
    // Only reached at a container's start or after a member, so a close is always legal here;
    // `[1,]` fails later because a value is required after the comma.
    if (this.peek() === close) {
      this.pos++
      this.stack.pop()
      return
    }
    if (frame.started) {
      this.expect(',')
      this.skipWs()
    }
    frame.started = true
    if (frame.kind === 'array') {
      frame.value.push(this.value(joinPointer(frame.path, frame.value.length)))
      return
    }
    if (this.peek() !== '"') throw this.syntax('syntax', 'expected a string key')
    const key = this.string()
    this.skipWs()
    this.expect(':')
    const path = joinPointer(frame.path, key)
    const duplicate = Object.hasOwn(frame.value, key)
    if (duplicate) this.duplicates.push({ location: path, code: 'duplicate', message: 'duplicate key' })
    const member = this.value(path)
    // The first occurrence is kept; the document is refused anyway.
    if (!duplicate) {
      Object.defineProperty(frame.value, key, {
        value: member,
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
  }

  /** Reads a scalar, or opens a container (returned empty, filled by later steps). */
  private value(path: string): unknown {
    this.skipWs()
    if (++this.nodes > this.maxNodes) {
      throw new Stop('payload_invalid', {
        location: path,
        code: 'nodes',
        message: `more than ${this.maxNodes} values`,
      })
    }
    const c = this.peek()
    if (c === '{' || c === '[') {
      if (this.stack.length >= this.maxDepth) {
        throw new Stop('payload_invalid', {
          location: path,
          code: 'depth',
          message: `nested deeper than ${this.maxDepth} levels`,
        })
      }
      this.pos++
      const frame: Frame =
        c === '{'
          ? { kind: 'object', value: Object.create(null) as Record<string, unknown>, path, started: false }
          : { kind: 'array', value: [], path, started: false }
      this.stack.push(frame)
      return frame.value
    }
    if (c === '"') return this.string()
    if (c === '-' || (c >= '0' && c <= '9')) return this.number(path)
    for (const [word, literal] of LITERALS) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length
        return literal
      }
    }
    throw this.syntax('syntax', c === '' ? 'unexpected end of document' : 'unexpected character')
  }

  private string(): string {
    this.pos++ // opening quote
    let out = ''
    for (;;) {
      PLAIN_CHARS.lastIndex = this.pos
      PLAIN_CHARS.test(this.text)
      out += this.text.slice(this.pos, PLAIN_CHARS.lastIndex)
      this.pos = PLAIN_CHARS.lastIndex
      const c = this.peek()
      if (c === '"') {
        this.pos++
        return out
      }
      if (c !== '\\')
        throw this.syntax('syntax', c === '' ? 'unterminated string' : 'control character in string')
      out += this.escape()
    }
  }

  private escape(): string {
    const c = this.text[this.pos + 1] ?? ''
    const simple = ESCAPES[c]
    if (simple !== undefined) {
      this.pos += 2
      return simple
    }
    if (c !== 'u') throw this.syntax('syntax', 'invalid escape')
    const unit = this.hex4(this.pos + 2)
    this.pos += 6
    if (unit >= 0xdc00 && unit <= 0xdfff) throw this.syntax('syntax', 'lone surrogate escape')
    if (unit < 0xd800 || unit > 0xdbff) return String.fromCharCode(unit)
    const low = this.text.startsWith('\\u', this.pos) ? this.hex4(this.pos + 2) : -1
    if (low < 0xdc00 || low > 0xdfff) throw this.syntax('syntax', 'lone surrogate escape')
    this.pos += 6
    return String.fromCharCode(unit, low)
  }

  private hex4(at: number): number {
    const digits = this.text.slice(at, at + 4)
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) throw this.syntax('syntax', 'invalid \\u escape')
    return Number.parseInt(digits, 16)
  }

  private number(path: string): number {
    NUMBER.lastIndex = this.pos
    const m = NUMBER.exec(this.text)
    if (!m) throw this.syntax('syntax', 'invalid number')
    this.pos += m[0].length
    const n = Number(m[0])
    if (!Number.isFinite(n)) {
      throw new Stop('payload_invalid', { location: path, code: 'range', message: 'number out of range' })
    }
    return n
  }

  private skipWs(): void {
    const t = this.text
    for (;;) {
      const c = t.charCodeAt(this.pos)
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return
      this.pos++
    }
  }

  private peek(): string {
    return this.text[this.pos] ?? ''
  }

  private expect(c: string): void {
    if (this.peek() !== c) throw this.syntax('syntax', `expected '${c}'`)
    this.pos++
  }

  private syntax(code: string, message: string): Stop {
    const before = this.text.slice(0, this.pos)
    const line = before.split('\n').length
    const column = this.pos - before.lastIndexOf('\n')
    return new Stop('payload_malformed', malformed(code, `${message} at line ${line}, column ${column}`))
  }
}

const LITERALS: ReadonlyArray<readonly [string, unknown]> = [
  ['true', true],
  ['false', false],
  ['null', null],
]
