import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Ctx } from '../../../src/context.js'
import { latestEntries } from '../../../src/modules/audit/repository.js'
import { importCatalog } from '../../../src/modules/catalog/import-catalog.js'
import type { Item } from '../../../src/modules/catalog/model.js'
import { countAllItems, findItems, findItemsByCodes } from '../../../src/modules/catalog/repository.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'

let gw: TestGateway
let ctx: Ctx
/** Distinct online sample items, handed out so each test works on its own ones. */
let pool: Item[]
const take = (n: number): Item[] => {
  const taken = pool.slice(0, n)
  pool = pool.slice(n)
  return taken
}

beforeAll(async () => {
  gw = await createTestGateway()
  ctx = gw.ctx({ kind: 'user', userId: 'u', username: 'admin', role: 'admin', department: null })
  pool = await findItems(gw.database.db, { status: 'online' }, { limit: 60 })
})
afterAll(() => gw.close())

const HEADER = 'code,basicCode,name,department,modes,promisedDays,status,township,crossCity'
const quote = (value: string) => `"${value.replaceAll('"', '""')}"`
const line = (i: Item) =>
  [
    i.code,
    i.basicCode,
    i.name,
    i.department,
    i.modes.join('|'),
    String(i.promisedDays),
    i.status,
    String(i.township),
    String(i.crossCity),
  ]
    .map(quote)
    .join(',')
const csv = (...lines: string[]) => new TextEncoder().encode(`${[HEADER, ...lines].join('\r\n')}\r\n`)
const run = (bytes: Uint8Array, partial = false, fileName = 'catalogue.csv') =>
  importCatalog({ ctx, input: { bytes, fileName, partial } })

let serial = 0
const newItem = (overrides: Partial<Item> = {}): Item => {
  serial++
  return {
    code: `11440233TEST${String(serial).padStart(6, '0')}`,
    basicCode: `999900${String(serial).padStart(6, '0')}`,
    name: `测试事项${serial}`,
    department: 'MZJ',
    modes: ['online', 'proxy'],
    promisedDays: 5,
    status: 'catalogued',
    township: false,
    crossCity: true,
    ...overrides,
  }
}
const stored = async (...codes: string[]) => findItemsByCodes(gw.database.db, codes)

describe('importCatalog — happy', () => {
  it('updates two existing items and inserts a new one, then is idempotent', async () => {
    const [a, b] = take(2) as [Item, Item]
    const renamed = { ...a, name: `${a.name}（更新）` }
    const slower = { ...b, promisedDays: b.promisedDays + 3 }
    const fresh = newItem()
    const before = await countAllItems(gw.database.db)
    const file = csv(line(renamed), line(slower), line(fresh))

    const first = await run(file)
    expect(first).toMatchObject({
      format: 'csv',
      rows: 3,
      imported: 3,
      inserted: 1,
      updated: 2,
      unchanged: 0,
    })
    expect(first.errors).toEqual([])
    expect(await countAllItems(gw.database.db)).toBe(before + 1)
    const now = await stored(a.code, b.code, fresh.code)
    expect(now.get(a.code)?.name).toBe(renamed.name)
    expect(now.get(b.code)?.promisedDays).toBe(slower.promisedDays)
    expect(now.get(fresh.code)).toEqual(fresh)

    const second = await run(file)
    expect(second).toMatchObject({ imported: 3, inserted: 0, updated: 0, unchanged: 3, errors: [] })
    expect(await countAllItems(gw.database.db)).toBe(before + 1)
  })

  it('reads JSON too, and audits each import with its counts', async () => {
    const fresh = newItem()
    const report = await run(
      new TextEncoder().encode(JSON.stringify({ items: [fresh] })),
      false,
      'catalogue.json',
    )
    expect(report).toMatchObject({ format: 'json', inserted: 1, errors: [] })
    const [entry] = await latestEntries(gw.database.db, 1)
    expect(entry?.action).toBe('catalog.imported')
    expect(entry?.actor).toBe('user:admin')
    expect(entry?.data).toMatchObject({ fileName: 'catalogue.json', inserted: 1, updated: 0, errors: 0 })
  })
})

describe('importCatalog — refused files change nothing', () => {
  it('refuses wrong columns', async () => {
    const [a] = take(1) as [Item]
    const before = await countAllItems(gw.database.db)
    const bytes = new TextEncoder().encode(`code,basicCode,title\r\n${a.code},${a.basicCode},新名称\r\n`)
    const report = await run(bytes)
    expect(report.imported).toBe(0)
    expect(report.errors).toEqual([expect.objectContaining({ line: 1, field: 'header' })])
    expect(await countAllItems(gw.database.db)).toBe(before)
  })

  it('refuses duplicate codes', async () => {
    const [a] = take(1) as [Item]
    const report = await run(csv(line({ ...a, name: '改名一' }), line({ ...a, name: '改名二' })))
    expect(report.errors).toContainEqual(expect.objectContaining({ line: 3, field: 'code' }))
    expect(report.imported).toBe(0)
    expect((await stored(a.code)).get(a.code)?.name).toBe(a.name)
  })

  it('locates an unknown department', async () => {
    const fresh = newItem({ department: 'XYZ' })
    const report = await run(csv(line(newItem()), line(fresh)))
    expect(report.errors).toEqual([
      { line: 3, field: 'department', message: expect.stringContaining('unknown department') },
    ])
    expect((await stored(fresh.code)).size).toBe(0)
  })

  it('refuses a file saved as GBK', async () => {
    const head = new TextEncoder().encode(`${HEADER}\r\n11440233TESTGBK,999911112222,`)
    const gbk = new Uint8Array([0xbb, 0xe9, 0xd2, 0xf6]) // 婚姻 in GBK
    const tail = new TextEncoder().encode(',MZJ,online,5,catalogued,false,false\r\n')
    const report = await run(new Uint8Array([...head, ...gbk, ...tail]))
    expect(report.errors).toEqual([expect.objectContaining({ line: 2, field: 'file' })])
    expect(report.errors[0]?.message).toMatch(/UTF-8/)
    expect((await stored('11440233TESTGBK')).size).toBe(0)
  })

  it('refuses a basic code that belongs to a different item, as a row error', async () => {
    const [a, b] = take(2) as [Item, Item]
    const report = await run(csv(line({ ...a, basicCode: b.basicCode })))
    expect(report.rows).toBe(1)
    expect(report.errors).toEqual([{ line: 2, field: 'basicCode', message: expect.stringContaining(b.code) }])
    expect((await stored(a.code)).get(a.code)?.basicCode).toBe(a.basicCode)
  })

  it('keeps a retired item retired, as the item lifecycle does', async () => {
    const [retired] = await findItems(gw.database.db, { status: 'retired' }, { limit: 1 })
    if (!retired) throw new Error('the sample catalogue has a retired item')
    const report = await run(csv(line({ ...retired, status: 'online' })))
    expect(report.errors).toEqual([expect.objectContaining({ line: 2, field: 'status' })])
    expect((await stored(retired.code)).get(retired.code)?.status).toBe('retired')
  })
})

describe('importCatalog — good and bad rows together', () => {
  it('writes nothing without partial, and only the good rows with it', async () => {
    const [a] = take(1) as [Item]
    const updated = { ...a, name: `${a.name}（部分导入）` }
    const fresh = newItem()
    const bad = newItem({ department: 'NOPE' })
    const file = csv(line(updated), line(bad), line(fresh))

    const whole = await run(file)
    expect(whole).toMatchObject({ rows: 3, imported: 0, inserted: 0, updated: 0 })
    expect(whole.errors).toEqual([expect.objectContaining({ line: 3, field: 'department' })])
    expect((await stored(a.code)).get(a.code)?.name).toBe(a.name)
    expect((await stored(fresh.code)).size).toBe(0)

    const partial = await run(file, true)
    expect(partial).toMatchObject({ rows: 3, imported: 2, inserted: 1, updated: 1 })
    expect(partial.errors).toHaveLength(1)
    const now = await stored(a.code, fresh.code, bad.code)
    expect(now.get(a.code)?.name).toBe(updated.name)
    expect(now.has(fresh.code)).toBe(true)
    expect(now.has(bad.code)).toBe(false)
  })
})
