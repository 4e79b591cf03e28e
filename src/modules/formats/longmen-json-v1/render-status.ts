/**
 * Canonical status event → Longmen status document, compact, members in the order of
 * longmen-json-v1.md. `ztmc` is the protocol's Chinese event name. Empty correction or material
 * lists are omitted: the event table treats them as absent and the parser refuses `[]`.
 */
import type { CanonicalStatus, CaseResult } from '../canonical.js'
import { EVENT_CODES, EVENT_NAMES_ZH, fromCanonical, RESULT_OUTCOME_CODES } from '../shared/code-lists.js'
import { dateToDigits } from '../shared/times.js'
import { renderMaterial } from './materials.js'
import { beijingDigits } from './render-case.js'
import { encodeJson } from './render-json.js'

export function renderStatus(s: CanonicalStatus): Uint8Array {
  return encodeJson({
    bjbh: s.caseNo,
    dfbh: s.peerCaseNo,
    xh: s.seq,
    zt: fromCanonical(EVENT_CODES, 'longmen', s.type),
    ztmc: EVENT_NAMES_ZH[s.type],
    fssj: beijingDigits(s.occurredAt),
    blbm: s.handler?.dept,
    blr: s.handler?.name,
    yj: s.reason,
    cnbjrq: s.promisedDate === undefined ? undefined : dateDigits(s.promisedDate),
    bz: s.correction?.length
      ? s.correction.map((c) => ({ clbm: c.code, clmc: c.name, sm: c.note }))
      : undefined,
    cl: s.materials?.length ? s.materials.map(renderMaterial) : undefined,
    bjjg: s.result && result(s.result),
  })
}

function result(r: CaseResult) {
  return {
    dm: fromCanonical(RESULT_OUTCOME_CODES, 'longmen', r.outcome),
    mc: r.documentName,
    wh: r.documentNo,
    kd: r.waybill && { gs: r.waybill.carrier, dh: r.waybill.number },
  }
}

function dateDigits(date: string): string {
  const digits = dateToDigits(date)
  if (digits === undefined) throw new Error(`not a YYYY-MM-DD date: ${date}`)
  return digits
}
