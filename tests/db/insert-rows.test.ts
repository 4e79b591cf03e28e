import { randomUUID } from 'node:crypto'
import { eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertRows } from '../../src/db/insert-rows.js'
import { materials, outbox } from '../../src/db/schema/index.js'
import { createTestGateway, type TestGateway } from '../helpers/gateway.js'

/** insertRows writes exactly what drizzle's own insert writes, with one JSON parameter. */
let gw: TestGateway
beforeAll(async () => {
  gw = await createTestGateway()
})
afterAll(() => gw.close())

const row = (payload: Uint8Array, over: Partial<typeof outbox.$inferInsert> = {}) => ({
  id: randomUUID(),
  partnerRegion: '441324',
  agreementId: 'agreement-x',
  caseId: null,
  caseSeq: 3,
  typ: 'kytb-status' as const,
  cty: 'json' as const,
  path: 'status',
  jti: `xf-${randomUUID()}`,
  payload,
  digest: 'd',
  nextAttemptAt: new Date('2026-11-28T02:00:00.123Z'),
  createdAt: new Date('2026-11-28T02:00:00.456Z'),
  ...over,
})

describe('insertRows', () => {
  it('stores the same values as a drizzle insert: bytes, dates to the millisecond, nulls, defaults, text', async () => {
    const bytes = Uint8Array.from([0, 1, 2, 0x5c, 0x22, 0xff, 0x7b])
    const a = row(bytes, { lastError: '引号 " 反斜杠 \\ 换行 \n' })
    const b = row(Buffer.from('内地居民婚姻登记'), { lastError: null })
    const db = gw.database.db
    await insertRows(db, outbox, [a, b])
    const c = row(bytes, { lastError: '引号 " 反斜杠 \\ 换行 \n' })
    await db.insert(outbox).values(c)
    const got = await db
      .select()
      .from(outbox)
      .where(inArray(outbox.id, [a.id, b.id, c.id]))
    const byId = new Map(got.map((r) => [r.id, r]))
    const strip = ({ id: _id, jti: _jti, ...rest }: (typeof got)[number]) => rest
    expect(strip(byId.get(a.id)!)).toEqual(strip(byId.get(c.id)!))
    expect(Buffer.from(byId.get(a.id)!.payload)).toEqual(Buffer.from(bytes))
    expect(Buffer.from(byId.get(b.id)!.payload).toString()).toBe('内地居民婚姻登记')
    // Left out: the column's default (status pending, no attempts yet).
    expect(byId.get(b.id)).toMatchObject({ status: 'pending', attempts: 0, lastError: null })
    expect(byId.get(a.id)?.nextAttemptAt.toISOString()).toBe('2026-11-28T02:00:00.123Z')
  })

  it('refuses rows that give different columns, rather than nulling a default', async () => {
    const a = row(Buffer.from('x'))
    const b = { ...row(Buffer.from('y')), lastError: 'only here' }
    await expect(insertRows(gw.database.db, outbox, [a, b])).rejects.toThrow(/different columns/)
    const [none] = await gw.database.db.select().from(outbox).where(eq(outbox.id, a.id))
    expect(none).toBeUndefined()
  })

  it('writes nothing for no rows', async () => {
    await expect(insertRows(gw.database.db, materials, [])).resolves.toBeUndefined()
  })
})
