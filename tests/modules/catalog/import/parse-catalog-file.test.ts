import { describe, expect, it } from 'vitest'
import { parseCsv } from '../../../../src/modules/catalog/import/csv.js'
import { parseCatalogFile } from '../../../../src/modules/catalog/import/parse-catalog-file.js'

const KNOWN = new Set(['MZJ', 'SCJ'])
const HEADER = 'code,basicCode,name,department,modes,promisedDays,status,township,crossCity'
const utf8 = (text: string) => new TextEncoder().encode(text)
const csv = (...lines: string[]) => utf8(`${lines.join('\r\n')}\r\n`)

const MARRIAGE = {
  code: '11440233MB2C57298J4000105001000',
  basicCode: '000105001000',
  name: '内地居民婚姻登记',
  department: 'MZJ',
  modes: ['proxy'],
  promisedDays: 1,
  status: 'online',
  township: false,
  crossCity: true,
}
const FOOD = {
  code: '11440233MB2C33461L1000128041000',
  basicCode: '000128041000',
  name: '食品经营许可',
  department: 'SCJ',
  modes: ['online', 'proxy'],
  promisedDays: 10,
  status: 'catalogued',
  township: false,
  crossCity: false,
}

describe('parseCatalogFile: CSV', () => {
  it('reads a good file, with physical line numbers', () => {
    const result = parseCatalogFile(
      csv(
        HEADER,
        '11440233MB2C57298J4000105001000,000105001000,内地居民婚姻登记,MZJ,proxy,1,online,false,true',
        '11440233MB2C33461L1000128041000,000128041000,食品经营许可,SCJ,proxy|online,10,catalogued,FALSE,False',
      ),
      'catalogue.csv',
      KNOWN,
    )
    expect(result.errors).toEqual([])
    expect(result.format).toBe('csv')
    // Modes come back in canonical order; Excel's upper-case booleans are accepted.
    expect(result.rows).toEqual([
      { line: 2, ...MARRIAGE },
      { line: 3, ...FOOD },
    ])
  })

  it('strips a UTF-8 byte-order mark and accepts the columns in any order', () => {
    const bytes = new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...csv(
        'name,code,basicCode,department,modes,promisedDays,status,township,crossCity',
        '内地居民婚姻登记,11440233MB2C57298J4000105001000,000105001000,MZJ,proxy,1,online,false,true',
      ),
    ])
    const result = parseCatalogFile(bytes, 'export.csv', KNOWN)
    expect(result.errors).toEqual([])
    expect(result.rows).toEqual([{ line: 2, ...MARRIAGE }])
  })

  it('keeps commas, quotes and line breaks inside quoted fields, and counts lines physically', () => {
    const result = parseCatalogFile(
      utf8(
        `${HEADER}\n` +
          'A1,000105101000,"社会团体登记（成立,变更）",MZJ,online,5,online,false,false\n' +
          'A2,000105102000,"地名命名、更名审批\n（含""标准地名""）",MZJ,online|joint,20,paused,true,false\n' +
          'A3,000105103000,收养登记,MZJ,proxy,3,online,false,false\n',
      ),
      'c.csv',
      KNOWN,
    )
    expect(result.errors).toEqual([])
    expect(result.rows.map((r) => [r.line, r.name])).toEqual([
      [2, '社会团体登记（成立,变更）'],
      [3, '地名命名、更名审批\n（含"标准地名"）'],
      [5, '收养登记'],
    ])
  })

  it('refuses a header with wrong or missing columns in one error on line 1', () => {
    const result = parseCatalogFile(
      csv(
        'code,basic_code,name,department,modes,promisedDays,status,township',
        'X1,1,n,MZJ,online,1,online,false',
      ),
      'c.csv',
      KNOWN,
    )
    expect(result.rows).toEqual([])
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatchObject({ line: 1, field: 'header' })
    expect(result.errors[0]?.message).toContain('missing: basicCode, crossCity')
    expect(result.errors[0]?.message).toContain('unexpected: basic_code')
  })

  it('reports a duplicate code on its second line, naming the first', () => {
    const result = parseCatalogFile(
      csv(
        HEADER,
        'X1,000105001000,内地居民婚姻登记,MZJ,proxy,1,online,false,true',
        'X2,000105002000,内地居民结婚登记,MZJ,proxy,1,online,false,false',
        'X1,000105003000,内地居民离婚登记,MZJ,proxy,1,online,false,false',
      ),
      'c.csv',
      KNOWN,
    )
    expect(result.errors).toEqual([
      { line: 4, field: 'code', message: 'duplicate code "X1" (first at line 2)' },
    ])
    expect(result.rows.map((r) => r.line)).toEqual([2, 3])
  })

  it('reports an unknown department and every bad field with its line', () => {
    const result = parseCatalogFile(
      csv(
        HEADER,
        'X1,000105001000,内地居民婚姻登记,XYZ,proxy,1,online,false,true',
        'X2,000105002000, ,MZJ,proxy|fax,0,live,yes,true',
        'X3,000105003000,收养登记,MZJ,,2.5,online,false,false',
        'X4,000105004000,收养登记（补领）,MZJ,online',
      ),
      'c.csv',
      KNOWN,
    )
    expect(result.rows).toEqual([])
    expect(result.errors).toEqual([
      { line: 2, field: 'department', message: 'unknown department "XYZ"' },
      { line: 3, field: 'name', message: 'must not be empty' },
      { line: 3, field: 'modes', message: '"fax" is not one of online, proxy, joint' },
      { line: 3, field: 'promisedDays', message: 'must be at least 1 working day' },
      { line: 3, field: 'status', message: '"live" is not one of catalogued, online, paused, retired' },
      { line: 3, field: 'township', message: 'must be true or false (got "yes")' },
      { line: 4, field: 'modes', message: 'must list at least one of online, proxy, joint' },
      { line: 4, field: 'promisedDays', message: 'must be a whole number of working days' },
      { line: 5, field: 'row', message: 'has 5 fields, the header has 9' },
    ])
  })

  it('refuses a GBK file with one clear error', () => {
    // "你" in GBK is C4 E3: a UTF-8 lead byte followed by a byte that cannot continue it.
    const bytes = new Uint8Array([
      ...utf8(`${HEADER}\nX1,000105001000,`),
      0xc4,
      0xe3,
      ...utf8(',MZJ,proxy,1,online,false,true\n'),
    ])
    const result = parseCatalogFile(bytes, 'c.csv', KNOWN)
    expect(result.rows).toEqual([])
    expect(result.errors).toEqual([
      {
        line: 2,
        field: 'file',
        message: 'file is not valid UTF-8 (GBK? save as UTF-8): first bad byte at line 2',
      },
    ])
  })

  it('stops at broken quoting with the line of the problem', () => {
    const stray = parseCatalogFile(
      csv(HEADER, 'X1,000105001000,政务服务"好差评",MZJ,proxy,1,online,false,true'),
      'c.csv',
      KNOWN,
    )
    expect(stray.errors).toMatchObject([{ line: 2, field: 'file' }])
    const open = parseCatalogFile(
      csv(HEADER, 'X1,000105001000,"内地居民婚姻登记,MZJ,proxy,1,online,false,true'),
      'c.csv',
      KNOWN,
    )
    expect(open.errors).toEqual([{ line: 2, field: 'file', message: 'a quoted field is never closed' }])
  })

  it('calls an empty file empty', () => {
    expect(parseCatalogFile(new Uint8Array([0xef, 0xbb, 0xbf]), 'c.csv', KNOWN).errors).toEqual([
      { line: 1, field: 'file', message: 'file is empty' },
    ])
  })
})

describe('parseCatalogFile: JSON', () => {
  it('reads the sample-catalog.json shape; line is the item’s 1-based index', () => {
    const file = { departments: [{ code: 'MZJ', name: '新丰县民政局' }], items: [MARRIAGE, FOOD] }
    const result = parseCatalogFile(utf8(JSON.stringify(file, null, 2)), 'sample-catalog.json', KNOWN)
    expect(result.errors).toEqual([])
    expect(result.format).toBe('json')
    expect(result.rows).toEqual([
      { line: 1, ...MARRIAGE },
      { line: 2, ...FOOD },
    ])
  })

  it('reads a bare array, with a BOM, recognised by content when the name says nothing', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(JSON.stringify([FOOD]))])
    const result = parseCatalogFile(bytes, 'upload', KNOWN)
    expect(result.errors).toEqual([])
    expect(result.rows).toEqual([{ line: 1, ...FOOD }])
  })

  it('reports duplicates, unknown departments, wrong types and missing fields by item', () => {
    const items = [
      MARRIAGE,
      { ...FOOD, code: MARRIAGE.code, department: 'NOPE' },
      { ...FOOD, code: 'B1', basicCode: '000128042000', promisedDays: '10', township: 'false', modes: [] },
      { code: 'B2', name: '个体工商户设立登记' },
      42,
    ]
    const result = parseCatalogFile(utf8(JSON.stringify(items)), 'c.json', KNOWN)
    expect(result.rows).toEqual([{ line: 1, ...MARRIAGE }])
    expect(result.errors).toEqual([
      { line: 2, field: 'code', message: `duplicate code "${MARRIAGE.code}" (first at line 1)` },
      { line: 2, field: 'department', message: 'unknown department "NOPE"' },
      { line: 3, field: 'modes', message: 'must list at least one of online, proxy, joint' },
      { line: 3, field: 'promisedDays', message: 'must be a number (got "10")' },
      { line: 3, field: 'township', message: 'must be true or false (got "false")' },
      { line: 4, field: 'basicCode', message: 'is required' },
      { line: 4, field: 'department', message: 'is required' },
      { line: 4, field: 'modes', message: 'is required' },
      { line: 4, field: 'promisedDays', message: 'is required' },
      { line: 4, field: 'status', message: 'is required' },
      { line: 4, field: 'township', message: 'is required' },
      { line: 4, field: 'crossCity', message: 'is required' },
      { line: 5, field: 'row', message: 'must be an object with the item fields' },
    ])
  })

  it('refuses broken JSON and the wrong top-level shape in one error', () => {
    const broken = parseCatalogFile(utf8('[\n  {"code": "X1",\n  }\n]'), 'c.json', KNOWN)
    expect(broken.errors).toHaveLength(1)
    expect(broken.errors[0]).toMatchObject({ field: 'file' })
    expect(broken.errors[0]?.message).toMatch(/^file is not valid JSON near line \d+$/)
    const shape = parseCatalogFile(utf8('{"rows": []}'), 'c.json', KNOWN)
    expect(shape.errors).toEqual([
      { line: 1, field: 'file', message: 'expected an array of items, or an object with an "items" array' },
    ])
  })
})

describe('parseCsv', () => {
  it('handles CRLF, LF, quoted CRLF, empty fields and skips blank lines', () => {
    const result = parseCsv('a,b\r\n\r\n"x\r\ny",\n"",c')
    expect(result).toEqual({
      ok: true,
      records: [
        { line: 1, fields: ['a', 'b'] },
        { line: 3, fields: ['x\r\ny', ''] },
        { line: 5, fields: ['', 'c'] },
      ],
    })
  })

  it('refuses text after a closing quote', () => {
    expect(parseCsv('a\n"x"y,z')).toMatchObject({ ok: false, line: 2 })
  })
})
