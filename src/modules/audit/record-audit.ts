import type { Actor, Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { entryHash } from './chain.js'
import { appendEntry, lockHead } from './repository.js'

export interface AuditInput {
  /** dotted verb, e.g. `agreement.activated`, `auth.login_failed`, `exchange.refused` */
  action: string
  /** what it concerns, e.g. `agreement:<id>`, `user:admin`, `partner:441324` */
  subject: string
  data?: Record<string, unknown>
  /** defaults to the context's actor */
  actor?: Actor
}

export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'user':
      return `user:${actor.username}`
    case 'partner':
      return `partner:${actor.region}`
    case 'system':
      return `system:${actor.name}`
  }
}

/** Appends one entry to the hash chain inside the caller's transaction (or its own). */
export async function recordAudit(ctx: Ctx, input: AuditInput): Promise<void> {
  await withTransaction(ctx, async (tx) => {
    const head = await lockHead(tx.db)
    const entry = {
      seq: head.seq + 1,
      // Millisecond precision: the hash is computed over what the database gives back.
      at: new Date(Math.floor(tx.clock.now().getTime())),
      actor: actorLabel(input.actor ?? ctx.actor),
      action: input.action,
      subject: input.subject,
      data: input.data ?? {},
    }
    await appendEntry(tx.db, { ...entry, prevHash: head.hash, hash: entryHash(head.hash, entry) })
  })
}
