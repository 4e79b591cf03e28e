import type { Ctx } from '../../context.js'
import type { Accepted } from '../exchange/accept-message.js'
import { caseKey, jtiKey, type PreparedIntake } from './intake-rows.js'
import { writeIntakeBatch } from './write-intake-batch.js'

/** Most messages one transaction takes (a few hundred bind parameters per row and table). */
const MAX_BATCH = 64
/** Batches in flight at once per gateway process: one is written while the next one gathers. */
const LANES = 2

type Alone = (p: PreparedIntake) => Promise<Accepted>

interface Waiting {
  item: PreparedIntake
  resolve: (a: Accepted) => void
  reject: (e: unknown) => void
}

export interface IntakeBatcher {
  submit(item: PreparedIntake): Promise<Accepted>
}

// One batcher per gateway (keyed by its config object, as the calendar cache is): tests run
// several gateways in one process, and they must not share transactions.
const batchers = new WeakMap<object, IntakeBatcher>()

/**
 * Group commit for delegated cases. Each new case costs a transaction of some ten statements;
 * written one by one, the database round trips, not the signatures or the parsing, would
 * limit how many cases a second the gateway takes. Messages that arrive while a transaction is
 * busy wait (never longer than that transaction) and go together into the next one: the same
 * rows as alone, written with one statement per table, one commit, one counters update. With
 * no other message waiting a batch is a single message, so a quiet gateway answers as fast as
 * before.
 *
 * Only plain new cases are batched. A message whose jti was seen, whose case number exists, or
 * that repeats one of its batch's keys, goes alone after its batch (receiveAlone answers
 * retries, duplicates and conflicts); a refusal of its item is its own error. If the batch's
 * transaction fails for any reason (another instance took a jti or a case number meanwhile, a
 * lost connection), nothing of it stays and every message of it goes alone: each gets exactly
 * the answer it would have got by itself.
 */
export function intakeBatcher(ctx: Ctx, alone: Alone): IntakeBatcher {
  let batcher = batchers.get(ctx.config)
  if (!batcher) {
    batcher = createBatcher(alone)
    batchers.set(ctx.config, batcher)
  }
  return batcher
}

function createBatcher(alone: Alone): IntakeBatcher {
  const queue: Waiting[] = []
  // Keys of the messages in batches in flight: a second copy waits for the first to commit.
  const busy = new Set<string>()
  let lanes = 0

  const keysOf = (w: Waiting) => [`j\n${jtiKey(w.item)}`, `c\n${caseKey(w.item)}`]

  const pump = () => {
    while (lanes < LANES && queue.length > 0) {
      const batch: Waiting[] = []
      const taken = new Set<string>()
      for (let i = 0; i < queue.length && batch.length < MAX_BATCH; ) {
        const keys = keysOf(queue[i]!)
        if (keys.some((k) => busy.has(k) || taken.has(k))) {
          i++
          continue
        }
        for (const k of keys) taken.add(k)
        batch.push(queue.splice(i, 1)[0]!)
      }
      if (batch.length === 0) return
      lanes++
      for (const k of taken) busy.add(k)
      void run(batch).finally(() => {
        lanes--
        for (const k of taken) busy.delete(k)
        // Copies that waited for this batch (same jti or case number) are retries or duplicates
        // of what it has just written: they go alone now, all at once, not one per batch.
        for (let i = queue.length - 1; i >= 0; i--) {
          if (keysOf(queue[i]!).some((k) => taken.has(k))) goAlone(queue.splice(i, 1))
        }
        schedulePump()
      })
    }
  }

  const run = async (batch: Waiting[]) => {
    let toAlone: Waiting[]
    try {
      const result = await writeIntakeBatch(batch)
      if (result.accepted.length > 0)
        batch[0]?.item.ctx.metrics?.intakeBatches.observe({}, result.accepted.length)
      batch[0]?.item.ctx.log.debug(
        { messages: batch.length, written: result.accepted.length, alone: result.alone.length },
        'intake batch',
      )
      for (const [w, accepted] of result.accepted) w.resolve(accepted)
      for (const [w, refusal] of result.refused) w.reject(refusal)
      toAlone = result.alone
    } catch (err) {
      batch[0]?.item.ctx.log.warn(
        { err, messages: batch.length },
        'an intake batch failed; each of its messages is written alone',
      )
      toAlone = batch
    }
    goAlone(toAlone)
  }

  // Outside the lanes: these are rare, and each has its own transaction.
  const goAlone = (list: Waiting[]) => {
    for (const w of list) alone(w.item).then(w.resolve, w.reject)
  }

  // A batch forms one turn of the event loop after the message that asks for it: by then every
  // request whose body had arrived has been verified, parsed and queued too. Without the turn,
  // a database that answers without real I/O (PGlite runs in this thread) finishes each
  // transaction before the next request is read, and every batch holds one message.
  let scheduled = false
  const schedulePump = () => {
    if (scheduled) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      pump()
    })
  }

  return {
    submit(item) {
      return new Promise<Accepted>((resolve, reject) => {
        queue.push({ item, resolve, reject })
        schedulePump()
      })
    },
  }
}
