import { mkdtemp, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { exportPKCS8, generateKeyPair } from 'jose'
import { describe, expect, it } from 'vitest'
import { keyFilePath, openFileKeyring, openPemKeyring } from '../../../../src/modules/trust/keys/keyring.js'
import { retireKey, rotateKeys } from '../../../../src/modules/trust/keys/rotate-keys.js'

const dir = () => mkdtemp(join(tmpdir(), 'kytb-keys-'))
const at = (iso: string) => new Date(iso)

describe('the gateway keyring', () => {
  it('generates one ES256 key at first start, in a file only its owner can read, and publishes only its public half', async () => {
    const d = await dir()
    const ring = await openFileKeyring(d, at('2026-11-28T00:00:00Z'))
    expect((await stat(keyFilePath(d))).mode & 0o777).toBe(0o600)
    const { keys } = ring.publicJwks(at('2026-11-28T00:00:00Z'))
    expect(keys).toHaveLength(1)
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' })
    expect(keys[0]?.d).toBeUndefined()
    // The same file gives the same key on the next start.
    const again = await openFileKeyring(d, at('2026-11-29T00:00:00Z'))
    expect(again.publicJwks(at('2026-11-29T00:00:00Z')).keys[0]?.kid).toBe(keys[0]?.kid)
  })

  it('gives instances starting at once on a shared DATA_DIR one and the same key', async () => {
    const d = await dir()
    const t = at('2026-11-28T00:00:00Z')
    const rings = await Promise.all([1, 2, 3, 4].map(() => openFileKeyring(d, t)))
    const kids = await Promise.all(rings.map(async (r) => (await r.signingKey(t)).kid))
    expect(new Set(kids).size).toBe(1)
    expect(rings.map((r) => r.publicJwks(t).keys.map((k) => k.kid))).toEqual(rings.map(() => [kids[0]]))
  })

  it('rotates: the new key is published at once, signs only after the overlap, and the old stays published until retired', async () => {
    const d = await dir()
    const t0 = at('2026-11-28T00:00:00Z')
    const ring = await openFileKeyring(d, t0)
    const oldKid = (await ring.signingKey(t0)).kid
    const added = await rotateKeys(d, t0, 24)
    await ring.refresh()
    expect(ring.publicJwks(t0).keys.map((k) => k.kid)).toEqual([oldKid, added.kid])
    expect((await ring.signingKey(at('2026-11-28T23:59:00Z'))).kid).toBe(oldKid)
    expect((await ring.signingKey(at('2026-11-29T00:00:01Z'))).kid).toBe(added.kid)

    const later = at('2026-12-05T00:00:00Z')
    await retireKey(d, oldKid, later)
    await ring.refresh()
    expect(ring.publicJwks(later).keys.map((k) => k.kid)).toEqual([added.kid])
    // Its public half stays for verifying old signatures (audit checkpoints).
    expect(ring.allPublicKeys().map((k) => k.kid)).toContain(oldKid)
  })

  it('refuses to retire the only signing key', async () => {
    const d = await dir()
    const t0 = at('2026-11-28T00:00:00Z')
    const ring = await openFileKeyring(d, t0)
    await expect(retireKey(d, (await ring.signingKey(t0)).kid, t0)).rejects.toThrow(/only active signing key/)
  })

  it('signs with a configured PEM key instead (GATEWAY_KEY_FILE)', async () => {
    const d = await dir()
    const { privateKey } = await generateKeyPair('ES256', { extractable: true })
    const pem = join(d, 'gateway.pem')
    await writeFile(pem, await exportPKCS8(privateKey), { mode: 0o600 })
    const ring = await openPemKeyring(pem)
    const key = await ring.signingKey(new Date())
    expect(key.kid).toMatch(/^xf-[A-Za-z0-9_-]{16}$/)
    expect(ring.publicJwks(new Date()).keys[0]?.kid).toBe(key.kid)
  })
})
