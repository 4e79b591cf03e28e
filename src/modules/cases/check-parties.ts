import type { FieldError } from '../../lib/errors.js'
import type { Applicant, Delivery, Party } from '../formats/canonical.js'
import { isValidMobile, isValidResidentId, isValidUscc } from '../formats/shared/checks.js'

function checkParty(p: Party, at: string, out: FieldError[]): void {
  if (p.idType === 'resident_id' && !isValidResidentId(p.idNumber)) {
    out.push({
      location: `${at}/idNumber`,
      code: 'checksum',
      message: 'ID number check character does not match',
    })
  }
  if (p.idType === 'uscc' && !isValidUscc(p.idNumber)) {
    out.push({
      location: `${at}/idNumber`,
      code: 'checksum',
      message: 'unified social credit code check character does not match',
    })
  }
  if (!isValidMobile(p.mobile))
    out.push({ location: `${at}/mobile`, code: 'format', message: '11 digits starting with 1' })
}

/** The protocol's shared checks on the people of a case, located in the API request's terms. */
export function checkParties(input: {
  applicant: Applicant
  agent?: Party | undefined
  delivery: Delivery
}): FieldError[] {
  const out: FieldError[] = []
  checkParty(input.applicant, '/applicant', out)
  if ((input.applicant.kind === 'org') !== (input.applicant.idType === 'uscc')) {
    out.push({
      location: '/applicant/idType',
      code: 'not_allowed',
      message: 'an organisation uses uscc, a person any other id type',
    })
  }
  if (input.agent) checkParty(input.agent, '/agent', out)
  if (input.delivery.method === 'mail') {
    for (const f of ['recipient', 'mobile', 'address'] as const) {
      if (!input.delivery[f])
        out.push({ location: `/delivery/${f}`, code: 'required', message: `required for mail delivery` })
    }
    if (input.delivery.mobile && !isValidMobile(input.delivery.mobile)) {
      out.push({ location: '/delivery/mobile', code: 'format', message: '11 digits starting with 1' })
    }
  }
  return out
}
