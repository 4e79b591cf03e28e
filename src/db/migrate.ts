import { readFileSync } from 'node:fs'
import { sql } from 'drizzle-orm'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import { projectFile } from '../lib/project-files.js'
import type { Database } from './client.js'

export const MIGRATIONS_FOLDER = projectFile('drizzle')

// Any number fits; it only has to be the same for every instance of the gateway.
const MIGRATION_LOCK_KEY = 4_402_330_001

/** Applies the generated migrations. Several instances starting at once take turns (advisory lock). */
export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === 'pglite') {
    // biome-ignore lint/suspicious/noExplicitAny: the two drivers' migrators take their own db types
    await migratePglite(database.db as any, { migrationsFolder: MIGRATIONS_FOLDER })
    return
  }
  await database.withLock(MIGRATION_LOCK_KEY, () =>
    // biome-ignore lint/suspicious/noExplicitAny: see above
    migratePostgres(database.db as any, { migrationsFolder: MIGRATIONS_FOLDER }),
  )
}

/** Number of migrations in drizzle/meta/_journal.json, to compare with the applied ones. */
export function expectedMigrationCount(): number {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as {
    entries: unknown[]
  }
  return journal.entries.length
}

export async function appliedMigrationCount(database: Database): Promise<number> {
  const result = await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[]
  return rows[0]?.n ?? 0
}
