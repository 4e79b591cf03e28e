import type { Db } from './client.js'

/** Anything that carries a database handle: a service context, or the transaction it runs in. */
export interface HasDb {
  db: Db
  inTransaction?: boolean
}

/**
 * Runs `fn` in a transaction, or inside the caller's one when there is already one, so a verb
 * can call another verb and the outbox/audit rows they write commit or roll back together.
 */
export async function withTransaction<C extends HasDb, T>(ctx: C, fn: (tx: C) => Promise<T>): Promise<T> {
  if (ctx.inTransaction) return fn(ctx)
  return ctx.db.transaction((tx) => fn({ ...ctx, db: tx as unknown as Db, inTransaction: true }))
}
