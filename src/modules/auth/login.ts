import { randomUUID } from 'node:crypto'
import type { Ctx } from '../../context.js'
import { withTransaction } from '../../db/tx.js'
import { AppError } from '../../lib/errors.js'
import { recordAudit } from '../audit/record-audit.js'
import { decoyHash, verifyPassword } from './password.js'
import { findUserByName, insertSession } from './repository.js'
import { clearFailures, recordFailure, type ThrottleKey, waitBeforeAttempt } from './throttle.js'
import { issueToken } from './tokens.js'

export interface LoginInput {
  username: string
  password: string
  address: string
}

export interface LoginResult {
  token: string
  sessionId: string
  expiresAt: Date
  user: { username: string; role: 'admin' | 'clerk'; department: string | null }
}

export async function login({
  ctx,
  input,
  tokenKey,
}: {
  ctx: Ctx
  input: LoginInput
  tokenKey: Uint8Array
}): Promise<LoginResult> {
  const now = ctx.clock.now()
  const keys: ThrottleKey[] = [`user:${input.username.toLowerCase()}`, `ip:${input.address}`]
  const waits = await Promise.all(keys.map((k) => waitBeforeAttempt(ctx.db, k, now)))
  const wait = Math.max(...waits)
  const subject = `user:${input.username}`
  if (wait > 0) {
    await recordAudit(ctx, {
      action: 'auth.login_throttled',
      subject,
      data: { address: input.address, wait },
    })
    throw new AppError('too_many_attempts', `Too many failed sign-ins; try again in ${wait} s`, {
      headers: { 'Retry-After': String(wait) },
    })
  }

  const user = await findUserByName(ctx.db, input.username)
  // Same work whether or not the user exists, so timing does not reveal user names.
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash()))
  if (!user || !ok || user.disabled) {
    const locked = await withTransaction(ctx, async (tx) => {
      const results = await Promise.all(keys.map((k) => recordFailure(tx.db, k, now)))
      await recordAudit(tx, {
        action: 'auth.login_failed',
        subject,
        data: {
          address: input.address,
          reason: !user ? 'unknown_user' : user.disabled ? 'disabled' : 'password',
        },
      })
      return results.some(Boolean)
    })
    if (locked) ctx.log.warn({ username: input.username, address: input.address }, 'sign-in locked')
    throw new AppError('invalid_credentials', 'User name or password is wrong')
  }

  const sessionId = randomUUID()
  const expiresAt = new Date(now.getTime() + ctx.config.TOKEN_TTL_SECONDS * 1000)
  await withTransaction(ctx, async (tx) => {
    await clearFailures(tx.db, keys[0] as ThrottleKey)
    await insertSession(tx.db, { id: sessionId, userId: user.id, expiresAt, createdAt: now })
    await recordAudit(tx, {
      action: 'auth.login_succeeded',
      subject,
      actor: {
        kind: 'user',
        userId: user.id,
        username: user.username,
        role: user.role,
        department: user.departmentCode,
      },
      data: { address: input.address },
    })
  })
  return {
    token: await issueToken(tokenKey, sessionId, user.id, expiresAt),
    sessionId,
    expiresAt,
    user: { username: user.username, role: user.role, department: user.departmentCode },
  }
}
