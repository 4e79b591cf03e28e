import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runDemo } from '../../../src/modules/demo/run-demo.js'
import type { OutboxWorker } from '../../../src/modules/outbox/worker.js'
import { submitCase } from '../../../src/simulator/index.js'
import { TEST_ADMIN_PASSWORD } from '../../helpers/constants.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { type RunningPartner, serveGateway, startPartner, testWorker } from '../../simulator/helpers.js'

let gw: TestGateway
let served: Awaited<ReturnType<typeof serveGateway>>
let longmen: RunningPartner
let worker: OutboxWorker

beforeAll(async () => {
  gw = await createTestGateway()
  served = await serveGateway(gw)
  longmen = await startPartner(gw, served.url, 'longmen')
  worker = testWorker(gw)
  worker.start()
})
afterAll(async () => {
  await worker.stop({ waitMs: 2000 })
  await longmen.sim.close()
  await served.close()
  await gw.close()
})

describe('npm run demo', () => {
  it('accepts and concludes the newest received case; each event reaches the simulator', async () => {
    const { delivered } = await submitCase(longmen.sim.env)
    const gatewayCaseNo = delivered.receipt.caseNo
    const printed: string[] = []
    const result = await runDemo({
      gatewayUrl: served.url,
      password: TEST_ADMIN_PASSWORD,
      pauseMs: 0,
      waitMs: 20_000,
      print: (line) => printed.push(line),
    })
    expect(result).toEqual({ caseNo: gatewayCaseNo, state: 'concluded' })
    expect(printed.filter((l) => l.includes('delivered to the partner'))).toHaveLength(2)
    const lines = longmen.lines.join('\n')
    expect(lines).toContain(`[龙门] 收到 ${gatewayCaseNo} 第2号事件 已受理 SL 承诺办结日期`)
    // Mail delivery: the conclusion carries a waybill.
    expect(lines).toMatch(
      new RegExp(`收到 ${gatewayCaseNo} 第3号事件 办结 BJ 结果 准予/出证 结婚证 .*快递 EMS`),
    )
  })
})
