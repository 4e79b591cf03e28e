import { createHash } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { createKeyCache, verifyMessage } from '../../../../src/modules/trust/envelope/index.js'
import {
  agreement,
  CASE_PAYLOAD,
  CONGHUA,
  expectRefusal,
  forge,
  header,
  LONGMEN,
  makeKey,
  memoryTrust,
  NOW,
  NOW_S,
  OWN,
  senderKey,
} from './fixtures.js'
import { makeWorld, verifyIn, type World } from './world.js'

let w: World
beforeAll(async () => {
  w = await makeWorld()
})

describe('verifyMessage: valid messages', () => {
  it('verifies an ES256 message and returns header, payload and digest', async () => {
    const jws = await forge({ header: { ...header(w.lmEs), extra: 'ignored' }, key: w.lmEs })
    const m = await verifyIn(w, jws)
    expect(m.sender).toBe(LONGMEN)
    expect(m.agreement).toBe(w.longmen)
    expect(m.header).toEqual({
      alg: 'ES256',
      kid: 'lm-es-1',
      typ: 'kytb-case',
      cty: 'json',
      iss: LONGMEN,
      aud: OWN,
      iat: NOW_S,
      jti: 'lm-0001',
    })
    expect(Buffer.from(m.payload).toString('utf8')).toBe(CASE_PAYLOAD)
    expect(m.digest).toBe(createHash('sha256').update(CASE_PAYLOAD).digest('base64url'))
    expect(m.digest).not.toMatch(/=/)
  })

  it('verifies an EdDSA message', async () => {
    const m = await verifyIn(w, await forge({ header: header(w.lmEd), key: w.lmEd }))
    expect(m.header.alg).toBe('EdDSA')
  })

  it('takes the body as bytes, a content type with parameters, and a list of typs', async () => {
    const jws = await forge({ header: header(w.lmEs, { typ: 'kytb-status' }), key: w.lmEs })
    const m = await verifyIn(w, Buffer.from(jws), {
      contentType: 'Application/JOSE; charset=us-ascii',
      typ: ['kytb-case', 'kytb-status'],
    })
    expect(m.header.typ).toBe('kytb-status')
  })

  it('accepts iat exactly 300 s either side, and an xml message from Conghua', async () => {
    for (const iat of [NOW_S - 300, NOW_S + 300]) {
      await verifyIn(w, await forge({ header: header(w.lmEs, { iat }), key: w.lmEs }))
    }
    const ch = header(w.chEs, { iss: CONGHUA, cty: 'xml' })
    await verifyIn(w, await forge({ header: ch, payload: '<DelegatedCase/>', key: w.chEs }))
  })

  it('accepts a message on the last valid day in Beijing although it is the day before in UTC', async () => {
    const lastDay = agreement(LONGMEN, w.longmen.keys, { validUntil: '2026-11-28' })
    const now = new Date('2026-11-28T15:59:00Z') // 23:59 in Beijing
    const jws = await forge({ header: header(w.lmEs, { iat: now.getTime() / 1000 }), key: w.lmEs })
    await verifyIn(w, jws, { agreements: [lastDay], now })
    const next = new Date('2026-11-28T16:00:00Z') // 00:00 on the 29th in Beijing
    const late = await forge({ header: header(w.lmEs, { iat: next.getTime() / 1000 }), key: w.lmEs })
    await expectRefusal(verifyIn(w, late, { agreements: [lastDay], now: next }), 403, 'agreement_inactive')
  })

  it('re-imports a key replaced under the same kid instead of using the cached one', async () => {
    const keyCache = createKeyCache()
    const replacement = await makeKey('lm-es-1', 'ES256')
    const run = (a: typeof w.longmen, jws: string) =>
      verifyMessage({
        contentType: 'application/jose',
        body: jws,
        expectedTyp: 'kytb-case',
        now: NOW,
        ownRegion: OWN,
        trust: memoryTrust([a]),
        keyCache,
      })
    await run(w.longmen, await forge({ header: header(w.lmEs), key: w.lmEs }))
    const replaced = agreement(LONGMEN, [senderKey(replacement)])
    await run(replaced, await forge({ header: header(replacement), key: replacement }))
    await expectRefusal(
      run(replaced, await forge({ header: header(w.lmEs), key: w.lmEs })),
      401,
      'signature_invalid',
    )
  })
})

describe('verifyMessage: protocol refusals', () => {
  it.each([[undefined], ['application/json'], ['application/jose+json'], ['text/plain; x=application/jose']])(
    'content type %s → 415 unsupported_media_type',
    async (contentType) => {
      const jws = await forge({ header: header(w.lmEs), key: w.lmEs })
      const p = verifyIn(w, jws, { contentType })
      await expectRefusal(p, 415, 'unsupported_media_type')
      expect(p.trust.calls).toEqual([])
    },
  )

  it.each([
    ['two segments', (j: string) => j.split('.').slice(0, 2).join('.')],
    ['four segments', (j: string) => `${j}.abc`],
    ['trailing newline', (j: string) => `${j}\n`],
    ['padding', (j: string) => `${j}==`],
    ['standard base64 char', (j: string) => `${j.slice(0, 10)}+${j.slice(11)}`],
    ['non-ASCII byte', (j: string) => `${j.slice(0, 10)}é${j.slice(11)}`],
    ['segment of length 4n+1', (j: string) => `${j}A`.replace(/\.([^.]*)$/, '.A$1A')],
    ['empty body', () => ''],
  ])('%s → 400 payload_malformed', async (_name, mangle) => {
    const jws = await forge({ header: header(w.lmEs), key: w.lmEs })
    const p = verifyIn(w, mangle(jws))
    await expectRefusal(p, 400, 'payload_malformed')
    expect(p.trust.calls).toEqual([])
  })

  it.each([
    ['not JSON', '{"alg":"ES256",'],
    ['an array', '["ES256"]'],
    [
      'missing iat',
      JSON.stringify({
        alg: 'ES256',
        kid: 'lm-es-1',
        typ: 'kytb-case',
        cty: 'json',
        iss: LONGMEN,
        aud: OWN,
        jti: 'x',
      }),
    ],
  ])('a protected header that is %s → 400 payload_malformed', async (_name, raw) => {
    await expectRefusal(verifyIn(w, await forge({ header: raw, key: w.lmEs })), 400, 'payload_malformed')
  })

  it.each([
    ['iat as a string', { iat: String(NOW_S) }],
    ['iat with a fraction', { iat: NOW_S + 0.5 }],
    ['jti too long', { jti: 'x'.repeat(65) }],
    ['jti with a space', { jti: 'lm 1' }],
    ['aud as an array', { aud: [OWN] }],
    ['empty kid', { kid: '' }],
  ])('%s → 400 payload_malformed', async (_name, extra) => {
    await expectRefusal(
      verifyIn(w, await forge({ header: header(w.lmEs, extra), key: w.lmEs })),
      400,
      'payload_malformed',
    )
  })

  it.each([
    ['10 min old', -600],
    ['10 min ahead', 600],
    ['301 s old', -301],
  ])('iat %s → 401 stale_message', async (_name, delta) => {
    const jws = await forge({ header: header(w.lmEs, { iat: NOW_S + delta }), key: w.lmEs })
    await expectRefusal(verifyIn(w, jws), 401, 'stale_message')
  })

  it('another aud → 401 wrong_audience', async () => {
    const jws = await forge({ header: header(w.lmEs, { aud: CONGHUA }), key: w.lmEs })
    await expectRefusal(verifyIn(w, jws), 401, 'wrong_audience')
  })

  it.each([['kytb-status'], ['kytb-receipt'], ['JWT'], ['KYTB-CASE']])(
    'typ %s at the case endpoint → 400',
    async (typ) => {
      const jws = await forge({ header: header(w.lmEs, { typ }), key: w.lmEs })
      await expectRefusal(verifyIn(w, jws), 400, 'payload_malformed')
    },
  )

  it.each([['xml'], ['application/json'], ['JSON']])('cty %s for a json agreement → 415', async (cty) => {
    const jws = await forge({ header: header(w.lmEs, { cty }), key: w.lmEs })
    await expectRefusal(verifyIn(w, jws), 415, 'unsupported_media_type')
  })

  it('a payload over maxPayloadBytes → 413 before the signature is looked at', async () => {
    const small = agreement(LONGMEN, w.longmen.keys, { maxPayloadBytes: 1000 })
    const big = 'x'.repeat(1001)
    const ok = await forge({ header: header(w.lmEs), payload: 'x'.repeat(1000), key: w.lmEs })
    await verifyIn(w, ok, { agreements: [small] })
    const unsigned = await forge({ header: header(w.lmEs), payload: big, signature: new Uint8Array(64) })
    await expectRefusal(verifyIn(w, unsigned, { agreements: [small] }), 413, 'payload_too_large')
  })

  it.each([
    ['suspended', { status: 'suspended' }],
    ['terminated', { status: 'terminated' }],
    ['draft', { status: 'draft' }],
    ['expired', { validUntil: '2026-11-27' }],
    ['not yet valid', { validFrom: '2026-11-29' }],
  ] as const)('a %s agreement → 403 agreement_inactive', async (_name, extra) => {
    const a = agreement(LONGMEN, w.longmen.keys, extra)
    const jws = await forge({ header: header(w.lmEs), key: w.lmEs })
    await expectRefusal(verifyIn(w, jws, { agreements: [a] }), 403, 'agreement_inactive')
  })

  it('no agreement, or an iss that is not a region code → 403, and the store only sees region codes', async () => {
    const none = verifyIn(w, await forge({ header: header(w.lmEs, { iss: '440000' }), key: w.lmEs }))
    await expectRefusal(none, 403, 'agreement_inactive')
    const odd = verifyIn(
      w,
      await forge({ header: header(w.lmEs, { iss: "441324' OR 1=1 --" }), key: w.lmEs }),
    )
    await expectRefusal(odd, 403, 'agreement_inactive')
    expect(odd.trust.calls).toEqual([])
  })

  it('a trust store answering with another region’s agreement → 403', async () => {
    const wrong = { agreementFor: async () => w.conghua }
    const jws = await forge({ header: header(w.chEs), key: w.chEs })
    const p = verifyMessage({
      contentType: 'application/jose',
      body: jws,
      expectedTyp: 'kytb-case',
      now: NOW,
      ownRegion: OWN,
      trust: wrong,
    })
    await expectRefusal(p, 403, 'agreement_inactive')
  })

  it('a key outside its notBefore/notAfter → 401 unknown_key', async () => {
    await expectRefusal(
      verifyIn(w, await forge({ header: header(w.lmOld), key: w.lmOld })),
      401,
      'unknown_key',
    )
    await expectRefusal(
      verifyIn(w, await forge({ header: header(w.lmNext), key: w.lmNext })),
      401,
      'unknown_key',
    )
    const later = new Date(NOW.getTime() + 2 * 3600_000)
    const next = await forge({ header: header(w.lmNext, { iat: later.getTime() / 1000 }), key: w.lmNext })
    await verifyIn(w, next, { now: later })
  })

  it('an unknown kid, or another partner’s kid → 401 unknown_key', async () => {
    await expectRefusal(
      verifyIn(w, await forge({ header: header(w.lmEs, { kid: 'lm-es-9' }), key: w.lmEs })),
      401,
      'unknown_key',
    )
    const theirs = await forge({ header: header(w.chEs, { iss: LONGMEN }), key: w.chEs })
    await expectRefusal(verifyIn(w, theirs), 401, 'unknown_key')
  })

  it('a kid registered for EdDSA used with ES256 → 401 signature_invalid', async () => {
    const jws = await forge({ header: header(w.lmEs, { kid: w.lmEd.kid }), key: w.lmEs })
    await expectRefusal(verifyIn(w, jws), 401, 'signature_invalid')
  })
})
