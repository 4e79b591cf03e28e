import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  browserMissing,
  launchBrowser,
  openPage,
  screenshot,
  serveGateway,
  signIn,
} from '../helpers/browser.js'
import { createTestGateway, type TestGateway } from '../helpers/gateway.js'
import { registerPartner, type TestPartner } from '../helpers/partners.js'

let gw: TestGateway
let server: Awaited<ReturnType<typeof serveGateway>>
let browser: Browser
let longmen: TestPartner

beforeAll(async () => {
  if (browserMissing) return
  gw = await createTestGateway({ env: { TOKEN_TTL_SECONDS: '3600' } })
  server = await serveGateway(gw)
  browser = await launchBrowser()
  longmen = await registerPartner(gw, 'longmen')
  // An applicant whose name is markup: it must show as text.
  const bytes = longmen
    .sample('case-person-mail.json')
    .toString('utf8')
    .replace('"xm": "张三"', '"xm": "<script>alert(1)</script>"')
  const res = await longmen.send('cases', bytes)
  expect(res.status).toBe(201)
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await gw?.close()
})

describe.skipIf(browserMissing)('console sign-in', () => {
  it('sends a visitor to the sign-in page, signs in, and shows the inbox with the new Longmen case', async () => {
    const { page, outside, close } = await openPage(browser, server.url)
    await signIn(page, server.url, 'admin')
    await expect.poll(() => page.title()).toContain('收件箱')
    await expect.poll(() => page.getByRole('cell', { name: '内地居民婚姻登记' }).count()).toBe(1)
    await screenshot(page, 'inbox')
    const cookie = (await page.context().cookies()).find((c) => c.name === 'kytb_console')
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/console' })
    expect(outside).toEqual([])
    await close()
  })

  it('shows an applicant named <script>alert(1)</script> as text', async () => {
    const { page, close } = await openPage(browser, server.url)
    let dialog = false
    page.on('dialog', async (d) => {
      dialog = true
      await d.dismiss()
    })
    await signIn(page, server.url, 'admin')
    await expect.poll(() => page.getByRole('cell', { name: '<script>alert(1)</script>' }).count()).toBe(1)
    expect(dialog).toBe(false)
    await close()
  })

  it('refuses a wrong password with a message in Chinese', async () => {
    const { page, close } = await openPage(browser, server.url)
    await page.goto(`${server.url}/console/login`)
    await page.getByLabel('用户名').fill('admin')
    await page.getByLabel('密码').fill('wrong-password')
    await page.getByRole('button', { name: '登录' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('用户名或密码错误')
    await close()
  })

  it('refuses a cross-site form post and keeps the session', async () => {
    const { page, close } = await openPage(browser, server.url)
    await signIn(page, server.url, 'admin')
    // An attacker's page on another origin that auto-submits a form to our sign-out.
    const attacker = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html')
      res.end(`<form id="f" method="post" action="${server.url}/console/logout"><input name="_csrf" value="guess"></form>
        <script>document.getElementById('f').submit()</script>`)
    })
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.2', () => resolve()))
    const { port } = attacker.address() as AddressInfo
    await page.goto(`http://127.0.0.2:${port}/`)
    await page.waitForLoadState('networkidle')
    attacker.close()
    // Still signed in: the console opens without asking for the password.
    await page.goto(`${server.url}/console`)
    expect(new URL(page.url()).pathname).toBe('/console')
    // And a same-origin post without the session's token is refused too.
    const status = await page.evaluate(async (url) => {
      const res = await fetch(`${url}/console/logout`, {
        method: 'POST',
        body: new URLSearchParams({ _csrf: 'guess' }),
        redirect: 'manual',
      })
      return res.status
    }, server.url)
    expect(status).toBe(403)
    await close()
  })

  it('signs out, after which the console asks to sign in again', async () => {
    const { page, close } = await openPage(browser, server.url)
    await signIn(page, server.url, 'admin')
    await page.getByRole('button', { name: '退出' }).click()
    await page.waitForURL(/\/console\/login/)
    await page.goto(`${server.url}/console`)
    expect(new URL(page.url()).pathname).toBe('/console/login')
    await close()
  })

  it('says so when the session has expired', async () => {
    const { page, close } = await openPage(browser, server.url)
    await signIn(page, server.url, 'admin')
    gw.clock.advance(3601_000)
    await page.goto(`${server.url}/console`)
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('登录已过期')
    await close()
  })
})
