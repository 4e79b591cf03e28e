/** Conghua `CaseStatus` → canonical status, with every located error. */
import type { XmlElement } from '../../../lib/xml.js'
import type { CanonicalStatus, CaseResult, CorrectionItem, ParseResult } from '../canonical.js'
import { isValidCaseNo } from '../shared/checks.js'
import { EVENT_CODES, RESULT_OUTCOME_CODES } from '../shared/code-lists.js'
import { checkStatusParts, peerCaseNoRequired, type StatusPart } from '../shared/event-rules.js'
import { codeOf, dateOf, parseRoot, timeOf } from './parse-common.js'
import { materialsOf } from './parse-materials.js'
import { attrOf, checked, childrenOf, Errors, leafText, textOf } from './reader.js'

const STATUS_SPEC = {
  CaseNo: { required: true },
  PeerCaseNo: {},
  Seq: { required: true },
  StatusCode: { required: true },
  // Informative only: not compared with StatusCode, the code is what counts.
  StatusName: {},
  OccurredAt: { required: true },
  Handler: {},
  Opinion: {},
  PromisedDate: {},
  Correction: {},
  Materials: {},
  Result: {},
}

/** Where each abstract part of the event table lives in a Conghua status. */
const PART_ELEMENT: Record<StatusPart, string> = {
  reason: 'Opinion',
  promisedDate: 'PromisedDate',
  correction: 'Correction',
  materials: 'Materials',
  result: 'Result',
}

/** Values left undefined always come with a recorded error, which makes the parse fail. */
export function parseStatus(bytes: Uint8Array): ParseResult<CanonicalStatus> {
  const parsed = parseRoot(bytes, 'CaseStatus')
  if (!parsed.ok) return parsed
  const root = parsed.root
  const errors = new Errors()
  const found = childrenOf(errors, root, STATUS_SPEC)
  const at = (name: string) => `${root.path}/${name}`
  const one = (name: string) => found.get(name)?.[0]

  const caseNo = checked(
    errors,
    textOf(errors, found, 'CaseNo'),
    at('CaseNo'),
    isValidCaseNo,
    'format',
    '1–40 of A-Z a-z 0-9 -',
  )
  const peerCaseNo = checked(
    errors,
    textOf(errors, found, 'PeerCaseNo'),
    at('PeerCaseNo'),
    isValidCaseNo,
    'format',
    '1–40 of A-Z a-z 0-9 -',
  )
  const seq = checked(
    errors,
    textOf(errors, found, 'Seq'),
    at('Seq'),
    (v) => /^[1-9]\d{0,8}$/.test(v),
    'format',
    'a positive integer',
  )
  const type = codeOf(errors, EVENT_CODES, textOf(errors, found, 'StatusCode'), at('StatusCode'))
  textOf(errors, found, 'StatusName')
  const occurredAt = timeOf(errors, textOf(errors, found, 'OccurredAt'), at('OccurredAt'))
  const handler = one('Handler') ? handlerOf(errors, one('Handler')!) : undefined
  const reason = textOf(errors, found, 'Opinion')
  const promisedDate = dateOf(errors, textOf(errors, found, 'PromisedDate'), at('PromisedDate'))
  const correction = one('Correction') ? correctionOf(errors, one('Correction')!) : undefined
  const materials = one('Materials') ? materialsOf(errors, one('Materials')!) : undefined
  const result = one('Result') ? resultOf(errors, one('Result')!) : undefined

  if (type) {
    if (peerCaseNoRequired(type) && !found.has('PeerCaseNo')) {
      errors.add(at('PeerCaseNo'), 'required', 'PeerCaseNo is required on a handler event')
    }
    // Judge presence by element, not by parsed value: a malformed PromisedDate on 01 is still
    // an element that 01 does not allow. An unreadable Result code is taken as approved, so
    // its own error is not followed by a guessed missing Opinion.
    const presence: CanonicalStatus = {
      caseNo: '',
      seq: 1,
      type,
      occurredAt: '',
      ...Object.fromEntries(
        Object.entries(PART_ELEMENT).map(([part, name]) => [part, found.has(name) || undefined]),
      ),
      ...(found.has('Result') ? { result: { outcome: result?.outcome ?? 'approved' } } : {}),
    }
    for (const p of checkStatusParts(presence)) {
      const message =
        p.code === 'required' ? 'required by this StatusCode' : 'not allowed with this StatusCode'
      errors.add(at(PART_ELEMENT[p.part]), p.code, `${PART_ELEMENT[p.part]} ${message}`)
    }
  }

  if (errors.list.length) return { ok: false, code: 'payload_invalid', errors: errors.list }
  const value: CanonicalStatus = {
    caseNo: caseNo!,
    ...(peerCaseNo === undefined ? {} : { peerCaseNo }),
    seq: Number(seq),
    type: type!,
    occurredAt: occurredAt!,
    ...(handler ? { handler } : {}),
    ...(reason === undefined ? {} : { reason }),
    ...(promisedDate === undefined ? {} : { promisedDate }),
    ...(correction ? { correction } : {}),
    ...(materials ? { materials } : {}),
    ...(result ? { result } : {}),
  }
  return { ok: true, value }
}

function handlerOf(errors: Errors, el: XmlElement): CanonicalStatus['handler'] {
  const found = childrenOf(errors, el, { Dept: {}, Name: {} })
  const dept = textOf(errors, found, 'Dept')
  const name = textOf(errors, found, 'Name')
  return { ...(dept === undefined ? {} : { dept }), ...(name === undefined ? {} : { name }) }
}

function correctionOf(errors: Errors, el: XmlElement): CorrectionItem[] {
  const found = childrenOf(errors, el, { Item: { required: true, repeated: true } })
  return (found.get('Item') ?? []).map((item) => {
    const parts = childrenOf(errors, item, { Code: { required: true }, Name: { required: true }, Note: {} })
    const note = textOf(errors, parts, 'Note')
    return {
      code: textOf(errors, parts, 'Code')!,
      name: textOf(errors, parts, 'Name')!,
      ...(note === undefined ? {} : { note }),
    }
  })
}

function resultOf(errors: Errors, el: XmlElement): CaseResult | undefined {
  const found = childrenOf(errors, el, { Name: {}, DocumentNo: {}, Waybill: {} }, ['code'])
  const outcome = codeOf(errors, RESULT_OUTCOME_CODES, attrOf(errors, el, 'code', true), `${el.path}/@code`)
  const documentName = textOf(errors, found, 'Name')
  const documentNo = textOf(errors, found, 'DocumentNo')
  const waybillEl = found.get('Waybill')?.[0]
  let waybill: CaseResult['waybill']
  if (waybillEl) {
    const number = leafText(errors, waybillEl, { attrs: ['carrier'] })
    const carrier = attrOf(errors, waybillEl, 'carrier', true)
    if (number !== undefined && carrier !== undefined) waybill = { carrier, number }
  }
  if (outcome === undefined) return undefined
  return {
    outcome,
    ...(documentName === undefined ? {} : { documentName }),
    ...(documentNo === undefined ? {} : { documentNo }),
    ...(waybill ? { waybill } : {}),
  }
}
