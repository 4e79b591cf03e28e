import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CaseState } from '../modules/cases/lifecycle.js'
import type { DeliveryMethod } from '../modules/formats/canonical.js'
import { partnerDir } from './keys.js'
import type { PartnerName } from './partners.js'

/**
 * One case as the simulator knows it, keyed by the ORIGINATOR's case number (the `caseNo` every
 * status document carries): its own number for a case it submitted, the gateway's for one it handles.
 */
export interface CaseRecord {
  role: 'originator' | 'handler'
  /** The simulator's own case number (equals the key when it is the originator). */
  ownCaseNo: string
  /** The gateway's case number, once known. */
  gatewayCaseNo?: string
  delivery: DeliveryMethod
  /** Last seq the simulator sent on this case, and last seq it applied from the gateway. */
  sentSeq: number
  receivedSeq: number
  /** Digest of each applied gateway event, by seq: a re-sent seq is a duplicate or a conflict. */
  receivedDigests: Record<string, string>
  state: CaseState
  /** Digest of the case document, for a case the gateway sent us (same number, other content: conflict). */
  documentDigest?: string
  updatedAt: string
}

/** A message the simulator acknowledged: a re-send with the same jti gets this back as `duplicate`. */
export interface InboxEntry {
  digest: string
  caseNo: string
  receivedAt: string
}

interface StateFile {
  cases: Record<string, CaseRecord>
  inbox: Record<string, InboxEntry>
}

/** Message ids are remembered for a while; the oldest are dropped beyond this many. */
const INBOX_LIMIT = 5000

/**
 * `DATA_DIR/partners/<name>/state.json`. Every change re-reads the file and replaces it
 * atomically, so `serve` and `submit`/`status` in other terminals see each other's cases.
 */
export class PartnerState {
  readonly path: string

  constructor(dataDir: string, name: PartnerName) {
    const dir = partnerDir(dataDir, name)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    this.path = join(dir, 'state.json')
  }

  read(): StateFile {
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as Partial<StateFile>
      return { cases: parsed.cases ?? {}, inbox: parsed.inbox ?? {} }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { cases: {}, inbox: {} }
      throw err
    }
  }

  case(caseNo: string): CaseRecord | undefined {
    const { cases } = this.read()
    return Object.hasOwn(cases, caseNo) ? cases[caseNo] : undefined
  }

  /** The case whose own or gateway number is `caseNo`. */
  findCase(caseNo: string): [string, CaseRecord] | undefined {
    return Object.entries(this.read().cases).find(
      ([key, c]) => key === caseNo || c.ownCaseNo === caseNo || c.gatewayCaseNo === caseNo,
    )
  }

  inbox(jti: string): InboxEntry | undefined {
    const { inbox } = this.read()
    return Object.hasOwn(inbox, jti) ? inbox[jti] : undefined
  }

  update<T>(change: (s: StateFile) => T): T {
    const s = this.read()
    const result = change(s)
    const ids = Object.keys(s.inbox)
    for (const id of ids.slice(0, Math.max(0, ids.length - INBOX_LIMIT))) delete s.inbox[id]
    const tmp = `${this.path}.${process.pid}.tmp`
    writeFileSync(tmp, `${JSON.stringify(s, null, 2)}\n`, { mode: 0o600 })
    renameSync(tmp, this.path)
    return result
  }

  putCase(caseNo: string, patch: Partial<CaseRecord> & Pick<CaseRecord, 'role' | 'ownCaseNo'>): CaseRecord {
    return this.update((s) => {
      const before = Object.hasOwn(s.cases, caseNo) ? s.cases[caseNo] : undefined
      const next: CaseRecord = {
        delivery: 'window',
        sentSeq: 0,
        receivedSeq: 0,
        receivedDigests: {},
        state: 'submitted',
        ...before,
        ...patch,
        updatedAt: new Date().toISOString(),
      }
      s.cases[caseNo] = next
      return next
    })
  }
}
