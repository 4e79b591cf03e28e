/**
 * What the fault run proves, checked against the database and what the partners recorded.
 * Each check prints one line with its counts; any failing check fails the run.
 */
import type postgres from 'postgres'
import { openPostgres } from '../../src/db/client.js'
import { verifyAuditChain } from '../../src/modules/audit/verify-chain.js'
import { openFileKeyring } from '../../src/modules/trust/keys/keyring.js'
import type { PartnerName } from '../../src/simulator/index.js'
import { PARTNERS } from '../../src/simulator/index.js'
import { PLAN_EVENTS, type Plan } from './clerk.js'
import type { FaultPartner, SubmittedCase } from './partners.js'

export interface Check {
  name: string
  ok: boolean
  detail: string
}

export interface CheckInput {
  sql: postgres.Sql
  databaseUrl: string
  dataDir: string
  submitted: { c: SubmittedCase; plan: Plan }[]
  /** How many cases the load generator was asked to submit. */
  target: number
  partners: FaultPartner[]
  /** Outbox rows leased by the killed instance at the moment of the SIGKILL. */
  leasedAtKill: string[]
  /** Misaddressed messages sent, and answered 401 wrong_audience (each answer is audited). */
  refusals: { sent: number; answered: number }
}

const MAX_EXAMPLES = 5

export async function runChecks(input: CheckInput): Promise<Check[]> {
  const { sql } = input
  const checks: Check[] = []
  const add = (name: string, problems: string[], detail: string) =>
    checks.push({
      name,
      ok: problems.length === 0,
      detail: problems.length === 0 ? detail : `${detail}; ${problems.slice(0, MAX_EXAMPLES).join('; ')}`,
    })

  // 1. Every case exists exactly once.
  const rows = await sql<
    { partner_region: string; partner_case_no: string; case_no: string; state: string }[]
  >`
    select partner_region, partner_case_no, case_no, state from cases where direction = 'inbound'`
  const byPartnerNo = new Map<string, (typeof rows)[number][]>()
  for (const r of rows) {
    const k = `${r.partner_region}/${r.partner_case_no}`
    byPartnerNo.set(k, [...(byPartnerNo.get(k) ?? []), r])
  }
  {
    const problems: string[] = []
    if (input.submitted.length !== input.target)
      problems.push(`only ${input.submitted.length} of ${input.target} submissions got a receipt`)
    for (const { c } of input.submitted) {
      const found = byPartnerNo.get(`${PARTNERS[c.partner].region}/${c.partnerCaseNo}`) ?? []
      if (found.length !== 1) problems.push(`${c.partnerCaseNo}: ${found.length} cases`)
      else if (found[0]?.case_no !== c.gatewayCaseNo)
        problems.push(`${c.partnerCaseNo}: receipt named ${c.gatewayCaseNo}, stored as ${found[0]?.case_no}`)
    }
    if (rows.length !== input.submitted.length)
      problems.push(`${rows.length} inbound cases stored for ${input.submitted.length} submitted`)
    const per = (p: PartnerName) => input.submitted.filter(({ c }) => c.partner === p).length
    const stored = (p: PartnerName) => rows.filter((r) => r.partner_region === PARTNERS[p].region).length
    add(
      'cases exactly once',
      problems,
      `submitted ${input.submitted.length} (conghua ${per('conghua')}, longmen ${per('longmen')}); stored ${rows.length} (conghua ${stored('conghua')}, longmen ${stored('longmen')})`,
    )
  }

  // 2. Final states as the clerk left them.
  {
    const byCaseNo = new Map(rows.map((r) => [r.case_no, r.state]))
    const problems: string[] = []
    const tally = new Map<string, number>()
    for (const { c, plan } of input.submitted) {
      const state = byCaseNo.get(c.gatewayCaseNo)
      tally.set(`${plan}→${state}`, (tally.get(`${plan}→${state}`) ?? 0) + 1)
      if (state !== PLAN_EVENTS[plan].final)
        problems.push(`${c.gatewayCaseNo} (${plan}) is ${state}, expected ${PLAN_EVENTS[plan].final}`)
    }
    add('final states', problems, [...tally].map(([k, n]) => `${k} ${n}`).join(', '))
  }

  // 3. The outbox is drained: every row delivered with its receipt, in the row and in the evidence.
  const outbox = await sql<
    {
      id: string
      status: string
      partner_case_no: string | null
      case_seq: number | null
      digest: string
      attempts: number
      has_receipt: boolean
      has_evidence: boolean
      last_error: string | null
    }[]
  >`
    select o.id, o.status, c.partner_case_no, o.case_seq, o.digest, o.attempts, o.last_error,
           o.receipt_jws is not null as has_receipt,
           exists (select 1 from messages m
                   where m.direction = 'out' and m.partner_region = o.partner_region and m.jti = o.jti
                     and m.receipt_jws is not null and m.digest = o.digest) as has_evidence
      from outbox o left join cases c on c.id = o.case_id`
  {
    const problems: string[] = []
    const status = new Map<string, number>()
    let attempts = 0
    let retried = 0
    for (const o of outbox) {
      status.set(o.status, (status.get(o.status) ?? 0) + 1)
      attempts += o.attempts
      if (o.attempts > 1) retried++
      if (o.status !== 'delivered') problems.push(`outbox ${o.id} is ${o.status}: ${o.last_error ?? ''}`)
      else if (!o.has_receipt) problems.push(`outbox ${o.id} delivered without a receipt`)
      else if (!o.has_evidence) problems.push(`outbox ${o.id} has no 'out' message with its receipt`)
    }
    add(
      'outbox drained, receipts stored',
      problems,
      `${outbox.length} rows: ${[...status].map(([k, n]) => `${k} ${n}`).join(', ')}; ${attempts} attempts, ${retried} rows needed more than one; every row has its receipt and an 'out' evidence row`,
    )
  }

  // 4. Every event reached its partner, in order, each applied once, and it is what we sent.
  {
    const problems: string[] = []
    const sent = new Map<string, Map<number, string>>()
    for (const o of outbox) {
      if (o.partner_case_no === null || o.case_seq === null) continue
      const m = sent.get(o.partner_case_no) ?? new Map<number, string>()
      m.set(o.case_seq, o.digest)
      sent.set(o.partner_case_no, m)
    }
    let events = 0
    let doubles = 0
    for (const { c, plan } of input.submitted) {
      const partner = input.partners.find((p) => p.name === c.partner)
      const log = partner?.state.applied.get(c.partnerCaseNo)
      const expected = PLAN_EVENTS[plan].ours.length
      const seqs = log?.seqs ?? []
      events += seqs.length
      const inOrder = seqs.every((s, i) => s === i + 1)
      if (!inOrder || seqs.length !== expected) {
        problems.push(`${c.partnerCaseNo}: partner applied seqs [${seqs.join(',')}], expected 1..${expected}`)
        continue
      }
      const ours = sent.get(c.partnerCaseNo)
      for (const s of seqs) {
        if (ours?.get(s) !== log?.digests.get(s))
          problems.push(`${c.partnerCaseNo} #${s}: the partner applied other bytes than the outbox sent`)
      }
    }
    for (const p of input.partners) {
      for (const [key, n] of p.state.effects) {
        if (n > 1) {
          doubles++
          problems.push(`${p.name} applied ${key} ${n} times`)
        }
      }
    }
    const receipts = input.partners
      .map(
        (p) => `${p.name} ${p.counts.receipts.accepted} accepted / ${p.counts.receipts.duplicate} duplicate`,
      )
      .join(', ')
    add(
      'events in order, applied once',
      problems,
      `${events} events applied by the partners, seqs strictly increasing from 1 without gaps, ${doubles} applied twice; receipts signed: ${receipts}`,
    )
  }

  // 5. The partners' own events (correction_submitted) reached the gateway once each.
  {
    const theirs = await sql<{ partner_case_no: string; n: number }[]>`
      select c.partner_case_no, count(*)::int as n from case_events e join cases c on c.id = e.case_id
       where e.side = 'theirs' group by c.partner_case_no`
    const n = new Map(theirs.map((r) => [r.partner_case_no, r.n]))
    const problems: string[] = []
    let expected = 0
    for (const { c, plan } of input.submitted) {
      const want = plan === 'correction' ? 1 : 0
      expected += want
      if ((n.get(c.partnerCaseNo) ?? 0) !== want)
        problems.push(`${c.partnerCaseNo}: ${n.get(c.partnerCaseNo) ?? 0} partner events, expected ${want}`)
    }
    add(
      'partner events once',
      problems,
      `${expected} correction_submitted sent, ${[...n.values()].reduce((a, b) => a + b, 0)} stored`,
    )
  }

  // 6. The rows the killed instance held came back and were delivered.
  {
    const ids = input.leasedAtKill
    const rowsAtKill = ids.length ? outbox.filter((o) => ids.includes(o.id)) : []
    const problems = rowsAtKill.filter((o) => o.status !== 'delivered').map((o) => `${o.id} ${o.status}`)
    if (ids.length === 0) problems.push('the killed instance held no lease at the SIGKILL')
    add(
      'leases of the killed instance recovered',
      problems,
      `${ids.length} rows leased by the killed instance at the SIGKILL, ${rowsAtKill.filter((o) => o.status === 'delivered').length} delivered since`,
    )
  }

  // 7. The audit chain verifies (recomputed, checkpoints checked against the shared keys).
  {
    const database = openPostgres(input.databaseUrl, 2)
    try {
      const keys = await openFileKeyring(input.dataDir, new Date())
      const report = await verifyAuditChain(database.db, keys.allPublicKeys())
      const [refused] = await sql<{ n: number }[]>`
        select count(*)::int as n from audit_entries where action = 'exchange.refused'`
      // Each refusal is audited before it is answered; while PostgreSQL restarts the entry may be
      // lost (logged), and an answer may be lost with a killed instance: audited ≤ sent.
      const audited = refused?.n ?? 0
      const { sent, answered } = input.refusals
      const problems = report.ok
        ? []
        : [`broken at ${report.firstBroken?.seq}: ${report.firstBroken?.reason}`]
      if (audited > sent) problems.push(`${audited} refusals audited, only ${sent} sent`)
      add(
        'audit chain verifies',
        problems,
        `${report.entries} entries (${audited} refusals audited; ${answered} answered 401 of ${sent} sent), ${report.checkpoints} signed checkpoints`,
      )
    } finally {
      await database.close()
    }
  }
  return checks
}
