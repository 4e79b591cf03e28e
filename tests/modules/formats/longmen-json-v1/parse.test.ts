import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { EVENT_TYPES } from '../../../../src/modules/formats/canonical.js'
import { longmenJsonV1 as format } from '../../../../src/modules/formats/longmen-json-v1/index.js'
import { EVENT_CODES, fromCanonical } from '../../../../src/modules/formats/shared/code-lists.js'
import { EVENT_RULES } from '../../../../src/modules/formats/shared/event-rules.js'

const CONTRACTS = new URL('../../../../contracts/longmen-json-v1/', import.meta.url)
const sample = (name: string) => JSON.parse(readFileSync(new URL(`samples/valid/${name}`, CONTRACTS), 'utf8'))
const bytes = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v))
const caseWith = (patch: Record<string, unknown>) =>
  format.parseCase(bytes({ ...sample('case-person-mail.json'), ...patch }))
const errorsOf = (r: ReturnType<typeof format.parseCase> | ReturnType<typeof format.parseStatus>) =>
  r.ok ? [] : r.errors.map((e) => [e.location, e.code])

describe('longmen-json-v1 times', () => {
  const at = (sjsj: string) => {
    const r = caseWith({ sjsj })
    return r.ok ? r.value.receivedAt : errorsOf(r)
  }

  it('reads yyyyMMddHHmmss as Beijing time', () => {
    expect(at('20261231235959')).toBe('2026-12-31T23:59:59+08:00')
    expect(at('20240229000000')).toBe('2024-02-29T00:00:00+08:00')
    expect(at('20000229120000')).toBe('2000-02-29T12:00:00+08:00')
  })

  it('refuses impossible dates and times as date, other shapes as format', () => {
    expect(at('20250229120000')).toEqual([['/sjsj', 'date']])
    expect(at('21000229120000')).toEqual([['/sjsj', 'date']])
    expect(at('20261128126000')).toEqual([['/sjsj', 'date']])
    expect(at('20261128123060')).toEqual([['/sjsj', 'date']])
    expect(at('20261300000000')).toEqual([['/sjsj', 'date']])
    expect(at('2026112809300')).toEqual([['/sjsj', 'format']])
    expect(at(' 20261128093000')).toEqual([['/sjsj', 'format']])
    expect(at('２０２６１１２８０９３０００')).toEqual([['/sjsj', 'format']])
    expect(at('20261128093000+0800')).toEqual([['/sjsj', 'format']])
  })

  it('refuses a time written as a number', () => {
    expect(errorsOf(caseWith({ sjsj: 20261128093000 }))).toEqual([['/sjsj', 'type']])
  })
})

describe('longmen-json-v1 case rules', () => {
  it('takes any JSON whitespace between tokens but keeps values verbatim', () => {
    const text = JSON.stringify(sample('case-org-window.json'), null, '\t').replaceAll('\n', '\r\n')
    expect(format.parseCase(bytes(text)).ok).toBe(true)
    const r = caseWith({ sxmc: ' 内地居民婚姻登记 ' })
    expect(r.ok && r.value.itemName).toBe(' 内地居民婚姻登记 ')
  })

  it('refuses a blank optional text as format and null as type', () => {
    expect(errorsOf(caseWith({ bz: '' }))).toEqual([['/bz', 'format']])
    expect(errorsOf(caseWith({ bz: null }))).toEqual([['/bz', 'type']])
  })

  it('accepts an integral number written with a fraction or exponent (JSON has one number type)', () => {
    const doc = sample('case-org-window.json')
    const size = doc.cl[0].wj.dx as number
    const text = JSON.stringify(doc).replace(`"dx":${size}`, `"dx":${size}.0`)
    expect(format.parseCase(bytes(text)).ok).toBe(true)
  })

  it('refuses form field names that shadow Object.prototype members', () => {
    expect(errorsOf(caseWith({ bd: { toString: 'x', valueOf: 'y' } }))).toEqual([
      ['/bd/toString', 'not_allowed'],
      ['/bd/valueOf', 'not_allowed'],
    ])
  })

  it('accepts sdxx with window delivery and checks its mobile', () => {
    const doc = sample('case-org-window.json')
    const r = format.parseCase(bytes({ ...doc, sdxx: { sjr: '赵六' } }))
    expect(r.ok && r.value.delivery).toEqual({ method: 'window', recipient: '赵六' })
    expect(errorsOf(format.parseCase(bytes({ ...doc, sdxx: { dh: '138' } })))).toEqual([
      ['/sdxx/dh', 'format'],
    ])
  })

  it('reads a case document with no prototype tricks into plain canonical objects', () => {
    const r = format.parseCase(bytes(sample('case-person-mail.json')))
    expect(r.ok).toBe(true)
    if (r.ok) expect(Object.getPrototypeOf(r.value.form)).toBe(Object.prototype)
  })
})

describe('longmen-json-v1 status rules', () => {
  const base = sample('status-received.json')
  const minimal: Record<string, Record<string, unknown>> = {
    accepted: { cnbjrq: '20261210' },
    rejected: { yj: '理由' },
    correction_requested: { yj: '理由', bz: [{ clbm: 'M02', clmc: '户口簿' }] },
    correction_submitted: { cl: sample('status-correction-submitted.json').cl },
    suspended: { yj: '理由' },
    concluded: { bjjg: { dm: '1' } },
  }
  const status = (type: (typeof EVENT_TYPES)[number], patch: Record<string, unknown> = {}) => ({
    ...base,
    zt: fromCanonical(EVENT_CODES, 'longmen', type),
    ...minimal[type],
    ...patch,
  })

  it.each(EVENT_TYPES)('%s: dfbh required only on handler-only events', (type) => {
    const { dfbh: _omit, ...withoutPeer } = status(type)
    const r = format.parseStatus(bytes(withoutPeer))
    if (EVENT_RULES[type].sentBy === 'handler') expect(errorsOf(r)).toEqual([['/dfbh', 'required']])
    else expect(r.ok).toBe(true)
  })

  it.each(EVENT_TYPES)('%s: yj (opinion) is allowed', (type) => {
    const r = format.parseStatus(bytes(status(type, { yj: '意见' })))
    expect(r.ok && r.value.reason).toBe('意见')
  })

  it('does not compare ztmc with zt (informative) but wants it to be text', () => {
    expect(format.parseStatus(bytes(status('received', { ztmc: '已受理' }))).ok).toBe(true)
    expect(errorsOf(format.parseStatus(bytes(status('received', { ztmc: 1 }))))).toEqual([['/ztmc', 'type']])
  })

  it('bounds xh to a positive 32-bit integer', () => {
    expect(format.parseStatus(bytes(status('received', { xh: 2147483647 }))).ok).toBe(true)
    expect(errorsOf(format.parseStatus(bytes(status('received', { xh: 2147483648 }))))).toEqual([
      ['/xh', 'format'],
    ])
    expect(errorsOf(format.parseStatus(bytes(status('received', { xh: -1 }))))).toEqual([['/xh', 'format']])
  })

  it('refuses a forbidden part without reading its content', () => {
    const r = format.parseStatus(bytes(status('received', { bjjg: { dm: '9', extra: 1 } })))
    expect(errorsOf(r)).toEqual([['/bjjg', 'not_allowed']])
  })

  it('does not ask for a reason when an unreadable result hides the outcome', () => {
    const r = format.parseStatus(bytes(status('concluded', { bjjg: { dm: '9' } })))
    expect(errorsOf(r)).toEqual([['/bjjg/dm', 'enum']])
  })

  it('reads a case document as a status only to refuse it', () => {
    const r = format.parseStatus(bytes(sample('case-org-window.json')))
    expect(r.ok).toBe(false)
    expect(errorsOf(r)).toContainEqual(['/sxbm', 'unknown'])
  })
})
