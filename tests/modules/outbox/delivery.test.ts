import { randomUUID } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { delay, HttpResponse, http } from 'msw'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { messages, outbox } from '../../../src/db/schema/index.js'
import { latestEntries } from '../../../src/modules/audit/repository.js'
import { createOutboxWorker } from '../../../src/modules/outbox/worker.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { makePartnerKey, readReceipt, registerPartner, type TestPartner } from '../../helpers/partners.js'
import { partnerNetwork } from '../../setup/per-file.js'
import { captureLog, enqueue, outboxRow, partnerStub, problem, receiptFor } from './partner-stub.js'

let gw: TestGateway
let longmen: TestPartner
const MIN = 60_000

beforeAll(async () => {
  gw = await createTestGateway({ now: '2026-11-28T02:00:00Z' })
  longmen = await registerPartner(gw, 'longmen')
})
afterAll(() => gw?.close())
// Rows a test leaves waiting must not be delivered by the next test's worker.
afterEach(async () => {
  await gw.database.db.delete(outbox).where(eq(outbox.status, 'pending'))
})

/** A worker with the jitter fixed at half the back-off ceiling, so retry times are predictable. */
const worker = (log = captureLog().log) =>
  createOutboxWorker(gw.deps, { instanceId: 'test-worker', random: () => 0.5, log })

describe('delivery', () => {
  it('delivers a received event from real intake once, keeping the receipt and the evidence', async () => {
    const stub = partnerStub(gw, longmen)
    const intake = await longmen.send('cases', longmen.sample('case-person-mail.json'))
    expect(intake.status).toBe(201)
    const { receipt: ours } = await readReceipt(gw, await intake.text())

    const counts = await worker().runOnce()
    expect(counts).toMatchObject({ claimed: 1, delivered: 1 })
    expect(stub.seen).toHaveLength(1)
    const sent = stub.seen[0]!
    expect(sent.path).toBe('status')
    expect(sent.header).toMatchObject({ typ: 'kytb-status', cty: 'json', iss: '440233', aud: '441324' })
    expect(sent.header.iat).toBe(Math.floor(gw.clock.now().getTime() / 1000))
    expect(JSON.parse(sent.payload)).toMatchObject({ zt: 'JJ' })

    const [row] = await gw.database.db.select().from(outbox).where(eq(outbox.jti, sent.jti))
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastError: null, leasedBy: null })
    expect(row?.deliveredAt?.toISOString()).toBe(gw.clock.now().toISOString())
    expect(row?.receiptJws?.split('.')).toHaveLength(3)
    const [evidence] = await gw.database.db
      .select()
      .from(messages)
      .where(and(eq(messages.direction, 'out'), eq(messages.jti, sent.jti)))
    expect(evidence).toMatchObject({
      partnerRegion: '441324',
      typ: 'kytb-status',
      digest: sent.digest,
      caseNo: ours.caseNo,
      receiptJws: row?.receiptJws,
    })
    expect(evidence?.jws?.split('.')[1]).toBe(Buffer.from(sent.payload).toString('base64url'))
    expect(evidence?.receivedAt?.toISOString()).toBe(gw.clock.now().toISOString())

    expect(await worker().runOnce()).toMatchObject({ claimed: 0 })
    expect(stub.seen).toHaveLength(1)
  })

  it('retries a 503 with the same jti after the back-off, re-signed with a fresh iat', async () => {
    const stub = partnerStub(gw, longmen, (_m, attempt) =>
      attempt === 1 ? problem(503, 'unavailable') : undefined,
    )
    const { id, jti } = await enqueue(gw, longmen)
    expect(await worker().runOnce()).toMatchObject({ claimed: 1, retry: 1 })
    const failed = await outboxRow(gw, id)
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, leasedBy: null, leaseUntil: null })
    expect(failed.lastError).toMatch(/^HTTP 503/)
    // Full jitter over [0, 1 s] for the first failure; random fixed at 0.5.
    expect(failed.nextAttemptAt.getTime() - gw.clock.now().getTime()).toBe(500)

    expect(await worker().runOnce()).toMatchObject({ claimed: 0 })
    gw.clock.advance(1000)
    expect(await worker().runOnce()).toMatchObject({ claimed: 1, delivered: 1 })
    expect(stub.seen.map((s) => s.jti)).toEqual([jti, jti])
    expect((stub.seen[1]?.header.iat as number) - (stub.seen[0]?.header.iat as number)).toBe(1)
    expect(await outboxRow(gw, id)).toMatchObject({ status: 'delivered', attempts: 2, lastError: null })
  })

  it('doubles the back-off ceiling with each failure, up to 10 minutes', async () => {
    partnerStub(gw, longmen, () => problem(500, 'internal_error'))
    const { id } = await enqueue(gw, longmen)
    const waits: number[] = []
    for (let i = 0; i < 12; i++) {
      await worker().runOnce()
      const row = await outboxRow(gw, id)
      waits.push(row.nextAttemptAt.getTime() - gw.clock.now().getTime())
      gw.clock.set(row.nextAttemptAt)
    }
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000])
  })

  it('counts a connection failure as a failed attempt', async () => {
    partnerNetwork.use(
      http.post('https://kytb.longmen.example/v1/exchange/status', () => HttpResponse.error()),
    )
    const { id } = await enqueue(gw, longmen)
    expect(await worker().runOnce()).toMatchObject({ retry: 1 })
    expect((await outboxRow(gw, id)).lastError).toMatch(/^network error/)
  })

  it('honours a Retry-After longer than the back-off, in seconds or as an HTTP date', async () => {
    const now = gw.clock.now().getTime()
    // An HTTP date has whole seconds.
    const date = new Date(now + 300_000).toUTCString()
    partnerStub(gw, longmen, (m) =>
      m.payload.includes('"seq":1')
        ? problem(429, 'rate_limited', { 'Retry-After': '120' })
        : problem(503, 'unavailable', { 'Retry-After': date }),
    )
    const a = await enqueue(gw, longmen, { caseSeq: 1 })
    const b = await enqueue(gw, longmen, { caseSeq: 2 })
    expect(await worker().runOnce()).toMatchObject({ claimed: 2, retry: 2 })
    expect((await outboxRow(gw, a.id)).nextAttemptAt.getTime()).toBeGreaterThanOrEqual(now + 120_000)
    expect((await outboxRow(gw, b.id)).nextAttemptAt.getTime()).toBe(Date.parse(date))
    expect((await outboxRow(gw, a.id)).lastError).toBe('HTTP 429 rate_limited: stub says rate_limited')
  })

  it.each([301, 307])('does not follow a %i redirect: the body never reaches its target', async (status) => {
    let followed = 0
    partnerNetwork.use(
      http.post(
        'https://kytb.longmen.example/v1/exchange/status',
        () =>
          new HttpResponse(null, { status, headers: { Location: 'https://collector.evil.example/steal' } }),
      ),
      http.all('https://collector.evil.example/*', () => {
        followed++
        return new HttpResponse('thanks', { status: 201 })
      }),
    )
    const { id } = await enqueue(gw, longmen)
    expect(await worker().runOnce()).toMatchObject({ retry: 1 })
    expect(followed).toBe(0)
    expect(await outboxRow(gw, id)).toMatchObject({
      status: 'pending',
      lastError: `HTTP ${status} redirect not followed`,
    })
  })

  it.each([
    ['a bad signature', async () => ({ sign: { key: (await makePartnerKey('longmen-2026-1')).privateKey } })],
    ['an unknown kid', async () => ({ sign: { kid: 'longmen-9999' } })],
    ['a wrong digest', async () => ({ digest: 'A'.repeat(43) })],
    ['a wrong ref', async () => ({ ref: 'someone-elses-message' })],
    ['the wrong issuer', async () => ({ sign: { iss: '440117' } })],
  ])('does not count a 2xx whose receipt has %s as delivered', async (_name, options) => {
    const o = await options()
    partnerNetwork.use(
      http.post('https://kytb.longmen.example/v1/exchange/status', async ({ request }) => {
        const jws = await request.text()
        const { decodeJws } = await import('./partner-stub.js')
        const { header, payload } = decodeJws(jws)
        const { sha256b64url } = await import('../../helpers/digest.js')
        const seen = {
          path: 'status',
          header,
          jti: String(header.jti),
          digest: sha256b64url(payload),
          payload: '',
        }
        return new HttpResponse(await receiptFor(gw, longmen, seen, o), {
          status: 201,
          headers: { 'Content-Type': 'application/jose' },
        })
      }),
    )
    const { id, jti } = await enqueue(gw, longmen)
    expect(await worker().runOnce()).toMatchObject({ retry: 1, delivered: 0 })
    const row = await outboxRow(gw, id)
    expect(row).toMatchObject({ status: 'pending', attempts: 1, receiptJws: null })
    expect(row.lastError).toMatch(/^HTTP 201 receipt refused: receipt/)
    const evidence = await gw.database.db.select().from(messages).where(eq(messages.jti, jti))
    expect(evidence).toHaveLength(0)
  })

  it('does not count an empty 2xx as delivered', async () => {
    partnerNetwork.use(
      http.post(
        'https://kytb.longmen.example/v1/exchange/status',
        () => new HttpResponse(null, { status: 204 }),
      ),
    )
    const { id } = await enqueue(gw, longmen)
    expect(await worker().runOnce()).toMatchObject({ retry: 1 })
    expect((await outboxRow(gw, id)).status).toBe('pending')
  })

  it.each([
    [409, 'sequence_gap'],
    [401, 'stale_message'],
    [408, 'request_timeout'],
    [425, 'too_early'],
  ])('retries a %i %s', async (status, code) => {
    partnerStub(gw, longmen, () => problem(status, code))
    const { id } = await enqueue(gw, longmen)
    expect(await worker().runOnce()).toMatchObject({ retry: 1 })
    expect(await outboxRow(gw, id)).toMatchObject({
      status: 'pending',
      lastError: `HTTP ${status} ${code}: stub says ${code}`,
    })
  })

  it.each([
    [400, 'payload_malformed'],
    [422, 'payload_invalid'],
    [409, 'case_conflict'],
    [401, 'signature_invalid'],
    [403, 'agreement_inactive'],
    [404, 'case_not_found'],
  ])('dead-letters a %i %s at once, audited, with an operator alert', async (status, code) => {
    const stub = partnerStub(gw, longmen, () => problem(status, code))
    const { log, lines } = captureLog()
    const { id, jti } = await enqueue(gw, longmen)
    expect(await worker(log).runOnce()).toMatchObject({ dead: 1 })
    expect(stub.seen).toHaveLength(1)
    expect(await outboxRow(gw, id)).toMatchObject({ status: 'dead', attempts: 1, leasedBy: null })
    const [entry] = await latestEntries(gw.database.db, 1)
    expect(entry).toMatchObject({
      action: 'outbox.dead_lettered',
      subject: `outbox:${id}`,
      actor: 'system:outbox-worker',
    })
    expect(entry?.data).toMatchObject({ partner: '441324', jti, attempts: 1 })
    expect(lines.find((l) => l.alert === 'dead_letter')).toMatchObject({
      level: 50,
      outboxId: id,
      partner: '441324',
    })
    // Dead letters are never picked up again on their own.
    gw.clock.advance(60 * MIN)
    expect(await worker().runOnce()).toMatchObject({ claimed: 0 })
  })

  it('dead-letters a message still failing 24 hours after it was written', async () => {
    partnerStub(gw, longmen, () => problem(503, 'unavailable'))
    const { log, lines } = captureLog()
    const { id } = await enqueue(gw, longmen)
    expect(await worker(log).runOnce()).toMatchObject({ retry: 1 })
    gw.clock.advance(24 * 60 * MIN - 1000)
    expect(await worker(log).runOnce()).toMatchObject({ retry: 1 })
    gw.clock.advance(1000)
    expect(await worker(log).runOnce()).toMatchObject({ dead: 1 })
    const row = await outboxRow(gw, id)
    expect(row).toMatchObject({ status: 'dead', attempts: 3 })
    expect(row.lastError).toBe('retry window of 24 h over; last: HTTP 503 unavailable: stub says unavailable')
    expect(lines.filter((l) => l.alert === 'dead_letter')).toHaveLength(1)
  })
})

describe('order within a case', () => {
  it('sends the case (seq 0) and its events strictly in order, each after the previous receipt', async () => {
    let failures = 0
    const caseId = randomUUID()
    const stub = partnerStub(gw, longmen, (m) =>
      m.path === 'cases' && failures++ < 2 ? problem(503, 'unavailable') : undefined,
    )
    const c0 = await enqueue(gw, longmen, { caseId, caseSeq: 0, typ: 'kytb-case' })
    const e1 = await enqueue(gw, longmen, { caseId, caseSeq: 1 })
    const e2 = await enqueue(gw, longmen, { caseId, caseSeq: 2 })
    const other = await enqueue(gw, longmen, { caseSeq: 1 })

    // Round 1: the case fails; its events wait; another case is not held up.
    expect(await worker().runOnce()).toMatchObject({ claimed: 2, retry: 1, delivered: 1 })
    for (let round = 0; round < 6; round++) {
      gw.clock.advance(10 * MIN)
      await worker().runOnce()
    }
    const ofCase = new Set([c0.jti, e1.jti, e2.jti])
    expect(stub.seen.filter((s) => ofCase.has(s.jti)).map((s) => s.jti)).toEqual([
      c0.jti,
      c0.jti,
      c0.jti,
      e1.jti,
      e2.jti,
    ])
    expect((await outboxRow(gw, other.id)).status).toBe('delivered')
    for (const { id } of [c0, e1, e2]) expect((await outboxRow(gw, id)).status).toBe('delivered')
  })

  it('holds back later events behind a dead one until it is re-sent', async () => {
    const caseId = randomUUID()
    let refuse = true
    const stub = partnerStub(gw, longmen, (m) =>
      refuse && m.payload.includes('"seq":1') ? problem(422, 'payload_invalid') : undefined,
    )
    const e1 = await enqueue(gw, longmen, { caseId, caseSeq: 1 })
    const e2 = await enqueue(gw, longmen, { caseId, caseSeq: 2 })
    expect(await worker().runOnce()).toMatchObject({ claimed: 1, dead: 1 })
    expect(await worker().runOnce()).toMatchObject({ claimed: 0 })

    refuse = false
    const { resendDeadLetter } = await import('../../../src/modules/outbox/resend-dead-letter.js')
    await resendDeadLetter({ ctx: gw.ctx(), input: { id: e1.id } })
    const [entry] = await latestEntries(gw.database.db, 1)
    expect(entry).toMatchObject({ action: 'outbox.resent', subject: `outbox:${e1.id}` })
    expect(await outboxRow(gw, e1.id)).toMatchObject({ status: 'pending', attempts: 0 })
    await worker().runOnce()
    await worker().runOnce()
    expect(stub.seen.map((s) => s.jti)).toEqual([e1.jti, e1.jti, e2.jti])
    expect((await outboxRow(gw, e2.id)).status).toBe('delivered')
  })
})

describe('agreement state', () => {
  it('keeps messages to a suspended partner waiting, sending nothing, and delivers once active again', async () => {
    const stub = partnerStub(gw, longmen)
    // The verb rather than the API: earlier tests moved the clock past the admin token's life.
    const { changeAgreementStatus } = await import(
      '../../../src/modules/agreements/change-agreement-status.js'
    )
    await changeAgreementStatus({ ctx: gw.ctx(), input: { id: longmen.agreementId, action: 'suspend' } })
    const { id } = await enqueue(gw, longmen)
    expect(await worker().runOnce()).toMatchObject({ retry: 1 })
    expect(stub.seen).toHaveLength(0)
    expect(await outboxRow(gw, id)).toMatchObject({
      status: 'pending',
      lastError: 'agreement not active (suspended)',
    })

    await changeAgreementStatus({ ctx: gw.ctx(), input: { id: longmen.agreementId, action: 'activate' } })
    gw.clock.advance(MIN)
    expect(await worker().runOnce()).toMatchObject({ delivered: 1 })
  })
})

describe('stopping', () => {
  it('runs rounds on its own until stopped, then releases the leases of rows it did not finish', async () => {
    const stub = partnerStub(gw, longmen)
    const w = createOutboxWorker(gw.deps, { instanceId: 'loop-worker', pollMs: 10, log: captureLog().log })
    const rows = await Promise.all([1, 2, 3].map(() => enqueue(gw, longmen)))
    w.start()
    for (let i = 0; i < 200 && stub.seen.length < 3; i++) await delay(10)
    expect(stub.seen).toHaveLength(3)

    // Rows claimed under this instance's name but never started (a stop in the middle of a batch).
    const { claimDue } = await import('../../../src/modules/outbox/claim-due.js')
    const late = await enqueue(gw, longmen)
    await w.stop({ waitMs: 1000 })
    const claimed = await claimDue(gw.database.db, {
      now: gw.clock.now(),
      instanceId: 'loop-worker',
      leaseMs: 60_000,
      limit: 10,
    })
    expect(claimed.map((r) => r.id)).toEqual([late.id])
    await w.stop()
    expect(await outboxRow(gw, late.id)).toMatchObject({
      status: 'pending',
      leasedBy: null,
      leaseUntil: null,
    })
    for (const { id } of rows) expect((await outboxRow(gw, id)).status).toBe('delivered')
  })

  it('abandons a send still in flight when the stop wait is over, and releases the row', async () => {
    partnerNetwork.use(
      http.post('https://kytb.longmen.example/v1/exchange/status', async () => {
        await delay(5000)
        return new HttpResponse(null, { status: 503 })
      }),
    )
    const w = createOutboxWorker(gw.deps, { instanceId: 'slow-worker', pollMs: 10, log: captureLog().log })
    const { id } = await enqueue(gw, longmen)
    w.start()
    for (let i = 0; i < 100 && (await outboxRow(gw, id)).leasedBy === null; i++) await delay(10)
    const started = Date.now()
    await w.stop({ waitMs: 100 })
    expect(Date.now() - started).toBeLessThan(3000)
    const row = await outboxRow(gw, id)
    expect(row).toMatchObject({ status: 'pending', leasedBy: null, leaseUntil: null })
    expect(row.lastError).toBe('aborted: worker stopping')
  })
})
