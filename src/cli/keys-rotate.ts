import { parseArgs } from 'node:util'
import { loadConfig } from '../config.js'
import { keyFilePath, readKeyFile } from '../modules/trust/keys/keyring.js'
import { retireKey, rotateKeys } from '../modules/trust/keys/rotate-keys.js'

/**
 * `npm run keys:rotate`                    adds a key; it signs after KEY_ROTATION_OVERLAP_HOURS
 * `npm run keys:rotate -- --retire KID`    stops publishing KID (after partners have moved on)
 * `npm run keys:rotate -- --list`          shows the keys and their state
 * Running gateways pick the change up from the key file within seconds.
 */
const { values } = parseArgs({ options: { retire: { type: 'string' }, list: { type: 'boolean' } } })
const config = loadConfig(process.env)
if (config.GATEWAY_KEY_FILE) {
  console.error('GATEWAY_KEY_FILE is set: the key comes from that file; rotate it there.')
  process.exit(2)
}
const now = new Date()
if (values.retire) {
  await retireKey(config.DATA_DIR, values.retire, now)
  console.log(`retired ${values.retire}: no longer published, private key destroyed`)
} else if (!values.list) {
  const added = await rotateKeys(config.DATA_DIR, now, config.KEY_ROTATION_OVERLAP_HOURS)
  console.log(`added ${added.kid}: published now, signs from ${added.activatesAt}`)
}
const file = await readKeyFile(keyFilePath(config.DATA_DIR))
for (const k of file?.keys ?? []) {
  const state = k.retiredAt ? 'retired' : new Date(k.activatesAt) <= now ? 'active' : 'pending'
  console.log(
    `${k.kid.padEnd(28)} ${state.padEnd(8)} signs from ${k.activatesAt}${k.retiredAt ? `, retired ${k.retiredAt}` : ''}`,
  )
}
