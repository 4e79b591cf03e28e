import { beijingDate } from '../../../lib/clock.js'
import { REGION_PATTERN, refuse } from './policy.js'
import type { SenderAgreement, SenderKey, TrustStore } from './types.js'

/**
 * Step 7: the sender's agreement must exist, be active, and cover the day of receipt (Beijing
 * calendar, both ends inclusive). A malformed `iss` has no agreement by definition, and is not
 * passed to the trust store, so only 6-digit codes ever reach the caller's database.
 * Every failure is the same 403 with no detail: a refusal does not say which agreements exist.
 */
export async function activeAgreement(trust: TrustStore, iss: string, now: Date): Promise<SenderAgreement> {
  if (!REGION_PATTERN.test(iss)) throw refuse('agreement_inactive', 'iss is not a 6-digit region code')
  const agreement = await trust.agreementFor(iss)
  if (agreement === undefined) throw refuse('agreement_inactive', `no agreement with ${iss}`)
  // A trust store returning another party's agreement would let one partner sign as another.
  if (agreement.partnerRegion !== iss) {
    throw refuse('agreement_inactive', `trust store returned agreement ${agreement.id} for ${iss}`)
  }
  if (agreement.status !== 'active') {
    throw refuse('agreement_inactive', `agreement ${agreement.id} is ${agreement.status}`)
  }
  const today = beijingDate(now)
  if (today < agreement.validFrom || today > agreement.validUntil) {
    throw refuse(
      'agreement_inactive',
      `agreement ${agreement.id} valid ${agreement.validFrom}..${agreement.validUntil}, today is ${today}`,
    )
  }
  return agreement
}

/**
 * Step 9: the key named by `kid`, among this sender's keys only. A key outside its own rotation
 * window (notBefore ≤ now < notAfter, as JWT nbf/exp) is treated as absent: unknown_key, since
 * the protocol says it "does not verify" and the sender must switch to its current key.
 * A kid that exists but is registered for another alg is an alg-confusion attempt, so it is a
 * bad signature, not an unknown key.
 */
export function keyFor(agreement: SenderAgreement, kid: string, alg: string, now: Date): SenderKey {
  const key = agreement.keys.find((k) => k.kid === kid)
  if (key === undefined)
    throw refuse('unknown_key', `no kid ${JSON.stringify(kid)} for ${agreement.partnerRegion}`)
  if (key.alg !== alg) throw refuse('signature_invalid', `kid ${kid} is ${key.alg}, header says ${alg}`)
  const t = now.getTime()
  if (key.notBefore !== undefined && t < key.notBefore.getTime()) {
    throw refuse('unknown_key', `kid ${kid} not valid before ${key.notBefore.toISOString()}`)
  }
  if (key.notAfter !== undefined && t >= key.notAfter.getTime()) {
    throw refuse('unknown_key', `kid ${kid} expired at ${key.notAfter.toISOString()}`)
  }
  return key
}
