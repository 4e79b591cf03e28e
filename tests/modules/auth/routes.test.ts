import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { latestEntries } from '../../../src/modules/audit/repository.js'
import { TEST_ADMIN_PASSWORD } from '../../helpers/constants.js'
import { CLERK_PASSWORD, createTestGateway, type TestGateway } from '../../helpers/gateway.js'

let gw: TestGateway
beforeAll(async () => {
  gw = await createTestGateway()
})
afterAll(() => gw.close())

const actions = async (n = 5) => (await latestEntries(gw.database.db, n)).map((e) => e.action)

describe('POST /v1/auth/login', () => {
  it('signs the bootstrap admin in and returns a token, its expiry and the user', async () => {
    const res = await gw.login('admin', TEST_ADMIN_PASSWORD)
    expect(res.status).toBe(200)
    const body = (await res.json()) as { token: string; expiresAt: string; user: unknown }
    expect(body.user).toEqual({ username: 'admin', role: 'admin', department: null })
    expect(new Date(body.expiresAt).getTime()).toBe(gw.clock.now().getTime() + 3600_000)
    expect(await actions(1)).toEqual(['auth.login_succeeded'])
  })

  it('answers 401 invalid_credentials for a wrong password and for an unknown user alike, and audits both', async () => {
    const wrong = await gw.login('admin', 'not-the-password')
    const unknown = await gw.login('nobody', 'whatever-password')
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401)
      expect(((await res.json()) as { code: string }).code).toBe('invalid_credentials')
    }
    expect(await actions(2)).toEqual(['auth.login_failed', 'auth.login_failed'])
  })

  it('refuses a malformed body with 422', async () => {
    const res = await gw.request('/v1/auth/login', { method: 'POST', json: { username: 'admin' } })
    expect(res.status).toBe(422)
  })

  it('refuses a body that is not JSON with a 4xx problem, never 500', async () => {
    const res = await gw.request('/v1/auth/login', {
      method: 'POST',
      body: '{not json',
      headers: { 'Content-Type': 'application/json' },
    })
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
  })

  it('slows, then locks, repeated failures for one user, and keeps the lock after the right password', async () => {
    await gw.clerkToken('MZJ', 'victim')
    const waits: number[] = []
    for (let i = 0; i < 20; i++) {
      const res = await gw.login('victim', `guess-${i}-xxxxx`)
      if (res.status === 401) continue
      expect(res.status).toBe(429)
      const wait = Number(res.headers.get('Retry-After'))
      waits.push(wait)
      if (wait > 60) break
      gw.clock.advance(wait * 1000)
    }
    // First slowed by seconds, growing; then locked for a quarter of an hour.
    expect(waits.slice(0, 2)).toEqual([1, 2])
    expect(waits.at(-1)).toBeGreaterThan(800)
    const locked = await gw.login('victim', CLERK_PASSWORD)
    expect(locked.status).toBe(429)
    expect(await actions(1)).toEqual(['auth.login_throttled'])
    gw.clock.advance(16 * 60_000)
    expect((await gw.login('victim', CLERK_PASSWORD)).status).toBe(200)
  })

  it('slows an address that tries many user names', async () => {
    let throttled = false
    for (let i = 0; i < 12 && !throttled; i++)
      throttled = (await gw.login(`user${i}`, 'wrong-password')).status === 429
    expect(throttled).toBe(true)
    gw.clock.advance(20 * 60_000)
  })
})

describe('sessions', () => {
  it('revokes the token on sign-out', async () => {
    const res = await gw.login('admin', TEST_ADMIN_PASSWORD)
    const { token } = (await res.json()) as { token: string }
    expect((await gw.request('/v1/users', { token })).status).toBe(200)
    expect((await gw.request('/v1/auth/logout', { method: 'POST', token })).status).toBe(204)
    expect((await gw.request('/v1/users', { token })).status).toBe(401)
  })

  it('expires the token after its lifetime', async () => {
    const res = await gw.login('admin', TEST_ADMIN_PASSWORD)
    const { token } = (await res.json()) as { token: string }
    gw.clock.advance(3601_000)
    const after = await gw.request('/v1/users', { token })
    expect(after.status).toBe(401)
  })
})

describe('POST /v1/users', () => {
  it('lets an admin create a clerk of a department, who can then sign in', async () => {
    const admin = await gw.adminToken()
    const res = await gw.request('/v1/users', {
      method: 'POST',
      token: admin,
      json: { username: 'huangli', password: 'a-good-password', role: 'clerk', department: 'MZJ' },
    })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ username: 'huangli', role: 'clerk', department: 'MZJ' })
    expect((await gw.login('huangli', 'a-good-password')).status).toBe(200)
    expect(await actions(2)).toContain('user.created')
  })

  it.each([
    [{ username: 'x1', password: 'short', role: 'clerk', department: 'MZJ' }, 422],
    [{ username: 'x2', password: 'a-good-password', role: 'clerk' }, 422],
    [{ username: 'x3', password: 'a-good-password', role: 'clerk', department: 'NOPE' }, 422],
    [{ username: 'bad name!', password: 'a-good-password', role: 'admin' }, 422],
    [{ username: 'admin', password: 'a-good-password', role: 'admin' }, 409],
  ])('refuses %o with %i', async (body, status) => {
    const res = await gw.request('/v1/users', { method: 'POST', token: await gw.adminToken(), json: body })
    expect(res.status).toBe(status)
  })

  it('is refused to nobody (401) and to a clerk (403)', async () => {
    const body = { username: 'sneaky', password: 'a-good-password', role: 'admin' }
    expect((await gw.request('/v1/users', { method: 'POST', json: body })).status).toBe(401)
    const clerk = await gw.clerkToken('MZJ')
    expect((await gw.request('/v1/users', { method: 'POST', token: clerk, json: body })).status).toBe(403)
    expect((await gw.request('/v1/users', { token: clerk })).status).toBe(403)
    expect((await gw.login('sneaky', 'a-good-password')).status).toBe(401)
  })
})
