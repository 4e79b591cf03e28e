import { CompactSign, generateKeyPair, type CryptoKey as JoseCryptoKey } from 'jose'
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { verifyMessage } from '../../../../src/modules/trust/envelope/index.js'
import {
  b64u,
  CASE_PAYLOAD,
  expectRefusal,
  forge,
  header,
  LONGMEN,
  memoryTrust,
  NOW,
  OWN,
} from './fixtures.js'
import { makeWorld, verifyIn, type World } from './world.js'

/** Attacks on the envelope, each refused with its protocol code and never a 500. */
let w: World
beforeAll(async () => {
  w = await makeWorld()
})

// Key-carrying headers must never cause an outbound request: any fetch fails the test.
const fetchSpy = vi.fn(() => {
  throw new Error('no outbound request may be made while verifying')
})
beforeEach(() => {
  vi.stubGlobal('fetch', fetchSpy)
})
afterEach(() => {
  expect(fetchSpy).not.toHaveBeenCalled()
  vi.unstubAllGlobals()
})

const flipBit = (segment: string, byte: number, bit = 0): string => {
  const bytes = Buffer.from(segment, 'base64url')
  bytes[byte] = bytes[byte]! ^ (1 << bit)
  return b64u(bytes)
}

describe('algorithm attacks', () => {
  it.each([['none'], ['None'], ['NONE'], ['nOnE']])(
    'alg %s → 401 signature_invalid, unsigned or not',
    async (alg) => {
      const h = header(w.lmEs, { alg })
      for (const signature of [new Uint8Array(), new Uint8Array(64)]) {
        const p = verifyIn(w, await forge({ header: h, signature }))
        await expectRefusal(p, 401, 'signature_invalid')
        expect(p.trust.calls).toEqual([])
      }
    },
  )

  it('HS256 with the partner’s public key as the secret → 401, not a TypeError', async () => {
    for (const secret of [JSON.stringify(w.lmEs.jwk), Buffer.from(w.lmEs.jwk.x!, 'base64url')]) {
      const bytes = typeof secret === 'string' ? Buffer.from(secret) : secret
      const jws = await new CompactSign(Buffer.from(CASE_PAYLOAD))
        .setProtectedHeader(header(w.lmEs, { alg: 'HS256' }) as { alg: string })
        .sign(bytes)
      await expectRefusal(verifyIn(w, jws), 401, 'signature_invalid')
    }
  })

  it('a library TypeError during verification (wrong key type) is a 401 with the cause kept', async () => {
    const hmac = (await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, [
      'verify',
    ])) as JoseCryptoKey
    const err = await expectRefusal(
      verifyMessage({
        contentType: 'application/jose',
        body: await forge({ header: header(w.lmEs), key: w.lmEs }),
        expectedTyp: 'kytb-case',
        now: NOW,
        ownRegion: OWN,
        trust: memoryTrust([w.longmen]),
        keyCache: { get: async () => hmac },
      }),
      401,
      'signature_invalid',
    )
    expect(err.cause).toBeInstanceOf(TypeError)
  })

  it.each([['RS256'], ['PS256'], ['ES384'], ['ES256K'], ['Ed25519'], ['es256'], ['']])(
    'alg %j → refused',
    async (alg) => {
      const p = verifyIn(w, await forge({ header: header(w.lmEs, { alg }), key: w.lmEs }))
      // An empty alg is a missing required member (400); every other value is a bad signature.
      await expectRefusal(p, alg === '' ? 400 : 401, alg === '' ? 'payload_malformed' : 'signature_invalid')
    },
  )

  it('an RS256 token signed with a real RSA key → 401 signature_invalid', async () => {
    const rsa = await generateKeyPair('RS256')
    const jws = await new CompactSign(Buffer.from(CASE_PAYLOAD))
      .setProtectedHeader(header(w.lmEs, { alg: 'RS256' }) as { alg: string })
      .sign(rsa.privateKey)
    await expectRefusal(verifyIn(w, jws), 401, 'signature_invalid')
  })
})

describe('kid attacks: refused, and never passed to the trust store', () => {
  it.each([
    ['unknown', 'lm-es-9'],
    ['path traversal', '../../keys/lm-es-1'],
    ['SQL', "lm-es-1' OR 1=1 --"],
    ['NUL byte', 'lm-es-1\u0000'],
    ['129 characters', 'k'.repeat(129)],
  ])('%s kid → 401 unknown_key', async (_name, kid) => {
    const p = verifyIn(w, await forge({ header: header(w.lmEs, { kid }), key: w.lmEs }))
    await expectRefusal(p, 401, 'unknown_key')
    expect(p.trust.calls.every((r) => r === LONGMEN)).toBe(true)
  })

  it('a 10 kB kid → 400 payload_malformed (the header is over its 4 KB bound), before any lookup', async () => {
    const p = verifyIn(w, await forge({ header: header(w.lmEs, { kid: 'k'.repeat(10_240) }), key: w.lmEs }))
    await expectRefusal(p, 400, 'payload_malformed')
    expect(p.trust.calls).toEqual([])
  })
})

describe('header policy', () => {
  it.each([
    ['jku', { jku: 'https://attacker.example/jwks.json' }],
    ['x5u', { x5u: 'https://attacker.example/cert.pem' }],
    ['x5c', { x5c: ['MIIB'] }],
    ['crit', { crit: ['exp'] }],
    ['crit b64', { crit: ['b64'], b64: false }],
    ['b64 false', { b64: false }],
    ['b64 true', { b64: true }],
  ])('%s → 401 signature_invalid, with no fetch', async (_name, extra) => {
    await expectRefusal(
      verifyIn(w, await forge({ header: header(w.lmEs, extra), key: w.lmEs })),
      401,
      'signature_invalid',
    )
  })

  it('an embedded jwk of the attacker’s own key → 401 signature_invalid', async () => {
    const attacker = await generateKeyPair('ES256', { extractable: true })
    const jwk = { kty: 'EC', crv: 'P-256', x: w.lmEs.jwk.x, y: w.lmEs.jwk.y }
    const jws = await new CompactSign(Buffer.from(CASE_PAYLOAD))
      .setProtectedHeader(header(w.lmEs, { jwk }) as { alg: string })
      .sign(attacker.privateKey)
    await expectRefusal(verifyIn(w, jws), 401, 'signature_invalid')
  })

  it.each([
    ['alg twice', (h: string) => h.replace('{', '{"alg":"none",')],
    ['kid twice', (h: string) => h.replace('{', '{"kid":"lm-es-9",')],
    ['aud twice, one escaped', (h: string) => h.replace('{', '{"\\u0061ud":"440117",')],
  ])('duplicate members (%s), validly signed → 400 payload_malformed', async (_name, dup) => {
    const raw = dup(JSON.stringify(header(w.lmEs)))
    await expectRefusal(verifyIn(w, await forge({ header: raw, key: w.lmEs })), 400, 'payload_malformed')
  })

  it('a __proto__ member changes nothing', async () => {
    const raw = JSON.stringify(header(w.lmEs)).replace('{', '{"__proto__":{"alg":"none","admin":true},')
    const m = await verifyIn(w, await forge({ header: raw, key: w.lmEs }))
    expect(m.header.alg).toBe('ES256')
    expect(({} as { admin?: boolean }).admin).toBeUndefined()
  })
})

describe('tampering', () => {
  const parts = async () =>
    (await forge({ header: header(w.lmEs), key: w.lmEs })).split('.') as [string, string, string]

  it('a flipped bit in the header (still valid JSON) → 401 signature_invalid', async () => {
    const [h, p, s] = await parts()
    const text = Buffer.from(h, 'base64url').toString()
    const at = text.indexOf('lm-0001') + 6 // '1' → '0'
    await expectRefusal(verifyIn(w, `${flipBit(h, at)}.${p}.${s}`), 401, 'signature_invalid')
  })

  it('a flipped bit in the payload → 401 signature_invalid', async () => {
    const [h, p, s] = await parts()
    await expectRefusal(verifyIn(w, `${h}.${flipBit(p, 5, 3)}.${s}`), 401, 'signature_invalid')
  })

  it.each([[0], [31], [32], [63]])(
    'a flipped bit in signature byte %i → 401 signature_invalid',
    async (byte) => {
      const [h, p, s] = await parts()
      await expectRefusal(verifyIn(w, `${h}.${p}.${flipBit(s, byte)}`), 401, 'signature_invalid')
    },
  )

  it.each([
    ['all zero', new Uint8Array(64)],
    ['too short', new Uint8Array(32).fill(1)],
    ['too long', new Uint8Array(72).fill(1)],
  ])('a signature that is %s → 401 signature_invalid', async (_name, signature) => {
    await expectRefusal(
      verifyIn(w, await forge({ header: header(w.lmEs), signature })),
      401,
      'signature_invalid',
    )
  })

  it('an EdDSA all-zero signature → 401 signature_invalid', async () => {
    const jws = await forge({ header: header(w.lmEd), signature: new Uint8Array(64) })
    await expectRefusal(verifyIn(w, jws), 401, 'signature_invalid')
  })

  it('a header signed by one partner, re-labelled as another → 401 unknown_key', async () => {
    const jws = await forge({ header: header(w.chEs, { iss: LONGMEN }), key: w.chEs })
    await expectRefusal(verifyIn(w, jws), 401, 'unknown_key')
  })
})
