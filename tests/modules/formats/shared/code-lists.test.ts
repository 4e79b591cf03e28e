import { describe, expect, it } from 'vitest'
import {
  DELIVERY_METHODS,
  EVENT_TYPES,
  ID_TYPES,
  MODES,
  RESULT_OUTCOMES,
} from '../../../../src/modules/formats/canonical.js'
import {
  DELIVERY_METHOD_CODES,
  EVENT_CODES,
  EVENT_NAMES_ZH,
  fromCanonical,
  ID_TYPE_CODES,
  MODE_CODES,
  RESULT_OUTCOME_CODES,
  toCanonical,
} from '../../../../src/modules/formats/shared/code-lists.js'

const lists = [
  ['id types', ID_TYPE_CODES, ID_TYPES],
  ['modes', MODE_CODES, MODES],
  ['delivery methods', DELIVERY_METHOD_CODES, DELIVERY_METHODS],
  ['result outcomes', RESULT_OUTCOME_CODES, RESULT_OUTCOMES],
  ['events', EVENT_CODES, EVENT_TYPES],
] as const

describe.each(lists)('%s', (_name, list, canonical) => {
  it('covers every canonical value exactly once', () => {
    expect(list.map((e) => e.canonical).sort()).toEqual([...canonical].sort())
  })
  it.each(['conghua', 'longmen'] as const)('has distinct %s codes that round-trip', (partner) => {
    const codes = list.map((e) => e[partner])
    expect(new Set(codes).size).toBe(codes.length)
    for (const value of canonical) {
      // biome-ignore lint/suspicious/noExplicitAny: the tuple mixes list element types
      const code = fromCanonical(list as any, partner, value)
      expect(toCanonical(list, partner, code)).toBe(value)
    }
  })
})

describe('lookups', () => {
  it('maps the protocol table rows', () => {
    expect(toCanonical(ID_TYPE_CODES, 'conghua', '111')).toBe('resident_id')
    expect(toCanonical(ID_TYPE_CODES, 'longmen', '49')).toBe('uscc')
    expect(fromCanonical(EVENT_CODES, 'conghua', 'concluded')).toBe('11')
    expect(fromCanonical(EVENT_CODES, 'longmen', 'correction_submitted')).toBe('BZTJ')
    expect(toCanonical(RESULT_OUTCOME_CODES, 'conghua', '4')).toBe('transferred')
    expect(EVENT_NAMES_ZH.suspended).toBe('特别程序开始')
  })
  it('returns undefined for unknown codes, including prototype names', () => {
    for (const code of ['999', '', '__proto__', 'constructor', 'toString']) {
      expect(toCanonical(ID_TYPE_CODES, 'conghua', code)).toBeUndefined()
    }
  })
})
