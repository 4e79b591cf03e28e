import { CompactSign, type CryptoKey } from 'jose'
import { PARTNERS, type PartnerName } from '../../src/simulator/partners.js'
import { caseDocuments } from './documents.js'

/** `n` distinct ~4 KB cases of `partner`, signed as it signs them (ES256, iat = now). */
export async function signCases(
  partner: PartnerName,
  key: { kid: string; privateKey: CryptoKey },
  runId: string,
  n: number,
): Promise<string[]> {
  const profile = PARTNERS[partner]
  const make = caseDocuments(partner, runId)
  const iat = Math.floor(Date.now() / 1000)
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    out.push(
      await new CompactSign(make(i))
        .setProtectedHeader({
          alg: 'ES256',
          kid: key.kid,
          typ: 'kytb-case',
          cty: profile.format.cty,
          iss: profile.region,
          aud: '440233',
          iat,
          jti: `bench-${runId}-${i}`,
        })
        .sign(key.privateKey),
    )
  }
  return out
}
