/**
 * Retry timing of exchange-protocol-v1 ("Delivery by the sender"): exponential back-off from 1 s,
 * doubling, full jitter, capped at 10 minutes; a partner's Retry-After wins when it asks for longer;
 * after 24 hours the message is dead-lettered.
 */
export const BACKOFF_BASE_MS = 1000
export const BACKOFF_CAP_MS = 10 * 60 * 1000
export const RETRY_WINDOW_MS = 24 * 3600 * 1000

/**
 * Full jitter ("Exponential Backoff And Jitter", AWS): a uniform draw in [0, min(cap, base·2^n)],
 * where n is the number of attempts already failed. Spreads the retries of many rows that failed
 * together (a partner outage) instead of sending them back in one burst.
 */
export function backoffMs(failedBefore: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(Math.max(failedBefore, 0), 30))
  return Math.floor(random() * ceiling)
}

/**
 * RFC 9110 §10.2.3: delay-seconds or an HTTP-date, in milliseconds from `now`; undefined when
 * absent or unreadable. Bounded by the retry window: a longer wait ends in a dead letter anyway.
 */
export function retryAfterMs(value: string | null | undefined, now: Date): number | undefined {
  const v = value?.trim()
  if (!v) return undefined
  let ms: number
  if (/^\d+$/.test(v)) {
    ms = Number(v) * 1000
  } else {
    // An HTTP-date names a weekday and month; without letters, Date.parse would read '-5' as a year.
    if (!/^[A-Za-z]{3}/.test(v)) return undefined
    const at = Date.parse(v)
    if (Number.isNaN(at)) return undefined
    ms = at - now.getTime()
  }
  return Math.min(Math.max(ms, 0), RETRY_WINDOW_MS)
}

/** When to try again after a failure: the jittered back-off, or the partner's Retry-After if larger. */
export function nextAttemptAt(
  now: Date,
  failedBefore: number,
  retryAfter: number | undefined,
  random?: () => number,
): Date {
  const wait = Math.max(backoffMs(failedBefore, random), retryAfter ?? 0)
  return new Date(now.getTime() + wait)
}

/** The 24-hour window runs from the row's creation, or from an operator's re-send of a dead letter. */
export function retryWindowOver(row: { createdAt: Date; resentAt: Date | null }, now: Date): boolean {
  const from = row.resentAt ?? row.createdAt
  return now.getTime() - from.getTime() >= RETRY_WINDOW_MS
}
