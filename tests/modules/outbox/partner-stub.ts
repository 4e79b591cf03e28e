import { randomUUID } from 'node:crypto'
import { eq } from 'drizzle-orm'
import { HttpResponse, http } from 'msw'
import pino from 'pino'
import { outbox } from '../../../src/db/schema/index.js'
import type { Logger } from '../../../src/lib/logger.js'
import { enqueueMessage } from '../../../src/modules/outbox/enqueue-message.js'
import { makeReceipt } from '../../../src/modules/trust/envelope/index.js'
import { sha256b64url } from '../../helpers/digest.js'
import type { TestGateway } from '../../helpers/gateway.js'
import type { SignOptions, TestPartner } from '../../helpers/partners.js'
import { partnerNetwork } from '../../setup/per-file.js'

/** What the partner saw of one POST. */
export interface SeenMessage {
  path: string
  header: Record<string, unknown>
  jti: string
  digest: string
  payload: string
}

export function decodeJws(jws: string): { header: Record<string, unknown>; payload: Buffer } {
  const [h = '', p = ''] = jws.split('.')
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: Buffer.from(p, 'base64url'),
  }
}

export interface ReceiptOptions {
  outcome?: 'accepted' | 'duplicate'
  ref?: string
  digest?: string
  caseNo?: string
  /** Header overrides, e.g. another key (bad signature) or kid (unknown key). */
  sign?: SignOptions
}

/** A real receipt, signed by the partner's key as a real partner system would. */
export async function receiptFor(
  gw: TestGateway,
  partner: TestPartner,
  seen: SeenMessage,
  o: ReceiptOptions = {},
): Promise<string> {
  const payload = makeReceipt({
    ref: o.ref ?? seen.jti,
    digest: o.digest ?? seen.digest,
    receivedAt: gw.clock.now(),
    outcome: o.outcome ?? 'accepted',
    caseNo: o.caseNo ?? 'LM-CASE-1',
  })
  return partner.sign('kytb-receipt', payload, { cty: 'json', jti: `rcpt-${randomUUID()}`, ...o.sign })
}

/** How the stub answers one message: a receipt (default), or any Response. */
export type Answer = (
  seen: SeenMessage,
  attempt: number,
) => Promise<Response | undefined> | Response | undefined

/**
 * The partner's `/status` and `/cases` endpoints on msw. Remembers every message; dedupes by
 * jti like a real partner (a repeat gets a 200 `duplicate` receipt); `answer` may script failures.
 */
export function partnerStub(gw: TestGateway, partner: TestPartner, answer?: Answer) {
  const seen: SeenMessage[] = []
  const accepted = new Set<string>()
  const base = `https://kytb.${partner.name}.example/v1/exchange`
  const handle = async (path: string, request: Request) => {
    const jws = await request.text()
    const { header, payload } = decodeJws(jws)
    const message: SeenMessage = {
      path,
      header,
      jti: String(header.jti),
      digest: sha256b64url(payload),
      payload: payload.toString('utf8'),
    }
    seen.push(message)
    const attempt = seen.filter((s) => s.jti === message.jti).length
    const scripted = await answer?.(message, attempt)
    if (scripted) return scripted
    const duplicate = accepted.has(message.jti)
    accepted.add(message.jti)
    const receipt = await receiptFor(gw, partner, message, { outcome: duplicate ? 'duplicate' : 'accepted' })
    return new HttpResponse(receipt, {
      status: duplicate ? 200 : 201,
      headers: { 'Content-Type': 'application/jose' },
    })
  }
  partnerNetwork.use(
    http.post(`${base}/status`, ({ request }) => handle('status', request)),
    http.post(`${base}/cases`, ({ request }) => handle('cases', request)),
  )
  return {
    seen,
    /** jti → number of POSTs that carried it. */
    countsByJti: () =>
      seen.reduce((m, s) => m.set(s.jti, (m.get(s.jti) ?? 0) + 1), new Map<string, number>()),
  }
}

export function problem(status: number, code: string, headers: Record<string, string> = {}): Response {
  return HttpResponse.json(
    { type: `https://kytb.example/problems/${code}`, title: code, status, code, detail: `stub says ${code}` },
    { status, headers: { 'Content-Type': 'application/problem+json', ...headers } },
  )
}

/** An outbox row for `partner`, as the cases module writes one. */
export async function enqueue(
  gw: TestGateway,
  partner: TestPartner,
  o: { caseId?: string; caseSeq?: number; typ?: 'kytb-case' | 'kytb-status'; body?: string } = {},
) {
  const caseSeq = o.caseSeq ?? 1
  return enqueueMessage(
    gw.database.db,
    {
      partnerRegion: partner.region,
      agreementId: partner.agreementId,
      caseId: o.caseId ?? randomUUID(),
      caseSeq,
      typ: o.typ ?? 'kytb-status',
      cty: partner.name === 'longmen' ? 'json' : 'xml',
      payload: Buffer.from(o.body ?? JSON.stringify({ seq: caseSeq, n: randomUUID() })),
    },
    gw.clock.now(),
  )
}

export async function outboxRow(gw: TestGateway, id: string) {
  const [row] = await gw.database.db.select().from(outbox).where(eq(outbox.id, id))
  if (!row) throw new Error(`no outbox row ${id}`)
  return row
}

/** A real pino logger whose lines the test can read (the worker's alert hook is a log line). */
export function captureLog(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = []
  const log = pino({ level: 'debug' }, { write: (s: string) => lines.push(JSON.parse(s)) })
  return { log, lines }
}
