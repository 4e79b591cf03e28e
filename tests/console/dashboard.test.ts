import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rebuildCaseStats } from '../../src/modules/stats/rebuild-case-stats.js'
import { type ConsoleSession, consoleSignIn } from '../helpers/console.js'
import { TEST_ADMIN_PASSWORD } from '../helpers/constants.js'
import { CLERK_PASSWORD, createTestGateway, type TestGateway } from '../helpers/gateway.js'
import { registerPartner } from '../helpers/partners.js'

/** The dashboard: everyone's, with a clerk's figures limited to its department. */
let gw: TestGateway
let admin: ConsoleSession
let marriageClerk: ConsoleSession
let otherClerk: ConsoleSession

/** The number shown on one of the dashboard's cards. */
const card = (html: string, label: string) => html.match(new RegExp(`<dt>${label}</dt><dd>([^<]*)</dd>`))?.[1]

beforeAll(async () => {
  gw = await createTestGateway()
  const longmen = await registerPartner(gw, 'longmen')
  const conghua = await registerPartner(gw, 'conghua')
  // Two marriage registrations (民政局): one from each partner, received in November 2026.
  expect((await longmen.send('cases', longmen.sample('case-person-mail.json'))).status).toBe(201)
  expect((await conghua.send('cases', conghua.sample('case-marriage-mail.xml'))).status).toBe(201)
  // The counters from the cases themselves, whether or not intake keeps them yet.
  await rebuildCaseStats({ ctx: gw.ctx() })
  await gw.clerkToken('MZJ', 'dash-mzj')
  await gw.clerkToken('GAJ', 'dash-gaj')
  admin = await consoleSignIn(gw, 'admin', TEST_ADMIN_PASSWORD)
  marriageClerk = await consoleSignIn(gw, 'dash-mzj', CLERK_PASSWORD)
  otherClerk = await consoleSignIn(gw, 'dash-gaj', CLERK_PASSWORD)
})
afterAll(() => gw?.close())

describe('dashboard', () => {
  it('shows an administrator the totals, the monthly chart with its table, and delivery health', async () => {
    const res = await admin.get('/console/dashboard')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(card(html, '收件')).toBe('2')
    expect(card(html, '在办')).toBe('2')
    expect(card(html, '超期')).toBe('0')
    expect(card(html, '办结率')).toBe('0.0%')
    expect(card(html, '办结用时中位数')).toBe('—')
    // The SVG chart, labelled, with one bar per partner and month, and the same numbers in a table.
    expect(html).toContain('<svg class="chart" viewBox="0 0 760 300" role="img"')
    expect(html).toContain('<title id="chart-monthly-title">各合作方每月收件数</title>')
    expect(html.match(/class="bar s\d"/g)?.length).toBeGreaterThanOrEqual(2)
    expect(html).toContain('<title>2026-11 从化区：1 件</title>')
    expect(html).toMatch(
      /<th scope="row">2026-11<\/th><td class="num">1<\/td><td class="num">1<\/td><td class="num">2<\/td>/,
    )
    expect(html).toContain('发送状况（按合作方）')
    expect(html).not.toMatch(/\sstyle="/)
  })

  it('shows a clerk its own department’s figures, and no delivery health', async () => {
    const own = await marriageClerk.get('/console/dashboard')
    expect(own.status).toBe(200)
    const html = await own.text()
    expect(html).toContain('本部门')
    expect(card(html, '收件')).toBe('2')
    expect(html).not.toContain('发送状况')
    expect(html).not.toContain('/console/admin/')

    const other = await (await otherClerk.get('/console/dashboard')).text()
    expect(card(other, '收件')).toBe('0')
    expect(other).toContain('暂无数据')
  })

  it('limits the figures to the months asked, and explains a bad month in Chinese', async () => {
    const later = await (await admin.get('/console/dashboard?from=2026-12&to=2027-01')).text()
    expect(card(later, '收件')).toBe('0')
    expect(later).toContain('value="2026-12"')

    const bad = await admin.get('/console/dashboard?from=2026-13')
    expect(bad.status).toBe(422)
    const html = await bad.text()
    expect(html).toContain('起始月份（/query/from）')
    expect(html).toContain('应为月份，格式 YYYY-MM')
  })

  it('sends a visitor to the sign-in page', async () => {
    const res = await gw.app.request('/console/dashboard')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/console/login?next=%2Fconsole%2Fdashboard')
  })
})
