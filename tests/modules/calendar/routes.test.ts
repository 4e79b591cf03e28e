import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latestEntries } from '../../../src/modules/audit/repository.js'
import { upsertOverride } from '../../../src/modules/calendar/overrides/repository.js'
import { createWorkingCalendar } from '../../../src/modules/calendar/working-calendar.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'

let gw: TestGateway
let admin: string
let clerk: string

beforeAll(async () => {
  gw = await createTestGateway()
  admin = await gw.adminToken()
  clerk = await gw.clerkToken('MZJ')
})
afterAll(() => gw.close())

const put = (date: string, json: unknown, token = admin) =>
  gw.request(`/v1/calendar/overrides/${date}`, { method: 'PUT', token, json })
const del = (date: string, token = admin) =>
  gw.request(`/v1/calendar/overrides/${date}`, { method: 'DELETE', token })
const dueDate = async (from: string, days: number, token = clerk) => {
  const res = await gw.request(`/v1/calendar/working-days?from=${from}&days=${days}`, { token })
  expect(res.status).toBe(200)
  const body = (await res.json()) as { from: string; days: number; date: string }
  expect(body).toMatchObject({ from, days })
  return body.date
}
type Override = { date: string; kind: string; name: string | null; createdBy: string }
const overrides = async () => {
  const res = await gw.request('/v1/calendar/overrides', { token: clerk })
  expect(res.status).toBe(200)
  return ((await res.json()) as { items: Override[] }).items
}

describe('calendar — happy', () => {
  it('counts working days with the package holidays', async () => {
    const expected = createWorkingCalendar().addWorkingDays('2026-09-30', 1)
    expect(await dueDate('2026-09-30', 1)).toBe(expected)
    expect(expected).not.toBe('2026-10-01') // National Day is in the package data
    expect(await dueDate('2026-11-27', 0)).toBe('2026-11-27')
  })

  it('lets an admin enter a new year, which moves working-days answers at once', async () => {
    // 2027 is past the package: 2027-10-01 is a plain Friday until an administrator says otherwise.
    expect(await dueDate('2027-09-30', 1)).toBe('2027-10-01')

    const res = await put('2027-10-01', { kind: 'holiday', name: '国庆节' })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      date: '2027-10-01',
      kind: 'holiday',
      name: '国庆节',
      createdBy: 'user:admin',
    })
    expect(await dueDate('2027-09-30', 1)).toBe('2027-10-04')

    expect((await put('2027-10-02', { kind: 'workday', name: '国庆节调休' })).status).toBe(200)
    expect(await dueDate('2027-09-30', 1)).toBe('2027-10-02')

    expect(await overrides()).toEqual([
      expect.objectContaining({ date: '2027-10-01', kind: 'holiday' }),
      expect.objectContaining({ date: '2027-10-02', kind: 'workday' }),
    ])
    const coverage = await gw.request('/v1/calendar/coverage', { token: clerk })
    expect(coverage.status).toBe(200)
    expect(await coverage.json()).toMatchObject({ firstYear: 2004, lastYear: 2026, overrideYears: [2027] })
  })

  it('replaces an override on the same date, and audits set and delete', async () => {
    expect((await put('2027-10-02', { kind: 'holiday' })).status).toBe(200)
    expect((await overrides()).find((o) => o.date === '2027-10-02')).toMatchObject({
      kind: 'holiday',
      name: null,
    })
    const [set] = await latestEntries(gw.database.db, 1)
    expect(set).toMatchObject({
      action: 'calendar.override_set',
      subject: 'calendar:2027-10-02',
      actor: 'user:admin',
    })
    expect(set?.data).toMatchObject({ kind: 'holiday', previous: { kind: 'workday', name: '国庆节调休' } })

    expect((await del('2027-10-02')).status).toBe(204)
    expect((await del('2027-10-01')).status).toBe(204)
    expect(await overrides()).toEqual([])
    expect(await dueDate('2027-09-30', 1)).toBe('2027-10-01')
    const [deleted] = await latestEntries(gw.database.db, 1)
    expect(deleted).toMatchObject({ action: 'calendar.override_deleted', subject: 'calendar:2027-10-01' })
  })

  it('picks up a change made elsewhere (another instance) within the 60 s cache', async () => {
    expect(await dueDate('2028-05-01', 1)).toBe('2028-05-02')
    await upsertOverride(gw.database.db, {
      date: '2028-05-02',
      kind: 'holiday',
      name: '劳动节',
      createdBy: 'user:admin',
      createdAt: gw.clock.now(),
    })
    expect(await dueDate('2028-05-01', 1)).toBe('2028-05-02') // still cached
    gw.clock.advance(61_000)
    expect(await dueDate('2028-05-01', 1)).toBe('2028-05-03')
  })
})

describe('calendar — errors', () => {
  it.each([
    ['a date that does not exist', '2026-02-30', { kind: 'holiday' }],
    ['a date in another shape', '20270101', { kind: 'holiday' }],
    ['an unknown kind', '2027-01-01', { kind: 'weekend' }],
    ['a missing kind', '2027-01-01', { name: '元旦' }],
    ['a name that is too long', '2027-01-01', { kind: 'holiday', name: '节'.repeat(101) }],
  ])('refuses %s with 422', async (_what, date, body) => {
    const res = await put(date, body)
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(((await res.json()) as { code: string }).code).toBe('validation_failed')
  })

  it.each([
    ['?from=2026-13-01&days=1'],
    ['?from=2026-12-01&days=-1'],
    ['?from=2026-12-01&days=abc'],
    ['?days=1'],
  ])('refuses working-days%s with 422', async (query) => {
    const res = await gw.request(`/v1/calendar/working-days${query}`, { token: clerk })
    expect(res.status).toBe(422)
  })

  it('answers 404 when deleting an override that does not exist', async () => {
    const res = await del('2030-01-01')
    expect(res.status).toBe(404)
    expect(((await res.json()) as { code: string }).code).toBe('not_found')
  })
})

describe('calendar — security', () => {
  it('requires sign-in for every calendar route', async () => {
    const calls: [string, string][] = [
      ['GET', '/v1/calendar/overrides'],
      ['PUT', '/v1/calendar/overrides/2027-01-01'],
      ['DELETE', '/v1/calendar/overrides/2027-01-01'],
      ['GET', '/v1/calendar/working-days?from=2026-12-01&days=1'],
      ['GET', '/v1/calendar/coverage'],
    ]
    for (const [method, path] of calls) {
      const res = await gw.request(path, { method, json: method === 'PUT' ? { kind: 'holiday' } : undefined })
      expect(res.status, `${method} ${path}`).toBe(401)
    }
  })

  it('does not let a clerk change the calendar', async () => {
    const res = await put('2027-01-01', { kind: 'holiday', name: '元旦' }, clerk)
    expect(res.status).toBe(403)
    expect(((await res.json()) as { code: string }).code).toBe('forbidden')
    expect((await put('2027-01-04', { kind: 'holiday' })).status).toBe(200)
    expect((await del('2027-01-04', clerk)).status).toBe(403)
    const dates = (await overrides()).map((o) => o.date)
    expect(dates).toContain('2027-01-04')
    expect(dates).not.toContain('2027-01-01')
  })
})
