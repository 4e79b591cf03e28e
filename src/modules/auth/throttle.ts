import type { Db } from '../../db/client.js'
import { clearThrottle, readThrottle, writeThrottle } from './repository.js'

/**
 * Failed sign-ins slow down, then lock, both a user name and a client address. Addresses get
 * more room, since a whole county hall may sit behind one address.
 */
const POLICY = {
  user: { slowAfter: 3, lockAfter: 6 },
  ip: { slowAfter: 10, lockAfter: 30 },
} as const
const WINDOW_MS = 15 * 60_000
const LOCK_MS = 15 * 60_000

export type ThrottleKey = `user:${string}` | `ip:${string}`

const policyOf = (key: ThrottleKey) => (key.startsWith('user:') ? POLICY.user : POLICY.ip)

/** Seconds until this key may try again (0: now). */
export async function waitBeforeAttempt(db: Db, key: ThrottleKey, now: Date): Promise<number> {
  const row = await readThrottle(db, key)
  if (!row) return 0
  if (row.lockedUntil && row.lockedUntil > now)
    return Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000)
  if (now.getTime() - row.lastFailureAt.getTime() > WINDOW_MS) return 0
  const { slowAfter } = policyOf(key)
  if (row.failures < slowAfter) return 0
  const delayMs = 1000 * 2 ** Math.min(row.failures - slowAfter, 6)
  const readyAt = row.lastFailureAt.getTime() + delayMs
  return readyAt > now.getTime() ? Math.ceil((readyAt - now.getTime()) / 1000) : 0
}

/** Counts a failure; returns true when this failure locked the key. */
export async function recordFailure(db: Db, key: ThrottleKey, now: Date): Promise<boolean> {
  const row = await readThrottle(db, key)
  const fresh = !row || now.getTime() - row.lastFailureAt.getTime() > WINDOW_MS
  const failures = fresh ? 1 : row.failures + 1
  const locks = failures >= policyOf(key).lockAfter
  await writeThrottle(db, {
    key,
    failures,
    lastFailureAt: now,
    lockedUntil: locks ? new Date(now.getTime() + LOCK_MS) : null,
  })
  return locks
}

export const clearFailures = (db: Db, key: ThrottleKey) => clearThrottle(db, key)
