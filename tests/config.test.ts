import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../src/config.js'

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({
      PORT: 8080,
      DATA_DIR: './data',
      GATEWAY_REGION: '440233',
      ALLOW_INSECURE_ENDPOINTS: false,
    })
    expect(c.DATABASE_URL).toBeUndefined()
    expect(c.ADMIN_PASSWORD).toBeUndefined()
  })

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).PORT).toBe(8080)
  })

  it('reads each setting', () => {
    const c = loadConfig({
      PORT: '9090',
      DATABASE_URL: 'postgres://u@h:5432/db',
      DATA_DIR: '/var/lib/kytb',
      GATEWAY_REGION: '440117',
      ADMIN_PASSWORD: 'a-long-password',
      ALLOW_INSECURE_ENDPOINTS: 'true',
    })
    expect(c).toMatchObject({
      PORT: 9090,
      DATABASE_URL: 'postgres://u@h:5432/db',
      DATA_DIR: '/var/lib/kytb',
      GATEWAY_REGION: '440117',
      ALLOW_INSECURE_ENDPOINTS: true,
    })
  })

  it.each([
    ['PORT', 'abc', /PORT: .*port number/],
    ['PORT', '70000', /PORT: .*65535/],
    ['GATEWAY_REGION', '44023', /GATEWAY_REGION: expected a 6-digit region code/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL: expected a postgres:\/\//],
    ['ALLOW_INSECURE_ENDPOINTS', 'maybe', /ALLOW_INSECURE_ENDPOINTS: expected true or false/],
    ['ADMIN_PASSWORD', 'short', /ADMIN_PASSWORD: expected at least 10 characters/],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    let error: unknown
    try {
      loadConfig({ [name]: value })
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toMatch(message)
  })

  it('runs one HTTP process unless WORKERS says more, and more only on PostgreSQL', () => {
    expect(loadConfig({}).WORKERS).toBe(1)
    expect(loadConfig({ WORKERS: '2', DATABASE_URL: 'postgres://u@h:5432/db' }).WORKERS).toBe(2)
    expect(() => loadConfig({ WORKERS: '2' })).toThrow(/WORKERS: more than 1 needs DATABASE_URL/)
    expect(() => loadConfig({ WORKERS: '0', DATABASE_URL: 'postgres://u@h:5432/db' })).toThrow(/WORKERS/)
  })

  it('never repeats a secret in its message', () => {
    expect(() => loadConfig({ ADMIN_PASSWORD: 'short' })).toThrow(/^(?![\s\S]*short\b)/)
    expect(() => loadConfig({ DATABASE_URL: 'mysql://user:secret@h/db' })).not.toThrow(/secret/)
  })

  it('lists every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', GATEWAY_REGION: 'y' })).toThrow(/PORT[\s\S]*GATEWAY_REGION/)
  })
})
