/**
 * The Xinfeng clerk of the fault run, through the gateway's API as the console would use it:
 * accept and conclude most cases, ask for a correction on some (and accept once the partner has
 * sent it), reject a few. Requests alternate between the instances. A request that fails
 * (instance killed, database restarting) is retried on the other instance; for an event, the
 * case is read first, because the failed request may have committed before its answer was lost.
 */
import { randomInt } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { SubmittedCase } from './partners.js'
import type { Deadline } from './profiles.js'

export type Plan = 'normal' | 'correction' | 'reject'

/** What each plan leaves: our events in order, and the final state. */
export const PLAN_EVENTS: Record<Plan, { ours: string[]; final: string }> = {
  normal: { ours: ['received', 'accepted', 'concluded'], final: 'concluded' },
  correction: { ours: ['received', 'correction_requested', 'accepted', 'concluded'], final: 'concluded' },
  reject: { ours: ['received', 'rejected'], final: 'rejected' },
}

/** 6 % correction round trips, 4 % rejections, the rest accepted and concluded. */
export function planOf(index: number): Plan {
  const r = index % 50
  return r < 3 ? 'correction' : r < 5 ? 'reject' : 'normal'
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what} answered ${status}: ${body.slice(0, 300)}`)
  }
}

interface CaseView {
  state: string
  events: { side: string; seq: number; type: string }[]
}

export interface ClerkCounts {
  events: number
  /** Requests that failed and were retried, by reason. */
  retries: Map<string, number>
  /** Events whose request failed but that had been recorded all the same. */
  committedDespiteFailure: number
}

/** A small pool: at most `n` requests in flight. */
export class Limiter {
  private active = 0
  private readonly queue: (() => void)[] = []
  constructor(private readonly n: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.n) await new Promise<void>((resolve) => this.queue.push(resolve))
    this.active++
    try {
      return await fn()
    } finally {
      this.active--
      this.queue.shift()?.()
    }
  }
}

export function createClerk(o: { urls: string[]; password: string; username: string; inFlight: number }) {
  const counts: ClerkCounts = { events: 0, retries: new Map(), committedDespiteFailure: 0 }
  const limiter = new Limiter(o.inFlight)
  let token = ''
  let turn = 0
  const bump = (k: string) => counts.retries.set(k, (counts.retries.get(k) ?? 0) + 1)

  /** One request to one instance. Network errors throw; any HTTP answer is returned. */
  const request = async (url: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    })
    return { status: res.status, text: await res.text() }
  }

  const transient = (status: number) => status >= 500 || status === 429 || status === 408

  /** A read (or an idempotent call), retried on network errors and 5xx across the instances. */
  const call = async <T>(method: string, path: string, deadline: Deadline, body?: unknown): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      const url = o.urls[turn++ % o.urls.length] as string
      let failure: string
      try {
        const r = await limiter.run(() => request(url, method, path, body))
        if (r.status >= 200 && r.status < 300) return (r.text ? JSON.parse(r.text) : undefined) as T
        if (!transient(r.status)) throw new ApiError(r.status, r.text, `${method} ${path}`)
        failure = `HTTP ${r.status}`
      } catch (err) {
        if (err instanceof ApiError) throw err
        failure = networkReason(err)
      }
      bump(failure)
      if (Date.now() > deadline.until) throw new Error(`${method} ${path}: gave up (${failure})`)
      await sleep(Math.random() * Math.min(4000, 200 * 2 ** Math.min(attempt, 8)))
    }
  }

  /**
   * A clerk's event. Not idempotent at the API (a second `accepted` is a state conflict), so
   * after a failed request the case is read: if the event is there, it was recorded.
   */
  const event = async (
    caseNo: string,
    /** How many of our events the case has before this one (the clerk knows its own work). */
    known: number,
    body: { type: string } & Record<string, unknown>,
    deadline: Deadline,
  ) => {
    const path = `/v1/cases/${caseNo}/events`
    for (let attempt = 0; ; attempt++) {
      const url = o.urls[turn++ % o.urls.length] as string
      let failure: string
      try {
        const r = await limiter.run(() => request(url, 'POST', path, body))
        if (r.status === 201 || r.status === 200) {
          counts.events++
          return
        }
        if (!transient(r.status)) throw new ApiError(r.status, r.text, `POST ${path} ${body.type}`)
        failure = `HTTP ${r.status}`
      } catch (err) {
        if (err instanceof ApiError) throw err
        failure = networkReason(err)
      }
      bump(failure)
      if (Date.now() > deadline.until) throw new Error(`POST ${path} ${body.type}: gave up (${failure})`)
      await sleep(Math.random() * Math.min(4000, 200 * 2 ** Math.min(attempt, 8)))
      const ours = (await call<CaseView>('GET', `/v1/cases/${caseNo}`, deadline)).events.filter(
        (e) => e.side === 'ours',
      )
      if (ours.length === known + 1 && ours.at(-1)?.type === body.type) {
        counts.committedDespiteFailure++
        counts.events++
        return
      }
      if (ours.length !== known) {
        throw new Error(
          `case ${caseNo}: expected ${known} of our events before ${body.type}, found ${ours.length}`,
        )
      }
    }
  }

  const conclude = (c: SubmittedCase) => {
    const year = new Date().getFullYear()
    return {
      type: 'concluded',
      result: {
        outcome: 'approved',
        documentName: '结婚证',
        documentNo: `J440233-${year}-${randomInt(100000, 1000000)}`,
        ...(c.delivery === 'mail'
          ? { waybill: { carrier: 'EMS', number: `11${randomInt(1e9, 1e10 - 1)}` } }
          : {}),
      },
    }
  }

  return {
    counts,
    async login(deadline: Deadline) {
      token = ''
      const r = await call<{ token: string }>('POST', '/v1/auth/login', deadline, {
        username: o.username,
        password: o.password,
      })
      token = r.token
    },
    call,
    /**
     * Works one case to its end. `partnerCorrection` is the partner's side of the correction
     * round trip: it waits until the request reached the partner, then sends the materials.
     */
    async work(
      c: SubmittedCase,
      plan: Plan,
      deadline: Deadline,
      partnerCorrection: (c: SubmittedCase) => Promise<void>,
    ) {
      const no = c.gatewayCaseNo
      // Our event #1 (received) was sent by the gateway at intake.
      if (plan === 'reject') {
        await event(no, 1, { type: 'rejected', reason: '不符合受理条件（故障演练）' }, deadline)
        return
      }
      let known = 1
      if (plan === 'correction') {
        await event(
          no,
          known++,
          {
            type: 'correction_requested',
            reason: '户口簿页不清晰，请补正',
            correction: [{ code: 'M02', name: '户口簿', note: '户主页清晰扫描件' }],
          },
          deadline,
        )
        await partnerCorrection(c)
      }
      await event(no, known++, { type: 'accepted', reason: '材料齐全，予以受理' }, deadline)
      await event(no, known++, conclude(c), deadline)
    },
  }
}

export type Clerk = ReturnType<typeof createClerk>

function networkReason(err: unknown): string {
  const e = err as { name?: string; cause?: { code?: string } }
  if (e?.name === 'TimeoutError') return 'timeout'
  return e?.cause?.code ?? (err instanceof Error ? err.message.slice(0, 40) : 'network')
}
