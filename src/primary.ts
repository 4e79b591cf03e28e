import cluster, { type Worker } from 'node:cluster'
import type { Config } from './config.js'
import type { Logger } from './lib/logger.js'

/** A replacement for a worker that died starts after this pause, so a crash loop does not spin. */
const RESTART_DELAY_MS = 1_000
/** The longest a stop waits for workers (each has its own 9.5 s hard stop) before killing them. */
const STOP_TIMEOUT_MS = 12_000

/**
 * The cluster primary when WORKERS > 1: it serves nothing and opens no database. It forks the
 * gateway processes, which share the listening port (the primary hands out connections in turn),
 * and each of which is a whole instance: its own pool, outbox worker and scheduler, all safe to
 * run several times against one database (leases with SKIP LOCKED, idempotent jobs).
 *
 * The first worker starts alone, so the migration and the first-start data (sample catalogue,
 * administrator, gateway key) are made once; the others follow once it listens. A worker that
 * dies later is replaced; one that fails before it listens (the first, or a replacement) stops
 * them all (exit 1), since its siblings would fail the same way: a crash loop is the
 * orchestrator's to see, not ours to hide. SIGTERM/SIGINT are passed on to every worker, each
 * drains its requests as a single-process gateway would, and the primary exits when all have.
 */
export function runPrimary(config: Config, log: Logger): void {
  let stopping = false
  let failed = false
  const listening = new Set<Worker>()

  const fork = (): Worker => {
    const worker = cluster.fork()
    worker.once('listening', () => {
      listening.add(worker)
      if (listening.size === 1 && Object.keys(cluster.workers ?? {}).length === 1) {
        for (let i = 1; i < config.WORKERS; i++) fork()
      }
    })
    return worker
  }

  cluster.on('exit', (worker, code, signal) => {
    const everListened = listening.delete(worker)
    if (stopping) {
      // A worker still starting when the stop came has no handler yet: our SIGTERM ends it, and
      // it had taken no request.
      if (code !== 0 && !(signal === 'SIGTERM' && !everListened)) failed = true
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0)
      return
    }
    if (!everListened) {
      log.error({ pid: worker.process.pid, code, signal }, 'a gateway process failed to start; stopping')
      failed = true
      void stop('worker start failure')
      return
    }
    log.error({ pid: worker.process.pid, code, signal }, 'a gateway process died; starting another')
    setTimeout(() => {
      if (!stopping) fork()
    }, RESTART_DELAY_MS).unref()
  })

  const stop = async (reason: string) => {
    if (stopping) return
    stopping = true
    log.info({ reason, workers: Object.keys(cluster.workers ?? {}).length }, 'stopping the gateway processes')
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined)
    if (alive.length === 0) process.exit(failed ? 1 : 0)
    for (const w of alive) w.process.kill('SIGTERM')
    setTimeout(() => {
      log.error('gateway processes did not stop in time; killing them')
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL')
      process.exit(1)
    }, STOP_TIMEOUT_MS).unref()
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))

  log.info({ workers: config.WORKERS }, 'starting the gateway processes')
  fork()
}
