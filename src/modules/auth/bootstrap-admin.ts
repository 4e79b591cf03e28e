import { randomBytes } from 'node:crypto'
import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { createUser } from './create-user.js'
import { countAdmins } from './repository.js'

/**
 * On a start with no administrator, creates `admin` with ADMIN_PASSWORD, or with a random
 * password that is returned so main.ts can print it once.
 */
export async function bootstrapAdmin({
  ctx,
}: {
  ctx: Ctx
}): Promise<{ created: boolean; password?: string }> {
  try {
    return await createFirstAdmin(ctx)
  } catch (err) {
    // Another instance starting at the same moment created it first.
    if ((await countAdmins(ctx.db)) > 0) return { created: false }
    throw err
  }
}

async function createFirstAdmin(ctx: Ctx): Promise<{ created: boolean; password?: string }> {
  return withTransaction(ctx, async (tx) => {
    if ((await countAdmins(tx.db)) > 0) return { created: false }
    const generated = ctx.config.ADMIN_PASSWORD ? undefined : randomBytes(12).toString('base64url')
    const password = ctx.config.ADMIN_PASSWORD ?? (generated as string)
    await createUser({ ctx: tx, input: { username: 'admin', password, role: 'admin' } })
    return generated ? { created: true, password: generated } : { created: true }
  })
}
