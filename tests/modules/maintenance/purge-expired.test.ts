import { count, eq, isNull } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { messages, usedQueryTokens } from '../../../src/db/schema/index.js'
import { useQueryToken } from '../../../src/modules/exchange/evidence.js'
import { purgeExpired } from '../../../src/modules/maintenance/purge-expired.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { registerPartner } from '../../helpers/partners.js'

let gw: TestGateway
beforeAll(async () => {
  gw = await createTestGateway({ env: { MESSAGE_BODY_RETENTION_DAYS: '30' } })
  const longmen = await registerPartner(gw, 'longmen')
  await longmen.send('cases', longmen.sample('case-person-mail.json'))
  await useQueryToken(gw.database.db, '441324', 'q-1', gw.clock.now())
})
afterAll(() => gw.close())

const db = () => gw.database.db

describe('purgeExpired', () => {
  it('keeps everything that is still young', async () => {
    gw.clock.advance(6 * 86_400_000)
    expect(await purgeExpired({ ctx: gw.ctx() })).toMatchObject({ queryTokens: 0, messageBodies: 0 })
  })

  it('forgets used query tokens after 7 days, and message bodies after the retention period, keeping the evidence', async () => {
    gw.clock.advance(2 * 86_400_000)
    expect((await purgeExpired({ ctx: gw.ctx() })).queryTokens).toBe(1)
    expect((await db().select({ n: count() }).from(usedQueryTokens))[0]?.n).toBe(0)
    gw.clock.advance(30 * 86_400_000)
    expect((await purgeExpired({ ctx: gw.ctx() })).messageBodies).toBe(1)
    const [evidence] = await db().select().from(messages).where(eq(messages.partnerRegion, '441324'))
    expect(evidence).toMatchObject({ jws: null, typ: 'kytb-case' })
    expect(evidence?.digest).toBeTruthy()
    expect(evidence?.receiptJws).toBeTruthy()
    expect((await db().select({ n: count() }).from(messages).where(isNull(messages.jws)))[0]?.n).toBe(1)
  })
})
