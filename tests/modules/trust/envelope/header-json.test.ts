import { describe, expect, it } from 'vitest'
import { findDuplicateMember, parseHeaderJson } from '../../../../src/modules/trust/envelope/header-json.js'

const bytes = (s: string) => Buffer.from(s, 'utf8')

describe('findDuplicateMember', () => {
  it.each([
    ['{"a":1,"a":2}', 'a'],
    ['{"a":1,"\\u0061":2}', 'a'],
    ['{"x":{"b":1,"b":2}}', 'b'],
    ['[{"c":1},{"d":{"e":[1,{"f":0,"f":1}]}}]', 'f'],
    ['{"a":{},"a":[]}', 'a'],
  ])('%s → %s', (json, dup) => {
    expect(findDuplicateMember(json)).toBe(dup)
  })

  it.each([
    ['{"a":"a","b":["a","a"]}'],
    ['{"a":{"a":{"a":1}}}'],
    ['[{"a":1},{"a":2}]'],
    ['{"a\\"":1,"a":2}'],
    ['{"k":"x,\\"y\\":1","y":2}'],
    ['{ "a" : 1 , "b" : { } , "c" : [ ] }'],
  ])('%s has none', (json) => {
    expect(findDuplicateMember(json)).toBeUndefined()
  })
})

describe('parseHeaderJson', () => {
  it('refuses non-objects, invalid UTF-8, a BOM and duplicates', () => {
    expect(parseHeaderJson(bytes('{"alg":"ES256"}'))).toEqual({ ok: true, value: { alg: 'ES256' } })
    for (const input of [bytes('[]'), bytes('null'), bytes('"x"'), new Uint8Array([0x7b, 0xff, 0x7d])]) {
      expect(parseHeaderJson(input).ok).toBe(false)
    }
    expect(parseHeaderJson(bytes('\uFEFF{"alg":"ES256"}')).ok).toBe(false)
    expect(parseHeaderJson(bytes('{"alg":"ES256","alg":"none"}'))).toMatchObject({
      ok: false,
      reason: /duplicate/,
    })
  })
})
