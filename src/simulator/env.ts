import { randomBytes } from 'node:crypto'
import { createSigner, type Signer } from '../modules/trust/envelope/index.js'
import { type Print, stdoutPrint } from './describe.js'
import { createGatewayTrust, type GatewayTrust } from './gateway-trust.js'
import { loadOrCreatePartnerKey, type PartnerKey } from './keys.js'
import { PARTNERS, type PartnerName, type PartnerProfile } from './partners.js'
import { PartnerState } from './state.js'

/** Everything a simulated partner works with: who it is, its key, the gateway it talks to. */
export interface PartnerEnv {
  profile: PartnerProfile
  key: PartnerKey
  signer: Signer
  trust: GatewayTrust
  state: PartnerState
  gatewayUrl: string
  now: () => Date
  print: Print
  fetch: typeof fetch
}

export interface PartnerOptions {
  partner: PartnerName
  /** The gateway's DATA_DIR convention: keys and state live in `<dataDir>/partners/<name>/`. */
  dataDir: string
  /** The gateway's base URL, e.g. http://127.0.0.1:8080 (no trailing slash). */
  gatewayUrl: string
  /** The clock (tests pass the gateway's fixed clock). */
  now?: () => Date
  print?: Print
  fetch?: typeof fetch
}

export async function openPartner(o: PartnerOptions): Promise<PartnerEnv> {
  const profile = PARTNERS[o.partner]
  const now = o.now ?? (() => new Date())
  const key = await loadOrCreatePartnerKey(o.dataDir, o.partner, now())
  const gatewayUrl = o.gatewayUrl.replace(/\/+$/, '')
  const fetchImpl = o.fetch ?? ((input, init) => fetch(input, init))
  return {
    profile,
    key,
    signer: createSigner({ ownRegion: profile.region, keys: { current: key } }),
    trust: createGatewayTrust(profile, gatewayUrl, fetchImpl),
    state: new PartnerState(o.dataDir, o.partner),
    gatewayUrl,
    now,
    print: o.print ?? stdoutPrint,
    fetch: fetchImpl,
  }
}

/** A message id of this partner: its name and 96 random bits. */
export function partnerJti(env: PartnerEnv): string {
  return `${env.profile.name}-${randomBytes(12).toString('base64url')}`
}
