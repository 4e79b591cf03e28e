import { describe, expect, it } from 'vitest'
import { isInternalHost, validateEndpoint } from '../../../src/modules/agreements/validate-endpoint.js'

describe('validateEndpoint', () => {
  it('normalises: lower-case host, default port and trailing slashes dropped', () => {
    expect(validateEndpoint('https://KYTB.Conghua.example:443/v1/exchange//', false)).toEqual({
      endpoint: 'https://kytb.conghua.example/v1/exchange',
      errors: [],
    })
    expect(validateEndpoint('https://kytb.example:8443/', false).endpoint).toBe('https://kytb.example:8443')
  })

  it('refuses a bare "?" too', () => {
    expect(validateEndpoint('https://kytb.example/x?', false).errors[0]?.code).toBe('query_or_fragment')
  })

  it('admits http and internal hosts only when insecure endpoints are allowed', () => {
    expect(validateEndpoint('http://localhost:8081/v1/exchange', true).endpoint).toBe(
      'http://localhost:8081/v1/exchange',
    )
    expect(validateEndpoint('https://localhost:8081/v1/exchange', false).errors[0]?.code).toBe(
      'internal_host',
    )
  })
})

describe('isInternalHost', () => {
  it.each([
    'localhost',
    'LOCALHOST.',
    'api.localhost',
    '0.0.0.0',
    '127.0.0.1',
    '10.255.255.255',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.0.1',
    '169.254.169.254',
    '[::1]',
    '[::]',
    '[fc00::1]',
    '[fdff::1]',
    '[fe80::1]',
    '[::ffff:7f00:1]',
    '[::ffff:a00:1]',
  ])('%s is internal', (host) => {
    expect(isInternalHost(host)).toBe(true)
  })

  it.each([
    'kytb.conghua.example',
    'localhost.example.com',
    '8.8.8.8',
    '172.32.0.1',
    '172.15.255.255',
    '[2001:db8::1]',
  ])('%s is not', (host) => {
    expect(isInternalHost(host)).toBe(false)
  })
})
