import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ConsoleSession, consoleSignIn } from '../helpers/console.js'
import { MARRIAGE_ITEM_CODE, TEST_ADMIN_PASSWORD } from '../helpers/constants.js'
import { CLERK_PASSWORD, createTestGateway, type TestGateway } from '../helpers/gateway.js'
import { makePartnerKey } from '../helpers/partners.js'

/** The administrator pages through app.request with real console sessions. */
let gw: TestGateway
let admin: ConsoleSession
let clerk: ConsoleSession
let token: string

const ADMIN_PAGES = [
  ['/console/admin/agreements', '协议管理'],
  ['/console/admin/agreements/new', '新建协议'],
  ['/console/admin/items', '事项目录'],
  ['/console/admin/users', '用户'],
  ['/console/admin/dead-letters', '死信'],
  ['/console/admin/audit', '审计日志'],
  ['/console/admin/keys', '网关密钥'],
] as const

interface ApiAgreement {
  id: string
  status: string
  version: number
  keys: { keys: { kid: string }[] }
  items: { direction: string; itemCode?: string; partnerItemCode: string; name?: string }[]
}

async function apiAgreements(): Promise<ApiAgreement[]> {
  const res = await gw.request('/v1/agreements', { token })
  expect(res.status).toBe(200)
  return ((await res.json()) as { items: ApiAgreement[] }).items
}

async function apiAgreement(id: string): Promise<ApiAgreement> {
  const res = await gw.request(`/v1/agreements/${id}`, { token })
  expect(res.status).toBe(200)
  return (await res.json()) as ApiAgreement
}

async function crossCity(): Promise<{ code: string; basicCode: string; name: string }[]> {
  const res = await gw.request('/v1/items?crossCity=true&limit=500', { token })
  return ((await res.json()) as { items: { code: string; basicCode: string; name: string }[] }).items
}

async function jwksText(kid: string): Promise<string> {
  return JSON.stringify({ keys: [(await makePartnerKey(kid)).publicJwk] })
}

/** The form of a new Longmen agreement: two cross-city items in, one partner item out. */
async function agreementFields(over: Record<string, string | string[] | File> = {}) {
  const items = await crossCity()
  const second = items.find((i) => i.code !== MARRIAGE_ITEM_CODE)
  return {
    region: '441324',
    name: '惠州市龙门县',
    format: 'longmen-json-v1',
    endpoint: 'https://kytb.longmen.example/v1/exchange',
    validFrom: '2026-01-01',
    validUntil: '2027-12-31',
    maxPayloadMb: '20',
    jwks: await jwksText('lm-console-1'),
    inbound: [MARRIAGE_ITEM_CODE, second?.code ?? ''],
    [`pc_${MARRIAGE_ITEM_CODE}`]: 'LM-441324-MZ-0007',
    out_code: ['LM-OUT-9', ''],
    out_name: ['龙门县 户籍证明', ''],
    out_days: ['7', ''],
    ...over,
  }
}

const location = (res: Response) => res.headers.get('location') ?? ''

beforeAll(async () => {
  gw = await createTestGateway()
  token = await gw.adminToken()
  await gw.clerkToken('MZJ', 'clerk-admin-test')
  admin = await consoleSignIn(gw, 'admin', TEST_ADMIN_PASSWORD)
  clerk = await consoleSignIn(gw, 'clerk-admin-test', CLERK_PASSWORD)
})
afterAll(() => gw?.close())

describe('who may open the administrator pages', () => {
  it('shows every page to an administrator, in Chinese, without inline script or style', async () => {
    for (const [path, title] of ADMIN_PAGES) {
      const res = await admin.get(path)
      expect(res.status, path).toBe(200)
      const html = await res.text()
      expect(html, path).toContain(`<title>${title} · 跨域通办网关</title>`)
      expect(html, path).not.toMatch(/\sstyle="/)
      expect(html, path).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/)
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    }
  })

  it('answers a clerk with 404 on every page, and a visitor with the sign-in page', async () => {
    for (const [path] of ADMIN_PAGES) {
      expect((await clerk.get(path)).status, path).toBe(404)
      const anon = await gw.app.request(path)
      expect(anon.status, path).toBe(303)
      expect(location(anon), path).toBe(`/console/login?next=${encodeURIComponent(path)}`)
    }
  })

  it('refuses a clerk’s form posts with 404, changing nothing', async () => {
    const before = (await apiAgreements()).length
    const res = await clerk.postForm('/console/admin/agreements', await agreementFields(), {
      multipart: true,
    })
    expect(res.status).toBe(404)
    expect((await clerk.postForm('/console/admin/keys/rotate', {})).status).toBe(404)
    expect(await apiAgreements()).toHaveLength(before)
    expect(gw.deps.keys.allPublicKeys()).toHaveLength(1)
  })

  it('refuses posts without the form token or from another origin (403), changing nothing', async () => {
    const before = (await apiAgreements()).length
    const posts: [string, Record<string, string | string[]>][] = [
      ['/console/admin/agreements', await agreementFields()],
      ['/console/admin/users', { username: 'mallory', password: 'long-enough-pw', role: 'admin' }],
      [`/console/admin/items/${MARRIAGE_ITEM_CODE}/status`, { status: 'retired' }],
      ['/console/admin/keys/rotate', {}],
      ['/console/admin/dead-letters/resend', { partner: '441324' }],
    ]
    for (const [path, fields] of posts) {
      const res = await admin.postForm(path, fields, { csrf: false })
      expect(res.status, path).toBe(403)
      expect(await res.text()).toContain('请求来源无效')
      const foreign = await admin.postForm(path, fields, { origin: 'https://evil.example' })
      expect(foreign.status, path).toBe(403)
    }
    expect(await apiAgreements()).toHaveLength(before)
    const users = (await (await gw.request('/v1/users', { token })).json()) as {
      items: { username: string }[]
    }
    expect(users.items.map((u) => u.username)).not.toContain('mallory')
    const item = (await (await gw.request(`/v1/items/${MARRIAGE_ITEM_CODE}`, { token })).json()) as {
      status: string
    }
    expect(item.status).toBe('online')
    expect(gw.deps.keys.allPublicKeys()).toHaveLength(1)
  })
})

describe('agreements', () => {
  let id: string

  it('offers the cross-city items grouped by department, each with a partner-code field', async () => {
    const html = await (await admin.get('/console/admin/agreements/new')).text()
    const items = await crossCity()
    expect(items).toHaveLength(127)
    expect(html.match(/name="inbound"/g)).toHaveLength(127)
    expect(html.match(/<details class="picker"/g)?.length).toBeGreaterThan(3)
    expect(html).toContain(
      `<label class="sr-only" for="pc-${MARRIAGE_ITEM_CODE}">对方事项编码：内地居民婚姻登记`,
    )
    expect(html).toContain('enctype="multipart/form-data"')
    expect(html).toContain('data-add-row="outbound-row"')
  })

  it('creates a draft from the form (JWKS pasted), which the API then shows', async () => {
    const res = await admin.postForm('/console/admin/agreements', await agreementFields(), {
      multipart: true,
    })
    expect(res.status).toBe(303)
    const m = location(res).match(/^\/console\/admin\/agreements\/([0-9a-f-]{36})\?done=agreement_created$/)
    expect(m).not.toBeNull()
    id = m?.[1] ?? ''
    const a = await apiAgreement(id)
    expect(a).toMatchObject({ status: 'draft', version: 1, keys: { keys: [{ kid: 'lm-console-1' }] } })
    expect(a.items).toHaveLength(3)
    expect(a.items).toEqual(
      expect.arrayContaining([
        { direction: 'inbound', itemCode: MARRIAGE_ITEM_CODE, partnerItemCode: 'LM-441324-MZ-0007' },
        expect.objectContaining({ direction: 'inbound', partnerItemCode: expect.stringMatching(/^\d{12}$/) }),
        { direction: 'outbound', partnerItemCode: 'LM-OUT-9', name: '龙门县 户籍证明', promisedDays: 7 },
      ]),
    )
    expect((await apiAgreements()).map((x) => x.id)).toContain(id)

    const page = await admin.get(location(res))
    const html = await page.text()
    expect(html).toContain('协议已创建（草稿）')
    expect(html).toContain('lm-console-1')
    expect(html).toContain('内地居民婚姻登记')
    expect(html).toContain('LM-OUT-9')
    const list = await (await admin.get('/console/admin/agreements')).text()
    expect(list).toContain('惠州市龙门县')
    expect(list).toContain('草稿')
    expect(list).toContain('龙门 JSON 第 1 版')
  })

  it('offers only the moves the lifecycle allows, each with a confirmation', async () => {
    const html = await (await admin.get(`/console/admin/agreements/${id}`)).text()
    expect(html).toContain(`action="/console/admin/agreements/${id}/activate"`)
    expect(html).toContain(`action="/console/admin/agreements/${id}/terminate"`)
    expect(html).not.toContain(`action="/console/admin/agreements/${id}/suspend"`)
    expect(html).toMatch(/data-confirm="确定启用该协议/)
  })

  it('activates, rotates the keys (JWKS uploaded as a file), and keeps every version', async () => {
    const act = await admin.postForm(`/console/admin/agreements/${id}/activate`, {})
    expect(act.status).toBe(303)
    expect(location(act)).toBe(`/console/admin/agreements/${id}?done=agreement_active`)
    expect((await apiAgreement(id)).status).toBe('active')

    const file = new File([await jwksText('lm-console-2')], 'longmen-jwks.json', { type: 'application/json' })
    const rot = await admin.postForm(`/console/admin/agreements/${id}/keys`, { jwks: '', jwks_file: file })
    expect(rot.status).toBe(303)
    expect(location(rot)).toBe(`/console/admin/agreements/${id}?done=keys_replaced`)
    expect((await apiAgreement(id)).keys.keys.map((k) => k.kid)).toEqual(['lm-console-2'])

    const html = await (await admin.get(location(rot))).text()
    expect(html).toContain('对方公钥已更换')
    const history = html.slice(html.indexOf('版本历史'))
    expect(history).toContain('更换密钥')
    expect(history).toContain('启用')
    expect(history).toContain('创建')
    expect(history).toContain('user:admin')
    expect(html).toContain(`action="/console/admin/agreements/${id}/suspend"`)
  })

  it('lists each located problem of a bad form in Chinese and keeps what was typed', async () => {
    const before = (await apiAgreements()).length
    // The shape first (blank name, a number that is not one) …
    const shape = await admin.postForm(
      '/console/admin/agreements',
      await agreementFields({ name: '', out_days: ['abc', ''], endpoint: 'https://10.0.0.5/v1/exchange' }),
      { multipart: true },
    )
    expect(shape.status).toBe(422)
    const first = await shape.text()
    expect(first).toContain('role="alert"')
    expect(first).toContain('提交的内容有误')
    expect(first).toContain('<strong>合作方名称（/partner/name）</strong>：必填')
    expect(first).toContain('<strong>代收事项第 1 行 · 承诺时限（/items/2/promisedDays）</strong>：应为数字')
    // … what was typed is still there …
    expect(first).toContain('value="https://10.0.0.5/v1/exchange"')
    expect(first).toContain('value="LM-441324-MZ-0007"')
    expect(first).toMatch(new RegExp(`value="${MARRIAGE_ITEM_CODE}" checked`))
    expect(first).toContain('value="LM-OUT-9"')
    expect(first).toContain('lm-console-1')

    // … then every rule that needs the shape right, all at once.
    const rules = await admin.postForm(
      '/console/admin/agreements',
      await agreementFields({
        region: '440233',
        jwks: JSON.stringify({ keys: [{ ...(await makePartnerKey('k1')).publicJwk, d: 'secret' }] }),
        endpoint: 'https://kytb.longmen.example/v1/exchange?token=1',
        validUntil: '2025-12-31',
        inbound: [MARRIAGE_ITEM_CODE, 'NO-SUCH-ITEM'],
      }),
      { multipart: true },
    )
    expect(rules.status).toBe(422)
    const html = await rules.text()
    for (const text of [
      '<strong>合作方区划代码（/partner/region）</strong>：这是新丰县自己的区划代码',
      '<strong>第 1 个公钥 · d（/keys/keys/0/d）</strong>：含有私钥成员',
      '<strong>对方接口地址（/endpoint）</strong>：地址中不得包含查询参数',
      '<strong>截止日期（/validUntil）</strong>：截止日期早于生效日期',
      '<strong>收件事项 NO-SUCH-ITEM · 事项（/items/1/itemCode）</strong>：事项目录中没有该事项',
    ]) {
      expect(html).toContain(text)
    }
    expect(await apiAgreements()).toHaveLength(before)
  })

  it('says when the pasted JWKS is not JSON', async () => {
    const res = await admin.postForm(
      '/console/admin/agreements',
      await agreementFields({ jwks: '{ keys: [' }),
      {
        multipart: true,
      },
    )
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('公钥 JWKS（/keys）')
    expect(html).toContain('不是有效的 JSON 文本')
    expect(html).toContain('{ keys: [')
  })

  it('refuses to activate a second agreement of an active partner, in Chinese', async () => {
    const res = await admin.postForm(
      '/console/admin/agreements',
      await agreementFields({ inbound: [], [`pc_${MARRIAGE_ITEM_CODE}`]: '' }),
      { multipart: true },
    )
    expect(res.status).toBe(303)
    const second = location(res).split('/').pop()?.split('?')[0] ?? ''
    const act = await admin.postForm(`/console/admin/agreements/${second}/activate`, {})
    expect(act.status).toBe(409)
    expect(await act.text()).toContain('该合作方已有一个生效的协议')
    expect((await apiAgreement(second)).status).toBe('draft')
  })

  it('refuses a bad rotation with the key’s location, and terminates for good', async () => {
    const bad = JSON.stringify({ keys: [{ kty: 'RSA', kid: 'r1', alg: 'RS256', n: 'x', e: 'AQAB' }] })
    const rot = await admin.postForm(
      `/console/admin/agreements/${id}/keys`,
      { jwks: bad },
      { multipart: true },
    )
    expect(rot.status).toBe(422)
    const html = await rot.text()
    expect(html).toContain('第 1 个公钥 · kty（/keys/0/kty）')
    expect(html).toContain('密钥类型不受支持')
    expect((await apiAgreement(id)).keys.keys.map((k) => k.kid)).toEqual(['lm-console-2'])

    const end = await admin.postForm(`/console/admin/agreements/${id}/terminate`, {})
    expect(end.status).toBe(303)
    expect((await apiAgreement(id)).status).toBe('terminated')
    const page = await (await admin.get(`/console/admin/agreements/${id}`)).text()
    expect(page).toContain('协议已终止')
    expect(page).not.toContain(`/console/admin/agreements/${id}/activate`)
    expect(page).not.toContain('更换公钥（密钥轮换）')
  })

  it('answers an unknown agreement with 404', async () => {
    expect((await admin.get('/console/admin/agreements/00000000-0000-4000-8000-000000000000')).status).toBe(
      404,
    )
    expect((await admin.get('/console/admin/agreements/not-an-id')).status).toBe(404)
  })
})

describe('catalogue', () => {
  it('lists 50 items a page with figures and filters, and pages on', async () => {
    const html = await (await admin.get('/console/admin/items')).text()
    expect(html).toContain('共 1162 项')
    expect(html.match(/<tr id="item-/g)).toHaveLength(50)
    expect(html).toContain('办结率')
    const next = html.match(/href="(\/console\/admin\/items\?cursor=[^"]+)"/)?.[1]
    expect(next).toBeDefined()
    const page2 = await (await admin.get((next ?? '').replaceAll('&amp;', '&'))).text()
    expect(page2).toContain('回到第一页')

    const filtered = await (
      await admin.get('/console/admin/items?crossCity=true&township=false&q=婚姻')
    ).text()
    expect(filtered).toContain('内地居民婚姻登记')
    expect(filtered).toMatch(/<option value="true" selected="">是<\/option>/)
  })

  it('changes an item’s status with the moves allowed, and refuses another', async () => {
    const before = await (await admin.get(`/console/admin/items?q=${MARRIAGE_ITEM_CODE}`)).text()
    expect(before).toContain('>暂停</button>')
    expect(before).toContain('>撤销</button>')
    expect(before).not.toContain('>上线</button>')

    const res = await admin.postForm(`/console/admin/items/${MARRIAGE_ITEM_CODE}/status`, {
      status: 'paused',
      back: `q=${MARRIAGE_ITEM_CODE}&evil=1`,
    })
    expect(res.status).toBe(303)
    expect(location(res)).toBe(
      `/console/admin/items?q=${MARRIAGE_ITEM_CODE}&done=item_status#item-${MARRIAGE_ITEM_CODE}`,
    )
    const item = await gw.request(`/v1/items/${MARRIAGE_ITEM_CODE}`, { token })
    expect(((await item.json()) as { status: string }).status).toBe('paused')
    const after = await (await admin.get(location(res).split('#')[0] ?? '')).text()
    expect(after).toContain('事项状态已变更')
    expect(after).toContain('>恢复上线</button>')

    const refused = await admin.postForm(`/console/admin/items/${MARRIAGE_ITEM_CODE}/status`, {
      status: 'catalogued',
    })
    expect(refused.status).toBe(409)
    expect(await refused.text()).toContain('不允许此变更')

    const back = await admin.postForm(`/console/admin/items/${MARRIAGE_ITEM_CODE}/status`, {
      status: 'online',
    })
    expect(back.status).toBe(303)
  })
})

describe('users', () => {
  it('creates a clerk who can then sign in, and lists it', async () => {
    const res = await admin.postForm('/console/admin/users', {
      username: 'wangwu',
      password: 'wangwu-password-1',
      role: 'clerk',
      department: 'MZJ',
    })
    expect(res.status).toBe(303)
    expect(location(res)).toBe('/console/admin/users?done=user_created')
    const html = await (await admin.get(location(res))).text()
    expect(html).toContain('用户已创建')
    expect(html).toContain('wangwu')
    const login = await gw.login('wangwu', 'wangwu-password-1')
    expect(login.status).toBe(200)
    expect(((await login.json()) as { user: unknown }).user).toEqual({
      username: 'wangwu',
      role: 'clerk',
      department: 'MZJ',
    })
  })

  it('refuses a clerk without department, a short password and a taken name, in Chinese', async () => {
    const none = await admin.postForm('/console/admin/users', {
      username: 'zhaoqi',
      password: 'zhaoqi-password-1',
      role: 'clerk',
      department: '',
    })
    expect(none.status).toBe(422)
    const html = await none.text()
    expect(html).toContain('部门（/department）')
    expect(html).toContain('value="zhaoqi"')

    const short = await admin.postForm('/console/admin/users', {
      username: 'bad name',
      password: 'short',
      role: 'admin',
    })
    expect(short.status).toBe(422)
    const text = await short.text()
    expect(text).toContain('初始密码（/password）')
    expect(text).toContain('至少 10 个字符')
    expect(text).toContain('用户名（/username）')

    const taken = await admin.postForm('/console/admin/users', {
      username: 'wangwu',
      password: 'another-password-1',
      role: 'admin',
    })
    expect(taken.status).toBe(409)
    expect(await taken.text()).toContain('用户名 wangwu 已存在')
    const users = (await (await gw.request('/v1/users', { token })).json()) as {
      items: { username: string }[]
    }
    expect(users.items.map((u) => u.username)).not.toContain('zhaoqi')
  })
})
