import cluster from 'node:cluster'
import { ConfigError, loadConfig } from './config.js'
import { createLogger } from './lib/logger.js'
import { runPrimary } from './primary.js'

/**
 * Entry: settings, then either one gateway in this process or, with WORKERS > 1, the cluster
 * primary (primary.ts) whose workers each run one. The gateway's modules are loaded only where
 * a gateway runs, so the primary stays small.
 */
async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>
  try {
    config = loadConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`)
      process.exit(2)
    }
    throw err
  }
  if (config.WORKERS > 1 && cluster.isPrimary) return runPrimary(config, createLogger(config.LOG_LEVEL))
  const log = cluster.isWorker
    ? createLogger(config.LOG_LEVEL).child({ worker: cluster.worker?.id })
    : createLogger(config.LOG_LEVEL)
  const { serveGateway } = await import('./serve-gateway.js')
  await serveGateway(config, log)
}

main().catch((err) => {
  process.stderr.write(`gateway failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
  if (err instanceof Error && err.cause) process.stderr.write(`cause: ${String(err.cause)}\n`)
  process.exit(1)
})
