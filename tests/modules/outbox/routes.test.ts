import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOutboxWorker } from '../../../src/modules/outbox/worker.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { readReceipt, registerPartner, type TestPartner } from '../../helpers/partners.js'
import { captureLog, enqueue, outboxRow, partnerStub, problem } from './partner-stub.js'

let gw: TestGateway
let longmen: TestPartner
let conghua: TestPartner
let admin: string
let clerk: string
/** Rows made dead by a 422 in beforeAll: one from real intake (it has a case number), two direct. */
let dead: { id: string; jti: string }[]
let caseNo: string

beforeAll(async () => {
  gw = await createTestGateway()
  longmen = await registerPartner(gw, 'longmen')
  conghua = await registerPartner(gw, 'conghua')
  admin = await gw.adminToken()
  clerk = await gw.clerkToken('MZJ')
  partnerStub(gw, longmen, () => problem(422, 'payload_invalid'))
  partnerStub(gw, conghua)
  const intake = await longmen.send('cases', longmen.sample('case-person-mail.json'))
  caseNo = (await readReceipt(gw, await intake.text())).receipt.caseNo as string
  await gw.clock.advance(1000)
  dead = [await enqueue(gw, longmen), await enqueue(gw, longmen)]
  await enqueue(gw, conghua)
  const pending = await enqueue(gw, conghua)
  const w = createOutboxWorker(gw.deps, { log: captureLog().log })
  expect(await w.runOnce()).toMatchObject({ claimed: 5, dead: 3, delivered: 2 })
  const { eq } = await import('drizzle-orm')
  const { outbox } = await import('../../../src/db/schema/index.js')
  // One conghua message waiting with a failure behind it, for the health figures.
  await gw.database.db
    .update(outbox)
    .set({ status: 'pending', attempts: 2, lastError: 'HTTP 503', deliveredAt: null })
    .where(eq(outbox.id, pending.id))
})
afterAll(() => gw?.close())

describe('GET /v1/outbox/dead-letters', () => {
  it('lists dead letters oldest first with case number, attempts and last error', async () => {
    const res = await gw.request('/v1/outbox/dead-letters', { token: admin })
    expect(res.status).toBe(200)
    const { items } = (await res.json()) as { items: Record<string, unknown>[] }
    expect(items).toHaveLength(3)
    expect(items[0]).toMatchObject({
      partner: '441324',
      caseNo,
      caseSeq: 1,
      typ: 'kytb-status',
      attempts: 1,
      lastError: 'HTTP 422 payload_invalid: stub says payload_invalid',
      createdAt: '2026-11-28T02:00:00.000Z',
      resentAt: null,
    })
    // The two written in the same millisecond come in id order.
    expect(items.slice(1).map((i) => i.id)).toEqual(dead.map((d) => d.id).sort())
  })

  it('filters by partner', async () => {
    const res = await gw.request('/v1/outbox/dead-letters?partner=440117', { token: admin })
    expect(((await res.json()) as { items: unknown[] }).items).toEqual([])
  })

  it('refuses a bad partner code, clerks and anonymous callers', async () => {
    expect((await gw.request('/v1/outbox/dead-letters?partner=44', { token: admin })).status).toBe(422)
    expect((await gw.request('/v1/outbox/dead-letters', { token: clerk })).status).toBe(403)
    expect((await gw.request('/v1/outbox/dead-letters')).status).toBe(401)
    expect((await gw.request('/v1/outbox/health', { token: clerk })).status).toBe(403)
    expect(
      (await gw.request(`/v1/outbox/dead-letters/${dead[0]?.id}/resend`, { method: 'POST', token: clerk }))
        .status,
    ).toBe(403)
    expect(
      (await gw.request('/v1/outbox/dead-letters/resend?partner=441324', { method: 'POST' })).status,
    ).toBe(401)
  })
})

describe('GET /v1/outbox/health', () => {
  it('gives queue depth, oldest waiting message, attempts, failures, dead letters and last success per partner', async () => {
    gw.clock.advance(90_000)
    const res = await gw.request('/v1/outbox/health', { token: admin })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { partners: Record<string, unknown>[] }
    expect(body.partners).toEqual([
      {
        partner: '440117',
        pending: 1,
        retrying: 1,
        oldestPendingAgeSeconds: 90,
        attempts: 3,
        failedAttempts: 2,
        delivered: 1,
        deadLetters: 0,
        lastDeliveredAt: '2026-11-28T02:00:01.000Z',
      },
      {
        partner: '441324',
        pending: 0,
        retrying: 0,
        oldestPendingAgeSeconds: null,
        attempts: 3,
        failedAttempts: 3,
        delivered: 0,
        deadLetters: 3,
        lastDeliveredAt: null,
      },
    ])
  })
})

describe('re-sending dead letters', () => {
  it('re-sends one: same jti, back to pending, audited; twice is a conflict; unknown is 404', async () => {
    const [first] = dead
    const res = await gw.request(`/v1/outbox/dead-letters/${first?.id}/resend`, {
      method: 'POST',
      token: admin,
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      id: first?.id,
      jti: first?.jti,
      partner: '441324',
      status: 'pending',
    })
    expect(await outboxRow(gw, first?.id as string)).toMatchObject({
      status: 'pending',
      attempts: 0,
      jti: first?.jti,
    })
    const { latestEntries } = await import('../../../src/modules/audit/repository.js')
    const [entry] = await latestEntries(gw.database.db, 1)
    expect(entry).toMatchObject({
      action: 'outbox.resent',
      actor: 'user:admin',
      subject: `outbox:${first?.id}`,
    })

    const again = await gw.request(`/v1/outbox/dead-letters/${first?.id}/resend`, {
      method: 'POST',
      token: admin,
    })
    expect(again.status).toBe(409)
    const unknown = await gw.request('/v1/outbox/dead-letters/no-such-id/resend', {
      method: 'POST',
      token: admin,
    })
    expect(unknown.status).toBe(404)
  })

  it('re-sends all of a partner’s, and the re-sent messages arrive', async () => {
    const res = await gw.request('/v1/outbox/dead-letters/resend?partner=441324', {
      method: 'POST',
      token: admin,
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ partner: '441324', resent: 2 })
    const stub = partnerStub(gw, longmen)
    partnerStub(gw, conghua)
    const w = createOutboxWorker(gw.deps, { log: captureLog().log })
    // The three longmen re-sends and the conghua message still waiting.
    expect(await w.runOnce()).toMatchObject({ claimed: 4, delivered: 4 })
    expect(stub.seen.map((s) => s.jti)).toEqual(expect.arrayContaining(dead.map((d) => d.jti)))
    const list = await gw.request('/v1/outbox/dead-letters', { token: admin })
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([])
  })
})
