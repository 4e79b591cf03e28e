import type { CanonicalCase, CanonicalStatus, EventType } from '../modules/formats/canonical.js'
import { formatBeijing } from '../modules/formats/shared/times.js'
import { caseFromSample, generatedCase, sampleBytes, textMaterial } from './cases.js'
import { describeCase, describeStatus, note } from './describe.js'
import { type PartnerEnv, partnerJti } from './env.js'
import { GATEWAY_REGION } from './partners.js'
import { type Delivered, refusalOf, sendToGateway } from './send.js'

/**
 * `submit`: a case from a contract sample (fresh case number) or a generated one, signed and
 * posted to the gateway; the receipt is verified and the case remembered for later events.
 */
export async function submitCase(
  env: PartnerEnv,
  source: { sample?: string; generate?: boolean; caseNo?: string } = {},
): Promise<{ doc: CanonicalCase; delivered: Delivered }> {
  const { profile } = env
  let doc = source.generate
    ? generatedCase(profile, env.now())
    : caseFromSample(profile, sampleBytes(profile, source.sample), env.now())
  if (source.caseNo) doc = { ...doc, caseNo: source.caseNo }
  env.print(describeCase(profile, { zh: '提交', en: 'submitting' }, doc).join('\n'))
  const delivered = await sendToGateway(env, 'cases', profile.format.renderCase(doc))
  const r = delivered.receipt
  env.state.putCase(doc.caseNo, {
    role: 'originator',
    ownCaseNo: doc.caseNo,
    gatewayCaseNo: r.caseNo,
    delivery: doc.delivery.method,
  })
  env.print(
    [
      ...note(
        profile,
        `新丰县已接收 HTTP ${delivered.httpStatus}，回执验证通过（签名 ${delivered.receiptHeader.kid}、ref、digest）`,
        `gateway answered ${delivered.httpStatus}; receipt verified (signature by ${delivered.receiptHeader.kid}, ref, digest)`,
      ),
      ...note(
        profile,
        `  新丰县办件编号 ${r.caseNo}  结果 ${r.outcome}  接收时间 ${r.receivedAt}`,
        `  gateway case no. ${r.caseNo}, outcome ${r.outcome}, received at ${r.receivedAt}`,
      ),
    ].join('\n'),
  )
  return { doc, delivered }
}

export const ORIGINATOR_EVENTS = ['correction_submitted', 'withdrawn', 'delivered'] as const
export type OriginatorEvent = (typeof ORIGINATOR_EVENTS)[number]

/** `status`: an originator's event on a case it submitted, with the next seq of its side. */
export async function sendOriginatorEvent(
  env: PartnerEnv,
  input: { caseNo: string; event: OriginatorEvent; reason?: string },
): Promise<{ status: CanonicalStatus; delivered: Delivered }> {
  const { profile } = env
  const found = env.state.findCase(input.caseNo)
  if (found?.[1].role !== 'originator') {
    throw new Error(`no case ${input.caseNo} submitted by ${profile.name} in ${env.state.path}`)
  }
  const [key, record] = found
  const seq = record.sentSeq + 1
  const status: CanonicalStatus = {
    caseNo: key,
    ...(record.gatewayCaseNo ? { peerCaseNo: record.gatewayCaseNo } : {}),
    seq,
    type: input.event as EventType,
    occurredAt: formatBeijing(Math.floor(env.now().getTime() / 1000) * 1000),
    ...(input.reason ? { reason: input.reason } : {}),
    ...(input.event === 'correction_submitted'
      ? { materials: [textMaterial('M02', '户口簿', `户口簿 户主页（补正）${key}\n`)] }
      : {}),
  }
  const delivered = await sendToGateway(env, 'status', profile.format.renderStatus(status))
  env.state.putCase(key, { ...record, sentSeq: seq })
  const lines = describeStatus(profile, { zh: '发送', en: 'sent' }, record.gatewayCaseNo ?? key, status)
  lines.push(
    ...note(
      profile,
      `  回执验证通过 ${delivered.receipt.outcome}`,
      `  receipt verified: ${delivered.receipt.outcome} (HTTP ${delivered.httpStatus})`,
    ),
  )
  env.print(lines.join('\n'))
  return { status, delivered }
}

/** `query`: the current state of our case at the gateway, with a one-time signed query token. */
export async function queryCase(env: PartnerEnv, caseNo: string): Promise<CanonicalStatus> {
  const { profile } = env
  const key = env.state.findCase(caseNo)?.[0] ?? caseNo
  const { jws: token } = await env.signer.sign({
    typ: 'kytb-query',
    cty: 'json',
    aud: GATEWAY_REGION,
    payload: Buffer.from(JSON.stringify({ caseNo: key }), 'utf8'),
    jti: partnerJti(env),
    now: env.now(),
  })
  const res = await env.fetch(`${env.gatewayUrl}/v1/exchange/cases/${encodeURIComponent(key)}`, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/jose, application/problem+json' },
    signal: AbortSignal.timeout(30_000),
  })
  const text = await res.text()
  if (!res.ok) throw refusalOf(res.status, text)
  const verified = await env.trust.verifyStatus(text.trim(), env.now())
  const parsed = profile.format.parseStatus(verified.payload)
  if (!parsed.ok) throw new Error(`the gateway's answer is not a valid ${profile.format.id} status`)
  const status = parsed.value
  const label = status.peerCaseNo ?? key
  env.print(
    [
      ...note(
        profile,
        `查询 ${key}：签名验证通过（${verified.header.kid}）`,
        `query ${key}: answer signature verified (${verified.header.kid})`,
      ),
      ...describeStatus(profile, { zh: '当前', en: 'current:' }, label, status),
    ].join('\n'),
  )
  return status
}
