import type { Config } from './config.js'
import type { Database } from './db/client.js'
import type { HasDb } from './db/tx.js'
import type { Clock } from './lib/clock.js'
import type { Logger } from './lib/logger.js'
import type { Metrics } from './lib/metrics.js'
import type { AgreementTrustStore } from './modules/agreements/trust-store.js'
import type { GatewaySigner } from './modules/trust/gateway-signer.js'
import type { GatewayKeyring } from './modules/trust/keys/keyring.js'

/** Who is acting: a signed-in person, a partner system, or the gateway itself. */
export type Actor =
  | { kind: 'user'; userId: string; username: string; role: 'admin' | 'clerk'; department: string | null }
  | { kind: 'partner'; region: string }
  | { kind: 'system'; name: string }

/** Long-lived dependencies, built once in main.ts (or by a test). */
export interface Deps {
  config: Config
  database: Database
  log: Logger
  clock: Clock
  /** HMAC key of sign-in tokens (modules/auth/tokens.ts). */
  tokenKey: Uint8Array
  /** The gateway's own signing keys (receipts, events, audit checkpoints). */
  keys: GatewayKeyring
  /** Signs as the gateway with the active key. */
  signer: GatewaySigner
  /** Partners' agreements and keys, cached, for verifying what they send. */
  trust: AgreementTrustStore
  /** Prometheus counters and scrape-time gauges (/metrics). */
  metrics: Metrics
}

/** What every service verb receives: dependencies, the acting party, and the database handle to use. */
export interface Ctx extends HasDb {
  config: Config
  clock: Clock
  log: Logger
  actor: Actor
  requestId?: string
  signer: GatewaySigner
  /** The gateway's metrics (absent where a verb runs outside a gateway, as in some CLIs). */
  metrics?: Metrics
}

export function contextFor(deps: Deps, actor: Actor, requestId?: string): Ctx {
  return {
    db: deps.database.db,
    config: deps.config,
    clock: deps.clock,
    log: requestId ? deps.log.child({ requestId }) : deps.log,
    actor,
    signer: deps.signer,
    metrics: deps.metrics,
    ...(requestId ? { requestId } : {}),
  }
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', name: 'gateway' }
