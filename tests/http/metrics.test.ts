import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestGateway, type TestGateway } from '../helpers/gateway.js'
import { registerPartner, type TestPartner } from '../helpers/partners.js'

let gw: TestGateway
let longmen: TestPartner

beforeAll(async () => {
  gw = await createTestGateway()
  longmen = await registerPartner(gw, 'longmen')
  await longmen.send('cases', longmen.sample('case-person-mail.json'))
  await longmen.send('cases', '{"bjbh": 1}')
  await gw.request('/v1/items/NOPE', { token: await gw.adminToken() })
})
afterAll(() => gw.close())

const scrape = async () => (await gw.request('/metrics')).text()

describe('GET /metrics', () => {
  it('counts requests by route pattern and status, never by raw path', async () => {
    const text = await scrape()
    expect(text).toContain('kytb_http_requests_total{method="GET",route="/v1/items/:code",status="404"} 1')
    expect(text).not.toContain('/v1/items/NOPE')
    expect(text).toMatch(
      /kytb_http_request_duration_seconds_bucket\{method="POST",route="\/v1\/exchange\/cases",le="\+Inf"\} 2/,
    )
  })

  it('counts exchange messages by partner, kind and outcome', async () => {
    const text = await scrape()
    expect(text).toContain('kytb_exchange_messages_total{kind="case",outcome="accepted",partner="441324"} 1')
    expect(text).toContain(
      'kytb_exchange_messages_total{kind="case",outcome="payload_invalid",partner="441324"} 1',
    )
  })

  it('labels messages whose signature did not verify as unverified, whatever iss they claim', async () => {
    await longmen.send('cases', '{}', { iss: '123456' })
    const text = await scrape()
    expect(text).toContain(
      'kytb_exchange_messages_total{kind="case",outcome="agreement_inactive",partner="unverified"} 1',
    )
    expect(text).not.toContain('partner="123456"')
  })

  it('shows the outbox depth and the age of its oldest row per partner', async () => {
    gw.clock.advance(90_000)
    const text = await scrape()
    expect(text).toContain('kytb_outbox_pending{partner="441324"} 1')
    expect(text).toContain('kytb_outbox_oldest_pending_seconds{partner="441324"} 90')
    expect(text).toContain('kytb_db_up{kind=')
  })

  it('asks for the bearer token when METRICS_TOKEN is set', async () => {
    const locked = await createTestGateway({ env: { METRICS_TOKEN: 'a-long-metrics-token' } })
    try {
      expect((await locked.request('/metrics')).status).toBe(401)
      const ok = await locked.request('/metrics', {
        headers: { Authorization: 'Bearer a-long-metrics-token' },
      })
      expect(ok.status).toBe(200)
      expect(ok.headers.get('content-type')).toContain('text/plain; version=0.0.4')
    } finally {
      await locked.close()
    }
  })
})
