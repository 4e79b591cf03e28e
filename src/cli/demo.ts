import { parseArgs } from 'node:util'
import { runDemo } from '../modules/demo/run-demo.js'

/**
 * `ADMIN_PASSWORD=… npm run demo [-- --case XF-2026-000001] [--gateway URL]`: the clerk's side of
 * the demo against a running gateway (see src/simulator/README.md, "Demo in three commands").
 */
const USAGE = `usage: ADMIN_PASSWORD=… npm run demo [-- --case CASE_NO] [--gateway URL] [--user NAME] [--pause MS]
  signs in, takes the newest received inbound case (or --case), accepts it, then concludes it.
  --gateway default: $GATEWAY_URL or http://127.0.0.1:8080; --user default admin (password: $ADMIN_PASSWORD)`

let values: { case?: string; gateway?: string; user?: string; pause?: string; help?: boolean }
try {
  ;({ values } = parseArgs({
    strict: true,
    options: {
      case: { type: 'string' },
      gateway: { type: 'string' },
      user: { type: 'string' },
      pause: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }))
} catch (err) {
  console.error(`demo: ${(err as Error).message}\n\n${USAGE}`)
  process.exit(2)
}
const password = process.env.ADMIN_PASSWORD
if (values.help || !password || (values.pause !== undefined && !/^\d+$/.test(values.pause))) {
  if (!values.help && !password)
    console.error('demo: set ADMIN_PASSWORD (the password of the user signing in)\n')
  console.error(USAGE)
  process.exit(2)
}

try {
  await runDemo({
    gatewayUrl: values.gateway ?? (process.env.GATEWAY_URL || 'http://127.0.0.1:8080'),
    password,
    ...(values.user ? { username: values.user } : {}),
    ...(values.case ? { caseNo: values.case } : {}),
    ...(values.pause ? { pauseMs: Number(values.pause) } : {}),
  })
} catch (err) {
  const cause = (err as { cause?: { code?: string } }).cause?.code
  console.error(`demo: ${err instanceof Error ? err.message : String(err)}${cause ? ` (${cause})` : ''}`)
  process.exit(1)
}
