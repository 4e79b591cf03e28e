import { expect } from 'vitest'
import { caseStats } from '../../../src/db/schema/index.js'
import { TEST_ADMIN_PASSWORD } from '../../helpers/constants.js'
import { CLERK_PASSWORD, type TestGateway } from '../../helpers/gateway.js'
import { readReceipt, type TestPartner } from '../../helpers/partners.js'

/** A partner's contract sample case, under the partner's case number `partnerCaseNo`: returns our number. */
export async function arrive(gw: TestGateway, partner: TestPartner, partnerCaseNo: string): Promise<string> {
  const bytes =
    partner.name === 'conghua'
      ? partner
          .sample('case-marriage-mail.xml')
          .toString('utf8')
          .replace(/<CaseNo>[^<]*<\/CaseNo>/, `<CaseNo>${partnerCaseNo}</CaseNo>`)
      : partner
          .sample('case-person-mail.json')
          .toString('utf8')
          .replace(/"bjbh": "[^"]*"/, `"bjbh": "${partnerCaseNo}"`)
  const res = await partner.send('cases', bytes)
  expect(res.status).toBe(201)
  const { caseNo } = (await readReceipt(gw, await res.text())).receipt
  if (!caseNo) throw new Error('receipt without caseNo')
  return caseNo
}

const tokens = new Map<string, { token: string; at: number }>()

/**
 * A sign-in token that is valid at the test clock's time: the tests move the clock by days, past
 * a token's lifetime, so a token is taken again once the clock has moved.
 */
export async function tokenAt(gw: TestGateway, username = 'admin') {
  const password = username === 'admin' ? TEST_ADMIN_PASSWORD : CLERK_PASSWORD
  const now = gw.clock.now().getTime()
  const cached = tokens.get(username)
  if (cached && cached.at === now) return cached.token
  if (username !== 'admin') await gw.clerkToken(username.replace(/^clerk-/, '').toUpperCase(), username)
  const res = await gw.login(username, password)
  expect(res.status).toBe(200)
  const { token } = (await res.json()) as { token: string }
  tokens.set(username, { token, at: now })
  return token
}

/** A clerk's step (as admin) through POST /v1/cases/{caseNo}/events. */
export async function step(gw: TestGateway, caseNo: string, body: Record<string, unknown>): Promise<void> {
  const res = await gw.request(`/v1/cases/${caseNo}/events`, {
    method: 'POST',
    token: await tokenAt(gw),
    json: body,
  })
  expect(res.status, await res.clone().text()).toBe(201)
}

/** Longmen withdraws its case (its first event on it, `xh` 1). */
export async function withdrawByLongmen(longmen: TestPartner, partnerCaseNo: string) {
  const status = longmen
    .sample('status-withdrawn.json')
    .toString('utf8')
    .replace(/"bjbh": "[^"]*"/, `"bjbh": "${partnerCaseNo}"`)
    .replace(/"fssj": "[^"]*"/, '"fssj": "20261128095000"')
  const res = await longmen.send('status', status)
  expect(res.status, await res.clone().text()).toBe(201)
}

export const CONCLUDE_APPROVED = {
  type: 'concluded',
  result: {
    outcome: 'approved',
    documentName: '结婚证',
    documentNo: 'J440233-2026-001',
    waybill: { carrier: 'EMS', number: 'EA000000001CN' },
  },
}

/** Every counters row, in a stable order, to compare before and after a rebuild. */
export async function countersSnapshot(gw: TestGateway) {
  const rows = await gw.database.db.select().from(caseStats)
  const key = (r: (typeof rows)[number]) =>
    [r.kind, r.period, r.itemCode, r.departmentCode, r.partnerRegion, r.direction].join('|')
  return rows.sort((a, b) => (key(a) < key(b) ? -1 : 1))
}
