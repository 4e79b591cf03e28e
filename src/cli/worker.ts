import { ConfigError, loadConfig } from '../config.js'
import { createLogger } from '../lib/logger.js'
import { createOutboxWorker } from '../modules/outbox/worker.js'
import { prepare } from '../start.js'

/**
 * `npm run worker`: the outbox delivery worker alone, without the HTTP server — for a deployment
 * that runs gateways with OUTBOX_WORKER_ENABLED=false and delivery elsewhere, or more delivery
 * capacity. Any number may run against one PostgreSQL; SIGTERM/SIGINT stop it cleanly.
 */
let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig(process.env)
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message)
    process.exit(2)
  }
  throw err
}
const log = createLogger(config.LOG_LEVEL)
let running:
  | { deps: Awaited<ReturnType<typeof prepare>>; worker: ReturnType<typeof createOutboxWorker> }
  | undefined
let stopping = false

// Installed before the start-up work, so a SIGTERM that arrives while starting also stops cleanly.
const stop = async (signal: string) => {
  if (stopping) return
  stopping = true
  log.info({ signal }, 'stopping the outbox worker')
  if (running) {
    await running.worker.stop({ waitMs: config.SHUTDOWN_GRACE_SECONDS * 1000 })
    await running.deps.database.close()
  }
  process.exit(0)
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))

const deps = await prepare(config, log)
const worker = createOutboxWorker(deps)
running = { deps, worker }
if (stopping) {
  await deps.database.close()
  process.exit(0)
}
worker.start()
