import { lookup as dnsLookup } from 'node:dns/promises'
import { BlockList, isIPv4, isIPv6 } from 'node:net'

/**
 * SSRF guard of the delivery client: the outbox posts signed cases with applicants' personal data,
 * so it must never reach the gateway's own host or internal network, whatever an agreement's
 * endpoint says or its name resolves to. The agreement API checks the URL's text; this checks the
 * addresses the name resolves to right before each send.
 *
 * Residual risk, by design of Node's fetch (no connect-time hook without undici's Agent, which is
 * not a dependency): a name answering differently between this look-up and fetch's own
 * (DNS rebinding with TTL 0) is not caught here. An egress firewall is the complete answer.
 */
export class AddressRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AddressRefused'
  }
}

/** Every address a host name resolves to (A and AAAA). */
export type Lookup = (hostname: string) => Promise<string[]>

export const systemLookup: Lookup = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address)

const V4_INTERNAL = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  V4_INTERNAL.addSubnet(net, bits, 'ipv4')
}

/** The eight 16-bit groups of an IPv6 address (zone id dropped, embedded dotted IPv4 read), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  let a = address.toLowerCase().replace(/%.*$/, '')
  const dotted = a.match(/^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/)
  if (dotted) {
    const [b0, b1, b2, b3] = dotted.slice(2).map(Number) as [number, number, number, number]
    a = `${dotted[1]}${((b0 << 8) | b1).toString(16)}:${((b2 << 8) | b3).toString(16)}`
  }
  const halves = a.split('::')
  if (halves.length > 2) return undefined
  const head = halves[0] ? halves[0].split(':') : []
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : []
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? head.length !== 8 : missing < 1) return undefined
  const parts = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail]
  if (!parts.every((p) => /^[0-9a-f]{1,4}$/.test(p))) return undefined
  return parts.map((p) => Number.parseInt(p, 16))
}

const v4Of = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`

/** True for loopback, private, link-local, shared, multicast and unspecified addresses, in any IPv6 spelling. */
export function isInternalAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '')
  if (isIPv4(bare)) return V4_INTERNAL.check(bare, 'ipv4')
  if (!isIPv6(bare)) return true // not an address at all: refuse rather than guess
  const g = ipv6Groups(bare)
  if (!g) return true
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g
  const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0
  // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible, also :: and ::1): judged as IPv4 or as themselves.
  if (zeroPrefix && g5 === 0xffff) return V4_INTERNAL.check(v4Of(g6, g7), 'ipv4')
  if (zeroPrefix && g5 === 0) return g6 === 0 || V4_INTERNAL.check(v4Of(g6, g7), 'ipv4')
  // 64:ff9b::/96, NAT64: the IPv4 address it translates to.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return V4_INTERNAL.check(v4Of(g6, g7), 'ipv4')
  }
  if ((g0 & 0xfe00) === 0xfc00) return true // fc00::/7 unique local
  if ((g0 & 0xffc0) === 0xfe80) return true // fe80::/10 link-local
  if ((g0 & 0xffc0) === 0xfec0) return true // fec0::/10 old site-local
  if ((g0 & 0xff00) === 0xff00) return true // ff00::/8 multicast
  return false
}

export interface AddressGuard {
  /** Throws AddressRefused when `url` may not be contacted; DNS failures propagate (a network error). */
  check(url: URL): Promise<void>
}

/**
 * `allowInsecure` (ALLOW_INSECURE_ENDPOINTS) turns the guard off, for development, the partner
 * simulators and the msw-played partners of the tests. `lookup` is injectable for tests.
 */
export function createAddressGuard(opts: { allowInsecure: boolean; lookup?: Lookup }): AddressGuard {
  const lookup = opts.lookup ?? systemLookup
  return {
    async check(url) {
      if (opts.allowInsecure) return
      if (url.protocol !== 'https:') throw new AddressRefused(`${url.protocol} endpoint refused (https only)`)
      const host = url.hostname.replace(/^\[|\]$/g, '')
      const literal = isIPv4(host) || isIPv6(host)
      const addresses = literal ? [host] : await lookup(host)
      if (addresses.length === 0) throw new AddressRefused(`${host} resolves to no address`)
      const inward = addresses.find(isInternalAddress)
      if (inward !== undefined) {
        throw new AddressRefused(
          literal ? `${host} is an internal address` : `${host} resolves to internal address ${inward}`,
        )
      }
    },
  }
}
