import { randomInt } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { beijingDate } from '../lib/clock.js'
import { TRANSITIONS } from '../modules/cases/lifecycle.js'
import type { CanonicalStatus } from '../modules/formats/canonical.js'
import { formatBeijing } from '../modules/formats/shared/times.js'
import { describeStatus, note } from './describe.js'
import type { PartnerEnv } from './env.js'
import { sendWithRetry } from './send.js'

type Step = Omit<CanonicalStatus, 'caseNo' | 'peerCaseNo' | 'seq' | 'occurredAt'>

/**
 * `serve --auto-handle`: the simulator answers a case the gateway sent it as its handler would:
 * `received` (seq 1, with its own case number), `accepted` with a promised date, then `concluded`
 * (approved; a waybill only for mail delivery), `delayMs` apart, each signed and its receipt checked.
 */
export async function autoHandle(env: PartnerEnv, gatewayCaseNo: string, delayMs = 1000): Promise<void> {
  const { profile } = env
  const handler = { dept: profile.dept, name: profile.clerk.name }
  const steps: ((delivery: string) => Step)[] = [
    () => ({ type: 'received', handler }),
    () => ({
      type: 'accepted',
      handler,
      reason: '材料齐全，予以受理',
      promisedDate: addWorkingDays(env.now(), profile.outbound.promisedDays),
    }),
    (delivery) => ({
      type: 'concluded',
      handler,
      reason: '准予办理',
      result: {
        outcome: 'approved',
        documentName: '办理结果通知书',
        documentNo: `${profile.caseNoPrefix}-${beijingDate(env.now()).slice(0, 4)}-${randomInt(100000, 1000000)}`,
        ...(delivery === 'mail' ? { waybill: { carrier: 'EMS', number: `11${randomInt(1e9, 1e10)}` } } : {}),
      },
    }),
  ]
  for (const step of steps) {
    await sleep(delayMs)
    const record = env.state.case(gatewayCaseNo)
    if (!record || record.state === 'withdrawn') {
      env.print(
        note(profile, `${gatewayCaseNo} 已撤回，停止办理`, `${gatewayCaseNo} was withdrawn: stopping`).join(
          '\n',
        ),
      )
      return
    }
    const seq = record.sentSeq + 1
    const status: CanonicalStatus = {
      caseNo: gatewayCaseNo,
      peerCaseNo: record.ownCaseNo,
      seq,
      occurredAt: formatBeijing(Math.floor(env.now().getTime() / 1000) * 1000),
      ...step(record.delivery),
    }
    const delivered = await sendWithRetry(env, 'status', profile.format.renderStatus(status))
    env.state.putCase(gatewayCaseNo, { ...record, sentSeq: seq, state: TRANSITIONS[status.type].to })
    const lines = describeStatus(profile, { zh: '发送', en: 'sent' }, gatewayCaseNo, status)
    const r = delivered.receipt
    lines.push(
      ...note(profile, `  回执已验证 ${r.outcome}`, `  receipt verified: ${r.outcome}, ref ${r.ref}`),
    )
    env.print(lines.join('\n'))
  }
}

/** `days` working days (Monday to Friday) after `from`, Beijing calendar, as YYYY-MM-DD. */
export function addWorkingDays(from: Date, days: number): string {
  const d = new Date(`${beijingDate(from)}T00:00:00Z`)
  let left = days
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1)
    const wd = d.getUTCDay()
    if (wd !== 0 && wd !== 6) left--
  }
  return d.toISOString().slice(0, 10)
}
