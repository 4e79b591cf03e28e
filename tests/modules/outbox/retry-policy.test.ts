import { describe, expect, it } from 'vitest'
import {
  BACKOFF_CAP_MS,
  backoffMs,
  nextAttemptAt,
  RETRY_WINDOW_MS,
  retryAfterMs,
  retryWindowOver,
} from '../../../src/modules/outbox/backoff.js'
import { classifyAnswer } from '../../../src/modules/outbox/classify-answer.js'

const now = new Date('2026-11-28T02:00:00Z')
const problemHeaders = (extra: Record<string, string> = {}) =>
  new Headers({ 'Content-Type': 'application/problem+json', ...extra })
const problemBody = (code: string) => JSON.stringify({ status: 0, code, detail: `because ${code}` })

describe('backoff', () => {
  it('draws in [0, min(10 min, 1 s · 2^n)] (full jitter)', () => {
    expect([0, 1, 2, 3, 9, 10, 40].map((n) => backoffMs(n, () => 0.999999))).toEqual([
      999, 1999, 3999, 7999, 511999, 599999, 599999,
    ])
    expect(backoffMs(5, () => 0)).toBe(0)
    for (let i = 0; i < 1000; i++) {
      const v = backoffMs(12)
      expect(v).toBeGreaterThanOrEqual(0)
      expect(v).toBeLessThanOrEqual(BACKOFF_CAP_MS)
    }
  })

  it('reads Retry-After as seconds or an HTTP date, ignores junk, bounds it by the retry window', () => {
    expect(retryAfterMs('120', now)).toBe(120_000)
    expect(retryAfterMs(' 0 ', now)).toBe(0)
    expect(retryAfterMs(new Date(now.getTime() + 90_000).toUTCString(), now)).toBe(90_000)
    expect(retryAfterMs(new Date(now.getTime() - 90_000).toUTCString(), now)).toBe(0)
    expect(retryAfterMs('soon', now)).toBeUndefined()
    expect(retryAfterMs('-5', now)).toBeUndefined()
    expect(retryAfterMs(null, now)).toBeUndefined()
    expect(retryAfterMs('99999999', now)).toBe(RETRY_WINDOW_MS)
  })

  it('takes the larger of the back-off and Retry-After', () => {
    expect(nextAttemptAt(now, 0, 120_000, () => 0.5).getTime() - now.getTime()).toBe(120_000)
    expect(nextAttemptAt(now, 12, 1000, () => 0.5).getTime() - now.getTime()).toBe(300_000)
  })

  it('ends the retry window 24 h after creation, or after an operator’s re-send', () => {
    const createdAt = new Date(now.getTime() - RETRY_WINDOW_MS)
    expect(retryWindowOver({ createdAt, resentAt: null }, now)).toBe(true)
    expect(
      retryWindowOver({ createdAt: new Date(now.getTime() - RETRY_WINDOW_MS + 1), resentAt: null }, now),
    ).toBe(false)
    expect(retryWindowOver({ createdAt, resentAt: new Date(now.getTime() - 1000) }, now)).toBe(false)
  })
})

describe('classifyAnswer', () => {
  it.each([
    [500, 'retry'],
    [502, 'retry'],
    [503, 'retry'],
    [599, 'retry'],
    [408, 'retry'],
    [425, 'retry'],
    [429, 'retry'],
    [301, 'retry'],
    [302, 'retry'],
    [307, 'retry'],
    [308, 'retry'],
    [400, 'dead'],
    [403, 'dead'],
    [404, 'dead'],
    [405, 'dead'],
    [413, 'dead'],
    [415, 'dead'],
    [422, 'dead'],
  ])('HTTP %i → %s', (status, action) => {
    expect(classifyAnswer(status, new Headers(), '', now).action).toBe(action)
  })

  it.each([
    [409, 'sequence_gap', 'retry'],
    [409, 'case_conflict', 'dead'],
    [409, 'replayed_message', 'dead'],
    [409, 'transition_not_allowed', 'dead'],
    [401, 'stale_message', 'retry'],
    [401, 'signature_invalid', 'dead'],
    [401, 'unknown_key', 'dead'],
    [401, 'wrong_audience', 'dead'],
  ])('HTTP %i %s → %s', (status, code, action) => {
    expect(classifyAnswer(status, problemHeaders(), problemBody(code), now).action).toBe(action)
  })

  it('does not take a problem code from a body that is not JSON, or a code of odd shape', () => {
    expect(
      classifyAnswer(409, new Headers({ 'Content-Type': 'text/plain' }), problemBody('sequence_gap'), now)
        .action,
    ).toBe('dead')
    expect(classifyAnswer(409, problemHeaders(), '{"code":"Sequence Gap"}', now)).toMatchObject({
      action: 'dead',
      error: 'HTTP 409',
    })
    expect(classifyAnswer(409, problemHeaders(), '[', now).error).toBe('HTTP 409')
  })

  it('keeps Retry-After and a short, single-line error', () => {
    const v = classifyAnswer(
      429,
      problemHeaders({ 'Retry-After': '30' }),
      JSON.stringify({ code: 'rate_limited', detail: `x\n${'y'.repeat(500)}` }),
      now,
    )
    expect(v.retryAfterMs).toBe(30_000)
    expect(v.error.startsWith('HTTP 429 rate_limited: x y')).toBe(true)
    expect(v.error.length).toBeLessThan(200)
  })
})
