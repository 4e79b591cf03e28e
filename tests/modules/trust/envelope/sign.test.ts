import { compactVerify, decodeProtectedHeader, generateKeyPair } from 'jose'
import { describe, expect, it } from 'vitest'
import { createSigner } from '../../../../src/modules/trust/envelope/index.js'
import { makeKey, NOW, NOW_S, OWN } from './fixtures.js'

/**
 * What we sign must verify with any JWS library: the partners' do not know how it was made.
 * jose (the library the partners' reference code uses) checks every signature here.
 */
describe('createSigner', () => {
  const payload = new TextEncoder().encode('{"caseNo":"LM-20261128-0001","text":"跨域通办"}')

  for (const alg of ['ES256', 'EdDSA'] as const) {
    it(`signs ${alg} compact JWS that jose verifies, with the protocol's header in its order`, async () => {
      const key = await makeKey(`xf-${alg}`, alg)
      const signer = createSigner({ ownRegion: OWN, keys: { current: key } })
      const signed = await signer.sign({ typ: 'kytb-status', cty: 'json', aud: '441324', payload, now: NOW })

      const verified = await compactVerify(signed.jws, key.publicKey, { algorithms: [alg] })
      expect(new TextDecoder().decode(verified.payload)).toBe(new TextDecoder().decode(payload))
      expect(Object.keys(decodeProtectedHeader(signed.jws))).toEqual([
        'alg',
        'kid',
        'typ',
        'cty',
        'iss',
        'aud',
        'iat',
        'jti',
      ])
      expect(verified.protectedHeader).toMatchObject({
        alg,
        kid: `xf-${alg}`,
        iss: OWN,
        aud: '441324',
        iat: NOW_S,
        jti: signed.jti,
      })
    })
  }

  it('makes an ES256 signature of 64 bytes (r‖s), not DER', async () => {
    const key = await makeKey('xf-es', 'ES256')
    const signed = await createSigner({ ownRegion: OWN, keys: { current: key } }).sign({
      typ: 'kytb-receipt',
      cty: 'json',
      aud: '440117',
      payload,
      now: NOW,
    })
    expect(Buffer.from(signed.jws.split('.')[2]!, 'base64url')).toHaveLength(64)
  })

  it('signs a payload given as a view into a larger buffer by its own bytes only', async () => {
    const key = await makeKey('xf-view', 'ES256')
    const backing = new Uint8Array(payload.length + 8).fill(0x41)
    backing.set(payload, 4)
    const view = backing.subarray(4, 4 + payload.length)
    const signed = await createSigner({ ownRegion: OWN, keys: { current: key } }).sign({
      typ: 'kytb-status',
      cty: 'json',
      aud: '441324',
      payload: view,
      now: NOW,
    })
    const verified = await compactVerify(signed.jws, key.publicKey)
    expect(Buffer.from(verified.payload).equals(Buffer.from(payload))).toBe(true)
  })

  it('a signature does not verify under another key of the same kind', async () => {
    const key = await makeKey('xf-a', 'ES256')
    const other = await generateKeyPair('ES256')
    const signed = await createSigner({ ownRegion: OWN, keys: { current: key } }).sign({
      typ: 'kytb-status',
      cty: 'json',
      aud: '441324',
      payload,
      now: NOW,
    })
    await expect(compactVerify(signed.jws, other.publicKey)).rejects.toThrow()
  })
})
