import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CanonicalStatus } from '../../../src/modules/formats/canonical.js'
import { getFormat } from '../../../src/modules/formats/registry.js'
import { CLERK_PASSWORD, createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { outboxOf } from '../../helpers/outbox.js'
import { readReceipt, registerPartner, type TestPartner } from '../../helpers/partners.js'

/**
 * The walk, for each partner: every document the gateway queues for the partner is
 * compared byte for byte with tests/modules/cases/expected/<format>/ (written on the first run,
 * reviewed by eye, then committed), and parsed back in the partner's format.
 */
const EXPECTED = 'tests/modules/cases/expected'
const SAMPLE = { conghua: 'case-marriage-mail.xml', longmen: 'case-person-mail.json' } as const

let gw: TestGateway
const partners: Record<string, TestPartner> = {}

beforeAll(async () => {
  gw = await createTestGateway({ now: '2026-11-30T01:00:00Z' })
  await gw.clerkToken('MZJ', 'huangli')
  partners.conghua = await registerPartner(gw, 'conghua')
  partners.longmen = await registerPartner(gw, 'longmen')
})
afterAll(() => gw.close())

const hours = (n: number) => gw.clock.advance(n * 3600_000)

/** Signs in afresh: the walk spans days, longer than a sign-in token lives. */
async function clerkToken() {
  const res = await gw.login('huangli', CLERK_PASSWORD)
  return ((await res.json()) as { token: string }).token
}

async function clerkEvent(caseNo: string, body: Record<string, unknown>, expectStatus = 201) {
  const clerk = await clerkToken()
  const res = await gw.request(`/v1/cases/${caseNo}/events`, { method: 'POST', token: clerk, json: body })
  expect(res.status, await res.clone().text()).toBe(expectStatus)
  return res.json() as Promise<{ seq: number; state: string; code?: string }>
}

async function intake(p: TestPartner, caseNoSuffix: string) {
  const bytes = p.sample(SAMPLE[p.name]).toString('utf8')
  const original = p.name === 'conghua' ? 'CH20261128000123' : 'LM2026112800017'
  const res = await p.send('cases', bytes.replaceAll(original, `${original}${caseNoSuffix}`))
  expect(res.status).toBe(201)
  return {
    ours: (await readReceipt(gw, await res.text())).receipt.caseNo as string,
    theirs: `${original}${caseNoSuffix}`,
  }
}

function partnerStatus(p: TestPartner, status: CanonicalStatus) {
  return getFormat(p.format)?.renderStatus(status) as Uint8Array
}

const PDF = Buffer.from('%PDF-1.4\n% household register page\n')

describe.each(['conghua', 'longmen'] as const)('the whole life of a %s case', (name) => {
  it('walks received → correction → accepted → in process → suspended → resumed → concluded → delivered', async () => {
    const p = partners[name] as TestPartner
    const { ours, theirs } = await intake(p, 'W')
    hours(1)
    await clerkEvent(ours, {
      type: 'correction_requested',
      reason: '户口簿缺户主页',
      correction: [{ code: 'M02', name: '户口簿', note: '需提供户主页' }],
    })
    hours(20)
    const submitted = await p.send(
      'status',
      partnerStatus(p, {
        caseNo: theirs,
        seq: 1,
        type: 'correction_submitted',
        occurredAt: '2026-12-01T05:00:00+08:00',
        materials: [
          {
            code: 'M02',
            name: '户口簿',
            original: false,
            file: {
              name: 'hkb.pdf',
              mediaType: 'application/pdf',
              size: PDF.length,
              sha256: (await import('node:crypto')).createHash('sha256').update(PDF).digest('hex'),
              content: PDF.toString('base64'),
            },
          },
        ],
      }),
    )
    expect(submitted.status, await submitted.clone().text()).toBe(201)
    hours(2)
    expect((await clerkEvent(ours, { type: 'accepted', reason: '材料齐全，予以受理' })).state).toBe(
      'accepted',
    )
    hours(1)
    await clerkEvent(ours, { type: 'in_process' })
    hours(1)
    await clerkEvent(ours, { type: 'suspended', reason: '需现场核查' })
    hours(24)
    await clerkEvent(ours, { type: 'resumed' })
    hours(1)
    const concluded = await clerkEvent(ours, {
      type: 'concluded',
      result: {
        outcome: 'approved',
        documentName: '结婚证',
        documentNo: 'J440233-2026-004211',
        waybill: { carrier: 'EMS', number: '1180234567890' },
      },
    })
    expect(concluded.state).toBe('concluded')
    hours(48)
    expect((await clerkEvent(ours, { type: 'delivered' })).state).toBe('delivered')

    const rows = await outboxOf(gw, ours)
    const types = [
      'received',
      'correction_requested',
      'accepted',
      'in_process',
      'suspended',
      'resumed',
      'concluded',
      'delivered',
    ]
    expect(rows.map((r) => r.caseSeq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    const format = getFormat(p.format)
    const dir = `${EXPECTED}/${p.format}`
    mkdirSync(dir, { recursive: true })
    rows.forEach((row, i) => {
      const parsed = format?.parseStatus(row.payload)
      expect(parsed?.ok).toBe(true)
      const status = (parsed as { value: CanonicalStatus }).value
      expect(status).toMatchObject({ caseNo: theirs, peerCaseNo: ours, seq: i + 1, type: types[i] })
      const file = `${dir}/${String(i + 1).padStart(2, '0')}-${types[i]}.${format?.cty}`
      // The case number is ours and differs per run order: keep the expected files independent of it.
      const actual = Buffer.from(row.payload).toString('utf8').replaceAll(ours, 'XF-CASE-NO')
      if (!existsSync(file)) writeFileSync(file, actual)
      expect(actual).toBe(readFileSync(file, 'utf8'))
    })
    const acceptedDoc = format?.parseStatus(rows[2]?.payload as Uint8Array)
    expect(acceptedDoc?.ok && acceptedDoc.value.promisedDate).toMatch(/^2026-12-\d\d$/)

    const detail = (await (await gw.request(`/v1/cases/${ours}`, { token: await clerkToken() })).json()) as {
      state: string
      events: { side: string; type: string }[]
      materials: { code: string; fileName: string; eventId: string | null }[]
    }
    expect(detail.state).toBe('delivered')
    expect(detail.events.filter((e) => e.side === 'theirs').map((e) => e.type)).toEqual([
      'correction_submitted',
    ])
    // The case's own materials, plus the one the correction brought, linked to that event.
    const fromCorrection = detail.materials.filter((m) => m.eventId !== null)
    expect(fromCorrection.map((m) => [m.code, m.fileName])).toEqual([['M02', 'hkb.pdf']])
    expect(detail.materials.length).toBeGreaterThan(1)
  })

  it('walks received → rejected, after which nothing more is allowed', async () => {
    const p = partners[name] as TestPartner
    const { ours } = await intake(p, 'R')
    expect((await clerkEvent(ours, { type: 'rejected', reason: '不属于受理范围' })).state).toBe('rejected')
    const after = await clerkEvent(ours, { type: 'accepted' }, 409)
    expect(after.code).toBe('transition_not_allowed')
    expect((await outboxOf(gw, ours)).map((r) => r.caseSeq)).toEqual([1, 2])
  })

  it('ends when the partner withdraws it, and the clerk can then do nothing', async () => {
    const p = partners[name] as TestPartner
    const { ours, theirs } = await intake(p, 'X')
    const withdrawn = await p.send(
      'status',
      partnerStatus(p, {
        caseNo: theirs,
        seq: 1,
        type: 'withdrawn',
        occurredAt: '2026-12-01T09:00:00+08:00',
        reason: '申请人撤回',
      }),
    )
    expect(withdrawn.status).toBe(201)
    const res = await gw.request(`/v1/cases/${ours}`, { token: await clerkToken() })
    expect(((await res.json()) as { state: string }).state).toBe('withdrawn')
    expect((await clerkEvent(ours, { type: 'accepted' }, 409)).code).toBe('transition_not_allowed')
  })

  it('refuses steps the state does not allow with 409 transition_not_allowed', async () => {
    const p = partners[name] as TestPartner
    const { ours, theirs } = await intake(p, 'T')
    for (const body of [
      { type: 'concluded', result: { outcome: 'approved', waybill: { carrier: 'EMS', number: '1' } } },
      { type: 'resumed' },
      { type: 'delivered' },
    ]) {
      expect((await clerkEvent(ours, body, 409)).code).toBe('transition_not_allowed')
    }
    // The originator cannot send a handler's event.
    const res = await p.send(
      'status',
      partnerStatus(p, {
        caseNo: theirs,
        peerCaseNo: ours,
        seq: 1,
        type: 'accepted',
        occurredAt: '2026-12-01T09:00:00+08:00',
        promisedDate: '2026-12-10',
      }),
    )
    expect(res.status).toBe(404)
  })
})
