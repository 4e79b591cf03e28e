import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { createApp } from './app.js'
import { ConfigError, loadConfig } from './config.js'
import { createLogger } from './lib/logger.js'
import { prepare } from './start.js'

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
  const log = createLogger(config.LOG_LEVEL)
  const deps = await prepare(config, log)
  const app = createApp(deps)

  let shuttingDown = false
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) =>
    log.info({ port: info.port, database: deps.database.kind }, 'gateway listening'),
  ) as Server
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
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    server.closeIdleConnections()
    const idleSweep = setInterval(() => server.closeIdleConnections(), 100)
    const grace = new Promise<void>((resolve) =>
      setTimeout(resolve, config.SHUTDOWN_GRACE_SECONDS * 1000).unref(),
    )
    await Promise.race([closed, grace])
    clearInterval(idleSweep)
    server.closeAllConnections()
    await deps.database.close()
    log.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

main().catch((err) => {
  process.stderr.write(`gateway failed to start: ${err instanceof Error ? err.message : String(err)}\n`)
  if (err instanceof Error && err.cause) process.stderr.write(`cause: ${String(err.cause)}\n`)
  process.exit(1)
})
