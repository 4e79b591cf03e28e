import { Hono, type MiddlewareHandler } from 'hono'
import type { Deps } from '../context.js'
import { AppError } from '../lib/errors.js'
import { queueGauges } from '../modules/outbox/report-queries.js'

/** Counts and times every request by its route pattern (never the raw path: ids would explode the series). */
export function httpMetrics(deps: Deps): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    try {
      await next()
    } finally {
      const route =
        c.req.routePath && c.req.routePath !== '*' && c.req.routePath !== '/*' ? c.req.routePath : 'unmatched'
      const labels = { method: c.req.method, route }
      deps.metrics.httpRequests.inc({ ...labels, status: String(c.res.status) })
      deps.metrics.httpDuration.observe(labels, (performance.now() - started) / 1000)
    }
  }
}

/** Gauges read at scrape time from the database and the process. */
export function registerGauges(deps: Deps): void {
  const { metrics, database, config } = deps
  metrics.gauge('kytb_outbox_pending', 'Messages waiting for delivery, per partner', async () =>
    (await queueGauges(database.db))
      .filter((r) => r.status === 'pending')
      .map((r) => ({ labels: { partner: r.partnerRegion }, value: r.rows })),
  )
  metrics.gauge(
    'kytb_outbox_oldest_pending_seconds',
    'Age of the oldest pending message, per partner',
    async () => {
      const now = deps.clock.now().getTime()
      return (await queueGauges(database.db))
        .filter((r) => r.status === 'pending' && r.oldest)
        .map((r) => ({
          labels: { partner: r.partnerRegion },
          value: Math.round((now - (r.oldest as Date).getTime()) / 1000),
        }))
    },
  )
  metrics.gauge('kytb_outbox_dead', 'Dead letters, per partner', async () =>
    (await queueGauges(database.db))
      .filter((r) => r.status === 'dead')
      .map((r) => ({ labels: { partner: r.partnerRegion }, value: r.rows })),
  )
  metrics.gauge('kytb_db_up', 'Whether the database answers', async () => {
    try {
      await database.ping()
      return [{ labels: { kind: database.kind }, value: 1 }]
    } catch {
      return [{ labels: { kind: database.kind }, value: 0 }]
    }
  })
  metrics.gauge('kytb_db_pool_max', 'Database connections this instance may open', async () => [
    { value: database.kind === 'postgres' ? config.DATABASE_POOL_SIZE : 1 },
  ])
  metrics.gauge('kytb_process_resident_memory_bytes', 'Resident memory of this instance', async () => [
    { value: process.memoryUsage().rss },
  ])
  metrics.gauge('kytb_process_heap_used_bytes', 'V8 heap in use', async () => [
    { value: process.memoryUsage().heapUsed },
  ])
}

/** GET /metrics in Prometheus text format; with METRICS_TOKEN set, only for `Authorization: Bearer <it>`. */
export function metricsRoutes(deps: Deps) {
  const app = new Hono()
  app.get('/metrics', async (c) => {
    const token = deps.config.METRICS_TOKEN
    if (token && c.req.header('authorization') !== `Bearer ${token}`) {
      throw new AppError('unauthenticated', 'Metrics need the configured bearer token')
    }
    return c.body(await deps.metrics.render(), 200, {
      'Content-Type': 'text/plain; version=0.0.4; charset=utf-8',
    })
  })
  return app
}
