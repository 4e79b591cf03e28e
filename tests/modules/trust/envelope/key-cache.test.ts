import { describe, expect, it } from 'vitest'
import { AppError } from '../../../../src/lib/errors.js'
import { isJoseContentType } from '../../../../src/modules/trust/envelope/compact.js'
import { createKeyCache } from '../../../../src/modules/trust/envelope/index.js'
import { makeKey, senderKey } from './fixtures.js'

describe('createKeyCache', () => {
  it('imports once per agreement, kid and key material', async () => {
    const cache = createKeyCache()
    const k = senderKey(await makeKey('k1', 'ES256'))
    const first = await cache.get('agr-1', k)
    expect(await cache.get('agr-1', { ...k })).toBe(first)
    expect(await cache.get('agr-2', k)).not.toBe(first)
    expect(first.type).toBe('public')
  })

  it('imports only the public members, even from a JWK that carries the private part', async () => {
    const t = await makeKey('k1', 'EdDSA')
    const { exportJWK } = await import('jose')
    const withPrivate = { ...senderKey(t), jwk: await exportJWK(t.privateKey) }
    expect(withPrivate.jwk.d).toBeDefined()
    expect((await createKeyCache().get('agr-1', withPrivate)).type).toBe('public')
  })

  it('a key that does not match its alg is our own fault: internal_error, and not cached', async () => {
    const cache = createKeyCache()
    const ed = await makeKey('k1', 'EdDSA')
    const wrong = { ...senderKey(ed), alg: 'ES256' as const }
    for (let i = 0; i < 2; i++) {
      const e = await cache.get('agr-1', wrong).catch((err: unknown) => err)
      expect(e).toBeInstanceOf(AppError)
      expect((e as AppError).code).toBe('internal_error')
    }
  })

  it('evicts the least recently used entry beyond its size', async () => {
    const cache = createKeyCache(2)
    const [a, b, c] = await Promise.all(
      ['a', 'b', 'c'].map(async (kid) => senderKey(await makeKey(kid, 'ES256'))),
    )
    const ka = await cache.get('x', a!)
    const kb = await cache.get('x', b!)
    await cache.get('x', a!) // a is now the most recent
    await cache.get('x', c!) // evicts b
    expect(await cache.get('x', a!)).toBe(ka)
    expect(await cache.get('x', b!)).not.toBe(kb)
  })
})

describe('isJoseContentType', () => {
  it.each([
    ['application/jose', true],
    ['APPLICATION/JOSE', true],
    [' application/jose ; charset=utf-8', true],
    ['application/jose+json', false],
    ['application/josex', false],
    ['', false],
    [undefined, false],
  ])('%j → %s', (ct, ok) => {
    expect(isJoseContentType(ct)).toBe(ok)
  })
})
