import { createHash } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getFormat } from '../../src/modules/formats/registry.js'
import { formatBeijing } from '../../src/modules/formats/shared/times.js'
import {
  browserMissing,
  launchBrowser,
  openPage,
  screenshot,
  serveGateway,
  signIn,
} from '../helpers/browser.js'
import { CLERK_PASSWORD, createTestGateway, type TestGateway } from '../helpers/gateway.js'
import { readReceipt, registerPartner, type TestPartner } from '../helpers/partners.js'

/**
 * The flow in a real browser: a 民政局 clerk works a new Longmen case from the inbox
 * to its conclusion, with the partner's correction arriving in between.
 */
let gw: TestGateway
let server: Awaited<ReturnType<typeof serveGateway>>
let browser: Browser
let longmen: TestPartner
let caseNo: string
/** A second case, left in 已接件 so that its action forms can be opened on a small screen. */
let freshCaseNo: string

const THEIR_CASE_NO = 'LM2026112800017'
const PDF = Buffer.from('%PDF-1.4\n% household register page\n')

beforeAll(async () => {
  if (browserMissing) return
  gw = await createTestGateway({ env: { TOKEN_TTL_SECONDS: '28800' } })
  server = await serveGateway(gw)
  browser = await launchBrowser()
  await gw.clerkToken('MZJ', 'huangli')
  longmen = await registerPartner(gw, 'longmen')
  const res = await longmen.send('cases', longmen.sample('case-person-mail.json'))
  expect(res.status).toBe(201)
  caseNo = (await readReceipt(gw, await res.text())).receipt.caseNo as string
  const fresh = await longmen.send(
    'cases',
    longmen.sample('case-person-mail.json').toString('utf8').replaceAll(THEIR_CASE_NO, `${THEIR_CASE_NO}N`),
  )
  freshCaseNo = (await readReceipt(gw, await fresh.text())).receipt.caseNo as string
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await gw?.close()
})

/** Errors the page logs (a Content-Security-Policy violation shows up here). */
function consoleErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (m) => {
    // A refused form answers 422 on purpose; the browser logs every 4xx page as a "resource" error.
    if (m.type() === 'error' && !m.text().includes('status of 422')) errors.push(m.text())
  })
  page.on('response', (r) => {
    if (r.status() === 404) errors.push(`404 ${r.url()}`)
  })
  page.on('pageerror', (e) => errors.push(e.message))
  return errors
}

// The page's own globals, as strings: this project compiles without the DOM library.
const noHorizontalScroll = (page: Page) =>
  page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth + 1')
const focusedId = (page: Page) => page.evaluate<string | undefined>('document.activeElement?.id')

/** The partner's correction, as Longmen sends it: the household register it was asked for. */
async function partnerSubmitsCorrection() {
  gw.clock.advance(2 * 3600_000)
  const status = getFormat(longmen.format)?.renderStatus({
    caseNo: THEIR_CASE_NO,
    seq: 1,
    type: 'correction_submitted',
    occurredAt: formatBeijing(gw.clock.now().getTime()),
    materials: [
      {
        code: 'M02',
        name: '户口簿',
        original: false,
        file: {
          name: 'hkb.pdf',
          mediaType: 'application/pdf',
          size: PDF.length,
          sha256: createHash('sha256').update(PDF).digest('hex'),
          content: PDF.toString('base64'),
        },
      },
    ],
  }) as Uint8Array
  const res = await longmen.send('status', status)
  expect(res.status, await res.clone().text()).toBe(201)
}

describe.skipIf(browserMissing)('the clerk’s console', () => {
  it('signs in with the keyboard alone (Tab and Enter)', async () => {
    const { page, close } = await openPage(browser, server.url)
    await page.goto(`${server.url}/console`)
    await page.waitForURL(/\/console\/login/)
    expect(await focusedId(page)).toBe('username')
    await page.keyboard.type('huangli')
    await page.keyboard.press('Tab')
    expect(await focusedId(page)).toBe('password')
    await page.keyboard.type(CLERK_PASSWORD)
    await page.keyboard.press('Enter')
    await page.waitForURL((url) => url.pathname === '/console')
    expect(await page.title()).toContain('收件箱')
    await close()
  })

  it('works a Longmen case: correction asked, correction received, accepted, concluded', async () => {
    const { page, outside, close } = await openPage(browser, server.url)
    const errors = consoleErrors(page)
    await signIn(page, server.url, 'huangli', CLERK_PASSWORD)

    // The inbox's 新收件 tab has the new case.
    const link = page.getByRole('link', { name: caseNo })
    await expect.poll(() => link.count()).toBe(1)
    await screenshot(page, 'clerk-inbox')
    await link.click()
    await page.waitForURL(`**/console/cases/${caseNo}`)
    expect(await page.locator('h1').textContent()).toBe(`办件 ${caseNo}`)
    expect(await page.content()).not.toContain('44132419850615002X')

    // Ask for a correction: the reason and one row (a fourth row can be added).
    const details = page.locator('#ev-correction_requested')
    await details.locator('summary').focus()
    await page.keyboard.press('Enter')
    await page.getByLabel('补正原因').fill('户口簿缺户主页')
    await page.locator('#ev-correction_requested-correction-0-code').fill('M02')
    await page.locator('#ev-correction_requested-correction-0-name').fill('户口簿')
    await page.locator('#ev-correction_requested-correction-0-note').fill('需提供户主页')
    await details.getByRole('button', { name: '添加一行' }).click()
    const added = page.locator('#ev-correction_requested-correction-new1-code')
    await expect.poll(() => added.count()).toBe(1)
    expect(await focusedId(page)).toBe('ev-correction_requested-correction-new1-code')
    expect(
      await page.locator('label[for="ev-correction_requested-correction-new1-code"]').textContent(),
    ).toBe('材料编码')
    await details.getByRole('button', { name: '确认补正告知' }).click()
    await page.waitForURL(/\?ok=correction_requested$/)
    await expect.poll(() => page.getByRole('status').textContent()).toContain('已记录')
    const ours = page.locator('.timeline li.ours', { hasText: '补正告知' })
    expect(await ours.textContent()).toContain('户口簿（M02）：需提供户主页')
    expect(await ours.textContent()).toContain('本方')
    expect(await ours.locator('.tag', { hasText: '待发送' }).count()).toBe(1)
    await screenshot(page, 'clerk-case-correction-requested')

    // The partner's correction arrives; the clerk sees it after a reload.
    await partnerSubmitsCorrection()
    await page.reload()
    const theirs = page.locator('.timeline li.theirs', { hasText: '补正提交' })
    await expect.poll(() => theirs.count()).toBe(1)
    expect(await theirs.textContent()).toContain('对方（龙门县）')
    expect(await theirs.getByRole('link', { name: 'hkb.pdf' }).count()).toBe(1)
    expect(await page.locator('dd .tag').first().textContent()).toBe('已补正')

    // Accept (a few minutes later: the timeline is in time order).
    gw.clock.advance(10 * 60_000)
    await page.locator('#ev-accepted summary').click()
    await page.getByLabel('受理意见（可选）').fill('材料齐全，予以受理')
    await page.getByRole('button', { name: '确认受理' }).click()
    await page.waitForURL(/\?ok=accepted$/)
    expect(await page.locator('dd .tag').first().textContent()).toBe('已受理')

    gw.clock.advance(10 * 60_000)
    // Conclude: approved, the certificate, and the waybill (the sample is delivered by mail).
    await page.locator('#ev-concluded summary').click()
    await page.getByLabel('办理结果').selectOption('approved')
    await page.getByLabel('证照或文书名称').fill('结婚证')
    await page.getByLabel('证照或文书编号').fill('J440233-2026-004211')
    await page.getByLabel('快递公司').fill('EMS')
    await page.getByLabel('运单号').fill('1180234567890')
    await page.getByRole('button', { name: '确认办结' }).click()
    await page.waitForURL(/\?ok=concluded$/)
    expect(await page.locator('dd .tag').first().textContent()).toBe('已办结')
    const concluded = page.locator('.timeline li.ours', { hasText: '办结' }).last()
    expect(await concluded.textContent()).toContain('EMS 1180234567890')
    expect(await page.locator('.timeline > li .event-head strong').allTextContents()).toEqual([
      '接件',
      '补正告知',
      '补正提交',
      '受理',
      '办结',
    ])
    await screenshot(page, 'clerk-case-concluded')

    expect(outside).toEqual([])
    expect(errors).toEqual([])
    await close()
  })

  it('fits a phone-sized screen (390×844) without scrolling sideways', async () => {
    const { page, outside, close } = await openPage(browser, server.url, { width: 390, height: 844 })
    await signIn(page, server.url, 'huangli', CLERK_PASSWORD)
    await page.goto(`${server.url}/console?tab=all`)
    await expect.poll(() => page.getByRole('link', { name: caseNo }).count()).toBe(1)
    expect(await noHorizontalScroll(page)).toBe(true)
    await page.goto(`${server.url}/console/cases/${caseNo}`)
    expect(await noHorizontalScroll(page)).toBe(true)
    await screenshot(page, 'clerk-case-narrow')
    // Every action form open, correction rows and all.
    await page.goto(`${server.url}/console/cases/${freshCaseNo}`)
    for (const summary of await page.locator('.actions summary').all()) await summary.click()
    expect(await page.locator('.actions details[open]').count()).toBe(3)
    expect(await noHorizontalScroll(page)).toBe(true)
    await page.goto(`${server.url}/console/cases/new?partner=441324`)
    await page.locator('details.group summary').first().click()
    expect(await noHorizontalScroll(page)).toBe(true)
    await screenshot(page, 'clerk-outbound-form-narrow')
    expect(outside).toEqual([])
    await close()
  })

  it('collects a case for Longmen at our window, files and all', async () => {
    const { page, outside, close } = await openPage(browser, server.url)
    const errors = consoleErrors(page)
    await signIn(page, server.url, 'huangli', CLERK_PASSWORD)
    page.setDefaultTimeout(10_000)
    await page.getByRole('link', { name: '新建代收件' }).click()
    await page.getByLabel('办理地区（合作方）').selectOption('441324')
    await page.getByRole('button', { name: '下一步' }).click()
    await page.waitForURL(/partner=441324/)
    await page.getByLabel('代收事项').selectOption('LONGMEN-OUT-1')
    await page.getByLabel('姓名或单位名称').fill('陈七')
    await page.getByLabel(/^证件号码/).fill('44132419850615002X')
    await page.getByLabel(/^手机号码/).fill('13800138001')
    await page.locator('#ob-materials-0-code').fill('M01')
    await page.locator('#ob-materials-0-name').fill('居民身份证')
    await page.locator('#ob-materials-0-file').setInputFiles({
      name: 'sfz.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    })
    await page.getByLabel('送达方式').selectOption('mail')
    await screenshot(page, 'clerk-outbound-form')
    // Mail delivery without an address: refused, with the file kept.
    await page.getByRole('button', { name: /提交并发送/ }).click()
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('送达信息 · 收件人')
    expect(await page.getByLabel('姓名或单位名称').inputValue()).toBe('陈七')
    expect(await page.locator('#ob-materials-0-file-hint').textContent()).toContain('sfz.pdf')
    await page.getByLabel(/^收件人$/).fill('陈七')
    await page.getByLabel('收件人手机号码').fill('13800138001')
    await page.getByLabel('邮寄地址').fill('新丰县丰城街道 1 号')
    await page.getByRole('button', { name: /提交并发送/ }).click()
    await page.waitForURL(/\/console\/cases\/XF-\d{4}-\d{6}\?ok=created$/)
    expect(await page.locator('dd .tag').first().textContent()).toBe('已发送')
    expect(await page.getByText('sfz.pdf').count()).toBeGreaterThan(0)
    expect(outside).toEqual([])
    expect(errors).toEqual([])
    await close()
  })
})
