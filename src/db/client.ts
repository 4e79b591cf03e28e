import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import { withPreparedStatements } from './prepared-statements.js'
import * as schema from './schema/index.js'

/** One type for both drivers; a transaction is assignable to it too. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>

export interface Database {
  db: Db
  kind: 'postgres' | 'pglite'
  /** Round trip to the server; throws when unreachable. */
  ping(): Promise<void>
  /** Runs `fn` while holding a session-level advisory lock (PGlite has one connection: no lock needed). */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<T>
  close(): Promise<void>
}

export function openPostgres(url: string, poolSize = 10): Database {
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    // Prepared statements (prepared-statements.ts) planned afresh on every execution: a generic
    // plan made while a table was still small (a young database, before its first ANALYZE) stays
    // cached as the table grows; seen here as the intake's duplicate check scanning every case
    // of the partner instead of one unique-index probe.
    connection: { application_name: 'kytb-gateway', plan_cache_mode: 'force_custom_plan' },
  })
  const db = drizzlePostgres(withPreparedStatements(client), { schema }) as unknown as Db
  return {
    db,
    kind: 'postgres',
    ping: async () => {
      await db.execute(sql`select 1`)
    },
    withLock: async (key, fn) => {
      const conn = await client.reserve()
      try {
        await conn`select pg_advisory_lock(${key})`
        return await fn()
      } finally {
        await conn`select pg_advisory_unlock(${key})`.catch(() => {})
        conn.release()
      }
    },
    close: () => client.end({ timeout: 5 }),
  }
}

/** Embedded PostgreSQL (PGlite). `dataDir` undefined = in memory; an existing instance may be passed. */
export async function openPglite(source: { dataDir?: string } | { instance: PGlite }): Promise<Database> {
  let client: PGlite
  if ('instance' in source) {
    client = source.instance
  } else {
    if (source.dataDir) mkdirSync(source.dataDir, { recursive: true })
    client = new PGlite(source.dataDir ? join(source.dataDir, 'pgdata') : undefined)
  }
  await client.waitReady
  const db = drizzlePglite(client, { schema }) as unknown as Db
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await db.execute(sql`select 1`)
    },
    withLock: (_key, fn) => fn(),
    close: () => client.close(),
  }
}

export async function openDatabase(config: {
  DATABASE_URL?: string | undefined
  DATABASE_POOL_SIZE: number
  DATA_DIR: string
}): Promise<Database> {
  return config.DATABASE_URL
    ? openPostgres(config.DATABASE_URL, config.DATABASE_POOL_SIZE)
    : openPglite({ dataDir: config.DATA_DIR })
}
