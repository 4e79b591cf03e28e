import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { createApp } from './app.js'
import type { Config } from './config.js'
import type { Logger } from './lib/logger.js'
import { startScheduler } from './modules/maintenance/scheduler.js'
import { createOutboxWorker } from './modules/outbox/worker.js'
import { prepare } from './start.js'

/** How long a stop keeps serving before it closes connections (see `stop`). */
const DRAIN_MS = 1_000

/**
 * One gateway instance: database, HTTP server, outbox worker and scheduler, with the graceful
 * stop on SIGTERM/SIGINT. main.ts runs it in the process itself, or in each cluster worker.
 */
export async function serveGateway(config: Config, log: Logger): Promise<void> {
  const deps = await prepare(config, log)
  const app = createApp(deps)

  let shuttingDown = false
  // Only the outbox worker talks to partners; it starts once the gateway is serving.
  let scheduler: ReturnType<typeof startScheduler> | undefined
  const worker = config.OUTBOX_WORKER_ENABLED ? createOutboxWorker(deps) : undefined
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    log.info({ port: info.port, database: deps.database.kind }, 'gateway listening')
    worker?.start()
    scheduler = startScheduler(deps)
  }) as Server
  // While stopping, tell keep-alive clients to reconnect elsewhere rather than reuse this socket.
  server.on('request', (_req, res) => {
    if (shuttingDown) res.setHeader('Connection', 'close')
  })

  const stop = async (signal: string) => {
    if (shuttingDown) return
    shuttingDown = true
    log.info({ signal }, 'stopping: no new connections, finishing in-flight requests')
    const hardStop = setTimeout(() => {
      log.error('in-flight requests did not finish in time; exiting')
      process.exit(1)
    }, 9_500)
    hardStop.unref()
    const graceMs = config.SHUTDOWN_GRACE_SECONDS * 1000
    const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref())
    // The worker finishes (or abandons, within the hard stop) its sends and releases its leases
    // while requests drain; the database closes only after it.
    scheduler?.stop()
    const workerStopped = worker?.stop({ waitMs: Math.min(graceMs, 6_000) })
    // Keep serving briefly before closing anything. server.close() at once closes every
    // keep-alive connection that looks idle, including one whose next request the client sent
    // just before the signal and we have not read yet: that request would be reset. Meanwhile
    // each response says `Connection: close` (above), so busy connections leave on their own.
    await new Promise<void>((resolve) => setTimeout(resolve, Math.min(DRAIN_MS, graceMs)).unref())
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeIdleConnections()
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100)
    await Promise.race([closed, grace])
    clearInterval(idleSweep)
    server.closeAllConnections()
    await workerStopped
    await deps.database.close()
    log.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}
