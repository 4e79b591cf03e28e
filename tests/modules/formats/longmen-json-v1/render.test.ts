import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { CanonicalCase, CanonicalStatus } from '../../../../src/modules/formats/canonical.js'
import { longmenJsonV1 as format } from '../../../../src/modules/formats/longmen-json-v1/index.js'
import { EVENT_NAMES_ZH } from '../../../../src/modules/formats/shared/code-lists.js'

const CONTRACTS = new URL('../../../../contracts/longmen-json-v1/', import.meta.url)
const expected = (name: string) => JSON.parse(readFileSync(new URL(`expected/${name}`, CONTRACTS), 'utf8'))
const names = readdirSync(new URL('expected/', CONTRACTS))
const caseNames = names.filter((n) => n.startsWith('case-'))
const statusNames = names.filter((n) => n.startsWith('status-'))
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes)
const personMail = (): CanonicalCase => expected('case-person-mail.json')

describe('longmen-json-v1 render', () => {
  it.each(caseNames)('round-trips %s through render and parse', (name) => {
    const value = expected(name) as CanonicalCase
    expect(format.parseCase(format.renderCase(value))).toEqual({ ok: true, value })
  })

  it.each(statusNames)('round-trips %s through render and parse', (name) => {
    const value = expected(name) as CanonicalStatus
    expect(format.parseStatus(format.renderStatus(value))).toEqual({ ok: true, value })
  })

  it('writes compact JSON with members in the order of the spec', () => {
    const out = text(format.renderCase(personMail()))
    expect(out).not.toMatch(/\n|": |, "/)
    const doc = JSON.parse(out)
    expect(Object.keys(doc)).toEqual([
      'bjbh',
      'sxbm',
      'sxmc',
      'blms',
      'sjsj',
      'sjck',
      'sjr',
      'sqr',
      'dbr',
      'bd',
      'cl',
      'sdfs',
      'sdxx',
      'bz',
    ])
    expect(Object.keys(doc.sqr)).toEqual(['lx', 'xm', 'zjlx', 'zjhm', 'sjhm', 'dz'])
    expect(Object.keys(doc.cl[0])).toEqual(['clbm', 'clmc', 'yj', 'wj'])
    expect(Object.keys(doc.cl[0].wj)).toEqual(['mc', 'lx', 'dx', 'sha256', 'nr'])
    expect(typeof doc.cl[0].wj.dx).toBe('number')
    expect(out).toContain('"xm":"张三"') // UTF-8, not \u escapes
  })

  it('renders the same bytes for the same case whatever the form key order', () => {
    const a = personMail()
    const b = { ...personMail(), form: Object.fromEntries(Object.entries(a.form ?? {}).reverse()) }
    expect(Buffer.from(format.renderCase(a)).equals(Buffer.from(format.renderCase(b)))).toBe(true)
    expect(Buffer.from(format.renderCase(a)).equals(Buffer.from(format.renderCase(personMail())))).toBe(true)
  })

  it('drops what Longmen cannot carry: window code and clerk id', () => {
    const value = {
      ...personMail(),
      window: { code: 'XF-01', name: '窗口' },
      clerk: { name: '王五', id: 'C7' },
    }
    const out = text(format.renderCase(value))
    expect(out).not.toContain('XF-01')
    expect(out).not.toContain('C7')
    const back = format.parseCase(format.renderCase(value))
    expect(back.ok && back.value.window).toEqual({ name: '窗口' })
    expect(back.ok && back.value.clerk).toEqual({ name: '王五' })
  })

  it('keeps a __proto__ form field as data when rendering a canonical form that has one', () => {
    const form = JSON.parse('{"__proto__":"x","a":"b"}') as Record<string, string>
    const doc = JSON.parse(text(format.renderCase({ ...personMail(), form })))
    expect(Object.keys(doc.bd)).toEqual(['__proto__', 'a'])
  })

  it('writes times in Beijing digits whatever the canonical offset, dropping milliseconds', () => {
    const at = (receivedAt: string) =>
      JSON.parse(text(format.renderCase({ ...personMail(), receivedAt }))).sjsj
    expect(at('2026-11-28T09:30:00+08:00')).toBe('20261128093000')
    expect(at('2026-11-28T01:30:00Z')).toBe('20261128093000')
    expect(at('2026-12-31T16:00:00.999Z')).toBe('20270101000000')
    expect(at('2026-03-01T07:59:59-00:30')).toBe('20260301162959')
    expect(() => at('2026-11-28 09:30')).toThrow()
  })

  it('writes ztmc from the protocol event names and the promised date as yyyyMMdd', () => {
    const status = expected('status-accepted.json') as CanonicalStatus
    for (const type of Object.keys(EVENT_NAMES_ZH) as CanonicalStatus['type'][]) {
      const doc = JSON.parse(text(format.renderStatus({ ...status, type })))
      expect(doc.ztmc).toBe(EVENT_NAMES_ZH[type])
    }
    const doc = JSON.parse(text(format.renderStatus(status)))
    expect(doc.cnbjrq).toBe('20261210')
    expect(Object.keys(doc)).toEqual([
      'bjbh',
      'dfbh',
      'xh',
      'zt',
      'ztmc',
      'fssj',
      'blbm',
      'blr',
      'yj',
      'cnbjrq',
    ])
  })

  it('omits empty lists and absent options in a status', () => {
    const status: CanonicalStatus = {
      caseNo: 'LM1',
      seq: 1,
      type: 'withdrawn',
      occurredAt: '2026-11-28T12:00:00+08:00',
      correction: [],
      materials: [],
    }
    expect(text(format.renderStatus(status))).toBe(
      '{"bjbh":"LM1","xh":1,"zt":"CH","ztmc":"撤回","fssj":"20261128120000"}',
    )
  })
})
