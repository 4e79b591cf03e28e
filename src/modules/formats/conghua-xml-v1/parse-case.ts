/** Conghua `DelegatedCase` → canonical case, with every located error. */
import type { XmlElement } from '../../../lib/xml.js'
import type { Applicant, CanonicalCase, Delivery, ParseResult, Party } from '../canonical.js'
import { isValidCaseNo, isValidMobile } from '../shared/checks.js'
import { DELIVERY_METHOD_CODES, MODE_CODES } from '../shared/code-lists.js'
import { codeOf, parseRoot, partyOf, timeOf } from './parse-common.js'
import { materialsOf } from './parse-materials.js'
import { attrOf, checked, childrenOf, Errors, leafText, textOf } from './reader.js'

const CASE_SPEC = {
  CaseNo: { required: true },
  ItemCode: { required: true },
  ItemName: { required: true },
  Mode: { required: true },
  ReceivedAt: { required: true },
  Window: { required: true },
  Clerk: { required: true },
  Applicant: { required: true },
  Agent: {},
  Form: {},
  Materials: { required: true },
  ResultDelivery: { required: true },
  Remark: {},
}

const ITEM_CODE = /^[A-Za-z0-9._-]{1,64}$/

/**
 * Values left undefined here always come with a recorded error, and any error makes the parse
 * fail, so the `!` below never hands an undefined to a caller.
 */
export function parseCase(bytes: Uint8Array): ParseResult<CanonicalCase> {
  const parsed = parseRoot(bytes, 'DelegatedCase')
  if (!parsed.ok) return parsed
  const root = parsed.root
  const errors = new Errors()
  const found = childrenOf(errors, root, CASE_SPEC)
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
  const itemCode = checked(
    errors,
    textOf(errors, found, 'ItemCode'),
    at('ItemCode'),
    (v) => ITEM_CODE.test(v),
    'format',
    '1–64 letters, digits, . _ -',
  )
  const itemName = textOf(errors, found, 'ItemName')
  const mode = codeOf(errors, MODE_CODES, textOf(errors, found, 'Mode'), at('Mode'))
  const receivedAt = timeOf(errors, textOf(errors, found, 'ReceivedAt'), at('ReceivedAt'))

  const windowEl = one('Window')
  let window: CanonicalCase['window'] | undefined
  if (windowEl) {
    const code = attrOf(errors, windowEl, 'code', false)
    window = {
      ...(code === undefined ? {} : { code }),
      name: leafText(errors, windowEl, { attrs: ['code'] })!,
    }
  }

  const clerkEl = one('Clerk')
  let clerk: CanonicalCase['clerk'] | undefined
  if (clerkEl) {
    const parts = childrenOf(errors, clerkEl, { Name: { required: true }, Id: {} })
    const id = textOf(errors, parts, 'Id')
    clerk = { name: textOf(errors, parts, 'Name')!, ...(id === undefined ? {} : { id }) }
  }

  const applicantEl = one('Applicant')
  let applicant: Applicant | undefined
  if (applicantEl) {
    const { kind, party } = partyOf(errors, applicantEl, true)
    applicant = { kind: kind!, ...(party as Party) }
  }
  const agentEl = one('Agent')
  const agent = agentEl ? (partyOf(errors, agentEl, false).party as Party) : undefined

  const form = one('Form') ? formOf(errors, one('Form')!) : undefined
  const materials = one('Materials') ? materialsOf(errors, one('Materials')!) : []
  const delivery = one('ResultDelivery') ? deliveryOf(errors, one('ResultDelivery')!) : undefined
  const remark = textOf(errors, found, 'Remark')

  if (errors.list.length) return { ok: false, code: 'payload_invalid', errors: errors.list }
  const value: CanonicalCase = {
    caseNo: caseNo!,
    itemCode: itemCode!,
    itemName: itemName!,
    mode: mode!,
    receivedAt: receivedAt!,
    window: window!,
    clerk: clerk!,
    applicant: applicant!,
    ...(agent ? { agent } : {}),
    ...(form ? { form } : {}),
    materials,
    delivery: delivery!,
    ...(remark === undefined ? {} : { remark }),
  }
  return { ok: true, value }
}

/** `Form` with repeated `Field name="…"`; a field may be empty, a name may not repeat. */
function formOf(errors: Errors, el: XmlElement): Record<string, string> {
  const found = childrenOf(errors, el, { Field: { repeated: true } })
  const fields = new Map<string, string>()
  for (const f of found.get('Field') ?? []) {
    const value = leafText(errors, f, { attrs: ['name'], allowEmpty: true })!
    const name = attrOf(errors, f, 'name', true)
    if (name === undefined) continue
    // Names like __proto__ would turn into prototype setters wherever the form is merged with
    // Object.assign or a[k] = v; refused, as longmen-json-v1 does.
    if (name in Object.prototype)
      errors.add(`${f.path}/@name`, 'not_allowed', `${name} is not a usable field name`)
    else if (fields.has(name)) errors.add(`${f.path}/@name`, 'duplicate', `field ${name} appears twice`)
    else fields.set(name, value)
  }
  return Object.fromEntries(fields)
}

function deliveryOf(errors: Errors, el: XmlElement): Delivery | undefined {
  const found = childrenOf(errors, el, { Recipient: {}, Mobile: {}, Address: {} }, ['method'])
  const method = codeOf(
    errors,
    DELIVERY_METHOD_CODES,
    attrOf(errors, el, 'method', true),
    `${el.path}/@method`,
  )
  const recipient = textOf(errors, found, 'Recipient')
  const mobile = checked(
    errors,
    textOf(errors, found, 'Mobile'),
    `${el.path}/Mobile`,
    isValidMobile,
    'format',
    '11 digits starting with 1',
  )
  const address = textOf(errors, found, 'Address')
  if (method === 'mail') {
    for (const name of ['Recipient', 'Mobile', 'Address']) {
      if (!found.has(name)) errors.add(`${el.path}/${name}`, 'required', `${name} is required for MAIL`)
    }
  }
  if (method === undefined) return undefined
  return {
    method,
    ...(recipient === undefined ? {} : { recipient }),
    ...(mobile === undefined ? {} : { mobile }),
    ...(address === undefined ? {} : { address }),
  }
}
