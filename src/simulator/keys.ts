import { randomBytes } from 'node:crypto'
import { chmodSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'
import type { SigningKey } from '../modules/trust/envelope/index.js'
import type { PartnerName } from './partners.js'

/** What `key.json` holds: one ES256 key pair of a simulated partner. */
interface KeyFile {
  kid: string
  alg: 'ES256'
  createdAt: string
  publicJwk: JWK
  privateJwk: JWK
}

export interface PartnerKey extends SigningKey {
  /** The public half as registered in the agreement: kty, crv, x, y, kid, alg, use. */
  publicJwk: JWK
  path: string
}

export const partnerDir = (dataDir: string, name: PartnerName) => join(dataDir, 'partners', name)
export const partnerKeyPath = (dataDir: string, name: PartnerName) =>
  join(partnerDir(dataDir, name), 'key.json')

/**
 * The partner's key pair, made on first use and kept in `DATA_DIR/partners/<name>/key.json`
 * (mode 0600). Created under a temporary name and hard-linked into place, so two processes
 * starting at once (the gateway in demo mode and a simulator) end up with the same key.
 */
export async function loadOrCreatePartnerKey(
  dataDir: string,
  name: PartnerName,
  now = new Date(),
): Promise<PartnerKey & { created: boolean }> {
  const path = partnerKeyPath(dataDir, name)
  let created = false
  let file = readKeyFile(path)
  if (!file) {
    mkdirSync(partnerDir(dataDir, name), { recursive: true, mode: 0o700 })
    const fresh = await newKeyFile(name, now)
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
    writeFileSync(tmp, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600 })
    chmodSync(tmp, 0o600)
    try {
      linkSync(tmp, path)
      created = true
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    } finally {
      unlinkSync(tmp)
    }
    file = readKeyFile(path)
    if (!file) throw new Error(`could not create ${path}`)
  }
  const privateKey = (await importJWK(file.privateJwk, 'ES256')) as CryptoKey
  return { kid: file.kid, alg: 'ES256', privateKey, publicJwk: file.publicJwk, path, created }
}

/** A throw-away key under the same kid: what `--bad-receipt` signs with. */
export async function wrongKey(kid: string): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('ES256')
  return { kid, alg: 'ES256', privateKey }
}

async function newKeyFile(name: PartnerName, now: Date): Promise<KeyFile> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const kid = `${name}-sim-${now.toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`
  const { kty, crv, x, y } = await exportJWK(publicKey)
  return {
    kid,
    alg: 'ES256',
    createdAt: now.toISOString(),
    publicJwk: { kty, crv, x, y, kid, alg: 'ES256', use: 'sig' },
    privateJwk: await exportJWK(privateKey),
  }
}

function readKeyFile(path: string): KeyFile | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as KeyFile
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new Error(`${path} is not a readable key file: ${(err as Error).message}`)
  }
}
