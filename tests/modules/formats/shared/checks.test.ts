import { describe, expect, it } from 'vitest'
import {
  isValidCaseNo,
  isValidDate,
  isValidMobile,
  isValidResidentId,
  isValidUscc,
} from '../../../../src/modules/formats/shared/checks.js'

describe('isValidResidentId', () => {
  it.each(['11010519491231002X', '44023319900101123X', '440115198512030018'])('accepts %s', (id) => {
    expect(isValidResidentId(id)).toBe(true)
  })
  it.each([
    ['wrong check char', '110105194912310021'],
    ['lower-case x', '11010519491231002x'],
    ['17 chars', '11010519491231002'],
    ['19 chars', '11010519491231002XX'],
    ['letter in body', '1101051949123100AX'],
    ['impossible birth date', '110105194902300028'],
    ['empty', ''],
  ])('refuses %s', (_why, id) => {
    expect(isValidResidentId(id)).toBe(false)
  })
})

describe('isValidUscc', () => {
  it('accepts a real code', () => {
    expect(isValidUscc('91350100M000100Y43')).toBe(true)
  })
  it.each([
    ['wrong check char', '91350100M000100Y44'],
    ['letter I (not in the alphabet)', '91350100M000100I43'],
    ['lower case', '91350100m000100y43'],
    ['letter in the region code', '913501A0M000100Y43'],
    ['17 chars', '91350100M000100Y4'],
    ['empty', ''],
  ])('refuses %s', (_why, code) => {
    expect(isValidUscc(code)).toBe(false)
  })
})

describe('isValidMobile', () => {
  it('accepts 11 digits starting with 1', () => expect(isValidMobile('13800138000')).toBe(true))
  it.each(['23800138000', '1380013800', '138001380000', '1380013800a', '+8613800138000'])('refuses %s', (m) =>
    expect(isValidMobile(m)).toBe(false),
  )
})

describe('isValidCaseNo', () => {
  it.each(['CH20261128000123', 'XF-2026-000481', 'a', 'A'.repeat(40)])('accepts %s', (c) =>
    expect(isValidCaseNo(c)).toBe(true),
  )
  it.each(['', 'A'.repeat(41), 'CH 1', 'CH_1', 'CH/1', '从化1'])('refuses %j', (c) =>
    expect(isValidCaseNo(c)).toBe(false),
  )
})

describe('isValidDate', () => {
  it.each(['2026-12-10', '2024-02-29', '2000-02-29'])('accepts %s', (d) => expect(isValidDate(d)).toBe(true))
  it.each([
    '2026-02-30',
    '2025-02-29',
    '1900-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-1-10',
    '20261210',
    '',
  ])('refuses %j', (d) => expect(isValidDate(d)).toBe(false))
})
