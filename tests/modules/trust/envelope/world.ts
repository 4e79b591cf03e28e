import { verifyMessage } from '../../../../src/modules/trust/envelope/index.js'
import type { MessageTyp, SenderAgreement } from '../../../../src/modules/trust/envelope/types.js'
import {
  agreement,
  CONGHUA,
  LONGMEN,
  makeKey,
  memoryTrust,
  NOW,
  NOW_S,
  OWN,
  senderKey,
  type TestKey,
} from './fixtures.js'

/** Two partners with keys for every case the tests need. */
export interface World {
  lmEs: TestKey
  lmEd: TestKey
  lmOld: TestKey
  lmNext: TestKey
  chEs: TestKey
  longmen: SenderAgreement
  conghua: SenderAgreement
}

export async function makeWorld(): Promise<World> {
  const [lmEs, lmEd, lmOld, lmNext, chEs] = await Promise.all([
    makeKey('lm-es-1', 'ES256'),
    makeKey('lm-ed-1', 'EdDSA'),
    makeKey('lm-es-0', 'ES256'),
    makeKey('lm-es-2', 'ES256'),
    makeKey('ch-es-1', 'ES256'),
  ])
  const longmen = agreement(LONGMEN, [
    senderKey(lmEs),
    senderKey(lmEd),
    // rotated out an hour ago, and the next one not yet valid
    senderKey(lmOld, { notAfter: new Date(NOW_S * 1000 - 3600_000) }),
    senderKey(lmNext, { notBefore: new Date(NOW_S * 1000 + 3600_000) }),
  ])
  const conghua = agreement(CONGHUA, [senderKey(chEs)])
  return { lmEs, lmEd, lmOld, lmNext, chEs, longmen, conghua }
}

/** verifyMessage with the protocol's defaults for an inbound kytb-case from the world's partners. */
export function verifyIn(
  w: World,
  body: string | Uint8Array,
  opts: {
    contentType?: string
    agreements?: SenderAgreement[]
    typ?: MessageTyp | MessageTyp[]
    now?: Date
  } = {},
) {
  const trust = memoryTrust(opts.agreements ?? [w.longmen, w.conghua])
  const result = verifyMessage({
    contentType: 'contentType' in opts ? opts.contentType : 'application/jose',
    body,
    expectedTyp: opts.typ ?? 'kytb-case',
    now: opts.now ?? NOW,
    ownRegion: OWN,
    trust,
  })
  return Object.assign(result, { trust })
}
