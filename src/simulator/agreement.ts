import type { JWK } from 'jose'
import { beijingDate } from '../lib/clock.js'
import type { PartnerProfile } from './partners.js'

export interface AgreementRequest {
  partner: { region: string; name: string }
  format: string
  endpoint: string
  keys: { keys: JWK[] }
  validFrom: string
  validUntil: string
  items: (
    | { direction: 'inbound'; itemCode: string; partnerItemCode?: string }
    | { direction: 'outbound'; partnerItemCode: string; name: string; promisedDays: number }
  )[]
}

/** The partner's base URL on this machine: what its agreement's `endpoint` names. */
export const localEndpoint = (port: number) => `http://127.0.0.1:${port}/v1/exchange`

/**
 * The body of `POST /v1/agreements` (gateway-api-v1.md) for this simulated partner: its public
 * key, its endpoint, valid from 1 January of this year to the end of next year, the marriage
 * registration inbound (with Longmen's crosswalk code) and one item of its own outbound.
 */
export function agreementRequest(
  profile: PartnerProfile,
  publicJwk: JWK,
  { endpoint, now = new Date() }: { endpoint: string; now?: Date },
): AgreementRequest {
  const year = Number(beijingDate(now).slice(0, 4))
  const { kty, crv, x, y, kid, alg, use } = publicJwk
  return {
    partner: { region: profile.region, name: profile.nameZh },
    format: profile.format.id,
    endpoint,
    keys: { keys: [{ kty, crv, x, y, kid, alg, use } as JWK] },
    validFrom: `${year}-01-01`,
    validUntil: `${year + 1}-12-31`,
    items: [
      {
        direction: 'inbound',
        itemCode: profile.inbound.itemCode,
        ...(profile.inbound.crosswalk ? { partnerItemCode: profile.inbound.sendsCode } : {}),
      },
      { direction: 'outbound', ...profile.outbound },
    ],
  }
}
