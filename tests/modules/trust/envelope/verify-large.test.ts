import { randomBytes } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { b64u, expectRefusal, forge, header, makeKey, rawSign, type TestKey } from './fixtures.js'
import { makeWorld, verifyIn, type World } from './world.js'

/**
 * Big payloads (cases with files): the signing input is hashed in pieces with turns of the
 * event loop between them (verify.ts). The same outcomes as for small messages, whose refusals
 * verify-message*.test.ts covers, checked here on both algorithms at over 4 MiB of input.
 */
const LARGE_PAYLOAD_BYTES = 4 * 1024 * 1024
let w: World
let stranger: TestKey
// JSON-ish bytes over the hashing step; random so no two runs sign the same thing.
const big = () =>
  Buffer.from(JSON.stringify({ caseNo: 'LM-BIG', blob: randomBytes(LARGE_PAYLOAD_BYTES).toString('base64') }))

beforeAll(async () => {
  w = await makeWorld()
  stranger = await makeKey('lm-es-1', 'ES256') // same kid, another key
})

describe('verifyMessage of a big payload', () => {
  it('verifies ES256 and EdDSA messages and returns the payload exactly', async () => {
    for (const key of [w.lmEs, w.lmEd]) {
      const payload = big()
      expect(payload.length).toBeGreaterThan(LARGE_PAYLOAD_BYTES)
      const m = await verifyIn(w, await forge({ header: header(key), payload, key }))
      expect(Buffer.from(m.payload).equals(payload)).toBe(true)
      expect(m.header.alg).toBe(key.alg)
    }
  })

  it('refuses a changed payload, another key’s signature and a malformed signature with 401', async () => {
    for (const key of [w.lmEs, w.lmEd]) {
      const payload = big()
      const jws = await forge({ header: header(key), payload, key })
      const [h, p, s] = jws.split('.') as [string, string, string]
      // One payload character changed (not the last, whose low bits may be unused).
      const tampered = `${h}.${p.slice(0, 100)}${p[100] === 'A' ? 'B' : 'A'}${p.slice(101)}.${s}`
      await expectRefusal(verifyIn(w, tampered), 401, 'signature_invalid')
      await expectRefusal(verifyIn(w, `${h}.${p}.`), 401, 'signature_invalid')
      await expectRefusal(verifyIn(w, `${h}.${p}.${s.slice(0, -4)}`), 401, 'signature_invalid')
    }
    const payload = big()
    const input = `${b64u(JSON.stringify(header(w.lmEs)))}.${b64u(payload)}`
    const foreign = await rawSign(stranger.privateKey, 'ES256', Buffer.from(input))
    await expectRefusal(verifyIn(w, `${input}.${b64u(foreign)}`), 401, 'signature_invalid')
    // An ES256 signature made for another message, and one of the wrong length.
    const other = await rawSign(w.lmEs.privateKey, 'ES256', Buffer.from(`${input}x`))
    await expectRefusal(verifyIn(w, `${input}.${b64u(other)}`), 401, 'signature_invalid')
    await expectRefusal(
      verifyIn(w, `${input}.${b64u(Buffer.concat([other, Buffer.from([0])]))}`),
      401,
      'signature_invalid',
    )
  })

  it('keeps the earlier checks first: a header signed for EdDSA under an ES256 kid is refused', async () => {
    const payload = big()
    const jws = await forge({ header: header(w.lmEs, { alg: 'EdDSA' }), payload, key: w.lmEd })
    await expectRefusal(verifyIn(w, jws), 401, 'signature_invalid')
  })
})
