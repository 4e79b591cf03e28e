/** The two partner counties of the run: keys made here, agreements made through the admin API. */
import { exportJWK, generateKeyPair, type JWK } from 'jose'
import { agreementRequest, localEndpoint } from '../../src/simulator/agreement.js'
import { PARTNERS, type PartnerName } from '../../src/simulator/partners.js'

export interface BenchPartner {
  name: PartnerName
  region: string
  kid: string
  privateJwk: JWK
  publicJwk: JWK
}

export async function makePartner(name: PartnerName): Promise<BenchPartner> {
  const kid = `${name}-bench-${process.pid}`
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  return {
    name,
    region: PARTNERS[name].region,
    kid,
    privateJwk: await exportJWK(privateKey),
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
  }
}

/** A base URL (over HTTP), or an app's own request function (in-process). */
export type Target = string | ((path: string, init: RequestInit) => Response | Promise<Response>)

async function call(base: Target, path: string, init: RequestInit & { token?: string; json?: unknown }) {
  const headers = new Headers(init.headers)
  if (init.token) headers.set('Authorization', `Bearer ${init.token}`)
  if (init.json !== undefined) headers.set('Content-Type', 'application/json')
  const send = typeof base === 'string' ? (p: string, i: RequestInit) => fetch(`${base}${p}`, i) : base
  const res = await send(path, {
    ...init,
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  })
  const text = await res.text()
  return { status: res.status, text }
}

export async function adminToken(base: Target, password: string): Promise<string> {
  const res = await call(base, '/v1/auth/login', {
    method: 'POST',
    json: { username: 'admin', password },
  })
  if (res.status !== 200) throw new Error(`admin login: ${res.status} ${res.text}`)
  return (JSON.parse(res.text) as { token: string }).token
}

/** Registers and activates the partner's agreement; its endpoint is the local stub's port. */
export async function registerAgreement(
  base: Target,
  token: string,
  partner: BenchPartner,
  stubPort: number,
): Promise<string> {
  const body = agreementRequest(PARTNERS[partner.name], partner.publicJwk, {
    endpoint: localEndpoint(stubPort),
  })
  const created = await call(base, '/v1/agreements', { method: 'POST', token, json: body })
  if (created.status !== 201) throw new Error(`agreement ${partner.name}: ${created.status} ${created.text}`)
  const { id } = JSON.parse(created.text) as { id: string }
  const act = await call(base, `/v1/agreements/${id}/activate`, { method: 'POST', token })
  if (act.status !== 200) throw new Error(`activate ${partner.name}: ${act.status} ${act.text}`)
  return id
}
