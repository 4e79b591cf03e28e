import { loadConfig } from '../config.js'
import { openDatabase } from '../db/client.js'
import { verifyAuditChain } from '../modules/audit/verify-chain.js'
import { openFileKeyring, openPemKeyring } from '../modules/trust/keys/keyring.js'

/** `npm run audit:verify`: recomputes the audit chain; exit 1 and names the first broken entry if any. */
const config = loadConfig(process.env)
const database = await openDatabase(config)
const keys = config.GATEWAY_KEY_FILE
  ? await openPemKeyring(config.GATEWAY_KEY_FILE)
  : await openFileKeyring(config.DATA_DIR, new Date())
const report = await verifyAuditChain(database.db, keys.allPublicKeys())
await database.close()
if (report.ok) {
  console.log(`audit chain intact: ${report.entries} entries, ${report.checkpoints} signed checkpoints`)
} else {
  console.error(`audit chain BROKEN at entry ${report.firstBroken?.seq}: ${report.firstBroken?.reason}`)
  console.error(`(${report.entries} entries verified before it)`)
  process.exitCode = 1
}
