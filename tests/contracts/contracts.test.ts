/**
 * The one table-driven contract test: every format folder under contracts/ that has samples is
 * run against the format of the same id in the registry. Valid samples must parse to their
 * expected canonical JSON and survive render → parse unchanged; invalid samples must fail with
 * the expected code and include every expected located error.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FieldError } from '../../src/lib/errors.js'
import type { ParseResult, PartnerFormat } from '../../src/modules/formats/canonical.js'
import { getFormat } from '../../src/modules/formats/registry.js'

const CONTRACTS = join(import.meta.dirname, '../../contracts')

interface InvalidExpectation {
  code: 'payload_invalid' | 'payload_malformed'
  errors: Pick<FieldError, 'location' | 'code'>[]
}

const folders = readdirSync(CONTRACTS, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(CONTRACTS, d.name, 'samples')))
  .map((d) => d.name)

const listSamples = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir).filter((f) => /^(case|status)-.+\.(xml|json)$/.test(f) && f !== 'expected.json')
    : []

function parse(format: PartnerFormat, file: string, bytes: Uint8Array): ParseResult<unknown> {
  return file.startsWith('case-') ? format.parseCase(bytes) : format.parseStatus(bytes)
}

function render(format: PartnerFormat, file: string, value: unknown): Uint8Array {
  // biome-ignore lint/suspicious/noExplicitAny: the sample's prefix says which canonical type it is
  return file.startsWith('case-') ? format.renderCase(value as any) : format.renderStatus(value as any)
}

it('finds at least one contract folder', () => {
  expect(folders.length).toBeGreaterThan(0)
})

describe.each(folders)('%s', (folder) => {
  const base = join(CONTRACTS, folder)
  const format = getFormat(folder)

  it('has a format registered under the folder name', () => {
    expect(format?.id).toBe(folder)
  })

  const valid = listSamples(join(base, 'samples/valid'))
  describe.runIf(valid.length > 0)('valid samples', () => {
    it.each(valid)('%s', (file) => {
      const bytes = readFileSync(join(base, 'samples/valid', file))
      const expected = JSON.parse(
        readFileSync(join(base, 'expected', file.replace(/\.\w+$/, '.json')), 'utf8'),
      )
      const parsed = parse(format!, file, bytes)
      expect(parsed).toEqual({ ok: true, value: expected })
      const again = parse(format!, file, render(format!, file, expected))
      expect(again).toEqual({ ok: true, value: expected })
    })
  })

  const invalidDir = join(base, 'samples/invalid')
  const invalid = listSamples(invalidDir)
  const expectations: Record<string, InvalidExpectation> = existsSync(join(invalidDir, 'expected.json'))
    ? JSON.parse(readFileSync(join(invalidDir, 'expected.json'), 'utf8'))
    : {}
  describe.runIf(invalid.length > 0)('invalid samples', () => {
    it('lists an expectation for every invalid sample, and a sample for every expectation', () => {
      expect(Object.keys(expectations).sort()).toEqual([...invalid].sort())
    })
    it.each(invalid)('%s', (file) => {
      const want = expectations[file]
      expect(want, `no expectation for ${file}`).toBeDefined()
      const parsed = parse(format!, file, readFileSync(join(invalidDir, file)))
      expect(parsed.ok).toBe(false)
      if (parsed.ok) return
      expect(parsed.code).toBe(want!.code)
      const got = parsed.errors.map((e) => ({ location: e.location, code: e.code }))
      for (const e of want!.errors) expect(got).toContainEqual(e)
      for (const e of parsed.errors) expect(typeof e.message).toBe('string')
    })
  })
})

describe('hostile depth', () => {
  it.each(folders.filter((f) => getFormat(f)?.cty === 'xml'))(
    '%s refuses 10,000-deep nesting without overflowing',
    (f) => {
      const deep = `<DelegatedCase xmlns="urn:x">${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</DelegatedCase>`
      const parsed = getFormat(f)!.parseCase(new TextEncoder().encode(deep))
      expect(parsed).toMatchObject({ ok: false, code: 'payload_invalid' })
    },
  )
})
