import { eq } from 'drizzle-orm'
import { exportJWK, generateKeyPair } from 'jose'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cases } from '../../src/db/schema/index.js'
import { rebuildCaseStats } from '../../src/modules/stats/rebuild-case-stats.js'
import {
  browserMissing,
  launchBrowser,
  openPage,
  screenshot,
  serveGateway,
  signIn,
} from '../helpers/browser.js'
import { MARRIAGE_ITEM_CODE } from '../helpers/constants.js'
import { createTestGateway, type TestGateway } from '../helpers/gateway.js'
import { readReceipt, registerPartner, type TestPartner } from '../helpers/partners.js'

/** An administrator's day in a real browser: agreements, catalogue, dashboard, audit. */
let gw: TestGateway
let server: Awaited<ReturnType<typeof serveGateway>>
let browser: Browser

/** A partner's public key as the partner would hand it over: a JWKS with kid and alg. */
async function partnerJwks(kid: string): Promise<string> {
  const { publicKey } = await generateKeyPair('ES256', { extractable: true })
  return JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256' }] }, null, 2)
}

/** Every `data-confirm` dialog is answered yes, and each is remembered. */
function acceptConfirms(page: Page): string[] {
  const seen: string[] = []
  page.on('dialog', async (d) => {
    seen.push(d.message())
    await d.accept()
  })
  return seen
}

/** Console errors (a CSP violation shows up here). */
function consoleErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  return errors
}

/** Cases from both partners over three months, so the dashboard has something to draw. */
async function traffic() {
  const conghua = await registerPartner(gw, 'conghua')
  const longmen = await registerPartner(gw, 'longmen')
  const plan: [string, TestPartner, number][] = [
    ['2026-09-15T02:00:00Z', conghua, 3],
    ['2026-09-16T02:00:00Z', longmen, 1],
    ['2026-10-13T02:00:00Z', conghua, 2],
    ['2026-10-14T02:00:00Z', longmen, 4],
    ['2026-11-24T02:00:00Z', conghua, 5],
    ['2026-11-25T02:00:00Z', longmen, 2],
  ]
  let n = 0
  for (const [at, partner, count] of plan) {
    for (let i = 0; i < count; i++) {
      const no = String(++n).padStart(3, '0')
      const bytes =
        partner === conghua
          ? partner
              .sample('case-marriage-mail.xml')
              .toString('utf8')
              .replace('CH20261128000123', `CH2026000${no}`)
          : partner
              .sample('case-person-mail.json')
              .toString('utf8')
              .replace('LM2026112800017', `LM2026000${no}`)
      const res = await partner.send('cases', bytes)
      expect(res.status).toBe(201)
      // Received earlier than today: moved back in the database (the gateway's key is younger).
      const { caseNo } = (await readReceipt(gw, await res.text())).receipt
      await gw.database.db
        .update(cases)
        .set({ receivedAt: new Date(at) })
        .where(eq(cases.caseNo, caseNo ?? ''))
    }
  }
  await rebuildCaseStats({ ctx: gw.ctx() })
  // Longmen's first agreement ends here: the test registers its successor through the console.
  const ended = await gw.request(`/v1/agreements/${longmen.agreementId}/terminate`, {
    method: 'POST',
    token: await gw.adminToken(),
  })
  expect(ended.status).toBe(200)
}

beforeAll(async () => {
  if (browserMissing) return
  gw = await createTestGateway()
  await traffic()
  server = await serveGateway(gw)
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await gw?.close()
})

describe.skipIf(browserMissing)('administrator console in a browser', () => {
  it('creates a Longmen agreement through the form, activates it, rotates its keys, sees its history', async () => {
    const { page, outside, close } = await openPage(browser, server.url)
    const confirms = acceptConfirms(page)
    const errors = consoleErrors(page)
    await signIn(page, server.url, 'admin')

    await page.getByRole('link', { name: '协议管理' }).click()
    await page.getByRole('link', { name: '新建协议' }).click()
    await page.getByLabel('合作方区划代码（6 位）').fill('441324')
    await page.getByLabel('合作方名称').fill('惠州市龙门县')
    await page.getByLabel('报文格式').selectOption('longmen-json-v1')
    await page.getByLabel('对方接口地址').fill('https://kytb.longmen.example/v1/exchange')
    await page.getByLabel('生效日期').fill('2026-01-01')
    await page.getByLabel('截止日期').fill('2027-12-31')
    await page.getByLabel('粘贴 JWKS（JSON）').fill(await partnerJwks('lm-browser-1'))
    // The marriage registration, in its department's group, with Longmen's own code for it.
    const group = page.locator('details.picker', { has: page.locator(`[id="in-${MARRIAGE_ITEM_CODE}"]`) })
    await group.locator('summary').click()
    await page.getByLabel('内地居民婚姻登记', { exact: true }).check()
    await page.getByLabel('对方事项编码：内地居民婚姻登记').fill('LM-441324-MZ-0007')
    // Two outbound items: the second row is added by app.js.
    const rows = page.locator('.row-fields')
    await rows.nth(0).getByLabel('对方事项编码').fill('LM-OUT-1')
    await rows.nth(0).getByLabel('事项名称').fill('龙门县 户籍证明')
    await rows.nth(0).getByLabel('承诺时限（工作日）').fill('5')
    await page.getByRole('button', { name: '添加一行' }).click()
    await rows.nth(1).getByLabel('对方事项编码').fill('LM-OUT-2')
    await rows.nth(1).getByLabel('事项名称').fill('龙门县 居住证明')
    await rows.nth(1).getByLabel('承诺时限（工作日）').fill('3')
    await screenshot(page, 'admin-agreement-new')
    await page.getByRole('button', { name: '创建协议（草稿）' }).click()

    await page.waitForURL(/\/console\/admin\/agreements\/[0-9a-f-]{36}\?done=agreement_created$/)
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('协议已创建')
    const id = new URL(page.url()).pathname.split('/').pop() ?? ''
    const token = await gw.adminToken()
    const created = (await (await gw.request(`/v1/agreements/${id}`, { token })).json()) as {
      status: string
      items: unknown[]
    }
    expect(created.status).toBe('draft')
    expect(created.items).toHaveLength(3)

    await page.getByRole('button', { name: '启用' }).click()
    await page.waitForURL(/done=agreement_active$/)
    expect(confirms.at(-1)).toContain('确定启用该协议')
    await expect.poll(() => page.locator('.tag.green').first().textContent()).toBe('生效')

    await page.getByText('更换公钥（密钥轮换）').click()
    await page.getByLabel('粘贴 JWKS（JSON）').fill(await partnerJwks('lm-browser-2'))
    await page.getByRole('button', { name: '更换公钥' }).click()
    await page.waitForURL(/done=keys_replaced$/)
    const history = page.locator('table', { has: page.getByText('当时的状态与公钥') })
    await expect.poll(() => history.locator('tbody tr').count()).toBe(3)
    const rowsText = await history.locator('tbody tr').allTextContents()
    expect(rowsText[0]).toContain('更换密钥')
    expect(rowsText[0]).toContain('lm-browser-2')
    expect(rowsText[1]).toContain('启用')
    expect(rowsText[2]).toContain('创建')
    await screenshot(page, 'admin-agreement-detail')

    await page.getByRole('link', { name: '协议管理' }).click()
    await expect.poll(() => page.getByRole('link', { name: '惠州市龙门县' }).count()).toBe(2)
    await screenshot(page, 'admin-agreements')

    expect(outside).toEqual([])
    expect(errors).toEqual([])
    await close()
  })

  it('shows the catalogue with figures and changes an item’s status from the keyboard', async () => {
    const { page, outside, close } = await openPage(browser, server.url)
    acceptConfirms(page)
    const errors = consoleErrors(page)
    await signIn(page, server.url, 'admin')
    await page.goto(`${server.url}/console/admin/items?crossCity=true`)
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('共 127 项')
    await screenshot(page, 'admin-items')

    await page.getByLabel('搜索').fill('婚姻')
    await page.getByLabel('搜索').press('Enter')
    await page.waitForURL(/q=/)
    const pause = page.getByRole('button', { name: '暂停：内地居民婚姻登记' })
    await pause.focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(/done=item_status/)
    await expect.poll(() => page.getByRole('button', { name: '恢复上线：内地居民婚姻登记' }).count()).toBe(1)
    await page.getByRole('button', { name: '恢复上线：内地居民婚姻登记' }).click()
    await page.waitForURL(/done=item_status/)
    expect(outside).toEqual([])
    expect(errors).toEqual([])
    await close()
  })

  it('renders the dashboard’s SVG chart and the audit log with its chain verified', async () => {
    const { page, outside, close } = await openPage(browser, server.url)
    const errors = consoleErrors(page)
    await signIn(page, server.url, 'admin')
    await page.getByRole('link', { name: '统计看板' }).click()
    const chart = page.getByRole('img', { name: '各合作方每月收件数' })
    await expect.poll(() => chart.isVisible()).toBe(true)
    expect(await page.locator('svg.chart rect.bar').count()).toBeGreaterThan(0)
    const box = await chart.boundingBox()
    expect(box?.width).toBeGreaterThan(300)
    await screenshot(page, 'dashboard')

    await page.getByRole('link', { name: '审计日志' }).click()
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toMatch(/审计链完整：共 \d+ 条记录/)
    expect(await page.getByText('更换协议密钥').count()).toBeGreaterThan(0)
    await screenshot(page, 'admin-audit')
    expect(outside).toEqual([])
    expect(errors).toEqual([])
    await close()
  })
})
