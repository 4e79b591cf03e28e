/**
 * The simulated counties of the fault run: the real simulator (src/simulator) in-process, with
 * two additions that stay in this file:
 *
 * - its state is kept in memory (the simulator's JSON file is re-read and rewritten on every
 *   message, which is fine for a demo and far too slow for 10,000 cases), and every status
 *   event it applies is recorded: per case, the seqs in the order they were applied, and how
 *   many times each (case, seq) took effect;
 * - the receipts it signs are counted by outcome (`accepted` / `duplicate`).
 *
 * The partner also plays the originator: it submits cases and correction_submitted events with
 * the protocol's retries (same jti and payload, re-signed), alternating between the gateways.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { CanonicalCase, CanonicalStatus } from '../../src/modules/formats/canonical.js'
import { formatBeijing } from '../../src/modules/formats/shared/times.js'
import type { Signer } from '../../src/modules/trust/envelope/index.js'
import { caseFromSample, generatedCase, sampleBytes, textMaterial } from '../../src/simulator/cases.js'
import { type PartnerEnv, partnerJti } from '../../src/simulator/env.js'
import {
  createGatewayTrust,
  type Delivered,
  GatewayRefusal,
  PARTNERS,
  type PartnerName,
  type Simulator,
  sendToGateway,
  startSimulator,
} from '../../src/simulator/index.js'
import { type CaseRecord, PartnerState } from '../../src/simulator/state.js'
import type { Deadline } from './profiles.js'

type StateFile = ReturnType<PartnerState['read']>

/** What the partner saw of one case: the seqs of the gateway's events, in the order it applied them. */
export interface AppliedLog {
  seqs: number[]
  digests: Map<number, string>
}

/** The simulator's state, in memory, recording each applied event. */
export class RecordingState extends PartnerState {
  private readonly mem: StateFile = { cases: {}, inbox: {} }
  /** Keyed by the originator's case number (the partner's own number for the cases it submitted). */
  readonly applied = new Map<string, AppliedLog>()
  /** (case, seq) → how many times it took effect. More than 1 is a double effect. */
  readonly effects = new Map<string, number>()
  private readonly waiters = new Map<string, (() => void)[]>()

  override read(): StateFile {
    return this.mem
  }

  override update<T>(change: (s: StateFile) => T): T {
    // No file, and no inbox trimming: every message id is remembered for the whole run.
    return change(this.mem)
  }

  override putCase(
    caseNo: string,
    patch: Partial<CaseRecord> & Pick<CaseRecord, 'role' | 'ownCaseNo'>,
  ): CaseRecord {
    const before = Object.hasOwn(this.mem.cases, caseNo) ? this.mem.cases[caseNo] : undefined
    const after = super.putCase(caseNo, patch)
    const from = before?.receivedSeq ?? 0
    if (after.receivedSeq !== from) {
      // The simulator applied one event of the gateway (onStatus is the only writer of receivedSeq).
      const seq = after.receivedSeq
      let log = this.applied.get(caseNo)
      if (!log) {
        log = { seqs: [], digests: new Map() }
        this.applied.set(caseNo, log)
      }
      log.seqs.push(seq)
      log.digests.set(seq, after.receivedDigests[String(seq)] ?? '')
      const key = `${caseNo}#${seq}`
      this.effects.set(key, (this.effects.get(key) ?? 0) + 1)
      for (const wake of this.waiters.get(key) ?? []) wake()
      this.waiters.delete(key)
    }
    return after
  }

  /** Resolves once the gateway's event `seq` of `caseNo` has been applied here. */
  whenApplied(caseNo: string, seq: number): Promise<void> {
    if (this.applied.get(caseNo)?.seqs.includes(seq)) return Promise.resolve()
    const key = `${caseNo}#${seq}`
    return new Promise((resolve) => {
      const list = this.waiters.get(key) ?? []
      list.push(resolve)
      this.waiters.set(key, list)
    })
  }
}

export interface SubmittedCase {
  partner: PartnerName
  /** The partner's own case number (what the gateway stores as partner_case_no). */
  partnerCaseNo: string
  gatewayCaseNo: string
  delivery: CanonicalCase['delivery']['method']
  /** Which sample (or `generated`) it came from. */
  source: string
}

/** Counters the run prints. */
export interface PartnerCounts {
  receipts: { accepted: number; duplicate: number }
  /** Refusals the simulator answered, by `status code` (503/hang flaps are not refusals). */
  refusals: Map<string, number>
  /** Attempts at sending to the gateway that failed and were retried, by reason. */
  sendRetries: Map<string, number>
}

export interface FaultPartner {
  name: PartnerName
  sim: Simulator
  state: RecordingState
  counts: PartnerCounts
  submit(index: number, runTag: string, deadline: Deadline): Promise<SubmittedCase>
  correctionSubmitted(c: SubmittedCase, deadline: Deadline): Promise<void>
  /**
   * A message the gateway must refuse (and audit as `exchange.refused`): properly signed, but
   * for another audience. Answers `<status> <code>` or the network error.
   */
  misaddressed(gatewayUrl: string): Promise<string>
  close(): Promise<void>
}

/** Samples each partner submits in turn (mixed documents of its format; all for the agreed item). */
const SOURCES: Record<PartnerName, string[]> = {
  conghua: ['generated', 'case-marriage-mail.xml', 'case-hk-permit-window.xml'],
  longmen: ['generated', 'case-person-mail.json'],
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1)

export async function startFaultPartner(o: {
  name: PartnerName
  dataDir: string
  gatewayUrls: string[]
}): Promise<FaultPartner> {
  const counts: PartnerCounts = {
    receipts: { accepted: 0, duplicate: 0 },
    refusals: new Map(),
    sendRetries: new Map(),
  }
  const sim = await startSimulator({
    partner: o.name,
    dataDir: o.dataDir,
    gatewayUrl: o.gatewayUrls[0] as string,
    port: 0,
    // Its console lines are not printed; refusals are counted.
    print: (text) => {
      const m = /POST \/\w+: (\d{3}) (\w+)/.exec(text)
      if (m) bump(counts.refusals, `${m[1]} ${m[2]}`)
    },
  })
  const state = new RecordingState(o.dataDir, o.name)
  const env = sim.env
  env.state = state
  env.signer = countingSigner(env.signer, counts)
  // One view of the partner per gateway instance: same key and state, that gateway's URL and JWKS.
  const views: PartnerEnv[] = o.gatewayUrls.map((url) => ({
    ...env,
    gatewayUrl: url,
    trust: createGatewayTrust(env.profile, url, env.fetch),
  }))
  const profile = PARTNERS[o.name]

  /** The protocol's retries: same jti and payload, re-signed, alternating gateways, until the deadline. */
  const send = async (
    path: 'cases' | 'status',
    payload: Uint8Array,
    first: number,
    deadline: Deadline,
  ): Promise<Delivered> => {
    const jti = partnerJti(env)
    for (let attempt = 0; ; attempt++) {
      const view = views[(first + attempt) % views.length] as PartnerEnv
      try {
        return await sendToGateway(view, path, payload, jti)
      } catch (err) {
        const retryable = !(err instanceof GatewayRefusal) || err.retryable
        bump(counts.sendRetries, reasonOf(err))
        if (!retryable) throw err
        if (Date.now() > deadline.until) throw new Error(`gave up sending ${path} ${jti}: ${reasonOf(err)}`)
        // Exponential back-off from 250 ms with full jitter, capped at 5 s (compressed for the run).
        await sleep(Math.random() * Math.min(5000, 250 * 2 ** Math.min(attempt, 10)))
      }
    }
  }

  return {
    name: o.name,
    sim,
    state,
    counts,
    async submit(index, runTag, deadline) {
      const sources = SOURCES[o.name]
      const source = sources[index % sources.length] as string
      const now = new Date()
      const base =
        source === 'generated'
          ? generatedCase(profile, now)
          : caseFromSample(profile, sampleBytes(profile, source), now)
      // The simulator's own numbers (to the second, 3 random digits) collide at this rate.
      const doc: CanonicalCase = {
        ...base,
        caseNo: `${profile.caseNoPrefix}-${runTag}-${String(index).padStart(6, '0')}`,
      }
      const delivered = await send('cases', profile.format.renderCase(doc), index, deadline)
      state.putCase(doc.caseNo, {
        role: 'originator',
        ownCaseNo: doc.caseNo,
        gatewayCaseNo: delivered.receipt.caseNo,
        delivery: doc.delivery.method,
      })
      return {
        partner: o.name,
        partnerCaseNo: doc.caseNo,
        gatewayCaseNo: delivered.receipt.caseNo,
        delivery: doc.delivery.method,
        source,
      }
    },
    async correctionSubmitted(c, deadline) {
      const record = state.case(c.partnerCaseNo)
      if (!record) throw new Error(`no case ${c.partnerCaseNo} at ${o.name}`)
      const seq = record.sentSeq + 1
      const status: CanonicalStatus = {
        caseNo: c.partnerCaseNo,
        peerCaseNo: c.gatewayCaseNo,
        seq,
        type: 'correction_submitted',
        occurredAt: formatBeijing(Math.floor(Date.now() / 1000) * 1000),
        materials: [textMaterial('M02', '户口簿', `户口簿 户主页（补正）${c.partnerCaseNo}\n`)],
      }
      await send('status', profile.format.renderStatus(status), seq, deadline)
      state.putCase(c.partnerCaseNo, { ...record, sentSeq: seq })
    },
    async misaddressed(gatewayUrl) {
      const signed = await env.signer.sign({
        typ: 'kytb-status',
        cty: profile.format.cty,
        aud: '440000',
        payload: Buffer.from('{}'),
        jti: partnerJti(env),
        now: new Date(),
      })
      try {
        const res = await fetch(`${gatewayUrl}/v1/exchange/status`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/jose' },
          body: signed.jws,
          signal: AbortSignal.timeout(30_000),
        })
        const text = await res.text()
        const code = (/"code":"(\w+)"/.exec(text) ?? [])[1] ?? '-'
        return `${res.status} ${code}`
      } catch (err) {
        return reasonOf(err)
      }
    },
    close: () => sim.close(),
  }
}

/** Counts the receipts the simulator signs, by outcome. */
function countingSigner(inner: Signer, counts: PartnerCounts): Signer {
  return {
    ...inner,
    sign: async (input) => {
      if (input.typ === 'kytb-receipt') {
        const { outcome } = JSON.parse(Buffer.from(input.payload).toString('utf8')) as {
          outcome: 'accepted' | 'duplicate'
        }
        counts.receipts[outcome] += 1
      }
      return inner.sign(input)
    },
  }
}

function reasonOf(err: unknown): string {
  if (err instanceof GatewayRefusal) return `${err.status} ${err.code}`
  const e = err as { name?: string; cause?: { code?: string }; code?: string }
  if (e?.name === 'TimeoutError') return 'timeout'
  const code = e?.cause?.code ?? e?.code
  if (typeof code === 'string') return code
  return err instanceof Error ? err.message.slice(0, 60) : String(err)
}
