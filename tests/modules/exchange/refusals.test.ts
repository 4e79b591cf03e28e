import { request as httpRequest } from 'node:http'
import { count, eq } from 'drizzle-orm'
import { CompactSign, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditEntries, cases, messages } from '../../../src/db/schema/index.js'
import { serveGateway } from '../../helpers/browser.js'
import { createTestGateway, type TestGateway } from '../../helpers/gateway.js'
import { registerPartner, type TestPartner } from '../../helpers/partners.js'

/**
 * The protocol's refusal table, each row sent through POST /v1/exchange/cases against the real
 * database: exact status and code, nothing left behind but an audit entry, the gateway still up.
 */
let gw: TestGateway
let conghua: TestPartner
let sample: Buffer

beforeAll(async () => {
  gw = await createTestGateway()
  conghua = await registerPartner(gw, 'conghua', { maxPayloadBytes: 64 * 1024 })
  await registerPartner(gw, 'longmen')
  sample = conghua.sample('case-marriage-mail.xml')
})
afterAll(() => gw.close())

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
const header = (over: Record<string, unknown> = {}) => ({
  alg: 'ES256',
  kid: 'conghua-2026-1',
  typ: 'kytb-case',
  cty: 'xml',
  iss: '440117',
  aud: '440233',
  iat: Math.floor(gw.clock.now().getTime() / 1000),
  jti: `bad-${Math.random().toString(36).slice(2)}`,
  ...over,
})
const signed = (over: Record<string, unknown> = {}) =>
  conghua.sign('kytb-case', sample, { extraHeader: over })
const flip = (jws: string, part: 0 | 1 | 2) => {
  const parts = jws.split('.')
  const bytes = Buffer.from(parts[part] as string, 'base64url')
  // In the header, flip the case of a letter in the jti value: still valid JSON, another message.
  const at = part === 0 ? bytes.indexOf('"jti":"') + 8 : Math.min(5, bytes.length - 1)
  bytes[at] = (bytes[at] as number) ^ (part === 0 ? 0x20 : 1)
  parts[part] = bytes.toString('base64url')
  return parts.join('.')
}

type Case = [string, () => Promise<string>, number, string, string?]
const CASES: Case[] = [
  ['not a compact JWS', async () => 'hello', 400, 'payload_malformed'],
  [
    'alg none',
    async () => `${b64(header({ alg: 'none' }))}.${b64(sample.toString())}.`,
    401,
    'signature_invalid',
  ],
  [
    'alg None',
    async () => `${b64(header({ alg: 'None' }))}.${b64(sample.toString())}.`,
    401,
    'signature_invalid',
  ],
  [
    'HS256 made with the partner’s public key',
    async () =>
      new CompactSign(sample)
        .setProtectedHeader(header({ alg: 'HS256' }) as never)
        .sign(new TextEncoder().encode(JSON.stringify(conghua.publicJwk))),
    401,
    'signature_invalid',
  ],
  [
    'RS256',
    async () => {
      const { privateKey } = await generateKeyPair('RS256')
      return new CompactSign(sample).setProtectedHeader(header({ alg: 'RS256' }) as never).sign(privateKey)
    },
    401,
    'signature_invalid',
  ],
  ['unknown kid', () => conghua.sign('kytb-case', sample, { kid: 'nobody-1' }), 401, 'unknown_key'],
  [
    'another partner’s kid',
    () => conghua.sign('kytb-case', sample, { kid: 'longmen-2026-1' }),
    401,
    'unknown_key',
  ],
  [
    'a kid with path and SQL characters',
    () => conghua.sign('kytb-case', sample, { kid: "../x' OR 1=1 --" }),
    401,
    'unknown_key',
  ],
  [
    'a 10 kB kid',
    () => conghua.sign('kytb-case', sample, { kid: 'k'.repeat(10_000) }),
    400,
    'payload_malformed',
  ],
  [
    'jku pointing elsewhere',
    () => signed({ jku: 'https://evil.example/jwks.json' }),
    401,
    'signature_invalid',
  ],
  [
    'x5u pointing elsewhere',
    () => signed({ x5u: 'https://evil.example/cert.pem' }),
    401,
    'signature_invalid',
  ],
  ['an embedded jwk', () => signed({ jwk: conghua.publicJwk }), 401, 'signature_invalid'],
  ['crit', () => signed({ crit: ['b64'], b64: true }), 401, 'signature_invalid'],
  ['b64 false', () => signed({ b64: false }), 401, 'signature_invalid'],
  [
    'duplicate header members',
    async () => {
      const jws = await signed()
      const [h, p, s] = jws.split('.')
      const json = Buffer.from(h as string, 'base64url')
        .toString()
        .replace('{', '{"alg":"ES256",')
      return `${Buffer.from(json).toString('base64url')}.${p}.${s}`
    },
    400,
    'payload_malformed',
  ],
  ['a flipped bit in the header', async () => flip(await signed(), 0), 401, 'signature_invalid'],
  ['a flipped bit in the payload', async () => flip(await signed(), 1), 401, 'signature_invalid'],
  ['a flipped bit in the signature', async () => flip(await signed(), 2), 401, 'signature_invalid'],
  [
    'an all-zero signature',
    async () =>
      `${(await signed()).split('.').slice(0, 2).join('.')}.${Buffer.alloc(64).toString('base64url')}`,
    401,
    'signature_invalid',
  ],
  [
    'iat 10 minutes old',
    () => conghua.sign('kytb-case', sample, { iat: Math.floor(gw.clock.now().getTime() / 1000) - 600 }),
    401,
    'stale_message',
  ],
  [
    'iat 10 minutes ahead',
    () => conghua.sign('kytb-case', sample, { iat: Math.floor(gw.clock.now().getTime() / 1000) + 600 }),
    401,
    'stale_message',
  ],
  ['wrong aud', () => conghua.sign('kytb-case', sample, { aud: '441324' }), 401, 'wrong_audience'],
  ['wrong typ', () => conghua.sign('kytb-case', sample, { typ: 'kytb-status' }), 400, 'payload_malformed'],
  [
    'cty not the agreed format',
    () => conghua.sign('kytb-case', sample, { cty: 'json' }),
    415,
    'unsupported_media_type',
  ],
  [
    'a region with no agreement',
    () => conghua.sign('kytb-case', sample, { iss: '110000' }),
    403,
    'agreement_inactive',
  ],
  [
    'an item not in the agreement',
    async () => conghua.sign('kytb-case', conghua.sample('case-org-business-licence.xml')),
    422,
    'item_not_in_agreement',
  ],
  [
    'a document that breaks the format',
    () => conghua.sign('kytb-case', '<DelegatedCase xmlns="urn:conghua:zwfw:kytb:1"/>'),
    422,
    'payload_invalid',
  ],
  [
    'XML that is not well-formed',
    () => conghua.sign('kytb-case', '<DelegatedCase'),
    400,
    'payload_malformed',
  ],
  [
    'a payload over maxPayloadBytes',
    () => conghua.sign('kytb-case', 'x'.repeat(70 * 1024)),
    413,
    'payload_too_large',
  ],
]

describe('exchange refusals, one by one', () => {
  it.each(CASES)('%s → %s %s', async (_name, make, status, code) => {
    const before = await counts()
    const res = await conghua.post('cases', await make())
    expect(res.status).toBe(status)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    const body = (await res.json()) as { code: string; status: number; type: string }
    expect(body).toMatchObject({ code, status })
    const after = await counts()
    expect(after.cases).toBe(before.cases)
    expect(after.messages).toBe(before.messages)
    expect(after.refusals).toBe(before.refusals + 1)
    expect((await gw.request('/healthz')).status).toBe(200)
  })

  it('refuses a wrong content type with 415', async () => {
    const res = await conghua.post('cases', await signed(), 'application/json')
    expect(res.status).toBe(415)
    expect(((await res.json()) as { code: string }).code).toBe('unsupported_media_type')
  })

  it('never follows a jku header', async () => {
    let fetched = false
    const original = globalThis.fetch
    globalThis.fetch = async (...args) => {
      fetched = true
      return original(...args)
    }
    try {
      await conghua.post('cases', await signed({ jku: 'https://evil.example/jwks.json' }))
    } finally {
      globalThis.fetch = original
    }
    expect(fetched).toBe(false)
  })

  it('refuses a token made with the API’s own HS256 shape as a 401, never a 500', async () => {
    const token = await new SignJWT({})
      .setProtectedHeader(header({ alg: 'HS256' }) as never)
      .sign(new Uint8Array(32))
    const res = await conghua.post('cases', token)
    expect(res.status).toBe(401)
  })
})

describe.each([
  ['suspended', 'suspend'],
  ['terminated', 'terminate'],
] as const)('an agreement that is %s', (_state, action) => {
  it('refuses the partner with 403 agreement_inactive', async () => {
    const partner = await freshPartner()
    const admin = await gw.adminToken()
    expect(
      (await gw.request(`/v1/agreements/${partner.agreementId}/${action}`, { method: 'POST', token: admin }))
        .status,
    ).toBe(200)
    const res = await partner.send('cases', partner.sample('case-person-mail.json'))
    expect(res.status).toBe(403)
    expect(((await res.json()) as { code: string }).code).toBe('agreement_inactive')
  })
})

describe('validity and rotation', () => {
  it('refuses messages before validFrom and after validUntil', async () => {
    const partner = await freshPartner()
    gw.clock.set('2025-12-31T12:00:00Z')
    const early = await partner.send('cases', partner.sample('case-person-mail.json'))
    gw.clock.set('2028-01-01T12:00:00Z')
    const late = await partner.send('cases', partner.sample('case-person-mail.json'))
    gw.clock.set('2026-11-28T02:00:00Z')
    expect([early.status, late.status]).toEqual([403, 403])
  })

  it('refuses a rotated-out key once the agreement’s keys are replaced', async () => {
    const partner = await freshPartner()
    const { publicJwk } = await import('../../helpers/partners.js').then((m) =>
      m.makePartnerKey('longmen-2026-2'),
    )
    const res = await gw.request(`/v1/agreements/${partner.agreementId}/keys`, {
      method: 'PUT',
      token: await gw.adminToken(),
      json: { keys: [publicJwk] },
    })
    expect(res.status).toBe(200)
    const refused = await partner.send('cases', partner.sample('case-person-mail.json'))
    expect(refused.status).toBe(401)
    expect(((await refused.json()) as { code: string }).code).toBe('unknown_key')
  })
})

describe('concurrency', () => {
  it('turns 50 parallel copies of one message into one case, one accepted and 49 duplicates', async () => {
    const bytes = Buffer.from(sample.toString().replaceAll('CH20261128000123', 'CH-PARALLEL-50'))
    const jws = await conghua.sign('kytb-case', bytes)
    const results = await Promise.all(Array.from({ length: 50 }, () => conghua.post('cases', jws)))
    const statuses = results.map((r) => r.status).sort()
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 200)).toHaveLength(49)
    const [row] = await gw.database.db
      .select({ n: count() })
      .from(cases)
      .where(eq(cases.partnerCaseNo, 'CH-PARALLEL-50'))
    expect(row?.n).toBe(1)
  })
})

describe('bodies over the limit, through a real socket', () => {
  const send = (url: string, body: Buffer, chunked: boolean) =>
    new Promise<{ status: number; sent: number }>((resolve, reject) => {
      const u = new URL(`${url}/v1/exchange/cases`)
      const req = httpRequest(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname,
          method: 'POST',
          headers: {
            'Content-Type': 'application/jose',
            ...(chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': String(body.length) }),
          },
        },
        (res) => {
          res.resume()
          resolve({ status: res.statusCode ?? 0, sent })
        },
      )
      let sent = 0
      req.on('error', (err) => (sent > 0 ? resolve({ status: -1, sent }) : reject(err)))
      // Slowly, in pieces: the answer must come before the body is all sent.
      const write = (i: number) => {
        if (i >= body.length) return req.end()
        const piece = body.subarray(i, i + 64 * 1024)
        sent += piece.length
        req.write(piece, () => setTimeout(() => write(i + piece.length), 2))
      }
      write(0)
    })

  it.each([
    ['Content-Length', false],
    ['chunked', true],
  ])('refuses an oversized body sent with %s before reading it all', async (_name, chunked) => {
    const server = await serveGateway(gw)
    try {
      const h = b64(header())
      const body = Buffer.from(`${h}.${'A'.repeat(8 * 1024 * 1024)}.sig`)
      const { status, sent } = await send(server.url, body, chunked)
      expect(status).toBe(413)
      expect(sent).toBeLessThan(body.length)
      expect((await gw.request('/healthz')).status).toBe(200)
    } finally {
      await server.close()
    }
  })
})

async function counts() {
  const db = gw.database.db
  const [c] = await db.select({ n: count() }).from(cases)
  const [m] = await db.select({ n: count() }).from(messages)
  const [r] = await db
    .select({ n: count() })
    .from(auditEntries)
    .where(eq(auditEntries.action, 'exchange.refused'))
  return { cases: c?.n ?? 0, messages: m?.n ?? 0, refusals: r?.n ?? 0 }
}

/** A Longmen agreement of its own (a fresh gateway region is not needed: each is registered then changed). */
async function freshPartner(): Promise<TestPartner> {
  const admin = await gw.adminToken()
  // Only one active agreement per partner: retire the current Longmen one first.
  const list = (await (
    await gw.request('/v1/agreements?partner=441324&status=active', { token: admin })
  ).json()) as {
    items: { id: string }[]
  }
  for (const a of list.items)
    await gw.request(`/v1/agreements/${a.id}/terminate`, { method: 'POST', token: admin })
  return registerPartner(gw, 'longmen')
}
