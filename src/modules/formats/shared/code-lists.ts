/**
 * The protocol's shared code lists and event table (exchange-protocol-v1.md, "Shared code lists"
 * and "Case events") kept as data: one row per canonical value with each partner's code, so a
 * new partner is a new column, not new branches.
 */
import type { DeliveryMethod, EventType, IdType, Mode, ResultOutcome } from '../canonical.js'

export type Partner = 'conghua' | 'longmen'

export interface CodeEntry<C extends string> {
  canonical: C
  zh: string
  conghua: string
  longmen: string
}

export type CodeList<C extends string> = readonly CodeEntry<C>[]

export const ID_TYPE_CODES: CodeList<IdType> = [
  { canonical: 'resident_id', zh: '居民身份证', conghua: '111', longmen: '10' },
  { canonical: 'passport', zh: '护照', conghua: '414', longmen: '20' },
  { canonical: 'hk_macao_permit', zh: '港澳居民来往内地通行证', conghua: '516', longmen: '30' },
  { canonical: 'taiwan_permit', zh: '台湾居民来往大陆通行证', conghua: '511', longmen: '31' },
  { canonical: 'uscc', zh: '统一社会信用代码', conghua: '001', longmen: '49' },
]

export const MODE_CODES: CodeList<Mode> = [
  { canonical: 'online', zh: '全程网办', conghua: 'QCWB', longmen: '1' },
  { canonical: 'proxy', zh: '异地代收代办', conghua: 'DSDB', longmen: '2' },
  { canonical: 'joint', zh: '多地联办', conghua: 'DDLB', longmen: '3' },
]

export const DELIVERY_METHOD_CODES: CodeList<DeliveryMethod> = [
  { canonical: 'window', zh: '窗口领取', conghua: 'WINDOW', longmen: '1' },
  { canonical: 'mail', zh: '邮寄', conghua: 'MAIL', longmen: '2' },
  { canonical: 'online', zh: '电子送达', conghua: 'ONLINE', longmen: '3' },
]

export const RESULT_OUTCOME_CODES: CodeList<ResultOutcome> = [
  { canonical: 'approved', zh: '准予/出证', conghua: '0', longmen: '1' },
  { canonical: 'denied', zh: '不予许可', conghua: '1', longmen: '2' },
  { canonical: 'voided', zh: '作废', conghua: '2', longmen: '3' },
  { canonical: 'transferred', zh: '转报', conghua: '4', longmen: '4' },
]

/** Conghua `StatusCode`, Longmen `zt`. */
export const EVENT_CODES: CodeList<EventType> = [
  { canonical: 'received', zh: '已接件', conghua: '01', longmen: 'JJ' },
  { canonical: 'accepted', zh: '已受理', conghua: '03', longmen: 'SL' },
  { canonical: 'rejected', zh: '不予受理', conghua: '04', longmen: 'BSL' },
  { canonical: 'correction_requested', zh: '补正告知', conghua: '06', longmen: 'BZGZ' },
  { canonical: 'correction_submitted', zh: '补正提交', conghua: '07', longmen: 'BZTJ' },
  { canonical: 'in_process', zh: '办理中', conghua: '08', longmen: 'BL' },
  { canonical: 'suspended', zh: '特别程序开始', conghua: '09', longmen: 'TBKS' },
  { canonical: 'resumed', zh: '特别程序结束', conghua: '10', longmen: 'TBJS' },
  { canonical: 'concluded', zh: '办结', conghua: '11', longmen: 'BJ' },
  { canonical: 'delivered', zh: '已送达', conghua: '12', longmen: 'SD' },
  { canonical: 'withdrawn', zh: '撤回', conghua: '13', longmen: 'CH' },
]

/** Canonical event → its Chinese name, as written in Conghua `StatusName` / Longmen `ztmc`. */
export const EVENT_NAMES_ZH: Readonly<Record<EventType, string>> = Object.freeze(
  Object.fromEntries(EVENT_CODES.map((e) => [e.canonical, e.zh])) as Record<EventType, string>,
)

/** The canonical value of a partner's code, or undefined when the code is not in the list. */
export function toCanonical<C extends string>(
  list: CodeList<C>,
  partner: Partner,
  code: string,
): C | undefined {
  return list.find((e) => e[partner] === code)?.canonical
}

/** A canonical value's code in the partner's format. Lists are complete, so this always finds one. */
export function fromCanonical<C extends string>(list: CodeList<C>, partner: Partner, value: C): string {
  const entry = list.find((e) => e.canonical === value)
  if (!entry) throw new Error(`no ${partner} code for ${value}`)
  return entry[partner]
}

/** The partner's codes of a list, e.g. for an error message or a schema enumeration. */
export function codesOf<C extends string>(list: CodeList<C>, partner: Partner): string[] {
  return list.map((e) => e[partner])
}
