/** The readable lines the simulator prints, in Chinese and English. */
import type { CanonicalCase, CanonicalStatus } from '../modules/formats/canonical.js'
import {
  DELIVERY_METHOD_CODES,
  EVENT_CODES,
  fromCanonical,
  RESULT_OUTCOME_CODES,
} from '../modules/formats/shared/code-lists.js'
import type { PartnerProfile } from './partners.js'

export type Print = (line: string) => void

export const stdoutPrint: Print = (line) => {
  process.stdout.write(`${line}\n`)
}

const tag = (p: PartnerProfile) => `[${p.shortZh}]`
const pad = (p: PartnerProfile) => ' '.repeat(tag(p).length + 2)

const EVENT_EN: Record<string, string> = {
  received: 'received',
  accepted: 'accepted',
  rejected: 'rejected',
  correction_requested: 'correction requested',
  correction_submitted: 'correction submitted',
  in_process: 'in process',
  suspended: 'suspended',
  resumed: 'resumed',
  concluded: 'concluded',
  delivered: 'delivered',
  withdrawn: 'withdrawn',
}

const zhOf = <C extends string>(list: readonly { canonical: C; zh: string }[], v: C) =>
  list.find((e) => e.canonical === v)?.zh ?? v

/** Two lines for one status event: `[龙门] 收到 XF-2026-000012 第2号事件 已受理 SL 承诺办结日期 2026-12-10`. */
export function describeStatus(
  p: PartnerProfile,
  verb: { zh: string; en: string },
  caseLabel: string,
  s: CanonicalStatus,
): string[] {
  const code = fromCanonical(EVENT_CODES, p.name, s.type)
  const zh = [`${tag(p)} ${verb.zh} ${caseLabel} 第${s.seq}号事件 ${zhOf(EVENT_CODES, s.type)} ${code}`]
  const en = [`${pad(p)}${verb.en} event #${s.seq} "${EVENT_EN[s.type]}" (${code}) on case ${caseLabel}`]
  if (s.promisedDate) {
    zh.push(`承诺办结日期 ${s.promisedDate}`)
    en.push(`promised date ${s.promisedDate}`)
  }
  if (s.result) {
    const r = s.result
    zh.push(`结果 ${zhOf(RESULT_OUTCOME_CODES, r.outcome)}${r.documentName ? ` ${r.documentName}` : ''}`)
    en.push(`result ${r.outcome}${r.documentName ? ` "${r.documentName}"` : ''}`)
    if (r.documentNo) {
      zh.push(`文号 ${r.documentNo}`)
      en.push(`no. ${r.documentNo}`)
    }
    if (r.waybill) {
      zh.push(`快递 ${r.waybill.carrier} ${r.waybill.number}`)
      en.push(`waybill ${r.waybill.carrier} ${r.waybill.number}`)
    }
  }
  if (s.correction?.length) {
    const items = s.correction.map((c) => `${c.code} ${c.name}`).join('、')
    zh.push(`需补正 ${items}`)
    en.push(`wants ${items}`)
  }
  if (s.materials?.length) {
    zh.push(`材料 ${s.materials.length} 份`)
    en.push(`${s.materials.length} material(s)`)
  }
  if (s.reason) {
    zh.push(`意见 ${s.reason}`)
    en.push(`opinion "${s.reason}"`)
  }
  return [zh.join(' '), en.join(', ')]
}

/** Two lines for a case: number, item, applicant, delivery. */
export function describeCase(
  p: PartnerProfile,
  verb: { zh: string; en: string },
  c: CanonicalCase,
  extra?: { zh: string; en: string },
): string[] {
  const delivery = fromCanonical(DELIVERY_METHOD_CODES, p.name, c.delivery.method)
  return [
    `${tag(p)} ${verb.zh}办件 ${c.caseNo} ${c.itemName}（${c.itemCode}）申请人 ${c.applicant.name} 送达方式 ${zhOf(DELIVERY_METHOD_CODES, c.delivery.method)} ${delivery}${extra ? ` ${extra.zh}` : ''}`,
    `${pad(p)}${verb.en} case ${c.caseNo}: ${c.itemName} (${c.itemCode}), applicant ${c.applicant.name}, delivery ${c.delivery.method}${extra ? `, ${extra.en}` : ''}`,
  ]
}

/** A line pair for anything else: `[龙门] 中文 / English`. */
export function note(p: PartnerProfile, zh: string, en: string): string[] {
  return [`${tag(p)} ${zh}`, `${pad(p)}${en}`]
}
