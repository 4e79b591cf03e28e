import { describe, expect, it } from 'vitest'
import { joinPointer, parseStrictJson, pointerToken } from '../../src/lib/strict-json.js'

const enc = (s: string) => new TextEncoder().encode(s)
const parse = (s: string, opts?: Parameters<typeof parseStrictJson>[1]) => parseStrictJson(enc(s), opts)

function failure(s: string | Uint8Array, opts?: Parameters<typeof parseStrictJson>[1]) {
  const r = typeof s === 'string' ? parse(s, opts) : parseStrictJson(s, opts)
  if (r.ok) throw new Error(`expected a failure for ${String(s).slice(0, 40)}`)
  return r
}

describe('parseStrictJson: values', () => {
  it('reads every JSON value kind and keeps key order', () => {
    const r = parse(' {"b":[1,-2.5e3,0.25,true,false,null],"a":"x\\u00e9\\n\\"\\/","c":{}} ')
    expect(r).toEqual({ ok: true, value: { b: [1, -2500, 0.25, true, false, null], a: 'xé\n"/', c: {} } })
    if (r.ok) expect(Object.keys(r.value as object)).toEqual(['b', 'a', 'c'])
  })

  it('reads scalars at the root and raw UTF-8 text', () => {
    expect(parse('"龙门县"')).toEqual({ ok: true, value: '龙门县' })
    expect(parse('0')).toEqual({ ok: true, value: 0 })
    expect(parse('[]')).toEqual({ ok: true, value: [] })
  })

  it('joins escaped surrogate pairs and refuses lone surrogates', () => {
    expect(parse('"\\ud83d\\ude00"')).toEqual({ ok: true, value: '😀' })
    expect(failure('"\\ud83d"').code).toBe('payload_malformed')
    expect(failure('"\\ude00"').code).toBe('payload_malformed')
    expect(failure('"\\ud83dx"').code).toBe('payload_malformed')
  })

  it('builds objects whose prototype keys are plain data', () => {
    const r = parse('{"__proto__":{"polluted":1},"constructor":"c","hasOwnProperty":"h"}')
    expect(r.ok).toBe(true)
    const v = (r as { value: Record<string, unknown> }).value
    expect(Object.getPrototypeOf(v)).toBeNull()
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor', 'hasOwnProperty'])
    expect(Object.getOwnPropertyDescriptor(v, '__proto__')?.value).toEqual({ polluted: 1 })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('parseStrictJson: malformed', () => {
  it.each([
    ['empty', ''],
    ['only whitespace', ' \n\t '],
    ['two values', '{} {}'],
    ['trailing junk', '{"a":1}x'],
    ['trailing comma in array', '[1,]'],
    ['trailing comma in object', '{"a":1,}'],
    ['missing comma', '[1 2]'],
    ['single quotes', "{'a':1}"],
    ['unquoted key', '{a:1}'],
    ['leading zero', '01'],
    ['leading plus', '+1'],
    ['bare dot', '1.'],
    ['NaN', 'NaN'],
    ['unterminated string', '"abc'],
    ['raw control character', '"a\u0001b"'],
    ['raw newline in string', '"a\nb"'],
    ['bad escape', '"\\x41"'],
    ['short unicode escape', '"\\u12"'],
    ['unclosed object', '{"a":1'],
    ['unclosed array', '[[1]'],
    ['comment', '{"a":1 /* c */}'],
    ['non-JSON whitespace', '\u00a0{}'],
  ])('%s', (_name, text) => {
    const r = failure(text)
    expect(r.code).toBe('payload_malformed')
    expect(r.errors[0]?.location).toBe('')
  })

  it('names empty input and trailing content', () => {
    expect(failure('').errors[0]?.code).toBe('empty')
    expect(failure('1 2').errors[0]?.code).toBe('trailing')
    expect(failure('[1 2]').errors[0]?.message).toMatch(/line 1, column 4/)
  })

  it('refuses invalid UTF-8 and a byte-order mark', () => {
    expect(failure(new Uint8Array([0x22, 0xc3, 0x28, 0x22])).errors[0]?.code).toBe('encoding')
    expect(failure(new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22])).errors[0]?.code).toBe('encoding')
    expect(failure(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d])).code).toBe('payload_malformed')
  })
})

describe('parseStrictJson: invalid', () => {
  it('reports every duplicate key with its pointer', () => {
    const r = failure('{"a":1,"b":{"c/d":1,"c/d":2},"a":3,"e~f":[{"x":1,"x":1}],"e~f":0}')
    expect(r.code).toBe('payload_invalid')
    expect(r.errors.map((e) => [e.location, e.code])).toEqual([
      ['/b/c~1d', 'duplicate'],
      ['/a', 'duplicate'],
      ['/e~0f/0/x', 'duplicate'],
      ['/e~0f', 'duplicate'],
    ])
  })

  it('still reports malformed text after a duplicate as malformed', () => {
    expect(failure('{"a":1,"a":2').code).toBe('payload_malformed')
  })

  it('bounds depth without recursing into 10,000 levels', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`
    const r = failure(deep)
    expect(r).toMatchObject({ code: 'payload_invalid', errors: [{ code: 'depth' }] })
    expect(r.errors[0]?.location).toBe('/0'.repeat(32))
    const unclosed = failure('{"a":'.repeat(10_000))
    expect(unclosed.errors[0]?.location).toBe('/a'.repeat(32))
  })

  it('allows exactly maxDepth levels', () => {
    expect(parse(`${'['.repeat(32)}${']'.repeat(32)}`).ok).toBe(true)
    expect(failure(`${'['.repeat(33)}${']'.repeat(33)}`).errors[0]?.code).toBe('depth')
    expect(parse('[[1]]', { maxDepth: 2 }).ok).toBe(true)
    expect(failure('[[[1]]]', { maxDepth: 2 }).errors[0]).toMatchObject({ location: '/0/0', code: 'depth' })
  })

  it('bounds the node count', () => {
    expect(parse('[1,2,3]', { maxNodes: 4 }).ok).toBe(true)
    expect(failure('[1,2,3,4]', { maxNodes: 4 }).errors[0]).toMatchObject({ location: '/3', code: 'nodes' })
  })

  it('refuses numbers that overflow to Infinity', () => {
    expect(failure('{"n":1e400}').errors[0]).toMatchObject({ location: '/n', code: 'range' })
    expect(failure('-1e999').code).toBe('payload_invalid')
    expect(parse('1e308')).toEqual({ ok: true, value: 1e308 })
  })
})

describe('JSON Pointer tokens', () => {
  it('escapes ~ before /', () => {
    expect(pointerToken('a/b~c')).toBe('a~1b~0c')
    expect(pointerToken('~1')).toBe('~01')
    expect(joinPointer('', '')).toBe('/')
    expect(joinPointer('/cl', 0)).toBe('/cl/0')
  })
})
