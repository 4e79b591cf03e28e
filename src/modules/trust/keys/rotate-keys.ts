import { keyFilePath, newStoredKey, readKeyFile, writeKeyFile } from './keyring.js'

/**
 * Adds a new key that is published at once and signs after `overlapHours`, so partners have
 * fetched it before they see it. Older keys keep signing until then and stay published until retired.
 */
export async function rotateKeys(dataDir: string, now: Date, overlapHours: number) {
  const path = keyFilePath(dataDir)
  const file = (await readKeyFile(path)) ?? { keys: [] }
  const added = await newStoredKey(now, new Date(now.getTime() + overlapHours * 3600_000))
  file.keys.push(added)
  await writeKeyFile(path, file)
  return { kid: added.kid, activatesAt: added.activatesAt }
}

/** Stops publishing a key and destroys its private half; refuses to retire the only signing key. */
export async function retireKey(dataDir: string, kid: string, now: Date) {
  const path = keyFilePath(dataDir)
  const file = await readKeyFile(path)
  const key = file?.keys.find((k) => k.kid === kid)
  if (!file || !key) throw new Error(`no key ${kid}`)
  const othersSigning = file.keys.filter(
    (k) => k.kid !== kid && !k.retiredAt && new Date(k.activatesAt) <= now,
  )
  if (othersSigning.length === 0) throw new Error(`${kid} is the only active signing key; rotate first`)
  key.retiredAt = now.toISOString()
  delete key.privateJwk
  await writeKeyFile(path, file)
}
