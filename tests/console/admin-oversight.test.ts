import { rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { exportPKCS8, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOutboxWorker } from '../../src/modules/outbox/worker.js'
import { type ConsoleSession, consoleSignIn } from '../helpers/console.js'
import { TEST_ADMIN_PASSWORD } from '../helpers/constants.js'
import { createTestGateway, type TestGateway } from '../helpers/gateway.js'
import { registerPartner, type TestPartner } from '../helpers/partners.js'
import { captureLog, enqueue, partnerStub, problem } from '../modules/outbox/partner-stub.js'

/** Dead letters, the audit log and the gateway's keys, through the console. */
let gw: TestGateway
let admin: ConsoleSession
let longmen: TestPartner
let conghua: TestPartner
let dead: { id: string; jti: string }[]

const location = (res: Response) => res.headers.get('location') ?? ''
const rows = (html: string) => html.match(/<tr>|<tr class="[^"]*">/g)?.length ?? 0

beforeAll(async () => {
  gw = await createTestGateway()
  longmen = await registerPartner(gw, 'longmen')
  conghua = await registerPartner(gw, 'conghua')
  // Both partners refuse everything: three messages end as dead letters.
  partnerStub(gw, longmen, () => problem(422, 'payload_invalid'))
  partnerStub(gw, conghua, () => problem(422, 'payload_invalid'))
  dead = [await enqueue(gw, longmen), await enqueue(gw, longmen), await enqueue(gw, conghua)]
  const worker = createOutboxWorker(gw.deps, { log: captureLog().log })
  expect(await worker.runOnce()).toMatchObject({ claimed: 3, dead: 3 })
  admin = await consoleSignIn(gw, 'admin', TEST_ADMIN_PASSWORD)
})
afterAll(() => gw?.close())

describe('dead letters', () => {
  it('lists them with partner, type, attempts and last error, and each partner’s delivery health', async () => {
    const res = await admin.get('/console/admin/dead-letters')
    expect(res.status).toBe(200)
    const html = await res.text()
    const list = html.slice(html.indexOf('死信列表'))
    for (const d of dead) expect(list).toContain(`action="/console/admin/dead-letters/${d.id}/resend"`)
    expect(list).toContain('龙门县')
    expect(list).toContain('从化区')
    expect(list).toContain('状态事件')
    expect(list).toContain('HTTP 422 payload_invalid: stub says payload_invalid')
    const health = html.slice(html.indexOf('发送状况'), html.indexOf('死信列表'))
    expect(health).toContain('龙门县（441324）')
    expect(health).toContain('从化区（440117）')
    expect(health).toContain('从未')
    expect(html).toContain('data-confirm="确定重新发送龙门县的全部 2 条死信？"')

    const filtered = await (await admin.get('/console/admin/dead-letters?partner=440117')).text()
    const only = filtered.slice(filtered.indexOf('死信列表'))
    expect(only).toContain(dead[2]?.id)
    expect(only).not.toContain(dead[0]?.id)
  })

  it('re-sends one, then says in Chinese that it is no longer a dead letter', async () => {
    const id = dead[0]?.id ?? ''
    const res = await admin.postForm(`/console/admin/dead-letters/${id}/resend`, {})
    expect(res.status).toBe(303)
    expect(location(res)).toBe('/console/admin/dead-letters?done=resent')
    const html = await (await admin.get(location(res))).text()
    expect(html).toContain('已重新放入发送队列')
    expect(html).not.toContain(`/console/admin/dead-letters/${id}/resend`)

    const again = await admin.postForm(`/console/admin/dead-letters/${id}/resend`, {})
    expect(again.status).toBe(409)
    expect(await again.text()).toContain('该消息已不是死信')
  })

  it('re-sends all of a partner’s dead letters', async () => {
    const res = await admin.postForm('/console/admin/dead-letters/resend', { partner: '441324' })
    expect(res.status).toBe(303)
    const html = await (await admin.get(location(res))).text()
    expect(html).toContain('该合作方的死信已全部重新放入发送队列')
    const list = html.slice(html.indexOf('死信列表'))
    expect(list).not.toContain(dead[1]?.id)
    expect(list).toContain(dead[2]?.id)
    const api = await gw.request('/v1/outbox/dead-letters', { token: await gw.adminToken() })
    expect(((await api.json()) as { items: unknown[] }).items).toHaveLength(1)
  })
})

describe('audit log', () => {
  it('shows the newest entries with the chain verified at the top', async () => {
    const html = await (await admin.get('/console/admin/audit')).text()
    expect(html).toMatch(/审计链完整：共 \d+ 条记录，\d+ 个签名检查点/)
    expect(html).toContain('重发死信')
    expect(html).toContain('outbox.resent')
    expect(html).toContain('user:admin')
    expect(html).toContain('&quot;previousAttempts&quot;:1')
    expect(html).toContain('创建协议')
  })

  it('pages backwards with ?before=', async () => {
    const html = await (await admin.get('/console/admin/audit?before=3')).text()
    expect(rows(html.slice(html.indexOf('<tbody>')))).toBe(2)
    expect(html).toContain('完整性校验只在第一页进行')
    expect(html).toContain('href="/console/admin/audit">最新记录')
  })
})

describe('gateway keys', () => {
  it('shows the signing key, rotates (audited), and shows the new key as pending', async () => {
    const before = await (await admin.get('/console/admin/keys')).text()
    const [first] = gw.deps.keys.allPublicKeys()
    expect(before).toContain(first?.kid)
    expect(before).toContain('当前签名')
    expect(before).toContain('npm run keys:rotate')
    expect(before).toMatch(/data-confirm="确定生成新的网关签名密钥？它将立即公布，24 小时后开始签名。"/)

    const res = await admin.postForm('/console/admin/keys/rotate', {})
    expect(res.status).toBe(303)
    expect(location(res)).toBe('/console/admin/keys?done=keys_rotated')
    const keys = gw.deps.keys.allPublicKeys()
    expect(keys).toHaveLength(2)
    const added = keys[1]?.kid ?? ''
    expect(gw.deps.keys.publicJwks(gw.clock.now()).keys.map((k) => k.kid)).toContain(added)
    const html = await (await admin.get(location(res))).text()
    expect(html).toContain(added)
    expect(html).toContain('待生效（已公布）')
    const audit = await (await admin.get('/console/admin/audit')).text()
    expect(audit).toContain(`key:${added}`)
    expect(audit).toContain('轮换网关密钥')
  })

  it('says where a broken audit chain breaks', async () => {
    await gw.database.db.execute(sql`update audit_entries set data = '{"forged":true}' where seq = 2`)
    const html = await (await admin.get('/console/admin/audit')).text()
    expect(html).toContain('审计链在第 2 条记录处断裂：内容与其哈希不符（已被修改）')
  })

  it('offers no rotation when the key comes from GATEWAY_KEY_FILE', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true })
    const pem = join(tmpdir(), `kytb-console-key-${process.pid}.pem`)
    await writeFile(pem, await exportPKCS8(privateKey))
    const pemGw = await createTestGateway({ env: { GATEWAY_KEY_FILE: pem } })
    try {
      const session = await consoleSignIn(pemGw, 'admin', TEST_ADMIN_PASSWORD)
      const html = await (await session.get('/console/admin/keys')).text()
      expect(html).toContain('GATEWAY_KEY_FILE')
      expect(html).not.toContain('action="/console/admin/keys/rotate"')
      const res = await session.postForm('/console/admin/keys/rotate', {})
      expect(res.status).toBe(409)
      expect(pemGw.deps.keys.allPublicKeys()).toHaveLength(1)
    } finally {
      await pemGw.close()
      await rm(pem, { force: true })
    }
  })
})
