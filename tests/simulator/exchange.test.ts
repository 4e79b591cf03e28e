import { CompactSign, generateKeyPair } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { submitCase } from '../../src/simulator/index.js'
import { createTestGateway, type TestGateway } from '../helpers/gateway.js'
import { outboxOf } from '../helpers/outbox.js'
import { type RunningPartner, serveGateway, startPartner, testWorker } from './helpers.js'

let gw: TestGateway
let served: Awaited<ReturnType<typeof serveGateway>>
let longmen: RunningPartner

beforeAll(async () => {
  gw = await createTestGateway()
  served = await serveGateway(gw)
  longmen = await startPartner(gw, served.url, 'longmen')
})
afterAll(async () => {
  await longmen.sim.close()
  await served.close()
  await gw.close()
})

/** A status document of the gateway for `caseNo`, signed with the gateway's own key (or another). */
async function gatewayMessage(body: object, o: { wrongKey?: boolean; kid?: string } = {}) {
  const payload = new TextEncoder().encode(JSON.stringify(body))
  if (!o.wrongKey && !o.kid) {
    const now = gw.clock.now()
    return (await gw.deps.signer.sign({ typ: 'kytb-status', cty: 'json', aud: '441324', payload, now })).jws
  }
  const real = await gw.deps.keys.signingKey(gw.clock.now())
  const { privateKey } = await generateKeyPair('ES256')
  return new CompactSign(payload)
    .setProtectedHeader({
      alg: 'ES256',
      kid: o.kid ?? real.kid,
      typ: 'kytb-status',
      cty: 'json',
      iss: '440233',
      aud: '441324',
      iat: Math.floor(gw.clock.now().getTime() / 1000),
      jti: `xf-test-${Date.now()}`,
    } as never)
    .sign(privateKey)
}

const postToSim = (jws: string, contentType = 'application/jose') =>
  fetch(`${longmen.sim.endpoint}/status`, {
    method: 'POST',
    headers: { 'Content-Type': contentType },
    body: jws,
  })

describe('simulated Longmen against a real gateway', () => {
  let caseNo: string
  let gatewayCaseNo: string

  it('submits the sample with a fresh case number and verifies the signed receipt', async () => {
    const { doc, delivered } = await submitCase(longmen.sim.env)
    caseNo = doc.caseNo
    gatewayCaseNo = delivered.receipt.caseNo
    expect(caseNo).toMatch(/^LM\d{17}$/)
    expect(caseNo).not.toBe('LM2026112800017')
    expect(delivered.httpStatus).toBe(201)
    expect(delivered.receipt).toMatchObject({
      ref: delivered.jti,
      digest: delivered.digest,
      outcome: 'accepted',
    })
    expect(gatewayCaseNo).toMatch(/^XF-2026-\d{6}$/)
    expect(longmen.lines.join('\n')).toContain(`新丰县办件编号 ${gatewayCaseNo}`)

    const again = await submitCase(longmen.sim.env)
    expect(again.doc.caseNo).not.toBe(caseNo)
  })

  it("receives the gateway's received event from the delivery worker, verifies it and answers a receipt", async () => {
    const counts = await testWorker(gw).runOnce()
    expect(counts).toMatchObject({ claimed: 2, delivered: 2 })
    const [row] = await outboxOf(gw, gatewayCaseNo)
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastError: null })
    expect(longmen.lines).toContain(`[龙门] 收到 ${gatewayCaseNo} 第1号事件 已接件 JJ`)
    expect(longmen.sim.env.state.case(caseNo)).toMatchObject({
      role: 'originator',
      gatewayCaseNo,
      receivedSeq: 1,
      state: 'received',
    })
  })

  it('refuses a message signed with a wrong key: 401 signature_invalid problem+json', async () => {
    const jws = await gatewayMessage({ any: 'thing' }, { wrongKey: true })
    const res = await postToSim(jws)
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(await res.json()).toMatchObject({ code: 'signature_invalid', status: 401 })
  })

  it('refuses an unknown kid (after refetching the JWKS), a wrong content type and a bad document', async () => {
    const unknown = await postToSim(await gatewayMessage({}, { kid: 'xf-not-a-key' }))
    expect(unknown.status).toBe(401)
    expect(await unknown.json()).toMatchObject({ code: 'unknown_key' })
    const wrongType = await postToSim(await gatewayMessage({}), 'application/json')
    expect(wrongType.status).toBe(415)
    const invalid = await postToSim(await gatewayMessage({ bjbh: caseNo }))
    expect(invalid.status).toBe(422)
    expect(await invalid.json()).toMatchObject({ code: 'payload_invalid' })
  })

  it('answers 409 sequence_gap to an event ahead of order, and a duplicate receipt to a re-sent one', async () => {
    const ahead = {
      bjbh: caseNo,
      dfbh: gatewayCaseNo,
      xh: 3,
      zt: 'BL',
      ztmc: '办理中',
      fssj: '20261128100211',
    }
    const gap = await postToSim(await gatewayMessage(ahead))
    expect(gap.status).toBe(409)
    expect(await gap.json()).toMatchObject({ code: 'sequence_gap' })
    expect(longmen.lines.join('\n')).toContain('sequence_gap')

    // The received event again, as the gateway would re-send it: same jti, same payload.
    const [row] = await outboxOf(gw, gatewayCaseNo)
    const jws = (
      await gw.deps.signer.sign({
        typ: 'kytb-status',
        cty: 'json',
        aud: '441324',
        payload: row!.payload,
        jti: row!.jti,
        now: gw.clock.now(),
      })
    ).jws
    const dup = await postToSim(jws)
    expect(dup.status).toBe(200)
    const [, payload] = (await dup.text()).split('.')
    const receipt = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8'))
    expect(receipt).toMatchObject({ ref: row!.jti, outcome: 'duplicate', caseNo })
  })

  it('--fail-503 2: the first two deliveries fail, the third succeeds', async () => {
    longmen.sim.modes.fail503 = 2
    const { delivered } = await submitCase(longmen.sim.env, { generate: true })
    const worker = testWorker(gw)
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, retry: 1 })
    gw.clock.advance(2_000)
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, retry: 1 })
    gw.clock.advance(2_000)
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, delivered: 1 })
    const [row] = await outboxOf(gw, delivered.receipt.caseNo)
    expect(row).toMatchObject({ status: 'delivered', attempts: 3 })
    expect(longmen.lines.filter((l) => l.includes('模拟故障 503'))).toHaveLength(2)
  })

  it('--bad-receipt: the gateway refuses the receipt and retries; the retry gets a good duplicate receipt', async () => {
    longmen.sim.modes.badReceipt = true
    const { delivered } = await submitCase(longmen.sim.env, { generate: true })
    const worker = testWorker(gw)
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, retry: 1 })
    const [failed] = await outboxOf(gw, delivered.receipt.caseNo)
    expect(failed?.lastError).toMatch(/receipt refused/)
    longmen.sim.modes.badReceipt = false
    gw.clock.advance(2_000)
    expect(await worker.runOnce()).toMatchObject({ claimed: 1, delivered: 1 })
  })

  it('--hang: the delivery times out and is retried', async () => {
    longmen.sim.modes.hang = true
    await submitCase(longmen.sim.env, { generate: true })
    expect(await testWorker(gw, { timeoutMs: 300 }).runOnce()).toMatchObject({ claimed: 1, retry: 1 })
    longmen.sim.modes.hang = false
    gw.clock.advance(2_000)
    expect(await testWorker(gw).runOnce()).toMatchObject({ claimed: 1, delivered: 1 })
  })
})
