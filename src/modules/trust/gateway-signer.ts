import { createSigner, type SignedMessage, type Signer, type SignInput } from './envelope/index.js'
import type { GatewayKeyring } from './keys/keyring.js'

/**
 * Signs as the gateway with whichever key is active at `now`, so a rotation takes effect without
 * a restart. One signer per key id, made on first use.
 */
export function createGatewaySigner(keys: GatewayKeyring, ownRegion: string) {
  const signers = new Map<string, Signer>()
  return {
    async sign(input: SignInput): Promise<SignedMessage> {
      const key = await keys.signingKey(input.now)
      let signer = signers.get(key.kid)
      if (!signer) {
        signer = createSigner({ ownRegion, keys: { current: key } })
        signers.set(key.kid, signer)
      }
      return signer.sign(input)
    },
  }
}

export type GatewaySigner = ReturnType<typeof createGatewaySigner>
