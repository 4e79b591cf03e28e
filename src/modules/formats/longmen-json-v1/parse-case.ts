/**
 * Longmen case document (`typ: kytb-case`) → canonical case. Readings of the spec where its text
 * is open are listed in contracts/longmen-json-v1/README.md.
 */
import { joinPointer, parseStrictJson } from '../../../lib/strict-json.js'
import type { Applicant, CanonicalCase, Delivery, IdType, ParseResult, Party } from '../canonical.js'
import { isValidCaseNo, isValidMobile, isValidResidentId, isValidUscc } from '../shared/checks.js'
import { DELIVERY_METHOD_CODES, ID_TYPE_CODES, MODE_CODES } from '../shared/code-lists.js'
import { readMaterials } from './materials.js'
import { defined, longmenCodes, type Obj, Reader } from './reader.js'

const CASE_FIELDS = [
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
]
const APPLICANT_FIELDS = ['lx', 'xm', 'zjlx', 'zjhm', 'sjhm', 'dz']
const AGENT_FIELDS = APPLICANT_FIELDS.filter((f) => f !== 'lx')
const DELIVERY_INFO_FIELDS = ['sjr', 'dh', 'dz']

const MODES = longmenCodes(MODE_CODES)
const ID_TYPES = longmenCodes(ID_TYPE_CODES)
const DELIVERY_METHODS = longmenCodes(DELIVERY_METHOD_CODES)
const KINDS = new Map<string, Applicant['kind']>([
  ['1', 'person'],
  ['2', 'org'],
])

const RESIDENT_ID_SHAPE = /^\d{17}[\dX]$/
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/

export function parseCase(bytes: Uint8Array): ParseResult<CanonicalCase> {
  const json = parseStrictJson(bytes)
  if (!json.ok) return json
  const r = new Reader()
  const doc = r.record(json.value, '', CASE_FIELDS)
  if (!doc) return r.refused()

  const caseNo = r.matching(doc, '', 'bjbh', isValidCaseNo)
  const itemCode = r.text(doc, '', 'sxbm')
  const itemName = r.text(doc, '', 'sxmc')
  const mode = r.code(doc, '', 'blms', MODES)
  const receivedAt = r.time(doc, '', 'sjsj')
  const windowName = r.text(doc, '', 'sjck')
  const clerkName = r.text(doc, '', 'sjr')
  const sqr = r.member(doc, '', 'sqr', true)
  const applicant = sqr === undefined ? undefined : readParty(r, sqr, '/sqr', true)
  const dbr = r.member(doc, '', 'dbr', false)
  const agent = dbr === undefined ? undefined : readParty(r, dbr, '/dbr', false)
  const form = r.member(doc, '', 'bd', false) === undefined ? undefined : readForm(r, doc.bd)
  const materials = readMaterials(r, doc, '', true)
  const delivery = readDelivery(r, doc)
  const remark = r.text(doc, '', 'bz', false)

  return r.result(() =>
    defined<CanonicalCase>({
      caseNo: caseNo!,
      itemCode: itemCode!,
      itemName: itemName!,
      mode: mode!,
      receivedAt: receivedAt!,
      window: { name: windowName! },
      clerk: { name: clerkName! },
      applicant: applicant as Applicant,
      agent,
      form,
      materials: materials!,
      delivery: delivery!,
      remark,
    }),
  )
}

/** `sqr` (with `lx`) or `dbr` (without). */
function readParty(
  r: Reader,
  value: unknown,
  path: string,
  isApplicant: boolean,
): Party | Applicant | undefined {
  const p = r.record(value, path, isApplicant ? APPLICANT_FIELDS : AGENT_FIELDS)
  if (!p) return undefined
  const kind = isApplicant ? r.code(p, path, 'lx', KINDS) : undefined
  const name = r.text(p, path, 'xm')
  const idType = r.code(p, path, 'zjlx', ID_TYPES)
  const idNumber = r.text(p, path, 'zjhm')
  const mobile = r.matching(p, path, 'sjhm', isValidMobile)
  const address = r.text(p, path, 'dz', false)

  const idTypeAt = joinPointer(path, 'zjlx')
  if (kind === 'org' && idType !== undefined && idType !== 'uscc') {
    r.fail(idTypeAt, 'not_allowed', 'a legal person (lx 2) uses id type 49')
  }
  if (kind === 'person' && idType === 'uscc') {
    r.fail(idTypeAt, 'not_allowed', 'id type 49 is for a legal person')
  }
  if (idType !== undefined && idNumber !== undefined) checkIdNumber(r, idType, idNumber, path)
  // Every problem is already recorded and refuses the document; undefined only keeps types honest.
  if ([name, idType, idNumber, mobile].includes(undefined) || (isApplicant && !kind)) return undefined
  return defined({ kind, name: name!, idType: idType!, idNumber: idNumber!, mobile: mobile!, address })
}

/** Check characters are verified for the two id types that have one; others are free text. */
function checkIdNumber(r: Reader, idType: IdType, idNumber: string, path: string): void {
  const at = joinPointer(path, 'zjhm')
  if (idType === 'resident_id') {
    if (!RESIDENT_ID_SHAPE.test(idNumber))
      r.fail(at, 'format', 'a resident ID is 17 digits and a check character')
    else if (!isValidResidentId(idNumber))
      r.fail(at, 'checksum', 'check character or birth date does not match')
  }
  if (idType === 'uscc') {
    if (!USCC_SHAPE.test(idNumber)) r.fail(at, 'format', 'a unified social credit code is 18 characters')
    else if (!isValidUscc(idNumber)) r.fail(at, 'checksum', 'check character does not match')
  }
}

/**
 * `bd`: field name → string. Names of Object.prototype members are refused so that no consumer
 * of the canonical form can trip over an own `__proto__` or a shadowed `hasOwnProperty`.
 */
function readForm(r: Reader, value: unknown): Record<string, string> | undefined {
  const bd = r.record(value, '/bd', 'any')
  if (!bd) return undefined
  const entries: [string, string][] = []
  for (const key of Object.keys(bd)) {
    const at = joinPointer('/bd', key)
    if (key.trim() === '') r.fail(at, 'format', 'a form field name must not be blank')
    else if (key in Object.prototype) r.fail(at, 'not_allowed', 'reserved form field name')
    else if (typeof bd[key] !== 'string') r.fail(at, 'type', 'must be a string')
    else entries.push([key, bd[key]])
  }
  return Object.fromEntries(entries)
}

function readDelivery(r: Reader, doc: Obj): Delivery | undefined {
  const method = r.code(doc, '', 'sdfs', DELIVERY_METHODS)
  const mail = method === 'mail'
  const raw = r.member(doc, '', 'sdxx', mail)
  const info = raw === undefined ? undefined : r.record(raw, '/sdxx', DELIVERY_INFO_FIELDS)
  if (!method) return undefined
  if (!info) return raw === undefined ? { method } : undefined
  const recipient = r.text(info, '/sdxx', 'sjr', mail)
  const mobile = r.matching(info, '/sdxx', 'dh', isValidMobile, mail)
  const address = r.text(info, '/sdxx', 'dz', mail)
  return defined<Delivery>({ method, recipient, mobile, address })
}
