import { randomBytes } from 'node:crypto'
import { chmod, link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  importPKCS8,
  type JWK,
} from 'jose'

/** One gateway signing key. A key is published from creation, signs from `activatesAt`, and stops being
 * published once retired; its public half stays in the file so old signatures (audit checkpoints) still verify. */
export interface StoredKey {
  kid: string
  alg: 'ES256'
  privateJwk?: JWK
  publicJwk: JWK
  createdAt: string
  activatesAt: string
  retiredAt?: string
}

interface KeyFile {
  keys: StoredKey[]
}

export interface SigningKey {
  kid: string
  alg: 'ES256'
  privateKey: CryptoKey
}

export interface GatewayKeyring {
  /** The key that signs now: the newest active one. */
  signingKey(now: Date): Promise<SigningKey>
  /** Published keys (pending and active), for /.well-known/jwks.json. */
  publicJwks(now: Date): { keys: JWK[] }
  /** Every public key ever used, retired ones too, for verifying old signatures. */
  allPublicKeys(): StoredKey[]
  /** Re-reads the key file if it changed (another instance or `keys:rotate`). */
  refresh(): Promise<void>
}

export const keyFilePath = (dataDir: string) => join(dataDir, 'keys', 'gateway-keys.json')

export async function newStoredKey(now: Date, activatesAt: Date): Promise<StoredKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const publicJwk = await exportJWK(publicKey)
  const kid = `xf-${now.toISOString().slice(0, 10)}-${randomBytes(3).toString('hex')}`
  return {
    kid,
    alg: 'ES256',
    privateJwk: await exportJWK(privateKey),
    publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' },
    createdAt: now.toISOString(),
    activatesAt: activatesAt.toISOString(),
  }
}

export async function readKeyFile(path: string): Promise<KeyFile | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as KeyFile
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/** A temporary file next to `path` holding `file`, mode 0600 (unique: containers all have pid 1). */
async function writeTemp(path: string, file: KeyFile): Promise<string> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  await writeFile(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 })
  await chmod(tmp, 0o600)
  return tmp
}

/** Written to a temporary file and renamed, so a reader never sees half a key file. */
export async function writeKeyFile(path: string, file: KeyFile): Promise<void> {
  await rename(await writeTemp(path, file), path)
}

/**
 * The first key file, unless one exists already: hard-linking the temporary file into place
 * fails when another instance sharing the DATA_DIR got there first, and then its file is used.
 */
async function createKeyFileOnce(path: string, file: KeyFile): Promise<void> {
  const tmp = await writeTemp(path, file)
  try {
    await link(tmp, path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  } finally {
    await unlink(tmp)
  }
}

const isPublished = (k: StoredKey) => !k.retiredAt

function fromFileKeys(read: () => StoredKey[]): Omit<GatewayKeyring, 'refresh'> {
  const imported = new Map<string, Promise<CryptoKey>>()
  return {
    async signingKey(now) {
      const active = read()
        .filter((k) => isPublished(k) && k.privateJwk && new Date(k.activatesAt) <= now)
        .sort((a, b) => b.activatesAt.localeCompare(a.activatesAt))[0]
      if (!active?.privateJwk) throw new Error('no active gateway signing key')
      let key = imported.get(active.kid)
      if (!key) {
        key = importJWK(active.privateJwk, 'ES256') as Promise<CryptoKey>
        imported.set(active.kid, key)
      }
      return { kid: active.kid, alg: 'ES256', privateKey: await key }
    },
    publicJwks: () => ({
      keys: read()
        .filter(isPublished)
        .map((k) => k.publicJwk),
    }),
    allPublicKeys: () => read().map(({ privateJwk: _, ...pub }) => pub),
  }
}

/** The keyring kept under DATA_DIR, created with one active key on first start (once, across instances). */
export async function openFileKeyring(dataDir: string, now: Date): Promise<GatewayKeyring> {
  const path = keyFilePath(dataDir)
  let file = await readKeyFile(path)
  if (!file) {
    // Several instances may start at once on one volume: exactly one key file must win.
    await createKeyFileOnce(path, { keys: [await newStoredKey(now, now)] })
    file = await readKeyFile(path)
    if (!file) throw new Error(`could not create ${path}`)
  }
  let mtime = (await stat(path)).mtimeMs
  let current = file
  return {
    ...fromFileKeys(() => current.keys),
    async refresh() {
      const m = (await stat(path)).mtimeMs
      if (m === mtime) return
      const next = await readKeyFile(path)
      if (next) {
        current = next
        mtime = m
      }
    },
  }
}

/** A single key from a PKCS#8 PEM file (GATEWAY_KEY_FILE); rotation is then the operator's business. */
export async function openPemKeyring(pemPath: string): Promise<GatewayKeyring> {
  const privateKey = await importPKCS8(await readFile(pemPath, 'utf8'), 'ES256', { extractable: true })
  const privateJwk = await exportJWK(privateKey)
  const { d: _, ...pub } = privateJwk
  const kid = `xf-${(await calculateJwkThumbprint(pub)).slice(0, 16)}`
  const key: StoredKey = {
    kid,
    alg: 'ES256',
    privateJwk,
    publicJwk: { ...pub, kid, alg: 'ES256', use: 'sig' },
    createdAt: new Date(0).toISOString(),
    activatesAt: new Date(0).toISOString(),
  }
  return { ...fromFileKeys(() => [key]), refresh: async () => {} }
}
