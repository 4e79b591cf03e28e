import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { checkMaterialFile, isStandardBase64 } from '../../../../src/modules/formats/shared/material-file.js'

const bytes = Buffer.from('hello, 从化\n')
const content = bytes.toString('base64')
const sha256 = createHash('sha256').update(bytes).digest('hex')
const at = (field: string) => `/f/${field}`

describe('checkMaterialFile', () => {
  it('accepts matching size, digest and content', () => {
    expect(checkMaterialFile({ size: bytes.length, sha256, content }, at)).toEqual([])
  })
  it('reports a size mismatch', () => {
    const errors = checkMaterialFile({ size: bytes.length + 1, sha256, content }, at)
    expect(errors.map((e) => [e.location, e.code])).toEqual([['/f/size', 'size_mismatch']])
  })
  it('reports a digest mismatch, including an upper-case digest', () => {
    for (const bad of [sha256.replace(/^./, sha256[0] === '0' ? '1' : '0'), sha256.toUpperCase()]) {
      const errors = checkMaterialFile({ size: bytes.length, sha256: bad, content }, at)
      expect(errors.map((e) => [e.location, e.code])).toEqual([['/f/sha256', 'sha256_mismatch']])
    }
  })
  it('reports both mismatches at once', () => {
    const errors = checkMaterialFile({ size: 1, sha256: '0'.repeat(64), content }, at)
    expect(errors.map((e) => e.code)).toEqual(['size_mismatch', 'sha256_mismatch'])
  })
  it('reports bad base64 only, without comparing size or digest', () => {
    const errors = checkMaterialFile({ size: 1, sha256: 'x', content: 'not base64!' }, at)
    expect(errors.map((e) => [e.location, e.code])).toEqual([['/f/content', 'base64']])
  })
})

describe('isStandardBase64', () => {
  it('handles a file of several megabytes without exhausting the regexp stack', () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 7).toString('base64')
    expect(isStandardBase64(big)).toBe(true)
    expect(isStandardBase64(`${big.slice(0, -4)}A A=`)).toBe(false)
  })
  it.each(['', 'QQ==', 'QUI=', 'QUJD', 'a+/9'])('accepts %j', (s) => expect(isStandardBase64(s)).toBe(true))
  it.each([
    ['missing padding', 'QQ'],
    ['url-safe alphabet', 'a-_9'],
    ['whitespace', 'QU JD'],
    ['line break', 'QUJD\nQUJD'],
    ['padding in the middle', 'QQ==QUJD'],
    ['three pad chars', 'Q==='],
    ['only padding', '===='],
    ['length not a multiple of 4', 'QUJDR'],
    ['non-canonical trailing bits', 'QR=='],
  ])('refuses %s', (_why, s) => expect(isStandardBase64(s)).toBe(false))
})
