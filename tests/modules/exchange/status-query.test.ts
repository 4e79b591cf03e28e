import { CompactSign, compactVerify, createLocalJWKSet } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getFormat } from '../../../src/modules/formats/registry.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { makePartnerKey, readReceipt, registerPartner, type TestPartner } from '../../helpers/partners.js'

let gw: TestGateway
let longmen: TestPartner
let conghua: TestPartner
let ours: string

beforeAll(async () => {
  gw = await createTestGateway()
  longmen = await registerPartner(gw, 'longmen')
  conghua = await registerPartner(gw, 'conghua')
  const res = await longmen.send('cases', longmen.sample('case-person-mail.json'))
  ours = (await readReceipt(gw, await res.text())).receipt.caseNo as string
  const accepted = await gw.request(`/v1/cases/${ours}/events`, {
    method: 'POST',
    token: await gw.adminToken(),
    json: { type: 'accepted' },
  })
  expect(accepted.status).toBe(201)
})
afterAll(() => gw.close())

const query = (caseNo: string, token?: string) =>
  gw.request(`/v1/exchange/cases/${caseNo}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} })
const tokenFor = (partner: TestPartner, caseNo: string, jti?: string) =>
  partner.sign('kytb-query', JSON.stringify({ caseNo }), { cty: 'json', ...(jti ? { jti } : {}) })

describe('GET /v1/exchange/cases/{caseNo}', () => {
  it('answers the originator with our last status event, signed, in its format', async () => {
    const res = await query('LM2026112800017', await tokenFor(longmen, 'LM2026112800017'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/jose')
    const jwks = createLocalJWKSet(gw.deps.keys.publicJwks(gw.clock.now()) as never)
    const { payload, protectedHeader } = await compactVerify(await res.text(), jwks)
    expect(protectedHeader).toMatchObject({ typ: 'kytb-status', cty: 'json', iss: '440233', aud: '441324' })
    const status = getFormat('longmen-json-v1')?.parseStatus(payload)
    expect(status?.ok && status.value).toMatchObject({
      caseNo: 'LM2026112800017',
      peerCaseNo: ours,
      seq: 2,
      type: 'accepted',
    })
  })

  it('accepts a query token once only', async () => {
    const token = await tokenFor(longmen, 'LM2026112800017', 'query-once-1')
    expect((await query('LM2026112800017', token)).status).toBe(200)
    const again = await query('LM2026112800017', token)
    expect(again.status).toBe(409)
    expect(((await again.json()) as { code: string }).code).toBe('replayed_message')
  })

  it('answers 404 for a case the caller did not originate, the same as for no case', async () => {
    const other = await query('LM2026112800017', await tokenFor(conghua, 'LM2026112800017'))
    const none = await query('LM-NO-SUCH', await tokenFor(longmen, 'LM-NO-SUCH'))
    expect([other.status, none.status]).toEqual([404, 404])
    expect(((await other.json()) as { code: string }).code).toBe('case_not_found')
  })

  it('refuses a missing token, a token for another case, and one signed by a stranger', async () => {
    expect((await query('LM2026112800017')).status).toBe(401)
    expect((await query('LM2026112800017', await tokenFor(longmen, 'LM-OTHER'))).status).toBe(401)
    const { privateKey } = await makePartnerKey('longmen-2026-1')
    const forged = await new CompactSign(
      new TextEncoder().encode(JSON.stringify({ caseNo: 'LM2026112800017' })),
    )
      .setProtectedHeader({
        alg: 'ES256',
        kid: 'longmen-2026-1',
        typ: 'kytb-query',
        cty: 'json',
        iss: '441324',
        aud: '440233',
        iat: Math.floor(gw.clock.now().getTime() / 1000),
        jti: 'forged-1',
      } as never)
      .sign(privateKey)
    expect((await query('LM2026112800017', forged)).status).toBe(401)
  })
})
