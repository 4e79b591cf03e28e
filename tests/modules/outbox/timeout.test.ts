import { delay, HttpResponse, http } from 'msw'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createOutboxWorker } from '../../../src/modules/outbox/worker.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { registerPartner, type TestPartner } from '../../helpers/partners.js'
import { partnerNetwork } from '../../setup/per-file.js'
import { captureLog, enqueue, outboxRow } from './partner-stub.js'

let gw: TestGateway
let longmen: TestPartner
beforeAll(async () => {
  gw = await createTestGateway({ env: { DELIVERY_TIMEOUT_MS: '50' } })
  longmen = await registerPartner(gw, 'longmen')
})
afterAll(() => gw?.close())

it('gives up an attempt after DELIVERY_TIMEOUT_MS and retries it later', async () => {
  let answered = 0
  partnerNetwork.use(
    http.post('https://kytb.longmen.example/v1/exchange/status', async () => {
      await delay(2000)
      answered++
      return new HttpResponse(null, { status: 500 })
    }),
  )
  const { id } = await enqueue(gw, longmen)
  const started = Date.now()
  expect(await createOutboxWorker(gw.deps, { log: captureLog().log }).runOnce()).toMatchObject({ retry: 1 })
  expect(Date.now() - started).toBeLessThan(1500)
  expect(answered).toBe(0)
  const row = await outboxRow(gw, id)
  expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'timeout after 50 ms' })
})
