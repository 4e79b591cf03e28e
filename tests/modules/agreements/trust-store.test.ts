import { CompactSign } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '../../../src/context.js'
import { changeAgreementStatus } from '../../../src/modules/agreements/change-agreement-status.js'
import { createAgreement } from '../../../src/modules/agreements/create-agreement.js'
import type { Agreement } from '../../../src/modules/agreements/model.js'
import { replaceAgreementKeys } from '../../../src/modules/agreements/replace-agreement-keys.js'
import {
  type AgreementTrustStore,
  createAgreementTrustStore,
} from '../../../src/modules/agreements/trust-store.js'
import { createKeyCache, verifyEnvelope } from '../../../src/modules/trust/envelope/index.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { CONGHUA, conghuaBody, LONGMEN, type PartnerKeyPair, partnerKey } from './fixtures.js'

let gw: TestGateway
let ctx: Ctx
let store: AgreementTrustStore
let chKey: PartnerKeyPair
let conghua: Agreement

const TTL = 5000

beforeAll(async () => {
  gw = await createTestGateway()
  ctx = gw.ctx()
  store = createAgreementTrustStore(gw.database.db, gw.clock, { ttlMs: TTL })
  chKey = await partnerKey('ES256', 'ch-2026-1', { exp: 1_830_297_600 })
  conghua = await createAgreement({ ctx, input: keysOnly(chKey.jwk) })
})
afterAll(() => gw.close())

/** An agreement without items: the trust store only looks at the envelope's needs. */
const keysOnly = (jwk: PartnerKeyPair['jwk']) => ({ ...conghuaBody(jwk, []), items: [] })

const move = (id: string, action: 'activate' | 'suspend' | 'terminate') =>
  changeAgreementStatus({ ctx, input: { id, action } })

/** A kytb-case from Conghua, signed with its registered key. */
const signedCase = (key: PartnerKeyPair) =>
  new CompactSign(new TextEncoder().encode('<DelegatedCase/>'))
    .setProtectedHeader({
      alg: 'ES256',
      kid: key.jwk.kid,
      typ: 'kytb-case',
      cty: 'xml',
      iss: CONGHUA,
      aud: '440233',
      iat: Math.floor(gw.clock.now().getTime() / 1000),
      jti: `m-${gw.clock.now().getTime()}`,
    })
    .sign(key.privateKey)

const verify = async (jws: string) =>
  verifyEnvelope(jws, {
    expectedTyp: 'kytb-case',
    now: gw.clock.now(),
    ownRegion: '440233',
    trust: store,
    keyCache: createKeyCache(),
  })

describe('createAgreementTrustStore', () => {
  it('knows nothing of a partner without agreements', async () => {
    expect(await store.agreementFor('449999')).toBeUndefined()
  })

  it('returns a draft when that is all there is, so the envelope can say agreement_inactive', async () => {
    const a = await store.agreementFor(CONGHUA)
    expect(a).toMatchObject({ id: conghua.id, status: 'draft' })
    await expect(verify(await signedCase(chKey))).rejects.toMatchObject({ code: 'agreement_inactive' })
  })

  it('returns the active agreement with its keys, format and limits, and messages verify', async () => {
    await move(conghua.id, 'activate')
    store.invalidate(CONGHUA)
    const a = await store.agreementFor(CONGHUA)
    expect(a).toEqual({
      id: conghua.id,
      partnerRegion: CONGHUA,
      status: 'active',
      validFrom: '2026-01-01',
      validUntil: '2027-12-31',
      format: 'conghua-xml-v1',
      cty: 'xml',
      maxPayloadBytes: 20971520,
      keys: [{ kid: 'ch-2026-1', alg: 'ES256', jwk: chKey.jwk, notAfter: new Date(1_830_297_600_000) }],
    })
    const verified = await verify(await signedCase(chKey))
    expect(verified.agreement.id).toBe(conghua.id)
  })

  it('caches for ttlMs: a suspension shows once the entry expires, or at once after invalidate', async () => {
    await move(conghua.id, 'suspend')
    expect((await store.agreementFor(CONGHUA))?.status).toBe('active')
    gw.clock.advance(TTL + 1)
    expect((await store.agreementFor(CONGHUA))?.status).toBe('suspended')
    await expect(verify(await signedCase(chKey))).rejects.toMatchObject({ code: 'agreement_inactive' })

    await move(conghua.id, 'activate')
    expect((await store.agreementFor(CONGHUA))?.status).toBe('suspended')
    store.invalidate()
    expect((await store.agreementFor(CONGHUA))?.status).toBe('active')
  })

  it('serves rotated keys after invalidation', async () => {
    const next = await partnerKey('ES256', 'ch-2027-1')
    await replaceAgreementKeys({ ctx, input: { id: conghua.id, jwks: { keys: [next.jwk] } } })
    store.invalidate(CONGHUA)
    expect((await store.agreementFor(CONGHUA))?.keys.map((k) => k.kid)).toEqual(['ch-2027-1'])
    await expect(verify(await signedCase(chKey))).rejects.toMatchObject({ code: 'unknown_key' })
    expect((await verify(await signedCase(next))).header.kid).toBe('ch-2027-1')
  })

  it('prefers the active agreement over a newer draft of the same partner', async () => {
    gw.clock.advance(60_000)
    const newer = await createAgreement({ ctx, input: keysOnly(chKey.jwk) })
    store.invalidate()
    expect((await store.agreementFor(CONGHUA))?.id).toBe(conghua.id)
    await move(conghua.id, 'terminate')
    store.invalidate()
    // With none active, the most recent one.
    expect((await store.agreementFor(CONGHUA))?.id).toBe(newer.id)
  })

  it('derives cty json for a Longmen agreement and keeps its payload limit', async () => {
    const key = await partnerKey('EdDSA', 'lm-1')
    await createAgreement({
      ctx,
      input: {
        ...keysOnly(key.jwk),
        partner: { region: LONGMEN, name: '惠州市龙门县' },
        format: 'longmen-json-v1',
        maxPayloadBytes: 2048,
      },
    })
    const a = await store.agreementFor(LONGMEN)
    expect(a).toMatchObject({ cty: 'json', maxPayloadBytes: 2048, status: 'draft' })
    expect(a?.keys[0]).toMatchObject({ alg: 'EdDSA', jwk: { kty: 'OKP', crv: 'Ed25519' } })
  })

  it('shares one answer between callers within the ttl', async () => {
    const [a, b] = await Promise.all([store.agreementFor(LONGMEN), store.agreementFor(LONGMEN)])
    expect(a).toBe(b)
    expect(Object.isFrozen(a)).toBe(true)
  })
})
