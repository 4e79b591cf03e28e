import { beforeAll, describe, expect, it } from 'vitest'
import {
  createSigner,
  makeReceipt,
  newJti,
  type SenderAgreement,
  type Signer,
  verifyMessage,
  verifyReceipt,
} from '../../../../src/modules/trust/envelope/index.js'
import {
  agreement,
  CONGHUA,
  expectRefusal,
  forge,
  LONGMEN,
  makeKey,
  memoryTrust,
  NOW,
  NOW_S,
  OWN,
  senderKey,
} from './fixtures.js'
import { makeWorld, type World } from './world.js'

let w: World
let longmenSigner: Signer
beforeAll(async () => {
  w = await makeWorld()
  longmenSigner = createSigner({ ownRegion: LONGMEN, keys: { current: w.lmEs } })
})

const REF = 'xf-AAAAAAAAAAAAAAAAAAAAAA'
const DIGEST = 'n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg'
const receivedAt = new Date('2026-11-28T01:30:01.123Z')

const receiptOf = (extra: Partial<Parameters<typeof makeReceipt>[0]> = {}) =>
  makeReceipt({
    ref: REF,
    digest: DIGEST,
    receivedAt,
    outcome: 'accepted',
    caseNo: 'LM-2026-000123',
    ...extra,
  })

/** Longmen answers one of our deliveries; we check its receipt. */
async function check(jws: string, opts: { partner?: SenderAgreement; ref?: string; digest?: string } = {}) {
  return verifyReceipt(jws, {
    partnerAgreement: opts.partner ?? w.longmen,
    expectedRef: opts.ref ?? REF,
    expectedDigest: opts.digest ?? DIGEST,
    ownRegion: OWN,
    now: NOW,
  })
}

const signReceipt = (payload: Uint8Array, signer = longmenSigner, extra: { typ?: 'kytb-case' } = {}) =>
  signer.sign({ typ: extra.typ ?? 'kytb-receipt', cty: 'json', aud: OWN, payload, now: NOW })

describe('makeReceipt', () => {
  it('writes the protocol’s members in order, receivedAt in Beijing time with milliseconds', () => {
    expect(Buffer.from(receiptOf()).toString()).toBe(
      `{"ref":"${REF}","digest":"${DIGEST}","receivedAt":"2026-11-28T09:30:01.123+08:00","outcome":"accepted","caseNo":"LM-2026-000123"}`,
    )
  })

  it('rolls over to the next Beijing day and keeps zero milliseconds', () => {
    const r = JSON.parse(Buffer.from(receiptOf({ receivedAt: new Date('2026-12-31T16:00:00Z') })).toString())
    expect(r.receivedAt).toBe('2027-01-01T00:00:00.000+08:00')
  })
})

describe('createSigner', () => {
  it('signs with the envelope header in the protocol’s order, and the message verifies on the other side', async () => {
    const payload = Buffer.from('{"caseNo":"XF-1"}')
    const signed = await longmenSigner.sign({
      typ: 'kytb-case',
      cty: 'json',
      aud: OWN,
      payload,
      now: new Date(NOW.getTime() + 999),
    })
    const h = JSON.parse(Buffer.from(signed.jws.split('.')[0]!, 'base64url').toString())
    expect(Object.keys(h)).toEqual(['alg', 'kid', 'typ', 'cty', 'iss', 'aud', 'iat', 'jti'])
    expect(h).toMatchObject({
      alg: 'ES256',
      kid: 'lm-es-1',
      iss: LONGMEN,
      aud: OWN,
      iat: NOW_S,
      jti: signed.jti,
    })
    const m = await verifyMessage({
      contentType: 'application/jose',
      body: signed.jws,
      expectedTyp: 'kytb-case',
      now: NOW,
      ownRegion: OWN,
      trust: memoryTrust([w.longmen]),
    })
    expect(m.digest).toBe(signed.digest)
    expect(m.header.jti).toBe(signed.jti)
  })

  it('keeps a given jti (retries), and refuses bad arguments as our own bugs', async () => {
    const payload = new Uint8Array([1])
    expect(
      (
        await longmenSigner.sign({
          typ: 'kytb-status',
          cty: 'json',
          aud: OWN,
          payload,
          jti: 'lm-7',
          now: NOW,
        })
      ).jti,
    ).toBe('lm-7')
    await expect(
      longmenSigner.sign({ typ: 'kytb-status', cty: 'json', aud: OWN, payload, jti: 'a b', now: NOW }),
    ).rejects.toThrow(TypeError)
    await expect(
      longmenSigner.sign({ typ: 'kytb-status', cty: 'json', aud: 'x', payload, now: NOW }),
    ).rejects.toThrow(TypeError)
    expect(() => createSigner({ ownRegion: 'xinfeng', keys: { current: w.lmEs } })).toThrow(TypeError)
  })

  it('newJti gives distinct ids in the protocol’s alphabet', () => {
    const ids = new Set(Array.from({ length: 1000 }, newJti))
    expect(ids.size).toBe(1000)
    for (const id of ids) expect(id).toMatch(/^xf-[A-Za-z0-9_-]{22}$/)
  })
})

describe('verifyReceipt', () => {
  it('returns the parsed receipt of a valid, partner-signed receipt', async () => {
    const signed = await signReceipt(receiptOf())
    const { receipt, header } = await check(signed.jws)
    expect(receipt).toEqual({
      ref: REF,
      digest: DIGEST,
      receivedAt: '2026-11-28T09:30:01.123+08:00',
      outcome: 'accepted',
      caseNo: 'LM-2026-000123',
    })
    expect(header).toMatchObject({ typ: 'kytb-receipt', iss: LONGMEN, aud: OWN, jti: signed.jti })
  })

  it('accepts cty json from a partner whose documents are XML', async () => {
    const ch = createSigner({ ownRegion: CONGHUA, keys: { current: w.chEs } })
    await check((await signReceipt(receiptOf({ outcome: 'duplicate' }), ch)).jws, { partner: w.conghua })
  })

  it('a bad signature → signature_invalid', async () => {
    const [h, p, s] = (await signReceipt(receiptOf())).jws.split('.')
    const sig = Buffer.from(s!, 'base64url')
    sig[10] = sig[10]! ^ 1
    const err = await expectRefusal(check(`${h}.${p}.${sig.toString('base64url')}`), 401, 'signature_invalid')
    expect(err.internal).toMatch(/^receipt: signature_invalid/)
  })

  it('an unknown kid → signature_invalid, saying why internally', async () => {
    const stranger = await makeKey('lm-es-x', 'ES256')
    const signer = createSigner({ ownRegion: LONGMEN, keys: { current: stranger } })
    const err = await expectRefusal(
      check((await signReceipt(receiptOf(), signer)).jws),
      401,
      'signature_invalid',
    )
    expect(err.internal).toMatch(/^receipt: unknown_key/)
  })

  it('a receipt from another partner than the one we delivered to → signature_invalid', async () => {
    const ch = createSigner({ ownRegion: CONGHUA, keys: { current: w.chEs } })
    const withBoth = agreement(LONGMEN, [...w.longmen.keys, senderKey(w.chEs)])
    await expectRefusal(
      check((await signReceipt(receiptOf(), ch)).jws, { partner: withBoth }),
      401,
      'signature_invalid',
    )
  })

  it('a signed message of another typ → signature_invalid', async () => {
    await expectRefusal(
      check((await signReceipt(receiptOf(), longmenSigner, { typ: 'kytb-case' })).jws),
      401,
      'signature_invalid',
    )
  })

  it('a wrong digest or ref → payload_invalid', async () => {
    await expectRefusal(check((await signReceipt(receiptOf({ digest: 'AAAA' }))).jws), 422, 'payload_invalid')
    await expectRefusal(
      check((await signReceipt(receiptOf({ ref: 'xf-other' }))).jws),
      422,
      'payload_invalid',
    )
  })

  it.each([
    ['not JSON', '{"ref":'],
    [
      'an extra member',
      `{"ref":"${REF}","digest":"${DIGEST}","receivedAt":"2026-11-28T09:30:01.123+08:00","outcome":"accepted","caseNo":"1","x":1}`,
    ],
    [
      'a duplicate member',
      `{"ref":"${REF}","ref":"${REF}","digest":"${DIGEST}","receivedAt":"2026-11-28T09:30:01.123+08:00","outcome":"accepted","caseNo":"1"}`,
    ],
    [
      'an unknown outcome',
      `{"ref":"${REF}","digest":"${DIGEST}","receivedAt":"2026-11-28T09:30:01.123+08:00","outcome":"ok","caseNo":"1"}`,
    ],
    [
      'a bad receivedAt',
      `{"ref":"${REF}","digest":"${DIGEST}","receivedAt":"28/11/2026","outcome":"accepted","caseNo":"1"}`,
    ],
    [
      'a missing caseNo',
      `{"ref":"${REF}","digest":"${DIGEST}","receivedAt":"2026-11-28T09:30:01.123+08:00","outcome":"accepted"}`,
    ],
  ])('a payload with %s → payload_invalid', async (_name, json) => {
    await expectRefusal(check((await signReceipt(Buffer.from(json))).jws), 422, 'payload_invalid')
  })

  it('a receipt made for another audience or long ago → signature_invalid', async () => {
    const other = await longmenSigner.sign({
      typ: 'kytb-receipt',
      cty: 'json',
      aud: CONGHUA,
      payload: receiptOf(),
      now: NOW,
    })
    await expectRefusal(check(other.jws), 401, 'signature_invalid')
    const old = await longmenSigner.sign({
      typ: 'kytb-receipt',
      cty: 'json',
      aud: OWN,
      payload: receiptOf(),
      now: new Date(NOW.getTime() - 3600_000),
    })
    const err = await expectRefusal(check(old.jws), 401, 'signature_invalid')
    expect(err.internal).toMatch(/stale_message/)
  })

  it('an oversized receipt is refused before its signature is checked', async () => {
    const jws = await forge({
      header: {
        alg: 'ES256',
        kid: 'lm-es-1',
        typ: 'kytb-receipt',
        cty: 'json',
        iss: LONGMEN,
        aud: OWN,
        iat: NOW_S,
        jti: 'r1',
      },
      payload: 'x'.repeat(5000),
      signature: new Uint8Array(64),
    })
    const err = await expectRefusal(check(jws), 401, 'signature_invalid')
    expect(err.internal).toMatch(/payload_too_large/)
  })
})
