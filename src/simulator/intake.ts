import { AppError, isAppError } from '../lib/errors.js'
import { PROBLEM_MEDIA_TYPE, problemFromError } from '../lib/problem.js'
import { TRANSITIONS } from '../modules/cases/lifecycle.js'
import type { CanonicalCase, CanonicalStatus, ParseResult } from '../modules/formats/canonical.js'
import { EVENT_RULES } from '../modules/formats/shared/event-rules.js'
import {
  createSigner,
  makeReceipt,
  type Receipt,
  type VerifiedMessage,
} from '../modules/trust/envelope/index.js'
import { newCaseNo } from './cases.js'
import { describeCase, describeStatus, note } from './describe.js'
import { type PartnerEnv, partnerJti } from './env.js'
import { wrongKey } from './keys.js'
import type { CaseRecord } from './state.js'

export interface Answer {
  status: number
  headers: Record<string, string>
  body: string
}

export interface IntakeHooks {
  badReceipt: boolean
  /** A new case the gateway sent us to handle (the simulator is its handler). */
  onNewCase?(gatewayCaseNo: string): void
}

/**
 * One message from the gateway, as a partner system treats it: verified against the gateway's
 * JWKS, parsed in the partner's format, deduplicated by jti, events applied in seq order, and
 * answered with a signed receipt or a problem+json refusal.
 */
export async function intake(
  env: PartnerEnv,
  hooks: IntakeHooks,
  path: 'cases' | 'status',
  contentType: string | undefined,
  body: string,
): Promise<Answer> {
  const now = env.now()
  try {
    const message = await env.trust.verifyMessage(
      contentType,
      body,
      path === 'cases' ? 'kytb-case' : 'kytb-status',
      now,
    )
    const { jti } = message.header
    const earlier = env.state.inbox(jti)
    if (earlier) {
      if (earlier.digest !== message.digest) {
        throw new AppError('replayed_message', `Message id ${jti} was already used for other content`)
      }
      env.print(
        note(env.profile, `重复消息 ${jti}，返回原回执`, `duplicate of ${jti}: original receipt`).join('\n'),
      )
      return receipt(
        env,
        hooks,
        message,
        { caseNo: earlier.caseNo, at: new Date(earlier.receivedAt) },
        'duplicate',
      )
    }
    const result = path === 'cases' ? onCase(env, message, now) : onStatus(env, message, now)
    const answer = await receipt(env, hooks, message, { caseNo: result.caseNo, at: now }, result.outcome)
    if (answer.status < 300) {
      env.state.update((s) => {
        s.inbox[jti] = { digest: message.digest, caseNo: result.caseNo, receivedAt: now.toISOString() }
      })
    }
    if (result.newCase) hooks.onNewCase?.(result.newCase)
    return answer
  } catch (err) {
    const e = isAppError(err) ? err : new AppError('internal_error', undefined, { cause: err })
    const why = e.internal ?? (e.code === 'internal_error' ? String(err) : e.message)
    env.print(note(env.profile, `拒收 POST /${path}: ${e.status} ${e.code}`, `refused: ${why}`).join('\n'))
    const problem = problemFromError(e)
    return {
      status: e.status,
      headers: { 'Content-Type': PROBLEM_MEDIA_TYPE, ...e.headers },
      body: JSON.stringify(problem),
    }
  }
}

interface Outcome {
  caseNo: string
  outcome: Receipt['outcome']
  newCase?: string
}

function parsed<T>(result: ParseResult<T>): T {
  if (result.ok) return result.value
  throw new AppError(result.code, `${result.errors.length} field(s) are invalid`, { errors: result.errors })
}

/** An outbound case of the gateway: we are its handler and give it our own case number. */
function onCase(env: PartnerEnv, message: VerifiedMessage, now: Date): Outcome {
  const doc: CanonicalCase = parsed(env.profile.format.parseCase(message.payload))
  const known = env.state.case(doc.caseNo)
  if (known) {
    if (known.documentDigest !== message.digest) {
      throw new AppError('case_conflict', `Case ${doc.caseNo} was already sent with other content`)
    }
    return { caseNo: known.ownCaseNo, outcome: 'duplicate' }
  }
  const ownCaseNo = newCaseNo(env.profile, now, 'H')
  env.state.putCase(doc.caseNo, {
    role: 'handler',
    ownCaseNo,
    gatewayCaseNo: doc.caseNo,
    delivery: doc.delivery.method,
    state: 'submitted',
    documentDigest: message.digest,
  })
  const extra = { zh: `本地编号 ${ownCaseNo}`, en: `our number ${ownCaseNo}` }
  env.print(describeCase(env.profile, { zh: '收到', en: 'got' }, doc, extra).join('\n'))
  return { caseNo: ownCaseNo, outcome: 'accepted', newCase: doc.caseNo }
}

/** A status event: applied when it is the next seq of the gateway's side of the case. */
function onStatus(env: PartnerEnv, message: VerifiedMessage, now: Date): Outcome {
  const status: CanonicalStatus = parsed(env.profile.format.parseStatus(message.payload))
  const byHandler = EVENT_RULES[status.type].sentBy === 'handler'
  let record: CaseRecord | undefined = env.state.case(status.caseNo)
  if (!record) {
    // A handler's event on a case this state file does not know (submitted from another DATA_DIR,
    // or the state was reset): the simulator adopts it rather than blocking the gateway's queue.
    if (!byHandler && status.type !== 'delivered') {
      throw new AppError('case_not_found', `No case ${status.caseNo} here`)
    }
    record = env.state.putCase(status.caseNo, { role: 'originator', ownCaseNo: status.caseNo })
  }
  const last = record.receivedSeq
  if (status.seq <= last) {
    if (record.receivedDigests[String(status.seq)] === message.digest) {
      return { caseNo: record.ownCaseNo, outcome: 'duplicate' }
    }
    throw new AppError(
      'case_conflict',
      `Event ${status.seq} of ${status.caseNo} was already sent with other content`,
    )
  }
  if (status.seq > last + 1) {
    env.print(
      note(
        env.profile,
        `${status.caseNo} 第${status.seq}号事件早到，缺第${last + 1}号`,
        `event #${status.seq} of ${status.caseNo} is ahead of order: #${last + 1} is missing (409 sequence_gap)`,
      ).join('\n'),
    )
    throw new AppError('sequence_gap', `Event ${last + 1} of case ${status.caseNo} has not arrived yet`, {
      headers: { 'Retry-After': '1' },
    })
  }
  const gatewayCaseNo =
    record.role === 'originator' ? (status.peerCaseNo ?? record.gatewayCaseNo) : status.caseNo
  env.state.putCase(status.caseNo, {
    ...record,
    ...(gatewayCaseNo ? { gatewayCaseNo } : {}),
    receivedSeq: status.seq,
    receivedDigests: { ...record.receivedDigests, [String(status.seq)]: message.digest },
    state: TRANSITIONS[status.type].to,
    updatedAt: now.toISOString(),
  })
  const label = gatewayCaseNo && gatewayCaseNo !== record.ownCaseNo ? gatewayCaseNo : status.caseNo
  const lines = describeStatus(env.profile, { zh: '收到', en: 'got' }, label, status)
  env.print(lines.join('\n'))
  return { caseNo: record.ownCaseNo, outcome: 'accepted' }
}

async function receipt(
  env: PartnerEnv,
  hooks: IntakeHooks,
  message: VerifiedMessage,
  about: { caseNo: string; at: Date },
  outcome: Receipt['outcome'],
): Promise<Answer> {
  const payload = makeReceipt({
    ref: message.header.jti,
    digest: message.digest,
    receivedAt: about.at,
    outcome,
    caseNo: about.caseNo,
  })
  const input = {
    typ: 'kytb-receipt',
    cty: 'json',
    aud: message.sender,
    payload,
    jti: partnerJti(env),
    now: env.now(),
  } as const
  let jws: string
  if (hooks.badReceipt) {
    const bad = createSigner({
      ownRegion: env.profile.region,
      keys: { current: await wrongKey(env.key.kid) },
    })
    jws = (await bad.sign(input)).jws
    env.print(
      note(
        env.profile,
        '回执用错误密钥签名（--bad-receipt）',
        'receipt signed with a wrong key (--bad-receipt)',
      ).join('\n'),
    )
  } else {
    jws = (await env.signer.sign(input)).jws
  }
  return {
    status: outcome === 'accepted' ? 201 : 200,
    headers: { 'Content-Type': 'application/jose' },
    body: jws,
  }
}
