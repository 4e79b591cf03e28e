import type { Config } from './config.js'
import { contextFor, type Deps, SYSTEM_ACTOR } from './context.js'
import { type Database, openDatabase } from './db/client.js'
import { migrateDatabase } from './db/migrate.js'
import { registerGauges } from './http/metrics.js'
import { type Clock, systemClock } from './lib/clock.js'
import type { Logger } from './lib/logger.js'
import { createMetrics } from './lib/metrics.js'
import { createAgreementTrustStore } from './modules/agreements/trust-store.js'
import { bootstrapAdmin } from './modules/auth/bootstrap-admin.js'
import { loadTokenKey } from './modules/auth/tokens.js'
import { loadSampleCatalog } from './modules/catalog/load-sample-catalog.js'
import { describeDemoSetup, setupDemo } from './modules/demo/setup-demo.js'
import { createGatewaySigner } from './modules/trust/gateway-signer.js'
import { openFileKeyring, openPemKeyring } from './modules/trust/keys/keyring.js'

/**
 * Everything a start needs before it can serve: database open and migrated, secrets loaded,
 * first-start data in place. Shared by main.ts, the worker and the tests.
 */
export async function prepare(
  config: Config,
  log: Logger,
  options: { database?: Database; clock?: Clock } = {},
): Promise<Deps> {
  const database = options.database ?? (await openDatabase(config))
  await migrateDatabase(database)
  const tokenKey = await loadTokenKey(database.db)
  const clock = options.clock ?? systemClock
  const keys = config.GATEWAY_KEY_FILE
    ? await openPemKeyring(config.GATEWAY_KEY_FILE)
    : await openFileKeyring(config.DATA_DIR, clock.now())
  const deps: Deps = {
    config,
    database,
    log,
    clock,
    tokenKey,
    keys,
    signer: createGatewaySigner(keys, config.GATEWAY_REGION),
    trust: createAgreementTrustStore(database.db, clock),
    metrics: createMetrics(),
  }
  registerGauges(deps)
  const ctx = contextFor(deps, SYSTEM_ACTOR)
  const loaded = await loadSampleCatalog({ ctx })
  if (loaded > 0) log.info({ items: loaded }, 'loaded the sample catalogue (sample data, see README)')
  const admin = await bootstrapAdmin({ ctx })
  if (admin.password) {
    // Printed once, on purpose outside the JSON log so it is not shipped to log storage by accident.
    process.stderr.write(
      `\nCreated administrator "admin" with password: ${admin.password}\n(set ADMIN_PASSWORD to choose it; shown only this once)\n\n`,
    )
  } else if (admin.created) {
    log.info('created administrator "admin" from ADMIN_PASSWORD')
  }
  // Demo mode: agreements with the partner simulators and a demo clerk (modules/demo).
  if (config.DEMO_MODE) process.stderr.write(describeDemoSetup(await setupDemo({ ctx })))
  return deps
}
