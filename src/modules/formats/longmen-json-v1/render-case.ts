/**
 * Canonical case → Longmen case document. Compact UTF-8 JSON, members in the order of
 * longmen-json-v1.md, absent optionals omitted. Longmen has no place for `window.code` and
 * `clerk.id`: they are dropped (see contracts/longmen-json-v1/README.md).
 */
import type { CanonicalCase, Party } from '../canonical.js'
import { DELIVERY_METHOD_CODES, fromCanonical, ID_TYPE_CODES, MODE_CODES } from '../shared/code-lists.js'
import { toBeijingDigits } from '../shared/times.js'
import { renderMaterial } from './materials.js'
import { encodeJson } from './render-json.js'

export function renderCase(c: CanonicalCase): Uint8Array {
  return encodeJson({
    bjbh: c.caseNo,
    sxbm: c.itemCode,
    sxmc: c.itemName,
    blms: fromCanonical(MODE_CODES, 'longmen', c.mode),
    sjsj: beijingDigits(c.receivedAt),
    sjck: c.window.name,
    sjr: c.clerk.name,
    sqr: { lx: c.applicant.kind === 'org' ? '2' : '1', ...party(c.applicant) },
    dbr: c.agent && party(c.agent),
    bd: c.form && sortedForm(c.form),
    cl: c.materials.map(renderMaterial),
    sdfs: fromCanonical(DELIVERY_METHOD_CODES, 'longmen', c.delivery.method),
    sdxx: deliveryInfo(c),
    bz: c.remark,
  })
}

function party(p: Party) {
  return {
    xm: p.name,
    zjlx: fromCanonical(ID_TYPE_CODES, 'longmen', p.idType),
    zjhm: p.idNumber,
    sjhm: p.mobile,
    dz: p.address,
  }
}

function deliveryInfo(c: CanonicalCase) {
  const { recipient, mobile, address } = c.delivery
  if (recipient === undefined && mobile === undefined && address === undefined) return undefined
  return { sjr: recipient, dh: mobile, dz: address }
}

/**
 * E-form fields sorted by name, so the bytes depend on the form's content only (a canonical case
 * that went through PostgreSQL jsonb comes back with its keys reordered). fromEntries defines own
 * data properties: a `__proto__` field name stays data.
 */
function sortedForm(form: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(form).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

export function beijingDigits(iso: string): string {
  const digits = toBeijingDigits(iso)
  // A canonical value is validated before it is rendered; a bad time here is a bug upstream.
  if (digits === undefined) throw new Error(`not an ISO 8601 time: ${iso}`)
  return digits
}
