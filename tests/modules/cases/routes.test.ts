import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_ADMIN_PASSWORD } from '../../helpers/constants.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { outboxOf } from '../../helpers/outbox.js'
import { readReceipt, registerPartner, type TestPartner } from '../../helpers/partners.js'

let gw: TestGateway
let longmen: TestPartner
let caseNo: string
let own: string
let other: string
let admin: string

beforeAll(async () => {
  gw = await createTestGateway({ now: '2026-12-01T01:00:00Z' })
  longmen = await registerPartner(gw, 'longmen')
  const res = await longmen.send('cases', longmen.sample('case-person-mail.json'))
  caseNo = (await readReceipt(gw, await res.text())).receipt.caseNo as string
  own = await gw.clerkToken('MZJ')
  other = await gw.clerkToken('GAJ')
  admin = await gw.adminToken()
})
afterAll(() => gw.close())

type Detail = {
  caseNo: string
  state: string
  applicant: { name: string; idNumber: string }
  materials: { id: string; fileName: string; mediaType: string; sha256: string }[]
  events: { seq: number; side: string; type: string; delivery?: { status: string } }[]
  allowedEvents: string[]
  promisedDate: string | null
  overdue: boolean
}

describe('GET /v1/cases and /v1/cases/{caseNo} — happy', () => {
  it('puts the new Longmen case in the 民政局 clerk’s list, with the applicant and the received event', async () => {
    const list = (await (await gw.request('/v1/cases', { token: own })).json()) as {
      items: { caseNo: string; state: string }[]
    }
    expect(list.items.map((i) => i.caseNo)).toContain(caseNo)
    const res = await gw.request(`/v1/cases/${caseNo}`, { token: own })
    expect(res.status).toBe(200)
    const d = (await res.json()) as Detail
    expect(d).toMatchObject({ caseNo, state: 'received', applicant: { name: '张三' } })
    expect(d.events).toEqual([
      expect.objectContaining({
        seq: 1,
        side: 'ours',
        type: 'received',
        delivery: expect.objectContaining({ status: 'pending' }),
      }),
    ])
    expect(d.allowedEvents).toEqual(expect.arrayContaining(['accepted', 'rejected', 'correction_requested']))
    expect(d.allowedEvents).not.toContain('concluded')
  })

  it('finds the case by partner case number, applicant name and item, and filters by state', async () => {
    for (const q of ['LM2026112800017', encodeURIComponent('张三'), caseNo]) {
      const list = (await (await gw.request(`/v1/cases?q=${q}`, { token: own })).json()) as {
        items: { caseNo: string }[]
      }
      expect(list.items.map((i) => i.caseNo)).toContain(caseNo)
    }
    const none = (await (await gw.request('/v1/cases?state=concluded', { token: own })).json()) as {
      items: unknown[]
    }
    expect(none.items).toHaveLength(0)
  })

  it('serves a material with its media type, digest and a safe Content-Disposition', async () => {
    const d = (await (await gw.request(`/v1/cases/${caseNo}`, { token: own })).json()) as Detail
    const m = d.materials[0] as Detail['materials'][number]
    const res = await gw.request(`/v1/cases/${caseNo}/materials/${m.id}`, { token: own })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(m.mediaType)
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="[^"]+"; filename\*=UTF-8''/,
    )
    const bytes = Buffer.from(await res.arrayBuffer())
    const { createHash } = await import('node:crypto')
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(m.sha256)
  })

  it('accepts the case and states the promised date, which the list shows with working days left', async () => {
    const res = await gw.request(`/v1/cases/${caseNo}/events`, {
      method: 'POST',
      token: own,
      json: { type: 'accepted' },
    })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ seq: 2, state: 'accepted' })
    const d = (await (await gw.request(`/v1/cases/${caseNo}`, { token: own })).json()) as Detail
    expect(d.promisedDate).toBe('2026-12-02')
    expect(d.overdue).toBe(false)
    expect((await outboxOf(gw, caseNo)).map((r) => r.caseSeq)).toEqual([1, 2])
  })
})

describe('cases — errors', () => {
  it.each([
    [{ type: 'rejected' }, 422, 'validation_failed'],
    [{ type: 'correction_requested', reason: '缺材料' }, 422, 'validation_failed'],
    [
      { type: 'concluded', result: { outcome: 'approved', documentName: '结婚证' } },
      422,
      'validation_failed',
    ],
    [{ type: 'received' }, 422, 'validation_failed'],
    [{ type: 'resumed' }, 409, 'transition_not_allowed'],
  ])('refuses %o with %i %s', async (body, status, code) => {
    const res = await gw.request(`/v1/cases/${caseNo}/events`, {
      method: 'POST',
      token: await gw.adminToken(),
      json: body,
    })
    expect(res.status).toBe(status)
    expect(((await res.json()) as { code: string }).code).toBe(code)
  })

  it('answers 404 case_not_found for a case that does not exist, and for a bad cursor 422', async () => {
    const token = await gw.adminToken()
    expect((await gw.request('/v1/cases/XF-2026-999999', { token })).status).toBe(404)
    expect((await gw.request('/v1/cases?cursor=nonsense', { token })).status).toBe(422)
  })
})

describe('cases — security', () => {
  it('requires sign-in on every path', async () => {
    for (const [method, path] of [
      ['GET', '/v1/cases'],
      ['GET', `/v1/cases/${caseNo}`],
      ['POST', `/v1/cases/${caseNo}/events`],
      ['POST', '/v1/cases'],
    ] as const) {
      expect((await gw.request(path, { method, ...(method === 'POST' ? { json: {} } : {}) })).status).toBe(
        401,
      )
    }
  })

  it('gives a clerk of another department the same 404 on every path to the case, and an empty list', async () => {
    const own404 = await gw.request('/v1/cases/XF-2026-999999', { token: await gw.adminToken() })
    const d = (await (
      await gw.request(`/v1/cases/${caseNo}`, { token: await gw.adminToken() })
    ).json()) as Detail
    const paths = [
      gw.request(`/v1/cases/${caseNo}`, { token: other }),
      gw.request(`/v1/cases/${caseNo}/materials/${d.materials[0]?.id}`, { token: other }),
      gw.request(`/v1/cases/${caseNo}/events`, {
        method: 'POST',
        token: other,
        json: { type: 'in_process' },
      }),
    ]
    const expected = (await own404.json()) as { code: string }
    for (const res of await Promise.all(paths)) {
      expect(res.status).toBe(404)
      expect(((await res.json()) as { code: string }).code).toBe(expected.code)
    }
    const list = (await (
      await gw.request(`/v1/cases?department=MZJ&q=${caseNo}`, { token: other })
    ).json()) as { items: unknown[] }
    expect(list.items).toHaveLength(0)
    const after = (await (
      await gw.request(`/v1/cases/${caseNo}`, { token: await gw.adminToken() })
    ).json()) as Detail
    expect(after.events.map((e) => e.type)).not.toContain('in_process')
  })

  it('lets an admin see and work every department’s cases', async () => {
    const res = await gw.request(`/v1/cases/${caseNo}`, { token: admin })
    expect(res.status).toBe(200)
  })

  it('never lets a partner-supplied file run in our origin', async () => {
    const d = (await (
      await gw.request(`/v1/cases/${caseNo}`, { token: await gw.adminToken() })
    ).json()) as Detail
    const res = await gw.request(`/v1/cases/${caseNo}/materials/${d.materials[0]?.id}?inline=1`, {
      token: await gw.adminToken(),
    })
    expect(res.headers.get('content-security-policy')).toContain('sandbox')
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
  })
})

describe('time limits', () => {
  it('marks the case overdue once the promised date has passed', async () => {
    gw.clock.advance(3 * 86_400_000)
    // Days later: sign in again, tokens live an hour.
    const token = ((await (await gw.login('admin', TEST_ADMIN_PASSWORD)).json()) as { token: string }).token
    const overdue = (await (await gw.request('/v1/cases?overdue=true', { token })).json()) as {
      items: { caseNo: string; overdue: boolean }[]
    }
    expect(overdue.items.map((i) => i.caseNo)).toContain(caseNo)
    expect(overdue.items.every((i) => i.overdue)).toBe(true)
  })
})
