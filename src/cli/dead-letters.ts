import { loadConfig } from '../config.js'
import { contextFor } from '../context.js'
import { isAppError } from '../lib/errors.js'
import { createLogger } from '../lib/logger.js'
import { listDeadLetters } from '../modules/outbox/list-dead-letters.js'
import { resendDeadLetter } from '../modules/outbox/resend-dead-letter.js'
import { resendPartnerDeadLetters } from '../modules/outbox/resend-partner-dead-letters.js'
import { prepare } from '../start.js'

/**
 * `npm run dead-letters -- list [REGION]`        messages whose delivery was given up
 * `npm run dead-letters -- resend ID`             one back in the queue (same jti and payload)
 * `npm run dead-letters -- resend-partner REGION` all of a partner's
 * Re-sends are audited as `outbox.resent` by `system:cli-dead-letters`.
 */
const [command, arg] = process.argv.slice(2)
const usage = 'usage: npm run dead-letters -- list [REGION] | resend ID | resend-partner REGION'
if (!command || !['list', 'resend', 'resend-partner'].includes(command) || (command !== 'list' && !arg)) {
  console.error(usage)
  process.exit(2)
}
const config = loadConfig(process.env)
const deps = await prepare(config, createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL))
const ctx = contextFor(deps, { kind: 'system', name: 'cli-dead-letters' })
try {
  if (command === 'list') {
    const items = await listDeadLetters({ ctx, input: { partner: arg, limit: 1000 } })
    for (const d of items) {
      console.log(
        [
          d.id,
          d.partner,
          d.caseNo ?? '-',
          d.typ,
          `attempts=${d.attempts}`,
          d.createdAt,
          d.lastError ?? '',
        ].join('\t'),
      )
    }
    console.log(`${items.length} dead letter(s)`)
  } else if (command === 'resend') {
    const resent = await resendDeadLetter({ ctx, input: { id: arg as string } })
    console.log(`re-queued ${resent.id} (jti ${resent.jti}) for ${resent.partner}`)
  } else {
    const done = await resendPartnerDeadLetters({ ctx, input: { partner: arg as string } })
    console.log(`re-queued ${done.resent} dead letter(s) for ${done.partner}`)
  }
} catch (err) {
  if (!isAppError(err)) throw err
  console.error(`${err.code}: ${err.message}`)
  process.exitCode = 1
} finally {
  await deps.database.close()
}
