/**
 * Reads an uploaded catalogue file into checked rows, without touching the database: the
 * import service calls this, then writes `rows` (usually only when `errors` is empty).
 *
 * Formats, chosen by the file name's extension (.json / .csv), else by the first character:
 * - JSON: the shape of sample-catalog.json (`{ "items": [Item…] }`, other keys ignored) or a
 *   bare array of items. `line` is the 1-based index of the item in that array.
 * - CSV (RFC 4180, UTF-8, BOM allowed): a header row with exactly the columns of
 *   CATALOG_COLUMNS (any order), modes separated by `|`, booleans true/false. `line` is the
 *   physical line in the file, so it matches what an editor shows even with multi-line cells.
 *
 * Errors about the file as a whole (encoding, syntax, header, shape) have field "file" or
 * "header" and carry the physical line where the problem is (1 when there is no better one).
 */
import type { Item } from '../model.js'
import { parseCsv } from './csv.js'
import { CATALOG_COLUMNS, type CatalogColumn, csvRowSchema, jsonRowSchema } from './row-schema.js'
import { decodeUtf8 } from './utf8.js'

export interface CatalogImportError {
  line: number
  field: string
  message: string
}

export interface ValidRow extends Item {
  /** Where the row came from, for errors the database step finds (same meaning as in errors). */
  line: number
}

export interface ParsedCatalogFile {
  format: 'csv' | 'json'
  rows: ValidRow[]
  errors: CatalogImportError[]
}

/** Past this, more errors only bury the first ones (a file in the wrong layout fails every row). */
export const MAX_REPORTED_ERRORS = 500

interface RawRecord {
  line: number
  value: unknown
}

type Records = { ok: true; records: RawRecord[] } | { ok: false; error: CatalogImportError }

export function parseCatalogFile(
  bytes: Uint8Array,
  fileName: string,
  knownDepartments: ReadonlySet<string>,
): ParsedCatalogFile {
  const decoded = decodeUtf8(bytes)
  const format = detectFormat(fileName, decoded.ok ? decoded.text : '')
  if (!decoded.ok) {
    const message = `file is not valid UTF-8 (GBK? save as UTF-8): first bad byte at line ${decoded.line}`
    return { format, rows: [], errors: [{ line: decoded.line, field: 'file', message }] }
  }
  if (decoded.text.trim() === '') {
    return { format, rows: [], errors: [{ line: 1, field: 'file', message: 'file is empty' }] }
  }
  const read = format === 'json' ? readJson(decoded.text) : readCsv(decoded.text)
  if (!read.ok) return { format, rows: [], errors: [read.error] }
  const schema = format === 'json' ? jsonRowSchema(knownDepartments) : csvRowSchema(knownDepartments)
  return { format, ...checkRecords(read.records, schema) }
}

function detectFormat(fileName: string, text: string): 'csv' | 'json' {
  const extension = fileName.toLowerCase().split('.').pop()
  if (extension === 'json') return 'json'
  if (extension === 'csv') return 'csv'
  return /^\s*[[{]/.test(text) ? 'json' : 'csv'
}

function readJson(text: string): Records {
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch (error) {
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1]
    const line = position === undefined ? 1 : lineAt(text, Number(position))
    return { ok: false, error: { line, field: 'file', message: `file is not valid JSON near line ${line}` } }
  }
  const items = Array.isArray(document)
    ? document
    : isObject(document) && Array.isArray(document.items)
      ? document.items
      : undefined
  if (items === undefined) {
    const message = 'expected an array of items, or an object with an "items" array'
    return { ok: false, error: { line: 1, field: 'file', message } }
  }
  return { ok: true, records: items.map((value, index) => ({ line: index + 1, value })) }
}

function readCsv(text: string): Records {
  const parsed = parseCsv(text)
  if (!parsed.ok) return { ok: false, error: { line: parsed.line, field: 'file', message: parsed.message } }
  const [header, ...rows] = parsed.records
  if (header === undefined) return { ok: false, error: { line: 1, field: 'file', message: 'file is empty' } }
  const columns = header.fields.map((column) => column.trim())
  const problem = headerProblem(columns)
  if (problem !== undefined)
    return { ok: false, error: { line: header.line, field: 'header', message: problem } }
  const records: RawRecord[] = rows.map(({ line, fields }) => ({
    line,
    value:
      fields.length === columns.length
        ? Object.fromEntries(columns.map((column, index) => [column, fields[index]]))
        : new WrongFieldCount(fields.length, columns.length),
  }))
  return { ok: true, records }
}

function headerProblem(columns: readonly string[]): string | undefined {
  const expected: readonly string[] = CATALOG_COLUMNS
  const missing = expected.filter((column) => !columns.includes(column))
  const unexpected = columns.filter((column) => !expected.includes(column))
  const repeated = columns.filter((column, index) => columns.indexOf(column) !== index)
  if (missing.length + unexpected.length + repeated.length === 0) return undefined
  const parts = [
    missing.length > 0 ? `missing: ${missing.join(', ')}` : '',
    unexpected.length > 0
      ? `unexpected: ${unexpected.map((c) => (c === '' ? '(empty)' : c)).join(', ')}`
      : '',
    repeated.length > 0 ? `repeated: ${repeated.join(', ')}` : '',
  ].filter((part) => part !== '')
  return `the header must have exactly the columns ${expected.join(',')} (${parts.join('; ')})`
}

class WrongFieldCount {
  constructor(
    readonly found: number,
    readonly expected: number,
  ) {}
}

interface RowSchema {
  safeParse(value: unknown): { success: true; data: Item } | { success: false; error: { issues: Issue[] } }
}
interface Issue {
  path: PropertyKey[]
  message: string
}

function checkRecords(
  records: readonly RawRecord[],
  schema: RowSchema,
): { rows: ValidRow[]; errors: CatalogImportError[] } {
  const rows: ValidRow[] = []
  const errors: CatalogImportError[] = []
  // The database keeps both codes unique, so a file repeating one could never load whole.
  const firstLine: Record<'code' | 'basicCode', Map<string, number>> = {
    code: new Map(),
    basicCode: new Map(),
  }

  for (const { line, value } of records) {
    if (errors.length >= MAX_REPORTED_ERRORS) {
      errors.push({
        line,
        field: 'file',
        message: `more than ${MAX_REPORTED_ERRORS} errors; stopped checking here`,
      })
      break
    }
    if (value instanceof WrongFieldCount) {
      errors.push({
        line,
        field: 'row',
        message: `has ${value.found} fields, the header has ${value.expected}`,
      })
      continue
    }
    if (!isObject(value)) {
      errors.push({ line, field: 'row', message: 'must be an object with the item fields' })
      continue
    }
    const rowErrors: CatalogImportError[] = []
    for (const field of ['code', 'basicCode'] as const) {
      const raw = value[field]
      if (typeof raw !== 'string' || raw.trim() === '') continue
      const seen = firstLine[field].get(raw.trim())
      if (seen === undefined) firstLine[field].set(raw.trim(), line)
      else
        rowErrors.push({ line, field, message: `duplicate ${field} "${raw.trim()}" (first at line ${seen})` })
    }
    const result = schema.safeParse(value)
    if (!result.success) {
      for (const issue of result.error.issues) {
        const field = String(issue.path[0] ?? 'row') as CatalogColumn | 'row'
        // One message per field is enough to fix it; zod may report several for one cell.
        if (!rowErrors.some((e) => e.field === field)) rowErrors.push({ line, field, message: issue.message })
      }
    }
    if (rowErrors.length > 0) errors.push(...rowErrors)
    else if (result.success) rows.push({ line, ...result.data })
  }
  return { rows, errors }
}

function lineAt(text: string, offset: number): number {
  let line = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++
  return line
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
