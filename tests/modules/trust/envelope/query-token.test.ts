import { beforeAll, describe, expect, it } from 'vitest'
import { createSigner, type Signer, verifyQueryToken } from '../../../../src/modules/trust/envelope/index.js'
import { CONGHUA, expectRefusal, LONGMEN, memoryTrust, NOW, OWN } from './fixtures.js'
import { makeWorld, type World } from './world.js'

let w: World
let longmen: Signer
beforeAll(async () => {
  w = await makeWorld()
  longmen = createSigner({ ownRegion: LONGMEN, keys: { current: w.lmEs } })
})

const token = async (
  payload: string,
  extra: { typ?: 'kytb-case'; cty?: 'xml'; signer?: Signer; now?: Date } = {},
) =>
  (
    await (extra.signer ?? longmen).sign({
      typ: extra.typ ?? 'kytb-query',
      cty: extra.cty ?? 'json',
      aud: OWN,
      payload: Buffer.from(payload),
      now: extra.now ?? NOW,
    })
  ).jws

const check = (authorization: string | undefined, expectedCaseNo = 'LM-2026-000123') =>
  verifyQueryToken(authorization, {
    expectedCaseNo,
    now: NOW,
    ownRegion: OWN,
    trust: memoryTrust([w.longmen, w.conghua]),
  })

describe('verifyQueryToken', () => {
  it('returns sender, case number and jti (for the caller’s replay store)', async () => {
    const jws = await token('{"caseNo": "LM-2026-000123"}')
    const q = await check(`Bearer ${jws}`)
    expect(q).toMatchObject({ sender: LONGMEN, caseNo: 'LM-2026-000123' })
    expect(q.jti).toBe(q.header.jti)
    expect(q.jti).toMatch(/^xf-/)
    await check(`bearer  ${jws}`)
  })

  it('is cty json even for a partner whose documents are XML', async () => {
    const ch = createSigner({ ownRegion: CONGHUA, keys: { current: w.chEs } })
    await check(`Bearer ${await token('{"caseNo":"CH-1"}', { signer: ch })}`, 'CH-1')
    const xml = await token('{"caseNo":"CH-1"}', { signer: ch, cty: 'xml' })
    await expectRefusal(check(`Bearer ${xml}`, 'CH-1'), 415, 'unsupported_media_type')
  })

  it.each([[undefined], [''], ['Basic dXNlcjpwYXNz'], ['Bearer'], ['Bearer a b']])(
    'Authorization %j → 401 signature_invalid',
    async (authorization) => {
      await expectRefusal(check(authorization), 401, 'signature_invalid')
    },
  )

  it('a token for another case → 401 signature_invalid', async () => {
    await expectRefusal(
      check(`Bearer ${await token('{"caseNo":"LM-2026-000999"}')}`),
      401,
      'signature_invalid',
    )
  })

  it.each([
    ['{"caseNo":1}'],
    ['{"caseNo":"LM-2026-000123","x":1}'],
    ['{"caseNo":"a","caseNo":"LM-2026-000123"}'],
    ['[]'],
  ])('payload %s → 400 payload_malformed', async (payload) => {
    await expectRefusal(check(`Bearer ${await token(payload)}`), 400, 'payload_malformed')
  })

  it('a message of another typ → 400, a stale token → 401 stale_message', async () => {
    await expectRefusal(
      check(`Bearer ${await token('{"caseNo":"LM-2026-000123"}', { typ: 'kytb-case' })}`),
      400,
      'payload_malformed',
    )
    const old = await token('{"caseNo":"LM-2026-000123"}', { now: new Date(NOW.getTime() - 301_000) })
    await expectRefusal(check(`Bearer ${old}`), 401, 'stale_message')
  })

  it('a payload over 1 KB → 413', async () => {
    await expectRefusal(
      check(`Bearer ${await token(`{"caseNo":"${'x'.repeat(1100)}"}`)}`),
      413,
      'payload_too_large',
    )
  })
})
