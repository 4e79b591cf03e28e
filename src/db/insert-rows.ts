import { type Column, getTableColumns, getTableName, sql, type Table } from 'drizzle-orm'
import type { Db } from './client.js'

/**
 * Inserts many rows in one statement whose only parameter is the rows as one JSON document,
 * unpacked by the server (`jsonb_to_recordset`), instead of one bind parameter per column and
 * row. For the dozens of rows of an intake batch drizzle's multi-row VALUES spends ~150 µs of
 * CPU per row building parameters (with ~25 columns); this costs ~30 µs, and the server parses
 * one document rather than binding hundreds of values (STACK.md: bulk inserts want one array
 * parameter per column, or one document). Works the same on PostgreSQL and PGlite.
 *
 * Every row must give the same columns (a column left out takes its default for all rows, so a
 * row may not leave out what another gives). Values are the ones drizzle's insert takes:
 * strings, numbers, booleans, null, Date, objects for json(b) columns, Uint8Array for bytea.
 */
export async function insertRows<T extends Table>(
  db: Db,
  table: T,
  rows: readonly T['$inferInsert'][],
): Promise<void> {
  const first = rows[0]
  if (first === undefined) return
  const keys = Object.keys(first).filter((k) => (first as Record<string, unknown>)[k] !== undefined)
  const statement = statementFor(table, keys)
  const json = JSON.stringify(
    rows.map((row) => {
      const r = row as Record<string, unknown>
      const out: Record<string, unknown> = {}
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!
        const value = r[key]
        if (value === undefined) throw new TypeError(`insertRows ${getTableName(table)}: row without ${key}`)
        out[statement.names[i]!] =
          value instanceof Uint8Array ? `\\x${Buffer.from(value).toString('hex')}` : value
      }
      let given = 0
      for (const k in r) if (r[k] !== undefined) given++
      if (given !== keys.length)
        throw new TypeError(`insertRows ${getTableName(table)}: rows give different columns`)
      return out
    }),
  )
  await db.execute(sql`${statement.head}${json}${statement.tail}`)
}

const statements = new WeakMap<
  Table,
  Map<string, { names: string[]; head: ReturnType<typeof sql.raw>; tail: ReturnType<typeof sql.raw> }>
>()

/** The statement's text around its one parameter, made once per table and column set. */
function statementFor(table: Table, keys: string[]) {
  let byKeys = statements.get(table)
  if (!byKeys) {
    byKeys = new Map()
    statements.set(table, byKeys)
  }
  const id = keys.join(',')
  let found = byKeys.get(id)
  if (!found) {
    const columns = getTableColumns(table) as Record<string, Column>
    const quote = (name: string) => `"${name.replaceAll('"', '""')}"`
    const names = keys.map((k) => {
      const column = columns[k]
      if (!column) throw new TypeError(`insertRows ${getTableName(table)}: no column ${k}`)
      return column.name
    })
    const list = names.map(quote).join(', ')
    const record = keys.map((k, i) => `${quote(names[i]!)} ${columns[k]!.getSQLType()}`).join(', ')
    found = {
      names,
      head: sql.raw(
        `insert into ${quote(getTableName(table))} (${list}) select ${list} from jsonb_to_recordset(`,
      ),
      tail: sql.raw(`::jsonb) as r(${record})`),
    }
    byKeys.set(id, found)
  }
  return found
}
