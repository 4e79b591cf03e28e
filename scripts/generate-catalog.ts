/**
 * Generates the SAMPLE catalogue `src/modules/catalog/data/sample-catalog.json`:
 *   node --import tsx scripts/generate-catalog.ts   (or `npm run catalog:generate`)
 *
 * Xinfeng's real list (1,162 items, 47 departments, 127 cross-city, 93 township) is not public
 * in machine-readable form, so we ship plausible data with exactly those totals. The output is
 * byte-identical on every run: a seeded mulberry32 PRNG, no Math.random, no clock. A test
 * regenerates it and compares, so never edit the JSON by hand: change this script and rerun.
 *
 * Item codes (实施编码, 31 characters) = department USCC (18, valid GB 32100 check digits)
 * + item kind (1 digit: 1 行政许可, 2 行政给付, 4 行政确认, 6 行政奖励, 9 公共服务)
 * + national basic code (基本编码, 12) = "00" + department sector (4) + entry (3) + variant (3).
 *
 * The one item other code and tests rely on (Conghua's sample sends it):
 *   内地居民婚姻登记, department MZJ (新丰县民政局), basic code 000105001000,
 *   Xinfeng code 11440233MB2C57298J4000105001000 (MARRIAGE_ITEM_CODE below);
 *   cross-city, online, modes ["proxy"], 1 working day, not township.
 * Its code depends only on fixed data (the MZJ row and the first MZJ name), never on the seed;
 * a test pins it.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { pathToFileURL } from 'node:url'
import type { Department, Item, ItemMode, ItemStatus } from '../src/modules/catalog/model.js'
import { buildUscc } from './catalog-sample/codes.js'
import {
  LOCAL_ONLY_DEPARTMENTS,
  SAMPLE_DEPARTMENTS,
  type SampleDepartment,
} from './catalog-sample/departments.js'
import { ITEM_NAMES, VARIANT_FAMILIES } from './catalog-sample/item-names.js'
import { choose, mulberry32, sample } from './catalog-sample/prng.js'

export const DEFAULT_SEED = 440233
export const XINFENG_REGION = '440233'
export const MARRIAGE_ITEM_CODE = '11440233MB2C57298J4000105001000'
export const MARRIAGE_BASIC_CODE = '000105001000'
export const CATALOG_TOTALS = { departments: 47, items: 1162, crossCity: 127, township: 93 } as const
export const SAMPLE_CATALOG_URL = new URL('../src/modules/catalog/data/sample-catalog.json', import.meta.url)

export interface SampleCatalog {
  departments: Department[]
  items: Item[]
}

interface Skeleton {
  department: SampleDepartment
  name: string
  basicCode: string
  kind: string
}

/** Mode sets with weights: most items can be applied for online or handed in at a partner hall. */
const MODE_CHOICES: readonly (readonly [ItemMode[], number])[] = [
  [['online'], 30],
  [['proxy'], 20],
  [['online', 'proxy'], 25],
  [['proxy', 'joint'], 10],
  [['online', 'joint'], 5],
  [['online', 'proxy', 'joint'], 10],
]

/** Promised working days by item kind, as Guangdong counties compress them (许可 longest). */
const DAYS_BY_KIND: Readonly<Record<string, readonly number[]>> = {
  '1': [5, 7, 10, 15, 20],
  '2': [5, 10, 15, 20],
  '4': [1, 2, 3, 5, 7, 10],
  '6': [10, 15, 20],
  '9': [1, 1, 2, 3, 5],
}

export function generateCatalog(seed: number = DEFAULT_SEED): SampleCatalog {
  const random = mulberry32(seed)
  const skeletons = SAMPLE_DEPARTMENTS.flatMap(expandDepartment)
  assertUnique(
    skeletons.map((s) => s.name),
    'item name',
  )
  assertUnique(
    skeletons.map((s) => s.basicCode),
    'basic code',
  )

  const marriage = skeletons.findIndex((s) => s.basicCode === MARRIAGE_BASIC_CODE)
  const crossCity = new Set(
    sample(
      random,
      indicesWhere(skeletons, (s, i) => i !== marriage && !LOCAL_ONLY_DEPARTMENTS.has(s.department.code)),
      CATALOG_TOTALS.crossCity - 1,
    ),
  )
  crossCity.add(marriage)
  // Marriage registration is done at the county registry only, never at a township hall.
  const township = new Set(
    sample(
      random,
      indicesWhere(skeletons, (s, i) => i !== marriage && s.department.township),
      CATALOG_TOTALS.township,
    ),
  )

  const usccs = new Map(SAMPLE_DEPARTMENTS.map((d) => [d.code, departmentUscc(d)]))
  assertUnique([...usccs.values()], 'department USCC')
  const items = skeletons.map((s, i): Item => {
    // Three draws per item whatever the branch, so one rule change does not reshuffle the rest.
    const modeDraw = random()
    const dayDraw = random()
    const statusDraw = random()
    const isCrossCity = crossCity.has(i)
    return {
      code: `${usccs.get(s.department.code)}${s.kind}${s.basicCode}`,
      basicCode: s.basicCode,
      name: s.name,
      department: s.department.code,
      modes: i === marriage ? ['proxy'] : chooseModes(modeDraw, isCrossCity),
      promisedDays: i === marriage ? 1 : choose(DAYS_BY_KIND[s.kind] ?? [1], dayDraw),
      // Every cross-city item is open: the agreements with Conghua and Longmen name them.
      status: isCrossCity ? 'online' : chooseStatus(statusDraw),
      township: township.has(i),
      crossCity: isCrossCity,
    }
  })
  assertUnique(
    items.map((item) => item.code),
    'item code',
  )
  return { departments: SAMPLE_DEPARTMENTS.map(({ code, name }) => ({ code, name })), items }
}

/** One record per line: valid JSON that still diffs line by line when the generator changes. */
export function serializeCatalog(catalog: SampleCatalog): string {
  const list = (records: readonly object[]) => records.map((r) => `    ${JSON.stringify(r)}`).join(',\n')
  return `{\n  "departments": [\n${list(catalog.departments)}\n  ],\n  "items": [\n${list(catalog.items)}\n  ]\n}\n`
}

function expandDepartment(department: SampleDepartment): Skeleton[] {
  const entries = (ITEM_NAMES[department.code] ?? []).map((entry, index) => {
    const [base = '', family] = entry.split('#')
    const qualifiers = family === undefined ? [] : (VARIANT_FAMILIES[family] ?? family.split(','))
    return { base, qualifiers, seq: String(index + 1).padStart(3, '0') }
  })
  const taken: Skeleton[] = []
  const depth = Math.max(0, ...entries.map((e) => e.qualifiers.length))
  // Main items first, then each entry's first variant, then its second…: see item-names.ts.
  for (let level = 0; level <= depth && taken.length < department.itemCount; level++) {
    for (const entry of entries) {
      if (taken.length === department.itemCount) break
      if (level > entry.qualifiers.length) continue
      const name = level === 0 ? entry.base : `${entry.base}（${entry.qualifiers[level - 1]}）`
      const basicCode = `00${department.sector}${entry.seq}${String(level).padStart(3, '0')}`
      taken.push({ department, name, basicCode, kind: itemKind(name) })
    }
  }
  if (taken.length !== department.itemCount) {
    throw new Error(`${department.code}: ${taken.length} names for ${department.itemCount} items`)
  }
  // Catalogue order: by basic code, so each main item is followed by its variants.
  return taken.sort((a, b) => (a.basicCode < b.basicCode ? -1 : 1))
}

/** The administrative kind of an item, read from its name the way catalogue clerks do. */
function itemKind(name: string): string {
  if (/许可|审批|核准|核发|审查|审核|资质/.test(name)) return '1'
  if (/补贴|补助|救助|抚恤|津贴|保障金|给付|优待金|生活费|资助|助学金|发放|贴息|待遇/.test(name)) return '2'
  if (/奖励|表彰/.test(name)) return '6'
  if (/证明|查询|咨询|受理|报名|预约|公证/.test(name)) return '9'
  if (/登记|认定|确认|鉴定|备案|注册|证/.test(name)) return '4'
  return '9'
}

/** Government bodies share Guangdong's "MB2C" code block; utilities are companies ("MA4W"). */
function departmentUscc(department: SampleDepartment): string {
  const serial = ((Number(department.sector) * 7919 + 1234) % 9000) + 1000
  const block = department.unit === '91' ? 'MA4W' : 'MB2C'
  return buildUscc(department.unit, XINFENG_REGION, `${block}${serial}`)
}

function chooseModes(draw: number, crossCity: boolean): ItemMode[] {
  const total = MODE_CHOICES.reduce((sum, [, weight]) => sum + weight, 0)
  let threshold = draw * total
  let modes: ItemMode[] = ['online']
  for (const [choice, weight] of MODE_CHOICES) {
    modes = choice
    threshold -= weight
    if (threshold < 0) break
  }
  // Point-to-point agreements are 异地代收代办: a cross-city item must accept proxy handling.
  if (crossCity && !modes.includes('proxy')) {
    modes = (['online', 'proxy', 'joint'] as const).filter((m) => m === 'proxy' || modes.includes(m))
  }
  return [...modes]
}

function chooseStatus(draw: number): ItemStatus {
  if (draw < 0.78) return 'online'
  if (draw < 0.92) return 'catalogued'
  if (draw < 0.97) return 'paused'
  return 'retired'
}

function indicesWhere<T>(list: readonly T[], keep: (value: T, index: number) => boolean): number[] {
  return list.flatMap((value, index) => (keep(value, index) ? [index] : []))
}

function assertUnique(values: readonly string[], what: string): void {
  const seen = new Set<string>()
  for (const value of values) {
    if (seen.has(value)) throw new Error(`duplicate ${what}: ${value}`)
    seen.add(value)
  }
}

async function main(): Promise<void> {
  const catalog = generateCatalog(DEFAULT_SEED)
  await mkdir(new URL('.', SAMPLE_CATALOG_URL), { recursive: true })
  await writeFile(SAMPLE_CATALOG_URL, serializeCatalog(catalog))
  const count = (keep: (item: Item) => boolean) => catalog.items.filter(keep).length
  console.log(
    `wrote ${SAMPLE_CATALOG_URL.pathname}: ${catalog.departments.length} departments, ${catalog.items.length} items, ` +
      `${count((i) => i.crossCity)} cross-city, ${count((i) => i.township)} township`,
  )
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
}
