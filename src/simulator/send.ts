import { setTimeout as sleep } from 'node:timers/promises'
import type { ProtectedHeader, Receipt } from '../modules/trust/envelope/index.js'
import { type PartnerEnv, partnerJti } from './env.js'
import { GATEWAY_REGION } from './partners.js'

/** The gateway refused a message: its status and problem+json `code` (and the whole problem). */
export class GatewayRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly problem: Record<string, unknown> | undefined,
  ) {
    const detail = typeof problem?.detail === 'string' ? `: ${problem.detail}` : ''
    super(`gateway answered ${status} ${code}${detail}`)
    this.name = 'GatewayRefusal'
  }

  /** What exchange-protocol-v1 ("Errors") tells the sender to retry. */
  get retryable(): boolean {
    return (
      this.status >= 500 ||
      [408, 425, 429].includes(this.status) ||
      this.code === 'sequence_gap' ||
      this.code === 'stale_message'
    )
  }
}

export interface Delivered {
  httpStatus: number
  jti: string
  digest: string
  receipt: Receipt
  receiptHeader: ProtectedHeader
}

/**
 * Signs `payload` as this partner (fresh iat; `jti` kept on retries), POSTs it to
 * `{gateway}/v1/exchange/{path}` and checks the signed receipt against the gateway's JWKS:
 * signature, typ, aud, ref = our jti and digest = our payload's. Any other answer throws.
 */
export async function sendToGateway(
  env: PartnerEnv,
  path: 'cases' | 'status',
  payload: Uint8Array,
  jti = partnerJti(env),
): Promise<Delivered> {
  const signed = await env.signer.sign({
    typ: path === 'cases' ? 'kytb-case' : 'kytb-status',
    cty: env.profile.format.cty,
    aud: GATEWAY_REGION,
    payload,
    jti,
    now: env.now(),
  })
  const res = await env.fetch(`${env.gatewayUrl}/v1/exchange/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/jose', Accept: 'application/jose, application/problem+json' },
    body: signed.jws,
    signal: AbortSignal.timeout(30_000),
  })
  const text = await res.text()
  if (!res.ok) throw refusalOf(res.status, text)
  const verified = await env.trust.verifyReceipt(text.trim(), {
    ref: jti,
    digest: signed.digest,
    now: env.now(),
  })
  return {
    httpStatus: res.status,
    jti,
    digest: signed.digest,
    receipt: verified.receipt,
    receiptHeader: verified.header,
  }
}

/** sendToGateway with the protocol's retries (same jti and payload, re-signed), a few times. */
export async function sendWithRetry(
  env: PartnerEnv,
  path: 'cases' | 'status',
  payload: Uint8Array,
  { attempts = 6, firstDelayMs = 1000 } = {},
): Promise<Delivered> {
  const jti = partnerJti(env)
  for (let attempt = 1; ; attempt++) {
    try {
      return await sendToGateway(env, path, payload, jti)
    } catch (err) {
      const retry = !(err instanceof GatewayRefusal) || err.retryable
      if (!retry || attempt >= attempts) throw err
      await sleep(firstDelayMs * 2 ** (attempt - 1))
    }
  }
}

export function refusalOf(status: number, text: string): GatewayRefusal {
  let problem: Record<string, unknown> | undefined
  try {
    const parsed = JSON.parse(text) as unknown
    if (parsed && typeof parsed === 'object') problem = parsed as Record<string, unknown>
  } catch {
    // not JSON: keep the status only
  }
  const code = typeof problem?.code === 'string' ? problem.code : `http_${status}`
  return new GatewayRefusal(status, code, problem)
}
