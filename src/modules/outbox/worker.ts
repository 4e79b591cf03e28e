import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { setTimeout as sleep } from 'node:timers/promises'
import { contextFor, type Deps } from '../../context.js'
import type { Logger } from '../../lib/logger.js'
import { createAddressGuard, type Lookup } from './address-guard.js'
import { claimDue } from './claim-due.js'
import { type DeliveryEnv, type DeliveryOutcome, deliverOne, fail } from './deliver-one.js'
import { type DeliveryAgreement, deliveryAgreement } from './delivery-agreement.js'
import { createDeliveryClient } from './delivery-client.js'
import { type OutboxRow, releaseLeases } from './repository.js'

export interface OutboxWorkerOptions {
  instanceId?: string
  /** Defaults: OUTBOX_POLL_MS, OUTBOX_BATCH, OUTBOX_CONCURRENCY, OUTBOX_LEASE_SECONDS, DELIVERY_TIMEOUT_MS. */
  pollMs?: number
  batch?: number
  concurrency?: number
  leaseMs?: number
  timeoutMs?: number
  /** Seams for tests: the HTTP client's fetch, the guard's DNS, the jitter, the log. */
  fetch?: typeof globalThis.fetch
  lookup?: Lookup
  random?: () => number
  log?: Logger
}

export type BatchCounts = Record<'claimed' | DeliveryOutcome, number>

export interface OutboxWorker {
  readonly instanceId: string
  /** Polls until stop(): every pollMs when idle, at once again after a full batch. */
  start(): void
  /** Stops polling, waits up to `waitMs` for sends in flight (then aborts them), releases its leases. */
  stop(options?: { waitMs?: number }): Promise<void>
  /** One round: claim a batch and deliver it. For tests and the CLI. */
  runOnce(): Promise<BatchCounts>
}

/** The outbox delivery worker. Several may run against one database (see claim-due.ts). */
export function createOutboxWorker(deps: Deps, options: OutboxWorkerOptions = {}): OutboxWorker {
  const { config } = deps
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
  const pollMs = options.pollMs ?? config.OUTBOX_POLL_MS
  const batch = options.batch ?? config.OUTBOX_BATCH
  const concurrency = options.concurrency ?? config.OUTBOX_CONCURRENCY
  const leaseMs = options.leaseMs ?? config.OUTBOX_LEASE_SECONDS * 1000
  const timeoutMs = options.timeoutMs ?? config.DELIVERY_TIMEOUT_MS
  const log = (options.log ?? deps.log).child({ component: 'outbox', instanceId })
  const ctx = { ...contextFor(deps, { kind: 'system', name: 'outbox-worker' }), log }
  const client = createDeliveryClient({
    timeoutMs,
    guard: createAddressGuard({
      allowInsecure: config.ALLOW_INSECURE_ENDPOINTS,
      ...(options.lookup ? { lookup: options.lookup } : {}),
    }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  })
  // The least lease an attempt may start with (see deliverBatch); at most half the lease, so a
  // misconfigured lease shorter than the timeout still lets the first rows of a batch go.
  const minLeaseLeftMs = Math.min(timeoutMs + 1000, leaseMs / 2)
  if (leaseMs <= timeoutMs + 5000) {
    // A lease shorter than an attempt lets another instance re-send a row still in flight.
    log.warn({ leaseMs, timeoutMs }, 'OUTBOX_LEASE_SECONDS should exceed DELIVERY_TIMEOUT_MS by some seconds')
  }

  let running = false
  let stopping = false
  let abort = new AbortController()
  let loop: Promise<void> | undefined
  let wake: AbortController | undefined
  const rounds = new Set<Promise<unknown>>()

  const deliverBatch = async (rows: OutboxRow[]): Promise<BatchCounts> => {
    const counts: BatchCounts = { claimed: rows.length, delivered: 0, retry: 0, dead: 0, lost: 0 }
    const agreements = new Map<string, Promise<DeliveryAgreement | undefined>>()
    const env: DeliveryEnv = {
      ctx,
      client,
      instanceId,
      stopSignal: abort.signal,
      ...(options.random ? { random: options.random } : {}),
      agreementFor: (region) => {
        let found = agreements.get(region)
        if (!found) {
          found = deliveryAgreement(ctx.db, region, ctx.clock.now())
          agreements.set(region, found)
        }
        return found
      },
    }
    let next = 0
    const lapsing: string[] = []
    const lane = async () => {
      // Rows not started when a stop comes are left to stop(), which releases their leases.
      while (next < rows.length && !stopping) {
        const row = rows[next++] as OutboxRow
        // A batch of slow partners can take longer than the lease. A row whose lease would lapse
        // during its attempt is not started: another instance may claim it once the lease is
        // over, and two sends of one row at once is what the lease is there to prevent.
        if (row.leaseUntil && row.leaseUntil.getTime() - ctx.clock.now().getTime() < minLeaseLeftMs) {
          lapsing.push(row.id)
          continue
        }
        counts[await attempt(env, row)] += 1
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane))
    if (lapsing.length > 0) {
      // Claimable again at once (by any instance), rather than when the lease lapses.
      await releaseLeases(ctx.db, instanceId, lapsing).catch(() => 0)
      log.debug({ rows: lapsing.length }, 'rows left for the next claim: their lease was running out')
    }
    return counts
  }

  const attempt = async (env: DeliveryEnv, row: OutboxRow): Promise<DeliveryOutcome> => {
    let outcome: DeliveryOutcome
    try {
      outcome = await deliverOne(env, row)
    } catch (err) {
      // Our own fault (database, signing key): count it as a failed attempt so the row backs off.
      log.error({ err, outboxId: row.id }, 'delivery attempt failed inside the gateway')
      outcome = await fail(env, row, { action: 'retry', error: 'internal error in the gateway' }).catch(
        () => 'lost' as const,
      )
    }
    deps.metrics.deliveries.inc({ partner: row.partnerRegion, result: outcome })
    return outcome
  }

  const runOnce = async (): Promise<BatchCounts> => {
    const round = (async () => {
      const rows = await claimDue(ctx.db, { now: ctx.clock.now(), instanceId, leaseMs, limit: batch })
      return deliverBatch(rows)
    })()
    rounds.add(round)
    try {
      return await round
    } finally {
      rounds.delete(round)
    }
  }

  const pollLoop = async () => {
    let failures = 0
    while (running) {
      let full = false
      try {
        const counts = await runOnce()
        full = counts.claimed >= batch
        failures = 0
        if (counts.claimed > 0) log.debug(counts, 'outbox round')
      } catch (err) {
        failures += 1
        log.error({ err }, 'outbox round failed (database unreachable?)')
      }
      if (!running || full) continue
      wake = new AbortController()
      const wait = failures > 0 ? Math.min(pollMs * 2 ** failures, 30_000) : pollMs
      await sleep(wait, undefined, { signal: wake.signal }).catch(() => {})
    }
  }

  return {
    instanceId,
    runOnce,
    start() {
      if (running) return
      running = true
      stopping = false
      abort = new AbortController()
      loop = pollLoop()
      log.info({ pollMs, batch, concurrency, leaseMs, timeoutMs }, 'outbox worker started')
    },
    async stop({ waitMs = 5000 } = {}) {
      running = false
      stopping = true
      wake?.abort()
      const settled = Promise.allSettled([loop, ...rounds])
      const timer = sleep(waitMs, 'timeout' as const, { ref: false })
      if ((await Promise.race([settled, timer])) === 'timeout') {
        abort.abort()
        await Promise.race([settled, sleep(2000, undefined, { ref: false })])
      }
      const released = await releaseLeases(ctx.db, instanceId).catch((err: unknown) => {
        log.error({ err }, 'could not release outbox leases; they lapse on their own')
        return 0
      })
      log.info({ released }, 'outbox worker stopped')
    },
  }
}
