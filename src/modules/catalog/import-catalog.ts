import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { recordAudit } from '../audit/record-audit.js'
import {
  type CatalogImportError,
  type ParsedCatalogFile,
  parseCatalogFile,
  type ValidRow,
} from './import/parse-catalog-file.js'
import { ITEM_STATUS_MOVES, type Item } from './model.js'
import { departmentCodes, findItemsSharingCodes, upsertItems } from './repository.js'

export interface ImportCatalogInput {
  bytes: Uint8Array
  fileName: string
  /** Write the good rows even when some rows are bad (otherwise one bad row stops everything). */
  partial: boolean
  /** Called while writing: rows written so far, rows to write. */
  onProgress?: (done: number, total: number) => void
}

export interface CatalogImportReport {
  format: 'csv' | 'json'
  /** Data rows checked: good ones plus those with errors (file-level errors count none). */
  rows: number
  /** Good rows now in the catalogue as the file has them: inserted + updated + unchanged; 0 when nothing was written. */
  imported: number
  inserted: number
  updated: number
  /** Good rows identical to the stored item: not rewritten, so their updated_at keeps its meaning. */
  unchanged: number
  errors: CatalogImportError[]
}

// Rows per statement and per progress report: small enough to show progress on big files.
const WRITE_CHUNK = 500

/**
 * Imports a catalogue file (CSV or JSON, see parse-catalog-file.ts) into the items table in one
 * transaction, keyed by item code, so running the same file twice changes nothing the second
 * time. All or nothing unless `partial`: a catalogue half-updated from a file with mistakes is
 * worse than the old one.
 */
export async function importCatalog({
  ctx,
  input,
}: {
  ctx: Ctx
  input: ImportCatalogInput
}): Promise<CatalogImportReport> {
  const known = await departmentCodes(ctx.db)
  const parsed = parseCatalogFile(input.bytes, input.fileName, known)

  return withTransaction(ctx, async (tx) => {
    // Read inside the transaction, so what we compare with is what we overwrite.
    const existing = await findItemsSharingCodes(tx.db, parsed.rows)
    const { good, errors } = checkAgainstCatalogue(parsed, existing)
    const byCode = new Map(existing.map((item) => [item.code, item]))
    const toInsert = good.filter((row) => !byCode.has(row.code))
    const toUpdate = good.filter((row) => {
      const current = byCode.get(row.code)
      return current !== undefined && !sameItem(current, row)
    })
    const unchanged = good.length - toInsert.length - toUpdate.length
    const report = {
      format: parsed.format,
      // Rows refused here were among the parser's good rows: count only the parser's bad ones on top.
      rows: parsed.rows.length + new Set(parsed.errors.filter(isRowError).map((e) => e.line)).size,
      errors,
    }
    if (errors.length > 0 && !input.partial) {
      return { ...report, imported: 0, inserted: 0, updated: 0, unchanged: 0 }
    }

    const changed = [...toInsert, ...toUpdate]
    const at = tx.clock.now()
    input.onProgress?.(0, changed.length)
    for (let i = 0; i < changed.length; i += WRITE_CHUNK) {
      await upsertItems(tx.db, changed.slice(i, i + WRITE_CHUNK), at)
      input.onProgress?.(Math.min(i + WRITE_CHUNK, changed.length), changed.length)
    }
    const counts = {
      imported: good.length,
      inserted: toInsert.length,
      updated: toUpdate.length,
      unchanged,
    }
    await recordAudit(tx, {
      action: 'catalog.imported',
      subject: 'catalog',
      data: {
        fileName: input.fileName,
        format: parsed.format,
        partial: input.partial,
        rows: report.rows,
        ...counts,
        errors: errors.length,
      },
    })
    return { ...report, ...counts }
  })
}

/**
 * Checks the file's good rows against what is stored, as row errors rather than database
 * exceptions: the basic code is unique across items, and a stored item's status follows the
 * same lifecycle as PATCH /v1/items/{code} (a retired item stays retired).
 */
function checkAgainstCatalogue(
  parsed: ParsedCatalogFile,
  existing: readonly Item[],
): { good: ValidRow[]; errors: CatalogImportError[] } {
  const byCode = new Map(existing.map((item) => [item.code, item]))
  const byBasicCode = new Map(existing.map((item) => [item.basicCode, item]))
  const errors = [...parsed.errors]
  const good: ValidRow[] = []
  for (const row of parsed.rows) {
    const holder = byBasicCode.get(row.basicCode)
    const current = byCode.get(row.code)
    if (holder !== undefined && holder.code !== row.code) {
      // Even if the file also moves the holder to another basic code: the constraint is checked
      // row by row, so such a swap cannot be written in one pass anyway.
      errors.push({
        line: row.line,
        field: 'basicCode',
        message: `basic code "${row.basicCode}" already belongs to item ${holder.code}`,
      })
    } else if (
      current !== undefined &&
      current.status !== row.status &&
      !ITEM_STATUS_MOVES[current.status].includes(row.status)
    ) {
      errors.push({
        line: row.line,
        field: 'status',
        message: `item is ${current.status} and cannot become ${row.status}`,
      })
    } else {
      good.push(row)
    }
  }
  errors.sort((a, b) => a.line - b.line)
  return { good, errors }
}

const isRowError = (e: CatalogImportError) => e.field !== 'file' && e.field !== 'header'

function sameItem(a: Item, b: Item): boolean {
  return (
    a.basicCode === b.basicCode &&
    a.name === b.name &&
    a.department === b.department &&
    a.modes.join('|') === b.modes.join('|') &&
    a.promisedDays === b.promisedDays &&
    a.status === b.status &&
    a.township === b.township &&
    a.crossCity === b.crossCity
  )
}
