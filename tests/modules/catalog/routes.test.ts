import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MARRIAGE_BASIC_CODE } from '../../helpers/constants.js'
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

type Page = {
  items: { code: string; name: string; department: string; status: string }[]
  total: number
  nextCursor: string | null
}
const page = async (query: string, token = clerk) => {
  const res = await gw.request(`/v1/items${query}`, { token })
  expect(res.status).toBe(200)
  return (await res.json()) as Page
}

describe('GET /v1/items — happy', () => {
  it('holds the whole sample catalogue of 1,162 items, 127 cross-city and 93 township', async () => {
    expect((await page('')).total).toBe(1162)
    expect((await page('?crossCity=true')).total).toBe(127)
    expect((await page('?township=true')).total).toBe(93)
  })

  it('walks every item exactly once with the cursor', async () => {
    const seen = new Set<string>()
    let cursor: string | null = ''
    while (cursor !== null) {
      const p: Page = await page(`?limit=500${cursor ? `&cursor=${cursor}` : ''}`)
      for (const i of p.items) seen.add(i.code)
      cursor = p.nextCursor
    }
    expect(seen.size).toBe(1162)
  })

  it('searches the Chinese name and filters by department, status and mode', async () => {
    const hits = await page(`?q=${encodeURIComponent('婚姻登记')}`)
    expect(hits.total).toBeGreaterThan(0)
    for (const i of hits.items) expect(i.name).toContain('婚姻登记')
    const dept = await page('?department=MZJ&limit=500')
    expect(dept.total).toBeGreaterThan(0)
    expect(dept.items.every((i) => i.department === 'MZJ')).toBe(true)
    const paused = await page('?status=paused&limit=500')
    expect(paused.items.every((i) => i.status === 'paused')).toBe(true)
    const online = await page('?mode=online')
    const all = await page('')
    expect(online.total).toBeLessThan(all.total)
  })

  it('treats LIKE wildcards in the search text literally', async () => {
    expect((await page('?q=%25')).total).toBe(0)
  })

  it('lists the 47 departments', async () => {
    const res = await gw.request('/v1/departments', { token: clerk })
    const body = (await res.json()) as { items: { code: string; name: string }[] }
    expect(body.items).toHaveLength(47)
    expect(body.items.some((d) => d.name === '新丰县民政局')).toBe(true)
  })

  it('shows one item with its figures', async () => {
    const { items } = await page(`?q=${MARRIAGE_BASIC_CODE}`)
    const code = items[0]?.code
    const res = await gw.request(`/v1/items/${code}`, { token: clerk })
    expect(res.status).toBe(200)
    const item = (await res.json()) as { basicCode: string; figures: { received: number } }
    expect(item.basicCode).toBe(MARRIAGE_BASIC_CODE)
    expect(item.figures.received).toBeGreaterThanOrEqual(0)
  })
})

describe('GET /v1/items — errors', () => {
  it('answers 404 problem+json for an unknown item', async () => {
    const res = await gw.request('/v1/items/NO-SUCH-ITEM', { token: clerk })
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(((await res.json()) as { code: string }).code).toBe('not_found')
  })

  it.each([['?limit=0'], ['?limit=abc'], ['?status=open'], ['?cursor=garbage'], ['?partner=12']])(
    'refuses %s with 422 validation_failed',
    async (query) => {
      const res = await gw.request(`/v1/items${query}`, { token: clerk })
      expect(res.status).toBe(422)
      expect(((await res.json()) as { code: string }).code).toBe('validation_failed')
    },
  )
})

describe('PATCH /v1/items/{code}', () => {
  const firstWith = async (status: string) =>
    (await page(`?status=${status}&limit=1`)).items[0]?.code as string

  it('lets an admin pause and re-open an online item, and audits it', async () => {
    const code = await firstWith('online')
    const paused = await gw.request(`/v1/items/${code}`, {
      method: 'PATCH',
      token: admin,
      json: { status: 'paused' },
    })
    expect(paused.status).toBe(200)
    expect(((await paused.json()) as { status: string }).status).toBe('paused')
    const again = await gw.request(`/v1/items/${code}`, {
      method: 'PATCH',
      token: admin,
      json: { status: 'online' },
    })
    expect(((await again.json()) as { status: string }).status).toBe('online')
  })

  it('refuses a move the lifecycle does not allow with 409 transition_not_allowed', async () => {
    const code = await firstWith('retired')
    const res = await gw.request(`/v1/items/${code}`, {
      method: 'PATCH',
      token: admin,
      json: { status: 'online' },
    })
    expect(res.status).toBe(409)
    expect(((await res.json()) as { code: string }).code).toBe('transition_not_allowed')
  })

  it('refuses a catalogued item going straight to paused', async () => {
    const code = await firstWith('catalogued')
    const res = await gw.request(`/v1/items/${code}`, {
      method: 'PATCH',
      token: admin,
      json: { status: 'paused' },
    })
    expect(res.status).toBe(409)
  })

  it('refuses an unknown status with 422', async () => {
    const code = await firstWith('online')
    const res = await gw.request(`/v1/items/${code}`, {
      method: 'PATCH',
      token: admin,
      json: { status: 'open' },
    })
    expect(res.status).toBe(422)
  })
})

describe('catalogue — security', () => {
  it('requires sign-in for every catalogue route', async () => {
    for (const path of ['/v1/items', '/v1/departments', '/v1/items/X']) {
      const res = await gw.request(path)
      expect(res.status).toBe(401)
      expect(((await res.json()) as { code: string }).code).toBe('unauthenticated')
    }
  })

  it('refuses a forged or expired token', async () => {
    const res = await gw.request('/v1/items', { token: `${admin.slice(0, -4)}AAAA` })
    expect(res.status).toBe(401)
  })

  it('does not let a clerk change an item status', async () => {
    const code = (await page('?status=online&limit=1')).items[0]?.code
    const res = await gw.request(`/v1/items/${code}`, {
      method: 'PATCH',
      token: clerk,
      json: { status: 'paused' },
    })
    expect(res.status).toBe(403)
    expect((await page(`?q=${code}`)).items[0]?.status).toBe('online')
  })
})
