import { existsSync, mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { type Browser, chromium, type Page } from 'playwright-core'
import { TEST_ADMIN_PASSWORD } from './constants.js'
import type { TestGateway } from './gateway.js'

export const SCREENSHOTS = 'artifacts/screenshots'
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Browser tests need Debian's Chromium (`.ci/run` installs it: `apt-get install chromium`). On a
 * machine without it they are skipped with this reason rather than failing on a missing binary.
 */
export const browserMissing = !existsSync(CHROMIUM)
if (browserMissing)
  console.warn(`browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`)

/** The test gateway on a real socket, so a real browser can talk to it. */
export async function serveGateway(gw: TestGateway): Promise<{ url: string; close(): Promise<void> }> {
  const server = serve({ fetch: gw.app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Debian's Chromium, headless, with nothing that calls home (the machine has no network). */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  })
}

/**
 * A page at 1366×768 (a county hall's window PC) that records every request leaving the
 * gateway: a console page must load nothing from outside.
 */
export async function openPage(browser: Browser, base: string, viewport = { width: 1366, height: 768 }) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' })
  const page = await context.newPage()
  const outside: string[] = []
  page.on('request', (req) => {
    const url = req.url()
    if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('about:')) outside.push(url)
  })
  return { page, outside, close: () => context.close() }
}

export async function signIn(page: Page, base: string, username: string, password = TEST_ADMIN_PASSWORD) {
  await page.goto(`${base}/console`)
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码').fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL((url) => !url.pathname.endsWith('/login'))
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true })
}
