import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256b64url } from '../../helpers/digest.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { readReceipt, registerPartner, type TestPartner } from '../../helpers/partners.js'

let gw: TestGateway
let conghua: TestPartner
let longmen: TestPartner

beforeAll(async () => {
  gw = await createTestGateway({ now: '2026-11-28T02:00:00Z' })
  conghua = await registerPartner(gw, 'conghua')
  longmen = await registerPartner(gw, 'longmen', { alg: 'EdDSA' })
})
afterAll(() => gw.close())

describe.each([
  ['conghua', 'case-marriage-mail.xml'],
  ['longmen', 'case-person-mail.json'],
] as const)('POST /v1/exchange/cases from %s', (name, sample) => {
  const partner = () => (name === 'conghua' ? conghua : longmen)

  it('accepts a signed case with a signed receipt, then answers a retry as a duplicate with the same case', async () => {
    const bytes = partner().sample(sample)
    const jws = await partner().sign('kytb-case', bytes)
    const res = await partner().post('cases', jws)
    expect(res.status).toBe(201)
    expect(res.headers.get('content-type')).toBe('application/jose')
    const { header, receipt } = await readReceipt(gw, await res.text())
    expect(header).toMatchObject({ typ: 'kytb-receipt', cty: 'json', iss: '440233', aud: partner().region })
    expect(receipt).toMatchObject({ outcome: 'accepted', digest: sha256b64url(bytes) })
    expect(receipt.caseNo).toMatch(/^XF-2026-\d{6}$/)
    expect(receipt.receivedAt).toBe('2026-11-28T10:00:00.000+08:00')

    const retry = await partner().post('cases', jws)
    expect(retry.status).toBe(200)
    const again = await readReceipt(gw, await retry.text())
    expect(again.receipt).toMatchObject({ outcome: 'duplicate', caseNo: receipt.caseNo, ref: receipt.ref })
  })

  it('treats the same case under a fresh jti as a duplicate, and other content as case_conflict', async () => {
    const bytes = partner().sample(sample)
    const dup = await partner().send('cases', bytes)
    expect(dup.status).toBe(200)
    expect((await readReceipt(gw, await dup.text())).receipt.outcome).toBe('duplicate')
    const changed = Buffer.from(bytes.toString('utf8').replace('13800138000', '13900139000'))
    const conflict = await partner().send('cases', changed)
    expect(conflict.status).toBe(409)
    expect(((await conflict.json()) as { code: string }).code).toBe('case_conflict')
  })

  it('refuses the same jti with other bytes as replayed_message', async () => {
    const bytes = partner().sample(sample)
    await partner().send('cases', bytes, { jti: `${name}-replay-1` })
    const other = Buffer.from(bytes.toString('utf8').replace('13800138000', '13700137000'))
    const res = await partner().send('cases', other, { jti: `${name}-replay-1` })
    expect(res.status).toBe(409)
    expect(((await res.json()) as { code: string }).code).toBe('replayed_message')
  })
})

describe('intake refusals', () => {
  it('refuses an item the agreement does not cover with 422 item_not_in_agreement', async () => {
    const bytes = conghua.sample('case-org-business-licence.xml')
    const res = await conghua.send('cases', bytes)
    expect(res.status).toBe(422)
    expect(((await res.json()) as { code: string }).code).toBe('item_not_in_agreement')
  })

  it('answers a document that breaks the format with 422 and located errors in the partner’s terms', async () => {
    const bad = conghua
      .sample('case-marriage-mail.xml')
      .toString('utf8')
      .replace(/<Mobile>13800138000/, '<Mobile>123')
    const res = await conghua.send('cases', bad)
    expect(res.status).toBe(422)
    const body = (await res.json()) as { code: string; errors: { location: string }[] }
    expect(body.code).toBe('payload_invalid')
    expect(body.errors[0]?.location).toMatch(/^\/DelegatedCase\//)
  })

  it('leaves nothing behind a refusal but an audit entry', async () => {
    const res = await longmen.send('cases', '{"bjbh": 1}')
    expect(res.status).toBe(422)
    const { latestEntries } = await import('../../../src/modules/audit/repository.js')
    const [last] = await latestEntries(gw.database.db, 1)
    expect(last?.action).toBe('exchange.refused')
    expect(last?.data).toMatchObject({ code: 'payload_invalid', iss: '441324' })
  })
})
