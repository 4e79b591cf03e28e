import { contextFor, type Deps } from '../../context.js'
import { writeCheckpoint } from '../audit/write-checkpoint.js'
import { purgeExpired } from './purge-expired.js'

interface Job {
  name: string
  everyMs: number
  run(): Promise<unknown>
}

/**
 * Periodic jobs inside each gateway instance: signed audit checkpoints and the purge. Each job
 * is idempotent, so several instances running them is harmless; a failing job is logged and
 * tried again at its next turn.
 */
export function startScheduler(deps: Deps) {
  const ctx = () => contextFor(deps, { kind: 'system', name: 'scheduler' })
  const jobs: Job[] = [
    {
      name: 'audit-checkpoint',
      everyMs: deps.config.AUDIT_CHECKPOINT_MINUTES * 60_000,
      run: () => writeCheckpoint({ ctx: ctx(), keys: deps.keys }),
    },
    { name: 'purge', everyMs: 3600_000, run: () => purgeExpired({ ctx: ctx() }) },
    { name: 'key-refresh', everyMs: 10_000, run: () => deps.keys.refresh() },
  ]
  const timers = jobs.map((job) =>
    setInterval(() => {
      job.run().catch((err) => deps.log.error({ err, job: job.name }, 'scheduled job failed'))
    }, job.everyMs).unref(),
  )
  return {
    stop: () => {
      for (const t of timers) clearInterval(t)
    },
  }
}
