/**
 * Demo mode (DEMO_MODE=true): on a start where a simulated partner has no agreement yet, its key
 * file is made under DATA_DIR (the same code and path the simulator uses, so `npm run partner`
 * finds it), and an agreement naming it is registered and activated with its endpoint on
 * 127.0.0.1; a clerk `demo-clerk` of 民政局 (MZJ) is created once. Idempotent on restart.
 */
import { randomBytes } from 'node:crypto'
import type { Ctx } from '../../context.js'
import {
  agreementRequest,
  loadOrCreatePartnerKey,
  localEndpoint,
  PARTNER_NAMES,
  PARTNERS,
  type PartnerName,
} from '../../simulator/index.js'
import { changeAgreementStatus } from '../agreements/change-agreement-status.js'
import { createAgreement } from '../agreements/create-agreement.js'
import { listAgreements } from '../agreements/list-agreements.js'
import { createUser } from '../auth/create-user.js'
import { findUserByName } from '../auth/repository.js'

export const DEMO_CLERK = { username: 'demo-clerk', department: 'MZJ' } as const

export interface DemoSetup {
  agreements: { partner: PartnerName; region: string; id: string; endpoint: string; kid: string }[]
  /** Set when the clerk was created now; `password` only when it was generated (else ADMIN_PASSWORD). */
  clerk?: { username: string; password?: string }
}

export class DemoModeError extends Error {}

export async function setupDemo({ ctx }: { ctx: Ctx }): Promise<DemoSetup> {
  if (!ctx.config.ALLOW_INSECURE_ENDPOINTS) {
    // The simulators listen on http://127.0.0.1: without this the agreement API and the
    // outbox's address guard both (rightly) refuse them.
    throw new DemoModeError(
      'DEMO_MODE=true needs ALLOW_INSECURE_ENDPOINTS=true (the partner simulators listen on http://127.0.0.1)',
    )
  }
  const setup: DemoSetup = { agreements: [] }
  for (const name of PARTNER_NAMES) {
    const profile = PARTNERS[name]
    if ((await listAgreements({ ctx, input: { partner: profile.region } })).length > 0) continue
    const now = ctx.clock.now()
    const key = await loadOrCreatePartnerKey(ctx.config.DATA_DIR, name, now)
    const endpoint = localEndpoint(profile.defaultPort)
    const draft = await createAgreement({
      ctx,
      input: agreementRequest(profile, key.publicJwk, { endpoint, now }),
    })
    await changeAgreementStatus({ ctx, input: { id: draft.id, action: 'activate' } })
    setup.agreements.push({ partner: name, region: profile.region, id: draft.id, endpoint, kid: key.kid })
  }
  if (!(await findUserByName(ctx.db, DEMO_CLERK.username))) {
    const generated = ctx.config.ADMIN_PASSWORD ? undefined : randomBytes(12).toString('base64url')
    const password = ctx.config.ADMIN_PASSWORD ?? (generated as string)
    await createUser({ ctx, input: { ...DEMO_CLERK, password, role: 'clerk' } })
    setup.clerk = { username: DEMO_CLERK.username, ...(generated ? { password: generated } : {}) }
  }
  return setup
}

/** What demo mode created, for the console (stderr, like the generated admin password). */
export function describeDemoSetup(setup: DemoSetup): string {
  const lines: string[] = []
  for (const a of setup.agreements) {
    lines.push(
      `Demo: agreement ${a.id} with ${PARTNERS[a.partner].nameZh} (${a.region}) active, endpoint ${a.endpoint}, key ${a.kid}`,
    )
  }
  if (setup.clerk) {
    const pw = setup.clerk.password ?? '(the ADMIN_PASSWORD)'
    lines.push(`Demo: clerk "${setup.clerk.username}" of ${DEMO_CLERK.department} created, password: ${pw}`)
  }
  if (setup.agreements.length > 0) {
    lines.push('Demo: start a partner with `npm run partner -- longmen serve --auto-handle` (same DATA_DIR)')
  }
  return lines.length > 0 ? `\n${lines.join('\n')}\n\n` : ''
}
