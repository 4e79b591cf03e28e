/**
 * `npm run demo`: the clerk's side of the demo, through the gateway's own API as a person would
 * use it: sign in, take the newest received inbound case, accept it, conclude it (approved; a
 * waybill for mail delivery), and after each step wait until the event reached the partner.
 */
import { randomInt } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'

export interface DemoOptions {
  gatewayUrl: string
  username?: string
  password: string
  /** A particular case; default: the newest inbound case in state `received`. */
  caseNo?: string
  /** How long to wait for a case to arrive, and for each event to be delivered. */
  waitMs?: number
  /** Pause between steps, so the simulator's output can be read. */
  pauseMs?: number
  print?: (line: string) => void
}

interface CaseView {
  caseNo: string
  partner: string
  partnerCaseNo: string | null
  item: { name: string; partnerCode: string }
  state: string
  applicantName: string
  promisedDate: string | null
  delivery?: { method: string; recipient?: string; address?: string }
  events: {
    seq: number
    side: string
    type: string
    delivery?: { status: string; attempts: number; lastError: string | null }
  }[]
}

export async function runDemo(o: DemoOptions): Promise<{ caseNo: string; state: string }> {
  const print = o.print ?? ((line: string) => process.stdout.write(`${line}\n`))
  const waitMs = o.waitMs ?? 60_000
  const pauseMs = o.pauseMs ?? 2_000
  const base = o.gatewayUrl.replace(/\/+$/, '')
  const username = o.username ?? 'admin'

  const call = async <T>(method: string, path: string, token?: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`)
    return JSON.parse(text) as T
  }

  print(`1. 登录 sign in as ${username} at ${base}`)
  const { token } = await call<{ token: string }>('POST', '/v1/auth/login', undefined, {
    username,
    password: o.password,
  })

  let caseNo = o.caseNo
  const deadline = Date.now() + waitMs
  while (!caseNo) {
    const page = await call<{ items: { caseNo: string }[] }>(
      'GET',
      '/v1/cases?direction=inbound&state=received&limit=1',
      token,
    )
    caseNo = page.items[0]?.caseNo
    if (caseNo) break
    if (Date.now() > deadline)
      throw new Error('no received inbound case: submit one first (npm run partner -- longmen submit)')
    print('   等待新办件 waiting for a received case (npm run partner -- longmen submit)…')
    await sleep(2000)
  }
  let c = await call<CaseView>('GET', `/v1/cases/${caseNo}`, token)
  print(`2. 办件 case ${c.caseNo} from partner ${c.partner} (their no. ${c.partnerCaseNo ?? '-'})`)
  print(
    `   ${c.item.name} (${c.item.partnerCode}), 申请人 applicant ${c.applicantName}, 送达 delivery ${c.delivery?.method ?? '?'}, state ${c.state}`,
  )

  const step = async (label: string, event: Record<string, unknown>) => {
    await sleep(pauseMs)
    const r = await call<{ seq: number; state: string }>('POST', `/v1/cases/${caseNo}/events`, token, event)
    print(`${label} → seq ${r.seq}, state ${r.state}`)
    c = await waitDelivered(r.seq)
    return r
  }
  const waitDelivered = async (seq: number): Promise<CaseView> => {
    const until = Date.now() + waitMs
    for (;;) {
      const view = await call<CaseView>('GET', `/v1/cases/${caseNo}`, token)
      const ev = view.events.find((e) => e.side === 'ours' && e.seq === seq)
      const d = ev?.delivery
      if (d?.status === 'delivered') {
        print(`   已送达对方 delivered to the partner, receipt verified (attempts: ${d.attempts})`)
        return view
      }
      if (d?.status === 'dead' || Date.now() > until) {
        print(
          `   尚未送达 not delivered yet: ${d?.status ?? 'unknown'} ${d?.lastError ?? ''} (is the simulator running?)`,
        )
        return view
      }
      await sleep(500)
    }
  }

  await step('3. 受理 accept', { type: 'accepted', reason: '材料齐全，予以受理' })
  print(`   承诺办结日期 promised date ${c.promisedDate ?? '-'}`)
  const year = new Date().getFullYear()
  const mail = c.delivery?.method === 'mail'
  await step(`4. 办结 conclude (approved${mail ? ', mailed by EMS' : ''})`, {
    type: 'concluded',
    result: {
      outcome: 'approved',
      documentName: '结婚证',
      documentNo: `J440233-${year}-${randomInt(100000, 1000000)}`,
      ...(mail ? { waybill: { carrier: 'EMS', number: `11${randomInt(1e9, 1e10)}` } } : {}),
    },
  })
  print(
    `5. 完成 done: case ${c.caseNo} is ${c.state}; events ${c.events.map((e) => `${e.side}#${e.seq} ${e.type}`).join(', ')}`,
  )
  return { caseNo: c.caseNo, state: c.state }
}
