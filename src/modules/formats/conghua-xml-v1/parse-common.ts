/** Pieces of the Conghua document that the case and status documents share. */
import type { FieldError } from '../../../lib/errors.js'
import { parseXml, type XmlElement } from '../../../lib/xml.js'
import type { IdType, Party } from '../canonical.js'
import { isRealDate, isValidDate, isValidMobile, isValidResidentId, isValidUscc } from '../shared/checks.js'
import { type CodeList, codesOf, ID_TYPE_CODES, toCanonical } from '../shared/code-lists.js'
import { normaliseIsoTime } from '../shared/times.js'
import { attrOf, checked, childrenOf, type Errors, REPEATED, textOf } from './reader.js'

export const CONGHUA_NAMESPACE = 'urn:conghua:zwfw:kytb:1'

type RootResult =
  | { ok: true; root: XmlElement }
  | { ok: false; code: 'payload_malformed' | 'payload_invalid'; errors: FieldError[] }

/** Parses the bytes and checks the root element's name. */
export function parseRoot(bytes: Uint8Array, rootName: string): RootResult {
  const parsed = parseXml(bytes, { namespace: CONGHUA_NAMESPACE, repeated: REPEATED })
  if (!parsed.ok) return parsed
  if (parsed.root.name !== rootName) {
    const message = `root element must be ${rootName}`
    return {
      ok: false,
      code: 'payload_invalid',
      errors: [{ location: parsed.root.path, code: 'unknown', message }],
    }
  }
  return parsed
}

/** A partner code mapped to its canonical value; an unknown code is reported as `enum`. */
export function codeOf<C extends string>(
  errors: Errors,
  list: CodeList<C>,
  code: string | undefined,
  location: string,
): C | undefined {
  if (code === undefined) return undefined
  const value = toCanonical(list, 'conghua', code)
  if (value === undefined)
    errors.add(location, 'enum', `must be one of ${codesOf(list, 'conghua').join(', ')}`)
  return value
}

const ISO_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2})$/

/** An ISO 8601 time with offset, normalised to Beijing time: `format` if mis-shaped, `date` if impossible. */
export function timeOf(errors: Errors, text: string | undefined, location: string): string | undefined {
  if (text === undefined) return undefined
  if (!ISO_SHAPE.test(text)) {
    errors.add(
      location,
      'format',
      'must be ISO 8601 with seconds and an offset, e.g. 2026-11-28T09:30:00+08:00',
    )
    return undefined
  }
  const value = normaliseIsoTime(text)
  if (value === undefined) errors.add(location, 'date', 'no such date or time')
  return value
}

/** A `YYYY-MM-DD` date: `format` if mis-shaped, `date` if it does not exist. */
export function dateOf(errors: Errors, text: string | undefined, location: string): string | undefined {
  if (text === undefined) return undefined
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    errors.add(location, 'format', 'must be YYYY-MM-DD')
    return undefined
  }
  return checked(errors, text, location, isValidDate, 'date', 'no such date')
}

const PARTY_SPEC = {
  Name: { required: true },
  IdType: { required: true },
  IdNumber: { required: true },
  Mobile: { required: true },
  Address: {},
}

/**
 * Applicant (with `kind`) or Agent. An org uses id type 001 with a valid USCC, a person any
 * other id type; the agent is a person (代办人), so it never uses 001.
 */
export function partyOf(errors: Errors, el: XmlElement, withKind: boolean) {
  const found = childrenOf(errors, el, PARTY_SPEC, withKind ? ['kind'] : [])
  let kind: 'person' | 'org' | undefined = 'person'
  if (withKind) {
    const raw = attrOf(errors, el, 'kind', true)
    kind = checked(
      errors,
      raw,
      `${el.path}/@kind`,
      (v) => v === 'person' || v === 'org',
      'enum',
      'person or org',
    )
  }
  const idTypeAt = `${el.path}/IdType`
  let idType = codeOf(errors, ID_TYPE_CODES, textOf(errors, found, 'IdType'), idTypeAt)
  if (idType && kind && (kind === 'org') !== (idType === 'uscc')) {
    errors.add(
      idTypeAt,
      'not_allowed',
      kind === 'org' ? 'an org uses IdType 001' : 'IdType 001 is for orgs only',
    )
    idType = undefined
  }
  const idNumber = idNumberOf(errors, textOf(errors, found, 'IdNumber'), idType, `${el.path}/IdNumber`)
  const mobile = checked(
    errors,
    textOf(errors, found, 'Mobile'),
    `${el.path}/Mobile`,
    isValidMobile,
    'format',
    '11 digits starting with 1',
  )
  const address = textOf(errors, found, 'Address')
  const party: Partial<Party> = { name: textOf(errors, found, 'Name'), idType, idNumber, mobile }
  if (address !== undefined) party.address = address
  return { kind, party }
}

function idNumberOf(errors: Errors, text: string | undefined, idType: IdType | undefined, at: string) {
  if (text === undefined) return undefined
  if (idType === 'resident_id') {
    if (!/^\d{17}[\dX]$/.test(text)) return void errors.add(at, 'format', '17 digits and a check character')
    if (!isRealDate(Number(text.slice(6, 10)), Number(text.slice(10, 12)), Number(text.slice(12, 14)))) {
      return void errors.add(at, 'checksum', 'the birth date in the ID number does not exist')
    }
    return checked(errors, text, at, isValidResidentId, 'checksum', 'ID number check character is wrong')
  }
  if (idType === 'uscc') {
    if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(text))
      return void errors.add(at, 'format', '18 characters of GB 32100')
    return checked(errors, text, at, isValidUscc, 'checksum', 'credit code check character is wrong')
  }
  return checked(
    errors,
    text,
    at,
    (v) => /^[A-Za-z0-9()-]{1,32}$/.test(v),
    'format',
    '1–32 letters or digits',
  )
}
