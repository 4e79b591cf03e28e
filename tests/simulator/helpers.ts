import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createOutboxWorker } from '../../src/modules/outbox/worker.js'
import {
  agreementRequest,
  PARTNERS,
  type PartnerName,
  type Simulator,
  type SimulatorModes,
  startSimulator,
} from '../../src/simulator/index.js'
import { serveGateway } from '../helpers/browser.js'
import type { TestGateway } from '../helpers/gateway.js'

export interface RunningPartner {
  sim: Simulator
  /** Every line the simulator printed. */
  lines: string[]
  agreementId: string
  dataDir: string
}

/**
 * A simulator of `name` on 127.0.0.1 (port 0), on the gateway's fixed clock, registered and
 * activated at the gateway through the admin API with the agreement the simulator itself prints.
 */
export async function startPartner(
  gw: TestGateway,
  gatewayUrl: string,
  name: PartnerName,
  modes: Partial<SimulatorModes> = {},
): Promise<RunningPartner> {
  const lines: string[] = []
  const dataDir = await mkdtemp(join(tmpdir(), `kytb-sim-${name}-`))
  const sim = await startSimulator({
    partner: name,
    dataDir,
    gatewayUrl,
    port: 0,
    now: () => gw.clock.now(),
    print: (line) => lines.push(...line.split('\n')),
    modes,
    stepDelayMs: 5,
  })
  const admin = await gw.adminToken()
  const body = agreementRequest(PARTNERS[name], sim.env.key.publicJwk, {
    endpoint: sim.endpoint,
    now: gw.clock.now(),
  })
  const res = await gw.request('/v1/agreements', { method: 'POST', token: admin, json: body })
  if (res.status !== 201) throw new Error(`agreement ${name}: ${res.status} ${await res.text()}`)
  const { id } = (await res.json()) as { id: string }
  const act = await gw.request(`/v1/agreements/${id}/activate`, { method: 'POST', token: admin })
  if (act.status !== 200) throw new Error(`activate ${name}: ${act.status} ${await act.text()}`)
  return { sim, lines, agreementId: id, dataDir }
}

export { serveGateway }

/** A worker whose back-off is zero, so a failed row is due again at once. */
export const testWorker = (gw: TestGateway, options: { timeoutMs?: number } = {}) =>
  createOutboxWorker(gw.deps, { instanceId: 'sim-test-worker', random: () => 0, ...options })
