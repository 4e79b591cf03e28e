import { retryAfterMs } from './backoff.js'

/** What a partner's non-2xx answer means for the message: try again later, or dead-letter now. */
export interface Verdict {
  action: 'retry' | 'dead'
  /** Short and safe to store in last_error: status, the problem code and a clipped detail. */
  error: string
  /** The partner's Retry-After, when it sent one. */
  retryAfterMs?: number
}

/** Status codes exchange-protocol-v1 ("Delivery by the sender") retries. */
const RETRIED = new Set([408, 425, 429])

/** Problem codes that come with a non-retried status but which the protocol's error table retries. */
const RETRIED_CODES: Record<number, readonly string[]> = {
  409: ['sequence_gap'], // "an earlier event of the case is missing": send again after it
  401: ['stale_message'], // "yes, re-signed": every attempt is signed afresh with a new iat
}

/**
 * Classifies an answer that is not a 2xx (a 2xx is settled by its receipt).
 *
 * - 408, 425, 429, 5xx, and 409 `sequence_gap` / 401 `stale_message`: retried.
 * - A 3xx is never followed (redirect: 'manual'). It is a failure, and retried: the protocol
 *   speaks of 4xx only when it forbids retries, and a redirect usually means a moved endpoint or
 *   a proxy in front of it, which the operator fixes in the agreement (the next attempt uses the
 *   new endpoint) — retrying for the 24 h window gives them that time, and the row's last_error
 *   says what happened.
 * - Every other 4xx: dead-lettered at once; the same message would be refused again.
 * - Anything else (1xx leaking through, non-standard codes): retried, like a receiver fault.
 */
export function classifyAnswer(status: number, headers: Headers, body: string, now: Date): Verdict {
  const retryAfter = retryAfterMs(headers.get('retry-after'), now)
  const withRetryAfter = (v: Verdict): Verdict =>
    retryAfter === undefined ? v : { ...v, retryAfterMs: retryAfter }
  if (status >= 300 && status < 400) {
    return withRetryAfter({ action: 'retry', error: `HTTP ${status} redirect not followed` })
  }
  const problem = readProblem(headers, body)
  const label = `HTTP ${status}${problem.code ? ` ${problem.code}` : ''}${problem.detail ? `: ${problem.detail}` : ''}`
  if (status >= 400 && status < 500) {
    const retried =
      RETRIED.has(status) || (problem.code !== undefined && RETRIED_CODES[status]?.includes(problem.code))
    return retried ? withRetryAfter({ action: 'retry', error: label }) : { action: 'dead', error: label }
  }
  return withRetryAfter({ action: 'retry', error: label })
}

/** The problem+json `code` and a clipped `detail`, when the body is one; never trusts its shape. */
function readProblem(headers: Headers, body: string): { code?: string; detail?: string } {
  const type = headers.get('content-type') ?? ''
  if (!/json/i.test(type) || body.length === 0) return {}
  try {
    const parsed = JSON.parse(body) as unknown
    if (typeof parsed !== 'object' || parsed === null) return {}
    const { code, detail } = parsed as Record<string, unknown>
    return {
      ...(typeof code === 'string' && /^[a-z][a-z0-9_]{0,63}$/.test(code) ? { code } : {}),
      ...(typeof detail === 'string' && detail.length > 0 ? { detail: clip(detail, 160) } : {}),
    }
  } catch {
    return {}
  }
}

export function clip(text: string, max: number): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ')
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}
