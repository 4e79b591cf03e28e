import { BlockList, isIPv4, isIPv6 } from 'node:net'
import type { FieldError } from '../../lib/errors.js'

/**
 * Addresses a partner endpoint must not name: the outbox would otherwise post signed cases to
 * the gateway's own host or internal network (SSRF). IPv4-mapped IPv6 (::ffff:127.0.0.1) is
 * matched too. Hosts are not resolved here: a name that resolves inward is the delivery
 * client's concern at connect time.
 */
const INTERNAL = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  INTERNAL.addSubnet(net, bits, 'ipv4')
}
INTERNAL.addAddress('::', 'ipv6')
INTERNAL.addAddress('::1', 'ipv6')
INTERNAL.addSubnet('fc00::', 7, 'ipv6')
INTERNAL.addSubnet('fe80::', 10, 'ipv6')

export function isInternalHost(hostname: string): boolean {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (isIPv4(host)) return INTERNAL.check(host, 'ipv4')
  if (isIPv6(host)) return INTERNAL.check(host, 'ipv6')
  return false
}

/**
 * The partner's base URL, normalised (no trailing slash, so `${endpoint}/cases` is right), or
 * the problems with it. `allowInsecure` (ALLOW_INSECURE_ENDPOINTS) admits http:// and internal
 * hosts, for development and the partner simulators.
 */
export function validateEndpoint(
  raw: string,
  allowInsecure: boolean,
  at = '/endpoint',
): { endpoint?: string; errors: FieldError[] } {
  const fail = (code: string, message: string) => ({ errors: [{ location: at, code, message }] })
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return fail('invalid_url', 'expected an absolute URL such as https://gateway.example/v1/exchange')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return fail('invalid_url', 'expected an https:// URL')
  if (url.protocol === 'http:' && !allowInsecure)
    return fail('insecure_endpoint', 'the endpoint must use https://')
  if (url.username || url.password)
    return fail('credentials_in_url', 'the URL must not carry a user name or password')
  // `URL.search` is empty for a bare "?", so look at the text too.
  if (url.search || url.hash || raw.includes('?') || raw.includes('#')) {
    return fail('query_or_fragment', 'the URL must have no query (?…) or fragment (#…)')
  }
  if (!allowInsecure && isInternalHost(url.hostname)) {
    return fail('internal_host', `${url.hostname} is a loopback or private address`)
  }
  const path = url.pathname.replace(/\/+$/, '')
  return { endpoint: `${url.protocol}//${url.host}${path}`, errors: [] }
}
