/**
 * Longmen status document (`typ: kytb-status`) → canonical status event. Which parts an event
 * may or must carry comes from the shared event table; this file only maps parts to pointers.
 */
import { joinPointer, parseStrictJson } from '../../../lib/strict-json.js'
import type { CanonicalStatus, CaseResult, CorrectionItem, ParseResult } from '../canonical.js'
import { isValidCaseNo } from '../shared/checks.js'
import { EVENT_CODES, RESULT_OUTCOME_CODES } from '../shared/code-lists.js'
import { checkStatusParts, EVENT_RULES, peerCaseNoRequired, type StatusPart } from '../shared/event-rules.js'
import { readMaterials } from './materials.js'
import { defined, longmenCodes, Reader } from './reader.js'

const STATUS_FIELDS = [
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
  'bz',
  'cl',
  'bjjg',
]
const CORRECTION_FIELDS = ['clbm', 'clmc', 'sm']
const RESULT_FIELDS = ['dm', 'mc', 'wh', 'kd']
const WAYBILL_FIELDS = ['gs', 'dh']

const EVENTS = longmenCodes(EVENT_CODES)
const OUTCOMES = longmenCodes(RESULT_OUTCOME_CODES)

/** Where each optional part of an event lives in a Longmen status document. */
const PART_KEYS: Record<StatusPart, string> = {
  reason: 'yj',
  promisedDate: 'cnbjrq',
  correction: 'bz',
  materials: 'cl',
  result: 'bjjg',
}

/** PostgreSQL `integer`: a larger sequence number is refused rather than overflowing later. */
export const MAX_SEQ = 2_147_483_647

export function parseStatus(bytes: Uint8Array): ParseResult<CanonicalStatus> {
  const json = parseStrictJson(bytes)
  if (!json.ok) return json
  const r = new Reader()
  const doc = r.record(json.value, '', STATUS_FIELDS)
  if (!doc) return r.refused()

  const caseNo = r.matching(doc, '', 'bjbh', isValidCaseNo)
  const peerCaseNo = r.matching(doc, '', 'dfbh', isValidCaseNo, false)
  const seq = r.integer(doc, '', 'xh', 1, MAX_SEQ)
  const type = r.code(doc, '', 'zt', EVENTS)
  r.text(doc, '', 'ztmc', false) // informative: any text, not compared with zt
  const occurredAt = r.time(doc, '', 'fssj')
  const dept = r.text(doc, '', 'blbm', false)
  const name = r.text(doc, '', 'blr', false)
  if (type && peerCaseNoRequired(type) && !Object.hasOwn(doc, 'dfbh')) {
    r.fail('/dfbh', 'required', `required on a ${type} event`)
  }

  // A part the event does not allow is refused as a whole; its content is not read.
  const readable = (part: StatusPart): boolean => {
    const key = PART_KEYS[part]
    if (!Object.hasOwn(doc, key)) return false
    if (type && EVENT_RULES[type].parts[part] === 'not_allowed') {
      r.fail(`/${key}`, 'not_allowed', `not allowed on a ${type} event`)
      return false
    }
    return true
  }
  const reason = readable('reason') ? r.text(doc, '', 'yj', false) : undefined
  const promisedDate = readable('promisedDate') ? r.date(doc, '', 'cnbjrq', false) : undefined
  const correction = readable('correction')
    ? r.list(doc, '', 'bz', true, (v, at) => readCorrectionItem(r, v, at))
    : undefined
  const materials = readable('materials') ? readMaterials(r, doc, '', true) : undefined
  const result = readable('result') ? readResult(r, doc.bjjg) : undefined

  if (!type) return r.refused()
  const handler = dept || name ? defined({ dept, name }) : undefined
  const status = defined<CanonicalStatus>({
    caseNo: caseNo!,
    peerCaseNo,
    seq: seq!,
    type,
    occurredAt: occurredAt!,
    handler,
    reason,
    promisedDate,
    correction,
    materials,
    result,
  })
  for (const { part, code } of checkStatusParts(status)) {
    const key = PART_KEYS[part]
    // Forbidden parts are reported above. A required part that is present but unreadable is
    // reported at its own location; with an unreadable result, whether a reason is due is unknown.
    if (code !== 'required' || Object.hasOwn(doc, key)) continue
    if (part === 'reason' && Object.hasOwn(doc, 'bjjg') && !result) continue
    r.fail(`/${key}`, 'required', `required on a ${type} event`)
  }
  return r.result(() => status)
}

function readCorrectionItem(r: Reader, value: unknown, path: string): CorrectionItem | undefined {
  const item = r.record(value, path, CORRECTION_FIELDS)
  if (!item) return undefined
  const code = r.text(item, path, 'clbm')
  const name = r.text(item, path, 'clmc')
  const note = r.text(item, path, 'sm', false)
  if (code === undefined || name === undefined) return undefined
  return defined({ code, name, note })
}

function readResult(r: Reader, value: unknown): CaseResult | undefined {
  const b = r.record(value, '/bjjg', RESULT_FIELDS)
  if (!b) return undefined
  const outcome = r.code(b, '/bjjg', 'dm', OUTCOMES)
  const documentName = r.text(b, '/bjjg', 'mc', false)
  const documentNo = r.text(b, '/bjjg', 'wh', false)
  let waybill: CaseResult['waybill']
  if (Object.hasOwn(b, 'kd')) {
    const at = joinPointer('/bjjg', 'kd')
    const kd = r.record(b.kd, at, WAYBILL_FIELDS)
    const carrier = kd && r.text(kd, at, 'gs')
    const number = kd && r.text(kd, at, 'dh')
    if (carrier === undefined || number === undefined) return undefined
    waybill = { carrier, number }
  }
  if (outcome === undefined) return undefined
  return defined<CaseResult>({ outcome, documentName, documentNo, waybill })
}
