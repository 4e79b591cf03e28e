import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import {
  CATALOG_TOTALS,
  DEFAULT_SEED,
  generateCatalog,
  MARRIAGE_BASIC_CODE,
  MARRIAGE_ITEM_CODE,
  SAMPLE_CATALOG_URL,
  serializeCatalog,
} from '../../scripts/generate-catalog.js'
import { parseCatalogFile } from '../../src/modules/catalog/import/parse-catalog-file.js'

const catalog = generateCatalog(DEFAULT_SEED)
const { departments, items } = catalog
const distinct = (values: readonly unknown[]) => new Set(values).size

describe('generateCatalog', () => {
  it('has Xinfeng’s totals', () => {
    expect(departments).toHaveLength(47)
    expect(items).toHaveLength(1162)
    expect(items.filter((i) => i.crossCity)).toHaveLength(127)
    expect(items.filter((i) => i.township)).toHaveLength(93)
    expect(CATALOG_TOTALS).toEqual({ departments: 47, items: 1162, crossCity: 127, township: 93 })
  })

  it('keeps codes, basic codes, names and departments unique', () => {
    expect(distinct(items.map((i) => i.code))).toBe(items.length)
    expect(distinct(items.map((i) => i.basicCode))).toBe(items.length)
    expect(distinct(items.map((i) => i.name))).toBe(items.length)
    expect(distinct(departments.map((d) => d.code))).toBe(47)
    expect(distinct(departments.map((d) => d.name))).toBe(47)
  })

  it('gives every item a known department and valid fields', () => {
    const known = new Set(departments.map((d) => d.code))
    for (const item of items) {
      expect(known.has(item.department)).toBe(true)
      expect(item.code).toMatch(/^[0-9A-Z]{18}[12469]\d{12}$/)
      expect(item.code.endsWith(item.basicCode)).toBe(true)
      expect(item.basicCode).toMatch(/^\d{12}$/)
      expect(item.modes.length).toBeGreaterThan(0)
      expect(distinct(item.modes)).toBe(item.modes.length)
      expect(item.promisedDays).toBeGreaterThanOrEqual(1)
      expect(item.promisedDays).toBeLessThanOrEqual(20)
    }
  })

  it('opens every cross-city item, with proxy handling', () => {
    for (const item of items.filter((i) => i.crossCity)) {
      expect(item.status).toBe('online')
      expect(item.modes).toContain('proxy')
    }
    const statuses = new Set(items.map((i) => i.status))
    expect(statuses).toEqual(new Set(['catalogued', 'online', 'paused', 'retired']))
    expect(items.filter((i) => i.status === 'online').length).toBeGreaterThan(items.length / 2)
  })

  it('spreads items unevenly over departments', () => {
    const sizes = departments.map((d) => items.filter((i) => i.department === d.code).length)
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(60)
    expect(Math.max(...sizes)).toBeLessThanOrEqual(90)
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(5)
    expect(Math.min(...sizes)).toBeLessThanOrEqual(10)
  })

  it('starts 民政局 with the marriage registration item Conghua uses, whatever the seed', () => {
    for (const seed of [DEFAULT_SEED, 1]) {
      const first = generateCatalog(seed).items.find((i) => i.department === 'MZJ')
      expect(first).toEqual({
        code: MARRIAGE_ITEM_CODE,
        basicCode: MARRIAGE_BASIC_CODE,
        name: '内地居民婚姻登记',
        department: 'MZJ',
        modes: ['proxy'],
        promisedDays: 1,
        status: 'online',
        township: false,
        crossCity: true,
      })
    }
    expect(MARRIAGE_ITEM_CODE).toBe('11440233MB2C57298J4000105001000')
    expect(departments.find((d) => d.code === 'MZJ')?.name).toBe('新丰县民政局')
  })

  it('is deterministic, and the seed only moves the draws', () => {
    expect(generateCatalog(DEFAULT_SEED)).toEqual(catalog)
    const other = generateCatalog(7)
    expect(other).not.toEqual(catalog)
    expect(other.items.map((i) => i.code)).toEqual(items.map((i) => i.code))
    expect(other.items.filter((i) => i.crossCity)).toHaveLength(127)
    expect(other.items.filter((i) => i.township)).toHaveLength(93)
  })

  it('matches the committed sample-catalog.json byte for byte (regenerate, never hand-edit)', async () => {
    const committed = await readFile(SAMPLE_CATALOG_URL, 'utf8')
    expect(committed).toBe(serializeCatalog(catalog))
    expect(JSON.parse(committed)).toEqual(catalog)
  })

  it('produces a file the catalogue import accepts without a single error', async () => {
    const bytes = await readFile(SAMPLE_CATALOG_URL)
    const parsed = parseCatalogFile(bytes, 'sample-catalog.json', new Set(departments.map((d) => d.code)))
    expect(parsed.errors).toEqual([])
    expect(parsed.rows).toHaveLength(1162)
    expect(parsed.rows[0]).toEqual({ line: 1, ...items[0] })
  })
})
