import { eq } from 'drizzle-orm'
import { HttpResponse, http } from 'msw'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { agreements, outbox } from '../../../src/db/schema/index.js'
import { createAddressGuard, isInternalAddress } from '../../../src/modules/outbox/address-guard.js'
import { createOutboxWorker } from '../../../src/modules/outbox/worker.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { registerPartner, type TestPartner } from '../../helpers/partners.js'
import { partnerNetwork } from '../../setup/per-file.js'
import { captureLog, enqueue, outboxRow, partnerStub } from './partner-stub.js'

describe('isInternalAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '100.64.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    '[::1]',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'fe80::1%eth0',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '[::ffff:169.254.169.254]',
    '0:0:0:0:0:ffff:10.0.0.1',
    '::127.0.0.1',
    '64:ff9b::a9fe:a9fe',
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isInternalAddress(address)).toBe(true)
  })

  it.each([
    '8.8.8.8',
    '203.0.113.7',
    '172.32.0.1',
    '100.128.0.1',
    '2001:4860:4860::8888',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('lets %s through', (address) => {
    expect(isInternalAddress(address)).toBe(false)
  })
})

describe('createAddressGuard', () => {
  const guard = (lookup: (h: string) => Promise<string[]>) =>
    createAddressGuard({ allowInsecure: false, lookup })
  const publicDns = async () => ['203.0.113.7']

  it('refuses a name with any internal address among its answers', async () => {
    const g = guard(async () => ['203.0.113.7', '10.0.0.5'])
    await expect(g.check(new URL('https://kytb.evil.example/v1/exchange'))).rejects.toThrow(
      'kytb.evil.example resolves to internal address 10.0.0.5',
    )
  })

  it('refuses IP literals without asking DNS, in every spelling the URL parser normalises', async () => {
    const asked: string[] = []
    const g = guard(async (h) => {
      asked.push(h)
      return ['203.0.113.7']
    })
    for (const url of [
      'https://2130706433/x',
      'https://0x7f.1/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://169.254.169.254/x',
    ]) {
      await expect(g.check(new URL(url))).rejects.toThrow(/internal address/)
    }
    expect(asked).toEqual([])
  })

  it('refuses http:// and passes a public https host', async () => {
    await expect(guard(publicDns).check(new URL('http://kytb.longmen.example/'))).rejects.toThrow(
      /https only/,
    )
    await expect(guard(publicDns).check(new URL('https://kytb.longmen.example/'))).resolves.toBeUndefined()
  })

  it('is off with ALLOW_INSECURE_ENDPOINTS', async () => {
    const g = createAddressGuard({ allowInsecure: true, lookup: async () => ['127.0.0.1'] })
    await expect(g.check(new URL('http://127.0.0.1/'))).resolves.toBeUndefined()
  })
})

describe('delivery with ALLOW_INSECURE_ENDPOINTS=false', () => {
  let gw: TestGateway
  let longmen: TestPartner
  beforeAll(async () => {
    gw = await createTestGateway({ env: { ALLOW_INSECURE_ENDPOINTS: 'false' } })
    longmen = await registerPartner(gw, 'longmen')
  })
  afterAll(() => gw?.close())

  /** The agreement API refuses such endpoints; a row written while it allowed them is what the guard is for. */
  const pointAt = (endpoint: string) =>
    gw.database.db.update(agreements).set({ endpoint }).where(eq(agreements.id, longmen.agreementId))

  it.each([
    ['https://127.0.0.1/v1/exchange', 'address guard: 127.0.0.1 is an internal address'],
    ['https://169.254.169.254/latest', 'address guard: 169.254.169.254 is an internal address'],
    [
      'https://localhost/v1/exchange',
      /^address guard: localhost resolves to internal address (127\.0\.0\.1|::1)$/,
    ],
  ])('refuses %s after resolving it, without any connection attempt', async (endpoint, error) => {
    let reached = 0
    partnerNetwork.use(
      http.all(`${endpoint}/*`, () => {
        reached++
        return new HttpResponse(null, { status: 500 })
      }),
    )
    const fetched: string[] = []
    const spy: typeof fetch = (input, init) => {
      fetched.push(String(input))
      return fetch(input, init)
    }
    await pointAt(endpoint)
    const { id } = await enqueue(gw, longmen)
    // The real system resolver: `localhost` is looked up, not matched by name.
    const w = createOutboxWorker(gw.deps, { fetch: spy, log: captureLog().log })
    expect(await w.runOnce()).toMatchObject({ retry: 1 })
    expect(fetched).toEqual([])
    expect(reached).toBe(0)
    const row = await outboxRow(gw, id)
    expect(row.status).toBe('pending')
    expect(row.lastError).toMatch(error)
    await gw.database.db.delete(outbox).where(eq(outbox.id, id))
  })

  it('delivers to a partner whose name resolves to public addresses', async () => {
    await pointAt('https://kytb.longmen.example/v1/exchange')
    const stub = partnerStub(gw, longmen)
    const { id } = await enqueue(gw, longmen)
    const w = createOutboxWorker(gw.deps, { lookup: async () => ['203.0.113.7'], log: captureLog().log })
    expect(await w.runOnce()).toMatchObject({ delivered: 1 })
    expect(stub.seen).toHaveLength(1)
    expect((await outboxRow(gw, id)).status).toBe('delivered')
  })
})
